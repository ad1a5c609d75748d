#!/bin/sh
# The host's release, said; one the wizard was not tested on is a warning. Follows
# lib/os-release.sh. $tested lists the tested releases as ID:VERSION_ID words.
# takes: tested titles
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
ok=no
for r in $tested; do [ "$r" = "$ID:$VERSION_ID" ] && ok=yes; done
if [ $ok = yes ]; then
    echo "found ${PRETTY_NAME:-$ID $VERSION_ID}"
else
    echo "warning: ${PRETTY_NAME:-$ID $VERSION_ID} is apt-based but not one the wizard was tested on ($titles); Debian's default package names are used" >&2
fi
if [ -d /run/systemd/system ]; then echo 'services: systemd'; else echo 'services: no systemd as PID 1 (services are started with "service"; Tomcat is started directly)'; fi
