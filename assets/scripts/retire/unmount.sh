#!/bin/sh
# The shared folder unmounted from a host that has no node left, and its /etc/fstab line gone.
# takes: m
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
if mountpoint -q "$m"; then umount "$m" || umount -l "$m"; fi
t=$(mktemp)
awk -v m="$m" '!($1 !~ /^#/ && $2 == m)' /etc/fstab > "$t"
cat "$t" > /etc/fstab
rm -f "$t"
if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
