#!/bin/sh
# Unpacks the Joget bundle on an app host (a folder given as the bundle is linked instead) and
# points fixed links at its Tomcat, wflow folder and jw.war; refuses a bundle that cannot be
# clustered (no wflow-cluster.jar) or that is not one Joget bundle.
# takes: src dir install_dir staged_tomcat staged_wflow staged_war
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
mkdir -p "$dir"; chmod 755 "$install_dir" "$dir"
if [ ! -e "$src" ]; then echo "the bundle $src is not on this host" >&2; exit 1; fi
rm -rf "$dir/unpacked.new"
if [ -d "$src" ]; then
    ln -s "$src" "$dir/unpacked.new"
else
    mkdir "$dir/unpacked.new"
    case "$src" in
        *.zip) unzip -q "$src" -d "$dir/unpacked.new" ;;
        *) tar -xf "$src" --no-same-owner -C "$dir/unpacked.new" ;;
    esac
    chmod -R go+rX,go-w "$dir/unpacked.new"
fi
rm -rf "$dir/unpacked"
mv "$dir/unpacked.new" "$dir/unpacked"
tomcats=$(find -L "$dir/unpacked/" -mindepth 1 -maxdepth 3 -type d -name 'apache-tomcat-*' | sort)
count=$(printf '%s' "$tomcats" | grep -c . || true)
if [ "$count" != 1 ]; then echo "expected one apache-tomcat-* folder in the bundle, found $count${tomcats:+: $tomcats}" >&2; exit 1; fi
tomcat=$tomcats; top=$(dirname "$tomcat")
if [ ! -f "$tomcat/bin/catalina.sh" ]; then echo "$tomcat has no bin/catalina.sh" >&2; exit 1; fi
if [ ! -d "$top/wflow" ]; then echo "the bundle has no wflow folder next to $(basename "$tomcat")" >&2; exit 1; fi
if [ ! -f "$top/wflow/wflow-cluster.jar" ]; then
    echo "the bundle's wflow folder has no wflow-cluster.jar: $(basename "$top") cannot be clustered (a Joget DX 8 Enterprise or Large Enterprise bundle can)" >&2
    exit 1
fi
war=$tomcat/webapps/jw.war
[ -f "$war" ] || war=$(find -L "$dir/unpacked/" -maxdepth 4 -type f -name jw.war | sort | head -n 1)
if [ -z "$war" ]; then echo "the bundle holds no jw.war" >&2; exit 1; fi
ln -sfn "$tomcat" "$staged_tomcat"
ln -sfn "$top/wflow" "$staged_wflow"
ln -sfn "$war" "$staged_war"
printf '%s\n' "$src" > "$dir/source"
edition=$(basename "$top" | sed -n 's/^joget-\([a-z]*\)-.*/\1/p')
version=$(basename "$top" | sed -n 's/.*-\([0-9][0-9.]*[0-9]\)$/\1/p')
echo "bundle: $(basename "$top") (edition: ${edition:-unknown}, version: ${version:-unknown}), Tomcat ${tomcat##*apache-tomcat-}"
