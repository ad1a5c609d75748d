# shellcheck shell=bash
# shellcheck disable=SC2015 # pass and fail only count and print: `A && pass || fail` is if-then-else here
# TLS at the balancer, end to end, on the installed cluster: a CA made here, a certificate for
# lb.lab given as files on this machine. A certificate for another name is refused before
# anything runs; the right one is uploaded (the key 0600, in no log), and HTTPS through the
# balancer reaches every node, keeps a session on its node, and port 80 redirects to HTTPS.
# Sourced by e2e.sh, which defines jcf, LB, field, pass/fail/info.
#
#   tls_section ANSWERS STATE NODE...
tls_section() {
    local answers=$1 state=$2; shift 2
    local nodes=("$@") tls=$WORK/tls rc
    info "TLS at the balancer: certificate files on this machine, checked, uploaded, served"
    mkdir -p "$tls"
    (
        cd "$tls" || exit 1
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj "/CN=Lab CA" 2>/dev/null
        for name in lb.lab other.lab; do
            openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$name" 2>/dev/null
            printf 'subjectAltName=DNS:%s\n' "$name" >"$name.ext"
            openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$name.crt" -days 90 -extfile "$name.ext" 2>/dev/null
            cat "$name.crt" ca.crt >"$name.full.crt"
        done
    ) || { fail "could not make the test certificates"; return; }
    with_tls() { # with_tls NAME OUT: the answers with TLS from NAME's files on this machine
        python3 - "$answers" "$2" "$tls/$1.full.crt" "$tls/$1.key" <<'PY'
import sys
src, out, cert, key = sys.argv[1:]
lines = open(src, encoding="utf-8").read().split("\n")
at = lines.index("loadBalancer:") + 1
while at < len(lines) and lines[at].startswith(" "):
    at += 1
tls = ["  tls:", f"    certificate: {cert}", f"    key: {key}", "    httpsPort: 443", "    filesOn: local"]
open(out, "w", encoding="utf-8").write("\n".join(lines[:at] + tls + lines[at:]))
PY
    }
    with_tls other.lab "$WORK/tls-other.yaml"
    with_tls lb.lab "$WORK/tls.yaml"

    jcf "$WORK/tls-other.yaml" "$state" apply --yes --quiet >"$WORK/tls-other.log" 2>&1; rc=$?
    if [ $rc = 2 ] && grep -q 'does not cover lb.lab' "$WORK/tls-other.log" && [ "$(LB "http://$LAB_ADDR_LB/jw/web/json/cluster/info" | field node)" != "" ]; then
        pass "a certificate for other.lab is refused before anything runs, and HTTP still serves: $(grep -m1 -o 'the certificate does not cover[^;]*' "$WORK/tls-other.log")"
    else fail "apply with a certificate for another name exited $rc: $(tail -2 "$WORK/tls-other.log")"; fi

    jcf "$WORK/tls.yaml" "$state" apply --yes --quiet >"$WORK/tls.log" 2>&1; rc=$?
    if [ $rc = 0 ]; then pass "apply with TLS: $(grep -m1 '^TLS:' "$WORK/tls.log" | cut -c1-120) | $(grep -E '^[0-9]+ done' "$WORK/tls.log" | tail -1)"
    else fail "apply with TLS exited $rc"; tail -20 "$WORK/tls.log"; failed_logs "$state" "$WORK/tls.log"; return; fi

    local https=(curl -s -m 10 --cacert "$tls/ca.crt" --resolve "lb.lab:443:$LAB_ADDR_LB")
    local seen node jar=$WORK/tls.jar first same=yes
    seen=$(for _ in $(seq 1 12); do "${https[@]}" https://lb.lab/jw/web/json/cluster/info | field node; done | sort -u | tr '\n' ' ')
    local all=yes
    for node in "${nodes[@]}"; do [[ " $seen" == *" $node "* ]] || all=no; done
    [ $all = yes ] && pass "HTTPS through the balancer (certificate checked against the lab CA) reaches: $seen" \
        || fail "HTTPS reached only: '$seen' (want ${nodes[*]})"
    first=$("${https[@]}" -c "$jar" https://lb.lab/jw/web/json/cluster/info | field node)
    for _ in 1 2 3 4 5; do
        node=$("${https[@]}" -b "$jar" -c "$jar" https://lb.lab/jw/web/json/cluster/info | field node)
        [ "$node" = "$first" ] || same=no
    done
    [ -n "$first" ] && [ $same = yes ] && pass "HTTPS keeps a session on its node: 6 requests on $first" || fail "HTTPS session moved off '$first'"
    local redirect
    redirect=$(curl -s -m 10 -o /dev/null -w '%{http_code} %{redirect_url}' --resolve "lb.lab:80:$LAB_ADDR_LB" http://lb.lab/jw/)
    [[ $redirect == "301 https://lb.lab/"* ]] && pass "port 80 redirects to HTTPS: $redirect" || fail "port 80 answered: $redirect"
    local mode keyline
    mode=$("$LAB" exec lb stat -c '%a %U' /etc/joget-cluster/tls/jwsite.key 2>&1)
    keyline=$(sed -n 2p "$tls/lb.lab.key")
    if [ "$mode" = "600 root" ] && ! grep -rqF "$keyline" "$state" "$WORK"/*.log 2>/dev/null; then
        pass "the key is on lb with mode $mode, and in no log or state file"
    else fail "the key on lb: '$mode', or it is in a log"; fi
    jcf "$WORK/tls.yaml" "$state" verify >"$WORK/verify-tls.log" 2>&1; rc=$?
    [ $rc = 0 ] && pass "verify over TLS: $(tail -1 "$WORK/verify-tls.log")" || fail "verify over TLS exited $rc: $(grep -v '^PASS' "$WORK/verify-tls.log" | head -3)"
}
