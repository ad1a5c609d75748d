#!/bin/sh
# Starts the NFS server (and at boot), after lib/service-control.sh, then exports again.
# takes: unit init_script
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
svc_start "$unit" "$init_script"
exportfs -ra
