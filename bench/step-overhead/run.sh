#!/bin/bash
# Step overhead, transport only: 50 trivial steps (`true`) on one SSH host, three ways, side by side.
#   (a) this engine's SSHTransport: one long-lived shell over a ControlMaster, framed commands
#       (measured by the Swift Testing test `benchStepOverhead`, RUN_BENCH=1)
#   (b) plain `ssh host true` per step (a login each time); (b') the same through a ControlMaster socket
#   (c) ansible-core (PyPI, in a venv under /tmp) with pipelining: a 50-task playbook of `command: true`
#       and one of `raw: true`; per-task times come from a tiny callback plugin.
# The host is the sshd fixture (Tests/support/sshd-fixture.sh, started here if needed).
# (a') is the whole engine: the runner, a check and an apply per step in one frame, the journal
#      made durable by its syncer (the run ends once it is on disk); beside it, in the same run:
#      - the same frames sent straight through the transport, no runner (--transport-only): the
#        floor under the engine, which the host's two forks (check, apply) and the link make;
#      - steps whose check passes (--already-done): one fork, the apply not run;
#      - the engine waiting for each record's fsync (--sync-each, the engine before the syncer);
#      - check and apply as two frames (--separate);
#      - the floor: the same session shell and frames from a minimal client (floor.py: one select
#        loop, no runner, journal or log) over ssh with the wizard's cipher, for both step kinds.
#      Three runs of each, alternating.
# Targets (issue 14): (a') <= 1 ms per step of wall time, and >= 200x ansible-core's command module.
#
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
STEPS=${STEPS:-50}
SCRATCH=${SCRATCH:-.build-ssh}
VENV=${ANSIBLE_VENV:-/tmp/jc-bench-ansible}
WORK=$(mktemp -d /tmp/jc-bench-XXXXXX)
MASTER_PID=
cleanup() {
    if [ -n "$MASTER_PID" ]; then kill "$MASTER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

"$REPO/Tests/support/sshd-fixture.sh" start
while IFS= read -r line; do
    case "$line" in
        JC_SSHD_PORT=*|JC_SSHD_KEY=*|JC_SSHD_KNOWN_HOSTS=*|JC_SSHD_KEY_USER=*|JC_SSHD_HOST=*) export "${line?}" ;;
    esac
done < <("$REPO/Tests/support/sshd-fixture.sh" env)
SSH_OPTS=(-o BatchMode=yes -o IdentitiesOnly=yes -i "$JC_SSHD_KEY" -o UserKnownHostsFile="$JC_SSHD_KNOWN_HOSTS"
          -o StrictHostKeyChecking=yes -p "$JC_SSHD_PORT" -l "$JC_SSHD_KEY_USER")
PY=$(command -v python3)

median_of() { # file of ms values, one per line
    "$PY" -c 'import sys, statistics; v=[float(x) for x in open(sys.argv[1]) if x.strip()]; print("%.3f" % statistics.median(v))' "$1"
}

echo "== (a) engine (SSHTransport, framed shell) =="
cd "$REPO"
swift build --build-tests --scratch-path "$SCRATCH" >/dev/null
RUN_BENCH=1 BENCH_STEPS=$STEPS BENCH_OUT="$WORK/engine.txt" \
    swift test --skip-build --scratch-path "$SCRATCH" --filter benchStepOverhead >"$WORK/engine.log" 2>&1 \
    || { tail -20 "$WORK/engine.log"; exit 1; }
cat "$WORK/engine.txt"
ENGINE=$(sed -n 's/.*engine\[no sudo\].*median_ms=\([0-9.]*\).*/\1/p' "$WORK/engine.txt")
ENGINE_SUDO=$(sed -n 's/.*engine\[sudo -n (nopasswd)\].*median_ms=\([0-9.]*\).*/\1/p' "$WORK/engine.txt")

echo "== (a') whole engine: runner, check + apply per step, journal synced (release build) =="
swift build -c release --scratch-path "$SCRATCH-release" >/dev/null
MODES=(engine transport-only already-done sync-each separate floor-change floor-done)
for mode in "${MODES[@]}"; do : >"$WORK/wall-$mode.txt"; done
: >"$WORK/runner-steps.txt"
for run in 1 2 3; do
    for mode in "${MODES[@]}"; do
        if [[ $mode == floor-* ]]; then
            "$PY" "$HERE/floor.py" "$STEPS" "${mode#floor-}" "$REPO/assets/scripts/engine/session.sh" \
                ssh -T "${SSH_OPTS[@]}" -c aes128-gcm@openssh.com "$JC_SSHD_HOST" >"$WORK/runner.txt"
        else
            flag=(); [ "$mode" != engine ] && flag=(--"$mode")
            "$REPO/$SCRATCH-release/release/joget-cluster" bench-steps --address "$JC_SSHD_HOST" --port "$JC_SSHD_PORT" \
                --user "$JC_SSHD_KEY_USER" --key "$JC_SSHD_KEY" --known-hosts "$JC_SSHD_KNOWN_HOSTS" --steps "$STEPS" \
                --state-dir "$WORK/bench-state" "${flag[@]}" >"$WORK/runner.txt"
        fi
        # Both print "... wall time per step: X ms" (or "per frame") last.
        wall=$(sed -n 's/.*wall time per [a-z]*[^:]*: \([0-9.]*\) ms/\1/p' "$WORK/runner.txt")
        echo "$wall" >>"$WORK/wall-$mode.txt"
        [ "$mode" = engine ] && grep -v '^#' "$WORK/runner.txt" >>"$WORK/runner-steps.txt"
        echo "run $run, $mode: $wall ms per step of wall time"
    done
done
spread() { sort -n "$1" | sed -n '1p;$p' | tr '\n' ' ' | awk '{ printf "%s-%s", $1, $2 }'; }
RUNNER=$(median_of "$WORK/runner-steps.txt")
RUNNER_WALL=$(median_of "$WORK/wall-engine.txt"); WALL_SPREAD=$(spread "$WORK/wall-engine.txt")
RUNNER_SYNC_EACH=$(median_of "$WORK/wall-sync-each.txt")
RUNNER_SEPARATE=$(median_of "$WORK/wall-separate.txt")
FLOOR=$(median_of "$WORK/wall-transport-only.txt"); FLOOR_SPREAD=$(spread "$WORK/wall-transport-only.txt")
DONE=$(median_of "$WORK/wall-already-done.txt"); DONE_SPREAD=$(spread "$WORK/wall-already-done.txt")
HOST_FLOOR=$(median_of "$WORK/wall-floor-change.txt"); HOST_FLOOR_SPREAD=$(spread "$WORK/wall-floor-change.txt")
HOST_FLOOR_DONE=$(median_of "$WORK/wall-floor-done.txt"); HOST_FLOOR_DONE_SPREAD=$(spread "$WORK/wall-floor-done.txt")
echo "wall per step: engine ${RUNNER_WALL} ms (runs ${WALL_SPREAD}), transport alone ${FLOOR} ms (runs ${FLOOR_SPREAD})," \
     "already done ${DONE} ms (runs ${DONE_SPREAD}), minimal client ${HOST_FLOOR} ms (runs ${HOST_FLOOR_SPREAD})" \
     "and ${HOST_FLOOR_DONE} ms already done (runs ${HOST_FLOOR_DONE_SPREAD}), fsync per record ${RUNNER_SYNC_EACH} ms" \
     "(runs $(spread "$WORK/wall-sync-each.txt")), two frames ${RUNNER_SEPARATE} ms (runs $(spread "$WORK/wall-separate.txt"))"

echo "== (b) plain ssh per step =="
"$PY" - "$STEPS" "$WORK/ssh.txt" ssh "${SSH_OPTS[@]}" "$JC_SSHD_HOST" true <<'PYEOF'
import subprocess, sys, time
steps, out, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
with open(out, "w") as f:
    for _ in range(steps):
        t = time.perf_counter(); subprocess.run(argv, check=True, stdin=subprocess.DEVNULL); f.write("%f\n" % ((time.perf_counter() - t) * 1000))
PYEOF
SSH=$(median_of "$WORK/ssh.txt")
echo "median ${SSH} ms"

echo "== (b') ssh per step through a ControlMaster socket =="
ssh "${SSH_OPTS[@]}" -M -N -o ControlMaster=yes -o ControlPersist=no -S "$WORK/cm" "$JC_SSHD_HOST" &
MASTER_PID=$!
for _ in $(seq 1 200); do [ -S "$WORK/cm" ] && break; sleep 0.02; done
"$PY" - "$STEPS" "$WORK/mux.txt" ssh "${SSH_OPTS[@]}" -S "$WORK/cm" -o ControlMaster=no "$JC_SSHD_HOST" true <<'PYEOF'
import subprocess, sys, time
steps, out, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
with open(out, "w") as f:
    for _ in range(steps):
        t = time.perf_counter(); subprocess.run(argv, check=True, stdin=subprocess.DEVNULL); f.write("%f\n" % ((time.perf_counter() - t) * 1000))
PYEOF
MUX=$(median_of "$WORK/mux.txt")
echo "median ${MUX} ms"
kill "$MASTER_PID" 2>/dev/null || true; MASTER_PID=

ANS_CMD=; ANS_RAW=
if [ "${SKIP_ANSIBLE:-}" != 1 ]; then
    echo "== (c) ansible-core, pipelining =="
    if [ ! -x "$VENV/bin/ansible-playbook" ]; then
        "$PY" -m venv "$VENV"
        "$VENV/bin/pip" install -q ansible-core
    fi
    "$VENV/bin/ansible-playbook" --version | sed -n 1p  # sed reads it all: head would end the pipe early under pipefail
    mkdir -p "$WORK/ansible/callback_plugins"
    cat >"$WORK/ansible/callback_plugins/steptimes.py" <<'PYEOF'
import os, time
from ansible.plugins.callback import CallbackBase
class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "steptimes"
    CALLBACK_NEEDS_ENABLED = True
    def __init__(self):
        super().__init__(); self.start = None; self.out = open(os.environ["STEP_TIMES"], "w")
    def v2_playbook_on_task_start(self, task, is_conditional):
        self.start = time.perf_counter()
    def v2_runner_on_ok(self, result):
        self.out.write("%f\n" % ((time.perf_counter() - self.start) * 1000)); self.out.flush()
PYEOF
    cat >"$WORK/ansible/ansible.cfg" <<CFG
[defaults]
inventory = inventory
callbacks_enabled = steptimes
callback_plugins = ./callback_plugins
stdout_callback = minimal
host_key_checking = True
interpreter_python = /usr/bin/python3
[ssh_connection]
pipelining = True
CFG
    cat >"$WORK/ansible/inventory" <<INV
fixture ansible_host=$JC_SSHD_HOST ansible_port=$JC_SSHD_PORT ansible_user=$JC_SSHD_KEY_USER ansible_ssh_private_key_file=$JC_SSHD_KEY ansible_python_interpreter=/usr/bin/python3 ansible_ssh_common_args='-o UserKnownHostsFile=$JC_SSHD_KNOWN_HOSTS -o IdentitiesOnly=yes'
INV
    for kind in command raw; do
        {
            echo "- hosts: fixture"
            echo "  gather_facts: false"
            echo "  tasks:"
            for i in $(seq 1 "$STEPS"); do echo "    - name: step $i"; echo "      $kind: \"true\""; done
        } >"$WORK/ansible/$kind.yml"
        (cd "$WORK/ansible" && STEP_TIMES="$WORK/ansible-$kind.txt" ANSIBLE_CONFIG="$WORK/ansible/ansible.cfg" \
            "$VENV/bin/ansible-playbook" "$kind.yml" >"$WORK/ansible-$kind.log" 2>&1) || { tail -20 "$WORK/ansible-$kind.log"; exit 1; }
        echo "$kind: $(wc -l <"$WORK/ansible-$kind.txt") tasks, median $(median_of "$WORK/ansible-$kind.txt") ms"
    done
    ANS_CMD=$(median_of "$WORK/ansible-command.txt")
    ANS_RAW=$(median_of "$WORK/ansible-raw.txt")
fi

echo
echo "== median ms per trivial step ($STEPS steps, one SSH host on loopback) =="
echo "CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p), $(nproc) cores; engine: release build"
"$PY" - "$ENGINE" "$RUNNER" "$RUNNER_WALL" "$RUNNER_SYNC_EACH" "$RUNNER_SEPARATE" "$ENGINE_SUDO" "$MUX" "$SSH" "$ANS_RAW" "$ANS_CMD" \
    "$FLOOR" "$DONE" "$HOST_FLOOR" "$HOST_FLOOR_DONE" "$WALL_SPREAD" "$DONE_SPREAD" "$HOST_FLOOR_SPREAD" <<'PYEOF'
import sys
names = ["engine: framed shell (no sudo)", "engine: runner step (check+apply)", "engine: whole run, wall per step",
         "engine, fsync waited per record", "engine, check and apply as 2 frames",
         "engine: framed shell (sudo -n)", "ssh per step, ControlMaster",
         "ssh per step, new login", "ansible-core raw, pipelining", "ansible-core command, pipelining",
         "the same frames, transport alone", "engine, steps already done (1 fork)",
         "minimal client, the same frames", "minimal client, steps already done"]
vals = [float(v) if v else None for v in sys.argv[1:15]]
spread, done_spread, host_floor_spread = sys.argv[15], sys.argv[16], sys.argv[17]
# The baseline is the whole engine's wall time per step, journal included: the honest figure.
base = vals[2] or vals[0]
print("%-38s %12s %14s" % ("method", "median ms", "x engine"))
for n, v in zip(names, vals):
    if v is None:
        print("%-38s %12s %14s" % (n, "skipped", ""))
        continue
    print("%-38s %12.3f %14.1f" % (n, v, v / base))
print()
print("target: whole engine <= 1 ms per step: %.3f ms (runs %s): %s" % (vals[2], spread, "met" if vals[2] <= 1.0 else "NOT met"))
print("        steps already done: %.3f ms (runs %s): %s" % (vals[11], done_spread, "met" if vals[11] <= 1.0 else "NOT met"))
print("        the floor, the same frames through the transport alone: %.3f ms" % vals[10])
print("        the host and link alone, a minimal client sending the same frames: %.3f ms (runs %s);"
      % (vals[12], host_floor_spread))
print("        the engine adds %.3f ms to it (%.3f ms to steps already done, on %.3f)"
      % (vals[2] - vals[12], vals[11] - vals[13], vals[13]))
if vals[9]:
    r = vals[9] / vals[2]
    print("target: >= 200x ansible-core command: %.0fx: %s (steps already done: %.0fx)"
          % (r, "met" if r >= 200 else "NOT met", vals[9] / vals[11]))
PYEOF
