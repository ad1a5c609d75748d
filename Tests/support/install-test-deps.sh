#!/bin/sh
# Installs the programs the "real programs" tests of ClusterCoreTests run: Apache httpd (apachectl -t
# and a live balancer), Tomcat 10 (catalina.sh configtest and a two-node session replication test),
# a JDK (java.util.Properties read-back through single-file source launch), systemd-analyze,
# MariaDB (the database steps against a private server), python3 (stand-in backends), curl,
# unzip/zip (the war patch), openssl (a TLS site).
# Debian/Ubuntu, as root. Packages already present are left alone; the services the packages bring
# are kept from starting here (policy-rc.d): the tests run private instances of their own.
set -eu
pkgs="apache2 tomcat10 default-jdk-headless systemd mariadb-server python3 curl unzip zip openssl util-linux"
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
