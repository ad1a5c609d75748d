#!/bin/sh
# Makes $out, a 0700 folder for this backup's parts on the host; those a day old (left by a backup
# that was stopped) are removed first. Prints "JC dir=PATH".
find /var/tmp -maxdepth 1 -name 'joget-cluster-backup.*' -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
out=$(mktemp -d /var/tmp/joget-cluster-backup.XXXXXX)
echo "JC dir=$out"
