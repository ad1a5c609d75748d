#!/bin/sh
# STAND-IN, NOT JOGET: placeholder for the bundle's setup.sh (joget-cluster rehearsal lab).
# The real script runs the bundle's Ant build to create the database; the lab loads
# jwdb-mysql.sql from jw.war by hand instead.
echo "stand-in setup.sh: nothing to do (joget-cluster rehearsal lab)"
