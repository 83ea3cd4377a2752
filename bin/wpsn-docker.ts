#!/usr/bin/env node
// wpsn-docker: the app generator without Yeoman for non-interactive runs (fast start),
// and through Yeoman's environment when it has to ask questions on a terminal.
import { join } from 'node:path';
import { ConflictError, InputError } from '../core/errors.ts';
import { ANSWER_OPTIONS, CONTROL_OPTIONS } from '../core/options.ts';
import { conflictError, conflictsOf, forcePlan } from '../core/plan.ts';
import { dryRunReport } from '../core/diff.ts';
import { carryOut, nextYoRc, preparePlan, readInputs, readText, resolveInputs, type Planned } from '../core/project.ts';
import { packageVersion } from '../core/templates.ts';
import { registryNotices } from '../schema/registry.ts';
import { appNotices } from '../core/detect/notices.ts';
import { planLines } from './plan-lines.ts';
import { leaveRerunStamp, looked } from './rerun-stamp.ts';
import { writeTo } from './write-out.ts';
import { commandTypo, parseCommandLine, UsageError, type FlagSpecs } from './args.ts';

const EXIT = { ok: 0, failure: 1, usage: 2, conflict: 3 } as const;

const stdout = (text: string): void => writeTo(1, text);
const stderr = (text: string): void => writeTo(2, text);

/** Words reserved for commands (bin/args.ts COMMAND_NAMES); a directory of such a name, or of one close to it, is written as a path (./deploy). */
const COMMANDS: Record<string, string> = {
  verify: 'check that the running stack of this project is up and healthy',
  registry: 'add, remove or regenerate registry push scripts',
  deploy: 'add, remove or regenerate deploy configs per cloud target',
  bundle: 'save every image the stack needs into an offline archive',
  doctor: 'check that this machine can run the stack',
};

function usage(): string {
  const rows: Array<[string, string]> = [];
  for (const o of ANSWER_OPTIONS) {
    const value = o.kind === 'boolean' ? '' : o.choices ? ` <${o.choices.join('|')}>` : o.kind === 'number' ? ' <port>' : ' <value>';
    rows.push([`--${o.flag}${value}`, o.description]);
  }
  for (const o of CONTROL_OPTIONS) {
    rows.push([`${o.alias ? `-${o.alias}, ` : ''}--${o.flag}${o.kind === 'string' ? ' <file>' : ''}`, o.description]);
  }
  rows.push(['-h, --help', 'show this help'], ['--version', 'print the version']);
  // A long label (many choices) puts its description on the next line, in the same column.
  const width = Math.min(Math.max(...rows.map(([a]) => a.length)), 30) + 2;
  const commands = Object.entries(COMMANDS).map(([name, text]) => `  ${name.padEnd(width - 2)}${text}`);
  return [
    'Usage: wpsn-docker [directory] [options]',
    '       wpsn-docker <command> [options]',
    '',
    'Scaffolds a Dockerfile, a docker-compose.yml with Redis (and optionally a database),',
    'secrets and docs into the directory (default: the current one). Runs without questions',
    'with --yes, or when standard input is not a terminal.',
    '',
    'Options:',
    ...rows.map(([a, b]) => (a.length >= width ? `  ${a}\n  ${''.padEnd(width)}${b}` : `  ${a.padEnd(width)}${b}`)),
    '',
    'Commands (a directory named like one, or close to one, is written as a path, such as ./deploy):',
    ...commands,
    '',
    'Exit codes: 0 done (also when nothing changed), 2 invalid input or usage,',
    '3 generated files you edited where the new version changes the same lines (edits elsewhere',
    '  are merged), or files of yours that wpsn-docker did not write (Dockerfile, a Compose file),',
    '  stand in the way of a --yes run (see --force).',
  ].join('\n');
}

function parse(argv: string[]) {
  const options: FlagSpecs = {};
  for (const o of ANSWER_OPTIONS) options[o.flag] = { type: o.kind === 'boolean' ? 'boolean' : 'string' };
  for (const o of CONTROL_OPTIONS) options[o.flag] = { type: o.kind, ...(o.alias ? { short: o.alias } : {}) };
  options['help'] = { type: 'boolean', short: 'h' };
  options['version'] = { type: 'boolean' };
  options['skip-install'] = { type: 'boolean' };
  return parseCommandLine(argv, options);
}

type Runner = (argv: string[]) => Promise<number>;

/** Each command's module, loaded only when it runs: verify, bundle and doctor bring
 * dockerode, which scaffolding never needs. */
const RUNNERS: Record<string, () => Promise<Runner>> = {
  verify: async () => (await import('./commands/verify.ts')).runVerify,
  registry: async () => (await import('./commands/registry.ts')).runRegistry,
  deploy: async () => (await import('./commands/deploy.ts')).runDeploy,
  bundle: async () => (await import('./commands/bundle.ts')).runBundle,
  doctor: async () => (await import('./commands/doctor.ts')).runDoctor,
};

async function runCommand(name: string, argv: string[]): Promise<number> {
  const load = RUNNERS[name];
  if (!load) throw new Error(`no runner for the command "${name}"`);
  return (await load())(argv);
}

async function interactive(dir: string, values: Record<string, unknown>): Promise<number> {
  const { runInteractive } = await import('../generators/app/run-interactive.ts');
  return runInteractive(dir, values);
}

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return runCommand(first, argv.slice(1));
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr(`wpsn-docker: ${error.message}\nRun wpsn-docker --help for the options.\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values['help']) {
    stdout(`${usage()}\n`);
    return EXIT.ok;
  }
  if (values['version']) {
    stdout(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 1) {
    stderr(`wpsn-docker: one directory at most, got ${positionals.map((p) => JSON.stringify(p)).join(', ')}\n`);
    return EXIT.usage;
  }
  const dir = positionals[0] ?? '.';
  const typo = commandTypo(dir, Object.keys(COMMANDS));
  if (typo !== undefined) {
    stderr(`wpsn-docker: ${typo}\n`);
    return EXIT.usage;
  }
  if (!values['yes'] && process.stdin.isTTY && process.stdout.isTTY) return interactive(dir, values);

  const during = looked();
  const plan = (): Planned => {
    const inputs = readInputs(dir, values, during.note);
    return { inputs, prepared: preparePlan(inputs, resolveInputs(inputs, [], during.note)) };
  };
  const planned = plan();
  const { inputs, prepared } = planned;
  for (const notice of registryNotices(inputs.layers)) stderr(`wpsn-docker: ${notice}\n`);
  for (const notice of appNotices(inputs.facts, prepared.spec, inputs.yoRc.state?.generated === undefined)) stderr(`wpsn-docker: ${notice}\n`);
  if (values['dry-run']) {
    // Nothing written, not even a stale temporary file removed: the diff of every file.
    const yoRc = nextYoRc(inputs, prepared);
    const read = (path: string) => readText(join(dir, path));
    stdout(dryRunReport(prepared.plan.entries, yoRc, read, { force: values['force'] === true, modeFixes: prepared.plan.modeFixes ?? [] }).text);
    return EXIT.ok;
  }
  // Edited files merge with the new version; where the edits and the new version change the
  // same lines, the run stops before any write (exit 3), unless --force takes the new versions.
  const settle = ({ prepared: p }: Planned): void => {
    if (values['force']) forcePlan(p.plan);
    else if (conflictsOf(p.plan).length) throw conflictError(p.plan);
  };
  const done = carryOut(dir, planned, plan, settle);
  report(dir, done.prepared.plan, done.prepared.model.composeFile, done.yoRc.changed, done.cleaned);
  // The same command again, on the project as this run left it, is answered from this
  // stamp without loading the generator (bin/fast-rerun.ts, started by the bundled entry).
  leaveRerunStamp(dir, argv, values, done, during);
  return EXIT.ok;
}

function report(dir: string, plan: ReturnType<typeof preparePlan>['plan'], composeFile: string, yoRcChanged: boolean, cleaned: readonly string[] = []): void {
  const entries = plan.entries;
  // Temporary files an interrupted run left behind (core/write.ts), removed before writing.
  const cleanedLines = cleaned.map((path) => `${'clean'.padStart(10)} ${path} (left by an interrupted run)`);
  const lines = planLines(entries, yoRcChanged, cleanedLines, plan.modeFixes ?? []);
  stdout(`${lines.join('\n')}\n`);
  if (entries.some((e) => e.action === 'create' && e.path === composeFile)) {
    const cd = dir === '.' ? '' : `cd ${dir} && `;
    stdout(`\nNext: ${cd}docker compose up -d --build --wait   (see README.Docker.md)\n`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // By name as well as by class: the commands are loaded lazily as separate files, and in
    // the bundled bin (scripts/bundle.ts) they carry their own copy of core/errors.ts.
    const name = (error as { name?: unknown } | null)?.name;
    if (error instanceof InputError || name === 'InputError') {
      stderr(`wpsn-docker: ${(error as Error).message}\n`);
      process.exitCode = EXIT.usage;
    } else if (error instanceof ConflictError || name === 'ConflictError') {
      stderr(`wpsn-docker: ${(error as Error).message}\n`);
      process.exitCode = EXIT.conflict;
    } else if (name === 'RunError') {
      stderr(`wpsn-docker: ${(error as Error).message}\n`);
      process.exitCode = EXIT.failure;
    } else {
      stderr(`wpsn-docker: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT.failure;
    }
  },
);
