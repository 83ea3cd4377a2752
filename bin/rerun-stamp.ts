// The stamp a full run leaves for the next one (bin/fast-rerun.ts reads it): written only
// when the project is now exactly what this run generated, so that the same command,
// started again on the same disk, plans nothing. What that next run would read is read
// here, once more, from the disk as this run left it: the same inputs and the same
// detection (every path it looks at is recorded), which must give the same answers; then
// every path the plan covers, and the folders on the way. Anything else (a merged edit, a
// file kept, --force, --dry-run, a base image asked of the engine) removes the stamp.
import { readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { debuglog } from 'node:util';
import { engineConsulted } from '../core/base-image.ts';
import { appNotices } from '../core/detect/notices.ts';
import { BUILD_CONFIG_FILES } from '../core/model.ts';
import { bytesCheck, holdsTemps, listing, runEnvironment, see, STAMP_FILE } from '../core/observe.ts';
import { modelContext, physicalPath, readInputs, resolveInputs, type Carried, type Inputs, type NoteAccess } from '../core/project.ts';
import { YO_RC } from '../core/state.ts';
import { writeAtomic } from '../core/write.ts';
import { registryNotices } from '../schema/registry.ts';
import { COMPOSE_FILES } from '../schema/stack.ts';
import { build, stampsOn, type RerunStamp } from './fast-rerun.ts';
import { planLines } from './plan-lines.ts';

const debug = debuglog('wpsn-docker');

/** Every folder on the way to `path` (relative), the destination ('.') included. */
function foldersOn(path: string): string[] {
  const out: string[] = [];
  for (let d = dirname(path); d !== '.' && d !== '/' && d !== ''; d = dirname(d)) out.push(d);
  return [...out, '.'];
}

/** What the model is derived from, besides the spec (core/project.ts preparePlan). */
const modelInputs = (inputs: Inputs): string => JSON.stringify(modelContext(inputs));

/** Whether the file holds exactly `content`, byte for byte (false when it cannot be read). */
function holdsExactly(path: string, content: string): boolean {
  try {
    return readFileSync(path).equals(Buffer.from(content));
  } catch {
    return false;
  }
}

/**
 * Whether the disk holds exactly what the plan generated, by the paths as `seen` and their
 * bytes now: every file as rendered, every secret there, every removal done; and no edit
 * kept, merged or in conflict (a re-run would report those again).
 */
function asGenerated(dir: string, done: Carried, seen: Readonly<Record<string, string>>): boolean {
  return done.prepared.plan.entries.every((entry) => {
    const now = seen[entry.path] ?? 'missing';
    if (entry.kind === 'secret') return now.startsWith('file ');
    if (entry.kind === 'removed') return entry.action === 'remove' && now === 'missing';
    const content = entry.content ?? '';
    return ['create', 'update', 'unchanged'].includes(entry.action) && now.startsWith('file ') && now.endsWith(` ${bytesCheck(content)}`) && holdsExactly(join(dir, entry.path), content);
  });
}

/** The paths a run looked at, as core/project.ts NoteAccess hears them. */
export interface Looked {
  seen: Set<string>;
  listed: Set<string>;
  note: NoteAccess;
}

export function looked(): Looked {
  const seen = new Set<string>();
  const listed = new Set<string>();
  return { seen, listed, note: (path, how) => (how === 'list' ? listed : seen).add(path) };
}

/** Whether the run changed nothing on disk: every file unchanged or kept, .yo-rc.json as it was, nothing cleaned or fixed. */
function wroteNothing(done: Carried): boolean {
  const plan = done.prepared.plan;
  return !done.yoRc.changed && done.cleaned.length === 0 && !plan.modeFixes?.length && plan.entries.every((e) => ['unchanged', 'keep', 'keep-removed'].includes(e.action));
}

/**
 * The stamp for the project as `done` left it, or why a re-run could not be answered from
 * one. `during` holds what this run's inputs looked at.
 * - A run that changed nothing: the next one, on the same disk, looks at the same paths and
 *   prints the same report (edited files kept included).
 * - A run that wrote: only when the disk now holds exactly what it generated, and the next
 *   run reports "up to date". Without a detected app (the sample app) nothing it looks at
 *   depends on the disk beyond the fixed names and the spec, which it reads back from
 *   .yo-rc.json; a detected app is detected once more here, from the disk as this run left
 *   it, since the next run takes its answers from .yo-rc.json and may look elsewhere.
 */
export function stampFor(dir: string, argv: readonly string[], values: Record<string, unknown>, done: Carried, during: Looked): RerunStamp | string {
  if (!stampsOn() || values['dry-run'] || values['force']) return 'the run was --dry-run or --force';
  const still = wroteNothing(done);
  if (!still && !done.prepared.plan.entries.every((e) => ['create', 'update', 'unchanged', 'keep', 'remove'].includes(e.action))) return 'the run merged, kept or forced an edit';
  let next = during;
  let inputs = done.inputs;
  let spec = done.prepared.spec;
  if (!still && done.inputs.facts !== undefined) {
    next = looked();
    inputs = readInputs(dir, values, next.note);
    spec = resolveInputs(inputs, [], next.note);
    if (JSON.stringify(spec) !== JSON.stringify(done.prepared.spec)) return 'the answers read back differ from this run\'s';
    if (modelInputs(inputs) !== modelInputs(done.inputs)) return 'the app detected again differs from this run\'s';
  }
  const seenPaths = new Set<string>(['.', YO_RC, 'package.json', ...COMPOSE_FILES, ...Object.keys(BUILD_CONFIG_FILES), ...next.seen]);
  const listedPaths = next.listed;
  if (engineConsulted()) return 'the run asked the engine about the base image';
  const plan = done.prepared.plan;
  const covered = [...plan.entries.map((e) => e.path), ...done.prepared.model.secrets.map((s) => s.file), ...Object.keys(plan.recorded), ...Object.keys(done.inputs.yoRc.state?.generated?.files ?? {})];
  const folders = new Set<string>();
  for (const path of covered) {
    seenPaths.add(path);
    for (const folder of foldersOn(path)) folders.add(folder);
  }
  for (const folder of folders) seenPaths.add(folder);
  for (const path of [...seenPaths]) for (const folder of foldersOn(path)) seenPaths.add(folder);
  const at = (path: string): string => join(dir, path);
  const seen: Record<string, string> = {};
  for (const path of [...seenPaths].sort()) seen[path] = see(at(path));
  if (!still && !asGenerated(dir, done, seen)) return 'the disk does not hold exactly what the run generated';
  const answers = values['answers'];
  if (typeof answers === 'string' && answers !== '') seen[resolve(answers)] = see(resolve(answers));
  const listed: Record<string, string> = {};
  for (const path of [...listedPaths].sort()) listed[path] = listing(at(path));
  const clean = [...folders].sort();
  if (clean.some((folder) => holdsTemps(at(folder)))) return 'a temporary file of another run is there';
  // What the next run prints before its report: it is not a first run (.yo-rc.json records the files).
  const notices = [...registryNotices(inputs.layers), ...appNotices(inputs.facts, spec, false)];
  return {
    format: 1,
    build: build.id,
    argv: [...argv],
    dir,
    base: basename(physicalPath(dir)),
    uid: process.getuid?.() ?? null,
    yes: values['yes'] === true,
    env: runEnvironment(),
    seen,
    listed,
    clean,
    stdout: `${planLines(still ? done.prepared.plan.entries : [], false).join('\n')}\n`,
    stderr: notices.map((n) => `wpsn-docker: ${n}\n`).join(''),
  };
}

/**
 * Writes the stamp for the project as `done` left it, or removes the one there when this
 * run leaves none (an old stamp must never outlive the state it describes). A stamp is a
 * shortcut: failing to write one never fails the run.
 */
export function leaveRerunStamp(dir: string, argv: readonly string[], values: Record<string, unknown>, done: Carried, during: Looked): void {
  if (!stampsOn()) return;
  const path = join(dir, STAMP_FILE);
  try {
    const stamp = stampFor(dir, argv, values, done, during);
    if (typeof stamp === 'string') {
      debug('no stamp: %s', stamp);
      rmSync(path, { force: true });
    } else writeAtomic(path, `${JSON.stringify(stamp)}\n`);
  } catch (error) {
    debug('no stamp: %s', (error as Error).message);
    try {
      rmSync(path, { force: true });
    } catch {
      /* left: the next run checks it in full, and it answers only while it still holds */
    }
  }
}
