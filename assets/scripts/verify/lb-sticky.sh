#!/bin/sh
# verify, on the balancer: six requests carrying a session cookie routed to $route, and the
# route each answer's cookie names.
# takes: url host_header route
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
cookie_route() { sed -n 's/^[Ss]et-[Cc]ookie: *JSESSIONID=[^;.]*\.\([^;]*\).*/\1/p' | tr -d '\r' | head -n 1; }
i=0; while [ $i -lt 6 ]; do i=$((i+1))
  echo "JC route$i=$(curl -sk -m 10 -D - -o /dev/null -H "Host: $host_header" -H "Cookie: JSESSIONID=0000000000000000.$route" "$url" | cookie_route)"
done
