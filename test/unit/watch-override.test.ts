// compose.watch.yaml, the development override for `docker compose watch`: its shape for
// each way an app runs (sync + the watch restarter, sync + restart, rebuild), that it only
// loosens what watch needs while the stack's own file stays as it was, and that Compose
// and the Compose Specification's JSON Schema read it as meant (its rules replace the
// stack file's, they are not appended). How fast an edit is served is bench/watch.ts's job.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, type Tags } from 'yaml';
import { deriveModel } from '../../core/model.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { WATCH_FILE, watchMode } from '../../core/render/watch.ts';
import { restarterSource } from '../../core/render/watch-restarter.ts';
import { resolveSpec } from '../../core/spec.ts';
import { cleanEnv, ensureBuilt, makeTempDir, removeTempDirs, runCli } from './helpers/cli.ts';

type Obj = Record<string, any>;

/** Compose's merge tag, read as the plain map it marks. */
const composeTags: Tags = [{ tag: '!override', collection: 'map', resolve: (map) => map }];

function render(values: Record<string, unknown>, sampleApp = true) {
  const model = deriveModel(resolveSpec([{ source: 'test', values }], { dirName: 'demo' }), { sampleApp });
  const byPath = new Map(renderAppFiles(model).map((f) => [f.path, f.content]));
  const text = byPath.get(WATCH_FILE);
  expect(text, `${WATCH_FILE} is rendered`).toBeDefined();
  return {
    model,
    text: text!,
    override: parseYaml(text!, { customTags: composeTags }) as Obj,
    compose: parseYaml(byPath.get('docker-compose.yml')!) as Obj,
    dockerignore: byPath.get('.dockerignore')!,
  };
}

describe(WATCH_FILE, () => {
  it('the sample app: synced into /app, restarted by the watch restarter; manifests rebuild', () => {
    const r = render({});
    expect(watchMode(r.model.app)).toBe('node-watch');
    const app = r.override.services.app as Obj;
    expect(Object.keys(r.override.services)).toEqual(['app']);
    // Compose's JSON leaves out a false read_only.
    expect(app.read_only ?? false).toBe(false);
    expect(app.command).toEqual(['node', '--input-type=module', '--eval', restarterSource({ root: '/app', ignore: [] }), '--', 'server.js']);
    // The restarter's source reads as a block, line by line, not as one quoted line.
    expect(r.text).toMatch(/^ {6}- \|\n {8}\/\/ Starts the app/m);
    expect(app.environment).toEqual({ NODE_COMPILE_CACHE: '/tmp/node-compile-cache' });
    const [sync, ...rebuilds] = app.develop.watch as Obj[];
    expect(sync).toEqual({
      action: 'sync',
      path: '.',
      target: '/app',
      ignore: ['node_modules/', '.git/', 'secrets/', '.env', ...r.model.app.install.manifests],
    });
    expect(rebuilds).toEqual(r.model.app.install.manifests.map((path) => ({ action: 'rebuild', path })));
    // The rules replace the stack file's (Compose appends lists otherwise).
    expect(r.text).toMatch(/^ {4}develop: !override$/m);
    expect(r.text).toContain(`docker compose -f docker-compose.yml -f ${WATCH_FILE} watch`);
  });

  it('changes nothing in the stack\'s own file: read-only, its command, rebuild rules', () => {
    const r = render({});
    const app = r.compose.services.app as Obj;
    expect(app.read_only).toBe(true);
    expect(app.command).toBeUndefined();
    expect((app.develop.watch as Obj[]).every((w) => w.action === 'rebuild')).toBe(true);
    // Never in the image, never synced.
    expect(r.dockerignore.split('\n')).toContain(WATCH_FILE);
  });

  it('the app\'s own Node options stay its own (after --), its writable folders do not restart it, "$" stays literal', () => {
    const r = render({ app: { command: ['node', '--enable-source-maps', 'server.js', '--tag=$HOME'], writableDirs: ['uploads', 'var/cache'] } }, false);
    const command = r.override.services.app.command as string[];
    expect(command.slice(0, 3)).toEqual(['node', '--input-type=module', '--eval']);
    expect(command.slice(4)).toEqual(['--', '--enable-source-maps', 'server.js', '--tag=$$HOME']);
    expect(command[3]).toBe(restarterSource({ root: '/app', ignore: ['uploads', 'var/cache'] }));
  });

  it('pnpm: the lockfile and workspace manifests are the rebuild rules', () => {
    const r = render({ app: { packageManager: 'pnpm' } });
    const rules = r.override.services.app.develop.watch as Obj[];
    expect(rules.filter((w) => w.action === 'rebuild').map((w) => w.path)).toEqual(r.model.app.install.manifests);
    expect(r.model.app.install.manifests).toContain('pnpm-lock.yaml');
  });

  it('an app with a build step (TypeScript): every change rebuilds; nothing loosened', () => {
    const r = render({ app: { buildScript: 'build', command: ['node', 'dist/server.js'] } }, false);
    expect(watchMode(r.model.app)).toBe('rebuild');
    const app = r.override.services.app as Obj;
    expect(app.read_only).toBeUndefined();
    expect(app.command).toBeUndefined();
    expect((app.develop.watch as Obj[]).every((w) => w.action === 'rebuild')).toBe(true);
    expect((app.develop.watch as Obj[])[0]).toEqual({ action: 'rebuild', path: '.', ignore: ['node_modules/', '.git/', 'secrets/', '.env'] });
  });

  it('an app started by npm (it would not restart on its own): synced, then the container restarted', () => {
    const r = render({ app: { command: ['npm', 'start'] } }, false);
    expect(watchMode(r.model.app)).toBe('sync-restart');
    const app = r.override.services.app as Obj;
    expect(app.read_only).toBe(false);
    expect(app.command).toBeUndefined();
    expect((app.develop.watch as Obj[])[0]).toMatchObject({ action: 'sync+restart', path: '.', target: '/app' });
  });
});

// ---------------------------------------------------------------------------------
// Compose and the Compose Specification read it as meant.

function docker(args: string[], cwd: string) {
  return spawnSync('docker', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, env: cleanEnv({ DOCKER_CLI_HINTS: 'false' }) });
}

describe(`${WATCH_FILE} with docker compose`, () => {
  let dir = '';
  let composeOk = false;
  beforeAll(() => {
    ensureBuilt();
    const parent = makeTempDir('wpsn-watch-');
    const result = runCli(parent, ['demo', '--yes']);
    expect(result.code, result.describe).toBe(0);
    dir = join(parent, 'demo');
    const version = docker(['compose', 'version'], dir);
    composeOk = !version.error && version.status === 0;
    if (!composeOk && process.env['CI'] === 'true') throw new Error('docker compose is required in CI: run scripts/test-env.sh');
    if (!composeOk) console.warn(`\n!!! docker compose is not available: the ${WATCH_FILE} config check did NOT run.\n`);
  });
  afterAll(() => removeTempDirs());

  it('docker compose config: the override\'s rules replace the stack file\'s; the stack file alone stays read-only', () => {
    if (!composeOk) return;
    const both = docker(['compose', '-f', 'docker-compose.yml', '-f', WATCH_FILE, 'config', '--format', 'json'], dir);
    expect(both.status, both.stderr).toBe(0);
    const app = (JSON.parse(both.stdout) as Obj).services.app as Obj;
    // Compose's JSON leaves out a false read_only.
    expect(app.read_only ?? false).toBe(false);
    expect(app.command).toEqual(['node', '--input-type=module', '--eval', restarterSource({ root: '/app', ignore: [] }), '--', 'server.js']);
    expect((app.develop.watch as Obj[]).map((w) => w.action)).toEqual(['sync', 'rebuild', 'rebuild']);
    // Everything else as in the stack's file: user, dropped capabilities, health dependency.
    expect(app.cap_drop).toEqual(['ALL']);
    expect(app.depends_on.redis.condition).toBe('service_healthy');

    const alone = docker(['compose', '-f', 'docker-compose.yml', 'config', '--format', 'json'], dir);
    expect(alone.status, alone.stderr).toBe(0);
    const prod = (JSON.parse(alone.stdout) as Obj).services.app as Obj;
    expect(prod.read_only).toBe(true);
    expect((prod.develop.watch as Obj[]).every((w) => w.action === 'rebuild')).toBe(true);
  });

  it('the Compose Specification JSON Schema accepts it (when WPSN_COMPOSE_SCHEMA names a copy)', () => {
    const schemaPath = process.env['WPSN_COMPOSE_SCHEMA'];
    if (!schemaPath) return;
    const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as Obj);
    const file = parseYaml(readFileSync(join(dir, WATCH_FILE), 'utf8'), { customTags: composeTags }) as unknown;
    expect(validate(file), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });
});
