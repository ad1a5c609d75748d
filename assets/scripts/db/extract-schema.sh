#!/bin/sh
# The schema Joget ships inside jw.war, taken out on the first app host (and carried to the
# database host by the step's transfer).
# takes: work_dir war schema
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
mkdir -p "$work_dir"
unzip -p "$war" WEB-INF/classes/setup/sql/jwdb-mysql.sql > "$schema.new"
if [ ! -s "$schema.new" ]; then
    echo 'jw.war holds no WEB-INF/classes/setup/sql/jwdb-mysql.sql' >&2
    exit 1
fi
mv -f "$schema.new" "$schema"
wc -c "$schema"
