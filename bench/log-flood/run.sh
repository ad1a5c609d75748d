#!/bin/bash
# Log flood: 1,000,000 lines of about 100 bytes streamed by one remote step (over the loopback sshd
# of Tests/support/sshd-fixture.sh) into the wizard's Run page, in a 120x40 tmux. Prints, beside the
# baseline `ssh host cat FILE >/dev/null` of the same file:
#   - time:    the runner's run of the step (login included) vs the best of 3 plain ssh cat (target <= 1.5x)
#   - memory:  the wizard's peak resident memory, VmHWM (target <= 100 MB)
#   - latency: key press to screen during the flood: `/` opens the log's search prompt, Backspace
#              closes it; each is sent with tmux send-keys and capture-pane is polled until the prompt
#              shows (or goes) (target p95 <= 50 ms)
# The wizard is started on the Run page by a hidden subcommand, `joget-cluster bench-run`.
#
#   bench/log-flood/run.sh [LINES]     (root: the sshd fixture creates test users)
# Environment: BENCH_SCRATCH (build folder, default .build-bench), BENCH_KEEP=1 keeps the temp folder,
# BENCH_KEYS=0 sends no keys (the key prober polls tmux without pause, which takes most of a core:
# without it the time is the wizard's alone, as the baseline's is ssh's alone).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LINES=${1:-1000000}
SCRATCH=${BENCH_SCRATCH:-$ROOT/.build-bench}
WORK=$(mktemp -d /tmp/jc-log-flood.XXXXXX)
chmod 755 "$WORK"
SESSION=jc-log-flood-$$
cleanup() {
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

command -v tmux >/dev/null || { echo "log-flood: tmux is needed (apt-get install tmux)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "log-flood: python3 is needed" >&2; exit 2; }

echo "== building joget-cluster (release) in $SCRATCH"
swift build -c release --scratch-path "$SCRATCH" --product joget-cluster 2>&1 | tail -n 1
BIN="$SCRATCH/release/joget-cluster"

echo "== starting the loopback sshd fixture"
Tests/support/sshd-fixture.sh start >/dev/null
declare -A FX
while IFS= read -r line; do FX["${line%%=*}"]="${line#*=}"; done < <(Tests/support/sshd-fixture.sh env)
HOST=${FX[JC_SSHD_HOST]}; PORT=${FX[JC_SSHD_PORT]}; USER_=${FX[JC_SSHD_KEY_USER]}
KEY=${FX[JC_SSHD_KEY]}; KNOWN=${FX[JC_SSHD_KNOWN_HOSTS]}

FILE=$WORK/flood.txt
echo "== writing $LINES lines to $FILE"
awk -v n="$LINES" 'BEGIN { pad = sprintf("%76s", ""); gsub(/ /, "x", pad);
    for (i = 0; i < n; i++) printf "flood line %09d %s\n", i, pad }' > "$FILE"
chmod 644 "$FILE"
BYTES=$(stat -c %s "$FILE")

SSH=(ssh -p "$PORT" -i "$KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
     -o UserKnownHostsFile="$KNOWN" -o ControlMaster=no -o ControlPath=none "$USER_@$HOST")
# best_of_3 COMMAND...: the shortest of three runs, in seconds.
best_of_3() {
    python3 - "$@" <<'EOF'
import subprocess, sys, time
best = None
for _ in range(3):
    t = time.monotonic()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
    d = time.monotonic() - t
    best = d if best is None or d < best else best
print(f"{best:.3f}")
EOF
}
echo "== baseline: ssh cat (best of 3)"
BASE=$(best_of_3 "${SSH[@]}" cat "$FILE")
# The wizard puts AES-GCM first when the CPU has AES instructions and nobody chose a cipher order
# (Sources/ClusterEngine/SSHCiphers.swift): the same ssh cat with that cipher, for comparison.
BASE_GCM=-
if grep -qw aes /proc/cpuinfo; then BASE_GCM=$(best_of_3 "${SSH[@]}" -c aes128-gcm@openssh.com cat "$FILE"); fi

echo "== the wizard's Run page in tmux 120x40, with key presses during the flood"
REPORT=$WORK/report.json
tmux new-session -d -s "$SESSION" -x 120 -y 40 \
    "TERM=xterm-256color '$BIN' bench-run --address '$HOST' --port '$PORT' --user '$USER_' --key '$KEY' \
     --known-hosts '$KNOWN' --state-dir '$WORK/state' --report '$REPORT' --exit-when-done \
     --command 'cat $FILE' 2>'$WORK/stderr'"
LAT=$(python3 - "$SESSION" "$REPORT" "${BENCH_KEYS:-1}" <<'EOF'
import subprocess, sys, time, os, json
session, report, keys = sys.argv[1], sys.argv[2], sys.argv[3] != "0"
if not keys:
    while not os.path.exists(report): time.sleep(0.05)
    print(json.dumps({"n": 0, "p50": None, "p95": None, "max": None, "timeouts": 0}))
    sys.exit(0)
def screen():
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout.split("\n")
def prompt_shown():
    rows = screen()
    # The page is drawn in the wizard's frame (header, rule; one column of margin): the prompt row is its last.
    return len(rows) > 38 and rows[38][1:].startswith("/")
# Wait until the flood shows on screen.
t0 = time.monotonic()
while time.monotonic() - t0 < 30:
    if any("flood line" in r for r in screen()): break
    time.sleep(0.01)
samples, timeouts = [], 0
while not os.path.exists(report):
    for key, want in (("/", True), ("BSpace", False)):
        t = time.monotonic()
        subprocess.run(["tmux", "send-keys", "-t", session, key])
        ok = False
        while time.monotonic() - t < 2:
            if prompt_shown() == want:
                ok = True
                break
        if ok: samples.append((time.monotonic() - t) * 1000)
        else: timeouts += 1
    time.sleep(0.02)
samples.sort()
def pct(p): return samples[min(len(samples) - 1, int(round(p / 100 * (len(samples) - 1))))] if samples else float("nan")
print(json.dumps({"n": len(samples), "p50": pct(50), "p95": pct(95), "max": samples[-1] if samples else float("nan"), "timeouts": timeouts}))
EOF
)
for _ in $(seq 1 100); do tmux has-session -t "$SESSION" 2>/dev/null || break; sleep 0.1; done
[ -f "$REPORT" ] || { echo "log-flood: no report from the wizard; its stderr:" >&2; cat "$WORK/stderr" >&2; exit 1; }

python3 - "$REPORT" "$BASE" "$LAT" "$LINES" "$BYTES" "$BASE_GCM" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1])); base = float(sys.argv[2]); lat = json.loads(sys.argv[3])
lines, size = int(sys.argv[4]), int(sys.argv[5])
base_gcm = None if sys.argv[6] == "-" else float(sys.argv[6])
ratio = r["run_seconds"] / base
mb = r["vmhwm_kb"] / 1024
def mark(ok): return "ok" if ok else "OVER"
print()
print(f"log flood: {lines:,} lines, {size / 1e6:.1f} MB, one remote step over the loopback sshd, page 120x40 in tmux")
print(f"{'':28}{'wizard':>14}{'baseline':>14}{'target':>12}")
print(f"{'time (s)':28}{r['run_seconds']:>14.2f}{base:>14.2f}{'<= 1.5x':>12}   {ratio:.2f}x {mark(ratio <= 1.5)}")
if base_gcm is not None:
    print(f"{'  ssh cat -c aes128-gcm':28}{'':>14}{base_gcm:>14.2f}{'':>12}   {r['run_seconds'] / base_gcm:.2f}x (the cipher the wizard prefers here)")
print(f"{'peak memory VmHWM (MB)':28}{mb:>14.1f}{'-':>14}{'<= 100':>12}   {mark(mb <= 100)}")
if lat["p95"] is None:
    print(f"{'key to screen p95 (ms)':28}{'-':>14}{'-':>14}{'<= 50':>12}   not measured (BENCH_KEYS=0)")
else:
    print(f"{'key to screen p95 (ms)':28}{lat['p95']:>14.1f}{'-':>14}{'<= 50':>12}   {mark(lat['p95'] <= 50)}"
          f"   (p50 {lat['p50']:.1f}, max {lat['max']:.1f}, {lat['n']} presses, {lat['timeouts']} timeouts)")
print(f"{'lines to the page / kept':28}{r['lines_received']:>14,}{r['lines_kept']:>14,}   "
      f"({r['lines_left_out']:,} left out while the page caught up; all are in the step's log file) step {r['status']}")
EOF
