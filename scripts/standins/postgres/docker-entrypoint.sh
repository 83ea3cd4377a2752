#!/usr/bin/env bash
# Entrypoint of the postgres:17-trixie stand-in (scripts/standins/README.md), written from the
# official postgres image's documented behaviour (https://hub.docker.com/_/postgres):
#   - `docker run IMAGE -c x=y` means `postgres -c x=y`;
#   - POSTGRES_PASSWORD, POSTGRES_USER (postgres), POSTGRES_DB (= user), POSTGRES_INITDB_ARGS,
#     each also from a file named by the same variable + _FILE; POSTGRES_INITDB_WALDIR,
#     POSTGRES_HOST_AUTH_METHOD (default: the server's password_encryption, scram-sha-256);
#   - started as root: PGDATA and the socket directory are given to postgres, then the script
#     runs again as postgres (gosu); started as another uid: runs as that uid;
#   - empty PGDATA: initdb, pg_hba `host all all all <method>` (local connections: trust),
#     a temporary server on the unix socket only, CREATE DATABASE, /docker-entrypoint-initdb.d/*
#     in sorted order, stop; then `exec postgres`, which listens on '*' (postgresql.conf).
# It can be sourced (docker-ensure-initdb.sh does) to reuse its functions.
set -Eeo pipefail

# usage: file_env VAR [DEFAULT]: VAR from itself, or from the file named by VAR_FILE.
file_env() {
  local var=$1 file_var="${1}_FILE" default=${2:-} value
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    printf >&2 'error: both %s and %s are set (but are exclusive)\n' "$var" "$file_var"
    exit 1
  fi
  value=$default
  if [ -n "${!var:-}" ]; then
    value=${!var}
  elif [ -n "${!file_var:-}" ]; then
    value=$(<"${!file_var}")
  fi
  export "$var=$value"
  unset "$file_var"
}

# Is this file being sourced rather than run?
_is_sourced() {
  [ "${#FUNCNAME[@]}" -ge 2 ] && [ "${FUNCNAME[0]}" = _is_sourced ] && [ "${FUNCNAME[1]}" = source ]
}

# The directories the server needs; as root, owned by postgres.
docker_create_db_directories() {
  local uid
  uid=$(id -u)
  mkdir -p "$PGDATA"
  # Fails (harmlessly) when another user owns it; initdb then says what is wrong.
  chmod 00700 "$PGDATA" || :
  mkdir -p /var/run/postgresql || :
  chmod 03775 /var/run/postgresql || :
  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    mkdir -p "$POSTGRES_INITDB_WALDIR"
    if [ "$uid" = 0 ]; then
      find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres '{}' +
    fi
    chmod 700 "$POSTGRES_INITDB_WALDIR"
  fi
  if [ "$uid" = 0 ]; then
    find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
    find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
  fi
}

# initdb with the superuser, its password and POSTGRES_INITDB_ARGS. A uid without a passwd
# entry gets one through nss_wrapper, since initdb needs a user name.
docker_init_database_dir() {
  local uid gid lib wrapper=
  uid=$(id -u)
  gid=$(id -g)
  if ! getent passwd "$uid" >/dev/null 2>&1; then
    for lib in /usr/lib/*/libnss_wrapper.so; do
      if [ -s "$lib" ]; then
        wrapper=$lib
        break
      fi
    done
  fi
  if [ -n "$wrapper" ]; then
    NSS_WRAPPER_PASSWD=$(mktemp)
    NSS_WRAPPER_GROUP=$(mktemp)
    printf 'postgres:x:%s:%s:PostgreSQL:%s:/bin/false\n' "$uid" "$gid" "$PGDATA" >"$NSS_WRAPPER_PASSWD"
    printf 'postgres:x:%s:\n' "$gid" >"$NSS_WRAPPER_GROUP"
    export LD_PRELOAD=$wrapper NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
  fi
  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    set -- --waldir "$POSTGRES_INITDB_WALDIR" "$@"
  fi
  # POSTGRES_INITDB_ARGS is a shell-quoted argument string (hence eval), as documented.
  # The password file gets a newline: initdb rejects a file that is empty.
  eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"' "$@"'
  if [ -n "$wrapper" ]; then
    rm -f "$NSS_WRAPPER_PASSWD" "$NSS_WRAPPER_GROUP"
    unset LD_PRELOAD NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
  fi
}

# Refuse to initialise a database nobody could log in to over the network.
docker_verify_minimum_env() {
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    cat >&2 <<'EOM'
Error: Database is uninitialized and superuser password is not specified.
       Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a non-empty value, for
       example "-e POSTGRES_PASSWORD=password" on "docker run".
       POSTGRES_HOST_AUTH_METHOD=trust instead lets every connection in without a
       password; that is NOT recommended (https://www.postgresql.org/docs/current/auth-trust.html).
EOM
    exit 1
  fi
  if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
    cat >&2 <<'EOM'
********************************************************************************
WARNING: POSTGRES_HOST_AUTH_METHOD has been set to "trust": every connection to
         this database from any address is allowed WITHOUT a password, even if
         POSTGRES_PASSWORD is set. Use a password in any shared environment.
********************************************************************************
EOM
  fi
}

# usage: docker_process_init_files [file...]: *.sh run (executable) or sourced, *.sql and
# compressed *.sql.{gz,xz,zst} fed to psql; anything else ignored.
docker_process_init_files() {
  # psql here for scripts written for older entrypoints ("${psql[@]}").
  # shellcheck disable=SC2034
  psql=(docker_process_sql)
  printf '\n'
  local f
  for f; do
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          printf '%s: running %s\n' "$0" "$f"
          "$f"
        else
          printf '%s: sourcing %s\n' "$0" "$f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql)
        printf '%s: running %s\n' "$0" "$f"
        docker_process_sql -f "$f"
        printf '\n'
        ;;
      *.sql.gz)
        printf '%s: running %s\n' "$0" "$f"
        gunzip -c "$f" | docker_process_sql
        printf '\n'
        ;;
      *.sql.xz)
        printf '%s: running %s\n' "$0" "$f"
        xzcat "$f" | docker_process_sql
        printf '\n'
        ;;
      *.sql.zst)
        printf '%s: running %s\n' "$0" "$f"
        zstd -dc "$f" | docker_process_sql
        printf '\n'
        ;;
      *) printf '%s: ignoring %s\n' "$0" "$f" ;;
    esac
    printf '\n'
  done
}

# usage: docker_process_sql [psql-args...] < sql: psql as POSTGRES_USER on POSTGRES_DB over
# the unix socket, stopping at the first error.
docker_process_sql() {
  local runner=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [ -n "$POSTGRES_DB" ]; then
    runner+=(--dbname "$POSTGRES_DB")
  fi
  PGHOST='' PGHOSTADDR='' "${runner[@]}" "$@"
}

# CREATE DATABASE POSTGRES_DB unless it exists (postgres always does).
docker_setup_db() {
  local db=$POSTGRES_DB exists
  # POSTGRES_DB='': connect to the postgres database, which always exists.
  exists=$(POSTGRES_DB='' docker_process_sql --dbname postgres --set db="$db" --tuples-only <<<"SELECT 1 FROM pg_database WHERE datname = :'db' ;")
  if [ -z "$exists" ]; then
    POSTGRES_DB='' docker_process_sql --dbname postgres --set db="$db" <<<'CREATE DATABASE :"db" ;'
    printf '\n'
  fi
}

# The variables, with their _FILE forms and defaults.
docker_setup_env() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"
  declare -g DATABASE_ALREADY_EXISTS=
  if [ -s "$PGDATA/PG_VERSION" ]; then
    DATABASE_ALREADY_EXISTS=true
  fi
}

# Network access for everyone with POSTGRES_HOST_AUTH_METHOD (default: password_encryption).
pg_setup_hba_conf() {
  if [ "${1:-}" = postgres ]; then
    shift
  fi
  local auth
  auth=$(postgres -C password_encryption "$@")
  : "${POSTGRES_HOST_AUTH_METHOD:=$auth}"
  {
    printf '\n'
    if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
      printf '# warning: trust is enabled for all connections\n'
    fi
    printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
  } >>"$PGDATA/pg_hba.conf"
}

# A server for the set-up only: unix socket, no TCP listener.
docker_temp_server_start() {
  if [ "${1:-}" = postgres ]; then
    shift
  fi
  set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
  PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

docker_temp_server_stop() {
  PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

# Options that make postgres print something and exit: no set-up for those.
_pg_want_help() {
  local arg
  for arg; do
    case "$arg" in
      -'?' | --help | --describe-config | -V | --version) return 0 ;;
    esac
  done
  return 1
}

_main() {
  if [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
  fi
  if [ "$1" = postgres ] && ! _pg_want_help "$@"; then
    docker_setup_env
    docker_create_db_directories
    if [ "$(id -u)" = 0 ]; then
      exec gosu postgres "${BASH_SOURCE[0]}" "$@"
    fi
    if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
      docker_verify_minimum_env
      # Fail now, not half-way, when the init directory is unreadable.
      ls /docker-entrypoint-initdb.d/ >/dev/null
      docker_init_database_dir
      pg_setup_hba_conf "$@"
      # Scripts in /docker-entrypoint-initdb.d may connect with a password.
      export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
      docker_temp_server_start "$@"
      docker_setup_db
      shopt -s nullglob
      docker_process_init_files /docker-entrypoint-initdb.d/*
      shopt -u nullglob
      docker_temp_server_stop
      unset PGPASSWORD
      printf '\nPostgreSQL init process complete; ready for start up.\n\n'
    else
      printf '\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n'
    fi
  fi
  exec "$@"
}

if ! _is_sourced; then
  _main "$@"
fi
