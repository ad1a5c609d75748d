# shellcheck shell=bash
# Rehearsal lab: builds the STAND-IN Joget DX 8 bundle (not Joget). Sourced by lab.sh.
# build_bundle [VERSION] (default $BUNDLE_VERSION, else 8.1.6) sets BUNDLE_PATH to
# $STATE/bundle/joget-enterprise-linux-VERSION.tar.gz. The result is cached under
# $STATE/bundle-cache/VERSION-<hash of the sources and of the Debian Tomcat/driver versions>,
# one entry per version, so a second call is instant. The versions differ only in the top
# folder's name and in jw.war (WEB-INF/classes/standin-version.properties, the manifest's
# Implementation-Version), which the web app shows.

TOMCAT_DIR_NAME=apache-tomcat-9.0.90
ASPECTJ_JAR=aspectjweaver-1.9.22.jar

bundle_hash() {
    {
        (cd "$LAB_SRC" && find bundle lib/bundle.sh -type f -print0 | sort -z | xargs -0 sha256sum)
        dpkg-query -W tomcat10 libtomcat10-java libmariadb-java 2>/dev/null || true
        javac -version 2>&1 || true
    } | sha256sum | cut -c1-16
}

# make_agent NAME CLASS OUTJAR CLASSESDIR WORKDIR
make_agent() {
    local name=$1 cls=$2 out=$3 classes=$4 work=$5
    mkdir -p "$work/agent-$name/standin/agents" "$(dirname "$out")"
    cp "$classes/standin/agents/$cls.class" "$work/agent-$name/standin/agents/"
    printf 'Premain-Class: standin.agents.%s\nAgent-Class: standin.agents.%s\nImplementation-Title: stand-in %s (joget-cluster lab, not Joget)\n' \
        "$cls" "$cls" "$name" >"$work/agent-$name.mf"
    jar --create --file "$out" --manifest "$work/agent-$name.mf" -C "$work/agent-$name" .
}

# publish_bundle NAME: the bundle at a stable path, $STATE/bundle/NAME.tar.gz (a hard link to
# the cache entry).
publish_bundle() {
    local name=$1
    mkdir -p "$STATE/bundle"
    ln -f "$BUNDLE_PATH" "$STATE/bundle/$name.tar.gz" 2>/dev/null ||
        cp -f "$BUNDLE_PATH" "$STATE/bundle/$name.tar.gz"
    BUNDLE_PATH=$STATE/bundle/$name.tar.gz
}

# prune_bundle_cache VERSION KEEP: remove VERSION's other cache entries (and stale temporary
# ones), and entries from before the cache was per version (a bare hash); other versions stay.
prune_bundle_cache() {
    local version=$1 keep=$2 e n
    for e in "$STATE/bundle-cache"/*; do
        [ -e "$e" ] || continue
        n=${e##*/}
        case $n in
            "$keep") continue ;;
            "$version"-*) ;;
            *-*) continue ;;
        esac
        rm -rf "$e"
    done
}

build_bundle() {
    local version=${1:-${BUNDLE_VERSION:-8.1.6}}
    [[ $version =~ ^[0-9]+(\.[0-9]+)+$ ]] || die "bundle version '$version': want digits and dots, e.g. 8.1.7"
    local name=joget-enterprise-linux-$version
    local hash cache
    hash=$(bundle_hash)
    cache=$STATE/bundle-cache/$version-$hash
    BUNDLE_PATH=$cache/$name.tar.gz
    if [ -f "$BUNDLE_PATH" ]; then
        publish_bundle "$name"
        echo "lab: stand-in bundle $version (cached): $BUNDLE_PATH"
        return 0
    fi
    if ! command -v javac >/dev/null || ! command -v jar >/dev/null; then
        die "javac/jar missing: run lab.sh install"
    fi
    local t0=$SECONDS
    local tmp=$cache.tmp.$$
    rm -rf "$tmp"
    local work=$tmp/work
    local top=$tmp/tree/$name
    local tc=$top/$TOMCAT_DIR_NAME
    local src=$LAB_SRC/bundle
    local servlet_api=/usr/share/java/tomcat10-servlet-api.jar
    [ -f "$servlet_api" ] || servlet_api=/usr/share/tomcat10/lib/servlet-api.jar
    [ -f /usr/share/java/mariadb-java-client.jar ] || die "libmariadb-java missing: run lab.sh install"
    [ -d /usr/share/tomcat10/bin ] || die "tomcat10 missing: run lab.sh install"
    mkdir -p "$work" "$top"

    # Tomcat: Debian's Tomcat 10 made self-contained (symlinks resolved) as CATALINA_HOME.
    mkdir -p "$tc"/{bin,lib,conf,logs,temp,work,webapps}
    cp -L /usr/share/tomcat10/bin/* "$tc/bin/"
    cp -L /usr/share/tomcat10/lib/*.jar "$tc/lib/"
    local f
    for f in web.xml context.xml catalina.properties jaspic-providers.xml logging.properties; do
        cp -L "/etc/tomcat10/$f" "$tc/conf/$f"
    done
    # Debian logs to journald style on the console; the bundle's catalina.out wants timestamps.
    sed -i 's/org\.apache\.juli\.SystemdFormatter/org.apache.juli.OneLineFormatter/' "$tc/conf/logging.properties"
    cp "$src"/tomcat/conf/* "$tc/conf/"
    chmod 644 "$tc"/conf/* "$tc"/lib/*.jar
    chmod 755 "$tc"/bin/*.sh
    printf 'STAND-IN, NOT JOGET: Debian Tomcat %s in a folder named %s (joget-cluster rehearsal lab).\n' \
        "$(dpkg-query -W -f='${Version}' tomcat10 2>/dev/null)" "$TOMCAT_DIR_NAME" >"$tc/STAND-IN.txt"

    # Agents.
    mkdir -p "$work/agents-classes"
    javac --release 17 -nowarn -d "$work/agents-classes" "$src"/agents/standin/agents/*.java
    make_agent wflow-cluster WflowClusterAgent "$top/wflow/wflow-cluster.jar" "$work/agents-classes" "$work"
    make_agent aspectjweaver AspectjWeaverAgent "$tc/lib/$ASPECTJ_JAR" "$work/agents-classes" "$work"
    make_agent glowroot GlowrootAgent "$top/wflow/glowroot/glowroot.jar" "$work/agents-classes" "$work"

    # jw.war
    local war=$work/war
    mkdir -p "$war/WEB-INF/classes" "$war/WEB-INF/lib"
    cp -r "$src"/webapp/root/. "$war/"
    javac --release 17 -nowarn -cp "$servlet_api" -d "$war/WEB-INF/classes" "$src"/webapp/src/standin/jw/*.java
    # The version the web app shows (Lab.VERSION) and the manifest's. "releases" lists the line's
    # releases up to this one (8.1.0 .. 8.1.7), so a later version's jw.war is also larger.
    local releases="${version%.*}.0" i
    for ((i = 1; i <= 10#${version##*.}; i++)); do releases+=", ${version%.*}.$i"; done
    printf '# STAND-IN, NOT JOGET: the version this stand-in bundle was built as (joget-cluster lab).\nversion=%s\nreleases=%s\n' \
        "$version" "$releases" >"$war/WEB-INF/classes/standin-version.properties"
    printf 'Implementation-Title: stand-in jw.war (joget-cluster lab, not Joget)\nImplementation-Version: %s\n' \
        "$version" >"$work/war.mf"
    cp -L /usr/share/java/mariadb-java-client.jar "$war/WEB-INF/lib/mariadb-java-client.jar"
    jar --create --file "$tc/webapps/jw.war" --manifest "$work/war.mf" -C "$war" .

    # Top level: wflow datasource files, placeholders.
    cp -r "$src"/top/. "$top/"
    mkdir -p "$top/data"
    echo "STAND-IN, NOT JOGET: placeholder data folder (joget-cluster rehearsal lab)." >"$top/data/README.txt"
    chmod 755 "$top"/*.sh

    tar -C "$tmp/tree" --owner=0 --group=0 --sort=name -czf "$tmp/$name.tar.gz" "$name"
    rm -rf "$work" "$tmp/tree"
    prune_bundle_cache "$version" "${tmp##*/}"
    mv "$tmp" "$cache"
    publish_bundle "$name"
    echo "lab: stand-in bundle $version built in $((SECONDS - t0)) s: $BUNDLE_PATH ($(du -h "$BUNDLE_PATH" | cut -f1))"
}
