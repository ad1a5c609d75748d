#!/bin/sh
# An archive of the shared directory, on the first app host, as root: owners (as numbers) and
# modes kept. A file changed while it was read is a warning (the cluster keeps serving). Follows
# lib/backup-part-folder.sh ($out); the shared directory's existence is checked before it.
# takes: m
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
rc=0
tar -C "$m" --numeric-owner --exclude='./.joget-cluster-restore.*' --exclude='./.joget-cluster-replaced.*' \
    -czf "$out/wflow.tar.gz" . 2>"$out/tar.err" || rc=$?
if [ $rc -ge 2 ]; then
    echo "tar failed (status $rc):" >&2; cat "$out/tar.err" >&2
    rm -rf "$out"; exit 1
fi
if [ $rc = 1 ]; then echo 'warning: some files changed while they were archived:' >&2; fi
cat "$out/tar.err" >&2
echo "JC file=$out/wflow.tar.gz"
