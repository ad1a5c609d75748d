#!/bin/sh
# Safe upgrade: once Apache serves the nodes again, wait until /jw no longer answers 503, and say
# how long the maintenance page was up.
# takes: url resolve since
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
code() { curl -sk -o /dev/null -w '%{http_code}' --max-time 5 --resolve "$resolve" "$url" || true; }
i=0
while [ "$(code)" = 503 ]; do
    i=$((i + 1))
    if [ $i -ge 20 ]; then echo "$url still answers 503 after Apache's reload" >&2; exit 1; fi
    sleep 0.5
done
if [ -s "$since" ]; then
    echo "downtime: $(( $(date +%s) - $(cat "$since") )) s (the maintenance page was served from $(date -d "@$(cat "$since")" '+%H:%M:%S') to $(date '+%H:%M:%S'))"
    rm -f "$since"
fi
echo "$url answers $(code)"
