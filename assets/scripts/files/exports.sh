#!/bin/sh
# The export line for the shared folder in /etc/exports: replaced, never appended twice (the
# old file is kept as /etc/exports.joget-cluster.orig); then the server exports it.
# takes: path line
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
touch /etc/exports
[ -e /etc/exports.joget-cluster.orig ] || cp -p /etc/exports /etc/exports.joget-cluster.orig
t=$(mktemp)
awk -v p="$path" -v line="$line" '$1 == p { if (!done) print line; done = 1; next } { print } END { if (!done) print line }' /etc/exports > "$t"
cat "$t" > /etc/exports
rm -f "$t"
exportfs -ra
exportfs -s | awk -v p="$path" '$1 == p'
