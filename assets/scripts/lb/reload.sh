#!/bin/sh
# Reload Apache gracefully after its site changed, once it accepts the configuration: requests in
# flight finish on the old configuration, new ones take the new.
# takes: apachectl unit
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
if ! out=$("$apachectl" configtest 2>&1); then echo "$out" >&2; exit 1; fi
if [ -d /run/systemd/system ]; then systemctl reload "$unit"; else "$apachectl" graceful; fi
