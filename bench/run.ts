// npm run bench: scaffolding speed and memory against Node and Yeoman baselines, render
// cost as the stack grows, the generated image against three baseline Dockerfiles, and
// `docker compose up` to healthy, a re-run that merges one edited file, an edit served by
// `docker compose watch`, the stack with every runnable catalog service, and a re-run that
// changes nothing with a profile of scaffolding. Prints the
// tables and writes bench/RESULTS.md.
//
// Usage: node bench/run.ts [--parts 1,2,3,4,5,6,7,8] [--runs N] [--warmup N] [--render-rounds N]
//                          [--image-rounds N] [--up-runs N] [--watch-rounds N] [--catalog-runs N]
//                          [--out FILE | --no-write]
// dist/ must be built first (npm run bench does that).
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, machineMarkdown } from './lib/machine.ts';
import { describePeakMethod } from './lib/measure.ts';
import { REPO_ROOT, goalTable, log, type GoalRow } from './lib/report.ts';

const ALL_PARTS = ['1', '2', '3', '4', '5', '6', '7', '8'];

const { values } = parseArgs({
  options: {
    parts: { type: 'string', default: ALL_PARTS.join(',') },
    runs: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '1' },
    'memory-runs': { type: 'string', default: '5' },
    'render-rounds': { type: 'string', default: '15' },
    'image-rounds': { type: 'string', default: '4' },
    'up-runs': { type: 'string', default: '7' },
    'watch-rounds': { type: 'string', default: '7' },
    'catalog-runs': { type: 'string', default: '5' },
    out: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    /** Another checkout or build of the package to pack for part 1 (to compare before/after). */
    project: { type: 'string' },
  },
  strict: true,
});

const int = (name: string, min: number): number => {
  const v = Number(values[name as keyof typeof values]);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be a whole number >= ${min}`);
  return v;
};
const parts = new Set(String(values.parts).split(',').map((p) => p.trim()));
for (const p of parts) if (!ALL_PARTS.includes(p)) throw new Error(`--parts: unknown part ${p}`);
const runs = int('runs', 5);
const warmup = int('warmup', 1);

if (!existsSync(join(values.project ? resolve(values.project) : REPO_ROOT, 'dist/bin/wpsn-docker.js'))) {
  throw new Error('dist/ is not built: run `npm run bench` (it builds first) or `npm run build`');
}

const machine = describeMachine();
const scratch = mkdtempSync(join(tmpdir(), 'wpsn-bench-'));
// Traversable by uid 1000: yo drops root to it and must reach the temp prefix and run dirs.
chmodSync(scratch, 0o755);
const rows: GoalRow[] = [];
const sections: string[] = [];
const notes: string[] = [];
const startedAt = new Date();

/** Runs one part; a part that fails is reported (and fails the run) without stopping the others. */
async function part(n: string, title: string, body: () => Promise<{ rows: GoalRow[]; markdown: string; notes?: string[] }>): Promise<void> {
  if (!parts.has(n)) return;
  try {
    const result = await body();
    rows.push(...result.rows);
    sections.push(`## ${n}. ${title}\n\n${result.markdown}`);
    notes.push(...(result.notes ?? []));
  } catch (error) {
    const message = (error as Error).stack ?? String(error);
    log(`part ${n} failed: ${message}`);
    rows.push({ part: n, what: `${title}: the part failed (see below)`, goal: 'runs', value: 'failed', met: false });
    sections.push(`## ${n}. ${title}\n\nFailed:\n\n\`\`\`\n${message.slice(0, 4000)}\n\`\`\``);
    process.exitCode = 1;
  }
}

try {
  await part('1', 'Scaffolding, whole process', async () => {
    const { prepareScaffold, runScaffold } = await import('./scaffold.ts');
    return runScaffold(prepareScaffold(scratch, values.project ? resolve(values.project) : undefined), runs, warmup, int('memory-runs', 5), scratch);
  });
  await part('2', 'Rendering cost as the stack grows', async () => {
    const { runRender } = await import('./render.ts');
    return runRender(int('render-rounds', 5), 3);
  });
  await part('3', 'The generated image against three baselines', async () => {
    const { runImage } = await import('./image.ts');
    return runImage(scratch, int('image-rounds', 1));
  });
  await part('4', '`docker compose up` to all healthy', async () => {
    const { runUp } = await import('./up.ts');
    return runUp(scratch, int('up-runs', 3));
  });
  await part('5', 'Re-running with one edited file (three-way merge)', async () => {
    const { runRerun } = await import('./rerun.ts');
    return runRerun(join(values.project ? resolve(values.project) : REPO_ROOT, 'dist/bin/wpsn-docker.js'), runs, warmup, int('memory-runs', 5), scratch);
  });
  await part('6', 'Edit to served: `docker compose watch`', async () => {
    const { runWatch } = await import('./watch.ts');
    return runWatch(scratch, int('watch-rounds', 3));
  });
  await part('7', 'Every runnable catalog service: up to healthy, cost per service', async () => {
    const { runCatalog } = await import('./catalog.ts');
    return runCatalog(scratch, int('catalog-runs', 3));
  });
  await part('8', 'Scaffolding: a re-run that changes nothing, and where the time goes', async () => {
    const { runScaffoldProfile } = await import('./scaffold-profile.ts');
    return runScaffoldProfile(join(values.project ? resolve(values.project) : REPO_ROOT, 'dist/bin/wpsn-docker.js'), runs, warmup, int('memory-runs', 5), scratch);
  });
} finally {
  if (!values.keep) rmSync(scratch, { recursive: true, force: true });
  else log(`kept ${scratch}`);
}

const text = [
  '# Benchmark results',
  '',
  `\`node bench/run.ts${process.argv.slice(2).map((a) => ` ${a}`).join('')}\` (\`npm run bench\` runs it after the build), ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}.`,
  'Produced by the script; edit the script, not this file.',
  '',
  '## Machine',
  '',
  machineMarkdown(machine),
  `- wall time: from spawn to exit (performance.now() around spawnSync); ${describePeakMethod()}, in separate runs`,
  '',
  '## Goals',
  '',
  goalTable(rows),
  '',
  ...sections.flatMap((s) => [s, '']),
  ...(notes.length ? ['## Notes', '', ...notes.map((n) => `- ${n}`), ''] : []),
].join('\n');

process.stdout.write(`${text}\n`);
const allParts = ALL_PARTS.every((p) => parts.has(p));
const out = values.out ?? (allParts ? join(REPO_ROOT, 'bench/RESULTS.md') : undefined);
if (out && !values['no-write']) {
  writeFileSync(out, text);
  log(`wrote ${out}`);
} else if (!values['no-write']) {
  log('not all parts ran: bench/RESULTS.md left as it is (give --out FILE to write this run)');
}
