#!/bin/sh
# The shared directory exists on this host.
# takes: m
# shellcheck disable=SC2154 # the values on the takes: line are set before this body
if [ ! -d "$m" ]; then echo "the shared directory $m does not exist on this host" >&2; exit 1; fi
