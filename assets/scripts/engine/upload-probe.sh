#!/bin/sh
# Before an upload: line 1, the target's sha256 or "absent"; line 2, how many bytes a copy cut off
# earlier holds in the partial file (0: none).
# takes: target partial
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
if [ -f "$target" ]; then s=$(sha256sum < "$target") || exit 4; printf '%s\n' "${s%% *}"; else printf 'absent\n'; fi
if [ -f "$partial" ]; then stat -c %s "$partial"; else echo 0; fi
