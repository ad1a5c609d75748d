#!/bin/bash
# shellcheck disable=SC2015 # pass and fail only count and print: `A && pass || fail` is if-then-else here
# End to end in the rehearsal lab: `joget-cluster apply` turns bare hosts that boot systemd
# into a working cluster over SSH, and checks made from OUTSIDE the wizard judge the result. Then:
# a second apply changes nothing; the cluster survives reboots and power cuts (a client polling
# through the balancer sees no error); nodes added and retired; backup and restore; Joget upgraded
# (rolling, rolled back, safe and killed half way); TLS at the balancer; kill -9 at random points and resume; a stop while MariaDB
# restarts; a host's link cut mid-step, then a retry.
#
#   e2e.sh [--keep]       --keep leaves the lab up at the end
#   E2E_SEED=N e2e.sh     repeat the same kill points
#   LAB_INIT=plain e2e.sh on hosts without systemd (the reboot section is left out)
#
# Prints PASS/FAIL lines with their evidence and ends with "N passed, N failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/e2e.sh
. "$HERE/lib/e2e.sh" "$@"
SEED=${E2E_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$SEED

finish() {
    # Control masters of a killed run outlive it, as they would on an operator's machine: end them.
    pkill -f "ssh .*joget-lab/keys" 2>/dev/null
    [ "$KEEP" = 1 ] || "$LAB" down >/dev/null 2>&1
    [ "$KEEP" = 1 ] && echo "e2e: work files kept in $WORK" || rm -rf "$WORK"
    tally "e2e: seed $SEED"
}
trap 'finish; exit $?' EXIT
trap 'exit 130' INT TERM

need_binary_and_lab

INIT=${LAB_INIT:-systemd}
up() {
    "$LAB" up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "lab up"; exit 1; }
    # shellcheck disable=SC1091
    . /var/tmp/joget-lab/lab.env
}
# One state folder per scenario; the lab's own known_hosts holds the hosts' keys.
jc() { # jc STATE COMMAND [ARGS...]
    local state=$1; shift
    "$BIN" "$@" --answers "$LAB_ANSWERS" --secrets "$LAB_SECRETS" --state-dir "$state" --known-hosts "$LAB_KNOWN_HOSTS"
}
# In the background, `(exec jc ...) &` is needed for $! to be the binary itself: `jc ... &` alone
# makes $! a subshell, and a kill -9 of it leaves the binary running.
jc_exec() { local state=$1; shift; exec "$BIN" "$@" --answers "$LAB_ANSWERS" --secrets "$LAB_SECRETS" --state-dir "$state" --known-hosts "$LAB_KNOWN_HOSTS"; }
# apply_until_step STATE STEP LOG: apply in the background ($pid is the binary), back once the
# journal names STEP (or after 60 s).
apply_until_step() {
    (jc_exec "$1" apply --yes --quiet >"$3" 2>&1) &
    pid=$!
    for _ in $(seq 1 1200); do
        grep -qF "\"step\":\"$2\"" "$1/journal.jsonl" 2>/dev/null && return 0
        sleep 0.05
    done
}
LB() { curl -s -m 10 "$@"; }
# stop_node HOST NODE: stop a node's Tomcat as its operator would (systemctl on systemd hosts).
stop_node() {
    if [ "$INIT" = systemd ]; then "$LAB" exec "$1" systemctl stop "joget-$2"
    else "$LAB" exec "$1" sh -c "runuser -u joget -- /opt/joget/$2/bin/shutdown.sh >/dev/null 2>&1; sleep 3; pkill -f '[c]atalina.base=/opt/joget/$2' || true"; fi
}
# node_log HOST NODE [SINCE-EPOCH]: Tomcat's console log (the unit's journal on systemd hosts).
node_log() {
    if [ "$INIT" = systemd ]; then "$LAB" exec "$1" journalctl -q --no-pager -o cat -u "joget-$2" ${3:+--since "@$3"}
    else "$LAB" exec "$1" cat "/opt/joget/$2/logs/catalina.out"; fi
}
field() { python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1" 2>/dev/null; }

# apply_changes_nothing LABEL: apply again; no step's check fails (so none applies), and it says
# what ran: the probes, and the two steps that apply every time (the user's password, the schema).
apply_changes_nothing() {
    local rc changed
    jc "$STATE" apply --yes --quiet >"$WORK/apply-again.log" 2>&1
    rc=$?
    changed=$(python3 - "$STATE/journal.jsonl" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
last = max(i for i, r in enumerate(runs) if r.get("kind") == "run")
# A step that changed something ran its apply after a failed check; read-only steps have no check.
checked = {r["step"] for r in runs[last:] if r.get("kind") == "end" and r.get("check") == "failed"}
print(" ".join(sorted(checked)))
PY
)
    if [ $rc = 0 ] && [ -z "$changed" ] && grep -q "only read the hosts; the others: db.create-user@db, db.extract-schema@app1" "$WORK/apply-again.log"; then
        pass "$1 changed nothing, and says what ran: $(grep -o 'Of the .*' "$WORK/apply-again.log" | tail -1)"
    else fail "$1 (rc $rc) changed: ${changed:-?}"; tail -5 "$WORK/apply-again.log"; fi
}

# The checks an operator would make by hand, none of them through the wizard.
outside_checks() { # outside_checks LABEL
    local label=$1 lb="http://$LAB_ADDR_LB" nodes="" node id c1 c2 owner other ownerhost
    for node in node01 node02; do nodes="$nodes $(served_by "$node")"; done
    if [ "$nodes" = " node01 node02" ]; then pass "$label: balancer reaches both nodes, each serving the request routed to it:$nodes"
    else fail "$label: requests routed to node01 and node02 were served by:$nodes"; fi

    # A session: its cookie's route is honoured, and the counter survives the loss of its node.
    id=$(LB -c "$WORK/jar" "$lb/jw/web/json/cluster/info" | field sessionId)
    owner=${id##*.}
    c1=$(LB -b "$WORK/jar" "$lb/jw/web/json/cluster/info" | field counter)
    c2=$(LB -b "$WORK/jar" "$lb/jw/web/json/cluster/info")
    if [ "$(echo "$c2" | field node)" = "$owner" ] && [ "$(echo "$c2" | field counter)" = $((c1 + 1)) ]; then
        pass "$label: route .$owner honoured, counter $c1 -> $(echo "$c2" | field counter) on $owner"
    else fail "$label: route .$owner not honoured: $c2"; fi
    ownerhost=app1; other=node02; [ "$owner" = node02 ] && { ownerhost=app2; other=node01; }
    stop_node "$ownerhost" "$owner"
    c2=$(LB -b "$WORK/jar" "$lb/jw/web/json/cluster/info")
    if [ "$(echo "$c2" | field node)" = "$other" ] && [ "$(echo "$c2" | field counter)" = $((c1 + 2)) ]; then
        pass "$label: $owner stopped, session continued on $other with counter $(echo "$c2" | field counter) (created on $(echo "$c2" | field sessionCreatedOn))"
    else fail "$label: after stopping $owner the session did not continue: $c2"; fi
    # Bring it back: apply checks every step again and starts what is not running.
    jc "$STATE" apply --yes --quiet >"$WORK/restart.log" 2>&1 || true
    if [ "$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://$( [ $ownerhost = app1 ] && echo "$LAB_ADDR_APP1" || echo "$LAB_ADDR_APP2"):8080/jw/")" = 200 ]; then
        pass "$label: apply started $owner again"
    else fail "$label: $owner is not back after apply (see $WORK/restart.log)"; tail -5 "$WORK/restart.log"; fi

    # Database: each app host logs in with the app credentials and sees the schema.
    local pw n h
    pw=$(sed -n 's/^db-password: //p' "$LAB_SECRETS")
    for h in app1 app2; do
        # shellcheck disable=SC2016 # the script runs on the host: $(mktemp) and "$f" expand there
        n=$(printf '[client]\nuser=joget\npassword="%s"\n' "$pw" | "$LAB" exec "$h" sh -c 'f=$(mktemp); cat > "$f"; mysql --defaults-extra-file="$f" -h '"$LAB_ADDR_DB"' -N -B -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema=\"jwedb\""; rm -f "$f"' 2>&1)
        if [[ $n =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ]; then pass "$label: $h logs in to jwedb as joget, $n tables"
        else fail "$label: $h cannot use jwedb as joget: $n"; fi
    done
    n=$(curl -s -m 10 "http://$LAB_ADDR_APP2:8080/jw/web/json/cluster/db")
    if [ "$(echo "$n" | field ok)" = True ]; then pass "$label: node02's webapp read the datasource files and reached the database ($(echo "$n" | field tableCount) tables)"
    else fail "$label: node02's webapp cannot reach the database: $n"; fi

    # Shared directory: written through app1, read through app2.
    local token=e2e-$RANDOM
    curl -s -m 10 "http://$LAB_ADDR_APP1:8080/jw/web/json/cluster/file?write=$token" >/dev/null
    n=$(curl -s -m 10 "http://$LAB_ADDR_APP2:8080/jw/web/json/cluster/file?read=$token")
    if [[ $n == *"$token"* ]]; then pass "$label: file $token written on app1 read on app2"
    else fail "$label: file written on app1 not read on app2: $n"; fi

    # Both logs show the other member joining.
    for h in app1 app2; do
        node=node01; [ $h = app2 ] && node=node02
        n=$(node_log "$h" "$node" | grep -m1 'Replication member added' | cut -c1-150)
        if [ -n "$n" ]; then pass "$label: $node's log: $n"; else fail "$label: $node's log has no member line"; fi
    done
}

# The journal: no step runs its apply again once a run recorded it finished (resume trusts the
# journal), and every line is valid JSON.
journal_check() { # journal_check STATE LABEL
    python3 - "$1/journal.jsonl" "$2" <<'PY'
import json, sys
path, label = sys.argv[1], sys.argv[2]
finished, again, lines = set(), [], 0
for raw in open(path, encoding="utf-8"):
    lines += 1
    r = json.loads(raw)
    step = r.get("step") or ""
    if r.get("kind") == "start" and r.get("phase") == "apply" and step in finished:
        again.append(step)
    if r.get("kind") == "end" and r.get("status") in ("done", "alreadyDone"):
        finished.add(step)
ok = not again
print(("PASS" if ok else "FAIL") + f" {label}: journal readable ({lines} records); "
      + ("no finished step ran its apply again" if ok else "applied again after finishing: " + ", ".join(sorted(set(again)))))
sys.exit(0 if ok else 1)
PY
}
finished_steps() { # how many distinct steps the journal records as finished
    python3 - "$1/journal.jsonl" <<'PY' 2>/dev/null || echo 0
import json, sys
done = set()
for raw in open(sys.argv[1], encoding="utf-8"):
    try: r = json.loads(raw)
    except ValueError: continue
    if r.get("kind") == "end" and r.get("status") in ("done", "alreadyDone"): done.add(r.get("step"))
print(len(done))
PY
}
record() { if [ "$1" = 0 ]; then PASSES=$((PASSES + 1)); else FAILS=$((FAILS + 1)); fi; }

# ---- 1. A fresh install, judged from outside -------------------------------------------------
info "lab up, then joget-cluster check on bare hosts: each host, and the network between them"
up
STATE=$WORK/state-install
jc "$STATE" check >"$WORK/check.log" 2>&1; rc=$?
if [ $rc = 0 ] && grep -q '^PASS  app1, app2 reach db:3306' "$WORK/check.log" && grep -q '^PASS  A multicast datagram from app1' "$WORK/check.log"; then
    pass "check on bare hosts: $(tail -1 "$WORK/check.log") ($(grep -c 'reach' "$WORK/check.log") paths between hosts, multicast)"
else fail "check on bare hosts exited $rc: $(grep -E '^(FAIL|NOT RUN)' "$WORK/check.log" | head -3)"; fi
# A firewall on db drops what app2 sends to 3306, as a forgotten rule would.
"$LAB" exec db nft -f - <<'NFT'
table inet jc_lab_block {
    chain input {
        type filter hook input priority 0;
        ip saddr 10.213.7.14 tcp dport 3306 drop
    }
}
NFT
jc "$STATE" check >"$WORK/check-blocked.log" 2>&1; rc=$?
line=$(grep -m1 '^FAIL.*app2 cannot reach db:3306' "$WORK/check-blocked.log")
if [ $rc = 1 ] && [ -n "$line" ]; then pass "check names the blocked port: ${line:0:200}"
else fail "check with db:3306 blocked from app2 exited $rc: $(grep -E '^(FAIL|NOT RUN)' "$WORK/check-blocked.log" | head -2)"; fi
jc "$STATE" apply --yes >"$WORK/apply-blocked.log" 2>&1; rc=$?
if [ $rc = 5 ] && ! grep -q '"kind":"end"' "$STATE/journal.jsonl" 2>/dev/null \
    && ! "$LAB" exec db test -e /etc/mysql/mariadb.conf.d/zz-joget-cluster.cnf && ! "$LAB" exec app1 test -e /opt/joget/.bundle; then
    pass "apply with the port blocked stops before changing anything: exit 5, no step in the journal, nothing written on the hosts"
else fail "apply with the port blocked exited $rc, or changed something"; tail -3 "$WORK/apply-blocked.log"; fi
"$LAB" exec db nft delete table inet jc_lab_block

info "joget-cluster apply on bare hosts"
start=$SECONDS
jc "$STATE" apply --yes >"$WORK/apply.log" 2>&1
rc=$?
if [ $rc = 0 ]; then pass "apply installed the cluster in $((SECONDS - start))s: $(grep -E '^[0-9]+ done' "$WORK/apply.log" | tail -1)"
else fail "apply exited $rc"; tail -40 "$WORK/apply.log"; failed_logs "$STATE" "$WORK/apply.log"; fi
if [ "$INIT" = systemd ]; then
    if grep -q "NOTHING restarts" "$WORK/apply.log"; then fail "apply on systemd hosts warned that nothing restarts after a reboot: $(grep -m1 'NOTHING' "$WORK/apply.log")"
    else pass "apply on systemd hosts took the systemd path (no warning about reboots)"; fi
elif grep -q "reboot" "$WORK/apply.log"; then pass "apply says what does not come back after a reboot without systemd: $(grep -m1 -o '[^|]*reboot[^|]*' "$WORK/apply.log" | head -c 150)"
else fail "apply did not warn that nothing restarts after a reboot on hosts without systemd"; fi
outside_checks "install"

info "joget-cluster verify agrees, and fails a check broken on purpose"
jc "$STATE" verify >"$WORK/verify.log" 2>&1; rc=$?
if [ $rc = 0 ]; then pass "verify: all $(grep -c '^PASS' "$WORK/verify.log") checks pass"
else fail "verify exited $rc: $(grep '^FAIL' "$WORK/verify.log" | head -3)"; fi
stop_node app2 node02
"$LAB" exec lb sh -c 'a2dissite -q jwsite >/dev/null && apache2ctl graceful 2>/dev/null'
jc "$STATE" verify >"$WORK/verify-broken.log" 2>&1; rc=$?
http=$(grep -E '^FAIL.*node02.*(port|Tomcat)' "$WORK/verify-broken.log" | head -1)
lbline=$(grep -E '^FAIL.*balancer' "$WORK/verify-broken.log" | head -1)
if [ $rc = 1 ] && [ -n "$http" ] && [ -n "$lbline" ]; then pass "verify with node02 stopped and the site disabled fails: ${http:0:110} | ${lbline:0:110}"
else fail "verify did not catch the broken checks (rc $rc): $(grep '^FAIL' "$WORK/verify-broken.log" | head -3)"; fi
"$LAB" exec lb sh -c 'a2ensite -q jwsite >/dev/null && apache2ctl graceful 2>/dev/null'
jc "$STATE" apply --yes --quiet >"$WORK/repair.log" 2>&1 || { fail "apply did not repair the cluster"; tail -5 "$WORK/repair.log"; }

info "a second apply changes nothing"
apply_changes_nothing "second apply"

info "apply --dry-run: exit 0 on the untouched cluster; after a hand edit it names the step and changes nothing"
jc "$STATE" apply --dry-run >"$WORK/dry0.log" 2>&1; rc=$?
if [ $rc = 0 ]; then pass "dry run on the untouched cluster exits 0: $(tail -1 "$WORK/dry0.log")"
else fail "dry run on the untouched cluster exited $rc: $(grep 'would change' "$WORK/dry0.log" | head -3)"; fi
sx=/opt/joget/node01/conf/server.xml
"$LAB" exec app1 sh -c "sed -i 's/connectionTimeout=\"20000\"/connectionTimeout=\"30000\"/' $sx"
before=$("$LAB" exec app1 sha256sum "$sx")
jc "$STATE" apply --dry-run >"$WORK/dry1.log" 2>&1; rc=$?
after=$("$LAB" exec app1 sha256sum "$sx")
line=$(grep -m1 'would change *app.server-xml@app1#node01' "$WORK/dry1.log")
if [ $rc = 3 ] && [ -n "$line" ] && [ "$before" = "$after" ]; then pass "dry run after a hand edit exits 3, names it and leaves the file as it was: ${line//  / }"
else fail "dry run after a hand edit: exit $rc, line '${line}', file ${before%% *} -> ${after%% *}"; tail -5 "$WORK/dry1.log"; fi
jc "$STATE" apply --yes --quiet >"$WORK/repair2.log" 2>&1 || { fail "apply did not put server.xml back"; tail -5 "$WORK/repair2.log"; }

# ---- 1b. Reboots and power cuts (systemd hosts) -------------------------------------------------
if [ "$INIT" = systemd ]; then
info "systemd: the units are enabled and running, Tomcat's JVM belongs to its unit"
for hu in app1:joget-node01 app2:joget-node02 db:mariadb lb:apache2; do
    h=${hu%%:*} u=${hu#*:}
    s=$("$LAB" exec "$h" sh -c "systemctl is-enabled $u; systemctl is-active $u" 2>&1 | tr '\n' ' ')
    if [ "$s" = "enabled active " ]; then pass "$h: $u is enabled and active"; else fail "$h: $u is: $s"; fi
done
for hn in app1:node01 app2:node02; do
    h=${hn%%:*} n=${hn#*:}
    cg=$("$LAB" exec "$h" sh -c "pid=\$(systemctl show -p MainPID --value joget-$n); echo \$(cat /proc/\$pid/comm) \$(grep '^0::' /proc/\$pid/cgroup)")
    # The lab host's cgroup tree sits under the machine's, so its paths end, not start, with the unit.
    if [[ $cg == "java 0::"*"/system.slice/joget-$n.service" ]]; then pass "$h: Tomcat's JVM runs in its unit's cgroup ($cg)"
    else fail "$h: Tomcat's JVM is not in joget-$n.service: $cg"; fi
done
loc=$("$LAB" exec app1 sed -n 's/^LANG=//p' /etc/default/locale); loc=${loc:-unset}
enc=$(curl -s -m 10 "http://$LAB_ADDR_APP1:8080/jw/web/json/cluster/info")
if [ "$(echo "$enc" | field fileEncoding)/$(echo "$enc" | field jnuEncoding)" = UTF-8/UTF-8 ]; then
    pass "node01's JVM runs in UTF-8 (file.encoding and sun.jnu.encoding) while the host's system locale is $loc"
else fail "node01's JVM encodings with system locale $loc: file.encoding=$(echo "$enc" | field fileEncoding) sun.jnu.encoding=$(echo "$enc" | field jnuEncoding)"; fi
name=Übersicht-日本-$RANDOM.txt
w=$(curl -s -m 10 -G "http://$LAB_ADDR_APP1:8080/jw/web/json/cluster/file" --data-urlencode "write=$name" --data-urlencode "content=grüße")
r=$(curl -s -m 10 -G "http://$LAB_ADDR_APP2:8080/jw/web/json/cluster/file" --data-urlencode "read=$name")
if [ "$(echo "$r" | field content)" = grüße ] && [ -f "$LAB_SHARED_DIR/lab-shared/$name" ]; then pass "a file named $name written through node01 was read through node02, and has that name on disk"
else fail "non-ASCII file name: write on node01: $w; read on node02: $r"; fi

info "restart node01, then node02, while 6 clients with sessions on both poll through the balancer back to back"
# A stopping Tomcat resets the connections it has not accepted yet (Apache: AH01102, a 502 to the
# client). The unit's stop removes the node's ready file first, and the balancer's health check
# takes the node out before Tomcat stops: no client may see an error, nor lose its session.
resets_before=$("$LAB" exec lb grep -c AH01102 /var/log/apache2/jwsite-error.log)
rm -f "$WORK/busy.stop"
busy_pids=()
for i in 1 2 3 4 5 6; do
    POLL_INTERVAL=0 python3 "$HERE/lib/poller.py" "http://$LAB_ADDR_LB/jw/web/json/cluster/info" "node0$((i % 2 + 1))" 120 "$WORK/busy-$i.json" "$WORK/busy.stop" &
    busy_pids+=($!)
done
sleep 3
for hn in app1:node01:$LAB_ADDR_APP1 app2:node02:$LAB_ADDR_APP2; do
    IFS=: read -r h n a <<<"$hn"
    "$LAB" exec "$h" systemctl restart "joget-$n"
    for _ in $(seq 1 300); do [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://$a:8080/joget-cluster/ready")" = 200 ] && break; sleep 0.2; done
    sleep 3   # the health check asks every second
done
touch "$WORK/busy.stop"; wait "${busy_pids[@]}"
resets_after=$("$LAB" exec lb grep -c AH01102 /var/log/apache2/jwsite-error.log)
busy=$(python3 - "$WORK"/busy-*.json <<'PY'
import json, sys
runs = [json.load(open(f)) for f in sys.argv[1:]]
if any("error" in r for r in runs): print("? ? ? ?", [r.get("error") for r in runs if "error" in r]); sys.exit()
nodes = {}
for r in runs:
    for k, v in r["nodes"].items(): nodes[k] = nodes.get(k, 0) + v
fails = [f for r in runs for f in r["failures"]][:3]
print(sum(r["requests"] for r in runs), sum(len(r["failures"]) for r in runs), sum(len(r["resets"]) for r in runs), json.dumps(nodes, separators=(",", ":")), json.dumps(fails))
PY
)
read -r breq bfail breset bnodes bdetail <<<"$busy"
if [ "$bfail" = 0 ] && [ "$breset" = 0 ] && [ "$resets_before" = "$resets_after" ] && [[ $bnodes == *node01*node02* || $bnodes == *node02*node01* ]]; then
    pass "restarting both nodes under 6 busy clients: $breq requests, 0 failed, no session lost, answered by $bnodes; Apache reset by a node: $resets_before -> $resets_after"
else fail "restarting both nodes under 6 busy clients: ${bfail:-?} failed, ${breset:-?} session resets of ${breq:-?} requests ($bnodes), Apache's AH01102 $resets_before -> $resets_after: ${bdetail:-$busy}"; fi

info "reboot app1 while a client polls through the balancer every 100 ms with its session"
began=$(date +%s)
rm -f "$WORK/poll.stop"
python3 "$HERE/lib/poller.py" "http://$LAB_ADDR_LB/jw/web/json/cluster/info" node01 120 "$WORK/poll-app1.json" "$WORK/poll.stop" &
poller=$!
sleep 2
"$LAB" reboot app1 >"$WORK/reboot-app1.log" 2>&1 || { fail "lab reboot app1"; cat "$WORK/reboot-app1.log"; }
boot=$(cat "$LAB_DIR/run/app1.boot-began")
direct=""
for _ in $(seq 1 600); do   # node01 itself
    [ "$(curl -s -m 2 "http://$LAB_ADDR_APP1:8080/jw/web/json/cluster/info" | field node)" = node01 ] && { direct=$(date +%s.%N); break; }
    sleep 0.1
done
back=""
for _ in $(seq 1 600); do   # node01 through the balancer again: fresh requests, no cookie
    [ "$(LB "http://$LAB_ADDR_LB/jw/web/json/cluster/info" | field node)" = node01 ] && { back=$(date +%s.%N); break; }
    sleep 0.1
done
if [ -n "$back" ] && [ -n "$direct" ]; then
    pass "app1 rebooted: node01 came back by itself, answering $(awk -v a="$boot" -v b="$direct" 'BEGIN { printf "%.1f", b - a }') s after its boot began, through the balancer after $(awk -v a="$boot" -v b="$back" 'BEGIN { printf "%.1f", b - a }') s"
else fail "node01 does not answer through the balancer 60 s after app1's reboot"; fi
sleep 2; touch "$WORK/poll.stop"; wait $poller
poll=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["requests"], len(d["failures"]), len(d["resets"]), json.dumps(d["failures"][:3]), json.dumps(d["nodes"]))' "$WORK/poll-app1.json" 2>&1)
read -r preq pfail preset pdetail <<<"$poll"
if [ "$pfail" = 0 ] && [ "$preset" = 0 ]; then pass "the polling client saw 0 failed requests of $preq and kept its session (created on node01) through the reboot"
else fail "the polling client during app1's reboot: ${pfail:-?} failed, ${preset:-?} session resets of ${preq:-?} requests: ${pdetail:-$poll}"; fi
n=$(node_log app2 node02 "$began" | grep -m1 'Replication member added' | cut -c1-150)
if [ -n "$n" ]; then pass "node01 rejoined the cluster: node02's log since the reboot: $n"; else fail "node02's log shows no member added since app1's reboot"; fi

info "power cut on db: MariaDB comes back by itself, the nodes reach it without a restart"
pids=$(for h in app1:node01 app2:node02; do "$LAB" exec "${h%%:*}" systemctl show -p MainPID --value "joget-${h#*:}"; done | tr '\n' ' ')
"$LAB" reboot --hard db >"$WORK/reboot-db.log" 2>&1 || { fail "lab reboot --hard db"; cat "$WORK/reboot-db.log"; }
s=""
for _ in $(seq 1 60); do s=$("$LAB" exec db systemctl is-active mariadb); [ "$s" = active ] && break; sleep 1; done
if [ "$s" = active ]; then pass "db after a power cut: mariadb is active without anyone starting it"; else fail "db after a power cut: mariadb is $s"; fi
for h in app1 app2; do
    a=$LAB_ADDR_APP1; [ $h = app2 ] && a=$LAB_ADDR_APP2
    ok=""
    for _ in $(seq 1 30); do ok=$(curl -s -m 10 "http://$a:8080/jw/web/json/cluster/db" | field ok); [ "$ok" = True ] && break; sleep 1; done
    if [ "$ok" = True ]; then pass "$h's node reaches the database again after db's power cut"; else fail "$h's node cannot reach the database after db's power cut"; fi
done
after=$(for h in app1:node01 app2:node02; do "$LAB" exec "${h%%:*}" systemctl show -p MainPID --value "joget-${h#*:}"; done | tr '\n' ' ')
if [ "$pids" = "$after" ]; then pass "no Tomcat was restarted for it (main PIDs $after)"; else fail "Tomcat restarted during db's power cut: PIDs $pids -> $after"; fi

info "reboot lb: the balancer site is back and sticky"
"$LAB" reboot lb >"$WORK/reboot-lb.log" 2>&1 || { fail "lab reboot lb"; cat "$WORK/reboot-lb.log"; }
nodes=""
for _ in $(seq 1 50); do
    nodes="$nodes $(LB "http://$LAB_ADDR_LB/jw/web/json/cluster/info" | field node)"
    [[ $nodes == *node01* && $nodes == *node02* ]] && break
    sleep 0.2
done
if [[ $nodes == *node01* && $nodes == *node02* ]]; then pass "after lb's reboot the balancer reaches both nodes"
else fail "after lb's reboot the balancer reached only:$nodes"; fi
sticky=$(for _ in 1 2 3 4 5 6; do LB -H "Cookie: JSESSIONID=0000.node02" "http://$LAB_ADDR_LB/jw/web/json/cluster/info" | field node; done | sort -u | tr '\n' ' ')
if [ "$sticky" = "node02 " ]; then pass "after lb's reboot a cookie for node02 stays on node02"; else fail "after lb's reboot a node02 cookie went to: $sticky"; fi

info "app2 goes dark for 20 s (its link cut, as a power cut looks from the network) under a polling client"
rm -f "$WORK/poll.stop"
python3 "$HERE/lib/poller.py" "http://$LAB_ADDR_LB/jw/web/json/cluster/info" node02 120 "$WORK/poll-dark.json" "$WORK/poll.stop" &
poller=$!
sleep 2
"$LAB" link app2 down >/dev/null; sleep 20; "$LAB" link app2 up >/dev/null
sleep 2; touch "$WORK/poll.stop"; wait $poller
poll=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["requests"], len(d["failures"]), len(d["resets"]), d["longestGap"], json.dumps(d["failures"][:3]))' "$WORK/poll-dark.json" 2>&1)
read -r preq pfail preset pgap pdetail <<<"$poll"
if [ "$pfail" = 0 ] && [ "$preset" = 0 ] && awk -v g="$pgap" 'BEGIN { exit !(g < 10) }'; then
    pass "while node02 was dark the client's session moved to node01: 0 failed of $preq requests, longest wait ${pgap} s"
else fail "while node02 was dark: ${pfail:-?} failed, ${preset:-?} session resets of ${preq:-?} requests, longest wait ${pgap:-?} s: ${pdetail:-$poll}"; fi

info "after the reboots: verify is green, apply changes nothing"
jc "$STATE" verify >"$WORK/verify-reboots.log" 2>&1; rc=$?
if [ $rc = 0 ]; then pass "verify after all reboots: $(tail -1 "$WORK/verify-reboots.log")"
else fail "verify after all reboots exited $rc: $(grep -v '^PASS' "$WORK/verify-reboots.log" | head -3)"; fi
apply_changes_nothing "apply after all reboots"
fi

# ---- 1c. Day two: add a node, retire a node, under a polling client ------------------------------
# poll_start ROUTE NAME / poll_end NAME LABEL: a client through the balancer with its session on ROUTE.
poll_start() {
    rm -f "$WORK/poll.stop"
    python3 "$HERE/lib/poller.py" "http://$LAB_ADDR_LB/jw/web/json/cluster/info" "$1" 300 "$WORK/poll-$2.json" "$WORK/poll.stop" &
    poller=$!
    sleep 2
}
poll_end() {
    sleep 2; touch "$WORK/poll.stop"; wait $poller
    local poll preq pfail preset pgap pdetail
    poll=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["requests"], len(d["failures"]), len(d["resets"]), d["longestGap"], json.dumps(d["failures"][:3])) if "error" not in d else print("? ? ? ?", d["error"])' "$WORK/poll-$1.json" 2>&1)
    read -r preq pfail preset pgap pdetail <<<"$poll"
    if [ "$pfail" = 0 ] && [ "$preset" = 0 ]; then pass "$2: the polling client sent $preq requests, 0 failed, its session kept; longest gap between answers ${pgap} s"
    else fail "$2: the polling client: ${pfail:-?} failed, ${preset:-?} session resets of ${preq:-?} requests: ${pdetail:-$poll}"; fi
}
# The lab's answers with node03 on app3 added, and then without node02 (and its host app2).
python3 - "$LAB_ANSWERS" "$WORK/add.yaml" "$WORK/retire.yaml" <<'PY'
import sys
src, add, retire = sys.argv[1:]
text = open(src, encoding="utf-8").read()
lb = text.index("  - name: lb\n")
host = text[lb:text.index("\n\n", lb) + 1].replace("name: lb", "name: app3").replace("10.213.7.15", "10.213.7.16")
text = text.replace(text[lb:text.index("\n\n", lb) + 1], text[lb:text.index("\n\n", lb) + 1] + host, 1)
node2 = "    - name: node02\n      host: app2\n"
text = text.replace(node2, node2 + "    - name: node03\n      host: app3\n", 1)
open(add, "w", encoding="utf-8").write(text)
a2 = text.index("  - name: app2\n")
text = text[:a2] + text[text.index("  - name: lb\n"):]
open(retire, "w", encoding="utf-8").write(text.replace(node2, "", 1))
PY
jcf() { # jcf ANSWERS STATE COMMAND [ARGS...]
    local answers=$1 state=$2; shift 2
    "$BIN" "$@" --answers "$answers" --secrets "$LAB_SECRETS" --state-dir "$state" --known-hosts "$LAB_KNOWN_HOSTS"
}

info "day two: add node03 on app3 (a host the install did not use) while a client polls"
poll_start node01 add
jcf "$WORK/add.yaml" "$STATE" apply --yes --quiet >"$WORK/add.log" 2>&1; rc=$?
if [ $rc = 0 ]; then pass "apply with node03 added: $(grep -E '^[0-9]+ done' "$WORK/add.log" | tail -1)"
else fail "apply with node03 added exited $rc"; tail -20 "$WORK/add.log"; failed_logs "$STATE" "$WORK/add.log"; fi
poll_end add "adding node03"
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://$LAB_ADDR_APP3:8080/jw/")
[ "$code" = 200 ] && pass "node03 answers on app3:8080" || fail "node03 on app3:8080 answered $code"
n=$(node_log app3 node03 | grep -m1 'Replication member added' | cut -c1-120)
[ -n "$n" ] && pass "node03 joined the cluster: $n" || fail "node03's log has no member added"
nodes=""
for _ in $(seq 1 60); do
    nodes="$nodes $(LB "http://$LAB_ADDR_LB/jw/web/json/cluster/info" | field node)"
    [[ $nodes == *node03* ]] && break
    sleep 0.3
done
[[ $nodes == *node03* ]] && pass "the balancer sends requests to node03" || fail "the balancer never reached node03:$nodes"
pw=$(sed -n 's/^db-password: //p' "$LAB_SECRETS")
# shellcheck disable=SC2016 # the script runs on the host: $(mktemp) and "$f" expand there
n=$(printf '[client]\nuser=joget\npassword="%s"\n' "$pw" | "$LAB" exec app3 sh -c 'f=$(mktemp); cat > "$f"; mysql --defaults-extra-file="$f" -h '"$LAB_ADDR_DB"' -N -B -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema=\"jwedb\""; rm -f "$f"' 2>&1)
[[ $n =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ] && pass "app3 logs in to jwedb as joget ($n tables)" || fail "app3 cannot log in to jwedb: $n"
row=$(jcf "$WORK/add.yaml" "$STATE" licenses --table 2>&1 | grep -m1 node03)
[[ $row == *"key needed"* ]] && pass "the license checklist has node03's row: ${row//  / }" || fail "no 'key needed' row for node03: $row"

info "day two: retire node02 (and its host app2) while a client whose session is on node02 polls"
jcf "$WORK/retire.yaml" "$STATE" apply --quiet </dev/null >"$WORK/retire-refused.log" 2>&1; rc=$?
if [ $rc = 2 ] && grep -q "retires node02" "$WORK/retire-refused.log" && grep -q -- "--yes" "$WORK/retire-refused.log"; then
    pass "without --yes and a terminal, apply refuses and lists what it would retire: $(grep -m1 'retires' "$WORK/retire-refused.log" | cut -c1-120)"
else fail "apply without --yes (rc $rc) did not refuse the retirement: $(head -3 "$WORK/retire-refused.log")"; fi
poll_start node02 retire
jcf "$WORK/retire.yaml" "$STATE" apply --yes --quiet >"$WORK/retire.log" 2>&1; rc=$?
if [ $rc = 0 ]; then pass "apply retiring node02: $(grep -E '^[0-9]+ done' "$WORK/retire.log" | tail -1)"
else fail "apply retiring node02 exited $rc"; tail -20 "$WORK/retire.log"; failed_logs "$STATE" "$WORK/retire.log"; fi
poll_end retire "retiring node02"
nodes=$(for _ in $(seq 1 12); do LB "http://$LAB_ADDR_LB/jw/web/json/cluster/info" | field node; done | sort -u | tr '\n' ' ')
site=$("$LAB" exec lb grep -c 'route=node02' /etc/apache2/sites-available/jwsite.conf)
if [[ $nodes != *node02* ]] && [[ $nodes == *node0[13]* ]] && [ "$site" = 0 ]; then pass "node02 is out of the balancer: the site has no route=node02, 12 requests reached $nodes"
else fail "the balancer still knows node02 ($site lines in the site) or 12 requests reached: $nodes"; fi
s=$("$LAB" exec app2 sh -c 'systemctl is-enabled joget-node02; systemctl is-active joget-node02' 2>&1 | tr '\n' ' ')
[ "$s" = "disabled inactive " ] && pass "joget-node02 on app2 is disabled and stopped" || fail "joget-node02 on app2 is: $s"
"$LAB" exec app2 test -d /opt/joget/node02 && pass "node02's folder is kept (no --purge)" || fail "node02's folder is gone without --purge"
n=$("$LAB" exec db mysql -N -B -e "SELECT COUNT(*) FROM mysql.user WHERE User='joget' AND Host='$LAB_ADDR_APP2'")
[ "$n" = 0 ] && pass "the database account joget@$LAB_ADDR_APP2 is gone" || fail "joget@$LAB_ADDR_APP2 still exists ($n)"
jcf "$WORK/retire.yaml" "$STATE" verify >"$WORK/verify-retire.log" 2>&1; rc=$?
[ $rc = 0 ] && pass "verify with node01 and node03: $(tail -1 "$WORK/verify-retire.log")" || fail "verify after the retirement exited $rc: $(grep -v '^PASS' "$WORK/verify-retire.log" | head -3)"

info "backup while the cluster serves, destroy a table and a file, restore; a damaged backup is refused"
M=$LAB_SHARED_MOUNT
"$LAB" exec app1 runuser -u joget -- sh -c "echo marker > $M/bk-marker"
"$LAB" exec db mysql jwedb -e "CREATE TABLE bk_marker (id INT); INSERT INTO bk_marker VALUES (42)"
# Byte for byte: every file's content, mode and owner in the shared directory, and the database's dump.
# Left out: the files verify writes to test the share (.joget-cluster-verify-HOST, new content each
# time), since restore ends with a verify.
files_list() { "$LAB" exec app1 sh -c "cd $M && find . ! -name '.joget-cluster-verify-*' -printf '%p %m %U:%G %y\n' | sort
    find . -type f ! -name '.joget-cluster-verify-*' -print0 | sort -z | xargs -0 sha256sum"; }
db_sum() { "$LAB" exec db sh -c 'mariadb-dump --skip-dump-date --skip-comments --databases jwedb | sha256sum' | cut -c1-64; }
files_before=$(files_list); db_before=$(db_sum)
jcf "$WORK/retire.yaml" "$STATE" backup --to "$WORK/bk" >"$WORK/backup.log" 2>&1; rc=$?
B=; for d in "$WORK"/bk/*-*; do [ -d "$d" ] && B=$d; done
if [ $rc = 0 ] && [ -f "$B/manifest.json" ]; then
    pass "backup in $(basename "$B"): $(du -sh "$B" | cut -f1); $(grep -E 'database.sql.gz|wflow.tar.gz' "$WORK/backup.log" | tail -2 | tr '\n' ' ' | cut -c1-160)"
else fail "backup exited $rc: $(tail -3 "$WORK/backup.log")"; fi
"$LAB" exec db mysql jwedb -e "DROP TABLE bk_marker"
"$LAB" exec app1 rm -f "$M/bk-marker"
# As an operator days later: restore with no folder, at a terminal (script(1) gives it a pty), picks
# the only backup from the list (1) and confirms (y).
printf '1\ny\n' | script -qec "$(printf '%q ' "$BIN" restore --from "$WORK/bk" --answers "$WORK/retire.yaml" --secrets "$LAB_SECRETS" \
    --state-dir "$STATE" --known-hosts "$LAB_KNOWN_HOSTS")" /dev/null 2>&1 | tr -d '\r' >"$WORK/restore.log"; rc=${PIPESTATUS[1]}
if grep -q "^  1  $(basename "$B")  Joget " "$WORK/restore.log" && grep -q 'Which one? \[1-1\]' "$WORK/restore.log" && grep -q 'Restore? \[y/N\]' "$WORK/restore.log"; then
    pass "restore without a folder listed the backup, asked which one and to confirm: $(grep -m1 "^  1  " "$WORK/restore.log")"
else fail "restore's list and questions: $(head -4 "$WORK/restore.log" | tr '\n' ' ')"; fi
if [ "$rc" = 0 ]; then pass "restore finished with verify green: $(tail -1 "$WORK/restore.log")"
else fail "restore exited $rc: $(grep -m3 -E 'FAIL|NOT RUN|rror' "$WORK/restore.log")"; tail -5 "$WORK/restore.log"; fi
r=$("$LAB" exec db mysql -N -B jwedb -e 'SELECT id FROM bk_marker' 2>&1)
f=$("$LAB" exec app1 cat "$M/bk-marker" 2>&1)
if [ "$r" = 42 ] && [ "$f" = marker ]; then pass "the dropped table's row and the deleted file are back"
else fail "after restore: row '$r', file '$f'"; fi
files_after=$(files_list); db_after=$(db_sum)
# A listing with the marker file in it, and the sum of a dump that is not empty (e3b0c442... is
# sha256 of nothing: a dump that failed): what could not be taken is no match.
if ! grep -q ' \./bk-marker$' <<<"$files_before" || [ ${#db_before} != 64 ] || [ "${db_before:0:8}" = e3b0c442 ]; then
    fail "not run: the shared directory's listing or the dump's sum could not be taken before the backup"
elif [ "$files_after" = "$files_before" ] && [ "$db_after" = "$db_before" ]; then
    pass "byte for byte as when backed up: the shared directory ($(grep -c ' f$' <<<"$files_before") files: content, mode, owner) and the database's dump (sha256 ${db_after:0:12})"
else fail "after restore: the dump's sum ${db_before:0:12} -> ${db_after:0:12}; the shared directory's differences: $(diff <(echo "$files_before") <(echo "$files_after") | grep '^[<>]' | head -6 | tr '\n' ' ')"; fi
cp -a "$B" "$WORK/bad"
# Invert byte 200 (a fixed byte could already be there: the archive differs each run).
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[200] ^= 0xFF; open(p, "wb").write(b)' "$WORK/bad/database.sql.gz"
"$LAB" exec db mysql jwedb -e "INSERT INTO bk_marker VALUES (43)"
jcf "$WORK/retire.yaml" "$STATE" restore "$WORK/bad" --yes >"$WORK/restore-bad.log" 2>&1; rc=$?
n=$("$LAB" exec db mysql -N -B jwedb -e 'SELECT COUNT(*) FROM bk_marker' 2>&1)
if [ $rc = 1 ] && grep -q 'database.sql.gz' "$WORK/restore-bad.log" && [ "$n" = 2 ]; then
    pass "a backup with one byte changed is refused, naming the part, and nothing changed: $(grep -m1 'database.sql.gz' "$WORK/restore-bad.log" | cut -c1-120)"
else fail "damaged backup: exit $rc, rows $n: $(head -3 "$WORK/restore-bad.log")"; fi
# --keep: a second backup keeps itself and removes the first; a folder without a manifest (a backup
# that did not finish) is named and left where it is.
stopped="$WORK/bk/$(basename "$B" | sed 's/-[0-9]\{8\}-[0-9]\{6\}$//')-20000101-000000"
mkdir -p "$stopped"
jcf "$WORK/retire.yaml" "$STATE" backup --to "$WORK/bk" --keep 1 >"$WORK/backup-keep.log" 2>&1; rc=$?
left=$(find "$WORK/bk" -mindepth 1 -maxdepth 1 -type d -printf '%f ')
if [ $rc = 0 ] && [ ! -e "$B" ] && [ -d "$stopped" ] && [ "$(echo "$left" | wc -w)" = 2 ] \
    && grep -q "removed 1 ($(basename "$B"))" "$WORK/backup-keep.log" && grep -q "left alone: $stopped" "$WORK/backup-keep.log"; then
    pass "backup --keep 1 removed the older backup and left the unfinished folder: $(grep -m1 'older backups' "$WORK/backup-keep.log" | cut -c1-110)"
else fail "backup --keep 1: exit $rc, folders now: $left; $(grep -E 'older|left alone|rror' "$WORK/backup-keep.log" | head -3)"; fi
# status, from the state folder alone: what is installed, the checks green, and the backup that --to
# sent out of the state folder.
kept=$(sed -n 's/^backup complete: \([^ ]*\) .*/\1/p' "$WORK/backup-keep.log")
jcf "$WORK/retire.yaml" "$STATE" status >"$WORK/status.log" 2>&1; rc=$?
if [ $rc = 0 ] && [ -n "$kept" ] && grep -qE '^  Installed +Joget [0-9.]+: node01 on app1, node03 on app3; through http://' "$WORK/status.log" \
    && grep -qE '^  Verify +[-0-9]+ [:0-9]+ \(.*\): all [0-9]+ checks passed$' "$WORK/status.log" \
    && grep -qF "): $kept (" "$WORK/status.log"; then
    pass "status at a glance: $(sed -n '2,4p' "$WORK/status.log" | cut -c1-70 | tr '\n' '|')"
else fail "status: exit $rc, backup '$kept': $(head -6 "$WORK/status.log" | tr '\n' '|')"; fi

# ---- 1d. Upgrading Joget: rolling, rollback, safe killed and resumed -----------------------------
# shellcheck source=lib/e2e-upgrade.sh
. "$HERE/lib/e2e-upgrade.sh"
upgrade_section "$WORK/retire.yaml" "$STATE" app1:node01 app3:node03

# ---- 1e. TLS at the balancer ---------------------------------------------------------------------
# shellcheck source=lib/e2e-tls.sh
. "$HERE/lib/e2e-tls.sh"
tls_section "$WORK/retire.yaml" "$STATE" node01 node03

# ---- 2. Resume under fire ----------------------------------------------------------------------
info "kill -9 at 5 random points of the install, resume each time (seed $SEED)"
up
STATE=$WORK/state-fire
total=$("$BIN" plan --answers "$LAB_ANSWERS" | grep -c '^\[')
# Kill points are counts of finished steps, spread over the whole install; seeded here, so that
# E2E_SEED repeats them whatever ran before.
RANDOM=$SEED
points=$(for _ in 1 2 3 4 5; do echo $(( 2 + RANDOM % (total - 4) )); done | sort -n | tr '\n' ' ')
echo "     $total steps; kill after these many finished steps: $points"
mode=apply
for target in $points; do
    if [ $mode = apply ]; then (jc_exec "$STATE" apply --yes --quiet >"$WORK/fire-$target.log" 2>&1) &
    else (jc_exec "$STATE" resume --quiet >"$WORK/fire-$target.log" 2>&1) & fi
    pid=$!
    while kill -0 $pid 2>/dev/null; do
        ends=$(finished_steps "$STATE")
        [ "$ends" -ge "$target" ] && break
        sleep 0.05
    done
    if kill -9 $pid 2>/dev/null; then echo "     killed the $mode at $ends step ends"; else echo "     the $mode finished before $target steps"; fi
    wait $pid 2>/dev/null
    pkill -f "ssh .*joget-lab/keys" 2>/dev/null
    mode=resume
done
jc "$STATE" resume --quiet >"$WORK/fire-final.log" 2>&1
rc=$?
if [ $rc = 0 ]; then pass "resume after 5 kills finished: $(grep -E 'done in' "$WORK/fire-final.log" | tail -1)"
else fail "final resume exited $rc"; tail -30 "$WORK/fire-final.log"; failed_logs "$STATE" "$WORK/fire-final.log"; fi
journal_check "$STATE" "after kills"; record $?
outside_checks "after kills"

# ---- 3. Stopped while the database restarts ----------------------------------------------------
info "SIGTERM while MariaDB restarts (a clean stop): resume finishes and the database answers"
up
STATE=$WORK/state-stop
apply_until_step "$STATE" db.network@db "$WORK/stop.log"
sleep 0.3
kill -TERM $pid
wait $pid; rc=$?
[ $rc = 130 ] && pass "apply stopped on SIGTERM (exit 130)" || fail "apply exited $rc on SIGTERM"
jc "$STATE" resume --quiet >"$WORK/stop-resume.log" 2>&1; rc=$?
if [ $rc = 0 ]; then pass "resume after the stop finished: $(grep -E 'done in' "$WORK/stop-resume.log" | tail -1)"
else fail "resume after the stop exited $rc: $(grep -m2 -E 'FAIL|failed' "$WORK/stop-resume.log")"; failed_logs "$STATE" "$WORK/stop-resume.log"; fi
if "$LAB" exec db timeout 10 mysqladmin --connect-timeout=5 ping >/dev/null 2>&1; then pass "MariaDB answers after the stop and resume"
else fail "MariaDB does not answer after the stop and resume"; fi

# ---- 4. A link cut mid-step --------------------------------------------------------------------
info "cut app2's link while its Tomcat starts; the step fails; restore; resume retries it"
up
STATE=$WORK/state-link
apply_until_step "$STATE" app.start@app2#node02 "$WORK/link.log"
"$LAB" link app2 down
wait $pid; rc=$?
"$LAB" link app2 up
reason=$(grep -m1 -E 'app.start@app2#node02.*(failed|interrupted)' "$WORK/link.log")
if [ $rc = 1 ] && [ -n "$reason" ]; then pass "link cut: the step failed with: ${reason//  / }"
else fail "link cut: apply exited $rc; $(grep -m1 'app.start@app2' "$WORK/link.log")"; fi
jc "$STATE" resume --quiet >"$WORK/link-resume.log" 2>&1
rc=$?
if [ $rc = 0 ]; then pass "link restored: resume retried and finished: $(grep -E 'done in' "$WORK/link-resume.log" | tail -1)"
else fail "resume after the link came back exited $rc"; tail -20 "$WORK/link-resume.log"; failed_logs "$STATE" "$WORK/link-resume.log"; fi
