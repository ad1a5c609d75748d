#!/bin/sh
# A node's console page and footer fragment, each between markers, every line prefixed so no
# page text can pass for a marker: JC page=NAME URL CODE, then PNAME| lines, then JC end=NAME.
# The node is tried on 127.0.0.1 first (it is on this host), then at its address.
# takes: port direct limit console_path footer_path
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
command -v curl >/dev/null 2>&1 || echo "JC curl=missing"
jc_tmp=$(mktemp 2>/dev/null || echo /tmp/jc-license-$$)
jc_fetch() {
  for jc_base in "http://127.0.0.1:$port" "$direct"; do
    : > "$jc_tmp"
    jc_code=$(curl -s -m 10 -o "$jc_tmp" -w '%{http_code}' "$jc_base$2" 2>/dev/null)
    [ "${jc_code:-000}" != 000 ] && break
  done
  echo "JC page=$1 $jc_base$2 ${jc_code:-000}"
  head -c "$limit" "$jc_tmp" | tr -d '\r' | sed "s/^/P$1| /"; echo
  echo "JC end=$1"
}
jc_fetch console "$console_path"
jc_fetch footer "$footer_path"
rm -f "$jc_tmp"
exit 0
