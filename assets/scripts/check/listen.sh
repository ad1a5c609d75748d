#!/bin/sh
# Before a reach test: something must answer on the port. A service already listening there (an
# installed cluster) answers for itself (the port is taken); else a stand-in listener is started
# in the background for at most `seconds`, accepting and closing connections, until unlisten.sh
# stops it. Perl is on every Debian and Ubuntu (perl-base is essential); nothing is installed.
# takes: port seconds
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
pidfile=/run/joget-cluster-check.$port.pid
perl -MIO::Socket::INET -MPOSIX=setsid -e '
    my ($port, $seconds, $pidfile) = @ARGV;
    my $s = IO::Socket::INET->new(LocalPort => $port, Listen => 64, ReuseAddr => 1, Proto => "tcp")
        or do { print "JC listener=", ($!{EADDRINUSE} ? "service" : "cannot listen on $port: $!"), "\n"; exit 0 };
    my $pid = fork() // do { print "JC listener=cannot fork: $!\n"; exit 0 };
    if ($pid) { if (open(my $f, ">", $pidfile)) { print $f "$pid\n"; close $f } print "JC listener=started\n"; exit 0 }
    setsid(); open(STDIN, "<", "/dev/null"); open(STDOUT, ">", "/dev/null"); open(STDERR, ">", "/dev/null");
    alarm $seconds;
    while (my $c = $s->accept) { close $c }
' "$port" "$seconds" "$pidfile"
