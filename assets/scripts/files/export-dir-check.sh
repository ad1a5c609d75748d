#!/bin/sh
# The shared folder exists with the service user's uid:gid and mode 750.
# takes: path owner
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
s=$(stat -c '%u:%g %a' "$path" 2>/dev/null) || s=
[ "$s" = "$owner 750" ] && exit 0
if [ -z "$s" ]; then printf '%s does not exist\n' "$path" >&2
else printf '%s is owner %s mode %s, the plan says %s mode 750\n' "$path" "${s% *}" "${s#* }" "$owner" >&2; fi
exit 1
