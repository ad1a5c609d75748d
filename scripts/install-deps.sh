#!/usr/bin/env bash
# Installs what joget-cluster needs on Debian 12 / Ubuntu 22.04+ and skips what is there.
#   install-deps.sh run   what the wizard needs (ncurses headers, OpenSSH client)
#   install-deps.sh test  plus the real programs the tests start: sshd, MariaDB, Apache, Tomcat, Java, tmux,
#                         openssl (the TLS checks), and the linters: shellcheck (for every script the plans
#                         hold), graphviz (plan --graph); and ansible-core from PyPI in a venv
#                         (ANSIBLE_VENV, default /tmp/jc-ansible-venv) for the exported playbook's tests
set -euo pipefail
profile=${1:-run}
packages=(libncurses-dev openssh-client)
if [ "$profile" = test ]; then
    packages+=(openssh-server sudo mariadb-server mariadb-client apache2 tomcat10 default-jre-headless
               default-jdk-headless libmariadb-java nfs-kernel-server systemd iproute2 unzip zip curl tmux
               python3-venv procps psmisc util-linux bsdutils systemd-container dbus shellcheck graphviz openssl)
fi
# ansible-core for `export ansible`'s tests, once the packages (python3-venv) are in. Without PyPI
# those tests say "not run" and the lab's Ansible test fails; nothing else depends on it.
ansible_venv() {
    local venv=${ANSIBLE_VENV:-/tmp/jc-ansible-venv}
    [ "$profile" = test ] && [ ! -x "$venv/bin/ansible-playbook" ] || return 0
    echo "Installing ansible-core into $venv"
    { python3 -m venv "$venv" && "$venv/bin/pip" install -q ansible-core; } \
        || echo "ansible-core could not be installed from PyPI: the Ansible export's tests will not run" >&2
}
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { ansible_venv; exit 0; }
echo "Installing: ${missing[*]}"
sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
# Packages must not start their services on this machine: the tests start their own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod 755 /usr/sbin/policy-rc.d
    trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
ansible_venv
