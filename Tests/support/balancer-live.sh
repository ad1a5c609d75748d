#!/bin/sh
# Runs a private Apache (ServerRoot DIR, config DIR/apache2.conf) in front of two stand-in backends on
# loopback, sends requests through it, prints one result line per request, and stops everything.
# Used by RealProgramsTests; all processes are children of this script and are killed on exit.
#   balancer-live.sh DIR FRONT_PORT BACKEND_PORT_1 BACKEND_PORT_2
set -eu
dir=$1 front=$2 p1=$3 p2=$4
pids=
cleanup() {
    if [ -f "$dir/run/apache2.pid" ]; then
        APACHE_LOG_DIR=$dir/logs /usr/sbin/apache2 -d "$dir" -k stop >/dev/null 2>&1 || true
        i=0; while [ -f "$dir/run/apache2.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    fi
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    for p in $pids; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
wait_port() {
    i=0
    until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; do
        i=$((i + 1)); [ $i -lt 100 ] || { echo "nothing answers on port $1"; return 1; }
        sleep 0.1
    done
}
cat > "$dir/backend.py" <<'PY'
import http.server, sys
name = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = (name + " " + self.path + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$dir/backend.py" "$p1" node01 >"$dir/b1.log" 2>&1 </dev/null & pids="$pids $!"
python3 "$dir/backend.py" "$p2" node02 >"$dir/b2.log" 2>&1 </dev/null & pids="$pids $!"
wait_port "$p1"; wait_port "$p2"
APACHE_LOG_DIR=$dir/logs /usr/sbin/apache2 -d "$dir" -k start >"$dir/apache.out" 2>&1 </dev/null || { cat "$dir/apache.out" "$dir/logs/error.log"; exit 1; }
wait_port "$front" || { cat "$dir/logs/error.log"; exit 1; }
get() { curl -s --max-time 10 "$@"; }
for i in 1 2 3 4 5 6 7 8; do echo "plain $(get "http://127.0.0.1:$front/jw/web/login")"; done
for route in node02 node01; do
    for i in 1 2 3 4 5 6; do echo "cookie-$route $(get -b "JSESSIONID=ABCDEF0123.$route" "http://127.0.0.1:$front/jw/web/console/home")"; done
done
echo "path-node02 $(get "http://127.0.0.1:$front/jw/web/x;jsessionid=ABC.node02")"
echo "root $(get -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$front/")"
echo done
