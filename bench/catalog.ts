// Part 7: the stack with every runnable catalog service (`--services valkey,memcached,
// rabbitmq,nats`): `docker compose up -d --wait` to all healthy on warm images, against the
// default stack and the default stack plus each service alone, in turn (A B C ...). A
// service's cost is its stack's median minus the default stack's, and its best run minus the
// default's best: `up --wait` returns on Compose's 0.5 s checks, so a stack's runs fall on
// two or three steps and a median can flip a step between stacks that differ by less.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { docker, freePort, generate } from './lib/docker.ts';
import { median } from './lib/measure.ts';
import { log, type GoalRow } from './lib/report.ts';

/** The catalog services that run here (MinIO, Mailpit, Meilisearch and MongoDB have no image on this machine). */
export const RUNNABLE = ['valkey', 'memcached', 'rabbitmq', 'nats'] as const;

export interface CatalogResult {
  rows: GoalRow[];
  markdown: string;
  notes: string[];
}

export async function runCatalog(scratch: string, runs: number): Promise<CatalogResult> {
  const root = join(scratch, 'catalog');
  mkdirSync(root);
  const stacks = [
    { key: 'default', services: [] as string[] },
    ...RUNNABLE.map((s) => ({ key: s, services: [s] })),
    { key: 'all', services: [...RUNNABLE] },
  ];
  const dirs: Record<string, { dir: string; project: string }> = {};
  for (const s of stacks) {
    const dir = join(root, s.key);
    mkdirSync(dir);
    const project = `wpsn-bench-cat-${s.key}-${process.pid}`;
    generate(dir, project, await freePort(), s.services.length ? ['--services', s.services.join(',')] : []);
    dirs[s.key] = { dir, project };
  }
  const times: Record<string, number[]> = Object.fromEntries(stacks.map((s) => [s.key, []]));
  const once = (key: string): number => {
    const { dir } = dirs[key]!;
    const start = performance.now();
    const up = docker(['compose', 'up', '-d', '--wait', '--no-build'], dir, true);
    const seconds = (performance.now() - start) / 1000;
    if (up.status !== 0) {
      const ps = docker(['compose', 'ps', '-a', '--format', '{{.Name}} {{.State}} {{.Health}}'], dir, true).out;
      const logs = docker(['compose', 'logs', '--no-color', '--tail', '20'], dir, true).out;
      docker(['compose', 'down', '-v', '--timeout', '5'], dir, true);
      throw new Error(`${key}: docker compose up --wait failed after ${seconds.toFixed(1)} s:\n${up.out.slice(-2000)}\n${ps}\n${logs.slice(-4000)}`);
    }
    docker(['compose', 'down', '-v', '--timeout', '5'], dir);
    return seconds;
  };
  try {
    log('part 7: building each stack\'s app image (the same layers; warm from here on)');
    for (const s of stacks) docker(['compose', 'build'], dirs[s.key]!.dir);
    log(`part 7: 1 warm-up round, ${runs} measured rounds of \`docker compose up -d --wait\` over ${stacks.length} stacks in turn`);
    for (const s of stacks) once(s.key);
    for (let i = 0; i < runs; i++) for (const s of stacks) times[s.key]!.push(once(s.key));
  } finally {
    for (const s of stacks) {
      const { dir, project } = dirs[s.key]!;
      docker(['compose', 'down', '-v', '--timeout', '5'], dir, true);
      docker(['image', 'rm', '-f', `${project}-app`], dir, true);
    }
  }
  const med = (k: string) => median(times[k]!);
  const best = (k: string) => Math.min(...times[k]!);
  const base = med('default');
  const baseBest = best('default');
  const sumAlone = RUNNABLE.reduce((sum, s) => sum + (med(s) - base), 0);
  const name = (key: string) => (key === 'default' ? 'default (app + Redis)' : key === 'all' ? `all four (\`--services ${RUNNABLE.join(',')}\`)` : `+ ${key}`);
  const cost = (key: string, value: number) => (key === 'default' ? '' : `${value.toFixed(2)} s`);
  const table = [
    '| stack | median to all healthy | cost over the default stack | best run | cost, best runs | runs |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...stacks.map((s) => `| ${name(s.key)} | ${med(s.key).toFixed(2)} s | ${cost(s.key, med(s.key) - base)} | ${best(s.key).toFixed(2)} s | ${cost(s.key, best(s.key) - baseBest)} | ${times[s.key]!.map((t) => t.toFixed(2)).join(', ')} |`),
  ];
  const all = med('all');
  const rows: GoalRow[] = [
    { part: '7', what: '`docker compose up` to all healthy, every runnable catalog service (4) with the default stack', goal: 'reported', value: `${all.toFixed(2)} s (+${(all - base).toFixed(2)} s)`, met: Number.isFinite(all) },
    { part: '7', what: 'cost per catalog service over the default stack, alone (median of the four; medians / best runs)', goal: 'reported', value: `${median(RUNNABLE.map((s) => med(s) - base)).toFixed(2)} / ${median(RUNNABLE.map((s) => best(s) - baseBest)).toFixed(2)} s`, met: RUNNABLE.every((s) => Number.isFinite(med(s))) },
  ];
  const markdown = [
    'Wall time of `docker compose up -d --wait --no-build` on warm images, each run followed by `down -v` (not timed);',
    `the stacks in turn, 1 warm-up round, then ${runs} rounds; medians. A service's cost is its stack's median minus the`,
    'default stack\'s, and its best run minus the default\'s best run. `up --wait` returns on Compose\'s 0.5 s checks, so the',
    'runs of one stack fall on steps 0.5 s apart and a median can land a step higher for the default stack than for a',
    'bigger one (a negative cost): the best runs show the cost below that step. The services start in parallel with',
    'Redis, so the four together cost about the slowest one, not the',
    `sum (the sum of the four alone: ${sumAlone.toFixed(2)} s). MinIO, Mailpit, Meilisearch and MongoDB have no image on this`,
    'machine (see ../shared/MACHINE.md): not measured.',
    '',
    ...table,
  ].join('\n');
  return { rows, markdown, notes: [] };
}
