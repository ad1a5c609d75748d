#!/bin/sh
# The host's name resolves to its real address (Java and Tomcat's membership use it), not to
# 127.0.1.1 as Debian and Ubuntu set it; the old /etc/hosts is kept as /etc/hosts.joget-cluster.orig.
# With static membership an address that is not this host's own is refused. Follows
# hosts/cluster-address.sh.
# takes: static_membership fix_hosts
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
if [ -z "$addr" ]; then echo "this host has no IPv4 address besides loopback" >&2; exit 1; fi
if [ "$addr" != "$ip" ]; then
    if [ "$static_membership" = yes ]; then
        echo "$want is not an address of this host (NAT, or a name that resolves elsewhere): static membership needs each app host's own address, so give hosts[].address as the address the other hosts reach this one at" >&2
        exit 1
    fi
    echo "warning: $want is not an address of this host (NAT?); using the host's first address instead" >&2
fi
name=$(hostname); short=${name%%.*}
[ -e /etc/hosts.joget-cluster.orig ] || cp -p /etc/hosts /etc/hosts.joget-cluster.orig
t=$(mktemp)
awk -v real="$addr" -v name="$name" -v short="$short" "$fix_hosts" /etc/hosts > "$t"
cat "$t" > /etc/hosts
rm -f "$t"
got=$(getent ahostsv4 "$name" 2>/dev/null | awk 'NR==1 {print $1}')
if [ "$got" != "$addr" ]; then
    echo "after fixing /etc/hosts, $name still resolves to ${got:-nothing}, not $addr: check the hosts line of /etc/nsswitch.conf" >&2
    exit 1
fi
echo "$name resolves to $addr"
