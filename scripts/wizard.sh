#!/usr/bin/env bash
# Installs what is missing, builds joget-cluster when a source changed since the last build, and
# starts the wizard (arguments are passed on). The build shows how far it is.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.build/release/joget-cluster"
"$root/scripts/install-deps.sh" run
# Nothing newer than the binary: start it at once (SwiftPM's own no-op build still takes seconds).
newer=$(find "$root/Package.swift" "$root/Package.resolved" "$root/Sources" "$root/Plugins" "$root/screens" "$root/assets" \
    -newer "$bin" -print -quit 2>/dev/null || echo missing)
if [ -x "$bin" ] && [ -z "$newer" ]; then exec "$bin" "$@"; fi

start=$SECONDS
echo "Building joget-cluster (release). The first build takes a few minutes; later ones only what changed."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One line that follows the build's [n/m] counter on a terminal; every step otherwise.
show() {
    local line width=${COLUMNS:-80}
    while IFS= read -r line; do
        printf '%s\n' "$line" >>"$log"
        case $line in
            \[[0-9]*/[0-9]*\]*)
                if [ -t 1 ]; then printf '\r\033[K  %s' "${line:0:$((width - 3))}"; else printf '  %s\n' "$line"; fi ;;
        esac
    done
    [ -t 1 ] && printf '\r\033[K'
    return 0
}
if ! swift build -c release --package-path "$root" 2>&1 | show; then
    echo "The build failed; its last lines:" >&2
    grep -E 'error:|warning: unre' "$log" | head -20 >&2 || tail -30 "$log" >&2
    exit 1
fi
echo "Built in $((SECONDS - start)) s."
exec "$bin" "$@"
