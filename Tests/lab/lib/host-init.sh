#!/bin/bash
# Rehearsal lab: runs as PID 1 of one lab host's new PID namespace, inside the
# host's own network namespace and a fresh (private) mount + UTS namespace.
# Started by lab.sh up as:
#   ip netns exec jlab-HOST unshare --mount --pid --uts --fork --propagation private \
#       bash host-init.sh HOST ADDR STATEDIR SHAREDHOST...
# It mounts an overlay of / (lower=/, upper under STATEDIR/hosts/HOST), prepares the
# host's files, chroots into the overlay and turns into a tiny reaper that runs sshd -D.
set -euo pipefail

h=$1 addr=$2 state=$3
hd=$state/hosts/$h
m=$hd/merged

say() { echo "[host-init $h] $*"; }

hostname "$h"

mount -t overlay "lab-$h" -o "lowerdir=/,upperdir=$hd/upper,workdir=$hd/work" "$m"

# Kernel file systems of the host's own namespaces.
mount -t proc proc "$m/proc"
mount -t sysfs -o ro sysfs "$m/sys"          # sysfs of this network namespace
mount -t tmpfs -o mode=755,size=64m devtmp "$m/dev"
for spec in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r n ma mi <<<"$spec"
    mknod -m 666 "$m/dev/$n" c "$ma" "$mi"
done
mkdir -p "$m/dev/pts" "$m/dev/shm" "$m/dev/mqueue"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$m/dev/pts"
ln -s pts/ptmx "$m/dev/ptmx"
mount -t tmpfs -o mode=1777,size=256m shm "$m/dev/shm"
ln -s /proc/self/fd "$m/dev/fd"
ln -s /proc/self/fd/0 "$m/dev/stdin"
ln -s /proc/self/fd/1 "$m/dev/stdout"
ln -s /proc/self/fd/2 "$m/dev/stderr"
ln -s /proc/kcore "$m/dev/core" 2>/dev/null || true

# Writable, empty, host-private /tmp and /run (/var/run is a symlink to /run on Debian).
mount -t tmpfs -o mode=1777,size=512m tmp "$m/tmp"
mount -t tmpfs -o mode=755,size=64m run "$m/run"
mkdir -p "$m/run/sshd" "$m/run/lock"
chmod 1777 "$m/run/lock"
chmod 0755 "$m/run/sshd"
if [ ! -L "$m/var/run" ]; then
    mkdir -p "$m/var/run"
    mount --bind "$m/run" "$m/var/run"
fi

# Host identity, sshd, the deploy user (shared with systemd hosts).
# shellcheck source=Tests/lab/lib/host-files.sh
. "$(dirname "${BASH_SOURCE[0]}")/host-files.sh"
prepare_host_root "$h" "$addr" "$state" "$m"

# app hosts: the shared directory (a bind mount stands in for NFS, which this kernel lacks).
shift 3
for sh in "$@"; do
    if [ "$sh" = "$h" ]; then
        mkdir -p "$m/opt/joget/shared/wflow"
        mount --bind "$state/shared" "$m/opt/joget/shared/wflow"
        say "shared dir bound at /opt/joget/shared/wflow"
    fi
done

# Hide the lab's state directory (keys, other hosts' upper dirs) from inside the host.
mount -t tmpfs -o ro,mode=755,size=1m hidden "$m$state"

say "overlay ready at $m; starting sshd"
cd "$m"
# From here on: chrooted. PID 1 is a small Perl reaper (orphans such as a Tomcat started
# with startup.sh or a mariadbd started with "service" are re-parented to it).
# shellcheck disable=SC2016 # a perl script: its $ are perl's
exec chroot "$m" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 HOME=/root /usr/bin/perl -e '
        $0 = "lab-init";
        $SIG{TERM} = sub { kill "TERM", -1; exit 0 };
        my $sshd = fork();
        if (defined $sshd && $sshd == 0) { exec @ARGV; die "exec sshd: $!" }
        while (1) { my $w = wait(); sleep 1 if $w == -1 }
    ' /usr/sbin/sshd -D -e
