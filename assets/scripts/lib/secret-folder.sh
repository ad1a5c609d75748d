#!/bin/sh
# Makes $dbd, a private folder for files holding a secret (mysql option files), removed when the
# script ends, also when it is stopped (TERM, INT, HUP). One left by a step killed with -9 is
# removed by a later step an hour after.
umask 077
dbd=$(find /tmp -maxdepth 1 -name 'joget-cluster-secret.*' -mmin +60 -exec rm -rf {} + 2>/dev/null; mktemp -d /tmp/joget-cluster-secret.XXXXXX)
trap 'rm -rf "$dbd"' EXIT
trap 'exit 143' TERM; trap 'exit 130' INT; trap 'exit 129' HUP
