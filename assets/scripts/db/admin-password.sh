#!/bin/sh
# Defines sql (the database admin's client, reading SQL on stdin) with the admin's option file
# in the secret folder. Follows lib/secret-folder.sh ($dbd).
# takes: option
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
printf '%s' "$option" > "$dbd/admin.cnf"
sql() { mysql --defaults-extra-file="$dbd/admin.cnf" --connect-timeout=10 -N -B; }
