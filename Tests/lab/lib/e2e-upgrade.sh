# shellcheck shell=bash
# shellcheck disable=SC2015 # pass and fail only count and print: `A && pass || fail` is if-then-else here
# Rehearsal lab, end to end: upgrading Joget (the stand-in bundle 8.1.6 → 8.1.7) on an installed
# cluster. Sourced by e2e.sh, which defines jcf, poll_start/poll_end, LB, field, pass/fail/info.
#
#   upgrade_section ANSWERS STATE HOST:NODE...
#
# A rolling upgrade under a polling client (no failed request, the session kept), data written
# before and after; a rollback; then a safe upgrade killed with -9 half way and resumed, under a
# client that must see only 200s and 503s with Retry-After. ANSWERS is changed in place (its
# bundle), as `upgrade --bundle` does to an operator's file.

# all_on VERSION HOST:NODE...: each node, asked directly on its host, says VERSION; prints what they said.
all_on() {
    local want=$1 p host var said out='' ok=0; shift
    for p in "$@"; do
        host=${p%%:*}; var=LAB_ADDR_${host^^}
        said=$(curl -s -m 10 "http://${!var}:8080/jw/web/json/cluster/info" | field version)
        out="$out${p#*:}=${said:-nothing} "
        [ "$said" = "$want" ] || ok=1
    done
    echo "$out"
    return $ok
}

# balancer_log: the end of the balancer site's error log, for a failure's evidence.
balancer_log() { "$LAB" exec lb tail -n 4 /var/log/apache2/jwsite-error.log 2>&1 | cut -c1-200 | sed 's/^/     lb: /'; }

# note TEXT: a row written through the balancer; prints the version of the node that wrote it.
note() { LB -G "http://$LAB_ADDR_LB/jw/web/json/cluster/note" --data-urlencode "text=$1" | field version; }
notes() { LB "http://$LAB_ADDR_LB/jw/web/json/cluster/notes" | python3 -c 'import json,sys; print(" ".join(n["text"] + "@" + n["version"] for n in json.load(sys.stdin)["notes"]))' 2>&1; }

upgrade_section() {
    local answers=$1 state=$2; shift 2
    local pairs=("$@") nodes=() p b816 b817 rc v seen
    for p in "${pairs[@]}"; do nodes+=("${p#*:}"); done
    b816=$(sed -n 's/^ *bundle: *//p' "$answers" | tr -d "\"'")
    b817=$("$LAB" bundle --version 8.1.7 2>"$WORK/bundle-817.log" | tail -n 1)
    [ -f "$b817" ] || { fail "the 8.1.7 stand-in bundle did not build: $(tail -3 "$WORK/bundle-817.log")"; return; }

    info "upgrade 8.1.6 → 8.1.7 (rolling, the default for a patch) while a client polls; a row written before and after"
    v=$(note before-upgrade)
    [ "$v" = 8.1.6 ] && pass "a row written before the upgrade, by a node on 8.1.6" || fail "writing a row before the upgrade: '$v'"
    poll_start "${nodes[0]}" rolling
    jcf "$answers" "$state" upgrade --bundle "$b817" --yes --quiet >"$WORK/upgrade-rolling.log" 2>&1; rc=$?
    if [ $rc = 0 ] && grep -q 'rolling' "$WORK/upgrade-rolling.log"; then
        pass "upgrade --bundle 8.1.7: $(grep -E '^Joget 8.1.7 runs' "$WORK/upgrade-rolling.log"); backup first: $(grep -E '(database.sql.gz|wflow.tar.gz): .* copied at' "$WORK/upgrade-rolling.log" | tr '\n' ' ' | cut -c1-160)"
    else fail "upgrade --bundle exited $rc"; tail -20 "$WORK/upgrade-rolling.log"; failed_logs "$state" "$WORK/upgrade-rolling.log"; fi
    poll_end rolling "rolling upgrade 8.1.6 → 8.1.7"
    seen=$(all_on 8.1.7 "${pairs[@]}") && pass "every node answers as 8.1.7: $seen" || { fail "after the rolling upgrade: $seen"; balancer_log; }
    grep -q "bundle: \"$b817\"" "$answers" && pass "the answers file names the 8.1.7 bundle now" || fail "the answers file still says: $(grep bundle: "$answers")"
    v=$(note after-upgrade)
    seen=$(notes)
    if [ "$v" = 8.1.7 ] && [[ $seen == *before-upgrade@8.1.6* ]] && [[ $seen == *after-upgrade@8.1.7* ]]; then
        pass "the row from before is there, and one is written on 8.1.7: $seen"
    else fail "rows after the upgrade: wrote on '$v'; rows: $seen"; fi
    "$LAB" exec "${pairs[0]%%:*}" test -f "/opt/joget/${nodes[0]}.8.1.6/webapps/jw.war" &&
        pass "${nodes[0]}'s 8.1.6 folder is kept as /opt/joget/${nodes[0]}.8.1.6" || fail "no /opt/joget/${nodes[0]}.8.1.6"

    info "upgrade --rollback returns every node to 8.1.6 (rolling again) while a client polls"
    poll_start "${nodes[-1]}" rollback
    jcf "$answers" "$state" upgrade --rollback --yes --quiet </dev/null >"$WORK/rollback.log" 2>&1; rc=$?
    [ $rc = 0 ] && pass "rollback: $(grep -E '^Joget 8.1.6 runs' "$WORK/rollback.log")" ||
        { fail "upgrade --rollback exited $rc"; tail -20 "$WORK/rollback.log"; failed_logs "$state" "$WORK/rollback.log"; }
    poll_end rollback "rollback 8.1.7 → 8.1.6"
    seen=$(all_on 8.1.6 "${pairs[@]}") && pass "every node answers as 8.1.6 again: $seen" || { fail "after the rollback: $seen"; balancer_log; }
    seen=$(notes)
    [[ $seen == *after-upgrade@8.1.7* ]] && pass "the data written on 8.1.7 is kept (no --restore-backup): $seen" || fail "rows after the rollback: $seen"
    grep -q "bundle: \"$b816\"" "$answers" && pass "the answers file names the 8.1.6 bundle again" || fail "the answers file says: $(grep bundle: "$answers")"

    info "safe upgrade (--mode safe --no-backup), killed with -9 half way, then resume; the client sees only 200s and 503s with Retry-After"
    export POLL_MAINTENANCE_OK=1
    poll_start - safe
    unset POLL_MAINTENANCE_OK
    local swap2="upgrade.swap@${pairs[-1]%%:*}#${nodes[-1]}" pid seen_lines
    # The journal keeps earlier runs: only what this run adds counts.
    seen_lines=$(wc -l <"$state/journal.jsonl")
    (exec "$BIN" upgrade --bundle "$b817" --mode safe --no-backup --yes --quiet --answers "$answers" --secrets "$LAB_SECRETS" \
        --state-dir "$state" --known-hosts "$LAB_KNOWN_HOSTS" >"$WORK/upgrade-safe.log" 2>&1) &
    pid=$!
    for _ in $(seq 1 1200); do
        tail -n +$((seen_lines + 1)) "$state/journal.jsonl" | grep -qF "\"step\":\"$swap2\"" && break
        sleep 0.05
    done
    kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    pkill -f "ssh .*joget-lab/keys" 2>/dev/null
    local head
    head=$(curl -s -m 10 -o /dev/null -w '%{http_code} %header{retry-after}' "http://$LAB_ADDR_LB/jw/")
    [ "$head" = "503 60" ] && pass "killed after $swap2 started: the balancer answers 503 with Retry-After: 60 meanwhile" ||
        fail "after the kill the balancer answers '$head' (want '503 60'): $(tail -3 "$WORK/upgrade-safe.log")"
    jcf "$answers" "$state" resume --quiet >"$WORK/upgrade-safe-resume.log" 2>&1; rc=$?
    if [ $rc = 0 ] && grep -qE '^Joget 8.1.7 runs.*Downtime: [0-9]+ s' "$WORK/upgrade-safe-resume.log"; then
        pass "resume finished the safe upgrade: $(grep -E '^Joget 8.1.7 runs' "$WORK/upgrade-safe-resume.log")"
    else fail "resume of the safe upgrade exited $rc"; tail -20 "$WORK/upgrade-safe-resume.log"; failed_logs "$state" "$WORK/upgrade-safe-resume.log"; fi
    sleep 2; touch "$WORK/poll.stop"
    # shellcheck disable=SC2154 # poll_start (e2e.sh) sets $poller
    wait "$poller"
    local judged
    judged=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["requests"], d["maintenance"], len(d["failures"]), json.dumps(d.get("versions"), separators=(",", ":")), json.dumps(d["failures"][:3])) if "error" not in d else print("? ? ?", d["error"])' "$WORK/poll-safe.json" 2>&1)
    local preq pmaint pfail pvers
    read -r preq pmaint pfail pvers _ <<<"$judged"
    if [ "$pfail" = 0 ] && [ "${pmaint:-0}" -gt 0 ] 2>/dev/null; then
        pass "safe upgrade: the polling client sent $preq requests: $pmaint answered 503 with Retry-After, none failed; versions seen $pvers"
    else fail "safe upgrade: the polling client: $judged"; fi
    seen=$(all_on 8.1.7 "${pairs[@]}") && pass "every node answers as 8.1.7 after the safe upgrade: $seen" || { fail "after the safe upgrade: $seen"; balancer_log; }
    jcf "$answers" "$state" verify >"$WORK/verify-upgrade.log" 2>&1; rc=$?
    [ $rc = 0 ] && pass "verify after the upgrades: $(tail -1 "$WORK/verify-upgrade.log")" ||
        fail "verify after the upgrades exited $rc: $(grep -v '^PASS' "$WORK/verify-upgrade.log" | head -3)"
}
