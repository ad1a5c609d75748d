#!/bin/sh
# Defines node_log: a node's Tomcat log of its current run only, as JC lines: active= (the node
# runs), log= (what was read), logerror= (why nothing could be read), started=yes|no (a start
# line was found), loglines=, manager=yes (a clustering session manager started in this run),
# and one member= line per member that came or went in this run, in order. With systemd as PID 1
# the log is the journal of the unit's current invocation, else catalina.out from Tomcat's last
# start. Tomcat's messages are English: the node runs with LANG=C.UTF-8 (NodeLog.swift says which).
# takes: log_unit catalina_out log_pid_file
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
node_scan() {
    awk '
        /Server version name:|Starting service \[/ { started = 1; n = 0; m = 0; manager = 0 }
        !started { next }
        { n++ }
        /Replication member added:|Received member disappeared:/ { member[++m] = substr($0, 1, 400) }
        /Starting clustering manager at|Register manager \[[^]]*\] to cluster element/ { manager = 1 }
        END {
            print "JC started=" (started ? "yes" : "no"); print "JC loglines=" n
            if (manager) print "JC manager=yes"
            for (i = 1; i <= m; i++) print "JC member=" member[i]
        }'
}
node_log() {
    if [ -d /run/systemd/system ]; then
        echo "JC active=$(systemctl is-active "$log_unit" 2>/dev/null)"
        echo "JC log=the journal of $log_unit's current run"
        id=$(systemctl show -p InvocationID --value "$log_unit" 2>/dev/null || true)
        if [ -z "$id" ]; then echo "JC logerror=$log_unit has not run since the host started (no InvocationID)"; return 0; fi
        if ! command -v journalctl >/dev/null 2>&1; then echo 'JC logerror=journalctl is not installed'; return 0; fi
        journalctl -q --no-pager -o cat _SYSTEMD_INVOCATION_ID="$id" 2>/dev/null | node_scan
    else
        if [ -f "$log_pid_file" ] && kill -0 "$(cat "$log_pid_file")" 2>/dev/null; then echo 'JC active=active'; else echo 'JC active=inactive'; fi
        echo "JC log=$catalina_out since Tomcat's last start"
        if [ ! -r "$catalina_out" ]; then echo "JC logerror=$catalina_out does not exist"; return 0; fi
        node_scan < "$catalina_out"
    fi
}
