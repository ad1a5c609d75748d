#!/bin/sh
# After the unit file is written: systemd reads it and starts the node at boot. Without systemd as
# PID 1 (some containers) the unit is not used, and the operator is told so.
# takes: unit
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable --quiet "$unit"
    echo "$unit is enabled at boot"
else
    echo "warning: this host does not run systemd, so $unit is not used: Tomcat is started directly and NOTHING restarts it after a reboot" >&2
fi
