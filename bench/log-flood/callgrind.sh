#!/bin/bash
# The log flood under callgrind: instruction counts, which repeat from run to run on a shared,
# noisy machine where wall-clock times do not. Runs `joget-cluster bench-run` (no key presses) in a
# 120x40 tmux under `valgrind --tool=callgrind --trace-children=yes`, so the ssh processes it starts
# are counted too, then prints the instructions of each process and of each phase of the wizard's.
#
#   bench/log-flood/callgrind.sh [LINES] [BINARY]     (root: the sshd fixture creates test users)
# BINARY: a release joget-cluster (default: built in BENCH_SCRATCH, default .build-bench). The
# callgrind files stay in the printed folder.
#
# Three workarounds for valgrind 3.19 (Debian 12), for profiling only:
#   - it cannot read DWARF 5: the binary is profiled from a copy without debug info (symbols stay);
#   - it crashes when libdispatch's dispatch_main parks the main thread (every async main): a shim,
#     preloaded, drains the main queue on the main thread instead;
#   - under it posix_spawn cannot report a failed exec, so swift-subprocess takes the first
#     directory of PATH that it tries: PATH starts with /usr/bin.
# Instructions only: the kernel's work (pipes, the log file's writes) is not counted.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LINES=${1:-1000000}
SCRATCH=${BENCH_SCRATCH:-$ROOT/.build-bench}
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "callgrind.sh: tmux is needed" >&2; exit 2; }
command -v cc >/dev/null || { echo "callgrind.sh: a C compiler is needed" >&2; exit 2; }
OUT=$(mktemp -d /tmp/jc-flood-callgrind.XXXXXX)
chmod 755 "$OUT"
SESSION=jc-flood-callgrind-$$
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true' EXIT

if [ -n "${2:-}" ]; then
    BIN=$2
else
    echo "== building joget-cluster (release) in $SCRATCH"
    swift build -c release --scratch-path "$SCRATCH" --product joget-cluster > "$OUT/build.log" 2>&1 \
        || { cat "$OUT/build.log" >&2; exit 1; }
    BIN="$SCRATCH/release/joget-cluster"
fi
objcopy --strip-debug "$BIN" "$OUT/joget-cluster"
cat > "$OUT/main-queue.c" <<'EOF'
/* Profiling aid: dispatch_main, draining the main queue on the main thread. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>
void dispatch_main(void) {
    int (*handle)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "_dispatch_get_main_queue_handle_4CF");
    void (*drain)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "_dispatch_main_queue_callback_4CF");
    int fd = handle();
    for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        poll(&p, 1, 100);
        uint64_t v;
        if (p.revents & POLLIN) (void)read(fd, &v, sizeof v);
        drain(0);
    }
}
EOF
cc -O2 -shared -fPIC -o "$OUT/main-queue.so" "$OUT/main-queue.c" -ldl

Tests/support/sshd-fixture.sh start >/dev/null
declare -A FX
while IFS= read -r line; do FX["${line%%=*}"]="${line#*=}"; done < <(Tests/support/sshd-fixture.sh env)
FILE=$OUT/flood.txt
awk -v n="$LINES" 'BEGIN { pad = sprintf("%76s", ""); gsub(/ /, "x", pad);
    for (i = 0; i < n; i++) printf "flood line %09d %s\n", i, pad }' > "$FILE"
chmod 644 "$FILE"

echo "== $LINES lines under callgrind (about a minute a million lines)"
tmux new-session -d -s "$SESSION" -x 120 -y 40 \
    "PATH=/usr/bin:/bin:\$PATH TERM=xterm-256color LD_PRELOAD='$OUT/main-queue.so' \
     valgrind --tool=callgrind --trace-children=yes --callgrind-out-file='$OUT/callgrind.%p' \
     '$OUT/joget-cluster' bench-run --address '${FX[JC_SSHD_HOST]}' --port '${FX[JC_SSHD_PORT]}' \
     --user '${FX[JC_SSHD_KEY_USER]}' --key '${FX[JC_SSHD_KEY]}' --known-hosts '${FX[JC_SSHD_KNOWN_HOSTS]}' \
     --state-dir '$OUT/state' --report '$OUT/report.json' --exit-when-done --command 'cat $FILE' 2>'$OUT/valgrind.txt'"
while tmux has-session -t "$SESSION" 2>/dev/null; do sleep 1; done
[ -f "$OUT/report.json" ] || { echo "callgrind.sh: no report; see $OUT/valgrind.txt" >&2; exit 1; }
rm -rf "$FILE" "$OUT/state"   # the flood and its 98 MB log: the callgrind files are what is kept

python3 - "$OUT" <<'EOF'
import glob, json, re, subprocess, sys
out = sys.argv[1]
report = json.load(open(f"{out}/report.json"))
def header(path, key):
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith(key): return line[len(key):].strip()
    return ""
wizard = None
print(f"\nprocesses (instructions, user space):")
for path in sorted(glob.glob(f"{out}/callgrind.*")):
    total = int(header(path, "summary:") or header(path, "totals:") or 0)
    cmd = header(path, "cmd:")
    if "bench-run" in cmd: wizard = path
    print(f"  {total:>15,}  {cmd[:110]}")
if wizard is None: sys.exit("no callgrind file of the wizard")
text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", wizard],
                      capture_output=True, text=True).stdout
tree = subprocess.run(["callgrind_annotate", "--tree=caller", "--inclusive=yes", "--threshold=100", wizard],
                      capture_output=True, text=True).stdout
def inclusive(pattern):
    best = 0
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \(", line)
        if m and re.search(pattern, line): best = max(best, int(m.group(1).replace(",", "")))
    return best
def calls(pattern):
    n = 0
    for block in tree.split("\n\n"):
        if re.search(r"\*\s+\S*" + pattern, block):
            n = sum(int(c.replace(",", "")) for c in re.findall(r"<.*\(([\d,]+)x\)", block))
    return n
lines = report["lines_received"]
total = inclusive(r"PROGRAM TOTALS")
phases = [
    ("reader thread: everything", r"OutputPipeC4read4into.*fU_ \["),
    ("  framing (lines of the stream)", r"StreamFramerV4feed"),
    ("  the runner's handler: all below", r"RunnerC12linesHandler.*fU_ \["),
    ("    cleaning, line by line", r"RedactorV15cleanOutputLine|RedactorV21appendCleanOutputLine"),
    ("    a read's plain lines: one look", r"RedactorV20leavesLinesAsTheyAre"),
    ("    the log's write (user space)", r"LogStoreC6append"),
    ("    events to the inbox", r"RunEventHubC4emit"),
    ("main loop: everything", r"AppRuntimeC3run4turn"),
    ("  lines into the page (ring)", r"RunScreenV5apply_12linesLeftOut"),
    ("  frames", r"TermUI8TerminalC4draw"),
]
frames = calls(r"TermUI8TerminalC4draw")
print(f"\nthe wizard: {total:,} instructions; {report['lines_received']:,} lines to the page, "
      f"{report['lines_left_out']:,} left out, {frames} frames")
for name, pattern in phases:
    n = inclusive(pattern)
    print(f"  {name:38}{n:>15,}")
if frames: print(f"  {'one frame':38}{inclusive(r'TermUI8TerminalC4draw') // frames:>15,}")
print(f"\nfiles in {out}")
EOF
