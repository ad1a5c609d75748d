#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds, runs the unit and
# real-program tests, then installs a five-host cluster in the lab and checks it from outside.
#   scripts/test.sh            everything
#   scripts/test.sh --no-lab   skip the lab (about 10 minutes less)
set -euo pipefail
cd "$(dirname "$0")/.."
lab=1; [ "${1:-}" = "--no-lab" ] && lab=0
start=$(date +%s)
./scripts/install-deps.sh test
swift build --build-tests 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Wrapping|Write|Linking|Merging|Generating)' || { echo "build failed"; exit 1; }
# Passing tests are kept in the log only; failures, skips and the summary are shown.
set +e
# Serial: several suites start real servers and tmux sessions, and two cores are shared.
swift test --skip-build --no-parallel 2>&1 | tee /tmp/joget-cluster-swift-test.log | grep -vP '^(◇|↳|✔ Test (?!run ).*passed after)'
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || { echo "swift test failed"; exit "$status"; }
if [ "$lab" = 1 ] && [ -x Tests/lab/e2e.sh ]; then
    Tests/lab/e2e.sh
fi
echo "test.sh: all done in $(( $(date +%s) - start ))s"
