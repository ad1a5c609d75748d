#!/bin/sh
# Installs the packages in $pkgs with apt. Follows select-packages.sh.
# takes:
# shellcheck disable=SC2154 # $pkgs is set by select-packages.sh, which runs first
echo "installing: $pkgs"
DEBIAN_FRONTEND=noninteractive; export DEBIAN_FRONTEND
# An install stopped half way leaves dpkg refusing to go on until this runs.
dpkg --configure -a
# Another apt (unattended-upgrades at boot) may hold the lock for a while.
apt-get -q -o DPkg::Lock::Timeout=300 update
# shellcheck disable=SC2086 # $pkgs is a list of names, split on purpose
apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends $pkgs
