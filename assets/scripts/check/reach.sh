#!/bin/sh
# Connects to target:port from this host, as the cluster will: "ok", or why not (refused, timed
# out, no route), within 3 s.
# takes: target port
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
perl -MIO::Socket::INET -e '
    my $s = IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => $ARGV[1], Proto => "tcp", Timeout => 3);
    print "JC reach=", ($s ? "ok" : ($! ? "$!" : "no answer")), "\n";
' "$target" "$port"
