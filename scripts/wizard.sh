#!/usr/bin/env bash
# Installs what is missing, builds joget-cluster and starts the wizard (arguments are passed on).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" run
swift build -c release --package-path "$root" >/dev/null
exec "$root/.build/release/joget-cluster" "$@"
