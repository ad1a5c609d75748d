#!/bin/sh
# Defines running (the node's Tomcat runs: its unit, else its pid file), answers (it answers HTTP
# on its port) and fingerprint (what it was, or would be, started with: small files by content,
# jw.war by size and time; the datasource files read as the service user).
# takes: unit pid_file port setenv server_xml war user ds_profile ds_settings unit_path
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
running() {
    if [ -d /run/systemd/system ]; then systemctl is-active --quiet "$unit"
    else [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; fi
}
answers() { curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$port/"; }
fingerprint() {
    {
        sha256sum "$setenv" "$server_xml" 2>&1
        stat -c '%s %Y' "$war" 2>&1
        runuser -u "$user" -- sha256sum "$ds_profile" "$ds_settings" 2>&1
        if [ -d /run/systemd/system ]; then sha256sum "$unit_path" 2>&1; fi
    } | sha256sum | cut -d ' ' -f 1
}
