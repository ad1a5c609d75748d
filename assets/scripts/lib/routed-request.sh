#!/bin/sh
# routed_to URL HOST_HEADER ROUTE: asks the balancer for URL with a session cookie routed to ROUTE
# (an unknown session id ending in .ROUTE) and prints the route of the session cookie the answer
# set: the node that served it. For the balancer's verify probes.
# takes:
routed_to() {
    curl -sk -m 10 -D - -o /dev/null -H "Host: $2" -H "Cookie: JSESSIONID=0000000000000000.$3" "$1" \
        | sed -n 's/^[Ss]et-[Cc]ookie: *JSESSIONID=[^;.]*\.\([^;]*\).*/\1/p' | tr -d '\r' | head -n 1
}
