// wpsn-docker doctor: a pre-flight check of an attendee's machine, in the project's language.
// One line per check (ok, warn, fail, skip), and a fix under each failure:
//
//   engine     a Docker Engine answers (DOCKER_HOST, else the system, Docker Desktop,
//              Colima and Podman sockets, in that order), Engine 25 or later (API 1.44:
//              the health checks' start interval)
//   compose    Docker Compose v2, 2.22 or later (`docker compose version --short`)
//   buildx     Docker Buildx (`docker buildx version`)
//   config     `docker compose config --quiet` accepts the project
//   ports      the app's host port can be listened on (or this very stack holds it)
//   disk       free space where the engine keeps images, against what is still to come
//   images     the base and service images are present, or pullable (a short timeout)
//   arch       the images' CPU architecture against the engine's
//   clock      the engine's clock against this machine's
//
// Exit codes: 0 the stack can start (warnings allowed), 1 a check failed (an unreachable
// engine included: the checklist still shows everything else), 2 invalid usage or an
// unreadable project.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch as hostArchRaw, platform as hostPlatform } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type Dockerode from 'dockerode';
import { InputError } from '../../core/errors.ts';
import { deriveModel, type StackModel } from '../../core/model.ts';
import { OFFLINE_ARCHIVE, OFFLINE_LOAD_SCRIPT, OFFLINE_MANIFEST } from '../../core/render/workshop.ts';
import { WATCH_FILE } from '../../core/render/watch.ts';
import { resolveSpec } from '../../core/spec.ts';
import { readRegularFile } from '../../core/read.ts';
import { parseYoRc, YO_RC, YO_RC_MAX_BYTES } from '../../core/state.ts';
import type { Language } from '../../schema/defaults.ts';
import { COMPOSE_FILES } from '../../schema/stack.ts';
import { parseCommandLine } from '../args.ts';
import { cliEnv, findEngine, socketCandidates, withTimeout } from './engine.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export type Status = 'ok' | 'warn' | 'fail' | 'skip';
export type CheckId = 'engine' | 'compose' | 'buildx' | 'config' | 'ports' | 'disk' | 'images' | 'appImage' | 'arch' | 'clock';

export interface CheckResult {
  id: CheckId;
  status: Status;
  detail: string;
  /** One line: what to do about it (failures and warnings). */
  fix?: string;
}

// ---------------------------------------------------------------------------------------
// The message catalogue: every text doctor prints, in each language of the generated docs.

export interface Catalogue {
  header(p: { project: string; dir: string }): string;
  noProject(p: { dir: string }): string;
  titles: Record<CheckId, string>;
  fixLabel: string;
  skipped(p: { what: string }): string;
  engineOk(p: { where: string; source: string; version: string; api: string }): string;
  engineOld(p: { where: string; version: string; api: string }): string;
  engineOldFix(): string;
  engineHostFail(p: { host: string; error: string }): string;
  engineHostFix(p: { host: string }): string;
  engineNoSocket(p: { paths: string }): string;
  engineNoSocketFix(): string;
  engineDead(p: { tried: string }): string;
  engineDeadFix(): string;
  enginePermissionFix(p: { socket: string }): string;
  composeOk(p: { version: string }): string;
  composeOld(p: { version: string; min: string }): string;
  composeOldFix(): string;
  composeWatchOld(p: { version: string; min: string; file: string }): string;
  composeV1(p: { version: string }): string;
  composeMissing(p: { error: string }): string;
  composeFix(): string;
  buildxOk(p: { version: string }): string;
  buildxMissing(p: { error: string }): string;
  buildxFix(): string;
  configOk(p: { file: string }): string;
  configFail(p: { error: string }): string;
  configFix(p: { file: string }): string;
  composeFilesMany(p: { files: string; read: string }): string;
  composeFilesFix(p: { file: string }): string;
  portFree(p: { address: string; port: number }): string;
  portOurs(p: { address: string; port: number; container: string }): string;
  portBusy(p: { address: string; port: number }): string;
  portBusyContainer(p: { address: string; port: number; container: string }): string;
  portBusyFix(p: { port: number; suggest: number; container: string }): string;
  portDenied(p: { address: string; port: number; error: string }): string;
  portDeniedFix(p: { suggest: number }): string;
  portNoAddress(p: { address: string; port: number }): string;
  portNoAddressFix(): string;
  uiPortBusy(p: { address: string; port: number; what: string; holder: string }): string;
  uiPortFix(p: { service: string; port: number }): string;
  tryPortBusy(p: { address: string; port: number }): string;
  tryPortFix(p: { port: number }): string;
  diskOk(p: { free: string; path: string; need: string }): string;
  diskLow(p: { free: string; path: string; need: string }): string;
  diskTight(p: { free: string; path: string; need: string }): string;
  diskFix(): string;
  diskUnknown(p: { error: string }): string;
  diskVm(p: { path: string }): string;
  imagePresent(p: { ref: string; platform: string }): string;
  imagePulled(p: { ref: string; platform: string }): string;
  imageMissing(p: { ref: string; error: string }): string;
  imageMissingNoPull(p: { ref: string }): string;
  imageNotLoaded(p: { ref: string; archive: string }): string;
  imageFixBundle(p: { script: string }): string;
  imageFixPull(p: { ref: string; script: string }): string;
  appBuilt(p: { image: string }): string;
  appNotBuilt(p: { image: string; base: string }): string;
  archOk(p: { host: string; engine: string; images: string }): string;
  archEmulated(p: { ref: string; image: string; engine: string }): string;
  archMismatch(p: { ref: string; image: string; engine: string }): string;
  archFix(p: { engine: string }): string;
  archHostDiffers(p: { host: string; engine: string }): string;
  clockOk(p: { skew: string }): string;
  clockSkew(p: { skew: string; direction: string }): string;
  clockAhead: string;
  clockBehind: string;
  clockFix(): string;
  clockUnknown(): string;
  ready(p: { warnings: number }): string;
  readyNext(): string;
  notReady(p: { failed: number }): string;
}

const en: Catalogue = {
  header: (p) => `wpsn-docker doctor: can this machine run ${p.project}? (${p.dir})`,
  noProject: (p) => `${p.dir} is not a generated project yet: checking the generator's defaults`,
  titles: {
    engine: 'Docker Engine',
    compose: 'Docker Compose v2',
    buildx: 'Docker Buildx',
    config: 'compose file',
    ports: 'host port',
    disk: 'disk space',
    images: 'image',
    appImage: 'app image',
    arch: 'CPU architecture',
    clock: 'clock',
  },
  fixLabel: 'fix',
  skipped: (p) => `not checked: ${p.what}`,
  engineOk: (p) => `${p.where} (${p.source}), Docker ${p.version}, API ${p.api}`,
  engineOld: (p) => `${p.where}: Docker ${p.version}, API ${p.api}: the stack needs Docker Engine ${ENGINE_MIN.version} or later (API ${ENGINE_MIN.api}): Compose refuses the health checks' start_interval on an older engine`,
  engineOldFix: () => `update the engine to ${ENGINE_MIN.version} or later: Docker Desktop ${ENGINE_MIN.desktop} or later, or Docker's docker-ce packages (Debian 13 and Ubuntu 24.04 ship a new enough docker.io)`,
  engineHostFail: (p) => `DOCKER_HOST=${p.host} does not answer: ${p.error}`,
  engineHostFix: (p) => `start the engine DOCKER_HOST=${p.host} points at, or unset DOCKER_HOST to use this machine's own`,
  engineNoSocket: (p) => `no Docker socket on this machine (looked for ${p.paths})`,
  engineNoSocketFix: () => 'install and start Docker Desktop, Colima (colima start) or Docker Engine (sudo systemctl start docker), or set DOCKER_HOST',
  engineDead: (p) => `no engine answers: ${p.tried}`,
  engineDeadFix: () => 'start Docker: open Docker Desktop, run colima start, or sudo systemctl start docker; then run doctor again',
  enginePermissionFix: (p) => `you may not use ${p.socket}: sudo usermod -aG docker "$USER", then log out and in again`,
  composeOk: (p) => `version ${p.version}`,
  composeOld: (p) => `version ${p.version}: the stack needs ${p.min} or later (health check start_interval, docker compose watch)`,
  composeOldFix: () => 'update Docker Desktop, or the docker-compose-plugin package',
  composeWatchOld: (p) => `version ${p.version}: the stack runs, but ${p.file} (docker compose watch) needs ${p.min} or later (its !override tag)`,
  composeV1: (p) => `only Compose v1 (docker-compose ${p.version}) was found: the stack needs Compose v2 (docker compose)`,
  composeMissing: (p) => `docker compose is not available (${p.error})`,
  composeFix: () => 'install the Compose v2 plugin: Docker Desktop has it; on Linux install docker-compose-plugin (Docker\'s packages) or docker-compose (Debian 13, Ubuntu 24.04)',
  buildxOk: (p) => `version ${p.version}`,
  buildxMissing: (p) => `docker buildx is not available (${p.error})`,
  buildxFix: () => 'install the Buildx plugin: Docker Desktop has it; on Linux install docker-buildx-plugin (Docker\'s packages) or docker-buildx (Debian, Ubuntu)',
  configOk: (p) => `docker compose config accepts ${p.file}`,
  configFail: (p) => `docker compose config fails: ${p.error}`,
  configFix: (p) => `fix ${p.file} or a file it names (a missing secrets/ file: run wpsn-docker --yes to make it again)`,
  composeFilesMany: (p) => `several Compose files are here (${p.files}): docker compose reads only ${p.read} and ignores the others, silently`,
  composeFilesFix: (p) => `keep one: the stack is ${p.file}; move the other files away (or merge what you need into it)`,
  portFree: (p) => `${p.address}:${p.port} is free`,
  portOurs: (p) => `${p.address}:${p.port} is held by this stack's running container ${p.container}`,
  portBusy: (p) => `${p.address}:${p.port} is in use by another program`,
  portBusyContainer: (p) => `${p.address}:${p.port} is in use by container ${p.container}`,
  portBusyFix: (p) =>
    p.container
      ? `stop it (docker stop ${p.container}), or publish the app on another port: wpsn-docker --yes --host-port ${p.suggest}`
      : `stop the program using it (find it: lsof -iTCP:${p.port} -sTCP:LISTEN, or ss -ltnp 'sport = :${p.port}'), or publish the app on another port: wpsn-docker --yes --host-port ${p.suggest}`,
  portDenied: (p) => `not allowed to listen on ${p.address}:${p.port} (${p.error})`,
  portDeniedFix: (p) => `use a port from 1024 up: wpsn-docker --yes --host-port ${p.suggest}`,
  portNoAddress: (p) => `${p.address} is not an address of this machine, so ${p.address}:${p.port} cannot be published`,
  portNoAddressFix: () => 'bind to an address this machine has: wpsn-docker --yes --bind 127.0.0.1',
  uiPortBusy: (p) => `${p.address}:${p.port} (${p.what}) is in use by ${p.holder}`,
  uiPortFix: (p) => `free port ${p.port}, or give ${p.service} another uiHostPort in an answers file (services: [{ kind: ${p.service}, ui: true, uiHostPort: PORT }]) and re-run wpsn-docker --yes --answers FILE`,
  tryPortBusy: (p) => `${p.address}:${p.port} (the lesson's -p step) is in use`,
  tryPortFix: (p) => `free port ${p.port} before step 4 of WORKSHOP.md, or change the port in that step`,
  diskOk: (p) => `${p.free} free under ${p.path}; about ${p.need} needed`,
  diskLow: (p) => `only ${p.free} free under ${p.path}; about ${p.need} needed`,
  diskTight: (p) => `${p.free} free under ${p.path}; about ${p.need} needed, little to spare`,
  diskFix: () => 'free space: docker system prune (stopped containers, unused networks, dangling images, build cache), docker image prune -a, or delete files',
  diskUnknown: (p) => `cannot measure the free space (${p.error})`,
  diskVm: (p) => `the engine keeps its images inside a virtual machine; measured ${p.path} on this machine instead`,
  imagePresent: (p) => `${p.ref}: present (${p.platform})`,
  imagePulled: (p) => `${p.ref}: pulled just now (${p.platform})`,
  imageMissing: (p) => `${p.ref}: missing, and docker pull failed: ${p.error}`,
  imageMissingNoPull: (p) => `${p.ref}: missing (not pulled: --no-pull)`,
  imageNotLoaded: (p) => `${p.ref}: missing; the offline bundle here (${p.archive}) has it`,
  imageFixBundle: (p) => `load the offline bundle that is here: ${p.script}`,
  imageFixPull: (p) => `docker pull ${p.ref} on a network that reaches the registry, or copy the instructor's offline/ folder here and run ${p.script}`,
  appBuilt: (p) => `${p.image}: built`,
  appNotBuilt: (p) => `${p.image}: not built yet; docker compose up --build builds it from ${p.base} (its dependencies need the npm registry)`,
  archOk: (p) => `engine ${p.engine}, this machine ${p.host}; images ${p.images}`,
  archEmulated: (p) => `${p.ref} is ${p.image}, the engine runs ${p.engine}: it will run emulated (slowly)`,
  archMismatch: (p) => `${p.ref} is ${p.image}, the engine runs ${p.engine}, and this engine cannot emulate it`,
  archFix: (p) => `get the image for ${p.engine}: docker pull --platform linux/${p.engine} IMAGE, or make the offline bundle on a ${p.engine} machine`,
  archHostDiffers: (p) => `this machine is ${p.host} but the engine runs ${p.engine} (a remote engine, or an emulated VM)`,
  clockOk: (p) => `the engine's clock is within ${p.skew} of this machine's`,
  clockSkew: (p) => `the engine's clock is ${p.skew} ${p.direction} this machine's: TLS to registries and build caches can fail`,
  clockAhead: 'ahead of',
  clockBehind: 'behind',
  clockFix: () => 'sync the clocks: restart Docker Desktop or colima restart (a VM\'s clock drifts after sleep); on Linux sudo timedatectl set-ntp true',
  clockUnknown: () => 'the engine did not report its time',
  ready: (p) => `ready: the stack can start (${p.warnings} warning${p.warnings === 1 ? '' : 's'})`,
  readyNext: () => 'next: docker compose up -d --wait (it builds the app image when it is missing; add --build after changing the app)',
  notReady: (p) => `not ready: ${p.failed} check${p.failed === 1 ? '' : 's'} failed; do each fix above, then run wpsn-docker doctor again`,
};

const ko: Catalogue = {
  header: (p) => `wpsn-docker doctor: 이 컴퓨터에서 ${p.project}을(를) 실행할 수 있는지 점검합니다 (${p.dir})`,
  noProject: (p) => `${p.dir}은(는) 아직 생성된 프로젝트가 아닙니다: 생성기 기본값으로 점검합니다`,
  titles: {
    engine: 'Docker Engine',
    compose: 'Docker Compose v2',
    buildx: 'Docker Buildx',
    config: 'Compose 파일',
    ports: '호스트 포트',
    disk: '디스크 공간',
    images: '이미지',
    appImage: '앱 이미지',
    arch: 'CPU 아키텍처',
    clock: '시계',
  },
  fixLabel: '해결',
  skipped: (p) => `점검하지 않음: ${p.what}`,
  engineOk: (p) => `${p.where} (${p.source}), Docker ${p.version}, API ${p.api}`,
  engineOld: (p) => `${p.where}: Docker ${p.version}, API ${p.api}: 이 스택에는 Docker Engine ${ENGINE_MIN.version} 이상(API ${ENGINE_MIN.api})이 필요합니다: 더 오래된 엔진에서는 Compose가 헬스체크의 start_interval을 거부합니다`,
  engineOldFix: () => `엔진을 ${ENGINE_MIN.version} 이상으로 업데이트하세요: Docker Desktop ${ENGINE_MIN.desktop} 이상, 또는 Docker의 docker-ce 패키지 (Debian 13과 Ubuntu 24.04의 docker.io는 충분히 새로움)`,
  engineHostFail: (p) => `DOCKER_HOST=${p.host}이(가) 응답하지 않습니다: ${p.error}`,
  engineHostFix: (p) => `DOCKER_HOST=${p.host}이(가) 가리키는 엔진을 시작하거나, 이 컴퓨터의 엔진을 쓰려면 DOCKER_HOST를 지우세요 (unset DOCKER_HOST)`,
  engineNoSocket: (p) => `이 컴퓨터에 Docker 소켓이 없습니다 (찾아본 곳: ${p.paths})`,
  engineNoSocketFix: () => 'Docker Desktop, Colima(colima start), Docker Engine(sudo systemctl start docker) 중 하나를 설치해 시작하거나, DOCKER_HOST를 설정하세요',
  engineDead: (p) => `응답하는 엔진이 없습니다: ${p.tried}`,
  engineDeadFix: () => 'Docker를 시작하세요: Docker Desktop을 열거나, colima start 또는 sudo systemctl start docker를 실행한 뒤 doctor를 다시 실행하세요',
  enginePermissionFix: (p) => `${p.socket}을(를) 쓸 권한이 없습니다: sudo usermod -aG docker "$USER" 실행 후 다시 로그인하세요`,
  composeOk: (p) => `버전 ${p.version}`,
  composeOld: (p) => `버전 ${p.version}: 이 스택에는 ${p.min} 이상이 필요합니다 (헬스체크 start_interval, docker compose watch)`,
  composeOldFix: () => 'Docker Desktop이나 docker-compose-plugin 패키지를 업데이트하세요',
  composeWatchOld: (p) => `버전 ${p.version}: 스택은 실행되지만 ${p.file}(docker compose watch)에는 ${p.min} 이상이 필요합니다 (!override 태그)`,
  composeV1: (p) => `Compose v1(docker-compose ${p.version})만 있습니다: 이 스택에는 Compose v2(docker compose)가 필요합니다`,
  composeMissing: (p) => `docker compose를 쓸 수 없습니다 (${p.error})`,
  composeFix: () => 'Compose v2 플러그인을 설치하세요: Docker Desktop에는 들어 있고, Linux에서는 docker-compose-plugin(Docker 패키지) 또는 docker-compose(Debian 13, Ubuntu 24.04)를 설치합니다',
  buildxOk: (p) => `버전 ${p.version}`,
  buildxMissing: (p) => `docker buildx를 쓸 수 없습니다 (${p.error})`,
  buildxFix: () => 'Buildx 플러그인을 설치하세요: Docker Desktop에는 들어 있고, Linux에서는 docker-buildx-plugin(Docker 패키지) 또는 docker-buildx(Debian, Ubuntu)를 설치합니다',
  configOk: (p) => `docker compose config가 ${p.file}을 받아들입니다`,
  configFail: (p) => `docker compose config 실패: ${p.error}`,
  configFix: (p) => `${p.file}이나 거기서 가리키는 파일을 고치세요 (secrets/ 파일이 없으면 wpsn-docker --yes로 다시 만듭니다)`,
  composeFilesMany: (p) => `Compose 파일이 여러 개 있습니다 (${p.files}): docker compose는 ${p.read}만 읽고 나머지는 조용히 무시합니다`,
  composeFilesFix: (p) => `하나만 두세요: 스택은 ${p.file}입니다. 다른 파일은 옮기세요 (필요한 내용은 그 파일에 합치세요)`,
  portFree: (p) => `${p.address}:${p.port} 포트가 비어 있습니다`,
  portOurs: (p) => `${p.address}:${p.port} 포트는 이 스택의 실행 중인 컨테이너 ${p.container}이(가) 쓰고 있습니다`,
  portBusy: (p) => `${p.address}:${p.port} 포트를 다른 프로그램이 쓰고 있습니다`,
  portBusyContainer: (p) => `${p.address}:${p.port} 포트를 컨테이너 ${p.container}이(가) 쓰고 있습니다`,
  portBusyFix: (p) =>
    p.container
      ? `그 컨테이너를 멈추거나(docker stop ${p.container}), 앱을 다른 포트로 공개하세요: wpsn-docker --yes --host-port ${p.suggest}`
      : `그 프로그램을 멈추거나(찾기: lsof -iTCP:${p.port} -sTCP:LISTEN 또는 ss -ltnp 'sport = :${p.port}'), 앱을 다른 포트로 공개하세요: wpsn-docker --yes --host-port ${p.suggest}`,
  portDenied: (p) => `${p.address}:${p.port} 포트에서 들을 권한이 없습니다 (${p.error})`,
  portDeniedFix: (p) => `1024 이상의 포트를 쓰세요: wpsn-docker --yes --host-port ${p.suggest}`,
  portNoAddress: (p) => `${p.address}은(는) 이 컴퓨터의 주소가 아니라서 ${p.address}:${p.port}에 공개할 수 없습니다`,
  portNoAddressFix: () => '이 컴퓨터에 있는 주소에 바인딩하세요: wpsn-docker --yes --bind 127.0.0.1',
  uiPortBusy: (p) => `${p.address}:${p.port} (${p.what}) 포트를 ${p.holder}이(가) 쓰고 있습니다`,
  uiPortFix: (p) => `${p.port} 포트를 비우거나, answers 파일에서 ${p.service}에 다른 uiHostPort를 주고(services: [{ kind: ${p.service}, ui: true, uiHostPort: PORT }]) wpsn-docker --yes --answers FILE 을 다시 실행하세요`,
  tryPortBusy: (p) => `${p.address}:${p.port} 포트(실습의 -p 단계)를 누군가 쓰고 있습니다`,
  tryPortFix: (p) => `WORKSHOP.md 4단계 전에 ${p.port} 포트를 비우거나, 그 단계의 포트를 바꾸세요`,
  diskOk: (p) => `${p.path}에 ${p.free} 남음, 약 ${p.need} 필요`,
  diskLow: (p) => `${p.path}에 ${p.free}밖에 남지 않았습니다, 약 ${p.need} 필요`,
  diskTight: (p) => `${p.path}에 ${p.free} 남음, 약 ${p.need} 필요 (여유가 거의 없습니다)`,
  diskFix: () => '공간을 확보하세요: docker system prune(멈춘 컨테이너, 안 쓰는 네트워크, 태그 없는 이미지, 빌드 캐시), docker image prune -a, 또는 파일 삭제',
  diskUnknown: (p) => `남은 공간을 잴 수 없습니다 (${p.error})`,
  diskVm: (p) => `엔진이 가상 머신 안에 이미지를 두므로 대신 이 컴퓨터의 ${p.path}을(를) 쟀습니다`,
  imagePresent: (p) => `${p.ref}: 있음 (${p.platform})`,
  imagePulled: (p) => `${p.ref}: 방금 pull함 (${p.platform})`,
  imageMissing: (p) => `${p.ref}: 없음, docker pull도 실패: ${p.error}`,
  imageMissingNoPull: (p) => `${p.ref}: 없음 (--no-pull이라 pull하지 않음)`,
  imageNotLoaded: (p) => `${p.ref}: 없음. 여기 있는 오프라인 번들(${p.archive})에 들어 있습니다`,
  imageFixBundle: (p) => `여기 있는 오프라인 번들을 불러오세요: ${p.script}`,
  imageFixPull: (p) => `레지스트리에 닿는 네트워크에서 docker pull ${p.ref}을(를) 실행하거나, 강사의 offline/ 폴더를 여기 복사한 뒤 ${p.script}을(를) 실행하세요`,
  appBuilt: (p) => `${p.image}: 빌드되어 있음`,
  appNotBuilt: (p) => `${p.image}: 아직 빌드되지 않음. docker compose up --build가 ${p.base}에서 빌드합니다 (의존성 설치에 npm 레지스트리가 필요합니다)`,
  archOk: (p) => `엔진 ${p.engine}, 이 컴퓨터 ${p.host}, 이미지 ${p.images}`,
  archEmulated: (p) => `${p.ref}은(는) ${p.image}용인데 엔진은 ${p.engine}입니다: 에뮬레이션으로 (느리게) 실행됩니다`,
  archMismatch: (p) => `${p.ref}은(는) ${p.image}용인데 엔진은 ${p.engine}이고, 이 엔진은 에뮬레이션할 수 없습니다`,
  archFix: (p) => `${p.engine}용 이미지를 받으세요: docker pull --platform linux/${p.engine} IMAGE, 또는 ${p.engine} 컴퓨터에서 오프라인 번들을 만드세요`,
  archHostDiffers: (p) => `이 컴퓨터는 ${p.host}인데 엔진은 ${p.engine}입니다 (원격 엔진이거나 에뮬레이션 VM)`,
  clockOk: (p) => `엔진의 시계가 이 컴퓨터와 ${p.skew} 이내로 맞습니다`,
  clockSkew: (p) => `엔진의 시계가 이 컴퓨터보다 ${p.skew} ${p.direction}: 레지스트리 TLS 연결과 빌드 캐시가 실패할 수 있습니다`,
  clockAhead: '빠릅니다',
  clockBehind: '느립니다',
  clockFix: () => '시계를 맞추세요: Docker Desktop을 다시 시작하거나 colima restart (절전 후 VM 시계가 어긋납니다), Linux에서는 sudo timedatectl set-ntp true',
  clockUnknown: () => '엔진이 시각을 알려 주지 않았습니다',
  ready: (p) => `준비 완료: 스택을 시작할 수 있습니다 (경고 ${p.warnings}개)`,
  readyNext: () => '다음: docker compose up -d --wait (앱 이미지가 없으면 빌드합니다. 앱을 바꾼 뒤에는 --build를 붙이세요)',
  notReady: (p) => `준비 안 됨: ${p.failed}개 항목이 실패했습니다. 위의 해결 방법대로 고친 뒤 wpsn-docker doctor를 다시 실행하세요`,
};

export const MESSAGES: Record<Language, Catalogue> = { en, ko };

// ---------------------------------------------------------------------------------------
// Pure helpers

/** `docker compose version --short` output (2.26.1, v2.29.7-desktop.1, 2.26.1-4) -> [major, minor, patch]. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** `docker buildx version` output ("github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3", "github.com/docker/buildx v0.17.1-desktop.1 abc") -> the version. */
export function parseBuildxVersion(text: string): string | undefined {
  const m = /buildx\s+v?(\d+\.\d+(?:\.\d+)?[^\s]*)/.exec(text) ?? /\bv?(\d+\.\d+\.\d+[^\s]*)/.exec(text);
  return m?.[1];
}

/**
 * The oldest engine and Compose the generated stack runs on: the health checks poll fast
 * while a container starts (Dockerfile HEALTHCHECK --start-interval, Compose start_interval),
 * which Engine 25.0 (API 1.44) introduced; Compose refuses start_interval on an older API.
 * Compose 2.22 also brings `docker compose watch`; the generated compose.watch.yaml replaces
 * the app's watch rules with Compose's `!override` tag, read from Compose 2.24.4 on.
 * README.Docker.md states the same.
 */
export const ENGINE_MIN = { version: '25.0', api: '1.44', desktop: '4.27' } as const;
export const COMPOSE_MIN: [number, number, number] = [2, 22, 0];
export const COMPOSE_WATCH_MIN: [number, number, number] = [2, 24, 4];

/** An engine's API version ("1.43") below ENGINE_MIN.api; an unreadable one is not "old". */
export function engineTooOld(apiVersion: string | undefined): boolean {
  const m = /^(\d+)\.(\d+)$/.exec(apiVersion?.trim() ?? '');
  if (!m) return false;
  const [major, minor] = ENGINE_MIN.api.split('.').map(Number) as [number, number];
  return !versionAtLeast([Number(m[1]), Number(m[2]), 0], [major, minor, 0]);
}

export function versionAtLeast(version: [number, number, number], min: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if (version[i]! !== min[i]!) return version[i]! > min[i]!;
  }
  return true;
}

/** An architecture name from Node (os.arch()), the engine (uname -m) or an image, as OCI spells it. */
export function normaliseArch(name: string): string {
  const n = name.toLowerCase();
  const table: Record<string, string> = {
    x64: 'amd64',
    x86_64: 'amd64',
    amd64: 'amd64',
    arm64: 'arm64',
    aarch64: 'arm64',
    arm: 'arm',
    armv7l: 'arm',
    armhf: 'arm',
    ia32: '386',
    i386: '386',
    i686: '386',
    ppc64: 'ppc64le',
    ppc64le: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
  };
  return table[n] ?? n;
}

/** The binfmt_misc entry names under which a Linux kernel runs another architecture's binaries. */
export function binfmtNames(arch: string): string[] {
  const qemu: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', arm: 'arm', '386': 'i386', ppc64le: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  const q = qemu[arch] ?? arch;
  return [`qemu-${q}`, arch === 'amd64' ? 'rosetta' : ''].filter(Boolean);
}

/** Engine time minus host time in ms, the host time taken halfway through the request. */
export function clockSkewMs(engineTime: string, sentAt: number, receivedAt: number): number | undefined {
  // Date.parse keeps milliseconds; the engine reports nanoseconds.
  const t = Date.parse(engineTime.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(t)) return undefined;
  return t - (sentAt + receivedAt) / 2;
}

export const CLOCK_SKEW_WARN_MS = 5000;
/** Room for the build cache, containers, logs and volumes, on top of the images still to come. */
export const DISK_HEADROOM = 1024 ** 3;
/** Estimates for images that are neither here nor in an offline bundle's list. */
export const IMAGE_SIZE_ESTIMATE = 400 * 1024 ** 2;
export const APP_IMAGE_ESTIMATE = 150 * 1024 ** 2;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.max(0, Math.round(bytes / 1024 ** 2))} MiB`;
}

/** Reads an offline bundle's image list (offline/images.txt): reference -> size and platform. */
export function parseManifest(text: string): Map<string, { id: string; platform: string; size: number }> {
  const out = new Map<string, { id: string; platform: string; size: number }>();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const [ref, id, platform, size] = t.split(/\s+/);
    if (ref && id) out.set(ref, { id, platform: platform ?? 'unknown', size: Number(size) || 0 });
  }
  return out;
}

/** The status the whole run ends with. */
export function overall(results: readonly CheckResult[]): { ok: boolean; failed: number; warnings: number } {
  const failed = results.filter((r) => r.status === 'fail').length;
  const warnings = results.filter((r) => r.status === 'warn').length;
  return { ok: failed === 0, failed, warnings };
}

/** Columns a terminal gives the text: Hangul and other East Asian wide characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    const wide =
      (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

export function renderChecklist(results: readonly CheckResult[], t: Catalogue): string {
  const width = Math.max(...Object.values(t.titles).map(displayWidth)) + 2;
  const pad = (text: string) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${`[${r.status}]`.padEnd(7)}${pad(t.titles[r.id])}${r.detail}`);
    if (r.fix && r.status !== 'ok') lines.push(`${' '.repeat(7)}${' '.repeat(width)}${t.fixLabel}: ${r.fix}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------
// The project

export interface DoctorProject {
  dir: string;
  generated: boolean;
  model: StackModel;
}

export class DoctorUsageError extends Error {
  override name = 'DoctorUsageError';
}

export function readDoctorProject(dirArg: string): DoctorProject {
  const dir = resolve(dirArg);
  let text: string | undefined;
  try {
    text = readRegularFile(join(dir, YO_RC), join(dir, YO_RC), YO_RC_MAX_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof InputError && /a folder on the way/.test(error.message)) text = undefined;
    else if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new DoctorUsageError(`${join(dir, YO_RC)}: ${(error as Error).message}`);
  }
  try {
    const state = parseYoRc(text).state;
    const layers = state ? [{ source: YO_RC, values: state.answers }] : [];
    let spec;
    try {
      spec = resolveSpec(layers, { dirName: basename(dir) });
    } catch (error) {
      // Not a project, and a directory name no project name derives from: the defaults.
      if (state || !(error instanceof InputError)) throw error;
      spec = resolveSpec([{ source: 'defaults', values: { projectName: 'app' } }], { dirName: 'app' });
    }
    return { dir, generated: state !== undefined, model: deriveModel(spec, { sampleApp: state?.sampleApp ?? true }) };
  } catch (error) {
    if (error instanceof InputError) throw new DoctorUsageError(`the answers in ${join(dir, YO_RC)} are not valid: ${error.message}`);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// The checks

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

function runCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Run> {
  return new Promise((resolvePromise) => {
    let child;
    try {
      child = spawn('docker', args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolvePromise({ code: null, stdout: '', stderr: '', error: (error as Error).message });
      return;
    }
    let stdout = '';
    let stderr = '';
    let settled = false;
    const done = (r: Run) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(r);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ code: null, stdout, stderr, error: `timed out after ${options.timeoutMs / 1000} s` });
    }, options.timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => done({ code: null, stdout, stderr, error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the docker command is not installed' : e.message }));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const firstLine = (text: string): string => text.trim().split('\n').filter(Boolean).slice(-1)[0]?.trim() ?? '';
const why = (r: Run): string => r.error ?? (firstLine(r.stderr) || firstLine(r.stdout) || `exit ${r.code}`);

/** Whether `address:port` can be listened on right now: free, or the error code. */
export function tryListen(address: string, port: number): Promise<'free' | string> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolvePromise(error.code ?? error.message));
    server.listen({ host: address, port, exclusive: true }, () => {
      server.close(() => resolvePromise('free'));
    });
  });
}

/** The running container that publishes `port` on the host, if any: its name and Compose project. */
async function publisherOf(docker: Dockerode, port: number): Promise<{ name: string; project: string | undefined } | undefined> {
  const list = await docker.listContainers({ all: false });
  for (const c of list) {
    if ((c.Ports ?? []).some((p) => p.PublicPort === port)) {
      return { name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''), project: c.Labels?.['com.docker.compose.project'] };
    }
  }
  return undefined;
}

export interface DoctorOptions {
  dir: string;
  json: boolean;
  pull: boolean;
  pullTimeoutMs: number;
  lang: Language | undefined;
}

export async function doctor(options: DoctorOptions, env: NodeJS.ProcessEnv = process.env): Promise<{ results: CheckResult[]; project: DoctorProject; lang: Language }> {
  const project = readDoctorProject(options.dir);
  const m = project.model;
  const lang: Language = options.lang ?? m.lang;
  const t = MESSAGES[lang];
  const results: CheckResult[] = [];
  const add = (r: CheckResult) => results.push(r);

  // The engine.
  const { engine, tried } = await findEngine(env, { timeoutMs: 5000 });
  if (engine) {
    const version = { where: engine.target.description, source: engine.target.source, version: engine.version.Version ?? '?', api: engine.version.ApiVersion ?? '?' };
    if (engineTooOld(engine.version.ApiVersion)) add({ id: 'engine', status: 'fail', detail: t.engineOld(version), fix: t.engineOldFix() });
    else add({ id: 'engine', status: 'ok', detail: t.engineOk(version) });
  } else if (env['DOCKER_HOST']) {
    add({ id: 'engine', status: 'fail', detail: t.engineHostFail({ host: env['DOCKER_HOST'], error: tried[0]?.error ?? '?' }), fix: t.engineHostFix({ host: env['DOCKER_HOST'] }) });
  } else if (tried.length === 0) {
    add({ id: 'engine', status: 'fail', detail: t.engineNoSocket({ paths: socketCandidates(env).map((c) => c.path).join(', ') }), fix: t.engineNoSocketFix() });
  } else {
    const denied = tried.find((x) => /EACCES|permission denied/i.test(x.error));
    add({
      id: 'engine',
      status: 'fail',
      detail: t.engineDead({ tried: tried.map((x) => `${x.description} (${x.source}): ${x.error}`).join('; ') }),
      fix: denied ? t.enginePermissionFix({ socket: denied.description }) : t.engineDeadFix(),
    });
  }
  const cli = cliEnv(env, engine);
  const needsEngine = t.skipped({ what: t.titles.engine });

  // Compose v2 and Buildx (client plugins: checked with or without an engine).
  const compose = await runCli(['compose', 'version', '--short'], { cwd: project.dir, env: cli, timeoutMs: 15_000 });
  const composeVersion = compose.code === 0 ? parseVersion(compose.stdout) : undefined;
  if (composeVersion && composeVersion[0] >= 2) {
    const text = compose.stdout.trim();
    if (!versionAtLeast(composeVersion, COMPOSE_MIN)) {
      add({ id: 'compose', status: 'fail', detail: t.composeOld({ version: text, min: COMPOSE_MIN.slice(0, 2).join('.') }), fix: t.composeOldFix() });
    } else if (!versionAtLeast(composeVersion, COMPOSE_WATCH_MIN) && existsSync(join(project.dir, WATCH_FILE))) {
      add({ id: 'compose', status: 'warn', detail: t.composeWatchOld({ version: text, min: COMPOSE_WATCH_MIN.join('.'), file: WATCH_FILE }), fix: t.composeOldFix() });
    } else add({ id: 'compose', status: 'ok', detail: t.composeOk({ version: text }) });
  } else if (composeVersion) {
    add({ id: 'compose', status: 'fail', detail: t.composeV1({ version: compose.stdout.trim() }), fix: t.composeFix() });
  } else {
    add({ id: 'compose', status: 'fail', detail: t.composeMissing({ error: why(compose) }), fix: t.composeFix() });
  }
  const buildx = await runCli(['buildx', 'version'], { cwd: project.dir, env: cli, timeoutMs: 15_000 });
  const buildxVersion = buildx.code === 0 ? parseBuildxVersion(buildx.stdout) : undefined;
  if (buildxVersion) add({ id: 'buildx', status: 'ok', detail: t.buildxOk({ version: buildxVersion }) });
  else add({ id: 'buildx', status: 'fail', detail: t.buildxMissing({ error: why(buildx) }), fix: t.buildxFix() });

  // The compose file, as Compose reads it.
  // Compose reads the first of its file names that exists: a second file is silently ignored.
  const composeFiles = COMPOSE_FILES.filter((f) => existsSync(join(project.dir, f)));
  if (composeFiles.length > 1) {
    add({ id: 'config', status: 'warn', detail: t.composeFilesMany({ files: composeFiles.join(', '), read: composeFiles[0]! }), fix: t.composeFilesFix({ file: m.composeFile }) });
  }
  if (composeFiles.length && composeVersion && composeVersion[0] >= 2) {
    const config = await runCli(['compose', 'config', '--quiet'], { cwd: project.dir, env: cli, timeoutMs: 30_000 });
    if (config.code === 0) add({ id: 'config', status: 'ok', detail: t.configOk({ file: composeFiles[0]! }) });
    else add({ id: 'config', status: 'fail', detail: t.configFail({ error: why(config) }), fix: t.configFix({ file: composeFiles[0]! }) });
  }

  // Host ports: the app's, and the lesson's -p step when the workshop kit is on.
  const suggest = m.app.hostPort < 65000 ? m.app.hostPort + 10 : 8080;
  const portCheck = async (port: number, lesson: boolean): Promise<void> => {
    const address = m.app.bind;
    const state = await tryListen(address, port);
    if (state === 'free') {
      if (!lesson) add({ id: 'ports', status: 'ok', detail: t.portFree({ address, port }) });
      return;
    }
    if (state === 'EADDRINUSE') {
      const holder = engine ? await publisherOf(engine.docker, port).catch(() => undefined) : undefined;
      if (!lesson && holder && holder.project === m.projectName) {
        add({ id: 'ports', status: 'ok', detail: t.portOurs({ address, port, container: holder.name }) });
        return;
      }
      const detail = holder ? t.portBusyContainer({ address, port, container: holder.name }) : t.portBusy({ address, port });
      if (lesson) add({ id: 'ports', status: 'warn', detail: t.tryPortBusy({ address, port }), fix: t.tryPortFix({ port }) });
      else add({ id: 'ports', status: 'fail', detail, fix: t.portBusyFix({ port, suggest, container: holder?.name ?? '' }) });
      return;
    }
    if (state === 'EADDRNOTAVAIL') {
      add({ id: 'ports', status: lesson ? 'warn' : 'fail', detail: t.portNoAddress({ address, port }), fix: t.portNoAddressFix() });
      return;
    }
    // EACCES: a privileged port as a normal user (Docker's own proxy may still manage it, as root).
    add({ id: 'ports', status: lesson ? 'warn' : 'fail', detail: t.portDenied({ address, port, error: state }), fix: t.portDeniedFix({ suggest: suggest < 1024 ? 8080 : suggest }) });
  };
  await portCheck(m.app.hostPort, false);
  if (m.workshop) await portCheck(m.workshop.tryPort, true);
  // A development UI a service publishes (services[].ui): its own address and port.
  for (const service of m.services) {
    for (const p of service.publish ?? []) {
      const state = await tryListen(p.address, p.hostPort);
      const holder = state === 'EADDRINUSE' && engine ? await publisherOf(engine.docker, p.hostPort).catch(() => undefined) : undefined;
      if (state === 'free' || holder?.project === m.projectName) {
        add({ id: 'ports', status: 'ok', detail: holder ? t.portOurs({ address: p.address, port: p.hostPort, container: holder.name }) : t.portFree({ address: p.address, port: p.hostPort }) });
      } else {
        add({ id: 'ports', status: 'fail', detail: t.uiPortBusy({ address: p.address, port: p.hostPort, what: p.what, holder: holder?.name ?? state }), fix: t.uiPortFix({ service: service.service, port: p.hostPort }) });
      }
    }
  }

  // Images: the base image, Redis, the database and extra services; the app image built or not.
  const required = [m.app.baseImage, ...m.services.map((x) => x.image)];
  const manifestPath = join(project.dir, OFFLINE_MANIFEST);
  const bundled = existsSync(manifestPath) ? parseManifest(readFileSync(manifestPath, 'utf8')) : new Map<string, { id: string; platform: string; size: number }>();
  const hasBundle = existsSync(join(project.dir, OFFLINE_ARCHIVE));
  const loadScript = existsSync(join(project.dir, OFFLINE_LOAD_SCRIPT)) ? OFFLINE_LOAD_SCRIPT : `docker load -i ${OFFLINE_ARCHIVE}`;
  const platforms = new Map<string, string>();
  let missingBytes = 0;
  const inspect = async (docker: Dockerode, ref: string) => {
    try {
      const info = await docker.getImage(ref).inspect();
      return { platform: [info.Os || 'linux', info.Architecture || 'unknown', (info as { Variant?: string }).Variant].filter(Boolean).join('/'), arch: normaliseArch(info.Architecture || ''), size: info.Size };
    } catch {
      return undefined;
    }
  };
  if (!engine) {
    add({ id: 'images', status: 'skip', detail: needsEngine });
  } else {
    for (const ref of [...new Set(required)]) {
      let info = await inspect(engine.docker, ref);
      if (info) {
        platforms.set(ref, info.arch);
        add({ id: 'images', status: 'ok', detail: t.imagePresent({ ref, platform: info.platform }) });
        continue;
      }
      const inBundle = hasBundle && (bundled.has(ref) || bundled.has(`${ref}:latest`));
      if (!options.pull || inBundle) {
        const entry = bundled.get(ref) ?? bundled.get(`${ref}:latest`);
        missingBytes += entry?.size ?? IMAGE_SIZE_ESTIMATE;
        // What the bundle would load counts for the architecture check below.
        if (inBundle && entry) platforms.set(`${ref} (${OFFLINE_ARCHIVE})`, normaliseArch(entry.platform.split('/')[1] ?? ''));
        add({ id: 'images', status: 'fail', detail: inBundle ? t.imageNotLoaded({ ref, archive: OFFLINE_ARCHIVE }) : t.imageMissingNoPull({ ref }), fix: inBundle ? t.imageFixBundle({ script: loadScript }) : t.imageFixPull({ ref, script: OFFLINE_LOAD_SCRIPT }) });
        continue;
      }
      const pull = await runCli(['pull', '--quiet', ref], { cwd: project.dir, env: cli, timeoutMs: options.pullTimeoutMs });
      info = pull.code === 0 ? await inspect(engine.docker, ref) : undefined;
      if (info) {
        platforms.set(ref, info.arch);
        add({ id: 'images', status: 'ok', detail: t.imagePulled({ ref, platform: info.platform }) });
      } else {
        missingBytes += bundled.get(ref)?.size ?? IMAGE_SIZE_ESTIMATE;
        add({ id: 'images', status: 'fail', detail: t.imageMissing({ ref, error: why(pull) }), fix: hasBundle ? t.imageFixBundle({ script: loadScript }) : t.imageFixPull({ ref, script: OFFLINE_LOAD_SCRIPT }) });
      }
    }
    const app = await inspect(engine.docker, m.app.localImage);
    if (app) {
      platforms.set(m.app.localImage, app.arch);
      add({ id: 'appImage', status: 'ok', detail: t.appBuilt({ image: m.app.localImage }) });
    } else {
      missingBytes += APP_IMAGE_ESTIMATE;
      add({ id: 'appImage', status: 'ok', detail: t.appNotBuilt({ image: m.app.localImage, base: m.app.baseImage }) });
    }
  }

  // Free disk space where the engine keeps its data (or here, when that is in a VM).
  let info: (Record<string, unknown> & { DockerRootDir?: string; SystemTime?: string; Architecture?: string; OperatingSystem?: string }) | undefined;
  let infoSent = 0;
  let infoReceived = 0;
  if (engine) {
    try {
      infoSent = Date.now();
      info = (await withTimeout(engine.docker.info(), 10_000, 'the engine')) as typeof info;
      infoReceived = Date.now();
    } catch {
      info = undefined;
    }
  }
  if (!engine) {
    add({ id: 'disk', status: 'skip', detail: needsEngine });
  } else {
    const root = info?.DockerRootDir;
    const inVm = /Docker Desktop/i.test(info?.OperatingSystem ?? '') || engine.target.source === 'Colima' || engine.target.source === 'Docker Desktop' || !engine.target.socketPath;
    const path = root && !inVm && existsSync(root) ? root : project.dir;
    const need = DISK_HEADROOM + missingBytes;
    try {
      const fs = statfsSync(path);
      const free = fs.bavail * fs.bsize;
      const p = { free: formatBytes(free), path, need: formatBytes(need) };
      const note = path !== root ? ` (${t.diskVm({ path })})` : '';
      if (free < need) add({ id: 'disk', status: 'fail', detail: t.diskLow(p) + note, fix: t.diskFix() });
      else if (free < 2 * need) add({ id: 'disk', status: 'warn', detail: t.diskTight(p) + note, fix: t.diskFix() });
      else add({ id: 'disk', status: 'ok', detail: t.diskOk(p) + note });
    } catch (error) {
      add({ id: 'disk', status: 'warn', detail: t.diskUnknown({ error: (error as Error).message }) });
    }
  }

  // CPU architecture: each image against the engine's.
  if (!engine) {
    add({ id: 'arch', status: 'skip', detail: needsEngine });
  } else {
    const engineArch = normaliseArch(info?.Architecture ?? engine.version.Arch ?? '');
    const hostArch = normaliseArch(hostArchRaw());
    const foreign = [...platforms.entries()].filter(([, a]) => a !== engineArch);
    if (foreign.length === 0) {
      const imageArchs = [...new Set(platforms.values())].join(', ') || '-';
      if (hostArch !== engineArch) add({ id: 'arch', status: 'warn', detail: t.archHostDiffers({ host: hostArch, engine: engineArch }) });
      else add({ id: 'arch', status: 'ok', detail: t.archOk({ host: hostArch, engine: engineArch, images: imageArchs }) });
    } else {
      for (const [ref, a] of foreign) {
        // Docker Desktop emulates other architectures; a Linux engine does when binfmt_misc has a handler.
        const desktop = /Docker Desktop/i.test(info?.OperatingSystem ?? '');
        const local = hostPlatform() === 'linux' && hostArch === engineArch;
        const binfmt = local && binfmtNames(a).some((name) => existsSync(join('/proc/sys/fs/binfmt_misc', name)));
        if (desktop || binfmt) add({ id: 'arch', status: 'warn', detail: t.archEmulated({ ref, image: a, engine: engineArch }), fix: t.archFix({ engine: engineArch }) });
        else add({ id: 'arch', status: 'fail', detail: t.archMismatch({ ref, image: a, engine: engineArch }), fix: t.archFix({ engine: engineArch }) });
      }
    }
  }

  // Clock skew between the engine and this machine.
  if (!engine) {
    add({ id: 'clock', status: 'skip', detail: needsEngine });
  } else {
    const skew = info?.SystemTime ? clockSkewMs(info.SystemTime, infoSent, infoReceived) : undefined;
    if (skew === undefined) add({ id: 'clock', status: 'warn', detail: t.clockUnknown() });
    else if (Math.abs(skew) > CLOCK_SKEW_WARN_MS) {
      add({ id: 'clock', status: 'warn', detail: t.clockSkew({ skew: `${(Math.abs(skew) / 1000).toFixed(1)} s`, direction: skew > 0 ? t.clockAhead : t.clockBehind }), fix: t.clockFix() });
    } else add({ id: 'clock', status: 'ok', detail: t.clockOk({ skew: `${(CLOCK_SKEW_WARN_MS / 1000).toFixed(0)} s` }) });
  }

  return { results, project, lang };
}

export const DOCTOR_HELP = `Usage: wpsn-docker doctor [directory] [options]

Checks that this machine can run the stack of a generated project (default: the current
directory; elsewhere, the generator's defaults), in the language of its README: the Docker
Engine answers, Compose v2 and Buildx are installed, the compose file is valid, the app's
host port is free, there is disk space for the images, the images are present (or pulled
now), their CPU architecture fits the engine, and the engine's clock agrees with this
machine's. One line per check, [ok], [warn], [fail] or [skip], and a fix under each problem.

Options:
  --json                  print { ok, project, lang, checks: [{ id, status, detail, fix }] }
  --no-pull               do not pull missing images (report them missing)
  --pull-timeout <sec>    how long a pull of a missing image may take (default: 30)
  --lang <en|ko>          the language (default: the project's, else en)
  -h, --help              show this help

The engine: DOCKER_HOST when set (and only it); otherwise /var/run/docker.sock, Docker
Desktop's ~/.docker/run/docker.sock, Colima's ~/.colima/default/docker.sock, then Podman's
$XDG_RUNTIME_DIR/podman/podman.sock and /run/podman/podman.sock: the first that answers.

Exit codes: 0 the stack can start (warnings allowed), 1 a check failed (an unreachable
engine too: the other checks still run), 2 invalid usage or unreadable project answers.`;

export function parseDoctorArgs(argv: string[]): DoctorOptions | 'help' {
  let parsed;
  try {
    parsed = parseCommandLine(argv, {
      json: { type: 'boolean' },
      'no-pull': { type: 'boolean' },
      'pull-timeout': { type: 'string' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
  } catch (error) {
    throw new DoctorUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length > 1) throw new DoctorUsageError(`one directory at most, got ${positionals.map((p) => JSON.stringify(p)).join(', ')}`);
  let pullTimeoutMs = 30_000;
  if (values['pull-timeout'] !== undefined) {
    if (!/^\d+$/.test(values['pull-timeout']) || Number(values['pull-timeout']) < 1 || Number(values['pull-timeout']) > 3600) {
      throw new DoctorUsageError(`--pull-timeout needs a number of seconds from 1 to 3600, got ${JSON.stringify(values['pull-timeout'])}`);
    }
    pullTimeoutMs = Number(values['pull-timeout']) * 1000;
  }
  const lang = values.lang;
  if (lang !== undefined && lang !== 'en' && lang !== 'ko') throw new DoctorUsageError(`--lang must be en or ko, got ${JSON.stringify(lang)}`);
  return { dir: positionals[0] ?? '.', json: values.json ?? false, pull: !values['no-pull'], pullTimeoutMs, lang };
}

export async function runDoctor(argv: string[]): Promise<number> {
  let options: DoctorOptions | 'help';
  try {
    options = parseDoctorArgs(argv);
  } catch (error) {
    process.stderr.write(`wpsn-docker doctor: ${(error as Error).message}\nRun wpsn-docker doctor --help for the options.\n`);
    return EXIT.usage;
  }
  if (options === 'help') {
    process.stdout.write(`${DOCTOR_HELP}\n`);
    return EXIT.ok;
  }
  let outcome;
  try {
    outcome = await doctor(options);
  } catch (error) {
    if (error instanceof DoctorUsageError) {
      process.stderr.write(`wpsn-docker doctor: ${error.message}\n`);
      if (options.json) process.stdout.write(`${JSON.stringify({ ok: false, error: error.message }, null, 2)}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const { results, project, lang } = outcome;
  const t = MESSAGES[lang];
  const summary = overall(results);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: summary.ok, project: project.model.projectName, dir: project.dir, generated: project.generated, lang, failed: summary.failed, warnings: summary.warnings, checks: results }, null, 2)}\n`);
  } else {
    const lines = [t.header({ project: project.model.projectName, dir: project.dir })];
    if (!project.generated) lines.push(t.noProject({ dir: project.dir }));
    lines.push('', renderChecklist(results, t), '');
    if (summary.ok) lines.push(t.ready({ warnings: summary.warnings }), t.readyNext());
    else lines.push(t.notReady({ failed: summary.failed }));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return summary.ok ? EXIT.ok : EXIT.failed;
}

