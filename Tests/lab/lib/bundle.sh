# Rehearsal lab: builds the STAND-IN Joget DX 8 bundle (not Joget). Sourced by lab.sh.
# Sets BUNDLE_PATH. The result is cached under $STATE/bundle-cache/<hash of the sources and
# of the Debian Tomcat/driver versions>, so a second call is instant.

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

# The bundle at a stable path: $STATE/bundle/NAME.tar.gz (a hard link to the cache entry).
publish_bundle() {
    mkdir -p "$STATE/bundle"
    ln -f "$BUNDLE_PATH" "$STATE/bundle/$BUNDLE_NAME.tar.gz" 2>/dev/null ||
        cp -f "$BUNDLE_PATH" "$STATE/bundle/$BUNDLE_NAME.tar.gz"
    BUNDLE_PATH=$STATE/bundle/$BUNDLE_NAME.tar.gz
}

build_bundle() {
    local hash cache
    hash=$(bundle_hash)
    cache=$STATE/bundle-cache/$hash
    BUNDLE_PATH=$cache/$BUNDLE_NAME.tar.gz
    if [ -f "$BUNDLE_PATH" ]; then
        publish_bundle
        echo "lab: stand-in bundle (cached): $BUNDLE_PATH"
        return 0
    fi
    command -v javac >/dev/null && command -v jar >/dev/null || die "javac/jar missing: run lab.sh install"
    local t0=$SECONDS
    local tmp=$cache.tmp.$$
    rm -rf "$tmp"
    local work=$tmp/work
    local top=$tmp/tree/$BUNDLE_NAME
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
    cp -L /usr/share/java/mariadb-java-client.jar "$war/WEB-INF/lib/mariadb-java-client.jar"
    jar --create --file "$tc/webapps/jw.war" -C "$war" .

    # Top level: wflow datasource files, placeholders.
    cp -r "$src"/top/. "$top/"
    mkdir -p "$top/data"
    echo "STAND-IN, NOT JOGET: placeholder data folder (joget-cluster rehearsal lab)." >"$top/data/README.txt"
    chmod 755 "$top"/*.sh

    tar -C "$tmp/tree" --owner=0 --group=0 --sort=name -czf "$tmp/$BUNDLE_NAME.tar.gz" "$BUNDLE_NAME"
    rm -rf "$work" "$tmp/tree"
    # Keep only this cache entry.
    find "$STATE/bundle-cache" -mindepth 1 -maxdepth 1 ! -name "$(basename "$tmp")" -exec rm -rf {} + 2>/dev/null || true
    mv "$tmp" "$cache"
    publish_bundle
    echo "lab: stand-in bundle built in $((SECONDS - t0)) s: $BUNDLE_PATH ($(du -h "$BUNDLE_PATH" | cut -f1))"
}
