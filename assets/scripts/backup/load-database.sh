#!/bin/sh
# Drops and recreates the database, then loads the dump uploaded to $remote (removed after).
# Follows the admin's sql function.
# takes: name remote
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
if ! gzip -t "$remote"; then echo "$remote is not a whole gzip file" >&2; exit 1; fi
# shellcheck disable=SC2016 # the backticks quote the database's name in SQL
printf 'DROP DATABASE IF EXISTS `%s`; CREATE DATABASE `%s` CHARACTER SET utf8mb4;\n' "$name" "$name" | sql
gzip -dc "$remote" | sql
rm -f "$remote"
echo "tables in $name: $(printf "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '%s';\n" "$name" | sql)"
