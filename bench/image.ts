// Part 3: the generated image, built by the real engine, against three baselines built
// from the same app on the same base image: cold build, rebuild after a source-only change,
// rebuild after a dependency change; image size over the base; what each image carries.
//
// The app: the generated sample app with a realistic dependency set (express and redis,
// eslint as a dev dependency), its lockfile made by npm at bench time. "Cold" means no
// layer cache (--no-cache) and an empty npm cache mount: each variant's cache mount gets
// an id of its own for this run (the only change made to the Dockerfiles under test), so
// the bench neither warms nor empties caches other builds on the engine use.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './lib/measure.ts';
import { REPO_ROOT, log, type GoalRow } from './lib/report.ts';

const BASE_IMAGE = 'node:24-bookworm-slim';
export const VARIANTS = ['generated', 'naive', 'onbuild', 'docker-init'] as const;
type Variant = (typeof VARIANTS)[number];

const LABEL: Record<Variant, string> = {
  generated: 'generated (wpsn-docker)',
  naive: 'naive `COPY . .` + `npm install`',
  onbuild: '2017 workshop `node:8-onbuild` pattern',
  'docker-init': '`docker init` (Docker docs)',
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { cwd?: string; timeout?: number; allowFail?: boolean } = {}): Run {
  const r = spawnSync(command, args, {
    cwd: options.cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeout ?? 900_000,
    env: { ...process.env, DOCKER_BUILDKIT: '1', NO_UPDATE_NOTIFIER: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0 && !options.allowFail) {
    throw new Error(`${command} ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout.slice(-4000)}${r.stderr.slice(-4000)}`);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The host CA bundle for npm behind a TLS-intercepting proxy, when the host has one. */
function secretArgs(): string[] {
  const ca = process.env['NODE_EXTRA_CA_CERTS'];
  return ca && existsSync(ca) ? ['--secret', `id=extra_ca,src=${ca}`] : [];
}

/** Gives every npm cache mount in a Dockerfile an id of its own; the rest is untouched. */
export function isolateCacheMounts(dockerfile: string, id: string): string {
  return dockerfile.replaceAll('--mount=type=cache,target=', `--mount=type=cache,id=${id},target=`);
}

/** Empties a cache mount by id (only ours: the ids are unique to this run). */
function pruneCacheMount(id: string): void {
  const du = run('docker', ['buildx', 'du', '--verbose'], { allowFail: true }).stdout;
  for (const record of du.split(/\n\s*\n/)) {
    if (!record.includes('exec.cachemount') || !record.includes(`with id "${id}"`)) continue;
    const recordId = /^ID:\s+(\S+)/m.exec(record)?.[1];
    if (recordId) run('docker', ['builder', 'prune', '-f', '--filter', `id=${recordId}`], { allowFail: true });
  }
}

function imageBytes(tag: string): number {
  return Number(run('docker', ['image', 'inspect', '-f', '{{.Size}}', tag]).stdout.trim());
}

interface Inspected {
  healthcheck: boolean;
  user: string;
  /** The process running as PID 1 in `docker run` (no init): the one that gets SIGTERM. */
  pid1: string;
  /** Seconds `docker stop -t 5` took: about 5 when SIGTERM is ignored (then SIGKILL). */
  stopSeconds: number;
}

/** What the image carries, and how its container stops: run it (no Redis needed to start), stop it. */
function inspect(tag: string): Inspected {
  const config = JSON.parse(run('docker', ['image', 'inspect', '-f', '{{json .Config}}', tag]).stdout) as {
    Healthcheck?: { Test?: string[] } | null;
    User?: string;
  };
  const test = config.Healthcheck?.Test ?? [];
  const id = run('docker', ['run', '-d', '--network', 'none', tag]).stdout.trim();
  let pid1 = '?';
  let stopSeconds = Number.NaN;
  try {
    // Let the app start (as far as it can without Redis), then ask what PID 1 is.
    spawnSync('sleep', ['2']);
    pid1 = run('docker', ['exec', id, 'cat', '/proc/1/cmdline'], { allowFail: true }).stdout.split('\0').filter(Boolean).slice(0, 2).join(' ') || '?';
    const start = performance.now();
    run('docker', ['stop', '-t', '5', id]);
    stopSeconds = (performance.now() - start) / 1000;
  } finally {
    run('docker', ['rm', '-f', id], { allowFail: true });
  }
  return { healthcheck: test.length > 0 && test[0] !== 'NONE', user: config.User || 'root', pid1, stopSeconds };
}

interface Timed {
  cold: number[];
  source: number[];
  deps: number[];
}

export interface ImageResult {
  rows: GoalRow[];
  markdown: string;
  notes: string[];
}

/** The app every variant builds: the generated sample app plus express, redis and eslint. */
function prepareApp(work: string): { project: string; app: string; appDeps: string; generatedFiles: string[] } {
  const project = join(work, 'project');
  mkdirSync(project);
  run(process.execPath, [join(REPO_ROOT, 'dist/bin/wpsn-docker.js'), '.', '--yes', '--project-name', 'wpsn-bench-image'], { cwd: project });
  const app = join(work, 'app');
  mkdirSync(app);
  for (const f of ['server.js', 'package.json']) cpSync(join(project, f), join(app, f));
  log('part 3: making the app\'s lockfile with npm (express, redis; eslint as a dev dependency)');
  run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', 'express@^5', 'redis@^6'], { cwd: app });
  run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', '--save-dev', 'eslint@^9'], { cwd: app });
  // The same app after a dependency change: one more production dependency.
  const appDeps = join(work, 'app-deps');
  cpSync(app, appDeps, { recursive: true });
  run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', 'dotenv@^17'], { cwd: appDeps });
  return { project, app, appDeps, generatedFiles: ['Dockerfile', '.dockerignore'] };
}

const APP_FILES = ['server.js', 'package.json', 'package-lock.json'];

export function runImage(scratch: string, rounds: number): ImageResult {
  const work = join(scratch, 'image');
  mkdirSync(work);
  const runId = `wpsn-bench-${process.pid}-${Date.now().toString(36)}`;
  const { project, app, appDeps } = prepareApp(work);
  const notes: string[] = [];

  // One build context per variant: the same app files, its own Dockerfile.
  const contexts = {} as Record<Variant, string>;
  const tags = {} as Record<Variant, string>;
  const cacheIds = {} as Record<Variant, string>;
  for (const v of VARIANTS) {
    const ctx = join(work, `ctx-${v}`);
    mkdirSync(ctx);
    cacheIds[v] = `${runId}-${v}`;
    tags[v] = `${runId}-${v}`;
    const dockerfile = v === 'generated' ? readFileSync(join(project, 'Dockerfile'), 'utf8') : readFileSync(join(REPO_ROOT, 'bench/baselines', v, 'Dockerfile'), 'utf8');
    writeFileSync(join(ctx, 'Dockerfile'), isolateCacheMounts(dockerfile, cacheIds[v]));
    if (v === 'generated') cpSync(join(project, '.dockerignore'), join(ctx, '.dockerignore'));
    contexts[v] = ctx;
  }
  const useApp = (v: Variant, from: string): void => {
    for (const f of APP_FILES) cpSync(join(from, f), join(contexts[v], f));
  };
  const build = (v: Variant, extra: string[] = []): number => {
    const start = performance.now();
    run('docker', ['build', '--progress=plain', ...extra, ...secretArgs(), '-t', tags[v], contexts[v]]);
    return (performance.now() - start) / 1000;
  };

  const times = Object.fromEntries(VARIANTS.map((v) => [v, { cold: [], source: [], deps: [] } as Timed])) as Record<Variant, Timed>;
  const sizes = {} as Record<Variant, number>;
  const inspected = {} as Record<Variant, Inspected>;
  const baseBytes = imageBytes(BASE_IMAGE);
  try {
    for (let r = 0; r < rounds; r++) {
      // Each step visits the variants in turn (A B C D), starting one further each round.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]!);
      for (const v of order) {
        useApp(v, app);
        pruneCacheMount(cacheIds[v]);
        log(`part 3: round ${r + 1}/${rounds}: cold build of ${v}`);
        times[v].cold.push(build(v, ['--no-cache']));
        if (r === 0) {
          sizes[v] = imageBytes(tags[v]);
          inspected[v] = inspect(tags[v]);
          // The dependency set really is in the image.
          run('docker', ['run', '--rm', '--user', '1000:1000', '--entrypoint', 'node', tags[v], '-e', "require('express'); require('redis')"], { cwd: contexts[v] });
        }
      }
      // Changes never built before (not in an earlier round or bench run): the engine's
      // layer cache outlives images, and --no-cache builds still fill it.
      const marker = `${runId} round ${r}`;
      for (const v of order) {
        appendFileSync(join(contexts[v], 'server.js'), `// source change: ${marker}\n`);
        log(`part 3: round ${r + 1}/${rounds}: rebuild of ${v} after a source-only change`);
        times[v].source.push(build(v));
      }
      for (const v of order) {
        useApp(v, appDeps);
        const manifest = JSON.parse(readFileSync(join(appDeps, 'package.json'), 'utf8')) as Record<string, unknown>;
        writeFileSync(join(contexts[v], 'package.json'), `${JSON.stringify({ ...manifest, description: `${String(manifest['description'])} (${marker})` }, null, 2)}\n`);
        appendFileSync(join(contexts[v], 'server.js'), `// source change: ${marker}\n`);
        log(`part 3: round ${r + 1}/${rounds}: rebuild of ${v} after a dependency change`);
        times[v].deps.push(build(v));
      }
    }
  } finally {
    for (const v of VARIANTS) {
      run('docker', ['image', 'rm', '-f', tags[v]], { allowFail: true });
      pruneCacheMount(cacheIds[v]);
    }
  }

  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const s = (v: number) => `${v.toFixed(1)} s`;
  const stats = Object.fromEntries(
    VARIANTS.map((v) => {
      const cold = median(times[v].cold);
      const source = median(times[v].source);
      const deps = median(times[v].deps);
      return [v, { cold, source, deps, ratio: source / cold, depsRatio: deps / cold, over: sizes[v]! - baseBytes }];
    }),
  ) as Record<Variant, { cold: number; source: number; deps: number; ratio: number; depsRatio: number; over: number }>;

  const table = [
    '| variant | cold build | source-only rebuild | ratio | dependency change rebuild | ratio | image over the base | healthcheck | user | PID 1 (`docker run`) | `docker stop` |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | --- | --- | ---: |',
    ...VARIANTS.map((v) => {
      const t = stats[v];
      const i = inspected[v];
      return `| ${LABEL[v]} | ${s(t.cold)} | ${s(t.source)} | ${t.ratio.toFixed(2)} | ${s(t.deps)} | ${t.depsRatio.toFixed(2)} | ${mb(t.over)} MB | ${i.healthcheck ? 'yes' : 'no'} | ${i.user} | \`${i.pid1}\` | ${s(i.stopSeconds)} |`;
    }),
  ];
  const ours = stats.generated;
  const init = stats['docker-init'];
  const g = inspected.generated;
  // Stops on SIGTERM by itself: well under docker stop's 5 s grace period.
  const carries = g.healthcheck && g.user !== 'root' && g.user !== '0' && g.stopSeconds < 3;
  const rows: GoalRow[] = [
    {
      part: '3',
      what: 'source-only rebuild / cold build, generated vs `docker init`',
      goal: '<= docker init',
      value: `${ours.ratio.toFixed(3)} vs ${init.ratio.toFixed(3)}`,
      met: ours.ratio <= init.ratio,
    },
    { part: '3', what: 'image size over the base, generated vs `docker init`', goal: '<= docker init', value: `${mb(ours.over)} vs ${mb(init.over)} MB`, met: ours.over <= init.over },
    {
      part: '3',
      what: 'generated image: a healthcheck, a non-root user, stops on SIGTERM (without Compose\'s init)',
      goal: 'all three',
      value: `${g.healthcheck ? 'healthcheck' : 'NO healthcheck'}, user ${g.user}, \`docker stop\` ${g.stopSeconds.toFixed(1)} s`,
      met: carries,
    },
  ];
  const markdown = [
    `Built by the engine with BuildKit from the same app (the generated sample app plus express and redis, eslint as a`,
    `dev dependency; lockfile made by npm at bench time) on ${BASE_IMAGE}. ${rounds} round(s); medians. Each step builds`,
    'the four variants in turn, starting one further each round. Cold: `--no-cache` and an emptied npm cache mount.',
    'Ratios are rebuild time over cold build time. Baseline Dockerfiles: `bench/baselines/`.',
    '',
    ...table,
    '',
    `Base image ${BASE_IMAGE}: ${mb(baseBytes)} MB. Cold build times are dominated by npm downloading through this`,
    'machine\'s proxy, so they vary from run to run; the ratios come from the same round. PID 1 and `docker stop`: each',
    'image run alone (`docker run`, no init, no Redis), stopped with `docker stop -t 5` after 2 s; about 5 s means SIGTERM',
    'was ignored and the container was killed. (Compose runs the generated app with `init: true` on top.)',
  ].join('\n');
  if (!secretArgs().length) notes.push('part 3: NODE_EXTRA_CA_CERTS is not set: builds ran without the extra CA secret.');
  return { rows, markdown, notes };
}
