#!/bin/sh
# verify: this app host logs in to the database as the Joget user (option file in the secret
# folder) and counts the schema's tables. Follows lib/secret-folder.sh.
# takes: option host port name
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
printf '%s' "$option" > "$dbd/joget.cnf"
n=$(mysql --defaults-extra-file="$dbd/joget.cnf" --connect-timeout=10 -h "$host" -P "$port" -N -B \
    -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$name'" 2>&1); rc=$?
echo "JC rc=$rc"; echo "JC tables=$n"
