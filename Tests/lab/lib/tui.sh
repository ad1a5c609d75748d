# shellcheck shell=bash
# The wizard in a detached tmux session, driven by keys and read from its screen, for the lab's
# end-to-end scripts. Source it; set TUI_PREFIX first (default: joget-tui).
TUI_PREFIX=${TUI_PREFIX:-joget-tui}
TUI_STARTS=0
TUI_SESSION=$TUI_PREFIX-0

# tui_start WIDTH HEIGHT COMMAND...: a new session each time (a killed one's name can linger a
# moment); the pane stays after the command ends, showing "[exit N]".
tui_start() {
    local w=$1 h=$2; shift 2
    tmux kill-session -t "$TUI_SESSION" 2>/dev/null
    TUI_STARTS=$((TUI_STARTS + 1))
    TUI_SESSION=$TUI_PREFIX-$TUI_STARTS
    tmux new-session -d -x "$w" -y "$h" -s "$TUI_SESSION" \
        "env LANG=C.UTF-8 TERM=xterm-256color $(printf '%q ' "$@"); echo \"[exit \$?]\"; sleep 600"
}
tui_stop() { tmux kill-session -t "$TUI_SESSION" 2>/dev/null; true; }
tui_resize() { tmux resize-window -t "$TUI_SESSION" -x "$1" -y "$2"; sleep 0.5; }
tui_screen() { tmux capture-pane -p -t "$TUI_SESSION"; }
tui_keys() { # tui_keys KEY...  tmux key names: Enter Tab BTab Escape F10 Up Down PPage NPage C-u
    local k
    for k in "$@"; do tmux send-keys -t "$TUI_SESSION" "$k"; sleep 0.1; done
}
tui_type() { tmux send-keys -t "$TUI_SESSION" -l "$1"; sleep 0.1; }
# tui_wait TEXT [SECONDS]: until the screen shows TEXT (a grep -E pattern); prints the screen
# and returns 1 at the deadline.
tui_wait() {
    local pattern=$1 deadline=$((SECONDS + ${2:-30}))
    while [ $SECONDS -lt $deadline ]; do
        tui_screen | grep -qE -- "$pattern" && return 0
        sleep 0.2
    done
    echo "---- timed out waiting for /$pattern/; the screen was:"
    tui_screen
    return 1
}
