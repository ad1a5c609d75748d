#!/bin/sh
# file_matches PATH MODE OWNER TEXT [USER]: the file holds exactly TEXT, with that mode and owner,
# read as root or as USER (root may not read the shared folder). On failure it says which of the
# three differs, never the text (it may hold a secret). Read-only, for checks.
file_matches() {
    jc_reader=${5:-}
    if ! jc_read test -e "$1"; then
        if [ -n "$jc_reader" ]; then printf '%s does not exist (or %s cannot see it)\n' "$1" "$jc_reader" >&2
        else printf '%s does not exist\n' "$1" >&2; fi
        return 1
    fi
    if ! printf '%s' "$4" | jc_read cmp -s - "$1"; then printf '%s differs from the plan\n' "$1" >&2; return 1; fi
    jc_m=$(jc_read stat -c '%a %U:%G' "$1")
    [ "$jc_m" = "$2 $3" ] || { printf '%s is mode %s owner %s, the plan says %s\n' "$1" "${jc_m%% *}" "${jc_m#* }" "$2 $3" >&2; return 1; }
}
jc_read() { if [ -n "$jc_reader" ]; then runuser -u "$jc_reader" -- "$@"; else "$@"; fi; }
