#!/bin/sh
# Same behaviour as the official node image's entrypoint: run the command with node when the
# first argument is an option ("-e ...") or not a system command ("server.js").
set -e

if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
