// `wpsn-docker doctor` against the minimum Engine and Compose versions README.Docker.md
// states (Engine 25 / API 1.44 for the health checks' start interval, Compose 2.22): a fake
// engine (an HTTP server on a unix socket answering /version) and a fake docker CLI (which
// prints the Compose and Buildx versions it is told to) stand in for old and new installs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOSE_MIN, COMPOSE_WATCH_MIN, doctor, ENGINE_MIN, engineTooOld, MESSAGES, type CheckResult } from '../../bin/commands/doctor.ts';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'wpsn-doctor-versions-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake engine on a unix socket: /version answers with the given versions, lists are empty. */
async function fakeEngine(name: string, version: string, api: string): Promise<{ socket: string; server: Server }> {
  const socket = join(root, `${name}.sock`);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/v[\d.]+/, '').split('?')[0];
    res.setHeader('Content-Type', 'application/json');
    if (path === '/version') res.end(JSON.stringify({ Version: version, ApiVersion: api, Arch: 'amd64', Os: 'linux' }));
    else if (path === '/_ping') res.end('OK');
    else if (path === '/containers/json' || path === '/images/json') res.end('[]');
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ message: `no such thing in the fake engine: ${path}` }));
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { socket, server };
}

/** A docker CLI that reports the given Compose version and a Buildx, and fails everything else. */
function fakeCli(name: string, composeVersion: string): string {
  const bin = join(root, `${name}-bin`);
  mkdirSync(bin);
  const script = [
    '#!/bin/sh',
    `if [ "$1 $2 $3" = "compose version --short" ]; then echo '${composeVersion}'; exit 0; fi`,
    'if [ "$1 $2" = "buildx version" ]; then echo "github.com/docker/buildx v0.17.1 abc"; exit 0; fi',
    'echo "fake docker: $*" >&2',
    'exit 1',
    '',
  ].join('\n');
  writeFileSync(join(bin, 'docker'), script, { mode: 0o755 });
  return bin;
}

async function run(name: string, engine: { version: string; api: string }, composeVersion: string, files: Record<string, string> = {}): Promise<Map<string, CheckResult>> {
  const { socket, server } = await fakeEngine(name, engine.version, engine.api);
  const project = mkdtempSync(join(root, `${name}-project-`));
  for (const [file, content] of Object.entries(files)) writeFileSync(join(project, file), content);
  try {
    const bin = fakeCli(name, composeVersion);
    const env = { DOCKER_HOST: `unix://${socket}`, PATH: `${bin}:/usr/bin:/bin`, HOME: root };
    const { results } = await doctor({ dir: project, json: true, pull: false, pullTimeoutMs: 1000, lang: 'en' }, env);
    return new Map(results.map((r) => [r.id, r]));
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('doctor: minimum Engine and Compose versions', () => {
  it('knows the API version that brought the start interval', () => {
    expect(ENGINE_MIN).toEqual({ version: '25.0', api: '1.44', desktop: '4.27' });
    expect(COMPOSE_MIN).toEqual([2, 22, 0]);
    expect(COMPOSE_WATCH_MIN).toEqual([2, 24, 4]);
    expect(engineTooOld('1.43')).toBe(true);
    expect(engineTooOld('1.41')).toBe(true);
    expect(engineTooOld('1.44')).toBe(false);
    expect(engineTooOld('1.47')).toBe(false);
    expect(engineTooOld('2.0')).toBe(false);
    // Nothing readable: not called old (the engine check itself says what it found).
    expect(engineTooOld(undefined)).toBe(false);
    expect(engineTooOld('?')).toBe(false);
  });

  it('fails an Engine 24 and a Compose 2.21, naming the minimum and the fix', async () => {
    const checks = await run('old', { version: '24.0.7', api: '1.43' }, '2.21.0');
    const engine = checks.get('engine')!;
    expect(engine.status).toBe('fail');
    expect(engine.detail).toContain('Docker 24.0.7, API 1.43');
    expect(engine.detail).toContain('Docker Engine 25.0 or later (API 1.44)');
    expect(engine.detail).toContain('start_interval');
    expect(engine.fix).toBe(MESSAGES.en.engineOldFix());
    const compose = checks.get('compose')!;
    expect(compose.status).toBe('fail');
    expect(compose.detail).toBe('version 2.21.0: the stack needs 2.22 or later (health check start_interval, docker compose watch)');
    expect(compose.fix).toBe(MESSAGES.en.composeOldFix());
  });

  it('accepts an Engine 25 and a Compose 2.22', async () => {
    const checks = await run('new', { version: '25.0.3', api: '1.44' }, 'v2.22.0-desktop.1');
    expect(checks.get('engine')).toMatchObject({ status: 'ok', detail: expect.stringContaining('Docker 25.0.3, API 1.44') });
    expect(checks.get('compose')).toMatchObject({ status: 'ok', detail: 'version v2.22.0-desktop.1' });
    expect(checks.get('buildx')?.status).toBe('ok');
  });

  it("warns a Compose older than 2.24.4 only where there is a compose.watch.yaml, whose !override tag it cannot read", async () => {
    const watch = { 'compose.watch.yaml': 'services:\n  app:\n    develop: !override\n      watch: []\n' };
    const old = (await run('watch-old', { version: '25.0.3', api: '1.44' }, '2.24.3', watch)).get('compose')!;
    expect(old.status).toBe('warn');
    expect(old.detail).toBe('version 2.24.3: the stack runs, but compose.watch.yaml (docker compose watch) needs 2.24.4 or later (its !override tag)');
    expect((await run('watch-none', { version: '25.0.3', api: '1.44' }, '2.24.3')).get('compose')?.status).toBe('ok');
    expect((await run('watch-new', { version: '25.0.3', api: '1.44' }, '2.24.4', watch)).get('compose')?.status).toBe('ok');
  });
});
