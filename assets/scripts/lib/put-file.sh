#!/bin/sh
# A planned file written through a 0600 temp file next to it, whose mode and owner are set before
# the rename, so no reader sees half a file; a temp file left by a stopped earlier run is removed
# first. The text is a function's argument, never a process's argv.
#   put_file PATH MODE OWNER TEXT     as root
#   put_file_as USER PATH MODE TEXT   as USER (the shared folder, where NFS squashes root)
put_file() {
    rm -f "$1".joget-cluster.??????
    jc_t=$(mktemp "$1.joget-cluster.XXXXXX")
    printf '%s' "$4" > "$jc_t"
    chmod "$2" "$jc_t" && chown "$3" "$jc_t" && mv -f "$jc_t" "$1"
}
put_file_as() {
    # shellcheck disable=SC2016 # the inner script reads its own arguments
    printf '%s' "$4" | runuser -u "$1" -- sh -c 'umask 077; rm -f "$1".joget-cluster.??????; t=$(mktemp "$1.joget-cluster.XXXXXX") && cat > "$t" && chmod "$2" "$t" && mv -f "$t" "$1"' joget-write "$2" "$3"
}
