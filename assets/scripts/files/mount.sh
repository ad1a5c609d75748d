#!/bin/sh
# Mounts the shared folder from its /etc/fstab line; something else mounted there is refused.
# takes: m source
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
cur=$(findmnt -rn -M "$m" -o SOURCE 2>/dev/null | tail -n 1)
if [ -n "$cur" ]; then
    echo "$cur is mounted at $m instead of $source: unmount it first" >&2
    exit 1
fi
mount "$m"
findmnt -M "$m"
