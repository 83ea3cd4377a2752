// Part 1: scaffolding, whole process. The package is packed and installed next to yo and
// a one-file Yeoman generator in a temp npm prefix, as users get it; every command then
// runs in a fresh directory writable by uid 1000 (yo drops root to it).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { alternate, summary, type Command, type Comparison } from './lib/measure.ts';
import { REPO_ROOT, log, type GoalRow } from './lib/report.ts';

export interface ScaffoldSetup {
  work: string;
  prefix: string;
  bin: string;
  yoCli: string;
  plainWriter: string;
  /** Files the bin writes for `demo --yes`, as the plain writer writes them. */
  fileCount: number;
}

function sh(command: string, args: string[], cwd: string, timeout = 600_000): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout, env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}${r.stderr}`);
  return r;
}

function pack(dir: string, dest: string): string {
  const r = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], dir, 180_000);
  const info = JSON.parse(r.stdout) as Array<{ filename: string }>;
  return join(dest, info[0]!.filename);
}

function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else out.push(relative(root, path).split(sep).join('/'));
    }
  };
  visit(root);
  return out;
}

/** Packs the project (dist/ must be built) and the one-file generator; installs both next to yo. */
export function prepareScaffold(scratch: string, projectDir = REPO_ROOT): ScaffoldSetup {
  const work = mkdtempSync(join(scratch, 'scaffold-'));
  chmodSync(work, 0o755);
  const packs = join(work, 'pack');
  mkdirSync(packs);
  log(`part 1: packing generator-wpsn-docker (${projectDir}) and generator-onefile`);
  const project = pack(projectDir, packs);
  const onefile = pack(join(REPO_ROOT, 'bench/fixtures/generator-onefile'), packs);
  const yoVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/yo/package.json'), 'utf8')) as { version: string }).version;
  const prefix = join(work, 'prefix');
  log(`part 1: installing both next to yo@${yoVersion} in a temp prefix (npm)`);
  sh('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', project, onefile, `yo@${yoVersion}`], work);
  const bin = join(prefix, 'node_modules/generator-wpsn-docker/dist/bin/wpsn-docker.js');
  const yoCli = join(prefix, 'node_modules/yo/lib/cli.js');
  for (const path of [bin, yoCli, join(prefix, 'node_modules/generator-onefile/generators/app/index.js')]) {
    if (!existsSync(path)) throw new Error(`missing after npm install: ${path}`);
  }

  // The plain writer: the same files the bin writes, as literals, with plain writeFileSync.
  const sample = join(work, 'sample');
  mkdirSync(sample);
  sh(process.execPath, [bin, 'demo', '--yes'], sample);
  const root = join(sample, 'demo');
  const files = walk(root).map((path) => ({ path, content: readFileSync(join(root, path), 'utf8'), mode: statSync(join(root, path)).mode & 0o777 }));
  const plainWriter = join(work, 'plain-writer.mjs');
  writeFileSync(
    plainWriter,
    [
      "// Writes the files wpsn-docker writes, from literals: the floor for 'writing the same files'.",
      "import { mkdirSync, writeFileSync } from 'node:fs';",
      "import { dirname, join } from 'node:path';",
      `const FILES = ${JSON.stringify(files)};`,
      "const dir = process.argv[2] ?? '.';",
      'for (const f of FILES) {',
      '  const path = join(dir, f.path);',
      '  mkdirSync(dirname(path), { recursive: true });',
      '  writeFileSync(path, f.content, { mode: f.mode });',
      '}',
      "process.stdout.write('done\\n');",
      '',
    ].join('\n'),
  );
  rmSync(sample, { recursive: true, force: true });
  return { work, prefix, bin, yoCli, plainWriter, fileCount: files.length };
}

const ENV = { NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1', FORCE_COLOR: '0' };

const wrote = (cwd: string): string | undefined =>
  existsSync(join(cwd, 'demo/docker-compose.yml')) && existsSync(join(cwd, 'demo/Dockerfile')) ? undefined : 'wrote no demo/docker-compose.yml and demo/Dockerfile';

export function scaffoldCommands(s: ScaffoldSetup): Record<'node' | 'plain' | 'bin' | 'yoOnefile' | 'yoWpsn', Command> {
  const node = process.execPath;
  return {
    node: { label: 'node -e 0', argv: [node, '-e', '0'], env: ENV, freshCwd: true },
    plain: { label: 'plain script writing the same files', argv: [node, s.plainWriter, 'demo'], env: ENV, freshCwd: true, check: wrote },
    bin: { label: 'wpsn-docker demo --yes', argv: [node, s.bin, 'demo', '--yes'], env: ENV, freshCwd: true, check: wrote },
    yoOnefile: { label: 'yo onefile demo --yes', argv: [node, s.yoCli, 'onefile', 'demo', '--yes'], env: ENV, freshCwd: true, check: wrote },
    yoWpsn: { label: 'yo wpsn-docker demo --yes', argv: [node, s.yoCli, 'wpsn-docker', 'demo', '--yes'], env: ENV, freshCwd: true, check: wrote },
  };
}

export interface ScaffoldResult {
  rows: GoalRow[];
  raw: Record<string, Comparison>;
  markdown: string;
}

const ms = (v: number): string => `${v.toFixed(0)} ms`;
const mb = (v: number): string => `${v.toFixed(1)} MiB`;

export function runScaffold(s: ScaffoldSetup, runs: number, warmup: number, memoryRuns: number, scratch: string): ScaffoldResult {
  const c = scaffoldCommands(s);
  const pairs: Array<{ key: string; a: Command; b: Command }> = [
    { key: 'plain-vs-node', a: c.plain, b: c.node },
    { key: 'bin-vs-node', a: c.bin, b: c.node },
    { key: 'bin-vs-yo-onefile', a: c.bin, b: c.yoOnefile },
    { key: 'yo-wpsn-vs-yo-onefile', a: c.yoWpsn, b: c.yoOnefile },
  ];
  const raw: Record<string, Comparison> = {};
  for (const p of pairs) {
    log(`part 1: ${p.a.label} | ${p.b.label}: ${warmup} warm-up pair(s), ${runs} timed pairs, ${memoryRuns} memory pairs (A B A B ...)`);
    raw[p.key] = alternate(p.a, p.b, runs, warmup, memoryRuns, scratch);
  }
  const table = ['| A | B | A median | B median | A / B | A peak | B peak |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const p of pairs) {
    const a = summary(raw[p.key]!.a);
    const b = summary(raw[p.key]!.b);
    table.push(`| \`${p.a.label}\` | \`${p.b.label}\` | ${ms(a.wallMs)} | ${ms(b.wallMs)} | ${(a.wallMs / b.wallMs).toFixed(2)}x | ${mb(a.peakMiB)} | ${mb(b.peakMiB)} |`);
  }
  const binNode = raw['bin-vs-node']!;
  const binYo = raw['bin-vs-yo-onefile']!;
  const yoYo = raw['yo-wpsn-vs-yo-onefile']!;
  const r1 = summary(binNode.a).wallMs / summary(binNode.b).wallMs;
  const peak = summary(binNode.a).peakMiB;
  const r2 = summary(binYo.b).wallMs / summary(binYo.a).wallMs;
  const r3 = summary(yoYo.a).wallMs / summary(yoYo.b).wallMs;
  const rows: GoalRow[] = [
    { part: '1', what: '`wpsn-docker DIR --yes` / `node -e 0` (wall)', goal: '<= 2x', value: `${r1.toFixed(2)}x`, met: r1 <= 2 },
    { part: '1', what: '`wpsn-docker DIR --yes` peak memory', goal: '<= 64 MiB', value: mb(peak), met: peak <= 64 },
    { part: '1', what: '`yo onefile` / `wpsn-docker DIR --yes` (speed-up)', goal: '>= 4x', value: `${r2.toFixed(2)}x`, met: r2 >= 4 },
    { part: '1', what: '`yo wpsn-docker` / `yo onefile` (wall)', goal: '<= 1.15x', value: `${r3.toFixed(2)}x`, met: r3 <= 1.15 },
  ];
  const markdown = [
    `Each row alternates its two commands (A B A B ...): ${warmup} warm-up pair(s), ${runs} timed pairs (spawned directly, wall`,
    `time from spawn to exit), then ${memoryRuns} pairs for peak memory (through GNU time, whose own start-up stays out of the`,
    'times); every run in a fresh directory; medians. The package runs from `npm pack` installed next to yo (as users get',
    `it); the plain script writes the same ${s.fileCount} files from literals (the floor for this output).`,
    '',
    ...table,
  ].join('\n');
  return { rows, raw, markdown };
}

