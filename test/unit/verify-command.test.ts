// `wpsn-docker verify` without an engine: reading the project, DOCKER_HOST, and turning
// what the engine reports into rows, reasons and the exit decision. The live suite
// (test/live/compose-stack.test.ts) runs it against a real stack.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assess,
  containerRow,
  engineTarget,
  progressSummary,
  projectNameFromDotEnv,
  readProject,
  renderTable,
  VerifyUsageError,
} from '../../bin/commands/verify.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wpsn-verify-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
const yoRc = (answers: Record<string, unknown>) => JSON.stringify({ 'generator-wpsn-docker': { answers, sampleApp: true } });

type Info = Dockerode.ContainerInspectInfo;
function info(over: {
  service: string;
  status?: string;
  exitCode?: number;
  health?: { Status: string; Log?: Array<{ ExitCode: number; Output: string }> };
  user?: string;
}): Info {
  return {
    Name: `/demo-${over.service}-1`,
    State: {
      Status: over.status ?? 'running',
      Running: (over.status ?? 'running') === 'running',
      ExitCode: over.exitCode ?? 0,
      Error: '',
      ...(over.health ? { Health: { Status: over.health.Status, FailingStreak: 0, Log: (over.health.Log ?? []).map((l) => ({ Start: '', End: '', ...l })) } } : {}),
    },
    Config: { User: over.user ?? '', Labels: { 'com.docker.compose.service': over.service } },
    NetworkSettings: {
      Ports: over.service === 'app' ? { '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: '3000' }], '9229/tcp': null } : {},
      Networks: { demo_backend: {}, ...(over.service === 'app' ? { demo_frontend: {} } : {}) },
    },
    Mounts: over.service === 'redis' ? [{ Type: 'volume', Name: 'demo_redis-data', Source: '/x', Destination: '/data' }, { Type: 'bind', Source: '/s', Destination: '/run/secrets/redis_acl' }] : [],
  } as unknown as Info;
}

describe('readProject', () => {
  it('takes the expected services from the answers (db only with a database) and the name Compose would use', () => {
    const plain = project({ '.yo-rc.json': yoRc({ projectName: 'demo' }) });
    expect(readProject(plain, {})).toMatchObject({ name: 'demo', nameSource: '.yo-rc.json', expected: ['app', 'redis'] });
    const withDb = project({ '.yo-rc.json': yoRc({ projectName: 'demo', database: { kind: 'postgres' } }), 'docker-compose.yml': 'name: "other"\nservices: {}\n' });
    expect(readProject(withDb, {})).toMatchObject({ name: 'other', nameSource: 'docker-compose.yml', expected: ['app', 'redis', 'db'] });
    expect(readProject(withDb, { COMPOSE_PROJECT_NAME: 'fromenv' }).name).toBe('fromenv');
    expect(readProject(withDb, {}, 'flagged').name).toBe('flagged');
    writeFileSync(join(withDb, '.env'), '# settings\nCOMPOSE_PROJECT_NAME="dotenv"\n');
    expect(readProject(withDb, {})).toMatchObject({ name: 'dotenv', nameSource: '.env' });
  });

  it('expects every service of the stack: the catalog\'s (--services) and the extras too, in docker-compose.yml\'s order', () => {
    const dir = project({
      '.yo-rc.json': yoRc({ projectName: 'demo', database: { kind: 'mariadb' }, services: ['nats', 'valkey'], extraServices: [{ name: 'worker', image: 'busybox:1.37' }] }),
    });
    expect(readProject(dir, {}).expected).toEqual(['app', 'redis', 'db', 'valkey', 'nats', 'worker']);
  });

  it('falls back to the compose file alone, and refuses a directory that is not a project', () => {
    const composeOnly = project({ 'docker-compose.yml': 'name: solo\nservices:\n  web: {}\n  cache: {}\n' });
    expect(readProject(composeOnly, {})).toMatchObject({ name: 'solo', expected: ['web', 'cache'] });
    const empty = project({});
    expect(() => readProject(empty, {})).toThrow(VerifyUsageError);
    expect(() => readProject(empty, {})).toThrow(/not a generated project/);
    const broken = project({ '.yo-rc.json': '{ nope' });
    expect(() => readProject(broken, {})).toThrow(/\.yo-rc\.json/);
  });
});

describe('projectNameFromDotEnv', () => {
  it.each([
    ['COMPOSE_PROJECT_NAME=abc', 'abc'],
    ["export COMPOSE_PROJECT_NAME='q-1'", 'q-1'],
    ['COMPOSE_PROJECT_NAME=abc # note', 'abc'],
    ['OTHER=1\n# COMPOSE_PROJECT_NAME=no', undefined],
    ['COMPOSE_PROJECT_NAME=', undefined],
  ])('%j -> %j', (text, name) => {
    expect(projectNameFromDotEnv(text)).toBe(name);
  });
});

describe('engineTarget', () => {
  it('uses the default socket, unix:// paths and tcp:// addresses', () => {
    expect(engineTarget({}, () => false)).toEqual({ description: 'unix:///var/run/docker.sock', options: { socketPath: '/var/run/docker.sock' } });
    expect(engineTarget({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }).options).toEqual({ socketPath: '/run/user/1000/docker.sock' });
    expect(engineTarget({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toEqual({ description: 'tcp://127.0.0.1:2375', options: { host: '127.0.0.1', port: '2375', protocol: 'http' } });
    expect(engineTarget({ DOCKER_HOST: 'tcp://[::1]:2375' }).options).toMatchObject({ host: '::1', port: '2375' });
    expect(engineTarget({ DOCKER_HOST: 'localhost:12345' }).options).toMatchObject({ host: 'localhost', port: '12345', protocol: 'http' });
  });

  it('rejects an address it cannot use, and TLS without readable certificates', () => {
    expect(() => engineTarget({ DOCKER_HOST: 'ftp://x' })).toThrow(/not an engine address/);
    expect(() => engineTarget({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_CERT_PATH: '/nonexistent' })).toThrow(/certificates/);
  });
});

describe('rows, reasons and the decision', () => {
  it('passes running healthy containers and shows ports, named volumes, networks and the user', () => {
    const app = containerRow(info({ service: 'app', health: { Status: 'healthy' }, user: 'node' }));
    const redis = containerRow(info({ service: 'redis', health: { Status: 'healthy' }, user: '999:999' }));
    expect(app).toMatchObject({ ok: true, ports: ['127.0.0.1:3000->3000/tcp'], networks: ['demo_backend', 'demo_frontend'], user: 'node' });
    expect(redis).toMatchObject({ ok: true, ports: [], volumes: ['demo_redis-data:/data'], user: '999:999' });
    expect(assess(['app', 'redis'], [app, redis])).toMatchObject({ ok: true, reasons: [] });
    const table = renderTable(assess(['app', 'redis'], [app, redis]).services);
    expect(table.split('\n')[0]).toMatch(/^SERVICE\s+STATE\s+HEALTH\s+PORTS\s+VOLUMES\s+NETWORKS\s+USER$/);
    expect(table).toMatch(/^redis\s+running\s+healthy\s+-\s+demo_redis-data:\/data\s+demo_backend\s+999:999$/m);
  });

  it('gives one line per failing service: stopped, unhealthy with the last check output, starting, missing', () => {
    const rows = [
      containerRow(info({ service: 'app', health: { Status: 'unhealthy', Log: [{ ExitCode: 1, Output: 'old' }, { ExitCode: 1, Output: 'fetch failed\n  ECONNREFUSED' }] } })),
      containerRow(info({ service: 'redis', status: 'exited', exitCode: 0, health: { Status: 'unhealthy' } })),
    ];
    const result = assess(['app', 'redis', 'db'], rows);
    expect(result.ok).toBe(false);
    expect(result.reasons).toEqual(['app: unhealthy: fetch failed ECONNREFUSED', 'redis: not running (exited 0)', 'db: no container']);
    expect(progressSummary(result.services)).toBe('app (unhealthy), redis (exited), db (no container)');
    const starting = containerRow(info({ service: 'app', health: { Status: 'starting' } }));
    expect(starting.reason).toBe('starting: no check has finished yet');
    expect(containerRow(info({ service: 'app', status: 'restarting', exitCode: 1 })).reason).toBe('not running (restarting, last exit 1)');
  });

  it('counts a running container without a healthcheck as up (as compose up --wait does), and root when no user is set', () => {
    const row = containerRow(info({ service: 'redis' }));
    expect(row).toMatchObject({ ok: true, health: 'none', user: 'root' });
  });

  it('ignores failing services it does not expect, but lists them', () => {
    const extra = containerRow(info({ service: 'worker', status: 'exited', exitCode: 1 }));
    const ok = ['app', 'redis'].map((service) => containerRow(info({ service, health: { Status: 'healthy' } })));
    const result = assess(['app', 'redis'], [...ok, extra]);
    expect(result.ok).toBe(true);
    expect(result.services.find((s) => s.service === 'worker')).toMatchObject({ expected: false, ok: false });
  });
});
