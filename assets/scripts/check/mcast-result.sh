#!/bin/sh
# After a multicast test: whether `word` arrived (waits up to 2 s), then stops the receiver.
# takes: word
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
got=/run/joget-cluster-check.mcast
i=0
until grep -qxF "$word" "$got" 2>/dev/null || [ "$i" -ge 20 ]; do i=$((i + 1)); sleep 0.1; done
if grep -qxF "$word" "$got" 2>/dev/null; then echo "JC received=yes"; else echo "JC received=no"; fi
if [ -f "$got.pid" ]; then kill "$(cat "$got.pid")" 2>/dev/null; fi
rm -f "$got" "$got.pid"
