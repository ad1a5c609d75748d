#!/bin/bash
# shellcheck disable=SC2015 # pass and fail only count and print: `A && pass || fail` is if-then-else here
# The whole install through the wizard's screens, in a 120x40 tmux, by keystrokes, on the rehearsal
# lab: Welcome, Review, the password prompt, Run with a step that fails (Skip refused, the cause
# fixed from outside, Retry), the log pane (follow, scroll, search), quit mid-run, restart and
# Resume, Verify green, then two checks broken on purpose, Licenses and Summary. Every screen it
# waits for is printed when the wait fails.
#
#   tui-e2e.sh [--keep]     --keep leaves the lab up and the tmux session open at the end
#
# Prints PASS/FAIL lines and ends with "N passed, N failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/e2e.sh
. "$HERE/lib/e2e.sh" "$@"
# shellcheck disable=SC2034 # read by lib/tui.sh
TUI_PREFIX=joget-tui-$$
# shellcheck source=lib/tui.sh
. "$HERE/lib/tui.sh"

finish() {
    [ "$KEEP" = 1 ] || { tui_stop; "$LAB" down >/dev/null 2>&1; rm -rf "$WORK"; }
    [ "$KEEP" = 1 ] && echo "tui-e2e: tmux session $TUI_SESSION and $WORK kept"
    tally "tui-e2e"
}
trap 'finish; exit $?' EXIT
trap 'exit 130' INT TERM

# expect LABEL PATTERN [SECONDS]: PASS once the screen shows PATTERN, else FAIL with the screen.
# With TUI_SHOTS=DIR each screen an expectation saw is also kept there, to be read as an operator would.
SHOTS=0
expect() {
    local ok=0
    if tui_wait "$2" "${3:-30}" >"$WORK/screen"; then pass "$1"; else fail "$1"; cat "$WORK/screen"; ok=1; fi
    if [ -n "${TUI_SHOTS:-}" ]; then
        SHOTS=$((SHOTS + 1)); mkdir -p "$TUI_SHOTS"
        { echo "== $1"; tui_screen; } >"$TUI_SHOTS/$(printf '%02d' $SHOTS).txt"
    fi
    return $ok
}
screen_has() { tui_screen | grep -qE -- "$1"; }

need_binary_and_lab
LAB_INIT=plain "$LAB" up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "lab up"; exit 1; }
# shellcheck disable=SC1091
. /var/tmp/joget-lab/lab.env
STATE=$WORK/state
mkdir -p "$STATE" && chmod 700 "$STATE"
# The hosts' keys as accepted on the Hosts page (that dialog has its own tmux test).
cp "$LAB_KNOWN_HOSTS" "$STATE/known_hosts"
PASSWORD=$(sed -n 's/^db-password: //p' "$LAB_SECRETS")
# A cause of failure operators meet: a group joget already on app2, with another gid.
"$LAB" exec app2 groupadd -g 2600 joget

info "apply at a terminal: y to install, the check warns (the balancer's port is taken), it asks again, n changes nothing"
# The same answers with the balancer on port 22, where lb's sshd listens: a WARN, not a FAIL.
sed 's/^  httpPort: 80$/  httpPort: 22/' "$LAB_ANSWERS" >"$WORK/warn.yaml"
mkdir -p "$WORK/state-warn" && chmod 700 "$WORK/state-warn"
tui_start 120 40 "$BIN" apply --answers "$WORK/warn.yaml" --secrets "$LAB_SECRETS" --state-dir "$WORK/state-warn" --known-hosts "$LAB_KNOWN_HOSTS"
expect "apply asks first what it will install" "Install [0-9]+ steps on db, app1, app2, lb\? \[y/N\]" 30 && tui_keys y Enter
if expect "after the check, apply asks before installing past a warning" "Install despite the lines above\? \[y/N\]" 120; then
    screen_has "WARN .*in use: 22" && pass "the warning it asks about is on screen: $(tui_screen | grep -m1 -o 'WARN .*in use: 22.*' | cut -c1-90)" \
        || { fail "the question came without the WARN line"; tui_screen; }
    tui_keys n Enter
    expect "n: not started, exit 2" "not started: nothing was changed" 10 && expect "apply exited 2" "\[exit 2\]" 5
fi
# The install's first marks on app1: the service account and node01's folder (/opt/joget itself
# holds the lab's shared mount).
made=$("$LAB" exec app1 sh -c 'getent passwd joget >/dev/null && echo user; test -e /opt/joget/node01 && echo node01; echo checked' 2>&1 | tr '\n' ' ')
if [ ! -e "$WORK/state-warn/journal.jsonl" ] && [ "$made" = "checked " ]; then pass "no step ran: no journal; on app1 no joget user, no node01 folder"
else fail "answering n: journal $(test -e "$WORK/state-warn/journal.jsonl" && echo written || echo absent), on app1: $made"; fi
tui_stop

info "Welcome to Review to Install, with the password typed at the prompt"
tui_start 120 40 "$BIN" --answers "$LAB_ANSWERS" --state-dir "$STATE"
expect "Welcome offers the given answers" "> Continue with these answers" 15 && tui_keys Enter
expect "Review: every layer complete" "\[x\] 4 Load balancer" 15
tui_keys End && sleep 0.3
screen_has "db-password +asked" && pass "Review lists the password asked at the start" \
    || { fail "Review does not list which password is asked"; tui_screen; }
tui_keys i
expect "Install asks for the database password first" "Password needed" 10
tui_type "$PASSWORD"
if screen_has "${PASSWORD:0:6}"; then fail "the password shows on screen"; else pass "the password is typed as stars"; fi
tui_keys Enter
expect "a new database password is typed twice" "Type it again, the same" 5 && { tui_type "$PASSWORD"; tui_keys Enter; }
# The checks of `joget-cluster check` run first; when they pass, the install starts by itself.
expect "Install checks the hosts and the network first" "Install checks the hosts first" 20
tui_wait "Nothing was installed|Overall +[0-9]" 120 >"$WORK/screen"
if screen_has "Nothing was installed"; then
    fail "the check before the install failed"; tui_screen; tui_keys a   # go on anyway to test the rest
else pass "the check passed and the install went on"; fi

info "a required step fails: the dialog, Skip refused; quit while other hosts still work"
expect "service-user on app2 fails with its reason in the dialog" "group joget exists with gid 2600, not 2500" 120
screen_has "Shell on app2:" && screen_has "│ +ssh -p 22 -i" && screen_has "root@$LAB_ADDR_APP2" && pass "the dialog gives the ssh command for app2" \
    || fail "the dialog has no ssh command for app2"
tui_keys s
expect "Skip is refused for a required step" "Skip refused: this step is required" 5
tui_keys Escape F10                 # Later, then quit while the other hosts' steps run
expect "F10 during the run asks before stopping" "Stop and quit" 5 && tui_keys Left Enter
expect "the wizard stopped the run and exited" "\[exit 0\]" 60
grep -q '"status":"interrupted"\|"kind":"runEnd"' "$STATE/journal.jsonl" && pass "the stop is in the journal" \
    || fail "the journal does not record the stop"

info "start again: Resume; the failed step fails again; the log pane; the cause fixed, Retry"
tui_start 120 40 "$BIN" --state-dir "$STATE"
expect "a restart offers to resume" "> Resume the unfinished install" 15 && tui_keys Enter
expect "resume asks for the password again (never saved)" "Password needed" 10
tui_type "$PASSWORD" && tui_keys Enter
# Typed twice while the database layer is not yet recorded as installed.
sleep 0.5; if screen_has "Type it again"; then tui_type "$PASSWORD"; tui_keys Enter; fi
expect "resume checks the failed step again: same cause, same dialog" "group joget exists with gid 2600, not 2500" 60
tui_keys Escape                     # Later: the failed step waits, the rest goes on
expect "the failed step waits while the rest goes on" "press f to decide" 10
tui_keys 3                          # app2's log
expect "the log pane follows app2's output" "FOLLOW" 5
tui_keys PPage
sleep 0.5
if screen_has "FOLLOW"; then fail "PgUp did not stop following"; else pass "PgUp scrolls back and stops following"; fi
tui_keys End
expect "End follows the output again" "FOLLOW" 5
tui_keys / && tui_type "gid 2600" && tui_keys Enter
expect "/ finds the failure's line in the log" "/gid 2600  n next  N previous" 5
tui_keys Escape
"$LAB" exec app2 groupmod -g 2500 joget
tui_keys f
expect "f reopens the failed step" "Step failed" 5 && tui_keys r
expect "Retry after the fix: the step is done and the run finishes" "All 48 steps done.*Press Enter to verify" 240
grep -qF -- "$PASSWORD" "$STATE/journal.jsonl" "$STATE"/logs/*/*.log "$STATE/answers.yaml" 2>/dev/null \
    && fail "the password is in the state folder" || pass "the password is nowhere in the state folder"

info "Verify, in the wizard and headless"
# 19 checks; on these hosts without systemd the 4 "comes back after a reboot" checks cannot run.
tui_keys Enter
expect "Verify: every check passes but the 4 that need systemd" "15 of 19 checks passed, 4 not run" 120
"$BIN" verify --state-dir "$STATE" --secrets "$LAB_SECRETS" >"$WORK/verify.log" 2>&1; rc=$?
if [ $rc = 4 ] && [ "$(grep -c '^PASS' "$WORK/verify.log")" = 15 ] && ! grep -q '^FAIL' "$WORK/verify.log" \
    && [ "$(grep '^NOT RUN' "$WORK/verify.log" | grep -c 'no systemd as PID 1')" = 4 ]; then
    pass "joget-cluster verify agrees headless: 15 pass, 4 not run for want of systemd (exit 4)"
else fail "joget-cluster verify disagrees (exit $rc)"; grep -E '^(FAIL|NOT RUN)' "$WORK/verify.log"; fi
tui_resize 80 24
if tui_screen | awk 'length > 80 { bad = 1 } END { exit bad }' && screen_has "Checks 15/19 passed"; then
    pass "Verify reads at 80x24"; else fail "Verify at 80x24"; tui_screen; fi
tui_resize 120 40

info "two checks broken on purpose: node02 stopped, the balancer's site disabled"
"$LAB" exec app2 sh -c "runuser -u joget -- /opt/joget/node02/bin/shutdown.sh >/dev/null 2>&1; sleep 3; pkill -f '[c]atalina.base=/opt/joget/node02' || true"
"$LAB" exec lb sh -c 'a2dissite -q jwsite >/dev/null && apache2ctl graceful 2>/dev/null'
tui_keys r
expect "Verify fails the broken checks" "[0-9]+ of 19 checks failed, 4 not run" 120
tui_keys Home && sleep 0.3
screen_has "FAIL +node02: Tomcat answers on port 8080" && screen_has "http://app2:8080/jw/ answered nothing" \
    && pass "node02's check fails and shows why: answered nothing" || { fail "node02's failure"; tui_screen; }
tui_keys End && sleep 0.3
screen_has "FAIL +Through the balancer" && screen_has "no session cookie" \
    && pass "the balancer's check fails and shows why: no session cookie came back" || { fail "the balancer's failure"; tui_screen; }
# Repaired from outside, in a state folder of its own: the wizard's holds the lock of its run.
"$LAB" exec lb sh -c 'a2ensite -q jwsite >/dev/null && apache2ctl graceful 2>/dev/null'
"$BIN" apply --yes --quiet --answers "$LAB_ANSWERS" --secrets "$LAB_SECRETS" --state-dir "$WORK/repair" \
    --known-hosts "$LAB_KNOWN_HOSTS" >"$WORK/repair.log" 2>&1 || { fail "repair apply"; tail -5 "$WORK/repair.log"; }
tui_keys r
expect "after the repair Verify is as green as hosts without systemd allow" "15 of 19 checks passed, 4 not run" 120

info "Licenses, then Summary"
tui_keys n
expect "the license checklist, one row per node" "node02  http://$LAB_ADDR_APP2:8080/jw/web/console/home" 15
tui_keys r
expect "both nodes' system keys read" "node02 .*key recorded" 30
tui_keys n
expect "Summary: installed" "Joget cluster \"lab\" is installed" 10
screen_has "Verify +4 of 19 checks not run: .*reboot" && pass "Summary says what the last Verify proved, what it could not, and when" \
    || { fail "Summary's Verify row"; tui_screen | grep -E "Install|Verify"; }
screen_has "node02 .*key recorded" && pass "Summary shows the license checklist as it is now" \
    || { fail "Summary's license rows"; tui_screen | grep -A3 "Left to do"; }
tui_keys End
expect "Summary gives the commands to come back, whole" "joget-cluster licenses --state-dir $STATE" 5
tui_keys Enter
expect "Enter finishes and the wizard exits" "\[exit 0\]" 15

info "the installed cluster's Welcome: Back up this cluster, at 80x24"
tui_start 80 24 "$BIN" --state-dir "$STATE"
expect "Welcome of the installed cluster offers a backup" "Back up this cluster" 15
screen_has "^ ! Backup +none found in" && screen_has "Verify +[-0-9]+ [:0-9]+ \(" \
    && pass "Welcome shows the cluster at a glance: no backup yet, the last verify: $(tui_screen | grep -m1 -E 'Verify ' | cut -c1-70)" \
    || { fail "Welcome's overview before the backup"; tui_screen; }
tui_keys Down Down Enter
sleep 1
if screen_has "Password needed"; then tui_type "$PASSWORD"; tui_keys Enter; fi
expect "the backup runs on screen and says where it is" "Done: .*/backups/lab-[0-9]{8}-[0-9]{6}" 60
folder=; for d in "$STATE"/backups/lab-*; do [ -d "$d" ] && folder=$d; done
if [ -f "$folder/manifest.json" ] && screen_has "wflow.tar.gz: .* copied at" && tui_screen | awk 'length > 80 { bad = 1 } END { exit bad }'; then
    pass "the backup from the wizard is complete ($(cd "$folder" && echo *)) and its progress reads at 80x24"
else fail "the wizard's backup: folder '$folder'"; tui_screen; fi
tui_keys Escape
expect "Esc returns to the Welcome page" "Back up this cluster" 10
expect "Welcome's Backup row names the backup just taken" "^   Backup +[-0-9]+ [:0-9]+ \(just now\): backups/lab-" 5
tui_stop
