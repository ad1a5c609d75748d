#!/bin/sh
# Sets $dev, the interface holding $addr (set by cluster-address.sh, which runs first), and
# $route, the interface multicast to the group leaves by.
# takes: group
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
# shellcheck disable=SC2034 # dev and route are read by the lines that follow this file
dev=$(ip -o -4 addr show 2>/dev/null | awk -v a="$addr" '{ split($4, p, "/"); if (p[1] == a) { print $2; exit } }')
route=$(ip route get "$group" 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n 1)
