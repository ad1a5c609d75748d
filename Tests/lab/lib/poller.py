#!/usr/bin/env python3
"""Rehearsal lab: a client of the cluster through the balancer, polling with its session cookie.

    poller.py URL ROUTE SECONDS OUTFILE [STOPFILE]

Opens a session on the node named ROUTE ("-": wherever the balancer sends a new one), then
requests URL with that cookie every 100 ms for SECONDS (or until STOPFILE exists), and writes to
OUTFILE a JSON summary: requests, failures (anything but a 200 with a JSON body, each with its
time and reason), session resets (a new session id or a counter that did not go up by one), the
nodes that answered and the versions they said, the slowest request and the longest gap between
two answers.

POLL_INTERVAL sets the pause between requests in seconds (0: back to back, as a busy client).

With POLL_MAINTENANCE_OK=1 (a safe upgrade), a 503 carrying Retry-After is counted as "maintenance",
not as a failure; a 503 without it, or no answer at all, is still a failure.
"""
import http.cookiejar, json, os, sys, time, urllib.error, urllib.request

url, route, seconds, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
stop = sys.argv[5] if len(sys.argv) > 5 else None
maintenance_ok = os.environ.get("POLL_MAINTENANCE_OK") == "1"
interval = float(os.environ.get("POLL_INTERVAL", "0.1"))

def opener():
    jar = http.cookiejar.CookieJar()
    return jar, urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

def get(op, headers={}):
    with op.open(urllib.request.Request(url, headers=headers), timeout=15) as r:
        return r.status, json.loads(r.read().decode("utf-8"))

# A session on ROUTE: the first request carries a cookie routed there (an unknown session id
# ending in .ROUTE), so the balancer sends it to that node, which starts a session of its own. Not
# new sessions until one lands there: byrequests evens out every request the nodes served, so
# after a node was out, new sessions all go to it for a while. Asked again while ROUTE is down.
routed = {} if route == "-" else {"Cookie": "JSESSIONID=0000000000000000." + route}
info = None
for attempt in range(60):
    jar, op = opener()
    try:
        status, info = get(op, routed)
    except Exception as e:
        info = {"error": str(e)[:200]}
        time.sleep(0.5)
        continue
    if route == "-" or info.get("sessionId", "").endswith("." + route):
        break
    time.sleep(0.5)
else:
    json.dump({"error": f"no session with route {route} in 60 tries (last: {info})"}, open(out, "w"))
    sys.exit(1)

sid = info["sessionId"].split(".")[0]
counter = info.get("counter")
start = time.time()
requests, failures, resets, nodes, versions, maintenance = 1, [], [], {}, {}, 0
slowest, longest_gap, last_ok = 0.0, 0.0, start
while time.time() - start < seconds and not (stop and os.path.exists(stop)):
    time.sleep(interval)
    requests += 1
    t = round(time.time() - start, 2)
    sent = time.time()
    try:
        status, info = get(op)
    except urllib.error.HTTPError as e:
        if maintenance_ok and e.code == 503 and e.headers.get("Retry-After"):
            maintenance += 1
        else:
            failures.append({"t": t, "error": f"HTTP {e.code} (Retry-After: {e.headers.get('Retry-After')})"})
        continue
    except Exception as e:  # refused, reset, timeout, a body that is not JSON
        failures.append({"t": t, "error": str(e)[:200]})
        continue
    now = time.time()
    slowest, longest_gap, last_ok = max(slowest, now - sent), max(longest_gap, now - last_ok), now
    node = info.get("node", "?")
    nodes[node] = nodes.get(node, 0) + 1
    version = info.get("version", "?")
    versions[version] = versions.get(version, 0) + 1
    if info.get("sessionId", "").split(".")[0] != sid or info.get("counter") != counter + 1:
        resets.append({"t": t, "sessionId": info.get("sessionId"), "counter": info.get("counter"), "expected": counter + 1})
        sid = info.get("sessionId", "").split(".")[0]
    counter = info.get("counter")
json.dump({"requests": requests, "failures": failures, "resets": resets, "nodes": nodes,
           "versions": versions, "maintenance": maintenance,
           "slowest": round(slowest, 2), "longestGap": round(longest_gap, 2),
           "seconds": round(time.time() - start, 1)}, open(out, "w"))
