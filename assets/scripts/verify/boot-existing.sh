#!/bin/sh
# verify: what mounts an existing shared directory again at boot (fstab, a mount or automount
# unit, autofs, a container's manager). Follows verify/boot-units.sh.
# takes: m
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
target=$(findmnt -n -o TARGET -T "$m" 2>/dev/null | tail -n 1)
echo "JC target=$target"
if [ -n "$target" ] && [ "$target" != / ]; then
    echo "JC fstab=$(findmnt -s -rn -o SOURCE,FSTYPE,OPTIONS -M "$target" 2>/dev/null | head -n 1)"
    mu=$(systemd-escape -p --suffix=mount "$target" 2>/dev/null)
    echo "JC mountunit=$mu $(systemctl show -p FragmentPath --value "$mu" 2>/dev/null)"
    echo "JC automount=${mu%.mount}.automount $(systemctl show -p FragmentPath --value "${mu%.mount}.automount" 2>/dev/null)"
    echo "JC autofs=$(findmnt -rn -t autofs -o TARGET 2>/dev/null | awk -v m="$m" 'index(m "/", $1 "/") == 1 { print; exit }') $(systemctl is-enabled autofs 2>/dev/null)"
    echo "JC container=$(systemd-detect-virt -c 2>/dev/null)"
    echo "JC since=$(systemctl show -p ActiveEnterTimestampMonotonic --value "$mu" 2>/dev/null) $(systemctl show -p ActiveEnterTimestampMonotonic --value sysinit.target 2>/dev/null)"
fi
