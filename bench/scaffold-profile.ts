// Part 8: scaffolding against issue 17's goals. A re-run that changes nothing (the
// project as the first run left it) against `node -e 0`, and where a first run's time
// goes: `node --cpu-prof` over a few runs of `wpsn-docker demo --yes`, each sample
// counted once under every phase on its stack (inclusive time), and each sample's own
// function counted once by the code it comes from (self time: zod, yaml, our modules,
// Node's loader, garbage collection). And the floor under any first run: the bin loading
// every module and running nothing (`--version`), against `node -e 0`.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, median, summary, type Command } from './lib/measure.ts';
import { log, type GoalRow } from './lib/report.ts';

const ENV = { NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1', FORCE_COLOR: '0' };

/** The phases the profile is cut into: the bin's own functions (bundled names) and Node's module loading. */
const PHASES: Array<[string, string]> = [
  ['evaluate', 'everything after Node\'s own start-up: modules evaluated (zod schemas built, ...) and `main`'],
  ['main', 'the run itself (after every static import)'],
  ['resolveInputs', 'read the destination, detect the app, merge the answers, validate the spec (zod)'],
  ['resolveSpec', 'of which: merge and validate (zod)'],
  ['preparePlan', 'derive the model, render every file, plan against the disk'],
  ['deriveModel', 'of which: the model'],
  ['renderAppFiles', 'of which: render every file'],
  ['stringifyYaml', 'of which: YAML documents (`yaml`: compose file, watch override)'],
  ['renderTemplate', 'of which: the precompiled EJS templates'],
  ['carryOut', 'lock, journal, write the files and .yo-rc.json'],
];

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[]; positionTicks?: Array<{ line: number; ticks: number }> }>;
  samples: number[];
  timeDeltas: number[];
}

/** Inclusive ms per phase for one profile, and the profile's whole sampled time. */
function phasesOf(profile: CpuProfile): { total: number; phase: Record<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const names = new Set(PHASES.map(([name]) => name));
  const phase: Record<string, number> = {};
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)?.callFrame.functionName ?? '';
      if (names.has(name) && !seen.has(name)) {
        seen.add(name);
        phase[name] = (phase[name] ?? 0) + ms;
      }
    }
  });
  return { total, phase };
}

/** What each source of self time is, in the table's words. */
const SOURCE_WORDS: Record<string, string> = {
  zod: 'zod (bundled): schemas built as the modules load, and the spec validated',
  yaml: 'yaml (bundled): the Compose file and the watch override written',
  ejs: 'ejs (bundled runtime; the templates are compiled at build time)',
  core: 'ours: core/ (detect, model, render, plan, write)',
  schema: 'ours: schema/ (the spec\'s zod schemas and rules)',
  services: 'ours: services/ (the catalog modules)',
  targets: 'ours: targets/ (registries and deploy targets)',
  bin: 'ours: bin/ (the command line, the re-run stamp)',
  node: 'Node\'s own code: the module loader, built-in modules (fs, crypto, zlib, ...)',
  gc: 'V8: garbage collection',
  program: 'outside JavaScript: V8 compiling and reading the code cache, native start-up work',
  idle: 'idle: waiting on the file system',
};

/** The module each line of a bundled chunk came from: rolldown writes `// path` before each. */
function moduleLines(file: string): Array<[number, string]> {
  const starts: Array<[number, string]> = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    const m = /^\/\/ ((?:node_modules\/)?[\w@.\/-]+\.(?:ts|js|mjs|cjs))$/.exec(line);
    if (m) starts.push([i + 1, m[1]!]);
  });
  return starts;
}

/** The source a module path counts under: a bundled package by name, ours by top folder. */
function sourceOfModule(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'node_modules') return parts[1]!.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1]!;
  return parts.length > 1 ? parts[0]! : 'bin';
}

/** Self ms per source for one profile: each sample's own function, by where its code comes from. */
function sourcesOf(profile: CpuProfile, lineIndex: Map<string, Array<[number, string]>>): Record<string, number> {
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const out: Record<string, number> = {};
  const add = (key: string, ms: number): void => { out[key] = (out[key] ?? 0) + ms; };
  for (const n of profile.nodes) {
    const ms = selfMs.get(n.id);
    if (!ms) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(garbage collector)') add('gc', ms);
    else if (functionName === '(program)') add('program', ms);
    else if (functionName === '(idle)') add('idle', ms);
    else if (!url.startsWith('file:')) add('node', ms);
    else {
      const file = fileURLToPath(url);
      if (!lineIndex.has(file)) lineIndex.set(file, moduleLines(file));
      const starts = lineIndex.get(file)!;
      const at = (line: number): string => {
        let found = 'bin';
        for (const [start, path] of starts) if (start <= line) found = sourceOfModule(path); else break;
        return found;
      };
      const ticks = n.positionTicks?.length ? n.positionTicks : [{ line: lineNumber + 1, ticks: 1 }];
      const all = ticks.reduce((sum, t) => sum + t.ticks, 0);
      for (const t of ticks) add(at(t.line), (ms * t.ticks) / all);
    }
  }
  return out;
}

export function runScaffoldProfile(bin: string, runs: number, warmup: number, memoryRuns: number, scratch: string): { rows: GoalRow[]; markdown: string } {
  // The project as a first run leaves it: a re-run with the same answers changes nothing.
  const parent = mkdtempSync(join(scratch, 'noop-template-'));
  const made = spawnSync(process.execPath, [bin, 'demo', '--yes'], { cwd: parent, encoding: 'utf8', env: { ...process.env, ...ENV } });
  if (made.status !== 0) throw new Error(`wpsn-docker demo --yes exited ${made.status ?? made.signal}\n${made.stdout}${made.stderr}`);
  const node: Command = { label: 'node -e 0', argv: [process.execPath, '-e', '0'], env: ENV, freshCwd: true };
  // The first run left a stamp (bin/rerun-stamp.ts): the re-run is answered from it. The
  // stamp holds for this copy of the project only (inodes, change times), and an answered
  // re-run changes nothing, so every run is in place, in the project the first run made.
  // Checked once here (NODE_DEBUG says so), so the timed runs measure what users get.
  const unchanged = (_cwd: string, result: SpawnSyncReturns<string>): string | undefined =>
    /\b(create|update|merge|conflict)\b/.test(result.stdout) ? `changed something:\n${result.stdout}` : undefined;
  const noop: Command = { label: 'wpsn-docker demo --yes (again, nothing to change)', argv: [process.execPath, bin, 'demo', '--yes'], env: ENV, check: unchanged };
  const probe = spawnSync(process.execPath, [bin, 'demo', '--yes'], { cwd: parent, encoding: 'utf8', env: { ...process.env, ...ENV, NODE_DEBUG: 'wpsn-docker' } });
  if (probe.status !== 0 || !/: answered from /.test(probe.stderr)) throw new Error(`the re-run was not answered from the project's stamp:\n${probe.stdout}${probe.stderr}`);
  // The same re-run without the stamp: the full run (plan against the disk), for comparison.
  const full: Command = { ...noop, label: 'WPSN_FULL_RUN=1 wpsn-docker demo --yes (again, the full run)', env: { ...ENV, WPSN_FULL_RUN: '1' } };
  log(`part 8: ${noop.label} | ${node.label}: ${warmup} warm-up pair(s), ${runs} timed pairs, ${memoryRuns} memory pairs`);
  const raw = alternate(noop, node, runs, warmup, memoryRuns, parent);
  const a = summary(raw.a);
  const b = summary(raw.b);
  const ratio = a.wallMs / b.wallMs;
  log(`part 8: ${full.label} | ${node.label}`);
  const rawFull = alternate(full, node, runs, warmup, memoryRuns, parent);
  const fa = summary(rawFull.a);
  const fb = summary(rawFull.b);
  const fullRatio = fa.wallMs / fb.wallMs;

  // The floor: every module loaded (the bin's static imports, zod's schemas built), nothing run.
  const version = JSON.parse(readFileSync(join(dirname(bin), '../../package.json'), 'utf8')) as { version: string };
  const printsVersion = (_cwd: string, result: SpawnSyncReturns<string>): string | undefined =>
    result.stdout.trim() === version.version ? undefined : `printed ${JSON.stringify(result.stdout)}, not ${version.version}`;
  const load: Command = { label: 'wpsn-docker --version (every module loaded, nothing run)', argv: [process.execPath, bin, '--version'], env: ENV, freshCwd: true, check: printsVersion };
  log(`part 8: ${load.label} | ${node.label}`);
  const rawLoad = alternate(load, node, runs, warmup, 0, parent);
  const la = median(rawLoad.a.wallMs);
  const lb = median(rawLoad.b.wallMs);
  const loadRatio = la / lb;

  log('part 8: profiling 5 first runs (node --cpu-prof)');
  const profiles: Array<ReturnType<typeof phasesOf>> = [];
  const bySource: Array<Record<string, number>> = [];
  const lineIndex = new Map<string, Array<[number, string]>>();
  for (let i = 0; i < 6; i++) {
    const cwd = mkdtempSync(join(scratch, 'prof-'));
    const dir = join(cwd, 'cpu');
    const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200', bin, 'demo', '--yes'], { cwd, encoding: 'utf8', env: { ...process.env, ...ENV } });
    if (r.status !== 0) throw new Error(`profiled run exited ${r.status ?? r.signal}\n${r.stderr}`);
    // The first run fills the compile cache in this tree; the rest are what users see.
    if (i > 0) {
      for (const f of readdirSync(dir)) {
        const profile = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile;
        profiles.push(phasesOf(profile));
        bySource.push(sourcesOf(profile, lineIndex));
      }
    }
    rmSync(cwd, { recursive: true, force: true });
  }
  const med = (name: string) => median(profiles.map((p) => p.phase[name] ?? 0));
  const total = median(profiles.map((p) => p.total));
  const sourceMed = (key: string) => median(bySource.map((p) => p[key] ?? 0));
  const sources = Object.keys(SOURCE_WORDS).concat([...new Set(bySource.flatMap(Object.keys))].filter((k) => !(k in SOURCE_WORDS)).sort())
    .map((key) => [key, sourceMed(key)] as const)
    .filter(([, ms]) => ms > 0)
    .sort((x, y) => y[1] - x[1]);
  const rows: GoalRow[] = [
    { part: '8', what: 're-run that changes nothing / `node -e 0` (wall), answered from the project\'s stamp', goal: '<= 1.5x', value: `${ratio.toFixed(2)}x`, met: ratio <= 1.5 },
    { part: '8', what: 'the same re-run as a full run (`WPSN_FULL_RUN=1`) / `node -e 0` (wall)', goal: 'reported', value: `${fullRatio.toFixed(2)}x`, met: true },
    { part: '8', what: 'every module loaded, nothing run (`wpsn-docker --version`) / `node -e 0` (wall): the floor under a first run', goal: 'reported', value: `${loadRatio.toFixed(2)}x`, met: true },
  ];
  const markdown = [
    'A project as `wpsn-docker demo --yes` left it, run again with the same answers, in place (the run must report no create,',
    `update, merge or conflict, so every run finds the same project): A B A B ..., ${warmup} warm-up pair(s), ${runs} timed`,
    `pairs, ${memoryRuns} memory pairs; medians. The bin is this checkout's \`dist/\`.`,
    '',
    '| A | B | A median | B median | A / B | A peak | B peak |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    `| \`${noop.label}\` | \`${node.label}\` | ${a.wallMs.toFixed(0)} ms | ${b.wallMs.toFixed(0)} ms | ${ratio.toFixed(2)}x | ${a.peakMiB.toFixed(1)} MiB | ${b.peakMiB.toFixed(1)} MiB |`,
    `| \`${full.label}\` | \`${node.label}\` | ${fa.wallMs.toFixed(0)} ms | ${fb.wallMs.toFixed(0)} ms | ${fullRatio.toFixed(2)}x | ${fa.peakMiB.toFixed(1)} MiB | ${fb.peakMiB.toFixed(1)} MiB |`,
    `| \`${load.label}\` | \`${node.label}\` | ${la.toFixed(0)} ms | ${lb.toFixed(0)} ms | ${loadRatio.toFixed(2)}x | | |`,
    '',
    'The first run leaves a stamp (`.wpsn-docker.stamp`, bin/rerun-stamp.ts): the build, the command line, the WPSN_*',
    'variables, the uid, and what it saw of every path a run reads (kind, mode, owner, inode, change time, CRC-32). The re-run compares those',
    '(bin/fast-rerun.ts) and, when all still hold, prints what the full run would without loading the generator; the first',
    'row is checked to be answered that way before it is timed. The second row is the full run on the same copy.',
    '',
    `Where a first run's time goes: \`node --cpu-prof --cpu-prof-interval=200\` over ${profiles.length} runs of \`wpsn-docker demo --yes\``,
    '(compile cache warm), each sample counted under every phase on its stack; medians. The profiler slows the run down, so',
    `the shares matter, not the absolute times; sampled time in all: ${total.toFixed(1)} ms (Node's own bootstrap before the first`,
    'sample is not in it).',
    '',
    '| phase (function) | what it does | ms (inclusive) | share of sampled |',
    '| --- | --- | ---: | ---: |',
    ...PHASES.map(([name, what]) => `| \`${name}\` | ${what} | ${med(name).toFixed(1)} | ${((100 * med(name)) / total).toFixed(0)}% |`),
    '',
    'The same profiles by the code each sample was in (its own function only, so every sample counts once; a bundled',
    'chunk\'s lines are traced back to their module by the `// path` line the bundler writes before each one). zod\'s row',
    'holds its schemas being built while the modules load as well as the validation itself.',
    '',
    '| code | ms (self) | share of sampled |',
    '| --- | ---: | ---: |',
    ...sources.map(([key, ms]) => `| ${SOURCE_WORDS[key] ?? `${key} (bundled)`} | ${ms.toFixed(1)} | ${((100 * ms) / total).toFixed(0)}% |`),
    '',
    `The third row above is the floor: the bin loading every module it imports before \`main\` (zod's schemas built,`,
    `yaml and the templates read), then printing its version: ${loadRatio.toFixed(2)}x \`node -e 0\` before a first run does any work.`,
  ].join('\n');
  return { rows, markdown };
}
