#!/bin/sh
# verify, on the balancer: new sessions reach every node (over TLS, -k: lb/tls-check.sh judges the
# certificate; this judges the routing). A node just restarted is skipped by
# the balancer until its retry time (10 s) has passed: after $rounds requests, keep asking half a
# second apart, up to $patience, until every route in $routes answered.
# takes: url host_header routes rounds patience
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
cookie_route() { sed -n 's/^[Ss]et-[Cc]ookie: *JSESSIONID=[^;.]*\.\([^;]*\).*/\1/p' | tr -d '\r' | head -n 1; }
seen=' '; i=0
while [ $i -lt "$patience" ]; do i=$((i+1))
  r=$(curl -sk -m 10 -D - -o /dev/null -H "Host: $host_header" "$url" | cookie_route)
  echo "JC route$i=$r"
  case "$seen" in *" $r "*) ;; *) [ -n "$r" ] && seen="$seen$r " ;; esac
  all=yes; for w in $routes; do case "$seen" in *" $w "*) ;; *) all=no ;; esac; done
  if [ $i -ge "$rounds" ]; then [ $all = yes ] && break; sleep 0.5; fi
done
