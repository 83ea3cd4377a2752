#!/usr/bin/env bash
# Prepare everything the project's tests need, idempotently:
#   1. shellcheck;
#   2. a Docker Engine with the Compose v2 plugin, Buildx and docker-init (for `init: true`);
#   3. the base images debian:bookworm-slim, node:24-bookworm-slim, redis:7-bookworm, the
#      database images debian:trixie-slim, postgres:17-trixie, mariadb:11.8 and the service
#      images valkey/valkey:8.1-trixie, memcached:1.6-trixie, rabbitmq:4.0-management,
#      nats:2.10: pulled when a registry is reachable, otherwise faithful local stand-ins
#      (scripts/standins/, each labelled as such), built only when absent;
#   4. Debian's docker-registry and apache2-utils (htpasswd) for the registry tests
#      (installed only: the tests start their own registries on free loopback ports);
#   5. the validators test/unit/validators.test.ts runs besides its npm ones: kustomize
#      (Debian 13's, on Debian 12 with the same low pin as the engine) and python3-botocore
#      (for Debian's own /usr/bin/python3), and Renovate's config schema (renovate-schema.json,
#      taken from the renovate npm package, a pinned version, into WPSN_TEST_CACHE).
# When everything is there it only checks, in a few seconds.
#
# Usage: scripts/test-env.sh [--check]
#   --check   report what is missing (exit 1 if anything is) and change nothing.
#
# Settings (environment):
#   WPSN_DOCKER_DATA_ROOT  data root of the dockerd this script starts (/var/lib/wpsn-docker-engine)
#   WPSN_DOCKERD_LOG       its log file (/var/log/wpsn-dockerd.log)
#   WPSN_PULL_TIMEOUT      seconds allowed for each `docker pull` (60)
#   WPSN_DEBIAN_MIRROR     mirror for debootstrap (http://deb.debian.org/debian)
#   WPSN_TEST_CACHE        where downloaded test data is kept (/var/cache/wpsn-test-env)
set -euo pipefail

START_NS=$(date +%s%N)
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STANDINS="$SCRIPT_DIR/standins"

DATA_ROOT=${WPSN_DOCKER_DATA_ROOT:-/var/lib/wpsn-docker-engine}
DOCKERD_LOG=${WPSN_DOCKERD_LOG:-/var/log/wpsn-dockerd.log}
PULL_TIMEOUT=${WPSN_PULL_TIMEOUT:-60}
DEBIAN_MIRROR=${WPSN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
TEST_CACHE=${WPSN_TEST_CACHE:-/var/cache/wpsn-test-env}
# Renovate itself is too heavy a dev dependency (over a hundred packages) for one JSON schema.
RENOVATE_VERSION=44.121.2
RENOVATE_SCHEMA="$TEST_CACHE/renovate-schema-$RENOVATE_VERSION.json"
# In build order: the stand-ins of the later ones are built FROM the Debian ones before them.
IMAGES=(
  debian:bookworm-slim node:24-bookworm-slim redis:7-bookworm
  debian:trixie-slim postgres:17-trixie mariadb:11.8
  valkey/valkey:8.1-trixie memcached:1.6-trixie rabbitmq:4.0-management nats:2.10
)
DESCRIPTION_LABEL=org.opencontainers.image.description
# Where dockerd looks for docker-init after $PATH.
INIT_DIRS=(/usr/local/libexec/docker /usr/libexec/docker /usr/local/lib/docker /usr/lib/docker)

CHECK=0
case "${1:-}" in
  --check) CHECK=1 ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  "") ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac

log() { printf '[test-env] %s\n' "$*" >&2; }
die() {
  printf '[test-env] ERROR: %s\n' "$*" >&2
  exit 1
}

WORK=$(mktemp -d -p "${TMPDIR:-/var/tmp}" wpsn-test-env.XXXXXX)
# --one-file-system: never follow a mount a failed debootstrap might leave in its target.
trap 'rm -rf --one-file-system "$WORK"' EXIT

MISSING=()
missing() {
  MISSING+=("$1")
  log "missing: $1"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "root is needed for: $*"
  fi
}

# Run a command with its output in a log file; show the log's end if it fails.
run_logged() {
  local name=$1
  shift
  local out="$WORK/$name.log"
  if ! "$@" >"$out" 2>&1; then
    tail -n 40 "$out" >&2
    die "$name failed (command: $*)"
  fi
}

is_debian_like() { command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; }
os_field() { sed -n "s/^$1=[\"']\{0,1\}\([^\"']*\)[\"']\{0,1\}\$/\\1/p" /etc/os-release 2>/dev/null | head -n 1; }
is_debian_12() { [ "$(os_field ID)" = debian ] && [ "$(os_field VERSION_CODENAME)" = bookworm ]; }
pkg_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

APT_FRESH=0
apt_update() {
  if [ "$APT_FRESH" = 0 ]; then
    log "apt-get update"
    run_logged apt-get-update as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    APT_FRESH=1
  fi
}
apt_install() {
  apt_update
  log "apt-get install $*"
  run_logged apt-get-install as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "$@"
}

# ---------------------------------------------------------------------------------------------
# 1, 4 and 5. Host tools: shellcheck, docker-registry, htpasswd (apache2-utils), kustomize,
# botocore.

host_tool_packages() {
  command -v shellcheck >/dev/null 2>&1 || echo shellcheck
  command -v docker-registry >/dev/null 2>&1 || echo docker-registry
  command -v htpasswd >/dev/null 2>&1 || echo apache2-utils
  command -v kustomize >/dev/null 2>&1 || echo kustomize
  botocore_ok || echo python3-botocore
}

# The validator test runs Debian's own Python (not a pyenv or venv one first on PATH).
botocore_ok() { /usr/bin/python3 -c 'import botocore' >/dev/null 2>&1; }
botocore_version() { /usr/bin/python3 -c 'import botocore; print(botocore.__version__)' 2>/dev/null || echo none; }
# Debian's build reports "(devel)": its package version says more.
kustomize_version() {
  command -v kustomize >/dev/null 2>&1 || { echo none; return; }
  dpkg-query -W -f='${Version} (Debian)\n' kustomize 2>/dev/null || kustomize version 2>/dev/null | head -n 1
}

# The tests start their own registries on free loopback ports: the packaged service must not
# run (and hold port 5000). Without systemd, as on CI, the package starts nothing.
quiet_registry_service() {
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    if systemctl is-enabled docker-registry >/dev/null 2>&1 || systemctl is-active docker-registry >/dev/null 2>&1; then
      log "disabling the packaged docker-registry service"
      as_root systemctl disable --now docker-registry >/dev/null 2>&1 || true
    fi
  elif [ -x /etc/init.d/docker-registry ] && /etc/init.d/docker-registry status >/dev/null 2>&1; then
    log "stopping the packaged docker-registry service"
    as_root /etc/init.d/docker-registry stop >/dev/null 2>&1 || true
  fi
  if command -v ss >/dev/null 2>&1 && ss -Hltn 'sport = :5000' 2>/dev/null | grep -q .; then
    log "note: something else listens on port 5000; the tests use other ports"
  fi
}

# Renovate's config schema, for the validator test's renovate.json check.
ensure_renovate_schema() {
  [ -s "$RENOVATE_SCHEMA" ] && return 0
  if [ "$CHECK" = 1 ]; then
    missing "Renovate's config schema ($RENOVATE_SCHEMA)"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || die "npm is needed to fetch Renovate's config schema"
  log "npm pack renovate@$RENOVATE_VERSION (only its renovate-schema.json is kept)"
  run_logged npm-pack-renovate npm pack --silent --pack-destination "$WORK" "renovate@$RENOVATE_VERSION"
  run_logged untar-renovate tar -xzf "$WORK/renovate-$RENOVATE_VERSION.tgz" -C "$WORK" package/renovate-schema.json
  mkdir -p "$TEST_CACHE"
  mv "$WORK/package/renovate-schema.json" "$RENOVATE_SCHEMA"
}

# ---------------------------------------------------------------------------------------------
# 2. Docker Engine + Compose v2 + Buildx + docker-init.

engine_up() { docker info >/dev/null 2>&1; }
compose_ok() { docker compose version >/dev/null 2>&1; }
buildx_ok() { docker buildx version >/dev/null 2>&1; }

# Path of the docker-init a local dockerd would use, or nothing.
docker_init_path() {
  local d
  if command -v docker-init >/dev/null 2>&1; then
    command -v docker-init
    return
  fi
  for d in /usr/sbin "${INIT_DIRS[@]}"; do
    if [ -x "$d/docker-init" ]; then
      printf '%s\n' "$d/docker-init"
      return
    fi
  done
}

# Is the engine this client talks to a dockerd on this machine (so its files can be checked)?
engine_is_local() {
  [ -z "${DOCKER_HOST:-}" ] || [[ "$DOCKER_HOST" == unix://* ]]
}

engine_missing_parts() {
  local parts=()
  command -v docker >/dev/null 2>&1 || parts+=("docker client")
  if ! engine_up; then
    if command -v dockerd >/dev/null 2>&1; then parts+=("running engine"); else parts+=("engine"); fi
  fi
  compose_ok || parts+=("compose plugin")
  buildx_ok || parts+=("buildx plugin")
  if engine_is_local && command -v dockerd >/dev/null 2>&1 && [ -z "$(docker_init_path)" ]; then
    parts+=("docker-init")
  fi
  printf '%s\n' "${parts[@]}"
}

trixie_apt_sources() {
  local sources=/etc/apt/sources.list.d/trixie.sources prefs=/etc/apt/preferences.d/trixie
  if [ ! -f "$sources" ] || [ ! -f "$prefs" ]; then
    log "adding Debian 13 (trixie) sources with pin priority 100 (only packages asked for by name)"
    printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: trixie' 'Components: main' \
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' | as_root tee "$sources" >/dev/null
    printf '%s\n' 'Package: *' 'Pin: release n=trixie' 'Pin-Priority: 100' | as_root tee "$prefs" >/dev/null
    APT_FRESH=0
  fi
}

# The apt packages for the engine parts. Debian 12's own docker.io (20.10) has no docker-proxy
# and no Compose v2, so there they come from Debian 13 (docker.io brings tini: docker-init).
engine_packages() {
  if is_debian_12; then
    printf '%s/trixie\n' docker.io docker-cli docker-compose docker-buildx
  elif [ "$(os_field ID)" = ubuntu ]; then
    printf '%s\n' docker.io docker-compose-v2 docker-buildx
  else
    printf '%s\n' docker.io docker-cli docker-compose docker-buildx
  fi
}

start_engine() {
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 &&
    systemctl cat docker.service >/dev/null 2>&1; then
    log "starting docker.service"
    as_root systemctl start docker.service
  elif pgrep -x dockerd >/dev/null 2>&1; then
    log "dockerd is already running; waiting for it"
  else
    [ "$(id -u)" -eq 0 ] || die "start the Docker Engine (as root: setsid dockerd &) and re-run"
    mkdir -p "$DATA_ROOT" "$(dirname "$DOCKERD_LOG")"
    log "starting dockerd (data root $DATA_ROOT, log $DOCKERD_LOG)"
    setsid dockerd --data-root "$DATA_ROOT" </dev/null >"$DOCKERD_LOG" 2>&1 &
    disown
  fi
  local i
  for i in $(seq 1 120); do
    engine_up && return 0
    if [ $((i % 10)) = 0 ] && ! pgrep -x dockerd >/dev/null 2>&1 && [ ! -d /run/systemd/system ]; then
      break
    fi
    sleep 0.5
  done
  [ -f "$DOCKERD_LOG" ] && tail -n 30 "$DOCKERD_LOG" >&2
  die "the Docker Engine did not answer within 60 s (log: $DOCKERD_LOG)"
}

# Steps 1, 2 and 4: one apt transaction for whatever is missing, then start the engine.
ensure_tools_and_engine() {
  local pkgs=() parts joined p
  mapfile -t pkgs < <(host_tool_packages)
  parts=$(engine_missing_parts)
  joined=$(printf '%s' "$parts" | paste -sd, - | sed 's/,/, /g')
  if [ "$CHECK" = 1 ]; then
    [ ${#pkgs[@]} -eq 0 ] || missing "packages: ${pkgs[*]}"
    [ -z "$parts" ] || missing "docker: $joined"
    return 0
  fi
  if [ -n "$parts" ] && grep -qvx -e 'running engine' -e 'docker-init' <<<"$parts"; then
    if ! is_debian_like; then
      engine_up && die "the Docker Engine lacks: $joined. Install its Compose v2 and Buildx plugins (docker-compose-plugin, docker-buildx-plugin) and re-run"
      die "no usable Docker Engine (missing: $joined). Install Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop, with the Compose v2 and Buildx plugins, start it, and re-run"
    fi
    engine_up && ! pkg_installed docker.io &&
      die "the running Docker Engine lacks: $joined, and it is not Debian's docker.io: install its Compose v2 and Buildx plugins and re-run"
    is_debian_12 && trixie_apt_sources
    mapfile -t -O ${#pkgs[@]} pkgs < <(engine_packages)
  fi
  # Debian 12 has no kustomize package: Debian 13's (a static Go binary) works there.
  if is_debian_12 && printf '%s\n' "${pkgs[@]}" | grep -qx kustomize; then
    trixie_apt_sources
    pkgs=("${pkgs[@]/#kustomize/kustomize/trixie}")
  fi
  # dockerd runs docker-init for `docker run --init` and compose `init: true`: tini provides it.
  grep -qx 'docker-init' <<<"$parts" && pkgs+=(tini)
  if [ ${#pkgs[@]} -gt 0 ]; then
    is_debian_like || die "install these with your package manager and re-run: ${pkgs[*]} (docker-registry: a Docker registry 2.x binary; apache2-utils: htpasswd)"
    apt_update
    for p in "${pkgs[@]}"; do
      apt-cache show "$p" >/dev/null 2>&1 ||
        die "apt knows no package $p here; install it (for the engine: Docker Engine with the Compose v2 and Buildx plugins, https://docs.docker.com/engine/install/) and re-run"
    done
    apt_install "${pkgs[@]}"
  fi
  quiet_registry_service
  if engine_is_local && command -v dockerd >/dev/null 2>&1 && [ -z "$(docker_init_path)" ] && [ -x /usr/bin/tini-static ]; then
    as_root mkdir -p /usr/libexec/docker
    as_root ln -sf /usr/bin/tini-static /usr/libexec/docker/docker-init
  fi
  engine_up || start_engine
  compose_ok || die "docker compose does not work with $(command -v docker) (Debian puts the plugin in /usr/libexec/docker/cli-plugins)"
  buildx_ok || die "docker buildx does not work with $(command -v docker)"
  if engine_is_local && command -v dockerd >/dev/null 2>&1 && [ -z "$(docker_init_path)" ]; then
    die "no docker-init for the engine (it comes with tini)"
  fi
}

# ---------------------------------------------------------------------------------------------
# 3. Base images: present, else pulled, else a local stand-in.

declare -A ORIGIN=()

image_present() { docker image inspect "$1" >/dev/null 2>&1; }
image_description() { docker image inspect --format "{{ index .Config.Labels \"$DESCRIPTION_LABEL\" }}" "$1" 2>/dev/null || true; }
image_kind() {
  case "$(image_description "$1")" in
    "local stand-in"*) echo stand-in ;;
    *) echo upstream ;;
  esac
}

# Debian's version number of a suite, for the label ("bookworm" -> 12).
debian_release_of() {
  case "$1" in
    bookworm) echo 12 ;;
    trixie) echo 13 ;;
    *) die "no Debian release number known for suite $1" ;;
  esac
}

# debian:<suite>-slim from debootstrap (minbase) plus the official slim image's configuration.
build_debian_standin() {
  local tag=$1 suite=$2 rootfs="$WORK/rootfs-$2" release
  release=$(debian_release_of "$suite")
  if ! command -v debootstrap >/dev/null 2>&1; then
    is_debian_like || die "debootstrap is needed to build $tag without a registry"
    apt_install debootstrap
  fi
  [ -e "/usr/share/debootstrap/scripts/$suite" ] || die "this debootstrap does not know Debian $suite; update debootstrap"
  log "debootstrap --variant=minbase $suite (about a minute)"
  run_logged "debootstrap-$suite" as_root debootstrap --variant=minbase "$suite" "$rootfs" "$DEBIAN_MIRROR"
  # The configuration of the official images (apt sources incl. security, no caches, no
  # docs/manuals/translations, no service starts), then the same slimming they get.
  as_root rm -f "$rootfs/etc/apt/sources.list" "$rootfs/etc/hostname" "$rootfs/etc/resolv.conf"
  as_root cp -R "$STANDINS/debian/overlay/." "$rootfs/"
  # The overlay's apt sources name bookworm: name this image's suite instead.
  as_root sed -i "s/\bbookworm\b/$suite/g" "$rootfs/etc/apt/sources.list.d/debian.sources"
  grep -q "^Suites: $suite $suite-updates\$" "$rootfs/etc/apt/sources.list.d/debian.sources" ||
    die "the apt sources of $tag do not name $suite"
  as_root chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  as_root find "$rootfs/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
  as_root find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  as_root rm -rf "$rootfs/usr/share/"{man,info,groff,linda,locale}/* "$rootfs/usr/share/lintian/overrides/"* \
    "$rootfs/var/cache/apt/"*.bin "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"* \
    "$rootfs/var/log/"*.log "$rootfs/var/log/apt/"* "$rootfs/dev/"* "$rootfs/proc/"* "$rootfs/sys/"* "$rootfs/run/"*
  log "docker import $tag"
  as_root tar --numeric-owner -C "$rootfs" -c . |
    docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["bash"]' \
      --change "LABEL $DESCRIPTION_LABEL=\"local stand-in built by scripts/test-env.sh: Debian $release ($suite) minbase from debootstrap with the official slim image's configuration; not the official debian image\"" \
      - "$tag" >/dev/null
  as_root rm -rf --one-file-system "$rootfs"
}

build_node_standin() {
  local tag=$1 ctx="$WORK/node-context" arch pkg
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no node-linux-* npm package for $(uname -m)" ;;
  esac
  pkg="node-linux-$arch"
  command -v npm >/dev/null 2>&1 || die "npm is needed to build $tag without a registry"
  mkdir -p "$ctx"
  cp -R "$STANDINS/node/." "$ctx/"
  log "npm install $pkg@24 npm@11 corepack@0 yarn@1 (payload for $tag)"
  run_logged npm-install npm install --prefix "$ctx/payload" --no-save --no-audit --no-fund \
    --ignore-scripts --no-package-lock "$pkg@24" npm@11 corepack@0 yarn@1
  local mods="$ctx/payload/node_modules"
  local node_v npm_v yarn_v
  node_v=$(node_version_of "$mods/$pkg/package.json")
  npm_v=$(node_version_of "$mods/npm/package.json")
  yarn_v=$(node_version_of "$mods/yarn/package.json")
  log "docker build $tag (Node.js $node_v, npm $npm_v, yarn $yarn_v)"
  run_logged docker-build-node docker build --pull=false --progress=plain -t "$tag" \
    --build-arg NODE_VERSION="$node_v" --build-arg NPM_VERSION="$npm_v" \
    --build-arg YARN_VERSION="$yarn_v" --build-arg NODE_PACKAGE="$pkg" "$ctx"
}

# The "version" of a package.json, read without node (whatever node is on PATH).
node_version_of() { sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$1" | head -n 1; }

build_redis_standin() {
  local tag=$1
  log "docker build $tag (Debian's redis-server)"
  run_logged docker-build-redis docker build --pull=false --progress=plain -t "$tag" "$STANDINS/redis"
}

# A stand-in whose recipe is a Dockerfile in scripts/standins/<dir>; $3 says what it holds.
build_dockerfile_standin() {
  local tag=$1 dir=$2 what=$3
  log "docker build $tag ($what)"
  run_logged "docker-build-$dir" docker build --pull=false --progress=plain -t "$tag" "$STANDINS/$dir"
}

ensure_image() {
  local image=$1
  if image_present "$image"; then
    ORIGIN[$image]="$(image_kind "$image"), present"
    return 0
  fi
  if [ "$CHECK" = 1 ]; then
    missing "image $image"
    return 0
  fi
  log "docker pull $image (timeout ${PULL_TIMEOUT}s)"
  if timeout "$PULL_TIMEOUT" docker pull -q "$image" >"$WORK/pull.log" 2>&1; then
    ORIGIN[$image]="$(image_kind "$image"), pulled now"
    return 0
  fi
  log "pull failed ($(tail -n 1 "$WORK/pull.log" | cut -c1-160)); building a local stand-in"
  case "$image" in
    debian:bookworm-slim) build_debian_standin "$image" bookworm ;;
    debian:trixie-slim) build_debian_standin "$image" trixie ;;
    node:24-bookworm-slim) build_node_standin "$image" ;;
    redis:7-bookworm) build_redis_standin "$image" ;;
    postgres:17-trixie) build_dockerfile_standin "$image" postgres "Debian trixie's postgresql-17" ;;
    mariadb:11.8) build_dockerfile_standin "$image" mariadb "Debian trixie's mariadb-server 11.8" ;;
    valkey/valkey:8.1-trixie) build_dockerfile_standin "$image" valkey "Debian trixie's valkey-server 8.1" ;;
    memcached:1.6-trixie) build_dockerfile_standin "$image" memcached "Debian trixie's memcached 1.6" ;;
    rabbitmq:4.0-management) build_dockerfile_standin "$image" rabbitmq "Debian trixie's rabbitmq-server 4.0" ;;
    nats:2.10) build_dockerfile_standin "$image" nats "Debian trixie's nats-server 2.10" ;;
    *) die "no stand-in recipe for $image" ;;
  esac
  image_present "$image" || die "building the stand-in $image produced no image"
  ORIGIN[$image]="stand-in, built now"
}

ensure_images() {
  if ! engine_up; then
    [ "$CHECK" = 1 ] && missing "images (no engine to check): ${IMAGES[*]}"
    return 0
  fi
  local image
  # In order: node and redis are built FROM debian:bookworm-slim, the databases and services
  # FROM debian:trixie-slim.
  for image in "${IMAGES[@]}"; do ensure_image "$image"; done
}

# ---------------------------------------------------------------------------------------------

summary() {
  local elapsed_ms image
  echo "== test environment ($([ "$CHECK" = 1 ] && echo check || echo ready)) =="
  printf '%-13s %s\n' "shellcheck" "$(shellcheck --version 2>/dev/null | sed -n 's/^version: //p' | grep . || echo none)"
  printf '%-13s %s\n' "docker CLI" "$(command -v docker || echo none) $(docker version --format '{{.Client.Version}}' 2>/dev/null || true)"
  if engine_up; then
    printf '%-13s %s\n' "engine" "$(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null) at $(docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || echo "${DOCKER_HOST:-?}")"
    printf '%-13s %s\n' "compose" "$(docker compose version --short 2>/dev/null || echo none)"
    printf '%-13s %s\n' "buildx" "$(docker buildx version 2>/dev/null | awk '{print $2}' || echo none)"
    printf '%-13s %s\n' "docker-init" "$(docker_init_path) $(docker version --format '{{range .Server.Components}}{{if eq .Name "docker-init"}}{{.Version}}{{end}}{{end}}' 2>/dev/null || true)"
    echo "images:"
    for image in "${IMAGES[@]}"; do
      if image_present "$image"; then
        printf '  %-24s %s  %s\n' "$image" "$(docker image inspect --format '{{.Id}}' "$image" | cut -c1-19)" "${ORIGIN[$image]:-$(image_kind "$image")}"
      else
        printf '  %-24s %s\n' "$image" "absent"
      fi
    done
  else
    printf '%-13s %s\n' "engine" "not reachable"
  fi
  printf '%-13s %s\n' "registry" "$(command -v docker-registry || echo none), htpasswd: $(command -v htpasswd || echo none)"
  printf '%-13s %s\n' "kustomize" "$(kustomize_version)"
  printf '%-13s %s\n' "botocore" "$(botocore_version) (/usr/bin/python3)"
  printf '%-13s %s\n' "renovate" "$([ -s "$RENOVATE_SCHEMA" ] && echo "$RENOVATE_SCHEMA" || echo none)"
  elapsed_ms=$((($(date +%s%N) - START_NS) / 1000000))
  printf '%-13s %d.%03d s\n' "total time" $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
}

ensure_tools_and_engine
ensure_renovate_schema
ensure_images
summary
if [ ${#MISSING[@]} -gt 0 ]; then
  echo "missing:"
  printf '  - %s\n' "${MISSING[@]}"
  exit 1
fi
