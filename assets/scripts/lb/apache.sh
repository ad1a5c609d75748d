#!/bin/sh
# Starts Apache, or reloads it gracefully when it runs, then records what it was loaded with.
# Follows the service helpers and lb/apache-state.sh.
# takes: unit init_script apachectl stamp state_dir
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
fp=$(fingerprint)
"$apachectl" configtest
if svc_running "$unit" "$init_script"; then
    if [ -d /run/systemd/system ]; then systemctl enable --quiet "$unit"; systemctl reload "$unit"; else "$apachectl" graceful; fi
    echo 'Apache reloaded'
else
    svc_start "$unit" "$init_script"
    echo 'Apache started'
fi
i=0
until svc_running "$unit" "$init_script"; do
    i=$((i + 1))
    if [ $i -ge 30 ]; then echo 'Apache is not running: see /var/log/apache2/error.log' >&2; exit 1; fi
    sleep 1
done
mkdir -p "$state_dir"
printf '%s\n' "$fp" > "$stamp"
