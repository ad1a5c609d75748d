#!/bin/bash
# shellcheck disable=SC2015 # pass and fail only count and print: `A && pass || fail` is if-then-else here
# The exported Ansible project, run by the real engine (ansible-core from PyPI, in a venv) against
# a fresh lab: the playbook installs the cluster, `joget-cluster verify` and checks from outside
# agree, a second run changes nothing, `--check` changes nothing, and a hostile database password
# (quotes, $(), backslash) works and is seen in no process's argv and no log.
#
#   ansible-e2e.sh [--keep]      --keep leaves the lab up and the work folder
#   ANSIBLE_VENV=DIR             where ansible-core is installed (default /tmp/jc-ansible-venv)
#
# Prints PASS/FAIL lines with their evidence and ends with "N passed, N failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/e2e.sh
. "$HERE/lib/e2e.sh" "$@"
VENV=${ANSIBLE_VENV:-/tmp/jc-ansible-venv}
SAMPLER=

finish() {
    [ -z "$SAMPLER" ] || kill "$SAMPLER" 2>/dev/null
    [ "$KEEP" = 1 ] || "$LAB" down >/dev/null 2>&1
    [ "$KEEP" = 1 ] && echo "ansible-e2e: work files kept in $WORK" || rm -rf "$WORK"
    tally "ansible-e2e"
}
trap 'finish; exit $?' EXIT
trap 'exit 130' INT TERM

need_binary_and_lab
if [ ! -x "$VENV/bin/ansible-playbook" ]; then
    info "installing ansible-core from PyPI into $VENV"
    { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q ansible-core; } >"$WORK/pip.log" 2>&1 \
        || { tail -5 "$WORK/pip.log"; fail "ansible-core could not be installed"; exit 1; }
fi
pass "$("$VENV/bin/ansible-playbook" --version | head -1)"

info "lab up, then the project exported from the lab's answers"
"$LAB" up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "lab up"; exit 1; }
# shellcheck disable=SC1091
. /var/tmp/joget-lab/lab.env
PROJECT=$WORK/project
"$BIN" export ansible --answers "$LAB_ANSWERS" --out "$PROJECT" >"$WORK/export.log" 2>&1 \
    && pass "export: $(cat "$WORK/export.log")" || { cat "$WORK/export.log"; fail "export"; exit 1; }

# secrets_file PASSWORD FILE: the variables file the playbook reads, written by builtins only (no
# argv holds the password); `!unsafe` and a YAML double-quoted string keep it exactly.
secrets_file() {
    local v=${1//\\/\\\\}
    v=${v//\"/\\\"}
    (umask 077; printf 'db_password: !unsafe "%s"\n' "$v" >"$2")
}
secrets_file "$(sed -n 's/^db-password: //p' "$LAB_SECRETS")" "$WORK/secrets.yml"

# play LOG [ARGS...]: the playbook against the lab; the lab's known_hosts, strict. The hosts' disk
# is this machine's, where root's PATH may find a pyenv shim first: the system's Python is named.
play() {
    local log=$1; shift
    (cd "$PROJECT" && ANSIBLE_CONFIG=$PROJECT/ansible.cfg ANSIBLE_NOCOLOR=1 "$VENV/bin/ansible-playbook" site.yml \
        -e "@$SECRETS" -e "ansible_ssh_common_args='-o UserKnownHostsFile=$LAB_KNOWN_HOSTS -o StrictHostKeyChecking=yes'" \
        -e ansible_python_interpreter=/usr/bin/python3 "$@") >"$log" 2>&1
}
# changed_tasks LOG: "TASK on host" for each task that reported a change.
changed_tasks() { awk '/^TASK \[/ { t = $0; sub(/^TASK \[/, "", t); sub(/\] \**$/, "", t) } /^changed: \[/ { h = $2; gsub(/[][]/, "", h); print t " on " h }' "$1"; }
# recap LOG: the PLAY RECAP lines, one per host.
recap() { sed -n '/^PLAY RECAP/,$p' "$1" | grep -E '^[a-z0-9]+ +:' ; }
all_unchanged() { ! recap "$1" | grep -vE 'changed=0 .*failed=0' | grep -q . && [ -n "$(recap "$1")" ]; }
field() { python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1" 2>/dev/null; }
ANSWERS=$LAB_ANSWERS
jc() { # jc SECRETS COMMAND...: the wizard's binary on the same answers
    local s=$1; shift
    "$BIN" "$@" --answers "$ANSWERS" --secrets "$s" --state-dir "$WORK/state" --known-hosts "$LAB_KNOWN_HOSTS"
}

outside() { # outside LABEL: through the balancer, both nodes answer and a session stays on its node
    local label=$1 lb="http://$LAB_ADDR_LB" nodes="" id owner c1 c2
    for n in node01 node02; do nodes="$nodes $(served_by "$n")"; done
    [ "$nodes" = " node01 node02" ] && pass "$label: the balancer reaches both nodes, each serving the request routed to it:$nodes" \
        || fail "$label: requests routed to node01 and node02 were served by:$nodes"
    id=$(curl -s -m 10 -c "$WORK/jar" "$lb/jw/web/json/cluster/info" | field sessionId)
    owner=${id##*.}
    c1=$(curl -s -m 10 -b "$WORK/jar" "$lb/jw/web/json/cluster/info" | field counter)
    c2=$(curl -s -m 10 -b "$WORK/jar" "$lb/jw/web/json/cluster/info")
    [ -n "$owner" ] && [ "$(echo "$c2" | field node)" = "$owner" ] && [ "$(echo "$c2" | field counter)" = $((c1 + 1)) ] \
        && pass "$label: sticky: the session stays on $owner (counter $c1 -> $(echo "$c2" | field counter))" \
        || fail "$label: the session .$owner was not kept: $c2"
    c2=$(curl -s -m 10 "http://$LAB_ADDR_APP2:8080/jw/web/json/cluster/db")
    [ "$(echo "$c2" | field ok)" = True ] && pass "$label: node02 reads the datasource files and reaches the database ($(echo "$c2" | field tableCount) tables)" \
        || fail "$label: node02 cannot reach the database: $c2"
}

# ---- 1. Install --------------------------------------------------------------------------------
SECRETS=$WORK/secrets.yml
info "ansible-playbook site.yml on bare hosts"
start=$SECONDS
play "$WORK/install.log"
rc=$?
[ $rc = 0 ] && pass "the playbook installed the cluster in $((SECONDS - start))s: $(recap "$WORK/install.log" | tr -s ' ' | paste -sd ';')" \
    || { fail "the playbook exited $rc"; grep -E 'fatal|FAILED|ERROR' "$WORK/install.log" | head -20; tail -30 "$WORK/install.log"; exit 1; }
# From outside first: verify's own requests through the balancer skew its next few choices.
outside "install"
jc "$LAB_SECRETS" verify >"$WORK/verify.log" 2>&1 && pass "joget-cluster verify passes: $(grep -c '^PASS' "$WORK/verify.log") checks" \
    || { fail "joget-cluster verify: $(grep -v '^PASS' "$WORK/verify.log" | head -5)"; }

# Back to the wizard on the same answers: its license checklist reads every node's system key.
jc "$LAB_SECRETS" licenses --refresh --table >"$WORK/licenses.log" 2>&1
keys=$(grep -oE '\b[0-9a-f]{32}\b' "$WORK/licenses.log" | sort -u | wc -l)
grep -q node01 "$WORK/licenses.log" && grep -q node02 "$WORK/licenses.log" && [ "$keys" -ge 2 ] \
    && pass "joget-cluster licenses reads both nodes' system keys ($keys distinct)" \
    || { fail "joget-cluster licenses on the playbook's cluster"; tail -8 "$WORK/licenses.log"; }

# ---- 2. Again, and in check mode: nothing changes ------------------------------------------
start=$SECONDS
play "$WORK/again.log" && all_unchanged "$WORK/again.log" \
    && pass "a second run changed nothing, in $((SECONDS - start))s: $(recap "$WORK/again.log" | tr -s ' ' | paste -sd ';')" \
    || { fail "a second run changed something"; recap "$WORK/again.log"; grep -B2 '^changed:' "$WORK/again.log" | head -20; }
start=$SECONDS
play "$WORK/check.log" --check && all_unchanged "$WORK/check.log" \
    && pass "--check on the installed cluster reports no change, in $((SECONDS - start))s" \
    || { fail "--check reports changes"; recap "$WORK/check.log"; grep -B2 -A3 '^changed:' "$WORK/check.log" | head -20; }

# ---- 3. A hostile database password, and a sudo password ----------------------------------
info "a hostile database password (quotes, \$(), backticks, backslash); app2 logged into as $LAB_DEPLOY_USER, whose sudo asks for a password"
TOKEN=jccanary$RANDOM$RANDOM
printf '%s\n%s\n' "$TOKEN" "$LAB_DEPLOY_PASSWORD" >"$WORK/token"
HOSTILE="a'b\"c\$(touch /tmp/$TOKEN-dollar)\`touch /tmp/$TOKEN-tick\`\\n\\\\d;$TOKEN #x"
ANSWERS=$WORK/deploy.yaml
awk -v h="$LAB_DEPLOY_HOST" -v u="$LAB_DEPLOY_USER" '/^  - name: / { host = $3 }
    host == h && /^    user: / { $0 = "    user: " u }
    host == h && /^    sudo: / { $0 = "    sudo: password" } { print }' "$LAB_ANSWERS" >"$ANSWERS"
PROJECT=$WORK/project-deploy
"$BIN" export ansible --answers "$ANSWERS" --out "$PROJECT" >"$WORK/export2.log" 2>&1 \
    && grep -q "ansible_become_password: \"{{ sudo_$LAB_DEPLOY_HOST }}\"" "$PROJECT/inventory.yml" \
    && pass "export with $LAB_DEPLOY_HOST as $LAB_DEPLOY_USER: become by sudo with the variable sudo_$LAB_DEPLOY_HOST" \
    || { fail "export with a sudo password"; cat "$WORK/export2.log"; }
SECRETS=$WORK/hostile.yml
secrets_file "$HOSTILE" "$SECRETS"
(umask 077; printf 'sudo_%s: !unsafe "%s"\n' "$LAB_DEPLOY_HOST" "$LAB_DEPLOY_PASSWORD" >>"$SECRETS")
(umask 077; printf 'db-password: %s\nsudo-%s: %s\n' "$HOSTILE" "$LAB_DEPLOY_HOST" "$LAB_DEPLOY_PASSWORD" >"$WORK/hostile-secrets")
# Every process's argv on this machine (the hosts' too: their PID namespaces are children of it).
# pgrep -f would name the process, not give its whole argv to search.
# shellcheck disable=SC2009
(while :; do ps -eww -o args= 2>/dev/null | grep -F -f "$WORK/token" | grep -v -e 'grep -F' >>"$WORK/argv.txt"; sleep 0.1; done) &
SAMPLER=$!
play "$WORK/hostile.log"
rc=$?
kill "$SAMPLER" 2>/dev/null; SAMPLER=
[ $rc = 0 ] && pass "the playbook set the hostile password, $LAB_DEPLOY_HOST by sudo; changed: $(changed_tasks "$WORK/hostile.log" | paste -sd ';')" \
    || { fail "the playbook with a hostile password exited $rc"; grep -E 'fatal|FAILED|ERROR' "$WORK/hostile.log" | head; }
outside "hostile password"
jc "$WORK/hostile-secrets" verify >"$WORK/verify2.log" 2>&1 && pass "joget-cluster verify passes with the hostile password" \
    || fail "joget-cluster verify with the hostile password: $(grep -v '^PASS' "$WORK/verify2.log" | head -5)"
# The wizard's own dry run finds every step in place: the playbook wrote what the wizard would,
# byte for byte, the password's encodings included.
jc "$WORK/hostile-secrets" apply --dry-run --quiet >"$WORK/dry-run.log" 2>&1 \
    && pass "joget-cluster apply --dry-run: nothing would change ($(tail -1 "$WORK/dry-run.log"))" \
    || { fail "joget-cluster apply --dry-run after the playbook"; tail -8 "$WORK/dry-run.log"; }
[ -s "$WORK/argv.txt" ] && fail "the canary or the sudo password was in a process's argv: $(head -c 300 "$WORK/argv.txt")" \
    || pass "the canary and the sudo password were in no process's argv (sampled every 0.1 s during the run)"
leaks=
for h in db app1 app2 lb; do
    # shellcheck disable=SC2016 # runs on the host
    found=$("$LAB" exec "$h" sh -c 'ls /tmp | grep -F "$1"; grep -rlF -e "$1" -e "$2" /var/log /tmp /var/tmp /root/.ansible /home 2>/dev/null
        n=$(journalctl -q --no-pager -o cat 2>/dev/null | grep -cF -e "$1" -e "$2"); [ "$n" = 0 ] || echo "journal: $n lines"' sh "$TOKEN" "$LAB_DEPLOY_PASSWORD" 2>/dev/null)
    [ -z "$found" ] || leaks="$leaks $h: $found"
done
grep -lrF -f "$WORK/token" "$WORK"/*.log "$WORK/project" "$PROJECT" >/dev/null 2>&1 && leaks="$leaks controller: $(grep -lrF -f "$WORK/token" "$WORK"/*.log "$WORK/project" "$PROJECT")"
[ -z "$leaks" ] && pass "no canary: no file made by \$() or backticks; the token and the sudo password in no log on the hosts, the playbook's output or the project" \
    || fail "canary found:$leaks"
