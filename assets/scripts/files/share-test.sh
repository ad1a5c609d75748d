#!/bin/sh
# On the first app host: the file each other app host wrote is there, and recent, so the
# shared folder is the same folder everywhere.
# takes: user marks me others mount
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
now=$(date +%s)
for other in $others; do
    t=$(runuser -u "$user" -- cat "$marks/hosts/$other" 2>/dev/null || true)
    if [ -z "$t" ]; then
        echo "the test file written by $other is not visible on $me: $mount is not the same folder on both hosts" >&2
        exit 1
    fi
    age=$((now - t))
    if [ "$age" -gt 600 ] || [ "$age" -lt -600 ]; then
        echo "the test file written by $other is $age seconds old on $me: $mount is not the same folder on both hosts (or their clocks differ by more than 10 minutes)" >&2
        exit 1
    fi
    echo "$other -> $me: shared"
done
