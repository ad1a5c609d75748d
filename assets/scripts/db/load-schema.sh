#!/bin/sh
# Loads Joget's schema once, into a database with no table; a load that fails empties the
# database again, so a re-run starts clean. Follows the admin's sql function.
# takes: name schema
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
count_tables() { printf "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '%s';\n" "$name" | sql; }
n=$(count_tables)
if [ "$n" != 0 ]; then echo "$name already has $n tables: the schema is not loaded again"; exit 0; fi
if [ ! -f "$schema" ]; then echo "the schema $schema is not on this host" >&2; exit 1; fi
# shellcheck disable=SC2016 # the backticks quote the database's name in SQL
if ! { printf 'USE `%s`;\n' "$name"; cat "$schema"; } | sql; then
    echo 'loading the schema failed; the database is emptied again so that a re-run starts clean' >&2
    # shellcheck disable=SC2016 # the backticks quote the database's name in SQL
    printf 'DROP DATABASE `%s`; CREATE DATABASE `%s` CHARACTER SET utf8mb4;\n' "$name" "$name" | sql
    exit 1
fi
rm -f "$schema"
echo "tables in $name: $(count_tables)"
