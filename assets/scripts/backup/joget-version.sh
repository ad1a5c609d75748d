#!/bin/sh
# Prints "JC version=V" from jw.war's manifest (the node's, else the bundle's), or nothing.
# takes: wars
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
for w in $wars; do
    [ -f "$w" ] || continue
    v=$(unzip -p "$w" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' | sed -n 's/^Implementation-Version: *//p' | head -n 1)
    if [ -n "$v" ]; then echo "JC version=$v"; exit 0; fi
done
exit 0
