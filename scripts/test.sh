#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds, runs the unit and
# real-program tests, then installs a five-host cluster in the lab and checks it from outside.
#   scripts/test.sh            everything
#   scripts/test.sh --no-lab   skip the lab (about 4 minutes less)
set -euo pipefail
cd "$(dirname "$0")/.."
lab=1; [ "${1:-}" = "--no-lab" ] && lab=0
start=$(date +%s)
phase() { echo "test.sh [$(( $(date +%s) - start ))s] $*"; }

phase "installing what is missing"
./scripts/install-deps.sh test
phase "shellcheck: the repository's own shell"
# The plans' scripts are read by shellcheck in the Swift suite (ShellcheckTests).
shellcheck -x -P SCRIPTDIR scripts/*.sh Tests/lab/*.sh Tests/lab/lib/*.sh bench/*/*.sh || { echo "shellcheck found the above"; exit 1; }
# Scripts run by path must be executable in a fresh clone (the sourced lib/ files need not be).
notexec=$(git ls-files -s scripts bench Tests/lab | awk '$4 ~ /\.sh$/ && $4 !~ /\/lib\// && $1 != "100755" { print $4 }')
[ -z "$notexec" ] || { echo "not executable in git (git update-index --chmod=+x): $notexec"; exit 1; }
phase "building"
swift build --build-tests 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Wrapping|Write|Linking|Merging|Generating)' || { echo "build failed"; exit 1; }

# Passing tests are kept in the log only; failures, skips and the summary are shown.
# Serial: several suites start real servers and tmux sessions, and two cores are shared.
# A hang must end as a failure naming the test, never as a run that never ends.
phase "swift test"
log=/tmp/joget-cluster-swift-test.log
set +e
timeout -k 30 2400 swift test --skip-build --no-parallel 2>&1 | tee "$log" | grep -vP '^(◇|↳|✔ Test (?!run ).*passed after)'
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "swift test did not finish in 40 minutes; tests started and not finished:"
    grep -oP '◇ Test \K\S+(?=.* started)' "$log" | sort -u >/tmp/jc-started.txt || true
    grep -oP '[✔✘] Test \K\S+(?=.* (passed|failed))' "$log" | sort -u >/tmp/jc-ended.txt || true
    comm -23 /tmp/jc-started.txt /tmp/jc-ended.txt | head
fi
[ "$status" -eq 0 ] || { echo "swift test failed"; exit "$status"; }

if [ "$lab" = 1 ]; then
    phase "lab end to end, headless"
    timeout -k 60 1800 Tests/lab/e2e.sh || { s=$?; [ $s -eq 124 ] && echo "lab e2e did not finish in 30 minutes"; exit $s; }
    phase "lab end to end, through the wizard's screens"
    timeout -k 60 900 Tests/lab/tui-e2e.sh || { s=$?; [ $s -eq 124 ] && echo "tui e2e did not finish in 15 minutes"; exit $s; }
    phase "lab end to end, the exported Ansible playbook"
    timeout -k 60 900 Tests/lab/ansible-e2e.sh || { s=$?; [ $s -eq 124 ] && echo "ansible e2e did not finish in 15 minutes"; exit $s; }
fi
phase "all done"
