#!/usr/bin/env bash
# Entrypoint of the rabbitmq:4.0-management stand-in, written from the official image's
# documented behaviour: as root, a rabbitmq* command runs as the rabbitmq user (gosu), after
# /var/lib/rabbitmq is given to it for rabbitmq-server; the environment variables the image
# no longer supports are refused (configuration files in /etc/rabbitmq/conf.d/ replace them);
# long node names when the host name is a FQDN; the server runs in the foreground as PID 1.
# RABBITMQ_DEFAULT_USER, RABBITMQ_DEFAULT_PASS and RABBITMQ_DEFAULT_VHOST are read by
# RabbitMQ itself on its first start.
set -euo pipefail

if [[ "$1" == rabbitmq* ]] && [ "$(id -u)" = 0 ]; then
  if [ "$1" = rabbitmq-server ]; then
    find /var/lib/rabbitmq \! -user rabbitmq -exec chown rabbitmq '{}' +
  fi
  exec gosu rabbitmq "${BASH_SOURCE[0]}" "$@"
fi

unsupported=(
  RABBITMQ_DEFAULT_PASS_FILE RABBITMQ_DEFAULT_USER_FILE
  RABBITMQ_MANAGEMENT_SSL_CACERTFILE RABBITMQ_MANAGEMENT_SSL_CERTFILE RABBITMQ_MANAGEMENT_SSL_DEPTH
  RABBITMQ_MANAGEMENT_SSL_FAIL_IF_NO_PEER_CERT RABBITMQ_MANAGEMENT_SSL_KEYFILE RABBITMQ_MANAGEMENT_SSL_VERIFY
  RABBITMQ_SSL_CACERTFILE RABBITMQ_SSL_CERTFILE RABBITMQ_SSL_DEPTH RABBITMQ_SSL_FAIL_IF_NO_PEER_CERT
  RABBITMQ_SSL_KEYFILE RABBITMQ_SSL_VERIFY RABBITMQ_VM_MEMORY_HIGH_WATERMARK
)
found=
for name in "${unsupported[@]}"; do
  if [ -n "${!name:-}" ]; then
    echo >&2 "error: $name is set but deprecated"
    found=1
  fi
done
if [ -n "$found" ]; then
  echo >&2 'error: deprecated environment variables detected'
  echo >&2
  echo >&2 'Please use a configuration file instead; visit https://www.rabbitmq.com/configure.html to learn more'
  echo >&2
  exit 1
fi

if [ -z "${RABBITMQ_USE_LONGNAME:-}" ] && [ "$(hostname)" != "$(hostname -s)" ]; then
  export RABBITMQ_USE_LONGNAME=true
fi

# rabbitmq-server execs the Erlang VM (PID 1, signals reach it) when it believes systemd runs it.
export RUNNING_UNDER_SYSTEMD=true

exec "$@"
