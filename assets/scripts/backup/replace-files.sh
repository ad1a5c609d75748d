#!/bin/sh
# Replaces the shared directory's content with the archive uploaded to $remote: extracted into a
# folder inside it (same file system, so the swap is renames), the old content moved aside, the
# new moved up, the old removed. A restore stopped half way is finished by another.
# takes: m remote
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
if [ ! -d "$m" ]; then echo "the shared directory $m does not exist on this host" >&2; exit 1; fi
find "$m" -mindepth 1 -maxdepth 1 \( -name '.joget-cluster-restore.*' -o -name '.joget-cluster-replaced.*' \) -exec rm -rf {} +
new=$(mktemp -d "$m/.joget-cluster-restore.XXXXXX")
tar -C "$new" --numeric-owner --same-owner --same-permissions -xzf "$remote"
old=$(mktemp -d "$m/.joget-cluster-replaced.XXXXXX")
find "$m" -mindepth 1 -maxdepth 1 ! -path "$new" ! -path "$old" -exec mv -t "$old" -- {} +
find "$new" -mindepth 1 -maxdepth 1 -exec mv -t "$m" -- {} +
chown --reference="$new" "$m" && chmod --reference="$new" "$m"
rmdir "$new"
rm -rf "$old"
rm -f "$remote"
echo "the shared directory $m now holds $(find "$m" -mindepth 1 | wc -l) entries from the backup"
