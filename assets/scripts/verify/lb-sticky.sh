#!/bin/sh
# verify, on the balancer: six requests carrying a session cookie routed to $route, and the
# route each answer's cookie names. Follows lib/routed-request.sh (routed_to).
# takes: url host_header route
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
i=0; while [ $i -lt 6 ]; do i=$((i+1))
  echo "JC route$i=$(routed_to "$url" "$host_header" "$route")"
done
