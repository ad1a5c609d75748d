# shellcheck shell=bash
# shellcheck disable=SC2034 # KEEP, WORK and the rest are read by the scripts that source this
# Shared by the lab's end-to-end scripts (source it with the script's arguments, HERE set to
# Tests/lab): paths, --keep, a work folder, PASS/FAIL counting, and the closing tally.
ROOT=$(cd "$HERE/../.." && pwd)
LAB=$HERE/lab.sh
BIN=${JOGET_CLUSTER_BIN:-$ROOT/.build/debug/joget-cluster}
KEEP=0; [ "${1:-}" = "--keep" ] && KEEP=1
WORK=$(mktemp -d "/tmp/joget-$(basename "$0" .sh).XXXXXX")
PASSES=0 FAILS=0
T0=$SECONDS

pass() { PASSES=$((PASSES + 1)); echo "PASS $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL $*"; }
info() { echo "---- [$((SECONDS - T0))s] $*"; }
# failed_logs STATE OUTPUT: the end of the log of every step OUTPUT reports failed, so that a
# failure in CI can be read from its output alone.
failed_logs() {
    # A crash says why in its first lines, which a tail of the output would not show.
    grep -m1 -E 'Fatal error|Assertion failed|Precondition failed' "$2" | sed 's/^/     crashed: /'
    grep -E '^[a-z]+\.[a-z-]+@[^ ]+ +[^ ]+ +failed' "$2" | awk '{print $1, $2}' | while read -r step host; do
        echo "     --- end of $step's log:"
        tail -n 12 "$1/logs/$host/$(printf '%s' "$step" | tr -c 'A-Za-z0-9._@+-' '_').log" 2>&1 | sed 's/^/     /'
    done
}
# served_by NODE: which node served a request through the balancer routed to NODE (a session
# cookie ending in .NODE). Not new sessions: byrequests sends those to whichever node served fewer
# requests so far, sticky ones included.
served_by() {
    curl -s -m 10 -H "Cookie: JSESSIONID=0000000000000000.$1" "http://$LAB_ADDR_LB/jw/web/json/cluster/info" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin).get("node", ""))' 2>/dev/null
}
# tally NAME: the closing lines; fails when anything failed.
tally() {
    echo "$1: $((SECONDS - T0))s"
    echo "$PASSES passed, $FAILS failed"
    [ $FAILS = 0 ]
}
# The binary built, the lab's packages present: or stop here.
need_binary_and_lab() {
    [ -x "$BIN" ] || { fail "no binary at $BIN: build first (swift build)"; exit 1; }
    "$LAB" install >/dev/null || { fail "lab install"; exit 1; }
}
