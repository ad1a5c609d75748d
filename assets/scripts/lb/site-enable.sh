#!/bin/sh
# After the site is written: enable it and disable Debian's default site, if Apache accepts the
# configuration; else put the previous one back (the running Apache keeps it). Follows
# lb/site-keep.sh ($prev).
# takes: site enabled default_site default_name apachectl
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
was_enabled=no; [ -e "$enabled" ] && was_enabled=yes
a2ensite -q jwsite
default_was=no
if [ -e "$default_site" ]; then a2dissite -q "$default_name"; default_was=yes; fi
if ! out=$("$apachectl" configtest 2>&1); then
    echo "$out" >&2
    if [ -n "$prev" ]; then cat "$prev" > "$site"; rm -f "$prev"; fi
    if [ $was_enabled = no ]; then a2dissite -q jwsite; fi
    if [ $default_was = yes ]; then a2ensite -q "$default_name"; fi
    echo 'Apache rejects the new site: the previous configuration is put back, and the running Apache keeps it' >&2
    exit 1
fi
[ -z "$prev" ] || rm -f "$prev"
echo "$out"
