#!/bin/sh
# svc_running/svc_enabled UNIT INITSCRIPT: systemd when it is PID 1, else `service`. Read-only, for
# checks; need_running/need_enabled are the same conditions, saying why they fail.
svc_running() { if [ -d /run/systemd/system ]; then systemctl is-active --quiet "$1"; else service "$2" status >/dev/null 2>&1; fi; }
svc_enabled() { if [ -d /run/systemd/system ]; then systemctl is-enabled --quiet "$1"; else return 0; fi; }
need_running() { svc_running "$1" "$2" || { printf '%s is not running\n' "$1" >&2; return 1; }; }
need_enabled() { svc_enabled "$1" "$2" || { printf '%s is not enabled at boot\n' "$1" >&2; return 1; }; }
