#!/bin/sh
# The shared folder's line in /etc/fstab (mounted again after a reboot), replaced, never
# appended twice. The mount point stays owned by root while nothing is mounted, so Joget cannot
# write into an unmounted folder by mistake.
# takes: m line
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
mkdir -p "$m"
if ! mountpoint -q "$m"; then chown root:root "$m"; chmod 0755 "$m"; fi
touch /etc/fstab
[ -e /etc/fstab.joget-cluster.orig ] || cp -p /etc/fstab /etc/fstab.joget-cluster.orig
t=$(mktemp)
awk -v m="$m" -v line="$line" '$1 !~ /^#/ && $2 == m { if (!done) print line; done = 1; next } { print } END { if (!done) print line }' /etc/fstab > "$t"
cat "$t" > /etc/fstab
rm -f "$t"
if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
