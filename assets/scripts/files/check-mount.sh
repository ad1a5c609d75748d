#!/bin/sh
# An existing shared folder: it must be a mount (not the root file system) unless every node
# runs on this one host (single=yes); one not in /etc/fstab is said to be lost at a reboot.
# takes: m single
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
if [ ! -d "$m" ]; then echo "$m does not exist on this host: mount the shared folder there first" >&2; exit 1; fi
target=$(findmnt -n -o TARGET -T "$m" | tail -n 1)
fstype=$(findmnt -n -o FSTYPE -T "$m" | tail -n 1)
if [ "$target" = / ]; then
    if [ "$single" = yes ]; then
        echo "note: $m is a folder on this host's root file system; that is fine while every node runs on this host"
    else
        echo "$m is on this host's root file system, not a shared mount: each app host would see its own folder. Mount the shared storage at $m (or at a folder above it) on every app host, or choose sharedFiles.provider: nfs" >&2
        exit 1
    fi
else
    echo "$m is on $fstype, mounted at $target"
    if ! findmnt -s -n -M "$target" >/dev/null 2>&1; then
        echo "warning: $target is not in /etc/fstab: make sure it is mounted again after a reboot (a systemd mount unit or autofs will do)" >&2
    fi
fi
