#!/bin/sh
# The first thing a command session reads.
# __jc_run CMD MARKER runs CMD in a subshell with stdin from /dev/null (it never reads the command
# stream) and no positional parameters (it cannot learn the marker), then prints "\nMARKER STATUS"
# on stdout and on stderr (__jc_end): the command is complete when both are seen.
# __jc_step CHECK APPLY MARKER CHECKED is a step's check and apply in one command: CHECK in a
# subshell, "CHECKED STATUS" on both streams, APPLY in a subshell only when CHECK failed, then the
# end as __jc_run's with APPLY's status (0 when CHECK passed). Each part gets the same isolation as
# a __jc_run command, with one fork less than running such a frame through __jc_run.
# An apply holds the host's step lock (flock, fd 9) to its end: an apply that a killed or cut-off
# run left running here is waited for, not raced by the run that resumes it. Only applies take it:
# flock is a fork and an exec (about 0.8 ms a step here), and a check only reads. The lock goes
# with the process that holds it (the session shell, which outlives its connection), so a dead run
# never leaves it held; fd 9 is closed in the apply's own shell, so a daemon it starts does not
# keep it.
# takes:
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}; export PATH; cd / || :
__jc_lockf=
if command -v flock >/dev/null 2>&1 && { [ -d /run/joget-cluster ] || mkdir -m 0700 /run/joget-cluster 2>/dev/null; } \
    && [ -w /run/joget-cluster ]; then
    __jc_lockf=/run/joget-cluster/step.lock
fi
__jc_end() {
    printf '\n%s %s\n' "$1" "$2"
    printf '\n%s %s\n' "$1" "$2" >&2
}
__jc_run() {
    ( __jc_c=$1; shift 2; eval "$__jc_c" ) </dev/null
    __jc_end "$2" "$?"
}
__jc_step() {
    ( __jc_c=$1; shift 4; eval "$__jc_c" ) </dev/null
    __jc_k=$?
    printf '%s %s\n' "$4" "$__jc_k"
    printf '%s %s\n' "$4" "$__jc_k" >&2
    __jc_s=0
    if [ "$__jc_k" != 0 ]; then
        if [ -n "$__jc_lockf" ] && command exec 9>>"$__jc_lockf"; then
            flock -n 9 || { echo "waiting for a step that an earlier run left running on this host" >&2; flock 9; }
        fi
        ( exec 9>&-; __jc_c=$2; shift 4; eval "$__jc_c" ) </dev/null
        __jc_s=$?
        exec 9>&-
    fi
    __jc_end "$3" "$__jc_s"
}
