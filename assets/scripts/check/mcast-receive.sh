#!/bin/sh
# Before a multicast test: joins the group on the cluster interface ($addr, set by
# cluster-address.sh first) and writes what it receives, for at most `seconds`, to a file that
# mcast-result.sh reads.
# takes: group port seconds
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
got=/run/joget-cluster-check.mcast
rm -f "$got" "$got.pid"
perl -MIO::Socket::INET -MSocket=:all -MPOSIX=setsid -e '
    my ($group, $port, $addr, $seconds, $got) = @ARGV;
    my $s = IO::Socket::INET->new(Proto => "udp", LocalPort => $port, ReuseAddr => 1)
        or do { print "JC receiver=cannot listen on udp $port: $!\n"; exit 0 };
    setsockopt($s, IPPROTO_IP, IP_ADD_MEMBERSHIP, pack_ip_mreq(inet_aton($group), inet_aton($addr)))
        or do { print "JC receiver=cannot join $group on $addr: $!\n"; exit 0 };
    my $pid = fork() // do { print "JC receiver=cannot fork: $!\n"; exit 0 };
    if ($pid) { if (open(my $f, ">", "$got.pid")) { print $f "$pid\n"; close $f } print "JC receiver=started\n"; exit 0 }
    setsid(); open(STDIN, "<", "/dev/null"); open(STDOUT, ">", "/dev/null"); open(STDERR, ">", "/dev/null");
    alarm $seconds;
    while (defined $s->recv(my $data, 512)) { if (open(my $f, ">>", $got)) { print $f "$data\n"; close $f } }
' "$group" "$port" "$addr" "$seconds" "$got"
