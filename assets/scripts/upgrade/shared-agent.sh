#!/bin/sh
# The clustering agent in the shared folder comes with each release: the new bundle's replaces it,
# the one replaced kept next to it. Written as the service user (root may be squashed by NFS).
# takes: jar staged user was_version
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
if [ ! -f "$staged" ]; then echo "the new bundle has no wflow/wflow-cluster.jar: the shared folder's is kept" >&2; exit 1; fi
# shellcheck disable=SC2016 # "$1"... expand in the inner shell
runuser -u "$user" -- sh -c 'cp -p "$1" "$1.$3" && cp "$2" "$1.new" && mv -f "$1.new" "$1"' joget-agent "$jar" "$staged" "$was_version"
echo "$jar is the new bundle's; the previous one is $jar.$was_version"
