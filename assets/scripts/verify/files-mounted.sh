#!/bin/sh
# verify: the shared directory is a mount point on this app host, and the service user writes
# this run's token into a file of its own there.
# takes: mount user token file
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
if mountpoint -q "$mount"; then echo "JC mounted=yes"; else echo "JC mounted=no"; fi
echo "JC source=$(findmnt -n -o SOURCE --target "$mount" 2>/dev/null)"
# shellcheck disable=SC2016 # "$1"... expand in the inner shell
if runuser -u "$user" -- sh -c 'printf %s "$1" > "$2"' sh "$token" "$file" 2>&1; then echo "JC writable=yes"; else echo "JC writable=no"; fi
