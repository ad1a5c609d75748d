#!/bin/sh
# License facts of a node's host: the MAC of the default route's interface, the datasource
# profile, the bundle folders. Tests point the paths elsewhere through JC_SYSFS_ROOT,
# JC_PROC_ROUTE, JC_IP, JC_DATASOURCE_FILE and JC_INSTALL_DIR.
# takes: default_props default_install
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
sysfs=${JC_SYSFS_ROOT:-/sys}; proute=${JC_PROC_ROUTE:-/proc/net/route}; ipcmd=${JC_IP:-ip}
props=${JC_DATASOURCE_FILE:-}; [ -n "$props" ] || props=$default_props
install=${JC_INSTALL_DIR:-}; [ -n "$install" ] || install=$default_install
dev=$("$ipcmd" route show default 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n 1)
[ -n "$dev" ] || dev=$(awk '$2 == "00000000" { print $1; exit }' "$proute" 2>/dev/null)
echo "JC dev=$dev"
if [ -n "$dev" ] && [ -r "$sysfs/class/net/$dev/address" ]; then
  echo "JC mac=$(head -n 1 "$sysfs/class/net/$dev/address")"
fi
if [ -r "$props" ]; then
  echo "JC props=read"
  sed -n 's/^[[:space:]]*currentProfile[[:space:]]*[:=[:space:]][[:space:]]*//p' "$props" | tr -d '\r' | sed 's/^/JC profile=/'
else
  echo "JC props=unreadable $props"
fi
# The bundle the node runs from, as the install lays it out: <installDir>/.bundle/tomcat links
# into unpacked/joget-<edition>-linux-<version>/; then the unpacked folders, the bundle file.
t=$(readlink -f "$install/.bundle/tomcat" 2>/dev/null) && [ -n "$t" ] && t=${t%/*} && echo "JC bundle=${t##*/}"
for d in "$install"/.bundle/unpacked/joget-*-linux-* "$install"/joget-*-linux-*; do [ -e "$d" ] && echo "JC bundle=${d##*/}"; done
s=$(head -n 1 "$install/.bundle/source" 2>/dev/null) && [ -n "$s" ] && echo "JC bundle=${s##*/}"
