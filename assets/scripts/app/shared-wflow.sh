#!/bin/sh
# Copies the bundle's wflow folder into the shared folder, once for all nodes, as the service user
# (root may be squashed by NFS). A shared folder that already holds Joget files is kept.
# takes: src dst u copying mark bundle_name
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
# A copy of ours that was stopped half way is marked "copying": it is copied again.
if ! runuser -u "$u" -- test -e "$copying" && { runuser -u "$u" -- test -e "$dst/app_datasource.properties" || runuser -u "$u" -- test -e "$dst/wflow-cluster.jar"; }; then
    echo "the shared folder already holds a Joget wflow folder: it is kept as it is"
else
    # shellcheck disable=SC2016 # "$1"... expand in the inner shell
    runuser -u "$u" -- sh -c 'mkdir -p "$(dirname "$1")" && : > "$1"' joget-mark "$copying"
    # shellcheck disable=SC2016 # "$1"... expand in the inner shell
    runuser -u "$u" -- sh -c 'umask 027 && cp -R "$1/." "$2/"' joget-copy "$src" "$dst"
    echo "copied $(find -L "$src" | wc -l) files and folders from the bundle's wflow"
fi
for f in wflow-cluster.jar glowroot/glowroot.jar; do
    if ! runuser -u "$u" -- test -f "$dst/$f"; then echo "the shared folder has no $f: the Java agents in setenv.sh need it" >&2; exit 1; fi
done
# shellcheck disable=SC2016 # "$1"... expand in the inner shell
runuser -u "$u" -- sh -c 'printf "%s\n" "$2" > "$1" && rm -f "$3"' joget-mark "$mark" "$bundle_name" "$copying"
