#!/bin/sh
# A consistent dump of the Joget database on its host (--single-transaction: the cluster keeps
# serving), gzipped there. Prints "JC file=PATH". Follows the admin's login (socket=yes, or the
# option file in $dbd) and lib/backup-part-folder.sh ($out).
# takes: name socket
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
if command -v mariadb-dump >/dev/null 2>&1; then dumper=mariadb-dump
elif command -v mysqldump >/dev/null 2>&1; then dumper=mysqldump
else echo 'neither mariadb-dump nor mysqldump is installed on this host' >&2; exit 1; fi
dump() {
    if [ "$socket" = yes ]; then "$dumper" --protocol=socket "$@"
    else "$dumper" --defaults-extra-file="$dbd/admin.cnf" "$@"; fi
}
{ dump --single-transaction --routines --triggers --hex-blob --databases "$name" 2>"$out/dump.err" || echo $? > "$out/dump.rc"; } \
    | gzip -c > "$out/database.sql.gz"
if [ -s "$out/dump.rc" ]; then
    echo "$dumper failed (status $(cat "$out/dump.rc")):" >&2; cat "$out/dump.err" >&2
    rm -rf "$out"; exit 1
fi
cat "$out/dump.err" >&2
echo "JC file=$out/database.sql.gz"
