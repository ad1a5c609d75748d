#!/bin/sh
# The first thing a command session reads.
# __jc_run CMD MARKER runs CMD in a subshell with stdin from /dev/null (it never reads the command
# stream) and no positional parameters (it cannot learn the marker), then prints "\nMARKER STATUS"
# on stdout and on stderr (__jc_end): the command is complete when both are seen.
# __jc_step CHECK APPLY MARKER CHECKED is a step's check and apply in one command: CHECK in a
# subshell, "CHECKED STATUS" on both streams, APPLY in a subshell only when CHECK failed, then the
# end as __jc_run's with APPLY's status (0 when CHECK passed). Each part gets the same isolation as
# a __jc_run command, with one fork less than running such a frame through __jc_run.
# takes:
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}; export PATH; cd / || :
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
        ( __jc_c=$2; shift 4; eval "$__jc_c" ) </dev/null
        __jc_s=$?
    fi
    __jc_end "$3" "$__jc_s"
}
