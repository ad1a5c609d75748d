#!/bin/sh
# A node's own Tomcat folder, copied from the bundle's (CATALINA_HOME = CATALINA_BASE), marked with
# the bundle it came from; a folder from another bundle, or not ours, is refused, never replaced.
# takes: dir src staged_tomcat staged_wflow unpacked owner
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
if [ -e "$dir" ] && [ "$(cat "$dir/.joget-cluster-bundle" 2>/dev/null)" != "$src" ]; then
    if [ -f "$dir/.joget-cluster-bundle" ]; then
        echo "$dir holds Tomcat from another bundle ($(cat "$dir/.joget-cluster-bundle")): move it away to install this one (its logs and your changes are in it)" >&2
    else
        echo "$dir exists but was not installed by joget-cluster: move it away, or choose another appServers.installDir" >&2
    fi
    exit 1
fi
if [ ! -e "$dir" ]; then
    rm -rf "$dir.new"
    cp -R "$staged_tomcat/." "$dir.new"
    chmod 755 "$dir.new"/bin/*.sh
    # The plan replaces these two: keep the bundle's own for comparison.
    for f in conf/server.xml bin/setenv.sh; do [ ! -f "$dir.new/$f" ] || cp -p "$dir.new/$f" "$dir.new/$f.bundle"; done
    # Marked before it takes its name: a stop after the rename leaves a folder a re-run recognises.
    printf '%s\n' "$src" > "$dir.new/.joget-cluster-bundle"
    mv "$dir.new" "$dir"
fi
# The aspectjweaver version changes between releases: take the newest the bundle has.
newest() { awk -F/ '{print $NF "\t" $0}' | sort -V | tail -n 1 | cut -f 2; }
jar=$(find "$dir/lib" -maxdepth 1 -name 'aspectjweaver-*.jar' | newest)
if [ -n "$jar" ]; then
    ln -sfn "lib/$(basename "$jar")" "$dir/aspectjweaver.jar"
else
    jar=$(find -L "$staged_wflow/" "$unpacked/" -maxdepth 4 -name 'aspectjweaver-*.jar' | newest)
    if [ -z "$jar" ]; then echo "the bundle has no aspectjweaver-*.jar (looked in Tomcat's lib and the wflow folder)" >&2; exit 1; fi
    cp "$jar" "$dir/aspectjweaver.jar"
fi
echo "aspectjweaver: $(basename "$jar")"
chown -R "$owner" "$dir"
