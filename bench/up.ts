// Part 4: from `docker compose up` to every service healthy, on warm images: the default
// generated stack (app + Redis) as generated, against the same stack whose healthchecks
// have no start_interval (the engine then probes every 5 s while starting). A B A B ...,
// each run `docker compose up -d --wait` timed, then `down -v` (not timed).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { docker, freePort, generate } from './lib/docker.ts';
import { median } from './lib/measure.ts';
import { log, type GoalRow } from './lib/report.ts';

const run = docker;

type Obj = Record<string, any>;

/** The same compose file with no start_interval anywhere, the app's image healthcheck included. */
export function withoutStartInterval(compose: Obj, appHealthTest: string[]): Obj {
  const out = structuredClone(compose) as Obj;
  for (const service of Object.values(out['services'] as Obj) as Obj[]) {
    if (service['healthcheck']) delete service['healthcheck']['start_interval'];
  }
  // The app's check lives in the image (HEALTHCHECK --start-interval=...), and the engine
  // fills fields a container leaves unset from the image: the same check with its start
  // interval set to its interval, which is what a check without start_interval does.
  out['services']['app']['healthcheck'] = { test: appHealthTest, interval: '10s', timeout: '3s', start_period: '30s', start_interval: '10s', retries: 3 };
  return out;
}

/** The same compose file with the app's image check probing every `startInterval` while it starts. */
export function withAppStartInterval(compose: Obj, appHealthTest: string[], startInterval: string): Obj {
  const out = structuredClone(compose) as Obj;
  out['services']['app']['healthcheck'] = { test: appHealthTest, interval: '10s', timeout: '3s', start_period: '30s', start_interval: startInterval, retries: 3 };
  return out;
}

/**
 * The image's probe as generated before it used node:http: the same URL with fetch, whose
 * HTTP client (undici) each probe process loads first.
 */
export function fetchProbe(appHealthTest: string[]): string[] {
  const url = /'(http:\/\/127\.0\.0\.1:\d+\/[^']*)'/.exec(appHealthTest.join(' '))?.[1];
  if (!url) throw new Error(`no probe URL in the app image's healthcheck: ${JSON.stringify(appHealthTest)}`);
  return ['CMD', 'node', '-e', `fetch('${url}', { signal: AbortSignal.timeout(2500) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`];
}

/** The same compose file with the app starting once Redis has started instead of once it is healthy. */
export function withoutHealthyDependency(compose: Obj): Obj {
  const out = structuredClone(compose) as Obj;
  for (const dep of Object.values(out['services']['app']['depends_on'] as Obj) as Obj[]) dep['condition'] = 'service_started';
  return out;
}

interface Phases {
  toRedisStart: number;
  redisHealthy: number;
  toAppStart: number;
  appHealthy: number;
  toReturn: number;
  /** From `up` to the last service's healthy event: when the stack was healthy, before Compose's poll saw it. */
  allHealthy: number;
}

/** The run's timeline from the engine's events (queried afterwards with --since/--until). */
function phasesOf(dir: string, project: string, since: number, until: number): Phases {
  const out = run(
    ['events', '--since', (since / 1000).toFixed(3), '--until', ((until + 50) / 1000).toFixed(3), '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.TimeNano}} {{.Action}} {{index .Actor.Attributes "com.docker.compose.service"}}'],
    dir,
    true,
  ).out;
  const at = (action: string, service: string): number => {
    for (const line of out.split('\n')) {
      const [nano, act, ...rest] = line.trim().split(' ');
      if (!nano || !act) continue;
      const svc = rest[rest.length - 1];
      const full = [act, ...rest.slice(0, -1)].join(' ');
      if (svc === service && full === action) return (Number(BigInt(nano) / 1000000n) - since) / 1000;
    }
    return Number.NaN;
  };
  const redisStart = at('start', 'redis');
  const redisHealthy = at('health_status: healthy', 'redis');
  const appStart = at('start', 'app');
  const appHealthy = at('health_status: healthy', 'app');
  return {
    toRedisStart: redisStart,
    redisHealthy: redisHealthy - redisStart,
    toAppStart: appStart - redisHealthy,
    appHealthy: appHealthy - appStart,
    toReturn: (until - since) / 1000 - appHealthy,
    allHealthy: Math.max(appHealthy, redisHealthy),
  };
}

const appIntervalOf = (dir: string, image: string): string => run(['image', 'inspect', '-f', '{{.Config.Healthcheck.StartInterval}}', image], dir).out.trim();

export interface UpResult {
  rows: GoalRow[];
  markdown: string;
  notes: string[];
}

export async function runUp(scratch: string, runs: number): Promise<UpResult> {
  const dir = join(scratch, 'up');
  mkdirSync(dir);
  const project = `wpsn-bench-up-${process.pid}`;
  const port = await freePort();
  generate(dir, project, port);
  const composeText = readFileSync(join(dir, 'docker-compose.yml'), 'utf8');
  const compose = parse(composeText) as Obj;
  log('part 4: building the stack\'s app image once (warm images from here on)');
  run(['compose', 'build'], dir);
  const image = `${project}-app`;
  const test = (JSON.parse(run(['image', 'inspect', '-f', '{{json .Config.Healthcheck.Test}}', image], dir).out) as string[] | null) ?? [];
  if (!test.length) throw new Error(`the app image ${image} has no HEALTHCHECK`);
  writeFileSync(join(dir, 'compose.no-start-interval.yml'), stringify(withoutStartInterval(compose, test)));
  writeFileSync(join(dir, 'compose.started.yml'), stringify(withoutHealthyDependency(compose)));
  writeFileSync(join(dir, 'compose.app-500ms.yml'), stringify(withAppStartInterval(compose, test, '500ms')));
  writeFileSync(join(dir, 'compose.app-fetch.yml'), stringify(withAppStartInterval(compose, fetchProbe(test), appIntervalOf(dir, image))));
  const appInterval = appIntervalOf(dir, image);
  const redisInterval = String((compose['services']['redis']['healthcheck'] as Obj)['start_interval']);
  const variants = [
    { key: 'default', label: `default stack as generated (start interval ${redisInterval} on Redis, ${appInterval} in the app image)`, file: 'docker-compose.yml' },
    { key: 'app500', label: 'same stack, the app image probing every 500 ms while starting (as generated before)', file: 'compose.app-500ms.yml' },
    { key: 'fetch', label: `same stack, the app probed with \`fetch\` instead of \`node:http\` (as generated before), every ${appInterval}`, file: 'compose.app-fetch.yml' },
    { key: 'plain', label: 'same stack, healthchecks without start_interval', file: 'compose.no-start-interval.yml' },
    { key: 'started', label: 'for comparison: the app waits for Redis started, not healthy (`depends_on: service_started`)', file: 'compose.started.yml' },
  ];
  const times: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.key, []]));
  const phases: Record<string, Phases[]> = Object.fromEntries(variants.map((v) => [v.key, []]));
  const once = (file: string, key?: string): number => {
    const since = Date.now();
    const start = performance.now();
    const up = run(['compose', '-f', file, 'up', '-d', '--wait', '--no-build'], dir, true);
    const seconds = (performance.now() - start) / 1000;
    if (up.status !== 0) {
      const health = run(['compose', '-f', file, 'ps', '-a', '--format', '{{.Name}} {{.State}} {{.Health}}'], dir, true).out;
      const logs = run(['compose', '-f', file, 'logs', '--no-color', '--tail', '30'], dir, true).out;
      const inspect = run(['inspect', '-f', '{{.Name}} {{json .State.Health}}', `${project}-app-1`], dir, true).out;
      run(['compose', '-f', file, 'down', '-v', '--timeout', '5'], dir, true);
      throw new Error(`docker compose -f ${file} up --wait failed after ${seconds.toFixed(1)} s:\n${up.out.slice(-2000)}\n${health}\n${inspect}\n${logs}`);
    }
    if (key) phases[key]!.push(phasesOf(dir, project, since, since + seconds * 1000));
    run(['compose', '-f', file, 'down', '-v', '--timeout', '5'], dir);
    return seconds;
  };
  try {
    log(`part 4: 1 warm-up round, ${runs} measured rounds of \`docker compose up -d --wait\` (A B C A B C ...)`);
    for (const v of variants) once(v.file);
    for (let i = 0; i < runs; i++) for (const v of variants) times[v.key]!.push(once(v.file, v.key));
  } finally {
    run(['compose', 'down', '-v', '--timeout', '5'], dir, true);
    run(['image', 'rm', '-f', image], dir, true);
  }
  const med = (k: string) => median(times[k]!);
  // Compose checks a dependency, and \`--wait\` the stack, first 500 ms after it starts waiting:
  // the app cannot start before Redis started + 0.5 s, nor \`up\` return before the app
  // started + 0.5 s, however fast the probes (the app container's own start comes on top).
  const floor = median(phases['default']!.map((p) => p.toRedisStart).filter((x) => Number.isFinite(x))) + 1.0;
  const table = [
    '| stack | median to all healthy | runs |',
    '| --- | ---: | --- |',
    ...variants.map((v) => `| ${v.label} | ${med(v.key).toFixed(2)} s | ${times[v.key]!.map((t) => t.toFixed(2)).join(', ')} |`),
  ];
  const rows: GoalRow[] = [
    { part: '4', what: '`docker compose up` to all healthy, default stack, warm images', goal: '<= 1.5 s', value: `${med('default').toFixed(2)} s`, met: med('default') <= 1.5 },
    { part: '4', what: 'the same, app image probing every 500 ms while starting (before) / as generated', goal: '> 1x', value: `${(med('app500') / med('default')).toFixed(2)}x`, met: med('app500') > med('default') },
    { part: '4', what: 'the same, app probed with `fetch` (before) / with `node:http` (as generated)', goal: '> 1x', value: `${(med('fetch') / med('default')).toFixed(2)}x`, met: med('fetch') > med('default') },
    { part: '4', what: 'the floor Compose\'s 500 ms checks leave with `service_healthy`: `up` -> Redis started + 2 x 0.5 s', goal: 'reported', value: `${floor.toFixed(2)} s`, met: true },
  ];
  const markdown = [
    'Wall time of `docker compose up -d --wait --no-build` (it returns once every service is healthy), images built',
    `beforehand; each run followed by \`down -v\`. 1 warm-up round, then ${runs} rounds, the stacks in turn (A B C A B C ...).`,
    '',
    ...table,
    '',
    `Without start_interval the same stack takes ${(med('plain') / med('default')).toFixed(1)}x as long.`,
    '',
    'Compose checks each dependency, and `--wait` the whole stack, every 500 ms, the first check 500 ms after it starts',
    'waiting (a fixed ticker in Compose). With `depends_on: service_healthy` the app cannot start before Redis started',
    '+ 0.5 s, and `up` cannot return before the app started + 0.5 s, however fast the probes: here at least',
    `${floor.toFixed(2)} s (the median from \`up\` to Redis started, + 1.0 s), before the app container's own start. What the`,
    'probes decide is whether the app is healthy before `--wait`\'s first check, or `up` waits 0.5 s more.',
    '',
    'Where the time goes (medians, from the engine\'s events for each run): from `up` to Redis started; Redis started',
    'to healthy (its first probe); Redis healthy to the app started (Compose checks dependencies every 500 ms); the app',
    'started to healthy; the app healthy to `up` returning (Compose\'s `--wait` checks every 500 ms too).',
    '',
    '| stack | up -> Redis started | Redis -> healthy | -> app started | app -> healthy | -> `up` returns | all healthy (engine) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...variants.map((v) => {
      const p = phases[v.key]!;
      const m = (k: keyof Phases) => {
        const value = median(p.map((x) => x[k]).filter((x) => Number.isFinite(x)));
        // With service_started the app starts before Redis is healthy: no such step.
        return k === 'toAppStart' && value < 0.05 ? 'before Redis was healthy' : `${value.toFixed(2)} s`;
      };
      return `| ${v.key} | ${m('toRedisStart')} | ${m('redisHealthy')} | ${m('toAppStart')} | ${m('appHealthy')} | ${m('toReturn')} | ${m('allHealthy')} |`;
    }),
  ].join('\n');
  return { rows, markdown, notes: [] };
}
