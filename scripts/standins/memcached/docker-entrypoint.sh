#!/bin/sh
# Entrypoint of the memcached:1.6-trixie stand-in: as the official one, options first mean
# memcached.
set -e
case "$1" in
  -*) set -- memcached "$@" ;;
esac
exec "$@"
