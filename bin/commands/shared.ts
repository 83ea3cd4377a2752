// What `wpsn-docker registry` and `wpsn-docker deploy` share: their arguments (the command's
// flags, --yes, --force, --help, one directory), the Yeoman sub-generator on a terminal,
// and the non-interactive run (re-plan, merge edited files, exit 3 on overlapping edits unless --force, apply,
// report in the CLI's own lines, bin/plan-lines.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { conflictError, conflictsOf, forcePlan, type Plan } from '../../core/plan.ts';
import { carryOut, preparePlan, readInputs, resolveInputs, type Inputs, type Planned } from '../../core/project.ts';
import type { StackSpec } from '../../schema/stack.ts';
import { planLines } from '../plan-lines.ts';
import { parseCommandLine, UsageError, type FlagSpecs } from '../args.ts';

const EXIT = { ok: 0, failure: 1, usage: 2, conflict: 3 } as const;

/** The Options section of a sub-command's help: its own rows, then --yes, --force and --help. */
export function optionLines(rows: ReadonlyArray<[string, string]>, yes: string, force: string): string[] {
  const all: Array<[string, string]> = [...rows, ['-y, --yes', yes], ['--force', force], ['-h, --help', 'show this help']];
  const width = Math.max(...all.map(([a]) => a.length)) + 2;
  return all.map(([a, b]) => `  ${a.padEnd(width)}${b}`);
}

/** A sub-command that re-plans part of a generated project (registry, deploy). */
export interface Subcommand {
  /** The word after `wpsn-docker`, and the generator's name (generators/<name>/). */
  readonly name: string;
  /** Its own string flags (core/options.ts). */
  readonly options: ReadonlyArray<{ readonly flag: string }>;
  /** The flag that chooses the targets: given, the targets are not asked about (edited files still are, on a terminal). */
  readonly listFlag: string;
  readonly usage: () => string;
  readonly pickFlags: (values: Record<string, unknown>) => Record<string, unknown>;
  /** Throws an input error unless the directory holds a generated project. */
  readonly requireProject: (inputs: Inputs, dir: string) => void;
  /** Before resolving the spec of a non-interactive run (notices on standard error). */
  readonly beforeResolve?: (inputs: Inputs) => void;
  /** Narrows the plan to the files the command owns. */
  readonly scope?: (plan: Plan, inputs: Inputs) => Plan;
  /** The closing line of every run. */
  readonly summary: (spec: StackSpec) => string;
}

function parse(command: Subcommand, argv: string[]) {
  const options: FlagSpecs = {};
  for (const o of command.options) options[o.flag] = { type: 'string' };
  options['yes'] = { type: 'boolean', short: 'y' };
  options['force'] = { type: 'boolean' };
  options['help'] = { type: 'boolean', short: 'h' };
  return parseCommandLine(argv, options);
}

/** The Yeoman sub-generator next to the app's: index.js once compiled, index.ts from source. */
function generatorPath(name: string): string {
  for (const file of ['index.js', 'index.ts']) {
    const path = fileURLToPath(new URL(`../../generators/${name}/${file}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`generator-wpsn-docker: the ${name} generator is missing`);
}

async function interactive(name: string, dir: string, values: Record<string, unknown>): Promise<number> {
  const namespace = `wpsn-docker:${name}`;
  const { createEnv } = await import('yeoman-environment');
  const env = createEnv();
  env.register(generatorPath(name), { namespace });
  await env.run([namespace, dir], { ...values });
  return EXIT.ok;
}

/** Runs a sub-command: usage errors exit 2, edited files in the way throw a ConflictError (3). */
export async function runSubcommand(command: Subcommand, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parse(command, argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`wpsn-docker ${command.name}: ${error.message}\nRun wpsn-docker ${command.name} --help for the options.\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values['help']) {
    process.stdout.write(`${command.usage()}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 1) {
    process.stderr.write(`wpsn-docker ${command.name}: one directory at most, got ${positionals.map((p) => JSON.stringify(p)).join(', ')}\n`);
    return EXIT.usage;
  }
  const dir = positionals[0] ?? '.';
  const flags = command.pickFlags(values);
  const inputs = readInputs(dir, flags);
  command.requireProject(inputs, dir);
  // On a terminal without --yes, through Yeoman even when the list flag is given: the
  // generator then asks nothing about the targets, but asks about each edited file whose
  // edits overlap the new version before anything is written (instead of exit 3).
  if (!values['yes'] && process.stdin.isTTY && process.stdout.isTTY) {
    return interactive(command.name, dir, { ...flags, force: values['force'] });
  }
  command.beforeResolve?.(inputs);
  const planFrom = (from: Inputs): Planned => {
    const prepared = preparePlan(from, resolveInputs(from));
    if (command.scope) prepared.plan = command.scope(prepared.plan, from);
    return { inputs: from, prepared };
  };
  // The plan is already narrowed to the command's files: --force and the conflicts concern only those.
  const settle = ({ prepared }: Planned): void => {
    if (values['force']) forcePlan(prepared.plan);
    else if (conflictsOf(prepared.plan).length) throw conflictError(prepared.plan);
  };
  const done = carryOut(dir, planFrom(inputs), () => planFrom(readInputs(dir, flags)), settle);
  const lines = planLines(done.prepared.plan.entries, done.yoRc.changed);
  lines.push(command.summary(done.prepared.spec));
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
