#!/bin/sh
# Defines stop_node: stops a node, its unit where systemd runs (it stays enabled), else Tomcat's
# own stop, then any Tomcat of its folder still running.
# takes: node_unit node_dir node_user node_pid_file
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
stop_node() {
    if [ -d /run/systemd/system ]; then
        systemctl stop "$node_unit"
    else
        if [ -f "$node_pid_file" ]; then
            runuser -u "$node_user" -- "$node_dir/bin/catalina.sh" stop 60 -force >/dev/null 2>&1 || true
        fi
        left=$(pgrep -f "[c]atalina.base=$node_dir " || true)
        # shellcheck disable=SC2086 # process ids, split on purpose
        if [ -n "$left" ]; then kill $left 2>/dev/null || true; sleep 5; kill -9 $left 2>/dev/null || true; fi
    fi
}
