#!/bin/sh
# verify: with systemd as PID 1, whether each unit the plan enabled on this host is enabled at boot.
# takes: units
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
if [ ! -d /run/systemd/system ]; then echo 'JC systemd=no'; exit 0; fi
echo 'JC systemd=yes'
for u in $units; do echo "JC unit=$u $(systemctl is-enabled "$u" 2>&1 | head -n 1)"; done
