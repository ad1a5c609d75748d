#!/bin/sh
# Stops every descendant of the session shell $W and their process groups: TERM for 2 s, then
# KILL; gives up after 3 s. A descendant in a session of its own (a daemon being started with
# setsid) is left alone with its children: signalling one half way up can leave it hung.
# takes: W
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
# Each line: pid, then the process group of it and of $W, for what descends from $W in its session.
__jc_tree() {
    for f in /proc/[0-9]*/stat; do
        read -r l < "$f" 2>/dev/null || continue
        p=${f#/proc/}; p=${p%/stat}; r=${l##*) }
        # shellcheck disable=SC2086 # the stat fields, split on purpose
        set -- $r
        echo "$p $2 $3 $4"
    done | awk -v w="$W" '
        { pp[$1] = $2; pg[$1] = $3; ss[$1] = $4 }
        END {
            d[w] = 1; c = 1
            while (c) { c = 0; for (p in pp) if (!(p in d) && (pp[p] in d) && ss[p] == ss[w]) { d[p] = 1; c = 1 } }
            for (p in d) if (p != w) print p, pg[p], pg[w]
        }'
}
i=0
while :; do
    L=$(__jc_tree)
    [ -z "$L" ] && exit 0
    if [ "$i" -lt 20 ]; then sig=TERM; else sig=KILL; fi
    printf '%s\n' "$L" | while read -r p g wg; do
        [ -n "$g" ] && [ "$g" != "$wg" ] && kill -s "$sig" -- "-$g" 2>/dev/null
        kill -s "$sig" "$p" 2>/dev/null
    done
    [ "$i" -ge 30 ] && exit 1
    i=$((i + 1)); sleep 0.1
done
