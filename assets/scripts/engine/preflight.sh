#!/bin/sh
# What the Hosts page's connection test reads from a host, one name=value line each: who we are,
# the release, free disk, Java, the ports already listened on, CPUs, memory, the clock. Read-only.
# takes:
LC_ALL=C; export LC_ALL
echo "uid=$(id -u)"
echo "user=$(id -un)"
if [ -r /etc/os-release ]; then
    # shellcheck source=/dev/null # the host's own release file
    . /etc/os-release
    echo "os_id=${ID:-}"; echo "os_version=${VERSION_ID:-}"; echo "os_name=${PRETTY_NAME:-}"
fi
df -Pm / 2>/dev/null | awk 'NR == 2 { print "disk_mb=" $4 }'
if command -v java >/dev/null 2>&1; then echo "java=$(java -version 2>&1 | head -n 1)"; else echo "java="; fi
if command -v ss >/dev/null 2>&1; then
    echo "listen=$(ss -Hltn 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }' | sort -un | tr '\n' ' ')"
elif command -v netstat >/dev/null 2>&1; then
    echo "listen=$(netstat -ltn 2>/dev/null | awk 'NR > 2 { n = split($4, a, ":"); print a[n] }' | sort -un | tr '\n' ' ')"
else echo "listen=?"; fi
echo "cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
awk '/^MemTotal:/ { print "mem_total_kb=" $2 } /^MemAvailable:/ { print "mem_avail_kb=" $2 }' /proc/meminfo
echo "epoch=$(date +%s.%N)"
