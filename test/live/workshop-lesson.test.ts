// Live: WORKSHOP.md, run. A project is generated with --workshop, a registry target (pushed
// to a real local registry: Debian's docker-registry with htpasswd on loopback) and every
// deploy target; then every runnable command block of its WORKSHOP.md is run in order by
// bash in the project folder, as an attendee would, and each step's stated expectation
// (the marker comment above the block) is asserted. `wpsn-docker` is the built bin, put
// first on PATH. Everything the lesson creates (containers, images, volumes, pushed tags)
// is removed in afterAll, also after a failure. Figures are printed as "figure: ..." lines.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { checkExpect, parseLesson, type ParsedBlock } from '../../core/render/workshop.ts';
import { resolveSpec } from '../../core/spec.ts';
import { DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE } from '../../schema/defaults.ts';
import { DEFAULT_DATABASE_IMAGES } from '../../services/index.ts';
import { BIN, buildDistLocked } from '../unit/helpers/build.ts';
import { banner, imageAvailable } from './helpers/engine.ts';
import { startRegistry, type LocalRegistry } from './helpers/registry.ts';
import { describeRun, freePort, run, sleep, type Ran } from './helpers/run.ts';
import { composeEnv } from './helpers/stack.ts';

const PROJECT = `wpsnlesson-${randomBytes(3).toString('hex')}`;
// A database, as the 2017 lesson's stack had (MySQL 5.7 then; MariaDB, its drop-in, here).
const ANSWERS = { projectName: PROJECT, workshop: true, database: { kind: 'mariadb' }, registries: { targets: ['registry'] }, deploy: { targets: ['swarm', 'kubernetes', 'ecs', 'aca'] } };
/** The step ids, known before the project exists (they do not depend on ports): one test each. */
const STEP_IDS = deriveModel(resolveSpec([{ source: 'test', values: ANSWERS }], { dirName: PROJECT }), { sampleApp: true }).workshop!.steps.map((s) => s.id);

const figure = (text: string): void => console.log(`figure: [lesson] ${text}`);
const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

let root: string | undefined;
let dir = '';
let registry: LocalRegistry | undefined;
let env: NodeJS.ProcessEnv = {};
let steps = new Map<string, ParsedBlock>();
let failedAt: string | undefined;
const timings: string[] = [];

/** Whether nothing listens on 127.0.0.1:port right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

/** Two neighbouring free loopback ports: the app's, and the lesson's `-p` step's (the next one). */
async function portPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await freePort();
    if (p < 65535 && (await isFree(p + 1))) return p;
  }
  throw new Error('no two neighbouring free ports');
}

function sh(file: string, args: string[]): ReturnType<typeof spawnSync> {
  return spawnSync(file, args, { encoding: 'utf8', env, timeout: 180_000 });
}

beforeAll(async () => {
  buildDistLocked();
  for (const image of [DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE, DEFAULT_DATABASE_IMAGES['mariadb']!]) {
    const a = imageAvailable(image);
    if (!a.available) throw new Error(`the image ${image} is not available (${a.how}): run bash scripts/test-env.sh`);
  }
  expect(spawnSync('curl', ['--version']).status, 'curl is installed (the lesson uses it)').toBe(0);
  root = mkdtempSync(join(realpathSync(tmpdir()), 'wpsn-lesson-'));
  dir = join(root, PROJECT);
  registry = await startRegistry(root);

  // `wpsn-docker` on PATH is the built bin, as `npm install --global` would give it.
  const shim = join(root, 'bin');
  mkdirSync(shim);
  writeFileSync(join(shim, 'wpsn-docker'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`, { mode: 0o755 });
  const dockerConfig = join(root, 'docker-config');
  mkdirSync(dockerConfig);
  env = {
    ...composeEnv(),
    PATH: `${shim}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    DOCKER_CONFIG: dockerConfig,
    // The push step's settings, as the lesson tells the attendee to export them.
    REGISTRY_HOST: registry.host,
    REGISTRY_USERNAME: registry.user,
    REGISTRY_PASSWORD: registry.password,
    NO_COLOR: '1',
  };
  delete env['DOCKER_HOST'];

  const hostPort = await portPair();
  const gen = await run(process.execPath, [BIN, dir, '--yes', '--workshop', '--project-name', PROJECT, '--host-port', String(hostPort), '--database', 'mariadb', '--registry', 'registry', '--deploy', 'swarm,kubernetes,ecs,aca'], { env, timeoutMs: 60_000 });
  if (gen.code !== 0) throw new Error(`generating the project failed:\n${describeRun(gen)}`);
  const blocks = parseLesson(readFileSync(join(dir, 'WORKSHOP.md'), 'utf8'));
  steps = new Map(blocks.filter((b) => b.kind === 'step').map((b) => [b.id!, b]));
});

afterAll(async () => {
  const problems: string[] = [];
  if (root && existsSync(dir)) {
    // Containers the lesson ran by name (all start with the project name), then the stack.
    const ps = sh('docker', ['ps', '-aq', '--filter', `name=^${PROJECT}-`]);
    const ids = `${ps.stdout}`.split('\n').filter(Boolean);
    if (ids.length) sh('docker', ['rm', '-f', ...ids]);
    const down = await run('docker', ['compose', 'down', '-v', '--remove-orphans', '--rmi', 'local', '--timeout', '5'], { cwd: dir, env, timeoutMs: 180_000 });
    if (down.code !== 0) problems.push(describeRun(down));
    // Images: the committed one, the app's, and every tag the push made.
    const images = sh('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    const ours = `${images.stdout}`.split('\n').filter((ref) => ref.startsWith(`${PROJECT}-`) || (registry && ref.startsWith(`${registry.host}/`)));
    if (ours.length) sh('docker', ['image', 'rm', '-f', ...ours]);
    // Images Compose built for the project and `docker build -t` then untagged.
    const built = sh('docker', ['image', 'ls', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`]);
    const builtIds = [...new Set(`${built.stdout}`.split('\n').filter(Boolean))];
    if (builtIds.length) sh('docker', ['image', 'rm', '-f', ...builtIds]);
    const volumes = sh('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`]);
    const vols = `${volumes.stdout}`.split('\n').filter(Boolean);
    if (vols.length) sh('docker', ['volume', 'rm', '-f', ...vols]);
    const left = sh('docker', ['ps', '-aq', '--filter', `name=^${PROJECT}-`]);
    if (`${left.stdout}`.trim()) problems.push(`containers left: ${left.stdout}`);
  }
  registry?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
  if (problems.length) console.warn(banner(`clean-up of ${PROJECT} had problems:\n${problems.join('\n')}`));
  if (timings.length) console.log(`figures [lesson ${PROJECT}]:\n  ${timings.join('\n  ')}`);
});

async function runStep(block: ParsedBlock): Promise<{ ran: Ran; problems: string[]; attempts: number }> {
  const expectation = block.expect ?? {};
  const attempts = 1 + (expectation.retries ?? 0);
  let last: { ran: Ran; problems: string[] } | undefined;
  for (let i = 1; i <= attempts; i++) {
    const ran = await run('bash', ['-e', '-o', 'pipefail', '-c', block.text], { cwd: dir, env, timeoutMs: 600_000 });
    const problems = checkExpect(expectation, { code: ran.code, stdout: ran.stdout, stderr: ran.stderr }, (f) => existsSync(join(dir, f)));
    last = { ran, problems };
    if (problems.length === 0) return { ...last, attempts: i };
    if (i < attempts) await sleep(1000);
  }
  return { ...last!, attempts };
}

describe(`live: WORKSHOP.md of a --workshop project (${PROJECT}), every step in order`, () => {
  it('the lesson has exactly the steps the generator derives, each a bash block with an expectation', () => {
    expect([...steps.keys()]).toEqual(STEP_IDS);
    for (const b of steps.values()) expect(b.text.trim(), b.id).not.toBe('');
  });

  for (const id of STEP_IDS) {
    it(`step ${id}`, async () => {
      if (failedAt) throw new Error(`not run: the earlier step ${failedAt} failed, and the lesson builds on every step before`);
      const block = steps.get(id);
      expect(block, `WORKSHOP.md has the step ${id}`).toBeDefined();
      const { ran, problems, attempts } = await runStep(block!);
      timings.push(`${id}: ${sec(ran.ms)}${attempts > 1 ? ` (attempt ${attempts})` : ''}`);
      if (['bundle', 'offline-load', 'build', 'push', 'up', 'stop-pid1', 'doctor'].includes(id)) figure(`${id}: ${sec(ran.ms)}`);
      if (problems.length) {
        failedAt = id;
        expect.fail(`step ${id} (WORKSHOP.md line ${block!.line}) broke its promise:\n  - ${problems.join('\n  - ')}\n\n${describeRun(ran, 30)}`);
      }
      // What some steps promise beyond the marker, checked here against the engine.
      if (id === 'bundle') {
        const size = readFileSync(join(dir, 'offline/images.tar.gz')).length;
        figure(`offline archive: ${(size / 1024 ** 2).toFixed(1)} MiB`);
      }
      if (id === 'push') {
        expect(await registry!.catalog()).toContain(PROJECT);
      }
      if (id === 'stop-pid1') {
        // docker stop waited the full grace period: PID 1 ignored SIGTERM, as the lesson says.
        expect(ran.ms, 'docker stop of a PID 1 without --init takes the 10 s grace period').toBeGreaterThan(9000);
      }
    });
  }
});
