#!/usr/bin/env bash
# The official image's helper, written from its documented behaviour: initialise PGDATA (as the
# entrypoint would on a first start, init scripts included) without starting the server
# afterwards, for init containers. Does nothing when PGDATA already holds a database.
# As docker-enforce-initdb.sh (a symlink), an existing database is an error instead.
set -Eeuo pipefail

# The entrypoint beside this file, installed next to it in the image.
# shellcheck disable=SC1091
source /usr/local/bin/docker-entrypoint.sh

if [ "$#" -eq 0 ] || [ "$1" != postgres ]; then
  set -- postgres "$@"
fi

docker_setup_env
docker_create_db_directories
if [ "$(id -u)" = 0 ]; then
  exec gosu postgres "${BASH_SOURCE[0]}" "$@"
fi

if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
  docker_verify_minimum_env
  ls /docker-entrypoint-initdb.d/ >/dev/null
  docker_init_database_dir
  pg_setup_hba_conf "$@"
  export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
  docker_temp_server_start "$@"
  docker_setup_db
  shopt -s nullglob
  docker_process_init_files /docker-entrypoint-initdb.d/*
  shopt -u nullglob
  docker_temp_server_stop
  unset PGPASSWORD
else
  case "${BASH_SOURCE[0]##*/}" in
    docker-enforce-initdb.sh)
      printf >&2 'error: (from %s) database already initialized in %s\n' "${BASH_SOURCE[0]}" "$PGDATA"
      exit 1
      ;;
  esac
fi
