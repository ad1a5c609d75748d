#!/bin/sh
# After the drop-in file setting bind-address is written: restart the database server, and wait
# until it listens on every address. A server that runs but does not answer cannot be stopped
# politely (its init script waits for an answer forever): it is ended first. Follows the
# service helpers.
# takes: port unit init_script
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
listening() { ss -Hltn "sport = :$port" 2>/dev/null | awk '{print $4}' | grep -Eq "^(0\.0\.0\.0|\*|\[::\]):$port\$"; }
answering() { mysqladmin --protocol=tcp -h 127.0.0.1 -P "$port" --connect-timeout=5 ping >/dev/null 2>&1; }
if pgrep -x 'mariadbd|mysqld' >/dev/null && ! answering; then
    echo 'the database server runs but does not answer: ending it before the restart' >&2
    pkill -9 -x mysqld_safe || true
    pkill -9 -x 'mariadbd|mysqld' || true
    sleep 1
fi
svc_restart "$unit" "$init_script"
i=0
until listening; do
    i=$((i + 1))
    if [ $i -ge 60 ]; then echo "the database server does not listen on 0.0.0.0:$port after a restart" >&2; exit 1; fi
    sleep 1
done
echo "listening on 0.0.0.0:$port"
