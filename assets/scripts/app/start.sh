#!/bin/sh
# Starts the node (restarts it when it runs: its configuration changed) and waits until it
# answers, then records what it was started with. Follows app/node-state.sh (its functions and
# values: unit, user, pid_file, port).
# takes: node dir stamp state_dir ready_path
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
fp=$(fingerprint)
if [ -d /run/systemd/system ]; then
    if running; then systemctl restart "$unit"; else systemctl start "$unit"; fi
else
    echo "warning: no systemd on this host: Tomcat for $node is started directly, and NOTHING restarts it after a reboot" >&2
    if running; then
        runuser -u "$user" -- "$dir/bin/catalina.sh" stop 60 -force >/dev/null 2>&1 || true
    fi
    # A Tomcat of this node left by an interrupted start (a killed run) may hold its ports
    # without a usable pid file: end it, or startup.sh refuses or the new one cannot bind.
    left=$(pgrep -f "[c]atalina.base=$dir " || true)
    if [ -n "$left" ]; then
        echo "stopping a Tomcat of $node left by an interrupted start: $left"
        # shellcheck disable=SC2086 # process ids, split on purpose
        { kill $left 2>/dev/null || true; sleep 5; kill -9 $left 2>/dev/null || true; }
    fi
    rm -f "$pid_file"
    # The locale the unit gives the node (LANG=C.UTF-8), not the one this session brought.
    runuser -u "$user" -- env -u LC_ALL -u LC_CTYPE LANG=C.UTF-8 setsid "$dir/bin/startup.sh" </dev/null
fi
i=0
until answers; do
    if ! running; then
        echo "Tomcat for $node stopped while starting: see $dir/logs/ (and journalctl -u $unit)" >&2
        exit 1
    fi
    i=$((i + 5))
    if [ $i -ge 840 ]; then
        echo "Tomcat for $node does not answer on port $port after 14 minutes: see $dir/logs/" >&2
        exit 1
    fi
    sleep 5
done
# The balancer's health check asks for the ready file every second: once it is served, 2 s more
# and the balancer sends the node requests again, before the next node's start stops that one.
i=0
until curl -sf -o /dev/null --max-time 5 "http://127.0.0.1:$port$ready_path"; do
    i=$((i + 1))
    if [ $i -ge 60 ]; then echo "$node answers, but not on $ready_path: the balancer would not send it requests" >&2; exit 1; fi
    sleep 1
done
sleep 2
mkdir -p "$state_dir"
printf '%s\n' "$fp" > "$stamp"
echo "$node answers on port $port"
