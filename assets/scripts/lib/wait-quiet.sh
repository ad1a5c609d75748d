#!/bin/sh
# wait_quiet PORT QUIET MAX: waits until no connection is established to PORT for QUIET seconds
# in a row, for MAX seconds at most; sets $quiet to the quiet seconds reached. Requests already
# sent to a node finish before it is stopped.
wait_quiet() {
    quiet=0; i=0
    while [ $quiet -lt "$2" ] && [ $i -lt "$3" ]; do
        n=$(ss -Htn state established "( sport = :$1 )" 2>/dev/null | wc -l)
        if [ "$n" = 0 ]; then quiet=$((quiet + 1)); else quiet=0; fi
        i=$((i + 1)); sleep 1
    done
}
