#!/bin/sh
# The shared folder on the file server, owned by the service user's numbers, mode 0750.
# takes: path owner
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
mkdir -p "$path"
chown "$owner" "$path"
chmod 0750 "$path"
