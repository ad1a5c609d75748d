#!/bin/sh
# The service user and its group with the same uid and gid on every host (files on the shared
# folder are owned by numbers); a user or group already there with other numbers is refused.
# takes: u uid gid home
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
if g=$(getent group "$u"); then
    have=$(echo "$g" | cut -d: -f3)
    if [ "$have" != "$gid" ]; then
        echo "group $u exists with gid $have, not $gid: files on the shared folder would not match. Set appServers.gid to $have on every host, or renumber the group" >&2
        exit 1
    fi
else
    if o=$(getent group "$gid"); then
        echo "gid $gid is already used by group ${o%%:*}: choose another appServers.gid" >&2
        exit 1
    fi
    groupadd -g "$gid" "$u"
fi
if getent passwd "$u" >/dev/null; then
    have=$(id -u "$u")
    if [ "$have" != "$uid" ]; then
        echo "user $u exists with uid $have, not $uid: files on the shared folder would not match. Set appServers.uid to $have on every host, or renumber the user" >&2
        exit 1
    fi
    if [ "$(id -g "$u")" != "$gid" ]; then
        echo "user $u's primary group is $(id -gn "$u"), not $u ($gid): change it with usermod -g $gid $u" >&2
        exit 1
    fi
else
    if o=$(getent passwd "$uid"); then
        echo "uid $uid is already used by user ${o%%:*}: choose another appServers.uid" >&2
        exit 1
    fi
    useradd -u "$uid" -g "$gid" -d "$home" -M -s /usr/sbin/nologin -c 'Joget cluster service' "$u"
fi
echo "$u: uid $(id -u "$u"), gid $(id -g "$u")"
