#!/bin/bash
# Day two in the rehearsal lab (Tests/lab): a backup's speed and a safe upgrade's downtime, three
# runs each, on a lab cluster installed for it (the lab is taken down and up again: not while
# another lab script runs). Prints, beside the baselines measured on the same hosts in the same run:
#   - backup:   `joget-cluster backup` of the database and of 200 MB of random data in the shared
#               folder, vs the same dump and archive made by hand on the hosts (mariadb-dump | gzip
#               on db, tar czf on app1, both into /dev/null: no copy to this machine);
#   - downtime: what a safe upgrade (8.1.6 -> 8.1.7, then back, then again) prints as the time the
#               maintenance page was up, vs the time the two stand-in nodes take to start when
#               restarted by hand one after the other (the floor of a safe upgrade: it starts them
#               the same way, the first alone).
#
#   bench/day-two/run.sh     (root; builds the debug binary like the lab tests)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LAB=$ROOT/Tests/lab/lab.sh
swift build --product joget-cluster 2>&1 | tail -n 1
BIN=$ROOT/.build/debug/joget-cluster
WORK=$(mktemp -d /tmp/jc-day-two.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

"$LAB" up >"$WORK/up.log" 2>&1 || { tail "$WORK/up.log"; exit 1; }
# shellcheck disable=SC1091 # written by lab.sh up
. /var/tmp/joget-lab/lab.env
jc() { "$BIN" "$@" --answers "$WORK/a.yaml" --secrets "$LAB_SECRETS" --state-dir "$WORK/state" --known-hosts "$LAB_KNOWN_HOSTS"; }
cp "$LAB_ANSWERS" "$WORK/a.yaml"
echo "== installing the lab cluster"
jc apply --yes --quiet >"$WORK/apply.log" 2>&1 || { tail -20 "$WORK/apply.log"; exit 1; }
"$LAB" exec app1 runuser -u joget -- sh -c "head -c 200000000 /dev/urandom > $LAB_SHARED_MOUNT/bench.bin"
# shellcheck disable=SC2016 # the loop runs on db
"$LAB" exec db sh -c 'mysql jwedb -e "CREATE TABLE bench (id INT AUTO_INCREMENT PRIMARY KEY, b TEXT)"
    for i in $(seq 1 20); do mysql jwedb -e "INSERT INTO bench (b) SELECT REPEAT(MD5(RAND()), 300) FROM information_schema.columns LIMIT 1000"; done'

secs() { python3 -c 'import sys,time; print(f"{time.time()-float(sys.argv[1]):.1f}")' "$1"; }
now() { python3 -c 'import time; print(time.time())'; }

echo "== backup, 3 runs each"
printf '%-46s %-22s %s\n' "" "joget-cluster backup" "by hand on the hosts"
for i in 1 2 3; do
    t=$(now); jc backup --to "$WORK/bk" >"$WORK/bk$i.log" 2>&1; ours=$(secs "$t")
    t=$(now); "$LAB" exec db sh -c 'mariadb-dump --single-transaction --databases jwedb | gzip -c >/dev/null'
    "$LAB" exec app1 sh -c "tar -C $LAB_SHARED_MOUNT --numeric-owner -czf - . >/dev/null"; hand=$(secs "$t")
    size=$(du -sm "$WORK/bk" | cut -f1)
    printf '%-46s %-22s %s\n' "run $i: $size MB (database and shared folder)" "$ours s" "$hand s"
    rm -rf "$WORK/bk"
done

echo "== safe upgrade downtime, 3 runs (upgrade, rollback, upgrade)"
b817=$("$LAB" bundle --version 8.1.7 2>/dev/null | tail -n 1)
printf '%-46s %-22s %s\n' "" "maintenance page up" "both nodes restarted by hand"
for i in 1 2 3; do
    if [ $((i % 2)) = 1 ]; then jc upgrade --bundle "$b817" --mode safe --no-backup --yes --quiet >"$WORK/up$i.log" 2>&1
    else jc upgrade --rollback --yes --quiet </dev/null >"$WORK/up$i.log" 2>&1; fi
    ours=$(sed -n 's/.*Downtime: \([0-9]*\) s.*/\1/p' "$WORK/up$i.log")
    t=$(now)
    for h in app1:node01 app2:node02; do
        "$LAB" exec "${h%%:*}" systemctl restart "joget-${h#*:}"
        until "$LAB" exec "${h%%:*}" curl -s -o /dev/null --max-time 2 http://127.0.0.1:8080/; do sleep 0.5; done
    done
    printf '%-46s %-22s %s\n' "run $i: $(grep -m1 -o '^Joget [0-9.]* runs' "$WORK/up$i.log")" "${ours:-?} s" "$(secs "$t") s"
done
"$LAB" down >/dev/null 2>&1 || true
