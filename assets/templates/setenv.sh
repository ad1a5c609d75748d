{{! Sourced by catalina.sh. Values are validated paths and names: no quoting needed inside "...". }}
# Tomcat options for Joget cluster node {{node}}. Written by joget-cluster and replaced on every run:
# put options of your own in setenv-local.sh next to this file (CATALINA_OPTS), which is kept.
CATALINA_PID="$CATALINA_BASE/temp/tomcat.pid"
JAVA_OPTS="-Xmx{{heap}} -Dfile.encoding=UTF-8 -Dwflow.home={{shared}}{{#sharesHost}} -Dwflow.name={{node}}{{/sharesHost}} -javaagent:{{shared}}/wflow-cluster.jar -javaagent:{{aspectjweaver}} -javaagent:{{shared}}/glowroot/glowroot.jar"
export CATALINA_PID JAVA_OPTS
if [ -r "$CATALINA_BASE/bin/setenv-local.sh" ]; then
    . "$CATALINA_BASE/bin/setenv-local.sh"
fi
