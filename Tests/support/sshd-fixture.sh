#!/bin/bash
# Private sshd servers on 127.0.0.1 for the transport tests and the step-overhead benchmark.
# Test fixture only: never touches the machine's /etc/ssh/sshd_config or its sshd.
#
#   sshd-fixture.sh start   install openssh-server + sudo if missing, create the test users,
#                           start the two servers (idempotent: a running fixture is left alone)
#   sshd-fixture.sh env     print KEY=VALUE lines for the tests (raw values, NOT shell-quoted:
#                           the password holds quotes, $( ), backticks; split at the first '=')
#   sshd-fixture.sh stop    stop both servers, remove the users, sudoers files and the state dir
#   sshd-fixture.sh status  exit 0 when the fixture runs
#
# Server A (port JC_SSHD_PORT, default 22222) is the normal one. Server B (default 22223) has
# other host keys: a known_hosts entry with A's key under B's name simulates a changed host key.
# Users: jctest (key login, sudo NOPASSWD), jcpass (password login, for this user only, and sudo
# that always asks for the password: timestamp_timeout=0).
# Environment: JC_SSHD_STATE (default /tmp/jc-sshd-fixture), JC_SSHD_PORT, JC_SSHD_PORT_B.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

STATE=${JC_SSHD_STATE:-/tmp/jc-sshd-fixture}
STATE=${STATE%/}
PORT=${JC_SSHD_PORT:-22222}
PORT_B=${JC_SSHD_PORT_B:-22223}
KEY_USER=jctest
PASS_USER=jcpass
# Hostile on purpose: quotes, command substitution, backticks, ;, backslash, non-ASCII, a leading --.
# No ':' (chpasswd's separator) and no newline (a password is one line).
PASSWORD='--pa'"'"'ss "w$(touch /tmp/jc-canary-pw)`touch /tmp/jc-canary-bt`;\ü€ x'
SUDOERS=/etc/sudoers.d/jc-sshd-fixture

log() { printf 'sshd-fixture: %s\n' "$*" >&2; }

install_packages() {
    local missing=()
    command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
    command -v sudo >/dev/null 2>&1 || missing+=(sudo)
    command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
        apt-get update -q >/dev/null
        apt-get install -y -q "${missing[@]}" >/dev/null
    fi
}

ensure_users() {
    id "$KEY_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$KEY_USER"
    id "$PASS_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$PASS_USER"
    printf '%s:%s\n' "$PASS_USER" "$PASSWORD" | chpasswd
    # A locked or password-less key user cannot log in with UsePAM no: give it an unusable password.
    usermod -p '*' "$KEY_USER"
    # The key in the user's own ~/.ssh (readable whatever the mode of the state dir's parents).
    local home
    home=$(getent passwd "$KEY_USER" | cut -d: -f6)
    install -d -m 0700 -o "$KEY_USER" -g "$KEY_USER" "$home/.ssh"
    install -m 0600 -o "$KEY_USER" -g "$KEY_USER" "$STATE/id_$KEY_USER.pub" "$home/.ssh/authorized_keys"
    local tmp
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
# joget-cluster test fixture (Tests/support/sshd-fixture.sh); removed by 'stop'
$KEY_USER ALL=(ALL) NOPASSWD: ALL
Defaults:$PASS_USER timestamp_timeout=0
$PASS_USER ALL=(ALL) ALL
EOF
    chmod 0440 "$tmp"
    visudo -cqf "$tmp" >/dev/null
    mv -f "$tmp" "$SUDOERS"
}

make_state() {
    mkdir -p "$STATE/a" "$STATE/b"
    chmod 0755 "$STATE"
    [ -f "$STATE/a/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C fixture-a -f "$STATE/a/ssh_host_ed25519_key"
    [ -f "$STATE/b/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C fixture-b -f "$STATE/b/ssh_host_ed25519_key"
    [ -f "$STATE/id_$KEY_USER" ] || ssh-keygen -q -t ed25519 -N '' -C "$KEY_USER@fixture" -f "$STATE/id_$KEY_USER"
    printf '%s\n' "$PASSWORD" >"$STATE/password"
    chmod 0600 "$STATE/password"
    mkdir -p /run/sshd
    chmod 0755 /run/sshd
    local which port
    for which in a b; do
        if [ "$which" = a ]; then port=$PORT; else port=$PORT_B; fi
        cat >"$STATE/$which/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $STATE/$which/ssh_host_ed25519_key
PidFile $STATE/$which/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
StrictModes yes
UsePAM no
PermitRootLogin no
AllowUsers $KEY_USER $PASS_USER
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitEmptyPasswords no
MaxSessions 64
MaxStartups 100:30:200
LogLevel VERBOSE
Subsystem sftp internal-sftp
Match User $PASS_USER
    PasswordAuthentication yes
EOF
    done
}

running() { # $1 = a|b
    local pidfile="$STATE/$1/sshd.pid"
    [ -f "$pidfile" ] || return 1
    local pid
    pid=$(cat "$pidfile" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q sshd "/proc/$pid/cmdline" 2>/dev/null
}

start_one() { # $1 = a|b, $2 = port
    running "$1" && return 0
    /usr/sbin/sshd -t -f "$STATE/$1/sshd_config"
    /usr/sbin/sshd -f "$STATE/$1/sshd_config" -E "$STATE/$1/sshd.log"
    local i
    for i in $(seq 1 100); do
        if ssh-keyscan -T 1 -p "$2" 127.0.0.1 >/dev/null 2>&1; then return 0; fi
        sleep 0.05
    done
    log "sshd $1 did not come up on port $2"; tail -5 "$STATE/$1/sshd.log" >&2 || true
    return 1
}

fingerprint() { ssh-keygen -lf "$STATE/$1/ssh_host_ed25519_key.pub" | awk '{print $2}'; }

write_known_hosts() {
    printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$STATE/a/ssh_host_ed25519_key.pub")" >"$STATE/known_hosts"
    chmod 0644 "$STATE/known_hosts"
}

cmd_start() {
    [ "$(id -u)" = 0 ] || { log "must run as root"; exit 1; }
    install_packages
    make_state
    ensure_users
    write_known_hosts
    start_one a "$PORT"
    start_one b "$PORT_B"
}

cmd_env() {
    cat <<EOF
JC_SSHD_HOST=127.0.0.1
JC_SSHD_PORT=$PORT
JC_SSHD_PORT_B=$PORT_B
JC_SSHD_STATE=$STATE
JC_SSHD_KEY_USER=$KEY_USER
JC_SSHD_KEY=$STATE/id_$KEY_USER
JC_SSHD_KNOWN_HOSTS=$STATE/known_hosts
JC_SSHD_FINGERPRINT=$(fingerprint a)
JC_SSHD_FINGERPRINT_B=$(fingerprint b)
JC_SSHD_PASS_USER=$PASS_USER
JC_SSHD_PASSWORD_FILE=$STATE/password
JC_SSHD_PASSWORD=$PASSWORD
EOF
}

kill_pidfile() {
    local pidfile=$1 pid
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q sshd "/proc/$pid/cmdline" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

cmd_stop() {
    kill_pidfile "$STATE/a/sshd.pid"
    kill_pidfile "$STATE/b/sshd.pid"
    # Sessions of the throw-away users (their sshd children, shells, sleeps), by pid.
    local user pids
    for user in "$KEY_USER" "$PASS_USER"; do
        if id "$user" >/dev/null 2>&1; then
            pids=$(pgrep -u "$user" || true)
            [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true
            userdel -r "$user" >/dev/null 2>&1 || userdel "$user" >/dev/null 2>&1 || true
        fi
    done
    rm -f "$SUDOERS"
    rm -rf "$STATE"
}

case "${1:-}" in
    start) cmd_start ;;
    env) cmd_env ;;
    stop) cmd_stop ;;
    status) running a && running b ;;
    *) echo "usage: $0 start|env|stop|status" >&2; exit 2 ;;
esac
