#!/bin/sh
# The balancer answers Joget's URL on this host (by the server name, resolved to 127.0.0.1).
# takes: url resolve
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 60 --resolve "$resolve" "$url" || true)
case "$code" in
    2??|3??|401|403) echo "$url answers $code" ;;
    *) echo "$url answers ${code:-nothing}: the balancer cannot reach the nodes (502/503), or Apache is not serving the site" >&2; exit 1 ;;
esac
