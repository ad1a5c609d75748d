#!/bin/sh
# Fails, saying so, unless every package in $pkgs is installed. Follows select-packages.sh.
# takes:
# shellcheck disable=SC2154 # $pkgs is set by select-packages.sh, which runs first
want=$(printf '%s\n' "$pkgs" | wc -w)
# shellcheck disable=SC2086 # $pkgs is a list of names, split on purpose
got=$(dpkg-query -W -f='${db:Status-Status}\n' $pkgs 2>/dev/null | grep -c '^installed$')
[ "$got" -eq "$want" ] || { printf 'not every package is installed: %s\n' "$pkgs" >&2; exit 1; }
