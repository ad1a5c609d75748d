#!/bin/sh
# Tomcat's multicast membership needs the MULTICAST flag on the cluster interface and the group's
# route through it. Follows the lines that set dev, route and addr.
# takes: group
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
if [ -z "$dev" ]; then echo "cannot find the interface holding ${addr:-an IPv4 address}" >&2; exit 1; fi
if ! ip link show dev "$dev" | grep -q MULTICAST; then
    echo "interface $dev has no MULTICAST flag, so Tomcat's multicast membership cannot work. Enable it in the network configuration (now: ip link set dev $dev multicast on), or choose appServers.membership: static" >&2
    exit 1
fi
if [ "$route" != "$dev" ]; then
    echo "multicast to $group leaves by ${route:-no interface}, not $dev: add a route (ip route add 224.0.0.0/4 dev $dev) in the network configuration, or choose appServers.membership: static" >&2
    exit 1
fi
echo "$dev: multicast on"
