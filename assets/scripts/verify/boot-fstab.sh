#!/bin/sh
# verify: the /etc/fstab line that mounts the plan's NFS share again at boot. Follows
# verify/boot-units.sh.
# takes: m
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
echo "JC fstab=$(awk -v m="$m" '$1 !~ /^#/ && $2 == m { print $1, $3, $4; exit }' /etc/fstab 2>/dev/null)"
