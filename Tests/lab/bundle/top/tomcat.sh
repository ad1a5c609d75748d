#!/bin/sh
# STAND-IN, NOT JOGET: like the bundle's tomcat.sh, runs the bundled Tomcat with wflow.home
# set to ./wflow and the agents of this folder. Usage: ./tomcat.sh run|start|stop
cd "$(dirname "$0")" || exit 1
export CATALINA_HOME="$PWD/apache-tomcat-9.0.90"
export JAVA_OPTS="${JAVA_OPTS:--Xmx1024M -Dwflow.home=$PWD/wflow -javaagent:$PWD/wflow/wflow-cluster.jar -javaagent:$CATALINA_HOME/lib/aspectjweaver-1.9.22.jar -javaagent:$PWD/wflow/glowroot/glowroot.jar}"
exec "$CATALINA_HOME/bin/catalina.sh" "${1:-run}"
