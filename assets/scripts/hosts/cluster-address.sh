#!/bin/sh
# Sets $addr to the IPv4 address this host is reached at by the others: the address the wizard
# connects to ($want, an address or a name) when it is one of this host's own, else the host's
# first IPv4 address ($addr = $ip when it was the wanted one).
# takes: want
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
case "$want" in
    *[!0-9.]*) ip=$(getent ahostsv4 "$want" 2>/dev/null | awk 'NR==1 {print $1}') ;;
    *) ip=$want ;;
esac
addr=; first=
for a in $(hostname -I 2>/dev/null); do
    case "$a" in *:*) continue ;; esac
    [ -n "$first" ] || first=$a
    [ "$a" = "$ip" ] && addr=$a
done
[ -n "$addr" ] || addr=$first
