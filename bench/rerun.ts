// Part 5: a re-run of a generated project in which the user edited one file (an ENV TZ
// line in the Dockerfile) while the answers change (--port 8080), so the run merges that
// file three-way (core/merge.ts, node-diff3) and updates the rest: against `node -e 0`,
// with the scaffolding budget (part 1's first row). Every run starts from a fresh copy of
// the same edited project (copied before the clock starts).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alternate, summary, type Command } from './lib/measure.ts';
import { log, type GoalRow } from './lib/report.ts';

const ENV = { NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1', FORCE_COLOR: '0' };
const BUDGET = 3;

/** A generated project with the user's edit, made once with `bin`. */
function editedProject(bin: string, scratch: string): string {
  const parent = mkdtempSync(join(scratch, 'rerun-template-'));
  const made = spawnSync(process.execPath, [bin, 'demo', '--yes'], { cwd: parent, encoding: 'utf8', env: { ...process.env, ...ENV } });
  if (made.status !== 0) throw new Error(`wpsn-docker demo --yes exited ${made.status ?? made.signal}\n${made.stdout}${made.stderr}`);
  const dir = join(parent, 'demo');
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  if (!dockerfile.includes('ENV NODE_ENV=production\n')) throw new Error('the generated Dockerfile has no ENV NODE_ENV line to edit after');
  writeFileSync(join(dir, 'Dockerfile'), dockerfile.replace('ENV NODE_ENV=production\n', 'ENV NODE_ENV=production\nENV TZ=Europe/Berlin\n'));
  return dir;
}

export function runRerun(bin: string, runs: number, warmup: number, memoryRuns: number, scratch: string): { rows: GoalRow[]; markdown: string } {
  const template = editedProject(bin, scratch);
  const node: Command = { label: 'node -e 0', argv: [process.execPath, '-e', '0'], env: ENV, freshCwd: true };
  const rerun: Command = {
    label: 'wpsn-docker demo --yes --port 8080 (Dockerfile edited)',
    argv: [process.execPath, bin, 'demo', '--yes', '--port', '8080'],
    env: ENV,
    freshCwd: true,
    prepare: (cwd) => cpSync(template, join(cwd, 'demo'), { recursive: true }),
    check: (cwd, result) => {
      if (!/^ +merge Dockerfile$/m.test(result.stdout)) return 'did not report "merge Dockerfile"';
      const merged = readFileSync(join(cwd, 'demo/Dockerfile'), 'utf8');
      return merged.includes('ENV TZ=Europe/Berlin\n') && /^EXPOSE 8080$/m.test(merged) ? undefined : 'the merged Dockerfile lacks the edit or the new port';
    },
  };
  const scaffold: Command = {
    label: 'wpsn-docker demo --yes',
    argv: [process.execPath, bin, 'demo', '--yes'],
    env: ENV,
    freshCwd: true,
    check: (cwd) => (readFileSync(join(cwd, 'demo/Dockerfile'), 'utf8').length > 0 ? undefined : 'wrote no Dockerfile'),
  };
  const table = ['| A | B | A median | B median | A / B | A peak | B peak |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |'];
  const ratios: number[] = [];
  for (const other of [node, scaffold]) {
    log(`part 5: ${rerun.label} | ${other.label}: ${warmup} warm-up pair(s), ${runs} timed pairs, ${memoryRuns} memory pairs`);
    const raw = alternate(rerun, other, runs, warmup, memoryRuns, scratch);
    const a = summary(raw.a);
    const b = summary(raw.b);
    ratios.push(a.wallMs / b.wallMs);
    table.push(`| \`${rerun.label}\` | \`${other.label}\` | ${a.wallMs.toFixed(0)} ms | ${b.wallMs.toFixed(0)} ms | ${(a.wallMs / b.wallMs).toFixed(2)}x | ${a.peakMiB.toFixed(1)} MiB | ${b.peakMiB.toFixed(1)} MiB |`);
  }
  const [toNode, toScaffold] = ratios as [number, number];
  const rows: GoalRow[] = [
    { part: '5', what: 're-run merging one edited file / `node -e 0` (wall)', goal: `<= ${BUDGET}x (the scaffolding budget)`, value: `${toNode.toFixed(2)}x`, met: toNode <= BUDGET },
    { part: '5', what: 're-run merging one edited file / `wpsn-docker DIR --yes` (wall)', goal: '<= 1.25x', value: `${toScaffold.toFixed(2)}x`, met: toScaffold <= 1.25 },
  ];
  const markdown = [
    'A project made by `wpsn-docker demo --yes`, its Dockerfile edited (an `ENV TZ` line), re-run with `--port 8080`: the',
    'Dockerfile is merged three-way (the edit and the new `EXPOSE`), the compose file and README updated. Each run starts',
    `from a fresh copy (made before the clock starts); A B A B ..., ${warmup} warm-up pair(s), ${runs} timed pairs, ${memoryRuns} memory pairs; medians.`,
    'Against `node -e 0` (the budget part 1 gives scaffolding), and against scaffolding itself in the same conditions.',
    '',
    ...table,
  ].join('\n');
  return { rows, markdown };
}
