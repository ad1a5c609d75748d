#!/bin/sh
# Safe upgrade: once Apache serves the maintenance site, wait until /jw answers 503, and note when
# the page went up (kept across a stop and resume) for the downtime.
# takes: url resolve since state_dir
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
code() { curl -sk -o /dev/null -w '%{http_code}' --max-time 5 --resolve "$resolve" "$url" || true; }
mkdir -p "$state_dir"
[ -s "$since" ] || date +%s > "$since"
i=0
until [ "$(code)" = 503 ]; do
    i=$((i + 1))
    if [ $i -ge 20 ]; then echo "$url still answers $(code), not 503, after Apache's reload" >&2; exit 1; fi
    sleep 0.5
done
echo "$url answers 503 (maintenance) since $(date -d "@$(cat "$since")" '+%H:%M:%S')"
