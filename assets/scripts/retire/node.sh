#!/bin/sh
# Retires a node the balancer no longer sends requests to: waits until it serves none (up to
# 60 s), stops it and disables it at boot; with purge=yes removes its folder and unit. Follows
# retire/node-running.sh (running, and its values unit and dir) and lib/wait-quiet.sh.
# takes: node port user unit_path purge
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
wait_quiet "$port" 3 60
echo "$node has served no request for $quiet s"
if [ -d /run/systemd/system ]; then
    systemctl disable --quiet --now "$unit" 2>/dev/null || systemctl stop "$unit" 2>/dev/null || true
elif running; then
    runuser -u "$user" -- "$dir/bin/catalina.sh" stop 60 -force >/dev/null 2>&1 || true
fi
if running; then echo "$node did not stop" >&2; exit 1; fi
echo "$node is stopped and will not start at boot"
if [ "$purge" = yes ]; then
    rm -rf "$dir"
    rm -f "$unit_path"
    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
    echo "removed $dir and $unit_path"
else
    echo "its folder $dir is kept (--purge removes it)"
fi
