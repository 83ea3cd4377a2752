#!/usr/bin/env bash
# Entrypoint of the mariadb:11.8 stand-in (scripts/standins/README.md), written from the
# official image's documented behaviour (https://hub.docker.com/_/mariadb and MariaDB's
# "MariaDB Docker environment variables"):
#   - `docker run IMAGE --opt` means `mariadbd --opt`;
#   - MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD,
#     MARIADB_RANDOM_ROOT_PASSWORD (one of them is required to initialise), MARIADB_ROOT_HOST
#     (%), MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD, MARIADB_PASSWORD_HASH,
#     MARIADB_MYSQL_LOCALHOST_USER/_GRANTS, MARIADB_HEALTHCHECK_GRANTS,
#     MARIADB_INITDB_SKIP_TZINFO, MARIADB_AUTO_UPGRADE; the MYSQL_* aliases of the older
#     names; ROOT_HOST, DATABASE, USER, PASSWORD, ROOT_PASSWORD and the two hashes also from a
#     file named by the variable + _FILE;
#   - started as root: the datadir is given to mysql, then the script runs again as mysql
#     (gosu); started as another uid: runs as that uid;
#   - empty datadir: mariadb-install-db, a temporary server without networking, time zone
#     tables, root password and root@MARIADB_ROOT_HOST, the healthcheck users and
#     $DATADIR/.my-healthcheck.cnf, the database and user (GRANT ALL ON db.* TO user@'%'),
#     /docker-entrypoint-initdb.d/* against MARIADB_DATABASE, stop; then `exec mariadbd`.
set -eo pipefail
shopt -s nullglob

mysql_log() {
  local type=$1
  shift
  printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*"
}
mysql_note() { mysql_log Note "$@"; }
mysql_warn() { mysql_log Warn "$@" >&2; }
mysql_error() {
  mysql_log ERROR "$@" >&2
  exit 1
}

# usage: file_env VAR [DEFAULT]: VAR from itself, or from the file named by VAR_FILE.
file_env() {
  local var=$1 file_var="${1}_FILE" default=${2:-} value
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    mysql_error "Both $var and $file_var are set (but are exclusive)"
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

# usage: mariadb_file_env MYSQL_X [DEFAULT]: MARIADB_X wins over MYSQL_X (each with its
# _FILE form); both end up with the same value, so init scripts may read either.
mariadb_file_env() {
  local var=$1 maria="MARIADB_${1#MYSQL_}"
  shift
  file_env "$var" "$@"
  file_env "$maria" "${!var}"
  if [ -n "${!maria:-}" ]; then
    export "$var=${!maria}"
  fi
}

# Is this file being sourced rather than run?
_is_sourced() {
  [ "${#FUNCNAME[@]}" -ge 2 ] && [ "${FUNCNAME[0]}" = _is_sourced ] && [ "${FUNCNAME[1]}" = source ]
}

# A random password of letters and digits (no pwgen here); $1 = length.
random_password() {
  local chars=''
  while [ "${#chars}" -lt "$1" ]; do
    chars+=$(LC_ALL=C tr -dc 'A-Za-z0-9' < <(head -c 512 /dev/urandom))
  done
  printf '%s' "${chars:0:$1}"
}

_verbose_help_args=(--verbose --help)

mysql_check_config() {
  local errors
  if ! errors=$("$@" "${_verbose_help_args[@]}" 2>&1 >/dev/null); then
    mysql_error $'mariadbd failed while checking its configuration\n\tcommand was: '"$* ${_verbose_help_args[*]}"$'\n\t'"$errors"
  fi
}

# A setting's effective value (configuration files and defaults), from `mariadbd --verbose --help`.
mysql_get_config() {
  local conf=$1
  shift
  "$@" "${_verbose_help_args[@]}" 2>/dev/null |
    awk -v conf="$conf" '$1 == conf && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}

# The server's own version ("11.8.9"), for the upgrade check.
mariadb_version() {
  mariadbd --version | sed -n 's/.* Ver \([0-9][0-9.]*\)-.*/\1/p'
}

docker_setup_env() {
  declare -g DATADIR SOCKET PORT
  DATADIR=$(mysql_get_config datadir "$@")
  SOCKET=$(mysql_get_config socket "$@")
  PORT=$(mysql_get_config port "$@")
  DATADIR=${DATADIR%/}

  mariadb_file_env MYSQL_ROOT_HOST '%'
  mariadb_file_env MYSQL_DATABASE
  mariadb_file_env MYSQL_USER
  mariadb_file_env MYSQL_PASSWORD
  mariadb_file_env MYSQL_ROOT_PASSWORD
  file_env MARIADB_PASSWORD_HASH
  file_env MARIADB_ROOT_PASSWORD_HASH

  : "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:=${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
  export MYSQL_ALLOW_EMPTY_PASSWORD=$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD MARIADB_ALLOW_EMPTY_ROOT_PASSWORD
  : "${MARIADB_RANDOM_ROOT_PASSWORD:=${MYSQL_RANDOM_ROOT_PASSWORD:-}}"
  export MYSQL_RANDOM_ROOT_PASSWORD=$MARIADB_RANDOM_ROOT_PASSWORD MARIADB_RANDOM_ROOT_PASSWORD
  : "${MARIADB_INITDB_SKIP_TZINFO:=${MYSQL_INITDB_SKIP_TZINFO:-}}"
  export MYSQL_INITDB_SKIP_TZINFO=$MARIADB_INITDB_SKIP_TZINFO MARIADB_INITDB_SKIP_TZINFO

  declare -g DATABASE_ALREADY_EXISTS=
  if [ -d "$DATADIR/mysql" ]; then
    DATABASE_ALREADY_EXISTS=true
  fi
}

# The datadir (and the socket's directory) exist; as root, they belong to mysql.
docker_create_db_directories() {
  mkdir -p "$DATADIR"
  if [ "$(id -u)" = 0 ]; then
    find "$DATADIR" \! -user mysql \( -exec chown mysql: '{}' + -o -true \)
    if [ "${SOCKET:0:1}" != '@' ]; then
      find "${SOCKET%/*}" -maxdepth 0 \! -user mysql \( -exec chown mysql: '{}' \; -o -true \)
    fi
    # Memory pressure notifications, where the cgroup file is writable.
    local cgroup pressure
    cgroup=$(</proc/self/cgroup)
    pressure="/sys/fs/cgroup/${cgroup:3}/memory.pressure"
    if [ -w "$pressure" ]; then
      chown mysql: "$pressure" 2>/dev/null || true
    fi
  fi
}

docker_verify_minimum_env() {
  if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ROOT_PASSWORD_HASH" ] &&
    [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    mysql_error $'Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
  fi
  if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ] &&
    { [ -n "$MARIADB_ROOT_PASSWORD" ] || [ -n "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] || [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; }; then
    mysql_error "Cannot specify MARIADB_ROOT_PASSWORD_HASH and another MARIADB_ROOT_PASSWORD* option."
  fi
  if [ -n "$MARIADB_PASSWORD" ] && [ -n "$MARIADB_PASSWORD_HASH" ]; then
    mysql_error "Cannot specify MARIADB_PASSWORD_HASH and MARIADB_PASSWORD option."
  fi
  if [ "$MARIADB_USER" = root ]; then
    mysql_error 'MARIADB_USER="root": MARIADB_USER and MARIADB_PASSWORD are for a regular user and cannot be used for the root user (use MARIADB_ROOT_PASSWORD)'
  fi
}

docker_init_database_dir() {
  mysql_note "Initializing database files"
  # mariadb-install-db passes other options to mariadbd: pass the command's (bar whitespace).
  local arg args=()
  for arg in "${@:2}"; do
    if [[ "$arg" =~ [[:space:]] ]]; then
      mysql_warn "Not passing argument '$arg' to mariadb-install-db (it cannot take arguments with whitespace)"
    else
      args+=("$arg")
    fi
  done
  mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal "${args[@]}" \
    --cross-bootstrap --skip-test-db --old-mode='UTF8_IS_UTF8MB3' \
    --default-time-zone=SYSTEM --enforce-storage-engine= --skip-log-bin --expire-logs-days=0 \
    --loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0
  mysql_note "Database files initialized"
}

# usage: docker_exec_client [mariadb-args]: root over the socket, on MARIADB_DATABASE if set.
docker_exec_client() {
  if [ -n "$MYSQL_DATABASE" ]; then
    set -- --database="$MYSQL_DATABASE" "$@"
  fi
  mariadb --protocol=socket -uroot -hlocalhost --socket="$SOCKET" "$@"
}

# usage: docker_process_sql [--dont-use-mysql-root-password] [mariadb-args] < sql
docker_process_sql() {
  if [ "${1:-}" = --dont-use-mysql-root-password ]; then
    shift
    MYSQL_PWD='' docker_exec_client "$@"
  else
    MYSQL_PWD=$MARIADB_ROOT_PASSWORD docker_exec_client "$@"
  fi
}

# $1 as the inside of a single-quoted SQL string literal.
docker_sql_escape_string_literal() {
  local newline=$'\n' escaped=${1//\\/\\\\}
  escaped=${escaped//$newline/\\n}
  printf '%s\n' "${escaped//\'/\\\'}"
}

# A server for the set-up only: no networking, its own socket.
docker_temp_server_start() {
  "$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF \
    --expire-logs-days=0 --skip-slave-start --loose-innodb_buffer_pool_load_at_startup=0 \
    --skip-ssl --ssl-cert='' --ssl-key='' --ssl-ca='' &
  declare -g MARIADB_PID=$!
  mysql_note "Waiting for server startup"
  local extra=() i
  if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
    extra+=(--dont-use-mysql-root-password)
  fi
  for i in {30..0}; do
    if docker_process_sql "${extra[@]}" --database=mysql --skip-ssl --skip-ssl-verify-server-cert <<<'SELECT 1' &>/dev/null; then
      break
    fi
    if ! kill -0 "$MARIADB_PID" 2>/dev/null; then
      mysql_error "Unable to start server (it exited)."
    fi
    sleep 1
  done
  if [ "$i" = 0 ]; then
    mysql_error "Unable to start server."
  fi
}

docker_temp_server_stop() {
  kill "$MARIADB_PID"
  wait "$MARIADB_PID"
}

# SQL for the healthcheck users (127.0.0.1, ::1, localhost) with a new random password, and
# $DATADIR/.my-healthcheck.cnf (mode 0600) that healthcheck.sh reads.
create_healthcheck_users() {
  local grant=${MARIADB_HEALTHCHECK_GRANTS:-USAGE} pass host
  pass=$(random_password 32)
  for host in 127.0.0.1 ::1 localhost; do
    printf "CREATE USER IF NOT EXISTS healthcheck@'%s' IDENTIFIED BY '%s';\n" "$host" "$pass"
    # Only the password when the user exists: its grants stay.
    printf "SET PASSWORD FOR healthcheck@'%s' = PASSWORD('%s');\n" "$host" "$pass"
    printf "GRANT %s ON *.* TO healthcheck@'%s';\n" "$grant" "$host"
  done
  (
    umask 0077
    printf '[mariadb-client]\nport=%s\nsocket=%s\nuser=healthcheck\npassword=%s\n\n' "$PORT" "$SOCKET" "$pass" >"$DATADIR/.my-healthcheck.cnf"
  )
}

docker_setup_db() {
  if [ -z "$MARIADB_INITDB_SKIP_TZINFO" ]; then
    mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo |
      docker_process_sql --dont-use-mysql-root-password --database=mysql
  fi
  if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    MARIADB_ROOT_PASSWORD=$(random_password 32)
    export MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD=$MARIADB_ROOT_PASSWORD
    mysql_note "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
  fi

  local root_escaped='' root_create='' root_localhost='' localhost_user='' localhost_grants=''
  local create_db='' create_user='' user_grants='' healthcheck_users
  if [ -n "$MARIADB_ROOT_PASSWORD" ]; then
    root_escaped=$(docker_sql_escape_string_literal "$MARIADB_ROOT_PASSWORD")
  fi
  if [ -n "$MARIADB_ROOT_HOST" ] && [ "$MARIADB_ROOT_HOST" != localhost ]; then
    if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
      root_create="CREATE USER 'root'@'$MARIADB_ROOT_HOST' IDENTIFIED BY PASSWORD '$MARIADB_ROOT_PASSWORD_HASH';"
    else
      root_create="CREATE USER 'root'@'$MARIADB_ROOT_HOST' IDENTIFIED BY '$root_escaped';"
    fi
    root_create+=$'\n'"GRANT ALL ON *.* TO 'root'@'$MARIADB_ROOT_HOST' WITH GRANT OPTION;"
    root_create+=$'\n'"GRANT PROXY ON ''@'%' TO 'root'@'$MARIADB_ROOT_HOST' WITH GRANT OPTION;"
  fi
  # With a hash, root@localhost gets it after the init scripts (they need a known password).
  if [ -z "$MARIADB_ROOT_PASSWORD_HASH" ]; then
    root_localhost="SET PASSWORD FOR 'root'@'localhost' = PASSWORD('$root_escaped');"
  fi
  if [ -n "${MARIADB_MYSQL_LOCALHOST_USER:-}" ]; then
    localhost_user="CREATE USER mysql@localhost IDENTIFIED VIA unix_socket;"
    if [ -n "${MARIADB_MYSQL_LOCALHOST_GRANTS:-}" ]; then
      if [ "$MARIADB_MYSQL_LOCALHOST_GRANTS" != USAGE ]; then
        mysql_warn "Excessive privileges ON *.* TO mysql@localhost put the data at risk"
      fi
      localhost_grants="GRANT $MARIADB_MYSQL_LOCALHOST_GRANTS ON *.* TO mysql@localhost;"
    fi
  fi
  healthcheck_users=$(create_healthcheck_users)
  if [ -n "$MARIADB_DATABASE" ]; then
    mysql_note "Creating database $MARIADB_DATABASE"
    create_db="CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;"
  fi
  if [ -n "$MARIADB_USER" ] && { [ -n "$MARIADB_PASSWORD" ] || [ -n "$MARIADB_PASSWORD_HASH" ]; }; then
    mysql_note "Creating user $MARIADB_USER"
    if [ -n "$MARIADB_PASSWORD_HASH" ]; then
      create_user="CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY PASSWORD '$MARIADB_PASSWORD_HASH';"
    else
      create_user="CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY '$(docker_sql_escape_string_literal "$MARIADB_PASSWORD")';"
    fi
    if [ -n "$MARIADB_DATABASE" ]; then
      mysql_note "Giving user $MARIADB_USER access to schema $MARIADB_DATABASE"
      # "_" is a wildcard in a grant's database name: escaped, as the official image does.
      user_grants="GRANT ALL ON \`${MARIADB_DATABASE//_/\\_}\`.* TO '$MARIADB_USER'@'%';"
    fi
  elif [ -n "$MARIADB_USER" ]; then
    mysql_warn "MARIADB_USER is set without MARIADB_PASSWORD or MARIADB_PASSWORD_HASH: no user created"
  fi

  mysql_note "Securing system users (equivalent to running mysql_secure_installation)"
  docker_process_sql --dont-use-mysql-root-password --database=mysql --binary-mode <<-EOSQL
		SET @orig_sql_log_bin = @@SESSION.SQL_LOG_BIN;
		SET @@SESSION.SQL_LOG_BIN = 0;
		SET @@SESSION.SQL_MODE = REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
		DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
		EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname, '\'');
		${root_localhost}
		${root_create}
		${localhost_user}
		${localhost_grants}
		${healthcheck_users}
		SET @@SESSION.SQL_LOG_BIN = @orig_sql_log_bin;
		${create_db}
		${create_user}
		${user_grants}
	EOSQL
}

# usage: docker_process_init_files [file...]: *.sh run (executable) or sourced; *.sql and
# compressed *.sql.{gz,xz,zst} fed to the client as root on MARIADB_DATABASE.
docker_process_init_files() {
  # mysql here for scripts written for older entrypoints ("${mysql[@]}").
  # shellcheck disable=SC2034
  mysql=(docker_process_sql)
  printf '\n'
  local f
  for f; do
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          mysql_note "$0: running $f"
          "$f"
        else
          mysql_note "$0: sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql)
        mysql_note "$0: running $f"
        docker_process_sql <"$f"
        ;;
      *.sql.gz)
        mysql_note "$0: running $f"
        gunzip -c "$f" | docker_process_sql
        ;;
      *.sql.xz)
        mysql_note "$0: running $f"
        xzcat "$f" | docker_process_sql
        ;;
      *.sql.zst)
        mysql_note "$0: running $f"
        zstd -dc "$f" | docker_process_sql
        ;;
      *) mysql_warn "$0: ignoring $f" ;;
    esac
    printf '\n'
  done
}

docker_mariadb_init() {
  # Unreadable init scripts fail now, not half-way.
  ls /docker-entrypoint-initdb.d/ >/dev/null
  docker_init_database_dir "$@"
  mysql_note "Starting temporary server"
  docker_temp_server_start "$@"
  mysql_note "Temporary server started."
  docker_setup_db
  docker_process_init_files /docker-entrypoint-initdb.d/*
  if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
    mysql_note "Setting root@localhost password hash"
    docker_process_sql --dont-use-mysql-root-password --binary-mode <<-EOSQL
			SET @@SESSION.SQL_LOG_BIN = 0;
			SET PASSWORD FOR 'root'@'localhost' = '${MARIADB_ROOT_PASSWORD_HASH}';
		EOSQL
  fi
  mysql_note "Stopping temporary server"
  docker_temp_server_stop
  mysql_note "Temporary server stopped"
  printf '\n'
  mysql_note "MariaDB init process done. Ready for start up."
  printf '\n'
}

# An existing datadir needs mariadb-upgrade when it comes from an older major.minor (or does
# not say), or lacks the healthcheck configuration.
_check_if_upgrade_is_needed() {
  local new old
  if [ ! -f "$DATADIR/mariadb_upgrade_info" ]; then
    mysql_note "MariaDB upgrade information missing, assuming required"
    return 0
  fi
  IFS='.-' read -ra new <<<"$(mariadb_version)"
  IFS='.-' read -ra old <"$DATADIR/mariadb_upgrade_info" || true
  if [ "${#new[@]}" -lt 2 ] || [ "${#old[@]}" -lt 2 ] ||
    [ "${old[0]}" -lt "${new[0]}" ] ||
    { [ "${old[0]}" -eq "${new[0]}" ] && [ "${old[1]}" -lt "${new[1]}" ]; }; then
    return 0
  fi
  if [ ! -f "$DATADIR/.my-healthcheck.cnf" ]; then
    mysql_note "MariaDB healthcheck configuration file missing, assuming desirable"
    return 0
  fi
  mysql_note "MariaDB upgrade not required"
  return 1
}

# MARIADB_AUTO_UPGRADE: back up the system tables, add missing healthcheck users, run
# mariadb-upgrade, all on a temporary server.
docker_mariadb_upgrade() {
  if [ -z "${MARIADB_AUTO_UPGRADE:-}" ] || [ "$MARIADB_AUTO_UPGRADE" = 0 ]; then
    mysql_note "MariaDB upgrade (mariadb-upgrade or creating healthcheck users) required, but skipped due to \$MARIADB_AUTO_UPGRADE setting"
    return
  fi
  mysql_note "Starting temporary server"
  docker_temp_server_start "$@" --skip-grant-tables --loose-innodb_buffer_pool_dump_at_shutdown=0
  mysql_note "Temporary server started."
  if [ "${MARIADB_DISABLE_UPGRADE_BACKUP:-}" != 1 ]; then
    local version=unknown_version backup
    if [ -r "$DATADIR/mariadb_upgrade_info" ]; then
      read -r -d '' version <"$DATADIR/mariadb_upgrade_info" || true
      version=${version:-unknown_version}
    fi
    backup="system_mysql_backup_${version}.sql.zst"
    mysql_note "Backing up system database to $backup"
    mariadb-dump --skip-lock-tables --replace --databases mysql --socket="$SOCKET" | zstd >"$DATADIR/$backup" ||
      mysql_error "Unable to back up the system database for the upgrade from $version."
  fi
  if [ ! -f "$DATADIR/.my-healthcheck.cnf" ]; then
    mysql_note "Creating healthcheck users"
    local users
    users=$(create_healthcheck_users)
    docker_process_sql --dont-use-mysql-root-password --binary-mode <<-EOSQL
			SET @@SESSION.SQL_LOG_BIN = 0;
			SET @@SESSION.SQL_MODE = REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
			FLUSH PRIVILEGES;
			${users}
		EOSQL
  fi
  mysql_note "Starting mariadb-upgrade"
  mariadb-upgrade --upgrade-system-tables --socket="$SOCKET"
  mysql_note "Finished mariadb-upgrade"
  mysql_note "Stopping temporary server"
  docker_temp_server_stop
  mysql_note "Temporary server stopped"
}

# Options that make mariadbd print something and exit: no set-up for those.
_mysql_want_help() {
  local arg
  for arg; do
    case "$arg" in
      -'?' | --help | --print-defaults | -V | --version) return 0 ;;
    esac
  done
  return 1
}

_main() {
  if [ "${1:0:1}" = '-' ]; then
    set -- mariadbd "$@"
  fi
  if { [ "$1" = mariadbd ] || [ "$1" = mysqld ]; } && ! _mysql_want_help "$@"; then
    mysql_note "Entrypoint script for MariaDB Server $(mariadb_version) (local stand-in) started."
    mysql_check_config "$@"
    docker_setup_env "$@"
    docker_create_db_directories
    if [ "$(id -u)" = 0 ]; then
      mysql_note "Switching to dedicated user 'mysql'"
      exec gosu mysql "${BASH_SOURCE[0]}" "$@"
    fi
    if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
      docker_verify_minimum_env
      docker_mariadb_init "$@"
    elif _check_if_upgrade_is_needed; then
      docker_mariadb_upgrade "$@"
    fi
  fi
  exec "$@"
}

if ! _is_sourced; then
  _main "$@"
fi
