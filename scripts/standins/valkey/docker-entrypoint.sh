#!/bin/sh
# Entrypoint of the valkey/valkey:8.1-trixie stand-in, written from the official image's
# documented behaviour: options or a *.conf first mean valkey-server; as root it gives /data
# (the working directory) to valkey and re-runs itself as valkey (setpriv); as another uid it
# needs a writable working directory; umask 0077 unless one was set; VALKEY_EXTRA_FLAGS are
# appended. Unlike the official build, Debian's valkey-server keeps protected mode on by
# default: unless the arguments, VALKEY_EXTRA_FLAGS or the given *.conf say otherwise,
# `--protected-mode no` is added (the official image's compiled-in default).
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- valkey-server "$@"
fi

# Does the command set protected-mode itself?
protected_mode_given() {
  shift
  case " ${VALKEY_EXTRA_FLAGS:-} " in *" --protected-mode "*) return 0 ;; esac
  if [ -n "${1:-}" ] && [ "${1%.conf}" != "$1" ] && [ -r "$1" ] &&
    grep -qiE '^[[:space:]]*protected-mode[[:space:]]' "$1"; then
    return 0
  fi
  for arg; do
    [ "$arg" = --protected-mode ] && return 0
  done
  return 1
}

if [ "$1" = valkey-server ]; then
  if [ "$(id -u)" = 0 ]; then
    find . \! -user valkey -exec chown valkey '{}' +
    exec setpriv --reuid=valkey --regid=valkey --clear-groups -- "$0" "$@"
  fi
  if [ ! -w . ]; then
    echo >&2 "error: directory is not writable by current user ($(id -u))"
    echo >&2 "  Check mount permissions or run as root to allow chown"
    exit 1
  fi
  if ! protected_mode_given "$@"; then
    server=$1
    shift
    if [ -n "${1:-}" ] && [ "${1%.conf}" != "$1" ]; then
      conf=$1
      shift
      set -- "$server" "$conf" --protected-mode no "$@"
    else
      set -- "$server" --protected-mode no "$@"
    fi
  fi
fi

um=$(umask)
if [ "$um" = '0022' ]; then
  umask 0077
fi

# shellcheck disable=SC2086
exec "$@" $VALKEY_EXTRA_FLAGS
