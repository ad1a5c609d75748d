# shellcheck shell=bash
# Rehearsal lab: the files that make a lab host's root its own, written into the host's overlay
# before it starts (sourced by host-init.sh for plain hosts and host-boot.sh for systemd hosts).
#
#   prepare_host_root HOST ADDR STATEDIR ROOT
#
# Hostname, /etc/hosts naming every lab host, no DNS, sshd with the host's own key (root by the lab
# key only), on app2 a user `deploy` whose sudo asks for a password, and on the app servers a
# system locale that is not UTF-8.
prepare_host_root() {
    local h=$1 addr=$2 state=$3 m=$4
    echo "$h" >"$m/etc/hostname"
    cp "$state/run/hosts" "$m/etc/hosts"
    rm -f "$m/etc/resolv.conf"
    printf '# rehearsal lab host %s: no DNS, names come from /etc/hosts\noptions timeout:1 attempts:1\n' "$h" >"$m/etc/resolv.conf"
    printf '%s\n' "$h" >"$m/etc/lab-host"

    rm -f "$m"/etc/ssh/ssh_host_*_key "$m"/etc/ssh/ssh_host_*_key.pub
    install -m 600 "$state/hostkeys/$h/ssh_host_ed25519_key" "$m/etc/ssh/ssh_host_ed25519_key"
    install -m 644 "$state/hostkeys/$h/ssh_host_ed25519_key.pub" "$m/etc/ssh/ssh_host_ed25519_key.pub"
    mkdir -p "$m/etc/ssh/sshd_config.d"
    cat >"$m/etc/ssh/sshd_config.d/00-lab.conf" <<CONF
# rehearsal lab host $h
ListenAddress $addr
ListenAddress 127.0.0.1
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication yes
KbdInteractiveAuthentication no
UseDNS no
MaxStartups 100:30:200
MaxSessions 50
CONF
    install -d -m 700 "$m/root/.ssh"
    install -m 600 "$state/keys/id_ed25519.pub" "$m/root/.ssh/authorized_keys"

    # App servers with LANG=C, which services and logins get: Tomcat must run in UTF-8 all the same.
    # (A locale left unset would not do: systemd 252 then gives services C.UTF-8 by itself.)
    case $h in app*) printf '# rehearsal lab: a system locale that is not UTF-8\nLANG=C\n' >"$m/etc/default/locale" ;; esac

    if [ "$h" = app2 ]; then
        chroot "$m" /usr/sbin/useradd -m -s /bin/bash -G sudo deploy
        echo 'deploy:deploy-Pw-7#x' | chroot "$m" /usr/sbin/chpasswd
        local uid gid
        uid=$(chroot "$m" id -u deploy); gid=$(chroot "$m" id -g deploy)
        install -d -m 700 -o "$uid" -g "$gid" "$m/home/deploy/.ssh"
        install -m 600 -o "$uid" -g "$gid" "$state/keys/id_ed25519.pub" "$m/home/deploy/.ssh/authorized_keys"
    fi
}
