#!/bin/sh
# Sends a few datagrams holding `word` to the group, from the cluster interface ($addr, set by
# cluster-address.sh first), as Tomcat's membership does.
# takes: group port word
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
perl -MIO::Socket::INET -MSocket=:all -e '
    my ($group, $port, $addr, $word) = @ARGV;
    my $s = IO::Socket::INET->new(Proto => "udp") or do { print "JC sent=cannot open a socket: $!\n"; exit 0 };
    setsockopt($s, IPPROTO_IP, IP_MULTICAST_IF, inet_aton($addr)) or do { print "JC sent=cannot send from $addr: $!\n"; exit 0 };
    my $to = pack_sockaddr_in($port, inet_aton($group));
    for (1 .. 5) { send($s, $word, 0, $to) or do { print "JC sent=$!\n"; exit 0 }; select(undef, undef, undef, 0.1) }
    print "JC sent=yes\n";
' "$group" "$port" "$addr" "$word"
