#!/bin/sh
# The service user writes the time into this host's own file in the shared folder's marks;
# the share test reads the other hosts' files.
# takes: user marks host mount uid gid
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
# shellcheck disable=SC2016 # "$1"... expand in the inner shell
if ! runuser -u "$user" -- sh -c 'umask 022; mkdir -p "$1/hosts" && date +%s > "$1/hosts/$2.new" && mv -f "$1/hosts/$2.new" "$1/hosts/$2" && cat "$1/hosts/$2" >/dev/null' joget-test "$marks" "$host"; then
    echo "the service user $user cannot write to $mount: it must be owned by uid $uid / gid $gid (on the file server too)" >&2
    exit 1
fi
echo "$user can write to $mount"
