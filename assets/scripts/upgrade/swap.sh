#!/bin/sh
# Stops the node and sets its folder aside as <node>.<old version>; puts back a folder of the
# target version that an earlier upgrade set aside (a rollback returns to it this way). Follows
# app/stop-node.sh (stop_node) and lib/wait-quiet.sh.
# takes: dir aside kept want was port
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
have=$(cat "$dir/.joget-cluster-bundle" 2>/dev/null || true)
if [ -e "$dir" ] && [ "$have" != "$was" ]; then
    echo "$dir holds ${have:-a Tomcat not installed by joget-cluster}, neither $was nor $want: move it away" >&2
    exit 1
fi
# Requests already sent to the node finish first (up to 30 s without a new one).
wait_quiet "$port" 2 30
stop_node
if [ -e "$dir" ]; then
    if [ -e "$aside" ]; then rm -rf "$aside"; echo "removed an older $aside"; fi
    mv "$dir" "$aside"
    echo "$(basename "$dir") is stopped; $dir is kept as $aside"
fi
if [ "$(cat "$kept/.joget-cluster-bundle" 2>/dev/null)" = "$want" ]; then
    mv "$kept" "$dir"
    echo "$kept, kept by an earlier upgrade, is $dir again"
fi
