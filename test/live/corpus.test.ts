// Live proof on real apps that nobody on this project wrote: each app is made at test time by
// the generator its own project ships on npm (test/corpus/make-apps.ts: express-generator,
// create-next-app, the NestJS CLI, fastify-cli, express-generator-typescript,
// create-nx-workspace; pinned versions, from the npm cache when it has them), then
//
//   node dist/bin/wpsn-docker.js <app> --yes --project-name <run>-<app> --host-port <free>
//
// runs in the app's own folder with NO per-app flag: the project name and the free host port
// are the same harness-wide rule for every app, only so that stacks run side by side. Each
// supported app must then come up healthy with `docker compose up --build --wait` and answer
// GET / with its own page (a marker read from the app's own source). One more express-generator
// app gets a route that uses REDIS_URL and DATABASE_URL with node-redis and pg, reading no
// *_FILE variable, and is generated with --database postgres (a choice of service, not a flag
// about the app). The apps the generator cannot or should not run are checked for how it says
// so. Two apps also run the develop loop: `docker compose watch` with the generated
// compose.watch.yaml, one edit to their source, and the first response that shows it
// (express-generator: synced, the watch restarter restarts it; fastify-cli TypeScript: rebuilt,
// as its build step needs). Per app, the detected values, build time and image size are printed as "figure:" lines,
// and a table at the end.
//
// Time: up to three stacks build and run at once (BUILD_SLOTS); the maker runs in five
// processes, and each app goes on as soon as the maker reports it made. Every stack is torn
// down (down -v, --rmi local) as soon as its test is done, and again in afterAll, which also
// sweeps anything left under this run's project prefix.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_IMAGES } from '../../services/index.ts';
import { DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE } from '../../schema/defaults.ts';
import { buildDistLocked } from '../unit/helpers/build.ts';
import { expectNoPasswordShown } from './helpers/catalog.ts';
import { corpusNpmEnv, fetchPage, generateAgain, generateInto, limiter, makeApps, sweepProjects, type Detected, type Generated, type MadeApp } from './helpers/corpus.ts';
import { docker, projectContainers } from './helpers/docker.ts';
import { banner, describeWithoutEngine, imageAvailable, liveGate } from './helpers/engine.ts';
import { describeRun, run, until } from './helpers/run.ts';
import { compose, composeOk, removeStack, step, type Stack } from './helpers/stack.ts';
import { ComposeWatch } from './helpers/watch.ts';

const gate = liveGate();
const figure = (text: string): void => console.log(`figure: ${text}`);
const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** Stacks building and running at once: three keeps two cores busy without starving a build. */
const BUILD_SLOTS = 3;
const TEST_TIMEOUT = 900_000;
/** Every project of this run starts with it: stacks of parallel runs never meet, and the sweep finds ours. */
const RUN = `wpsncorpus-${randomBytes(3).toString('hex')}`;

type Expect = typeof expect;
type Page = Awaited<ReturnType<typeof fetchPage>>;

const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');
function sourceMatch(dir: string, file: string, pattern: RegExp): string {
  const m = pattern.exec(read(dir, file));
  if (!m?.[1]) throw new Error(`${file} no longer has ${pattern}: the app's template changed; update the marker`);
  return m[1];
}

// The app's own page, judged by its own source (never a string this test made up).
const servesFile = (file: string) => (dir: string, page: Page, x: Expect): string => {
  x(page.status).toBe(200);
  x(page.body, `GET / is ${file} as express.static serves it`).toBe(read(dir, file));
  return `= ${file}`;
};
const returnsString = (file: string) => (dir: string, page: Page, x: Expect): string => {
  const text = sourceMatch(dir, file, /return\s+'([^']+)'/);
  x(page.body, `GET / is the string ${file} returns`).toBe(text);
  return `= "${text}" (${file})`;
};
const returnsObject = (file: string) => (dir: string, page: Page, x: Expect): string => {
  const literal = sourceMatch(dir, file, /return\s+(\{[^{}]*\})/);
  x(page.contentType).toMatch(/^application\/json/);
  x(JSON.parse(page.body), `GET / is the object ${file} returns`).toEqual(new Function(`return (${literal})`)());
  return `= ${page.body} (${file})`;
};
const nextPage = (dir: string, page: Page, x: Expect): string => {
  const title = sourceMatch(dir, 'app/layout.tsx', /title:\s*["']([^"']+)["']/);
  const text = sourceMatch(dir, 'app/page.tsx', /<div>([^<]+)<\/div>/);
  x(page.body, 'the title app/layout.tsx sets').toContain(`<title>${title}</title>`);
  x(page.body, 'the text app/page.tsx renders').toContain(`>${text}<`);
  return `has <title>${title}</title> and "${text}" (app/layout.tsx, app/page.tsx)`;
};

/** The route added to the connected app: the usual clients, the usual variables, no *_FILE. */
const CONNECTED_ROUTE = `// Added by wpsn-docker's corpus test, not by express-generator: REDIS_URL and DATABASE_URL
// read the way apps usually read them, with node-redis and pg. No *_FILE variable is read.
var express = require('express');
var redis = require('redis');
var pg = require('pg');

var router = express.Router();

function hasPassword(name) {
  try {
    return new URL(process.env[name]).password !== '';
  } catch (e) {
    return false;
  }
}

router.get('/', async function (req, res) {
  var value = String(req.query.value || '');
  var out = { value: value, redisUrlHasPassword: hasPassword('REDIS_URL'), databaseUrlHasPassword: hasPassword('DATABASE_URL') };
  try {
    var client = redis.createClient({ url: process.env.REDIS_URL });
    client.on('error', function () {});
    await client.connect();
    await client.set('corpus:value', value);
    out.redis = await client.get('corpus:value');
    await (typeof client.close === 'function' ? client.close() : client.quit());
    var db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    await db.query('CREATE TABLE IF NOT EXISTS corpus_values (value text NOT NULL)');
    await db.query('INSERT INTO corpus_values (value) VALUES ($1)', [value]);
    var rows = (await db.query('SELECT value FROM corpus_values WHERE value = $1', [value])).rows;
    out.pg = rows.length === 1 ? rows[0].value : rows;
    await db.end();
    res.json(out);
  } catch (error) {
    out.error = String((error && error.message) || error);
    res.status(500).json(out);
  }
});

module.exports = router;
`;

async function addConnectedRoute(dir: string): Promise<void> {
  // The clients are installed with npm into the app, as its developer would.
  const r = await run('npm', ['install', 'redis@6', 'pg@8'], { cwd: dir, env: corpusNpmEnv(), timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`npm install redis pg failed:\n${describeRun(r)}`);
  writeFileSync(join(dir, 'routes/connected.js'), CONNECTED_ROUTE);
  const anchor = "app.use('/users', usersRouter);";
  const appJs = read(dir, 'app.js');
  if (!appJs.includes(anchor)) throw new Error(`express-generator's app.js no longer has ${anchor}`);
  writeFileSync(join(dir, 'app.js'), appJs.replace(anchor, `${anchor}\napp.use('/connected', require('./routes/connected'));`));
}

/** NODE_DEBUG=wpsn-docker's line when a run is answered from the project's re-run stamp. */
const ANSWERED = /^WPSN-DOCKER \d+: answered from .*\.wpsn-docker\.stamp\n/m;

/**
 * The same command again on the app as the first run left it, as a user re-runs it: answered
 * from the re-run stamp (bin/fast-rerun.ts), printing exactly what the full run prints; and
 * once package.json is written again (the same bytes, a new change time), a full run.
 */
async function rerunChecks(g: Generated, x: Expect): Promise<string> {
  const again = await generateAgain(g, { NODE_DEBUG: 'wpsn-docker' });
  x(again.code, describeRun(again)).toBe(0);
  x(again.stderr, `the re-run is answered from the stamp:\n${describeRun(again)}`).toMatch(ANSWERED);
  const full = await generateAgain(g, { WPSN_FULL_RUN: '1' });
  x(full.code, describeRun(full)).toBe(0);
  x(full.stdout, 'the full re-run changes nothing').toMatch(/^up to date: nothing changed$/m);
  x({ stdout: again.stdout, stderr: again.stderr.replace(ANSWERED, '') }, 'the answered re-run prints what the full run prints').toEqual({ stdout: full.stdout, stderr: full.stderr });
  const manifest = join(g.stack!.dir, 'package.json');
  writeFileSync(manifest, readFileSync(manifest));
  const touched = await generateAgain(g, { NODE_DEBUG: 'wpsn-docker' });
  x(touched.code, describeRun(touched)).toBe(0);
  x(touched.stderr, 'package.json written again: the stamp no longer holds').toMatch(/\.wpsn-docker\.stamp no longer holds: the full run/);
  x(touched.stderr).not.toMatch(ANSWERED);
  x(touched.stdout, 'and the full run still changes nothing').toBe(full.stdout);
  return `re-run answered from the stamp in ${sec(again.ms)} (as a full run ${sec(full.ms)})`;
}

async function connectedChecks(stack: Stack, x: Expect): Promise<string> {
  const value = randomBytes(8).toString('hex');
  const r = await fetchPage(`${stack.baseUrl}/connected?value=${value}`);
  x(r.status, r.body).toBe(200);
  const out = JSON.parse(r.body) as Record<string, unknown>;
  // The preload filled each password into the app's own copy of its URL.
  x(out).toEqual({ value, redisUrlHasPassword: true, databaseUrlHasPassword: true, redis: value, pg: value });
  // ... while the engine shows the URLs without one, and nothing else shows a password either.
  const app = (await projectContainers(stack.project)).get('app')![0]!;
  const env = new Map((app.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  for (const name of ['REDIS_URL', 'DATABASE_URL']) {
    x(env.has(name), `the app container's Env has ${name}`).toBe(true);
    x(new URL(env.get(name)!).password, `${name} in docker inspect`).toBe('');
  }
  await expectNoPasswordShown(stack);
  const composeFile = read(stack.dir, 'docker-compose.yml');
  x(stack.passwords.size).toBeGreaterThanOrEqual(4);
  for (const [file, password] of stack.passwords) x(composeFile.includes(password), `docker-compose.yml holds the password of secrets/${file}`).toBe(false);
  return `GET /connected round-trips a value through Redis and PostgreSQL; no password in docker inspect (Env, Cmd, ...) or docker-compose.yml`;
}

/**
 * The develop loop on the app: `docker compose watch` with the generated compose.watch.yaml,
 * one edit to the app's own source, the first response that shows it. An app Node runs
 * directly is synced and restarted by the watch restarter inside the same container; an app
 * with a build step (TypeScript) is rebuilt, so the container is replaced. Afterwards `up`
 * without the override brings the read-only container back.
 */
const watchEdit =
  (mode: 'node-watch' | 'rebuild', file: string, path: string, from: RegExp, to: (marker: string) => string, shows: (body: string, marker: string) => boolean) =>
  async (dir: string, stack: Stack, x: Expect): Promise<string> => {
    const override = read(stack.dir, 'compose.watch.yaml');
    if (mode === 'node-watch') x(override, 'Node runs the app: synced, the watch restarter restarts it').toMatch(/- "--eval"\n\s+- \|\n\s+\/\/ Starts the app and starts it again/);
    else {
      x(override, 'a build step: rebuilt').toMatch(/action: "rebuild"\n\s+path: "\."/);
      x(override).not.toMatch(/action: "sync/);
    }
    const source = read(dir, file);
    x(source, `${file} has ${from}`).toMatch(from);
    const watch = await ComposeWatch.start(stack);
    try {
      const before = (await projectContainers(stack.project)).get('app')![0]!;
      const marker = `edited-${randomBytes(4).toString('hex')}`;
      const t0 = performance.now();
      writeFileSync(join(dir, file), source.replace(from, to(marker)));
      await until(
        `GET ${path} to show the edit to ${file}`,
        async () => {
          const page = await fetchPage(`${stack.baseUrl}${path}`).catch(() => undefined);
          return page && page.status === 200 && shows(page.body, marker) ? true : undefined;
        },
        300_000,
        50,
      ).catch((error: Error) => {
        throw new Error(`${error.message}
docker compose watch said:
${watch.log.slice(-3000)}`);
      });
      const ms = performance.now() - t0;
      const after = (await projectContainers(stack.project)).get('app')![0]!;
      if (mode === 'node-watch') x(after.Id, 'the same container: synced, not rebuilt').toBe(before.Id);
      else x(after.Id, 'a new container from the rebuilt image').not.toBe(before.Id);
      x(watch.log).not.toMatch(/rootfs is marked read-only/);
      await watch.stop();
      await composeOk(stack, ['up', '-d', '--wait', '--wait-timeout', '300'], 600_000);
      const back = (await projectContainers(stack.project)).get('app')![0]!;
      x(back.HostConfig.ReadonlyRootfs, 'up without the override: read-only again').toBe(true);
      return `watch (${mode}): ${file} edited -> GET ${path} shows it in ${sec(ms)}`;
    } finally {
      await watch.stop();
    }
  };

interface Supported {
  name: string;
  /** The maker's app; `connected` is a second express-generator app made apart. */
  made: () => Promise<MadeApp>;
  /** The folder of the app's package in the made folder (a workspace package). */
  appDir?: string;
  services: string[];
  /** A choice of service the same for any app, never an app-specific flag. */
  extra?: string[];
  prepare?: (dir: string) => Promise<void>;
  page: (dir: string, page: Page, x: Expect) => string;
  after?: (stack: Stack, x: Expect) => Promise<string>;
  /** The develop loop (docker compose watch with the override) on the running stack. */
  watch?: (dir: string, stack: Stack, x: Expect) => Promise<string>;
}

interface Row {
  app: string;
  made: string;
  start: string;
  build: string;
  port: string;
  pm: string;
  buildTime: string;
  image: string;
  up: string;
  outcome: string;
}

if (!gate.ready) {
  describeWithoutEngine('live: the corpus of real apps', gate);
} else {
  describe('live: the corpus of real apps, made by their own generators', () => {
    let root = '';
    const made = new Map<string, Promise<MadeApp>>();
    const live = new Set<Stack>();
    const rows = new Map<string, Row>();
    const slot = limiter(BUILD_SLOTS);
    const madeApp = (name: string): (() => Promise<MadeApp>) => () => {
      const p = made.get(name);
      if (!p) throw new Error(`${name} is not in the corpus this test makes (see beforeAll)`);
      return p;
    };
    const row = (app: string): Row => {
      if (!rows.has(app)) rows.set(app, { app, made: '-', start: '-', build: '-', port: '-', pm: '-', buildTime: '-', image: '-', up: '-', outcome: 'not run' });
      return rows.get(app)!;
    };
    const noteDetected = (app: string, detected: Detected | undefined): void => {
      const r = row(app);
      if (!detected) return;
      const v = detected.values;
      Object.assign(r, { start: v['start'] ?? '?', build: v['build'] ?? '?', port: v['port'] ?? '?', pm: v['package manager'] ?? '?' });
      figure(`[corpus ${app}] detected: ${detected.lines.join('; ')}`);
    };

    beforeAll(() => {
      buildDistLocked();
      for (const image of [DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE, DEFAULT_DATABASE_IMAGES['postgres']!]) {
        const a = imageAvailable(image);
        if (!a.available) throw new Error(`the image ${image} is not available (${a.how}): run bash scripts/test-env.sh`);
      }
      root = mkdtempSync(join(tmpdir(), 'wpsn-corpus-'));
      // Five maker processes at once; an upstream generator is never run by two at once
      // (npx's install folder per package is not safe for that), and pnpm's install by the
      // maker happens once (pnpm-ws-express) before nx-pnpm needs it.
      const groups = [['next-empty', 'next-default'], ['nest', 'fastify-ts'], ['fastify-js', 'fastify-ts-v8'], ['egts'], ['express-gen', 'pnpm-ws-express']];
      for (const [i, names] of groups.entries()) for (const [name, p] of makeApps(join(root, `g${i + 1}`), names)) made.set(name, p);
      const expressDone = Promise.allSettled([made.get('express-gen')!, made.get('pnpm-ws-express')!]);
      const after = (outDir: string, name: string): Promise<MadeApp> => {
        const p = expressDone.then(() => makeApps(join(root, outDir), [name]).get(name)!);
        p.catch(() => undefined);
        return p;
      };
      made.set('connected', after('connected', 'express-gen'));
      made.set('nx-pnpm', after('nx', 'nx-pnpm'));
    }, 900_000);

    afterAll(async () => {
      const problems: string[] = [];
      // Each test removes its own stack; these are the ones a failure or a timeout left.
      for (const stack of live) {
        const problem = await removeStack(stack).catch((e: Error) => e.message);
        if (problem) problems.push(`${stack.project}: ${problem}`);
      }
      const swept = await sweepProjects(RUN).catch((e: Error) => [`(the sweep failed: ${e.message})`]);
      if (swept.length) problems.push(`left behind and removed now: ${swept.join('; ')}`);
      // The made apps are big (node_modules); wait for the makers still running first.
      await Promise.allSettled([...made.values()]);
      if (root) rmSync(root, { recursive: true, force: true });
      if (problems.length) console.warn(banner(`corpus clean-up:\n${problems.join('\n')}`));
      if (rows.size) {
        const cols: Array<keyof Row> = ['app', 'made', 'start', 'build', 'port', 'pm', 'buildTime', 'image', 'up', 'outcome'];
        const width = (c: keyof Row) => Math.max(c.length, ...[...rows.values()].map((r) => r[c].length));
        const line = (r: Record<keyof Row, string>) => cols.map((c) => r[c].padEnd(width(c))).join(' | ');
        console.log(`figures [corpus] (${BUILD_SLOTS} stacks at a time):\n  ${line(Object.fromEntries(cols.map((c) => [c, c])) as Record<keyof Row, string>)}\n  ${[...rows.values()].map(line).join('\n  ')}`);
      }
    }, 900_000);

    const SUPPORTED: Supported[] = [
      // The longest builds first: slots are given in the order the apps are made and asked.
      { name: 'next-empty', made: madeApp('next-empty'), services: ['app', 'redis'], page: nextPage },
      { name: 'nest', made: madeApp('nest'), services: ['app', 'redis'], page: returnsString('src/app.service.ts') },
      {
        name: 'connected',
        made: madeApp('connected'),
        services: ['app', 'redis', 'db'],
        extra: ['--database', 'postgres'],
        prepare: addConnectedRoute,
        page: servesFile('public/index.html'),
        after: connectedChecks,
      },
      {
        name: 'fastify-ts',
        made: madeApp('fastify-ts'),
        services: ['app', 'redis'],
        page: returnsObject('src/routes/root.ts'),
        watch: watchEdit('rebuild', 'src/routes/root.ts', '/', /return\s+\{[^{}]*\}/, (m) => `return { edited: '${m}' }`, (body, m) => body.includes(`"edited":"${m}"`)),
      },
      {
        name: 'express-gen',
        made: madeApp('express-gen'),
        services: ['app', 'redis'],
        page: servesFile('public/index.html'),
        watch: watchEdit('node-watch', 'routes/users.js', '/users', /res\.send\('[^']*'\)/, (m) => `res.send('${m}')`, (body, m) => body === m),
      },
      { name: 'fastify-js', made: madeApp('fastify-js'), services: ['app', 'redis'], page: returnsObject('routes/root.js') },
      { name: 'pnpm-ws-express', made: madeApp('pnpm-ws-express'), appDir: 'apps/web', services: ['app', 'redis'], page: servesFile('public/index.html') },
    ];

    // The apps the generator must refuse or warn about: quick, so they go first and do not wait for a build slot.
    it.concurrent(
      'nx-pnpm (create-nx-workspace, no start script anywhere): refused with exit 2, naming app.command and what to give',
      async ({ expect: x }) => {
        const { dir, seconds } = await madeApp('nx-pnpm')();
        row('nx-pnpm').made = `${seconds.toFixed(1)} s`;
        const g = await generateInto(dir, `${RUN}-nx-pnpm`);
        x(g.ran.code, describeRun(g.ran)).toBe(2);
        x(g.ran.stderr).toMatch(/app\.command \(package\.json\): the start command could not be derived from your app: package\.json has no start script/);
        x(g.ran.stderr, 'says what to do').toMatch(/Give the process the container runs, .*--command/);
        x(g.ran.stderr).toContain('nothing was written');
        for (const file of ['Dockerfile', 'docker-compose.yml', '.yo-rc.json', 'secrets']) x(existsSync(join(dir, file)), `${file} was written`).toBe(false);
        Object.assign(row('nx-pnpm'), { start: '(none)', outcome: 'refused, exit 2 (app.command)' });
        figure(`[corpus nx-pnpm] refused, exit 2: ${g.ran.stderr.split('\n').find((l) => l.includes('app.command'))?.trim()}`);
      },
      TEST_TIMEOUT,
    );

    // Their builds fail upstream under TypeScript 6 (the typescript range their templates
    // pull): the generator's output is checked, and the app's own build script is run on the
    // host to show that failure is the app's, not the image's. Bringing them up would only
    // build the same failure in Docker (about 30 s each) and prove nothing more.
    for (const [name, label] of [
      ['egts', 'express-generator-typescript'],
      ['fastify-ts-v8', 'fastify-cli 8 --lang=ts'],
    ] as const) {
      it.concurrent(
        `${name} (${label}): scaffolded with a build step; not brought up, its own build fails under TypeScript 6 upstream`,
        async ({ expect: x }) => {
          const { dir, seconds } = await madeApp(name)();
          row(name).made = `${seconds.toFixed(1)} s`;
          const g = await generateInto(dir, `${RUN}-${name}`);
          noteDetected(name, g.detected);
          x(g.ran.code, describeRun(g.ran)).toBe(0);
          for (const file of ['Dockerfile', 'docker-compose.yml', '.dockerignore', 'README.Docker.md']) x(existsSync(join(dir, file)), `${file} was written`).toBe(true);
          const config = await compose(g.stack!, ['config', '-q'], 60_000);
          x(config.code, describeRun(config)).toBe(0);
          const build = g.detected?.values['build'] ?? 'none';
          x(build, 'a TypeScript app needs a build step').toMatch(/^npm run \S+$/);
          x(read(dir, 'Dockerfile'), 'the image runs the detected build').toContain(`RUN ${build}`);
          const ts = JSON.parse(read(dir, 'node_modules/typescript/package.json')) as { version: string };
          const upstream = await run('npm', build.split(' ').slice(1), { cwd: dir, env: corpusNpmEnv(), timeoutMs: 300_000 });
          x(upstream.code, `the app's own ${build} on the host (TypeScript ${ts.version}):\n${describeRun(upstream)}`).not.toBe(0);
          x(`${upstream.stdout}${upstream.stderr}`, 'fails for the TypeScript 6 rootDir rule').toMatch(/error TS5011: The common source directory/);
          Object.assign(row(name), { outcome: `not brought up: ${build} fails upstream (TS ${ts.version}, TS5011)` });
          figure(`[corpus ${name}] generated; its own ${build} fails on the host under TypeScript ${ts.version} (TS5011) after ${sec(upstream.ms)}: not brought up`);
        },
        TEST_TIMEOUT,
      );
    }

    for (const app of SUPPORTED) {
      it.concurrent(
        `${app.name}: wpsn-docker --yes${app.extra ? ` ${app.extra.join(' ')}` : ''}, then docker compose up --build --wait is healthy and GET / is the app's own page`,
        async ({ expect: x }) => {
          const { dir, seconds } = await app.made();
          row(app.name).made = `${seconds.toFixed(1)} s`;
          await app.prepare?.(dir);
          const g = await generateInto(dir, `${RUN}-${app.name}`, app.extra ?? []);
          noteDetected(app.name, g.detected);
          x(g.ran.code, describeRun(g.ran)).toBe(0);
          x(g.detected, `the "your app, as detected" block on stderr:\n${g.ran.stderr}`).toBeDefined();
          const rerun = await rerunChecks(g, x);
          const stack = g.stack!;
          live.add(stack);
          await slot(async () => {
            try {
              await step(stack, app.services, async () => {
                const build = await compose(stack, ['build'], 900_000);
                x(build.code, describeRun(build)).toBe(0);
                row(app.name).buildTime = sec(build.ms);
                const up = await compose(stack, ['up', '-d', '--build', '--wait', '--wait-timeout', '300'], 600_000);
                x(up.code, describeRun(up)).toBe(0);
                row(app.name).up = sec(up.ms);

                const all = await projectContainers(stack.project);
                x([...all.keys()].sort()).toEqual([...app.services].sort());
                for (const [service, [info]] of all) {
                  x(info!.State.Status, `${service} state`).toBe('running');
                  x(info!.State.Health?.Status, `${service} health`).toBe('healthy');
                }
                const appInfo = all.get('app')![0]!;
                // The container runs what the generator said it detected.
                x((appInfo.Config.Cmd ?? []).join(' '), 'the app container runs the detected start command').toBe(g.detected!.values['start']);
                const image = await docker.getImage(appInfo.Image).inspect();
                row(app.name).image = `${(image.Size / 1e6).toFixed(0)} MB`;

                const page = await fetchPage(`${stack.baseUrl}/`);
                x(page.status, `GET / answered ${page.status}: ${page.body.slice(0, 300)}`).toBeLessThan(500);
                const marker = app.page(join(dir, app.appDir ?? '.'), page, x);
                const after = app.after ? await app.after(stack, x) : '';
                const watched = app.watch ? await app.watch(dir, stack, x) : '';
                const extra = [rerun, after, watched].filter(Boolean).join('; ');
                row(app.name).outcome = `healthy, GET / ${page.status}`;
                figure(
                  `[corpus ${app.name}] docker compose build ${sec(build.ms)} (${BUILD_SLOTS} at a time), image ${(image.Size / 1e6).toFixed(0)} MB, ` +
                    `up --wait to healthy ${sec(up.ms)}, GET / ${page.status} ${marker}${extra ? `; ${extra}` : ''}`,
                );
              });
            } finally {
              const problem = await removeStack(stack);
              live.delete(stack);
              if (problem) console.warn(banner(`clean-up of ${stack.project} failed:\n${problem}`));
            }
          });
        },
        TEST_TIMEOUT,
      );
    }

    it.concurrent(
      'next-default (create-next-app default template): warned about next/font/google, and its build fails for that reason where Google Fonts is unreachable',
      async ({ expect: x }) => {
        const { dir, seconds } = await madeApp('next-default')();
        row('next-default').made = `${seconds.toFixed(1)} s`;
        x(read(dir, 'app/layout.tsx'), 'the template imports next/font/google').toMatch(/from\s+["']next\/font\/google["']/);
        const g = await generateInto(dir, `${RUN}-next-default`);
        noteDetected('next-default', g.detected);
        x(g.ran.code, describeRun(g.ran)).toBe(0);
        x(g.ran.stderr, 'the warning').toMatch(/the app imports next\/font\/google: next build downloads those fonts from fonts\.googleapis\.com/);
        const stack = g.stack!;
        live.add(stack);
        await slot(async () => {
          try {
            const build = await compose(stack, ['build'], 900_000);
            row('next-default').buildTime = sec(build.ms);
            const output = `${build.stdout}${build.stderr}`;
            if (build.code === 0) {
              // Where the build can reach fonts.googleapis.com it works: the warning says as much.
              row('next-default').outcome = 'built (Google Fonts reachable here)';
              figure(`[corpus next-default] docker compose build succeeded in ${sec(build.ms)}: fonts.googleapis.com was reachable from the build`);
              return;
            }
            x(output, `the build failed for another reason than the fonts:\n${describeRun(build)}`).toMatch(/Failed to fetch [\w ]+ from Google Fonts/);
            const reason = output.match(/Failed to fetch [\w ]+ from Google Fonts\.?/)![0];
            row('next-default').outcome = `build fails: ${reason}`;
            figure(`[corpus next-default] docker compose build fails after ${sec(build.ms)}, as warned: "${reason}"`);
          } finally {
            const problem = await removeStack(stack);
            live.delete(stack);
            if (problem) console.warn(banner(`clean-up of ${stack.project} failed:\n${problem}`));
          }
        });
      },
      TEST_TIMEOUT,
    );
  });
}
