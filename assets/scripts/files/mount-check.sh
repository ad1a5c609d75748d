#!/bin/sh
# The shared folder is mounted from the planned source (the last mount on it is what is seen).
# takes: m source
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
cur=$(findmnt -rn -M "$m" -o SOURCE 2>/dev/null | tail -n 1)
[ "$cur" = "$source" ] || { printf '%s is mounted at %s, the plan says %s\n' "${cur:-nothing}" "$m" "$source" >&2; exit 1; }
