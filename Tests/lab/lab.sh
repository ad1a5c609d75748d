#!/bin/bash
# Rehearsal lab for joget-cluster: six throw-away "hosts" (files, db, app1, app2, lb, app3) on
# this machine, each booting systemd as PID 1 (systemd-nspawn) in its own network namespace over
# an overlay of /, reachable by SSH on a private bridge. Test fixture only. See Tests/lab/README.md.
#
#   lab.sh install            apt-get what the lab and its hosts need (idempotent)
#   lab.sh up                 tear down leftovers, bring the six hosts up, write lab.env/lab.yaml
#                             (LAB_INIT=plain: hosts without systemd, a small reaper as PID 1)
#   lab.sh reboot [--hard] HOST  reboot HOST as an operator would (systemctl reboot), or cut its
#                             power (--hard); back once it boots and sshd answers
#   lab.sh down               stop and remove everything the lab made (except keys and bundle cache)
#   lab.sh status             which hosts are up
#   lab.sh ssh [OPTS] [USER@]HOST [CMD...]  ssh into a host (lab key, lab known_hosts)
#   lab.sh exec HOST CMD...   run CMD inside the host's namespaces without ssh (nsenter)
#   lab.sh link HOST down|up  set the host's network link down or up
#   lab.sh mac HOST MAC       change the MAC address of the host's eth0 (system key tests)
#   lab.sh bundle [--version V] [OUTDIR]  build (cached) the stand-in Joget DX 8 bundle tarball
#                             of version V (default 8.1.6; e.g. 8.1.7 for upgrade tests) and
#                             print its path; with OUTDIR, copy it there and print that path
#   lab.sh clean              down, then also remove keys, bundle cache and the state dir
#
# Environment: JOGET_LAB_DIR (state dir, default /var/tmp/joget-lab), LAB_INIT (systemd|plain).
set -euo pipefail

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${JOGET_LAB_DIR:-/var/tmp/joget-lab}
STATE=${STATE%/}
HOSTS=(files db app1 app2 lb app3)
# app3 is not in the lab's answers: it is there for day-two tests to add a node on.
SPARE_HOSTS=(app3)
SHARED_HOSTS=(app1 app2 app3)
NET=10.213.7
BRIDGE=jlab0
NS_PREFIX=jlab-
VETH_PREFIX=jl-
# The stand-in bundle `up` and `bundle` build: joget-enterprise-linux-$BUNDLE_VERSION.tar.gz.
BUNDLE_VERSION=8.1.6
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

die() { echo "lab: $*" >&2; exit 1; }
say() { echo "lab: $*"; }
need_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }

host_index() {
    local i
    for i in "${!HOSTS[@]}"; do [ "${HOSTS[$i]}" = "$1" ] && { echo "$i"; return; }; done
    die "unknown host '$1' (hosts: ${HOSTS[*]})"
}
host_addr() { echo "$NET.$((11 + $(host_index "$1")))"; }
host_mac() { printf '02:6a:6c:07:00:%02x\n' "$((0x11 + $(host_index "$1")))"; }
host_ns() { echo "$NS_PREFIX$1"; }
host_veth() { echo "$VETH_PREFIX$1"; }

# PID (as seen from the machine) of the host's PID 1, or nothing.
host_pid1() {
    local ns p
    ns=$(host_ns "$1")
    ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$ns" || return 0
    for p in $(ip netns pids "$ns" 2>/dev/null); do
        if awk '/^NSpid:/ { exit !(NF == 3 && $3 == 1) }' "/proc/$p/status" 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
}

# ---------------------------------------------------------------- install
PKGS=(openssh-server mariadb-server apache2 tomcat10 default-jre-headless default-jdk-headless
      libmariadb-java nfs-kernel-server iproute2 unzip zip curl sudo sshpass util-linux perl procps
      systemd systemd-container dbus
      nftables)  # nftables: the firewall rule of the blocked-port check test

cmd_install() {
    need_root
    local missing=() p
    for p in "${PKGS[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} = 0 ]; then
        say "all packages present (${#PKGS[@]})"
        return 0
    fi
    say "installing: ${missing[*]}"
    # Keep Debian's maintainer scripts from starting services on the machine itself.
    local ours=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\n# joget-cluster lab: no service starts during lab.sh install\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        ours=1
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/tmp/joget-lab-apt.log 2>&1 || {
        tail -30 /tmp/joget-lab-apt.log >&2; die "apt-get install failed (log: /tmp/joget-lab-apt.log)"; }
    if [ $ours = 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
    # Belt and braces: if a service did start on the machine anyway, stop it.
    local s
    for s in mariadb apache2 tomcat10 nfs-kernel-server ssh; do
        if [ -x "/etc/init.d/$s" ] && service "$s" status >/dev/null 2>&1; then
            say "stopping $s started by its package on the machine"
            service "$s" stop >/dev/null 2>&1 || true
        fi
    done
    say "installed: ${missing[*]}"
}

# ---------------------------------------------------------------- down
# Kill every process of lab hosts, by pid: members of the lab's network namespaces and
# anything whose root or cwd is inside a lab host's overlay.
lab_pids() {
    local ns p l
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NS_PREFIX" || true); do
        ip netns pids "$ns" 2>/dev/null || true
    done
    for p in /proc/[0-9]*; do
        l=$(readlink "$p/root" 2>/dev/null || true)
        case $l in "$STATE"/hosts/*) echo "${p#/proc/}";; esac
    done
}

cmd_down() {
    need_root
    local removed=() pids n=0 ns l m f
    # Systemd hosts: their power supervisors first, so that nothing boots a host again.
    for f in "$STATE"/run/*.supervisor-pid "$STATE"/run/*.nspawn-pid; do
        [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
        rm -f "$f"
    done
    pids=$(lab_pids | sort -un | grep -vx "$$" || true)
    if [ -n "$pids" ]; then
        n=$(echo "$pids" | wc -w)
        # shellcheck disable=SC2086
        kill -9 $pids 2>/dev/null || true
        for _ in $(seq 50); do
            pids=$(for p in $pids; do if [ -d "/proc/$p" ]; then echo "$p"; fi; done)
            [ -z "$pids" ] && break
            sleep 0.1
        done
        [ -n "$pids" ] && echo "lab: warning: still alive: $pids" >&2
        removed+=("$n processes")
    fi
    # Mounts of the lab on the machine (normally none: the hosts' mounts live in their own
    # mount namespaces and vanish with their last process).
    while read -r m; do
        umount -l "$m" 2>/dev/null && removed+=("mount $m")
    done < <(awk -v s="$STATE/" 'index($5, s) == 1 {print $5}' /proc/self/mountinfo | sort -r)
    for l in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$VETH_PREFIX" || true); do
        ip link del "$l" 2>/dev/null && removed+=("veth $l")
    done
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NS_PREFIX" || true); do
        ip netns del "$ns" 2>/dev/null && removed+=("netns $ns")
    done
    if ip link show "$BRIDGE" >/dev/null 2>&1; then
        ip link del "$BRIDGE" && removed+=("bridge $BRIDGE")
    fi
    if [ -d "$STATE/hosts" ]; then
        local h
        for h in "$STATE"/hosts/*/; do
            [ -d "$h" ] || continue
            rm -rf "$h" && removed+=("host dir ${h%/}")
        done
    fi
    if [ -d "$STATE/shared" ] && [ -n "$(ls -A "$STATE/shared" 2>/dev/null)" ]; then
        rm -rf "${STATE:?}/shared" && removed+=("shared dir contents")
    fi
    rm -rf "$STATE/run"
    for h in "${HOSTS[@]}"; do rm -rf "/run/systemd/nspawn/propagate/$h" "/run/systemd/nspawn/unix-export/$h"; done
    if [ ${#removed[@]} = 0 ]; then
        say "down: nothing to remove"
    else
        say "down: removed ${#removed[@]} item(s):"
        printf '  - %s\n' "${removed[@]}"
    fi
}

# ---------------------------------------------------------------- up
ensure_keys() {
    mkdir -p "$STATE/keys" "$STATE/hostkeys"
    chmod 700 "$STATE/keys"
    [ -f "$STATE/keys/id_ed25519" ] ||
        ssh-keygen -q -t ed25519 -N '' -C "joget-lab" -f "$STATE/keys/id_ed25519"
    local h
    for h in "${HOSTS[@]}"; do
        mkdir -p "$STATE/hostkeys/$h"
        [ -f "$STATE/hostkeys/$h/ssh_host_ed25519_key" ] ||
            ssh-keygen -q -t ed25519 -N '' -C "root@$h" -f "$STATE/hostkeys/$h/ssh_host_ed25519_key"
    done
    : >"$STATE/known_hosts.new"
    for h in "${HOSTS[@]}"; do
        echo "$(host_addr "$h"),$h $(cut -d' ' -f1,2 "$STATE/hostkeys/$h/ssh_host_ed25519_key.pub")" >>"$STATE/known_hosts.new"
    done
    mv "$STATE/known_hosts.new" "$STATE/known_hosts"
}

write_hosts_file() {
    mkdir -p "$STATE/run"
    {
        echo "# rehearsal lab hosts (joget-cluster Tests/lab)"
        echo "127.0.0.1 localhost"
        echo "::1 localhost ip6-localhost ip6-loopback"
        local h
        for h in "${HOSTS[@]}"; do
            if [ "$h" = lb ]; then echo "$(host_addr "$h") $h lb.lab"; else echo "$(host_addr "$h") $h"; fi
        done
    } >"$STATE/run/hosts"
}

random_word() {
    local chars=ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789 w='' i
    for ((i = 0; i < $1; i++)); do w+=${chars:$((SRANDOM % ${#chars})):1}; done
    echo "$w"
}

write_outputs() {
    local bundle=$1 h
    if [ ! -f "$STATE/lab-secrets" ]; then
        # Contains : = # ! and a space (never " #", so YAML readers keep it whole too).
        local pw
        pw="$(random_word 5):Lp=$(random_word 3)#q!$(random_word 2) $(random_word 5)"
        (umask 077; printf '# rehearsal lab secrets (joget-cluster Tests/lab)\ndb-password: %s\n' "$pw" >"$STATE/lab-secrets")
    fi
    chmod 600 "$STATE/lab-secrets"
    {
        echo "# rehearsal lab (joget-cluster Tests/lab): source this file"
        echo "LAB_DIR='$STATE'"
        echo "LAB_KEY='$STATE/keys/id_ed25519'"
        echo "LAB_KNOWN_HOSTS='$STATE/known_hosts'"
        echo "LAB_ANSWERS='$STATE/lab.yaml'"
        echo "LAB_SECRETS='$STATE/lab-secrets'"
        echo "LAB_BUNDLE='$bundle'"
        echo "LAB_SHARED_DIR='$STATE/shared'"
        echo "LAB_SHARED_MOUNT='/opt/joget/shared/wflow'"
        echo "LAB_BRIDGE='$BRIDGE'"
        echo "LAB_BRIDGE_ADDR='$NET.1'"
        echo "LAB_HOSTS='${HOSTS[*]}'"
        for h in "${HOSTS[@]}"; do
            echo "LAB_ADDR_${h^^}='$(host_addr "$h")'"
        done
        echo "LAB_DEPLOY_USER='deploy'"
        echo "LAB_DEPLOY_HOST='app2'"
        echo "LAB_DEPLOY_PASSWORD='deploy-Pw-7#x'"
    } >"$STATE/lab.env"
    {
        echo "# joget-cluster answers for the rehearsal lab (written by Tests/lab/lab.sh up)."
        echo "# The bundle is the lab's stand-in, not Joget. Secrets: $STATE/lab-secrets"
        echo "version: 1"
        echo "cluster: lab"
        echo ""
        echo "hosts:"
        for h in "${HOSTS[@]}"; do
            [[ " ${SPARE_HOSTS[*]} " == *" $h "* ]] && continue
            echo "  - name: $h"
            echo "    address: $(host_addr "$h")"
            echo "    user: root"
            echo "    port: 22"
            echo "    auth: key"
            echo "    keyFile: $STATE/keys/id_ed25519"
            echo "    sudo: root"
        done
        cat <<EOF

sharedFiles:
  provider: existing           # the lab bind-mounts $STATE/shared into app1 and app2
  mountPoint: /opt/joget/shared/wflow

database:
  engine: mariadb
  host: db
  port: 3306
  name: jwedb
  user: joget
  passwordSecret: db-password
  admin: socket

appServers:
  bundle: $bundle
  bundleOn: local
  installDir: /opt/joget
  serviceUser: joget
  uid: 2500
  gid: 2500
  heap: 256m
  httpPort: 8080
  membership: multicast
  multicastAddress: 228.0.0.4
  multicastPort: 45564
  replicationPort: 4000
  nodes:
    - name: node01
      host: app1
    - name: node02
      host: app2

loadBalancer:
  host: lb
  serverName: lb.lab
  httpPort: 80
EOF
    } >"$STATE/lab.yaml"
}

# wait_sshd SECONDS HOST...: until every host's sshd answers, or die with their logs.
wait_sshd() {
    local deadline=$((SECONDS + $1)) h left; shift
    local pending=("$@")
    while [ ${#pending[@]} -gt 0 ]; do
        left=()
        for h in "${pending[@]}"; do
            if ! timeout 1 bash -c "exec 3<>/dev/tcp/$(host_addr "$h")/22; head -c 7 <&3 | grep -q SSH-2.0" 2>/dev/null; then
                left+=("$h")
            fi
        done
        pending=("${left[@]+"${left[@]}"}")
        [ ${#pending[@]} = 0 ] && break
        if [ $SECONDS -ge $deadline ]; then
            for h in "${pending[@]}"; do echo "--- $h init.log:" >&2; tail -n 30 "$STATE/hosts/$h/init.log" >&2 || true; done
            die "hosts not answering on port 22: ${pending[*]}"
        fi
        sleep 0.2
    done
}

# wait_booted HOST...: until systemd in each host has finished booting (running or degraded).
wait_booted() {
    local h s deadline=$((SECONDS + 60))
    for h in "$@"; do
        while :; do
            s=$(host_systemctl "$h" is-system-running 2>/dev/null || true)
            case $s in running|degraded) break ;; esac
            [ $SECONDS -lt $deadline ] || die "$h: systemd did not finish booting in 60 s (state: ${s:-none})"
            sleep 0.2
        done
        [ "$s" = running ] || echo "lab: warning: $h booted $s: $(host_systemctl "$h" --failed --no-legend --plain 2>/dev/null | awk '{print $1}' | tr '\n' ' ')" >&2
    done
}
host_systemctl() { # host_systemctl HOST ARGS...: systemctl inside the host, without ssh
    local p; p=$(host_pid1 "$1"); shift
    [ -n "$p" ] || return 1
    nsenter --target "$p" --mount --uts --net --pid --root --wd env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin systemctl "$@"
}
lab_init() { cat "$STATE/run/init" 2>/dev/null || echo none; }

# ---------------------------------------------------------------- reboot
cmd_reboot() {
    need_root
    local hard=0
    [ "${1:-}" = --hard ] && { hard=1; shift; }
    [ $# = 1 ] || die "usage: lab.sh reboot [--hard] HOST"
    local h=$1 before t0 p
    host_index "$h" >/dev/null
    [ "$(lab_init)" = systemd ] || die "reboot needs systemd hosts (this lab is $(lab_init): lab.sh up without LAB_INIT=plain)"
    p=$(host_pid1 "$h"); [ -n "$p" ] || die "host $h is not up"
    before=$(cat "$STATE/run/$h.boots")
    t0=$(date +%s.%N)
    if [ $hard = 1 ]; then
        # A power cut: every process of the host dies at once, nothing is shut down, and its network
        # goes dark (packets to it are lost, not refused) until it boots again.
        touch "$STATE/run/$h.powercut"
        ip link set "$(host_veth "$h")" down
        kill -9 "$p"
    else
        host_systemctl "$h" reboot
    fi
    local deadline=$((SECONDS + 120)) stuck=$((SECONDS + 45))
    until [ "$(cat "$STATE/run/$h.boots" 2>/dev/null)" != "$before" ] && [ -n "$(host_pid1 "$h")" ]; do
        [ $SECONDS -lt $deadline ] || die "$h did not boot again within 120 s (see $STATE/hosts/$h/init.log)"
        if [ $hard = 0 ] && [ $SECONDS -ge $stuck ]; then
            # Seen here about once in a dozen reboots: systemd inside nspawn stops every unit, then
            # hangs (the machine's cgroup v1 answers EIO to its kills). Keep its journal, then cut the power.
            echo "lab: warning: $h's shutdown hung 45 s after its last unit stopped; cutting its power (journal in init.log)" >&2
            { echo "--- $h: journal of the hung shutdown"; nsenter --target "$p" --mount --pid --root env -i PATH=/usr/bin:/bin journalctl -b --no-pager -n 40 2>&1; } >>"$STATE/hosts/$h/init.log"
            touch "$STATE/run/$h.powercut"
            kill -9 "$p" 2>/dev/null
            stuck=$deadline
        fi
        sleep 0.1
    done
    [ $hard = 1 ] && ip link set "$(host_veth "$h")" up
    wait_sshd 60 "$h"
    wait_booted "$h"
    local took what=rebooted
    took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    [ $hard = 1 ] && what="power cut"
    say "$h: $what; booted again, ssh answers ${took} s later"
}

cmd_up() {
    need_root
    local t0=$SECONDS h init=${LAB_INIT:-systemd}
    case $init in systemd|plain) ;; *) die "LAB_INIT must be systemd or plain, not '$init'" ;; esac
    for c in ip unshare nsenter sshd ssh-keygen perl; do command -v "$c" >/dev/null || die "missing $c: run lab.sh install"; done
    [ "$init" = plain ] || command -v systemd-nspawn >/dev/null || die "missing systemd-nspawn: run lab.sh install"
    cmd_down
    mkdir -p "$STATE/hosts" "$STATE/shared" "$STATE/run"
    chmod 755 "$STATE" "$STATE/shared"
    # As an admin prepares an existing share: owned by the service user's fixed uid/gid (lab.yaml).
    chown 2500:2500 "$STATE/shared"
    ensure_keys
    write_hosts_file
    local bundle
    bundle=$(cmd_bundle_quiet)

    modprobe overlay 2>/dev/null || true
    ip link add "$BRIDGE" type bridge
    ip link set "$BRIDGE" type bridge mcast_snooping 0 stp_state 0 forward_delay 0
    ip addr add "$NET.1/24" dev "$BRIDGE"
    ip link set "$BRIDGE" multicast on up

    for h in "${HOSTS[@]}"; do
        local ns veth addr
        ns=$(host_ns "$h"); veth=$(host_veth "$h"); addr=$(host_addr "$h")
        ip netns add "$ns"
        ip link add "$veth" type veth peer name eth0 netns "$ns"
        ip link set "$veth" master "$BRIDGE" multicast on up
        ip -n "$ns" link set lo up
        ip -n "$ns" link set eth0 address "$(host_mac "$h")"
        ip -n "$ns" addr add "$addr/24" dev eth0
        ip -n "$ns" link set eth0 multicast on up
        ip -n "$ns" route add default via "$NET.1"
        ip -n "$ns" route add 224.0.0.0/4 dev eth0
        mkdir -p "$STATE/hosts/$h/upper" "$STATE/hosts/$h/work" "$STATE/hosts/$h/merged"
        if [ "$init" = plain ]; then
            setsid ip netns exec "$ns" unshare --mount --pid --uts --fork --propagation private \
                bash "$LAB_SRC/lib/host-init.sh" "$h" "$addr" "$STATE" "${SHARED_HOSTS[@]}" \
                </dev/null >"$STATE/hosts/$h/init.log" 2>&1 &
        else
            setsid bash "$LAB_SRC/lib/host-boot.sh" "$h" "$addr" "$STATE" "${SHARED_HOSTS[@]}" \
                </dev/null >"$STATE/hosts/$h/init.log" 2>&1 &
            echo $! >"$STATE/run/$h.supervisor-pid"
        fi
    done
    echo "$init" >"$STATE/run/init"

    wait_sshd 60 "${HOSTS[@]}"

    [ "$init" = plain ] || wait_booted "${HOSTS[@]}"
    write_outputs "$bundle"
    echo
    say "up in $((SECONDS - t0)) s ($init hosts)"
    for h in "${HOSTS[@]}"; do printf '  %-6s %s  (pid1 %s)\n' "$h" "$(host_addr "$h")" "$(host_pid1 "$h")"; done
    echo "  key          $STATE/keys/id_ed25519"
    echo "  known_hosts  $STATE/known_hosts"
    echo "  shared dir   $STATE/shared  -> ${SHARED_HOSTS[*]}:/opt/joget/shared/wflow"
    echo "  bundle       $bundle"
    echo "  secrets      $STATE/lab-secrets"
    echo "  env          $STATE/lab.env"
    echo "  answers      $STATE/lab.yaml"
}

# ---------------------------------------------------------------- status / ssh / exec / link
cmd_status() {
    local h p any=0 sshd
    echo "hosts: $(lab_init)"
    for h in "${HOSTS[@]}"; do
        p=$(host_pid1 "$h")
        if [ -n "$p" ]; then
            any=1
            sshd=down
            timeout 1 bash -c "exec 3<>/dev/tcp/$(host_addr "$h")/22" 2>/dev/null && sshd=up
            printf '%-6s up    %-13s pid1=%-7s sshd=%s link=%s\n' "$h" "$(host_addr "$h")" "$p" "$sshd" \
                "$(ip -n "$(host_ns "$h")" -br link show eth0 2>/dev/null | awk '{print $2}')"
        else
            printf '%-6s down  %s\n' "$h" "$(host_addr "$h")"
        fi
    done
    [ $any = 1 ]
}

ssh_opts() {
    echo -i "$STATE/keys/id_ed25519" -o "UserKnownHostsFile=$STATE/known_hosts" -o StrictHostKeyChecking=yes \
        -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR
}

cmd_ssh() {
    local extra=()
    while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do extra+=("$1"); shift; done
    [ $# -ge 1 ] || die "usage: lab.sh ssh [SSH-OPTIONS] [USER@]HOST [CMD...]"
    local h=$1 user=root; shift
    case $h in *@*) user=${h%%@*}; h=${h#*@} ;; esac
    host_index "$h" >/dev/null
    [ $# = 0 ] && [ -t 0 ] && extra+=(-t)
    # shellcheck disable=SC2046
    exec ssh $(ssh_opts) "${extra[@]+"${extra[@]}"}" "$user@$(host_addr "$h")" "$@"
}

cmd_exec() {
    need_root
    [ $# -ge 2 ] || die "usage: lab.sh exec HOST CMD..."
    local h=$1 p; shift
    host_index "$h" >/dev/null
    p=$(host_pid1 "$h")
    [ -n "$p" ] || die "host $h is not up"
    exec nsenter --target "$p" --mount --uts --net --pid --root --wd \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root TERM="${TERM:-dumb}" "$@"
}

cmd_link() {
    need_root
    if [ $# != 2 ] || { [ "$2" != up ] && [ "$2" != down ]; }; then die "usage: lab.sh link HOST down|up"; fi
    host_index "$1" >/dev/null
    ip link set "$(host_veth "$1")" "$2"
    say "$1: link $2"
}

cmd_mac() {
    need_root
    [ $# = 2 ] || die "usage: lab.sh mac HOST MAC|default"
    local mac=$2
    host_index "$1" >/dev/null
    [ "$mac" = default ] && mac=$(host_mac "$1")
    ip -n "$(host_ns "$1")" link set eth0 address "$mac"
    # Forget the old MAC everywhere, and announce the new one (as a real NIC swap would need).
    local a h
    a=$(host_addr "$1")
    ip neigh flush to "$a" dev "$BRIDGE" 2>/dev/null || true
    for h in "${HOSTS[@]}"; do
        ip -n "$(host_ns "$h")" neigh flush to "$a" 2>/dev/null || true
    done
    ip netns exec "$(host_ns "$1")" arping -q -U -c 1 -I eth0 "$a" 2>/dev/null || true
    say "$1: eth0 MAC is now $mac"
}

# ---------------------------------------------------------------- bundle
# shellcheck source=lib/bundle.sh
. "$LAB_SRC/lib/bundle.sh"

# Build the default version's bundle (what `up` installs from); print only its path.
cmd_bundle_quiet() { build_bundle "$BUNDLE_VERSION" >&2; echo "$BUNDLE_PATH"; }

# cmd_bundle [--version V] [OUTDIR]
cmd_bundle() {
    local version=$BUNDLE_VERSION out=''
    while [ $# -gt 0 ]; do
        case $1 in
            --version) [ $# -ge 2 ] || die "bundle: --version needs a value (e.g. 8.1.7)"; version=$2; shift 2 ;;
            --version=*) version=${1#--version=}; shift ;;
            -*) die "bundle: unknown option '$1' (usage: lab.sh bundle [--version V] [OUTDIR])" ;;
            *) [ -z "$out" ] || die "bundle: one OUTDIR only (usage: lab.sh bundle [--version V] [OUTDIR])"
               out=$1; shift ;;
        esac
    done
    [ $# = 0 ] || die "bundle: one OUTDIR only (usage: lab.sh bundle [--version V] [OUTDIR])"
    if [[ $out =~ ^[0-9]+(\.[0-9]+)+$ ]] && [ ! -d "$out" ]; then
        die "bundle: '$out' looks like a version, not an OUTDIR: lab.sh bundle --version $out [OUTDIR]"
    fi
    build_bundle "$version"
    if [ -n "$out" ]; then
        mkdir -p "$out"
        cp "$BUNDLE_PATH" "$out/"
        BUNDLE_PATH=$(cd "$out" && pwd)/$(basename "$BUNDLE_PATH")
    fi
    echo "$BUNDLE_PATH"
}

cmd_clean() {
    cmd_down
    rm -rf "${STATE:?}"
    say "clean: removed $STATE"
}

main() {
    local cmd=${1:-}
    [ $# -gt 0 ] && shift
    case $cmd in
        install) cmd_install "$@" ;;
        up) cmd_up "$@" ;;
        down) cmd_down "$@" ;;
        status) cmd_status "$@" ;;
        ssh) cmd_ssh "$@" ;;
        exec) cmd_exec "$@" ;;
        link) cmd_link "$@" ;;
        reboot) cmd_reboot "$@" ;;
        mac) cmd_mac "$@" ;;
        bundle) cmd_bundle "$@" ;;
        clean) cmd_clean "$@" ;;
        ''|-h|--help|help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
        *) die "unknown command '$cmd' (try: lab.sh help)" ;;
    esac
}

main "$@"
