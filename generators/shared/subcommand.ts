// The Yeoman plumbing the sub-generators share (yo wpsn-docker:registry and
// yo wpsn-docker:deploy): the directory argument, --yes and --force, the exit codes `yo`
// exits with, carrying a core plan out through mem-fs with Yeoman's conflicter preset, and
// the closing lines. The app generator carries its plan out through the same entry writer.
// Not a generator itself: there is no index.ts here, so neither Yeoman's lookup nor
// scripts/bundle.ts takes this folder for one.
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import type Generator from 'yeoman-generator';
import type { BaseOptions } from 'yeoman-generator';
import { ConflictError, InputError, type Problem } from '../../core/errors.ts';
import { conflictsOf, type PlanEntry } from '../../core/plan.ts';
import { nextYoRc, type Inputs, type Prepared } from '../../core/project.ts';
import { YO_RC } from '../../core/state.ts';

/** Exit codes as the bin uses them; `yo` exits with an error's `code`. */
export const EXIT_CODES = { input: 2, conflict: 3 } as const;

/** Marks an error with the exit code `yo` (process.exit(error.code || 1)) and run-interactive use. */
export function withExitCode<E>(error: E): E {
  if (error instanceof InputError) Object.assign(error, { code: EXIT_CODES.input });
  else if (error instanceof ConflictError) Object.assign(error, { code: EXIT_CODES.conflict });
  return error;
}

/** Yeoman's options plus the flags of the command (kebab-case) and the directory argument. */
export type SubcommandOptions = BaseOptions & Record<string, unknown>;

type AnyGenerator = Generator<Record<string, unknown>, SubcommandOptions>;

interface ConflicterFile {
  conflicter?: string;
}

/** A flag of the command as core/render/registry.ts and core/render/deploy/command.ts list them. */
interface StringOption {
  readonly flag: string;
  readonly description: string;
  readonly choices?: readonly string[] | undefined;
}

/**
 * Declares the directory argument, the command's string flags, --yes and --force, and
 * moves to the directory given. Returns the usage problems found (more than one directory),
 * reported as an input error when the run starts.
 */
export function declareSubcommand(gen: AnyGenerator, flags: readonly StringOption[], yesDescription: string): Problem[] {
  const usage: Problem[] = [];
  gen.argument('directory', { type: String, required: false, description: 'the generated project (default: the current directory)' });
  for (const o of flags) {
    gen.option(o.flag, { type: String, description: o.choices ? `${o.description} [${o.choices.join('|')}]` : o.description });
  }
  gen.option('yes', { type: Boolean, alias: 'y', description: yesDescription });
  gen.option('force', { type: Boolean, description: 'overwrite generated files you edited' });
  if (gen.args.length > 1) usage.push({ field: 'directory', value: gen.args, rule: 'one directory at most' });
  const dir = gen.options['directory'];
  if (typeof dir === 'string' && dir !== '') gen.destinationRoot(resolve(gen.env.cwd, dir));
  return usage;
}

/** --yes, or standard input is not a terminal: nothing is asked. */
export function isNonInteractive(gen: AnyGenerator): boolean {
  if (gen.options['yes'] === true) return true;
  const adapter = gen.env.adapter as unknown as { actualAdapter?: { stdin?: { isTTY?: boolean } }; stdin?: { isTTY?: boolean } };
  const stdin = adapter.actualAdapter?.stdin ?? adapter.stdin;
  return stdin !== undefined && stdin.isTTY !== true;
}

/** Tells Yeoman's conflicter what to do with a file without asking. */
function preset(gen: AnyGenerator, path: string, status: 'create' | 'force'): void {
  const file = gen.env.sharedFs.get(path) as unknown as ConflicterFile;
  file.conflicter = status;
}

/**
 * Puts one plan entry into mem-fs (`mode` for the file, the entry's own by default).
 * Returns whether the file is written (created, updated, or a conflict for Yeoman to ask).
 */
export function writeEntry(gen: AnyGenerator, entry: PlanEntry, force: boolean, mode: number | undefined = entry.mode): boolean {
  const target = gen.destinationPath(entry.path);
  if (entry.action === 'create' || entry.action === 'update' || entry.action === 'conflict') {
    gen.fs.write(target, entry.content ?? '', mode === undefined ? undefined : { stat: { mode } as Stats });
    // Files the plan decided on are written without asking; an edited file (conflict)
    // goes to Yeoman's conflicter, which asks, unless --force.
    if (entry.action === 'create') preset(gen, target, 'create');
    else if (entry.action === 'update' || force) preset(gen, target, 'force');
    return true;
  }
  if (entry.action === 'remove') {
    gen.fs.delete(target);
    preset(gen, target, 'force');
  }
  return false;
}

/** Writes .yo-rc.json when it changes; returns whether it did. */
export function writeYoRc(gen: AnyGenerator, inputs: Inputs, prepared: Prepared): boolean {
  const yoRc = nextYoRc(inputs, prepared);
  if (yoRc.changed) {
    const target = gen.destinationPath(YO_RC);
    gen.fs.write(target, yoRc.content);
    preset(gen, target, 'force');
  }
  return yoRc.changed;
}

/**
 * A sub-generator's writing step: exit 3 when edited files stand in the way of a
 * non-interactive run without --force, then every entry but secrets (the app generator
 * made them, and the plan only creates missing ones, which a sub-command never needs) and
 * .yo-rc.json. Returns whether .yo-rc.json changed.
 */
export function writeSubcommandPlan(gen: AnyGenerator, inputs: Inputs, prepared: Prepared): boolean {
  const { plan } = prepared;
  const force = gen.options['force'] === true;
  const conflicts = conflictsOf(plan);
  if (conflicts.length && !force && isNonInteractive(gen)) throw withExitCode(new ConflictError(conflicts));
  for (const entry of plan.entries) {
    if (entry.kind === 'secret') continue;
    writeEntry(gen, entry, force);
  }
  return writeYoRc(gen, inputs, prepared);
}

/** A sub-generator's closing lines before its summary: files kept, or nothing changed. */
export function logSubcommandEnd(gen: AnyGenerator, entries: readonly PlanEntry[], yoRcChanged: boolean): void {
  for (const e of entries) {
    if (e.action === 'keep-removed') gen.log.info(`kept ${e.path} (${e.note ?? 'no longer generated, but edited by you'})`);
  }
  const changed = entries.some((e: PlanEntry) => ['create', 'update', 'conflict', 'remove'].includes(e.action) && e.kind !== 'secret');
  if (!changed && !yoRcChanged) gen.log.writeln('up to date: nothing changed');
}
