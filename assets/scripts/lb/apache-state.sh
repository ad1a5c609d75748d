#!/bin/sh
# Defines fingerprint: what Apache was, or would be, (re)loaded with: the site (and the TLS
# certificate and key), and the modules and sites enabled. $files holds the files, one a line.
# takes: files mods_dir sites_dir
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
fingerprint() {
    {
        printf '%s\n' "$files" | while IFS= read -r f; do sha256sum "$f" 2>&1; done
        ls "$mods_dir" "$sites_dir" 2>&1
    } | sha256sum | cut -d ' ' -f 1
}
