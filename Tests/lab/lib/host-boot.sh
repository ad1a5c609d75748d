#!/bin/bash
# Rehearsal lab: one lab host that boots systemd as PID 1 (systemd-nspawn), and its power switch.
# Started in the background by lab.sh up as:
#   host-boot.sh HOST ADDR STATEDIR SHAREDHOST...
# It mounts the host's disk (an overlay of /, upper under STATEDIR/hosts/HOST) once, prepares the
# host's files as a fresh server has them, then boots it in the host's network namespace. When the
# host reboots (nspawn exits 133) or the lab cut its power (STATEDIR/run/HOST.powercut), it boots
# it again on the same disk, with a fresh /run and /tmp; any other end of nspawn ends this script.
set -euo pipefail

h=$1 addr=$2 state=$3
shift 3
hd=$state/hosts/$h
m=$hd/merged
run=$state/run

say() { echo "[host-boot $h $(date +%T)] $*"; }

mount -t overlay "lab-$h" -o "lowerdir=/,upperdir=$hd/upper,workdir=$hd/work" "$m"

# shellcheck source=Tests/lab/lib/host-files.sh
. "$(dirname "${BASH_SOURCE[0]}")/host-files.sh"
prepare_host_root "$h" "$addr" "$state" "$m"

# Its own machine id, stable across reboots, as an installed server has.
printf '%s\n' "$(printf 'joget-lab-%s' "$h" | md5sum | cut -c1-32)" >"$m/etc/machine-id"

# A fresh server runs only what its own install enabled: of the services the machine image enables
# at boot, keep ssh and the boot's own plumbing; the plan is what enables MariaDB, Apache, Tomcat.
keep=' ssh.service remote-fs.target e2scrub_reap.service machines.target cron.service rsyslog.service '
for link in "$m"/etc/systemd/system/multi-user.target.wants/*; do
    [ -e "$link" ] || [ -L "$link" ] || continue
    case $keep in *" $(basename "$link") "*) ;; *) rm -f "$link"; say "not started at boot: $(basename "$link")" ;; esac
done
rm -f "$m"/etc/systemd/system/sockets.target.wants/rpcbind.socket \
      "$m"/etc/systemd/system/remote-fs.target.wants/nfs-client.target \
      "$m"/etc/systemd/system/timers.target.wants/apt-daily*.timer

# Root's user manager lingers, as on a server its admin logs in to all day: without it, each SSH
# login starts and stops user@0.service, which this machine's cgroup v1 makes slow (EIO on kills).
mkdir -p "$m/var/lib/systemd/linger"
touch "$m/var/lib/systemd/linger/root"

binds=()
for s in "$@"; do
    if [ "$s" = "$h" ]; then
        # The shared directory: a bind mount stands in for NFS, which this kernel lacks.
        mkdir -p "$m/opt/joget/shared/wflow"
        binds+=("--bind=$state/shared:/opt/joget/shared/wflow")
    fi
done

boots=0
while :; do
    boots=$((boots + 1))
    rm -f "$run/$h.powercut"
    date +%s.%N >"$run/$h.boot-began"
    say "boot $boots"
    # The state dir is hidden inside the host (an empty tmpfs over it); /tmp is fresh at each boot.
    systemd-nspawn --quiet -D "$m" -M "$h" --boot --register=no --keep-unit --console=passive \
        --link-journal=no --resolv-conf=off --timezone=off \
        --network-namespace-path="/run/netns/jlab-$h" \
        --tmpfs="$state" --tmpfs=/tmp "${binds[@]+"${binds[@]}"}" &
    echo $! >"$run/$h.nspawn-pid"
    echo "$boots" >"$run/$h.boots"
    rc=0; wait $! || rc=$?
    if [ $rc = 133 ]; then say "rebooted"; continue; fi
    if [ -e "$run/$h.powercut" ]; then say "power cut (nspawn exit $rc)"; continue; fi
    say "stopped (nspawn exit $rc)"
    break
done
