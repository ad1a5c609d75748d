#!/bin/sh
# Defines running: the retired node's Tomcat runs (its unit, else a Tomcat of its folder).
# takes: unit dir
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
running() {
    if [ -d /run/systemd/system ]; then systemctl is-active --quiet "$unit"
    else pgrep -f "[c]atalina.base=$dir " >/dev/null; fi
}
