#!/bin/sh
# The first thing a command session reads. __jc_run CMD - MARKER runs CMD in a subshell with stdin
# from /dev/null (it never reads the command stream) and no positional parameters (it cannot learn
# the marker), then prints "\nMARKER STATUS" on stdout and on stderr: the command is complete when
# both are seen.
# takes:
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}; export PATH; cd / || :
__jc_run() {
    ( __jc_c=$1; shift 2; eval "$__jc_c" ) </dev/null
    __jc_s=$?
    printf '\n%s %s\n' "$2" "$__jc_s"
    printf '\n%s %s\n' "$2" "$__jc_s" >&2
}
