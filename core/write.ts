// Carries out a plan on disk for the bin: every file written to a temporary name and
// renamed over the old one, so a killed run leaves each file old or new, never cut.
//
// Rules (see also core/project.ts checkDestination and checkLinks):
// - temporary files are named `.<pid>.<n>.wpsn-tmp`, next to their file; a run removes
//   the ones a killed run left behind (their process is gone) in the folders it writes to;
// - nothing is written through a symbolic link: a link on the way to a file stops the run;
// - every folder the plan writes to is checked for writing before the first write, so an
//   unwritable destination fails with nothing written.
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError, type Problem } from './errors.ts';
import { TEMP_FILE_RE } from './observe.ts';
import { processAlive } from './lock.ts';
import type { Plan, PlanEntry } from './plan.ts';
import { SECRET_FILE_MODE, SECRETS_DIR, SECRETS_DIR_MODE, type ModeFix } from './secrets.ts';

let counter = 0;

export { TEMP_FILE_RE };

/**
 * TEST-ONLY: WPSN_TEST_WRITE_DELAY_MS=n makes every file write pause n ms in the middle of
 * writing its temporary file and again before the rename, announcing each file on stderr
 * (`wpsn-test-write <path>`), so that test/unit/kill-atomic.test.ts can kill a run while it
 * writes. Unset (always, outside that test), it costs nothing.
 */
const TEST_DELAY_MS = Number(process.env['WPSN_TEST_WRITE_DELAY_MS'] ?? '') || 0;

function testPause(): void {
  if (TEST_DELAY_MS > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, TEST_DELAY_MS);
}

function testAnnounce(what: string): void {
  if (TEST_DELAY_MS > 0) process.stderr.write(`wpsn-test-write ${what}\n`);
}

export function writeAtomic(path: string, content: string, mode?: number): void {
  const tmp = join(dirname(path), `.${process.pid}.${counter++}.wpsn-tmp`);
  testAnnounce(path);
  try {
    // O_EXCL and O_NOFOLLOW: never through a link or over a file someone put at this name.
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode ?? 0o666);
    try {
      const bytes = Buffer.from(content, 'utf8');
      if (TEST_DELAY_MS > 0) {
        const half = bytes.length >> 1;
        writeAll(fd, bytes.subarray(0, half));
        testPause();
        writeAll(fd, bytes.subarray(half));
      } else {
        writeAll(fd, bytes);
      }
    } finally {
      closeSync(fd);
    }
    if (mode !== undefined) chmodSync(tmp, mode);
    testPause();
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function ensureDir(dir: string, mode?: number): void {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    /* missing */
  }
  if (stat?.isDirectory()) {
    // An existing secrets/ (made by hand, or copied with a loose umask) is tightened
    // before passwords go into it: its 0644 files rely on the 0700 directory.
    if (mode !== undefined && (stat.mode & 0o777) !== mode) chmodSync(dir, mode);
    return;
  }
  makeDirs(dir, mode);
  if (mode !== undefined) chmodSync(dir, mode);
}

/**
 * `mkdir -p`, one folder at a time from the nearest existing one. (Node's own recursive
 * mkdirSync loops forever where mkdir fails with ENOENT under an existing parent, as in /proc.)
 */
function makeDirs(dir: string, mode?: number): void {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      statSync(at);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(at);
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder, mode === undefined ? undefined : { mode });
    } catch (error) {
      // Another run made it meanwhile: a folder there is all that was wanted.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(folder).isDirectory()) throw error;
    }
  }
}

/**
 * The first symbolic link on the way from `root` to `root/rel` (the file itself
 * included), as a path relative to root; undefined when there is none.
 */
export function linkOnPath(root: string, rel: string): string | undefined {
  const parts = rel.split('/').filter(Boolean);
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    cur = join(cur, parts[i]!);
    try {
      if (lstatSync(cur).isSymbolicLink()) return parts.slice(0, i + 1).join('/');
    } catch {
      return undefined; // missing from here on: nothing to follow
    }
  }
  return undefined;
}

export const writes = (e: PlanEntry): boolean => e.action === 'create' || e.action === 'update' || e.action === 'merge';

const touches = (e: PlanEntry): boolean => writes(e) || e.action === 'remove';

/** The folders a plan writes to (or, with `all`, holds files in), relative to the destination ('' for itself). */
function foldersOf(plan: Plan, all = false): string[] {
  const folders = new Set<string>(['']);
  for (const entry of plan.entries) {
    if (!all && !touches(entry)) continue;
    const parent = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
    folders.add(parent);
  }
  return [...folders].sort();
}

/**
 * Checks, before anything is written, that every folder the plan writes to can be
 * written: the folder itself when it exists, else the nearest existing folder above it
 * (where it will be made). Also refuses any symbolic link on the way to a file.
 */
export function checkWritable(dir: string, plan: Plan): void {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const rel of foldersOf(plan)) {
    let at = rel === '' ? dir : join(dir, rel);
    for (;;) {
      let stat;
      try {
        stat = statSync(at);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          const parent = dirname(at);
          if (parent === at) break;
          at = parent;
          continue;
        }
        problems.push({ field: 'directory', value: at, rule: `cannot be used (${code ?? (error as Error).message}); nothing was written` });
        break;
      }
      if (seen.has(at)) break;
      seen.add(at);
      if (!stat.isDirectory()) {
        problems.push({ field: 'directory', value: at, rule: 'is in the way of a folder the generator writes to: it exists and is not a directory' });
      } else {
        try {
          accessSync(at, constants.W_OK);
        } catch (error) {
          problems.push({ field: 'directory', value: at, rule: `is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
        }
      }
      break;
    }
  }
  for (const entry of plan.entries) {
    if (!touches(entry)) continue;
    const link = linkOnPath(dir, entry.path);
    if (link !== undefined) {
      problems.push({ field: entry.path, value: join(dir, link), rule: 'is on the way through a symbolic link: the generator never writes through links' });
    }
  }
  if (problems.length) throw new InputError(problems);
}

/**
 * Removes the temporary files a killed run left in the folders of this plan's files
 * (`.<pid>.<n>.wpsn-tmp` of a process that is gone). Returns them, relative to dir.
 */
export function cleanStaleTemps(dir: string, plan: Plan): string[] {
  const removed: string[] = [];
  for (const rel of foldersOf(plan, true)) {
    const folder = rel === '' ? dir : join(dir, rel);
    if (rel !== '' && linkOnPath(dir, rel) !== undefined) continue;
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const match = TEMP_FILE_RE.exec(name);
      if (!match || processAlive(Number(match[1]))) continue;
      const path = join(folder, name);
      try {
        if (!lstatSync(path).isFile()) continue;
        unlinkSync(path);
        removed.push(rel === '' ? name : `${rel}/${name}`);
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return removed;
}

/** Puts back the modes of secrets/ and its files; never through a link (checked when planning, and again here). */
export function applyModeFixes(dir: string, fixes: readonly ModeFix[]): void {
  for (const fix of fixes) {
    const path = join(dir, fix.path);
    if (linkOnPath(dir, fix.path) !== undefined || lstatSync(path).isSymbolicLink()) throw new Error(`refusing to change the mode of ${fix.path}: it is a symbolic link`);
    chmodSync(path, fix.to);
  }
}

export interface ApplyResult {
  /** Temporary files of an interrupted earlier run that were removed. */
  cleaned: string[];
}

/** Checks that the plan can be written, then makes the destination folder if it is missing. */
export function prepareDestination(dir: string, plan: Plan): void {
  checkWritable(dir, plan);
  try {
    ensureDir(dir);
  } catch (error) {
    // Nothing is written yet: a destination that cannot be made is an input error.
    throw new InputError([{ field: 'directory', value: dir, rule: `cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing was written` }]);
  }
}

/**
 * Carries a plan out: `journal` (a .yo-rc.json naming what is about to be written) first,
 * then every file, then the final .yo-rc.json. Call it holding the project's lock
 * (core/project.ts carryOut).
 */
export function applyPlan(dir: string, plan: Plan, yoRc: { content: string; changed: boolean }, journal?: string): ApplyResult {
  prepareDestination(dir, plan);
  const cleaned = cleanStaleTemps(dir, plan);
  if (journal !== undefined) writeAtomic(join(dir, '.yo-rc.json'), journal);
  for (const entry of plan.entries) {
    const target = join(dir, entry.path);
    if (writes(entry)) {
      const isSecret = entry.kind === 'secret';
      ensureDir(dirname(target), isSecret && dirname(entry.path) === SECRETS_DIR ? SECRETS_DIR_MODE : undefined);
      // Made just now, or checked above: still no link on the way (a race would stop here).
      const link = linkOnPath(dir, entry.path);
      if (link !== undefined) throw new Error(`refusing to write ${entry.path}: ${link} became a symbolic link while writing`);
      writeAtomic(target, entry.content ?? '', isSecret ? SECRET_FILE_MODE : entry.mode);
    } else if (entry.action === 'remove') {
      testAnnounce(`remove ${target}`);
      unlinkSync(target);
    }
  }
  applyModeFixes(dir, plan.modeFixes ?? []);
  if (yoRc.changed || journal !== undefined) writeAtomic(join(dir, '.yo-rc.json'), yoRc.content);
  return { cleaned };
}
