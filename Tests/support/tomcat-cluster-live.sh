#!/bin/sh
# Starts two Tomcats (Debian's tomcat10, CATALINA_BASE given, each with its conf/server.xml and a
# webapps/jw.war serving /jw/counter), waits until they see each other, then counts in one session
# across both nodes: node1, node2, node1. Prints result lines; stops both on exit.
# Used by RealProgramsTests.
#   tomcat-cluster-live.sh BASE1 HTTP_PORT1 BASE2 HTTP_PORT2
set -eu
b1=$1 p1=$2 b2=$3 p2=$4
pids=
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    for p in $pids; do
        i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
start() {
    CATALINA_HOME=/usr/share/tomcat10 CATALINA_BASE=$1 CATALINA_PID=$1/temp/tomcat.pid \
        JAVA_OPTS=-Djava.net.preferIPv4Stack=true CATALINA_OPTS= \
        /usr/share/tomcat10/bin/catalina.sh run >"$1/logs/catalina.out" 2>&1 </dev/null &
    pids="$pids $!"
}
wait_port() {
    i=0
    until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; do
        i=$((i + 1)); [ $i -lt 600 ] || { echo "nothing answers on port $1"; return 1; }
        sleep 0.1
    done
}
# One after the other, as the plan starts nodes: two nodes starting together each wait up to 60 s
# for the other's session state (DeltaManager's state transfer).
start "$b1"
wait_port "$p1" || { cat "$b1/logs/catalina.out"; exit 1; }
start "$b2"
wait_port "$p2" || { cat "$b2/logs/catalina.out"; exit 1; }
# The patterns the plan's cluster-check step looks for.
manager='Starting clustering manager at|Register manager \[[^]]*\] to cluster element'
i=0
until grep -q 'Replication member added' "$b1/logs/catalina.out" && grep -q 'Replication member added' "$b2/logs/catalina.out" \
        && grep -Eq "$manager" "$b1/logs/catalina.out" && grep -Eq "$manager" "$b2/logs/catalina.out"; do
    i=$((i + 1)); [ $i -lt 600 ] || break
    sleep 0.1
done
# The logs as they are while both nodes run, for the members check's reading (before the stop's lines).
for b in "$b1" "$b2"; do cp "$b/logs/catalina.out" "$b/logs/catalina.out.running"; done
for n in 1 2; do
    eval "b=\$b$n"
    grep -Eq "$manager" "$b/logs/catalina.out" && echo "node$n clustering-manager" || echo "node$n no-clustering-manager"
    grep -q 'Replication member added' "$b/logs/catalina.out" && echo "node$n member-added" || echo "node$n no-member"
done
jar=$(mktemp)
count() { curl -s --max-time 20 -c "$jar" -b "$jar" "http://127.0.0.1:$1/jw/counter"; }
echo "first $(count "$p1")"; sleep 1
echo "second $(count "$p2")"; sleep 1
echo "third $(count "$p1")"
rm -f "$jar"
echo done
