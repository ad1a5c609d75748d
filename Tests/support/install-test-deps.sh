#!/bin/sh
# Installs the programs the "real programs" tests of ClusterCoreTests run: Apache httpd (apachectl -t
# and a live balancer), Tomcat 10 (catalina.sh configtest and a two-node session replication test),
# a JDK (java.util.Properties read-back through single-file source launch), systemd-analyze,
# python3 (stand-in backends), curl, unzip/zip, iproute2 (a private network namespace).
# Debian/Ubuntu, as root. Packages already present are left alone; services that the packages start
# on this machine are stopped again, since the tests run their own private instances.
set -eu
pkgs="apache2 tomcat10 default-jdk-headless systemd python3 curl unzip zip iproute2 util-linux"
missing=
for p in $pkgs; do
    if ! dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "test programs: all present ($pkgs)"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "missing:$missing; run this script as root to install them" >&2
    exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Keep the packages' maintainer scripts from starting services here.
ours=no
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    ours=yes
fi
status=0
apt-get -q update && apt-get -q -y install --no-install-recommends $missing || status=$?
[ $ours = no ] || rm -f /usr/sbin/policy-rc.d
exit $status
