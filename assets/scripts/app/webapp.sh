#!/bin/sh
# jw.war in the node's webapps, made distributable (Tomcat replicates sessions only for a
# distributable web app); says what would still stop replication (a Manager, a web fragment).
# takes: war dir staged_war owner
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
set -eu
expanded=$dir/webapps/jw/WEB-INF/web.xml
if [ ! -f "$war" ]; then
    # Copied under another name first: a stop mid-copy must not leave a truncated jw.war.
    cp "$staged_war" "$war.new" && mv -f "$war.new" "$war"
    echo "jw.war copied from the bundle"
fi
if unzip -p "$war" WEB-INF/web.xml | grep -q '<distributable'; then
    echo "jw.war is already distributable"
else
    t=$(mktemp -d)
    mkdir -p "$t/WEB-INF"
    unzip -p "$war" WEB-INF/web.xml > "$t/WEB-INF/web.xml"
    if ! grep -q '</web-app>' "$t/WEB-INF/web.xml"; then echo "jw.war's WEB-INF/web.xml has no </web-app>" >&2; exit 1; fi
    sed -i 's#</web-app>#    <distributable/>\n</web-app>#' "$t/WEB-INF/web.xml"
    [ -e "$dir/jw.war.orig" ] || { cp -p "$war" "$dir/jw.war.orig.new" && mv "$dir/jw.war.orig.new" "$dir/jw.war.orig"; }
    (cd "$t" && zip -q "$war" WEB-INF/web.xml)
    rm -rf "$t"
    echo "added <distributable/> to jw.war's WEB-INF/web.xml (the original is kept as jw.war.orig)"
fi
# A folder Tomcat unpacked from the unchanged war would still be used: drop it.
if [ -f "$expanded" ] && ! grep -q '<distributable' "$expanded"; then rm -rf "$dir/webapps/jw"; fi
chown "$owner" "$war"
# A <Manager> in conf/context.xml (the bundle's, outside comments) would replace the cluster's DeltaManager.
if [ -f "$dir/conf/context.xml" ] && perl -0777 -pe 's/<!--.*?-->//gs' "$dir/conf/context.xml" | grep -q '<Manager'; then
    echo "warning: conf/context.xml declares a <Manager>: it replaces the cluster's session manager, so sessions are not replicated; remove it" >&2
fi
# A web-fragment.xml without <distributable/> in any jar makes the whole app not distributable.
if ! unzip -p "$war" WEB-INF/web.xml | grep -q 'metadata-complete="true"'; then
    t=$(mktemp -d)
    unzip -q "$war" 'WEB-INF/lib/*.jar' -d "$t" 2>/dev/null || true
    for jar in "$t"/WEB-INF/lib/*.jar; do
        [ -f "$jar" ] || continue
        if unzip -p "$jar" META-INF/web-fragment.xml 2>/dev/null | grep -q '<web-fragment' && ! unzip -p "$jar" META-INF/web-fragment.xml | grep -q '<distributable'; then
            echo "warning: $(basename "$jar") has a web-fragment.xml without <distributable/>: Tomcat will not replicate sessions" >&2
        fi
    done
    rm -rf "$t"
fi
