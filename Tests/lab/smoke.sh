#!/bin/bash
# Rehearsal lab smoke check: proves the lab and the stand-in bundle can carry a Joget-style
# cluster, set up BY HAND (not by the wizard): MariaDB on db, the stand-in bundle on app1 and
# app2 with the Tomcat Cluster element enabled (multicast membership, jvmRoute node01/node02),
# Apache on lb as a sticky balancer. Prints PASS/FAIL lines with evidence.
#
#   smoke.sh [--keep] [--no-up]
#     --keep    leave the lab and its services running at the end (default: stop and lab down)
#     --no-up   use the lab as it is (default: lab.sh up first, which starts from clean hosts)
#
# Exit status: 0 when every check passed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB=$HERE/lab.sh
KEEP=0 UP=1
for a in "$@"; do
    case $a in
        --keep) KEEP=1 ;;
        --no-up) UP=0 ;;
        *) echo "usage: smoke.sh [--keep] [--no-up]" >&2; exit 2 ;;
    esac
done

FAILS=0 PASSES=0
pass() { PASSES=$((PASSES + 1)); echo "PASS $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL $*"; }
check() { # check NAME EVIDENCE CONDITION-COMMAND...
    local name=$1 ev=$2; shift 2
    if "$@"; then pass "$name: $ev"; else fail "$name: $ev"; fi
}
info() { echo "---- $*"; }
T0=$SECONDS

if [ $UP = 1 ]; then
    info "lab.sh up"
    "$LAB" up >/tmp/joget-lab-smoke-up.log 2>&1 || { cat /tmp/joget-lab-smoke-up.log; echo "FAIL lab up"; exit 1; }
    pass "lab up: $(grep -o 'up in [0-9]* s' /tmp/joget-lab-smoke-up.log)"
fi
STATE=${JOGET_LAB_DIR:-/var/tmp/joget-lab}
# shellcheck disable=SC1091
. "$STATE/lab.env"
DBPW=$(sed -n 's/^db-password: //p' "$LAB_SECRETS")
S() { "$LAB" ssh "$@"; }
addr() { local v="LAB_ADDR_${1^^}"; echo "${!v}"; }
jget() { sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | head -1 | tr -d '"'; }
HTTP() { curl -s -m 10 "$@"; }

cleanup() {
    if [ $KEEP = 0 ]; then
        info "stopping services and taking the lab down"
        for h in app1 app2; do
            # shellcheck disable=SC2016 # $PWD expands on the host
            S "$h" 'cd /opt/joget/apache-tomcat-9.0.90 2>/dev/null && CATALINA_HOME=$PWD bin/shutdown.sh >/dev/null 2>&1' || true
        done
        S db 'service mariadb stop >/dev/null 2>&1' || true
        S lb 'service apache2 stop >/dev/null 2>&1' || true
        sleep 2
        local j
        j=$("$LAB" exec app1 pgrep -c java 2>/dev/null; "$LAB" exec app2 pgrep -c java 2>/dev/null)
        echo "java processes left on app1/app2 after shutdown.sh: $(echo "$j" | tr '\n' ' ')"
        "$LAB" down | head -3
    fi
    echo "==== smoke: $PASSES passed, $FAILS failed, $((SECONDS - T0)) s"
    [ $FAILS = 0 ] || exit 1
}
trap cleanup EXIT

# ------------------------------------------------------------------ hosts
info "hosts"
for h in $LAB_HOSTS; do
    out=$(S "$h" hostname 2>&1)
    check "ssh $h" "hostname -> '$out' at $(addr "$h")" test "$out" = "$h"
done
n=$(S app1 'ps ax --no-headers | wc -l')
check "pid namespace" "app1 sees $n processes (ps ax)" test "$n" -lt 15
S app1 'echo app1-only > /tmp/smoke-private'
out=$(S app2 'cat /tmp/smoke-private 2>&1 || true')
check "private /tmp" "app2 reads app1's /tmp file: '$out'; machine: $( [ -e /tmp/smoke-private ] && echo visible || echo absent)" \
    bash -c "[[ '$out' == *'No such file'* ]] && [ ! -e /tmp/smoke-private ]"
S app1 'echo shared-by-app1 > /opt/joget/shared/wflow/smoke-shared.txt'
out=$(S app2 'cat /opt/joget/shared/wflow/smoke-shared.txt 2>&1')
check "shared dir" "app2 reads '$out' written by app1" test "$out" = shared-by-app1
S app1 'rm -f /opt/joget/shared/wflow/smoke-shared.txt'

# Multicast between app1 and app2 over the bridge (the group Tomcat's McastService uses).
S app2 "/usr/bin/python3 -c '
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"\", 45599))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(\"228.0.0.4\") + socket.inet_aton(\"0.0.0.0\"))
s.settimeout(5)
d, a = s.recvfrom(100)
print(d.decode(), a[0])
'" >/tmp/joget-lab-smoke-mcast.txt 2>&1 &
MPID=$!
sleep 0.7
S app1 "/usr/bin/python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 2)
for i in range(5):
    s.sendto(b\"mcast-from-app1\", (\"228.0.0.4\", 45599)); time.sleep(0.2)
'"
wait $MPID
out=$(cat /tmp/joget-lab-smoke-mcast.txt)
check "multicast" "app2 received '$out'" bash -c "[[ '$out' == 'mcast-from-app1 $LAB_ADDR_APP1' ]]"

# ------------------------------------------------------------------ database on db
info "MariaDB on db"
esc_sql() { local s=${1//\\/\\\\}; echo "${s//\'/\'\'}"; }
S db "printf '[mysqld]\nbind-address = 0.0.0.0\n' > /etc/mysql/mariadb.conf.d/99-lab.cnf && service mariadb start" >/tmp/joget-lab-smoke-db.log 2>&1
S db "mysql -e \"CREATE DATABASE IF NOT EXISTS jwedb CHARACTER SET utf8mb4;
  CREATE USER IF NOT EXISTS 'joget'@'%' IDENTIFIED BY '$(esc_sql "$DBPW")';
  ALTER USER 'joget'@'%' IDENTIFIED BY '$(esc_sql "$DBPW")';
  GRANT ALL PRIVILEGES ON jwedb.* TO 'joget'@'%'; FLUSH PRIVILEGES;\"" >>/tmp/joget-lab-smoke-db.log 2>&1
WAR=$(mktemp /tmp/joget-lab-smoke-war.XXXXXX)
tar -xzf "$LAB_BUNDLE" -O joget-enterprise-linux-8.1.6/apache-tomcat-9.0.90/webapps/jw.war >"$WAR"
unzip -p "$WAR" WEB-INF/classes/setup/sql/jwdb-mysql.sql | S db 'mysql jwedb' >>/tmp/joget-lab-smoke-db.log 2>&1
rm -f "$WAR"
out=$(S db "mysql -N -e 'SELECT COUNT(*) FROM information_schema.tables WHERE table_schema=\"jwedb\"'" 2>&1)
check "schema loaded" "jwedb has '$out' tables after loading jwdb-mysql.sql from jw.war" test "${out:-0}" -ge 4 2>/dev/null
out=$(S app1 "mysql -h db -u joget -p\"\$(cat)\" -N -e 'SELECT 1' jwedb 2>&1" <<<"$DBPW")
check "remote db login" "app1 -> db as joget: '$out'" test "$out" = 1

# ------------------------------------------------------------------ app servers
info "stand-in bundle on app1 and app2"
esc_prop() { # java.util.Properties value escaping
    local s=$1
    s=${s//\\/\\\\}; s=${s//:/\\:}; s=${s//=/\\=}; s=${s//#/\\#}; s=${s//!/\\!}; s=${s// /\\ }
    echo "$s"
}
SH=/opt/joget/shared/wflow
AGENTS="-javaagent:$SH/wflow-cluster.jar -javaagent:/opt/joget/apache-tomcat-9.0.90/lib/aspectjweaver-1.9.22.jar -javaagent:$SH/glowroot/glowroot.jar"
for h in app1 app2; do
    scp -q -i "$LAB_KEY" -o UserKnownHostsFile="$LAB_KNOWN_HOSTS" -o BatchMode=yes "$LAB_BUNDLE" "root@$(addr "$h"):/tmp/bundle.tar.gz"
done
S app1 "cd /tmp && tar xzf bundle.tar.gz && cp -r joget-enterprise-linux-8.1.6/wflow/. $SH/ &&
  printf 'currentProfile=default\n' > $SH/app_datasource.properties &&
  cat > $SH/app_datasource-default.properties && chmod 600 $SH/app_datasource-default.properties" <<EOF
workflowDriver=com.mysql.cj.jdbc.Driver
workflowUrl=jdbc\:mysql\://db\:3306/jwedb?characterEncoding\=UTF-8&useSSL\=false&allowPublicKeyRetrieval\=true&serverTimezone\=UTC
workflowUser=joget
profileName=
workflowPassword=$(esc_prop "$DBPW")
EOF
node=1
for h in app1 app2; do
    route=node0$node; node=$((node + 1))
    S "$h" "set -e
      mkdir -p /opt/joget && tar xzf /tmp/bundle.tar.gz -C /opt/joget --strip-components=1
      cd /opt/joget/apache-tomcat-9.0.90
      perl -0pi -e 's{<!--\s*(<Cluster className=\"org.apache.catalina.ha.tcp.SimpleTcpCluster\"/>)\s*-->}{\$1}' conf/server.xml
      sed -i 's|<Engine name=\"Catalina\" defaultHost=\"localhost\">|<Engine name=\"Catalina\" defaultHost=\"localhost\" jvmRoute=\"$route\">|' conf/server.xml
      grep -c 'jvmRoute=\"$route\"' conf/server.xml >/dev/null
      grep -q '^ *<Cluster className' conf/server.xml
      export CATALINA_HOME=\$PWD JAVA_OPTS='-Xmx256m -Dwflow.home=$SH $AGENTS'
      bin/catalina.sh configtest >/tmp/configtest.log 2>&1 || { tail -5 /tmp/configtest.log; exit 1; }
      bin/startup.sh </dev/null >/dev/null 2>&1"
    check "start $h" "server.xml: Cluster enabled, jvmRoute=$route; configtest ok; startup.sh run" test $? = 0
done
for h in app1 app2; do
    code=000
    for _ in $(seq 60); do
        code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$(addr "$h"):8080/jw/") && [ "$code" = 200 ] && break
        sleep 0.5
    done
    check "http $h" "GET http://$(addr "$h"):8080/jw/ -> $code" test "$code" = 200
done
for h in app1 app2; do
    out=$(S "$h" 'grep -c "^stand-in agent .* loaded" /opt/joget/apache-tomcat-9.0.90/logs/catalina.out')
    check "agents $h" "$out 'stand-in agent ... loaded' lines in catalina.out" test "$out" = 3
done

# DB through the datasource files in the shared wflow dir.
for h in app1 app2; do
    out=$(HTTP "http://$(addr "$h"):8080/jw/web/json/cluster/db")
    check "db via datasource $h" "ok=$(jget ok <<<"$out") tableCount=$(jget tableCount <<<"$out") server=$(jget server <<<"$out") driverUsed=$(jget driverUsed <<<"$out")" \
        bash -c "[ '$(jget ok <<<"$out")' = true ] && [ '$(jget tableCount <<<"$out")' -ge 4 ]"
    [ "$(jget ok <<<"$out")" = true ] || echo "  $out"
done

# Cluster membership.
for h in app1 app2; do
    line=''
    for _ in $(seq 40); do
        line=$(S "$h" 'grep -m1 -E "Replication member added|memberAdded" /opt/joget/apache-tomcat-9.0.90/logs/catalina.out' 2>/dev/null) && [ -n "$line" ] && break
        sleep 0.5
    done
    check "member joined $h" "catalina.out: ${line:0:200}" test -n "$line"
done

# Session replication: created on node01, continued on node02.
info "session replication"
JAR=$(mktemp /tmp/joget-lab-smoke-cookies.XXXXXX)
r1=$(HTTP -c "$JAR" -b "$JAR" "http://$LAB_ADDR_APP1:8080/jw/web/json/cluster/info")
r2=$(HTTP -c "$JAR" -b "$JAR" "http://$LAB_ADDR_APP1:8080/jw/web/json/cluster/info")
sid=$(jget sessionId <<<"$r2")
check "session on app1" "node=$(jget node <<<"$r1")/$(jget node <<<"$r2") counter=$(jget counter <<<"$r1"),$(jget counter <<<"$r2") sessionId=$sid" \
    bash -c "[ '$(jget counter <<<"$r2")' = 2 ] && [[ '$sid' == *.node01 ]]"
sleep 1
r3=$(HTTP -H "Cookie: JSESSIONID=$sid" -D /tmp/joget-lab-smoke-h3.txt "http://$LAB_ADDR_APP2:8080/jw/web/json/cluster/info")
check "session continued on app2" "sent JSESSIONID=$sid to app2: node=$(jget node <<<"$r3") counter=$(jget counter <<<"$r3") createdOn=$(jget sessionCreatedOn <<<"$r3") sessionId=$(jget sessionId <<<"$r3")" \
    bash -c "[ '$(jget node <<<"$r3")' = node02 ] && [ '$(jget counter <<<"$r3")' = 3 ] && [ '$(jget sessionCreatedOn <<<"$r3")' = node01 ]"
rm -f "$JAR"

# Shared wflow dir through the web app.
HTTP "http://$LAB_ADDR_APP1:8080/jw/web/json/cluster/file?write=smoke.txt" >/dev/null
out2=$(HTTP "http://$LAB_ADDR_APP2:8080/jw/web/json/cluster/file?read=smoke.txt")
check "file via wflow.home" "app2 reads: $(jget content <<<"$out2")" bash -c "[[ '$(jget content <<<"$out2")' == 'written by node01 '* ]]"

# System key and the license link.
info "console: system key and license link"
k1=$(HTTP "http://$LAB_ADDR_APP1:8080/jw/web/console/home" | sed -n 's/.*System Key: <span id="system-key">\([^<]*\)<.*/\1/p')
k2=$(HTTP "http://$LAB_ADDR_APP2:8080/jw/web/console/home" | sed -n 's/.*System Key: <span id="system-key">\([^<]*\)<.*/\1/p')
check "system keys" "node01=$k1 node02=$k2" bash -c "[ -n '$k1' ] && [ -n '$k2' ] && [ '$k1' != '$k2' ]"
"$LAB" mac app1 02:6a:6c:07:00:99 >/dev/null
k1b=$(HTTP "http://$LAB_ADDR_APP1:8080/jw/web/json/cluster/info" | jget systemKey)
"$LAB" mac app1 default >/dev/null
k1c=$(HTTP "http://$LAB_ADDR_APP1:8080/jw/web/json/cluster/info" | jget systemKey)
check "system key follows MAC" "MAC changed: $k1b; MAC restored: $k1c" bash -c "[ -n '$k1b' ] && [ '$k1b' != '$k1' ] && [ '$k1c' = '$k1' ]"
S app1 "echo 'Lab Licensee' > $SH/lab-license-node01.txt"
p1=$(HTTP "http://$LAB_ADDR_APP1:8080/jw/web/console/home")
p2=$(HTTP "http://$LAB_ADDR_APP2:8080/jw/web/console/home")
check "activation stand-in" "node01 license link: $(grep -c 'id="license-link"' <<<"$p1"), $(grep -o 'Licensed to: [^<]*' <<<"$p1"); node02 license link: $(grep -c 'id="license-link"' <<<"$p2")" \
    bash -c "! grep -q 'id=\"license-link\"' <<<'$p1' && grep -q 'id=\"license-link\"' <<<'$p2'"
S app1 "rm -f $SH/lab-license-node01.txt"

# ------------------------------------------------------------------ balancer on lb
info "Apache sticky balancer on lb"
S lb "cat > /etc/apache2/sites-available/joget-lab.conf" <<EOF
<VirtualHost *:80>
    ServerName lb.lab
    <Proxy "balancer://joget">
        BalancerMember "http://app1:8080" route=node01
        BalancerMember "http://app2:8080" route=node02
        ProxySet lbmethod=byrequests stickysession=JSESSIONID|jsessionid
    </Proxy>
    ProxyPass "/jw" "balancer://joget/jw"
    ProxyPassReverse "/jw" "balancer://joget/jw"
</VirtualHost>
EOF
S lb 'a2enmod -q proxy proxy_http proxy_balancer lbmethod_byrequests headers >/dev/null && a2dissite -q 000-default >/dev/null; a2ensite -q joget-lab >/dev/null && service apache2 start' >/tmp/joget-lab-smoke-lb.log 2>&1
nodes=''
for _ in 1 2 3 4; do nodes+="$(HTTP "http://$LAB_ADDR_LB/jw/web/json/cluster/info" | jget node) "; done
check "lb round robin" "4 fresh requests via lb -> $nodes" bash -c "[[ '$nodes' == *node01* ]] && [[ '$nodes' == *node02* ]]"
JAR=$(mktemp /tmp/joget-lab-smoke-cookies.XXXXXX)
nodes=''
for _ in 1 2 3 4; do nodes+="$(HTTP -c "$JAR" -b "$JAR" "http://$LAB_ADDR_LB/jw/web/json/cluster/info" | sed -n 's/.*"node":"\([^"]*\)".*"counter":\([0-9]*\).*/\1#\2/p') "; done
check "lb sticky" "4 requests with one cookie -> $nodes" bash -c "[ \$(tr ' ' '\n' <<<'$nodes' | cut -d# -f1 | sort -u | grep -c .) = 1 ] && [[ '$nodes' == *'#4 ' ]]"
rm -f "$JAR"

[ $FAILS = 0 ]
