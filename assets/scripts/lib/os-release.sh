#!/bin/sh
# Reads /etc/os-release ($ID, $VERSION_ID, $PRETTY_NAME) and refuses a system that does not use
# apt, in words an operator understands.
if [ ! -r /etc/os-release ]; then echo 'cannot read /etc/os-release: this host is not a supported Linux (Debian 12, Ubuntu 22.04 or 24.04)' >&2; exit 1; fi
# shellcheck source=/dev/null # the host's own release file
. /etc/os-release
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    echo "this host runs ${PRETTY_NAME:-an unknown system}, which does not use apt; the wizard installs on Debian 12, Ubuntu 22.04 and Ubuntu 24.04 only" >&2
    exit 1
fi
