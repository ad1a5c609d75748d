#!/bin/sh
# verify: the interface multicast to the group leaves by, and whether it has MULTICAST.
# takes: group
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
dev=$(ip -o route get "$group" 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p')
echo "JC dev=$dev"; ip -o link show "$dev" 2>/dev/null | grep -q MULTICAST && echo "JC multicast=yes"
