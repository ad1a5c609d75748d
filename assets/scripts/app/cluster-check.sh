#!/bin/sh
# Waits until the node's log of its current run shows a clustering session manager and every
# other node present (up to 2 minutes); fails saying which is missing. Only the current run's
# lines count: earlier runs' say nothing of now. Follows app/node-log.sh.
# takes: node peers network present_awk
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
log=$(node_log)
where=$(printf '%s\n' "$log" | sed -n 's/^JC log=//p')
why=$(printf '%s\n' "$log" | sed -n 's/^JC logerror=//p')
if [ -n "$why" ]; then echo "cannot read $where: $why" >&2; exit 1; fi
if ! printf '%s\n' "$log" | grep -q '^JC started=yes'; then
    echo "$where has no line of Tomcat's start: this run's lines cannot be told from earlier runs'" >&2
    exit 1
fi
if ! printf '%s\n' "$log" | grep -q '^JC manager=yes'; then
    echo "Tomcat for $node did not start a clustering session manager: sessions are not replicated. Look for <distributable/> in jw.war's WEB-INF/web.xml and for warnings of the webapp step" >&2
    exit 1
fi
echo 'clustering session manager started'
[ "$peers" -gt 0 ] || exit 0
others="other node"; [ "$peers" = 1 ] || others="other nodes"
# Every other node present now: added, less those that disappeared since.
present() { node_log | awk "$present_awk"; }
i=0
until [ "$(present)" -ge "$peers" ]; do
    i=$((i + 5))
    if [ $i -ge 120 ]; then
        echo "Tomcat for $node sees $(present) of the $peers $others after 2 minutes: check the $network network between the app servers" >&2
        exit 1
    fi
    sleep 5
done
echo "the $peers $others joined the cluster"
