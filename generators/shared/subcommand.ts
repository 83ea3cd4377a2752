// The Yeoman plumbing the generators share (yo wpsn-docker, :registry and :deploy): the
// directory argument, --yes and --force, the exit codes `yo` exits with, asking about each
// edited file whose edits overlap the new version before anything is written, and carrying the plan out through the core's
// writer (core/project.ts carryOut), as the bin does: the same lock, journal, atomic files
// and report lines, so `yo` and the bin write the same bytes the same way.
// Not a generator itself: there is no index.ts here, so neither Yeoman's lookup nor
// scripts/bundle.ts takes this folder for one.
import { resolve } from 'node:path';
import type Generator from 'yeoman-generator';
import type { BaseOptions } from 'yeoman-generator';
import type { Problem } from '../../core/errors.ts';
import { unifiedDiff } from '../../core/diff.ts';
import { describeHunks } from '../../core/merge.ts';
import { conflictError, conflictsOf, FOREIGN_NOTE, forcePlan, resolveConflict, type Resolution } from '../../core/plan.ts';
import { carryOut, readText, type Carried, type Planned, type Prepared } from '../../core/project.ts';
import { planLines } from '../../bin/plan-lines.ts';
import { withNumericExitCode } from './exit.ts';
import { mistypedOptions } from './options.ts';

/** Exit codes as the bin uses them; `yo` exits with an error's `code`. */
export const EXIT_CODES = { input: 2, conflict: 3 } as const;

/**
 * Marks an error with the exit code `yo` (process.exit(error.code || 1)) and run-interactive
 * use: 2 input, 3 conflict, and a number for every other error too (generators/shared/exit.ts).
 */
export function withExitCode<E>(error: E): E {
  return withNumericExitCode(error) as E;
}

/** Yeoman's options plus the flags of the command (kebab-case) and the directory argument. */
export type SubcommandOptions = BaseOptions & Record<string, unknown>;

type AnyGenerator = Generator<Record<string, unknown>, SubcommandOptions>;

/** A flag of the command as targets/registry/command.ts and targets/deploy/command.ts list them. */
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
  usage.push(...mistypedOptions(gen));
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

/** What the user chose for each edited file, by path: their version, the new one, or the new one with conflict markers. */
export type Decisions = Map<string, Resolution>;

/**
 * Decides every edited file before anything is written. Edits that merge cleanly with the
 * new version need no decision (core/plan.ts `merge`). Where the edits and the new version
 * change the same lines: --force takes the new version; a non-interactive run stops (exit
 * 3, the hunks listed); on a terminal, each file is asked about in turn (keep mine, take the
 * new version, write it with conflict markers, or see the differences first). Yeoman's own
 * conflicter never asks (nothing goes through mem-fs), so no `.yo-resolve` answer can
 * differ from what --yes does.
 */
export async function decideConflicts(gen: AnyGenerator, prepared: Prepared, force: boolean): Promise<Decisions> {
  const decisions: Decisions = new Map();
  const conflicts = conflictsOf(prepared.plan);
  if (conflicts.length === 0 || force) return decisions;
  if (isNonInteractive(gen)) throw withExitCode(conflictError(prepared.plan));
  for (const entry of prepared.plan.entries.filter((e) => e.action === 'conflict')) {
    const foreign = entry.note === FOREIGN_NOTE;
    const hunks = entry.overlap ? describeHunks(entry.path, entry.overlap.hunks) : [];
    for (;;) {
      const choices = [
        { name: 'keep my version', value: 'keep' },
        { name: foreign ? 'replace it with the generated one (keep a copy in git first)' : 'take the new version (my edits are lost)', value: 'update' },
        ...(entry.overlap ? [{ name: 'write both, with conflict markers (<<<<<<< yours ... >>>>>>> generated now) to resolve by hand', value: 'markers' }] : []),
        { name: 'show the differences first', value: 'diff' },
      ];
      const answer = (await gen.env.adapter.prompt([
        {
          type: 'select',
          name: 'choice',
          message: foreign
            ? `${entry.path} is already here, and was not written by wpsn-docker. Replace it with the generated one?`
            : entry.overlap
              ? `${entry.path} was edited since it was generated, and the new version changes the same lines (${hunks.length} place${hunks.length > 1 ? 's' : ''}). What should happen to it?`
              : `${entry.path} was edited since it was generated. What should happen to it?`,
          choices,
        } as never,
      ])) as { choice?: string };
      if (answer.choice === 'diff') {
        if (hunks.length) gen.log.write(`${hunks.join('\n')}\n`);
        gen.log.write(unifiedDiff(entry.path, readText(gen.destinationPath(entry.path)), entry.generated ?? entry.content ?? ''));
        continue;
      }
      decisions.set(entry.path, answer.choice === 'update' ? 'update' : answer.choice === 'markers' && entry.overlap ? 'markers' : 'keep');
      break;
    }
  }
  return decisions;
}

/**
 * Applies the decisions to a plan (--force: the new version of every edited file); an
 * edited file nobody decided about stops the run (exit 3).
 */
export function settleWith(decisions: Decisions, force = false): (planned: Planned) => void {
  return ({ prepared }) => {
    if (force) {
      forcePlan(prepared.plan);
      return;
    }
    const undecided = prepared.plan.entries.filter((e) => e.action === 'conflict' && !decisions.has(e.path));
    if (undecided.length) {
      const rest = { ...prepared.plan, entries: undecided };
      throw withExitCode(conflictError(rest));
    }
    for (const entry of prepared.plan.entries) {
      if (entry.action === 'conflict') resolveConflict(entry, decisions.get(entry.path) ?? 'keep');
    }
  };
}

/**
 * Carries the plan out through the core, as the bin does (the project's lock, the journal,
 * each file written to a temporary file and renamed, secrets 0644 in a 0700 folder), and
 * prints the same report lines. Returns what was carried out.
 */
export function carryOutPlan(gen: AnyGenerator, planned: Planned, replan: () => Planned, decisions: Decisions, force = false): Carried {
  const done = carryOut(gen.destinationRoot(), planned, replan, settleWith(decisions, force));
  const cleaned = done.cleaned.map((path) => `${'clean'.padStart(10)} ${path} (left by an interrupted run)`);
  gen.log.writeln(planLines(done.prepared.plan.entries, done.yoRc.changed, cleaned, done.prepared.plan.modeFixes ?? []).join('\n'));
  return done;
}

/** A generator's writing step: decide the edited files, then carry the plan out (see carryOutPlan). */
export async function writePlanned(gen: AnyGenerator, planned: Planned, replan: () => Planned): Promise<Carried> {
  try {
    const force = gen.options['force'] === true;
    const decisions = await decideConflicts(gen, planned.prepared, force);
    return carryOutPlan(gen, planned, replan, decisions, force);
  } catch (error) {
    throw withExitCode(error);
  }
}
