#!/bin/sh
# Sets $pkgs to this release's names of the packages the host needs, from a table of one line per
# release: "ID:VERSION_ID name name..." ("*" for any other apt-based release, "!why" instead of
# the names when the release lacks one). When mysql_table is set (a MySQL database host), MySQL's
# server is added from it the same way, unless mysqld is installed already.
# takes: table mysql_table
# Follows lib/os-release.sh, which sets $ID and $VERSION_ID.
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
pick_packages() {
    jc_row=$(printf '%s\n' "$1" | awk -v r="$ID:$VERSION_ID" '$1 == r || $1 == "*" { $1 = ""; sub(/^ /, ""); print; exit }')
    case $jc_row in "!"*) printf '%s\n' "${jc_row#!}" >&2; exit 1 ;; esac
    printf '%s\n' "$jc_row"
}
pkgs=$(pick_packages "$table") || exit 1
if [ -n "$mysql_table" ] && ! command -v mysqld >/dev/null 2>&1; then
    server=$(pick_packages "$mysql_table") || exit 1
    pkgs="$pkgs $server"
fi
