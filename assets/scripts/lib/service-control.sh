#!/bin/sh
# svc_start/svc_restart UNIT INITSCRIPT (which also enable the service at boot), after
# lib/service-queries.sh. Without systemd the init script runs in a session of its own (setsid -w
# waits for it), which the step killer leaves alone: a stopped or timed-out step must not signal a
# daemon on its way up (a MariaDB signalled half way through its restart was seen to hang). Its
# output is kept in a file until it ends, so a connection closed meanwhile cannot end it with
# SIGPIPE either. A file left by a step killed with -9 is removed an hour later.
svc_detached() {
    command -v setsid >/dev/null 2>&1 || { "$@"; return; }
    o=$(find /tmp -maxdepth 1 -name 'joget-cluster-svc.*' -mmin +60 -exec rm -rf {} + 2>/dev/null; mktemp /tmp/joget-cluster-svc.XXXXXX); r=0
    setsid -w "$@" >"$o" 2>&1 </dev/null || r=$?
    cat "$o"; rm -f "$o"; return $r
}
svc_start() { if [ -d /run/systemd/system ]; then systemctl enable --quiet "$1" && systemctl start "$1"; else svc_detached service "$2" start; fi; }
svc_restart() { if [ -d /run/systemd/system ]; then systemctl enable --quiet "$1" && systemctl restart "$1"; else svc_detached service "$2" restart; fi; }
