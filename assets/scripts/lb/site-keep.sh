#!/bin/sh
# Before the site is written: a copy of the one in place, to put back if Apache refuses the new.
# takes: site
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
prev=
if [ -f "$site" ]; then prev=$(mktemp); cp -p "$site" "$prev"; fi
