#!/bin/sh
# Stops the stand-in listener listen.sh started on the port, if it did, and waits (up to 2 s)
# until it is gone, so the service the plan starts there next finds the port free.
# takes: port
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
pidfile=/run/joget-cluster-check.$port.pid
if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 20 ]; do i=$((i + 1)); sleep 0.1; done
    rm -f "$pidfile"
fi
echo "JC stopped=yes"
