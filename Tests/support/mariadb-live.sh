#!/bin/sh
# Starts a private MariaDB (data, socket and pid in DIR, TCP on 127.0.0.1:PORT), runs every script
# DIR/steps/*.sh in name order with HOME=DIR, whose .my.cnf points the client at it, prints
# "NAME rc=N" and the script's output for each, then stops the server. Used by RealProgramsTests.
#   mariadb-live.sh DIR PORT
set -eu
dir=$1 port=$2
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
mariadb-install-db --no-defaults --datadir="$dir/data" --user=root --auth-root-authentication-method=socket \
    --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log"; exit 1; }
mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$port" --bind-address=127.0.0.1 \
    --pid-file="$dir/mysqld.pid" --user=root --log-error="$dir/error.log" --skip-log-bin </dev/null >/dev/null 2>&1 &
pid=$!
# The client's option files in /etc/mysql name the system's socket; ~/.my.cnf is read after them.
export HOME="$dir"
printf '[client]\nsocket=%s\n' "$dir/mysqld.sock" > "$dir/.my.cnf"
i=0
until mariadb -N -B -e 'SELECT 1' >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 300 ] || { echo "the private MariaDB did not start"; cat "$dir/error.log"; exit 1; }
    sleep 0.1
done
for s in "$dir"/steps/*.sh; do
    [ -f "$s" ] || continue
    rc=0
    out=$(sh "$s" 2>&1) || rc=$?
    echo "$(basename "$s" .sh) rc=$rc"
    [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/    /'
done
echo done
