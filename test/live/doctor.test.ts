// Live: `wpsn-docker doctor` on this machine (a real engine, Compose and Buildx): it passes
// for a generated project, and fails with the right fix in each simulated fault: a busy
// host port (a program, and a container), an unreachable engine (DOCKER_HOST pointing
// nowhere), and a missing image. The project's own running stack holding its port passes.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE } from '../../schema/defaults.ts';
import { BIN, buildDistLocked } from '../unit/helpers/build.ts';
import { imageAvailable } from './helpers/engine.ts';
import { describeRun, freePort, run, type Ran } from './helpers/run.ts';
import { composeEnv } from './helpers/stack.ts';

interface Check {
  id: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  fix?: string;
}
interface Report {
  ok: boolean;
  lang: string;
  failed: number;
  checks: Check[];
}

const HEX = randomBytes(3).toString('hex');
const env = composeEnv();
delete env['DOCKER_HOST'];
let root: string | undefined;
const projects: string[] = [];
const containers: string[] = [];

async function generate(name: string, args: string[] = []): Promise<{ dir: string; port: number; project: string }> {
  const project = `wpsndoctor-${name}-${HEX}`;
  const dir = join(root!, project);
  const port = await freePort();
  const r = await run(process.execPath, [BIN, dir, '--yes', '--project-name', project, '--host-port', String(port), ...args], { env, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(describeRun(r));
  projects.push(dir);
  return { dir, port, project };
}

function doctor(dir: string, args: string[] = [], extra: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return run(process.execPath, [BIN, 'doctor', ...args], { cwd: dir, env: { ...env, ...extra }, timeoutMs: 180_000 });
}

async function doctorJson(dir: string, args: string[] = [], extra: NodeJS.ProcessEnv = {}): Promise<{ ran: Ran; report: Report }> {
  const ran = await doctor(dir, ['--json', ...args], extra);
  let report: Report;
  try {
    report = JSON.parse(ran.stdout) as Report;
  } catch {
    throw new Error(`doctor --json printed no JSON:\n${describeRun(ran)}`);
  }
  return { ran, report };
}

const only = (report: Report, id: string): Check[] => report.checks.filter((c) => c.id === id);

function listen(port: number): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePromise(server));
  });
}

beforeAll(() => {
  buildDistLocked();
  for (const image of [DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE, 'debian:bookworm-slim']) {
    const a = imageAvailable(image);
    if (!a.available) throw new Error(`the image ${image} is not available (${a.how}): run bash scripts/test-env.sh`);
  }
  root = mkdtempSync(join(realpathSync(tmpdir()), 'wpsn-doctor-'));
});

afterAll(async () => {
  if (containers.length) spawnSync('docker', ['rm', '-f', ...containers], { env });
  for (const dir of projects) {
    await run('docker', ['compose', 'down', '-v', '--remove-orphans', '--rmi', 'local', '--timeout', '5'], { cwd: dir, env, timeoutMs: 180_000 });
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('live: wpsn-docker doctor', () => {
  it('passes on this machine for a generated project: every check ok (or a warning), exit 0', async () => {
    const { dir, port } = await generate('ok');
    const text = await doctor(dir);
    expect(text.code, describeRun(text)).toBe(0);
    expect(text.stdout).toContain('ready: the stack can start');
    expect(text.stdout).not.toContain('[fail]');
    const { ran, report } = await doctorJson(dir);
    expect(ran.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(new Set(report.checks.map((c) => c.id))).toEqual(new Set(['engine', 'compose', 'buildx', 'config', 'ports', 'images', 'appImage', 'disk', 'arch', 'clock']));
    for (const c of report.checks) expect(['ok', 'warn'], `${c.id}: ${c.detail}`).toContain(c.status);
    // What it reports is what this machine has.
    const compose = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8', env }).stdout.trim();
    expect(only(report, 'compose')[0]!.detail).toContain(compose);
    expect(only(report, 'engine')[0]!.detail).toContain(spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', env }).stdout.trim());
    expect(only(report, 'ports')[0]!.detail).toBe(`127.0.0.1:${port} is free`);
    expect(only(report, 'images').map((c) => c.detail.split(':').slice(0, 2).join(':'))).toEqual([DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE]);
  });

  it('a busy host port: exit 1, the port check fails, and the fix says how to free it or move the app', async () => {
    const { dir, port } = await generate('busy');
    const server = await listen(port);
    try {
      const text = await doctor(dir);
      expect(text.code, describeRun(text)).toBe(1);
      expect(text.stdout).toMatch(new RegExp(`^\\[fail\\] +host port +127\\.0\\.0\\.1:${port} is in use by another program$`, 'm'));
      expect(text.stdout).toMatch(new RegExp(`^ +fix: stop the program using it \\(find it: lsof -iTCP:${port} .*wpsn-docker --yes --host-port ${port + 10}$`, 'm'));
      expect(text.stdout).toContain('not ready: 1 check failed');
      const { report } = await doctorJson(dir);
      expect(report.failed).toBe(1);
      expect(only(report, 'ports')[0]).toMatchObject({ status: 'fail' });
    } finally {
      server.close();
    }
  });

  it('a host port held by another container: the fix names the container to stop', async () => {
    const { dir, port } = await generate('container');
    const name = `wpsndoctor-holder-${HEX}`;
    containers.push(name);
    const r = spawnSync('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:80`, 'debian:bookworm-slim', 'sleep', '300'], { encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    const { ran, report } = await doctorJson(dir);
    expect(ran.code).toBe(1);
    expect(only(report, 'ports')[0]).toMatchObject({ status: 'fail', detail: `127.0.0.1:${port} is in use by container ${name}` });
    expect(only(report, 'ports')[0]!.fix).toContain(`docker stop ${name}`);
  });

  it("the project's own running stack holding its port passes", async () => {
    const { dir, port } = await generate('up');
    const up = await run('docker', ['compose', 'up', '-d', '--build', '--wait', '--wait-timeout', '240'], { cwd: dir, env, timeoutMs: 600_000 });
    expect(up.code, describeRun(up)).toBe(0);
    const { ran, report } = await doctorJson(dir);
    expect(ran.code, describeRun(ran)).toBe(0);
    expect(only(report, 'ports')[0]).toMatchObject({ status: 'ok' });
    expect(only(report, 'ports')[0]!.detail).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port} is held by this stack's running container wpsndoctor-up-${HEX}-app-1$`));
    expect(only(report, 'appImage')[0]!.detail).toBe(`wpsndoctor-up-${HEX}-app: built`);
  });

  it('an unreachable engine (DOCKER_HOST pointing nowhere): exit 1, the engine fix, the rest still checked or skipped', async () => {
    const { dir } = await generate('noengine');
    const host = `unix://${join(root!, 'nonexistent.sock')}`;
    const text = await doctor(dir, [], { DOCKER_HOST: host });
    expect(text.code, describeRun(text)).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`^\\[fail\\] +Docker Engine +DOCKER_HOST=${host.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} does not answer: .*ENOENT`, 'm'));
    expect(text.stdout).toMatch(/^ +fix: start the engine DOCKER_HOST=.* points at, or unset DOCKER_HOST to use this machine's own$/m);
    const { report } = await doctorJson(dir, [], { DOCKER_HOST: host });
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    // Client-side checks still run; the ones that need the engine say they were skipped.
    expect(status).toMatchObject({ engine: 'fail', compose: 'ok', buildx: 'ok', ports: 'ok', images: 'skip', disk: 'skip', arch: 'skip', clock: 'skip' });
  });

  it('a missing image: exit 1; the fix is docker pull or the offline bundle, and with a bundle here, the load script', async () => {
    const missing = 'wpsn-doctor-missing:1';
    const { dir } = await generate('missing', ['--redis-image', missing, '--workshop']);
    const text = await doctor(dir, ['--pull-timeout', '20']);
    expect(text.code, describeRun(text)).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`^\\[fail\\] +image +${missing}: missing, and docker pull failed: `, 'm'));
    expect(text.stdout).toContain(`fix: docker pull ${missing} on a network that reaches the registry, or copy the instructor's offline/ folder here and run scripts/offline-load.sh`);
    const noPull = await doctorJson(dir, ['--no-pull']);
    expect(noPull.ran.code).toBe(1);
    expect(only(noPull.report, 'images').find((c) => c.detail.startsWith(missing))).toMatchObject({ status: 'fail', detail: `${missing}: missing (not pulled: --no-pull)` });
    // An offline bundle that holds it: the fix is to load it.
    mkdirSync(join(dir, 'offline'));
    writeFileSync(join(dir, 'offline/images.txt'), `${missing} sha256:${'0'.repeat(64)} linux/amd64 1000\n`);
    writeFileSync(join(dir, 'offline/images.tar.gz'), '');
    const bundled = await doctorJson(dir);
    expect(bundled.ran.code).toBe(1);
    expect(only(bundled.report, 'images').find((c) => c.detail.startsWith(missing))).toMatchObject({
      status: 'fail',
      detail: `${missing}: missing; the offline bundle here (offline/images.tar.gz) has it`,
      fix: 'load the offline bundle that is here: scripts/offline-load.sh',
    });
    // A bundle made on another CPU architecture (an arm64 laptop's, for this amd64 engine) is
    // caught before loading it: a failure, or a warning where binfmt_misc can emulate it.
    const engineArch = spawnSync('docker', ['info', '--format', '{{.Architecture}}'], { encoding: 'utf8', env }).stdout.trim();
    const foreign = engineArch === 'aarch64' ? 'amd64' : 'arm64';
    writeFileSync(join(dir, 'offline/images.txt'), `${missing} sha256:${'0'.repeat(64)} linux/${foreign} 1000\n`);
    const arch = only((await doctorJson(dir)).report, 'arch');
    const emulated = existsSync(`/proc/sys/fs/binfmt_misc/qemu-${foreign === 'arm64' ? 'aarch64' : 'x86_64'}`);
    expect(arch).toHaveLength(1);
    expect(arch[0]).toMatchObject({ status: emulated ? 'warn' : 'fail' });
    expect(arch[0]!.detail).toContain(`${missing} (offline/images.tar.gz) is ${foreign}`);
    expect(arch[0]!.fix).toContain('docker pull --platform linux/');
  });

  it("speaks the project's language: Korean for a --lang ko project", async () => {
    const { dir, port } = await generate('ko', ['--lang', 'ko']);
    const server = await listen(port);
    try {
      const text = await doctor(dir);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('준비 안 됨: 1개 항목이 실패했습니다');
      expect(text.stdout).toMatch(/^\[fail\] +호스트 포트 +127\.0\.0\.1:\d+ 포트를 다른 프로그램이 쓰고 있습니다$/m);
      expect(text.stdout).toMatch(/^ +해결: /m);
      expect((await doctorJson(dir)).report.lang).toBe('ko');
    } finally {
      server.close();
    }
  });
});
