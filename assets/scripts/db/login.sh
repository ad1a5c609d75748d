#!/bin/sh
# An app host logs in to the database as the Joget user, with the password in an option file
# of the secret folder (never in argv). Follows lib/secret-folder.sh ($dbd).
# takes: option app host port user name
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
printf '%s' "$option" > "$dbd/joget.cnf"
if ! out=$(mysql --defaults-extra-file="$dbd/joget.cnf" --connect-timeout=10 -h "$host" -P "$port" -N -B -e 'SELECT 1' "$name" 2>&1); then
    echo "$app cannot log in to $name at $host:$port as $user: $out" >&2
    exit 1
fi
echo "$app logs in to $name at $host:$port as $user"
