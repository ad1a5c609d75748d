#!/bin/sh
# After an upload: the partial file becomes the target only when its sha256 is the sent file's.
# takes: target partial sum mode
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
s=$(sha256sum < "$partial") || exit 4
s=${s%% *}
if [ "$s" != "$sum" ]; then rm -f "$partial"; printf 'checksum mismatch after transfer: %s\n' "$s" >&2; exit 3; fi
chmod "$mode" "$partial" && mv -f "$partial" "$target"
