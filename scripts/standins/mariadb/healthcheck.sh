#!/usr/bin/env bash
# healthcheck.sh of the mariadb:11.8 stand-in, written from the official image's documented
# behaviour (https://mariadb.com/kb/en/using-healthcheck-sh/): the arguments are tests and
# options, processed in order; the first failing test ends the script with status 1.
#
#   --connect                    the server accepts TCP connections (networking is on); the
#                                SQL user's authentication is not part of the test
#   --innodb_initialized         InnoDB is up (crash recovery done)
#   --innodb_buffer_pool_loaded  the buffer pool load at start-up has completed
#   --galera_online, --galera_ready   Galera node state (WSREP_LOCAL_STATE 4 / WSREP_READY ON)
#   --mariadbupgrade             no mariadb-upgrade is running on the datadir
#   --su=USER, --su USER, --su-mysql   run the rest as that unix user (gosu)
#   --datadir=DIR                where .my-healthcheck.cnf is (/var/lib/mysql)
#   --no-defaults, --defaults-file=F, --defaults-extra-file=F, --defaults-group-suffix=S
#                                the client's option files (by default
#                                $datadir/.my-healthcheck.cnf, written by the entrypoint)
#   --no-connect                 do not add the implicit connect test
# When no connect test ran, a connect test decides the final status.
# Not implemented (unlike the official script): --replication and its --replication_* options.
set -Eeuo pipefail

declare -A def=()
nodefaults=
connect_s=
datadir=/var/lib/mysql
test_name=

client() {
  local args=()
  if [ -n "$nodefaults" ]; then args+=(--no-defaults); fi
  if [ -n "${def[file]:-}" ]; then args+=("--defaults-file=${def[file]}"); fi
  if [ -n "${def[extra_file]:-}" ]; then args+=("--defaults-extra-file=${def[extra_file]}"); fi
  if [ -n "${def[group_suffix]:-}" ]; then args+=("--defaults-group-suffix=${def[group_suffix]}"); fi
  mariadb "${args[@]}" --skip-ssl --skip-ssl-verify-server-cert "$@"
}

# SQL over the unix socket, batch output.
_process_sql() { client --protocol socket -B "$@"; }

connect() {
  local s
  # Through the socket first: the answer tells whether networking is on.
  s=$(_process_sql --skip-column-names -e 'select @@skip_networking' 2>/dev/null) || s=
  case "$s" in
    0 | 1)
      connect_s=$s
      return "$s"
      ;;
  esac
  # Otherwise over TCP: any answer from the server, even "access denied", is a connection.
  s=$(client -h localhost --protocol tcp --skip-column-names --batch --skip-print-query-on-error \
    -e 'select @@skip_networking' 2>&1) || true
  case "$s" in
    0 | ERROR\ 1820\ \(HY000\)* | ERROR\ 4151\ \(HY000\):* | ERROR\ 1226\ \(42000\)* | ERROR\ 1[0-9][0-9][0-9]\ \(28000\):*)
      connect_s=0
      ;;
    1 | ERROR\ 2002\ \(HY000\):*)
      connect_s=1
      ;;
    *)
      echo >&2 "Unknown error $s"
      connect_s=1
      ;;
  esac
  return "$connect_s"
}

innodb_initialized() {
  local s
  s=$(_process_sql --skip-column-names -e "select 1 from information_schema.ENGINES WHERE engine='innodb' AND support in ('YES', 'DEFAULT', 'ENABLED')")
  [ "$s" = 1 ]
}

innodb_buffer_pool_loaded() {
  local s
  s=$(_process_sql --skip-column-names -e "select VARIABLE_VALUE from information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='Innodb_buffer_pool_load_status'")
  [[ $s =~ 'load completed' ]]
}

galera_online() {
  local s
  s=$(_process_sql --skip-column-names -e "select VARIABLE_VALUE from information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_LOCAL_STATE'")
  [ "$s" = 4 ]
}

galera_ready() {
  local s
  s=$(_process_sql --skip-column-names -e "select VARIABLE_VALUE from information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_READY'")
  [ "$s" = ON ]
}

mariadbupgrade() {
  local f="$datadir/mariadb_upgrade_info"
  if [ -r "$f" ]; then
    flock --exclusive --nonblock 9 9<"$f"
    return $?
  fi
  return 0
}

if [ $# -eq 0 ]; then
  echo "At least one argument required" >&2
  exit 1
fi

# The default option file, unless options below say otherwise.
if [ -f "$datadir/.my-healthcheck.cnf" ]; then
  def[extra_file]="$datadir/.my-healthcheck.cnf"
fi

while [ $# -gt 0 ]; do
  case "$1" in
    --su=*)
      u=${1#*=}
      shift
      exec gosu "$u" "${BASH_SOURCE[0]}" "$@"
      ;;
    --su)
      shift
      u=$1
      shift
      exec gosu "$u" "${BASH_SOURCE[0]}" "$@"
      ;;
    --su-mysql)
      shift
      exec gosu mysql "${BASH_SOURCE[0]}" "$@"
      ;;
    --datadir=*)
      datadir=${1#*=}
      if [ -z "${def[file]:-}" ] && [ -z "$nodefaults" ] && [ -f "$datadir/.my-healthcheck.cnf" ]; then
        def[extra_file]="$datadir/.my-healthcheck.cnf"
      fi
      ;;
    --datadir)
      shift
      datadir=$1
      if [ -z "${def[file]:-}" ] && [ -z "$nodefaults" ] && [ -f "$datadir/.my-healthcheck.cnf" ]; then
        def[extra_file]="$datadir/.my-healthcheck.cnf"
      fi
      ;;
    --no-defaults)
      def=()
      nodefaults=1
      ;;
    --defaults-file=* | --defaults-extra-file=* | --defaults-group-suffix=*)
      n=${1:11}
      n=${n%%=*}
      n=${n//-/_}
      def[$n]=${1#*=}
      nodefaults=
      ;;
    --defaults-file | --defaults-extra-file | --defaults-group-suffix)
      n=${1:11}
      n=${n//-/_}
      if [ "${2:0:2}" = '--' ]; then
        def[$n]=''
      else
        def[$n]=$2
        shift
      fi
      nodefaults=
      ;;
    --no-connect)
      connect_s=0
      ;;
    --replication*)
      echo "healthcheck: $1 is not implemented in this local stand-in" >&2
      exit 1
      ;;
    --*)
      test_name=${1#--}
      ;;
    *)
      echo "Unknown healthcheck option $1" >&2
      exit 1
      ;;
  esac
  if [ -n "$test_name" ]; then
    case "$test_name" in
      connect | innodb_initialized | innodb_buffer_pool_loaded | galera_online | galera_ready | mariadbupgrade) ;;
      *)
        echo "healthcheck unknown option or test '$test_name'" >&2
        exit 1
        ;;
    esac
    if ! "$test_name"; then
      echo "healthcheck $test_name failed" >&2
      exit 1
    fi
    test_name=
  fi
  shift
done

if [ "$connect_s" != 0 ]; then
  # No connect test passed yet: the result is what connect says.
  connect
  exit $?
fi
