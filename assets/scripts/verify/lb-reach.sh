#!/bin/sh
# verify, on the balancer: a request routed to each node (a session cookie ending in .NODE) is
# served by that node, whose new session cookie names it. Routed, not new sessions: byrequests
# evens out every request the nodes served, sticky ones too, so on a healthy cluster whose users
# sit on one node new sessions can all go to the other for a while. A node just restarted is
# skipped until its health check passes (each second), or after a failed request until its retry
# time (10 s): ask again half a second apart, up to $patience rounds, until each route in $routes
# was served by its node.
# Follows lib/routed-request.sh (routed_to).
# takes: url host_header routes patience
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
pending=$routes; round=0
while [ -n "$pending" ] && [ $round -lt "$patience" ]; do
  [ $round = 0 ] || sleep 0.5
  round=$((round+1)); left=''
  for w in $pending; do
    r=$(routed_to "$url" "$host_header" "$w")
    echo "JC to_$w=$r"
    [ "$r" = "$w" ] || left="$left $w"
  done
  pending=$left
done
echo "JC rounds=$round"
