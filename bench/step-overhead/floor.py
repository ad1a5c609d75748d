#!/usr/bin/env python3
"""The floor under the engine: the engine's own session shell and step frames, driven by the
smallest client there is (one thread, one select loop, no runner, no journal, no log), over one
ssh session with the wizard's cipher, elevated with `sudo -n` as the engine's is.

usage: floor.py STEPS MODE SESSION_SH SSH_ARGV...
  MODE: change (the check fails, the apply runs: two forks on the host)
        done   (the check passes: one fork)
Prints one step's time per line (ms), then '# ... wall time per step: X ms'.
"""
import os
import select
import subprocess
import sys
import time

steps, mode, session_sh, ssh = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
check = {"change": "false", "done": "true"}[mode]
shell = ssh + ["sudo -n /bin/sh"]
proc = subprocess.Popen(shell, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
proc.stdin.write(open(session_sh, "rb").read() + b"\n")


def quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def frame(i):
    """One step as the engine sends it: returns once the end marker is in on both streams."""
    marker, checked = "__JC_END_%d_%d" % (os.getpid(), i), "__JC_CHK_%d_%d" % (os.getpid(), i)
    proc.stdin.write(("__jc_step %s %s %s %s\n" % (quote(check), quote("true"), marker, checked)).encode())
    end = ("\n%s " % marker).encode()
    seen = {proc.stdout: b"", proc.stderr: b""}
    while any(end not in text for text in seen.values()):
        ready, _, _ = select.select(list(seen), [], [])
        for f in ready:
            data = os.read(f.fileno(), 65536)
            if not data:
                sys.exit("floor.py: the shell ended: %s" % seen[proc.stderr][-300:].decode(errors="replace"))
            seen[f] += data
    status = seen[proc.stdout].split(end, 1)[1].split(b"\n", 1)[0]
    if status != b"0":
        sys.exit("floor.py: a frame ended with status %r" % status)


frame(0)   # the login and the first frame are not part of a step's cost
times = []
start = time.perf_counter()
for i in range(1, steps + 1):
    t = time.perf_counter()
    frame(i)
    times.append((time.perf_counter() - t) * 1000)
wall = (time.perf_counter() - start) * 1000 / steps
proc.stdin.close()
proc.wait()
for t in times:
    print("%.3f" % t)
print("# %d frames from a minimal client (%s), wall time per step: %.3f ms" % (steps, mode, wall))
