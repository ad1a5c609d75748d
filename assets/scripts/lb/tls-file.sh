#!/bin/sh
# After the upload of a TLS file to the balancer: owned by root, with its mode (the key 0600).
# takes: path mode
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
chown root:root "$path"
chmod "$mode" "$path"
echo "$path: mode $mode, owner root"
