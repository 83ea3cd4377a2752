// The re-run that changes nothing, answered without loading the generator: the CLI's
// entry (scripts/bundle.ts) asks fastRerun() first. A full run that left the project
// exactly as it generated it writes a stamp there (bin/rerun-stamp.ts): the build, the
// command line, the WPSN_* variables, the uid, and what it saw of every path a run reads.
// When all of it is still the same, a full run would plan nothing, and print what the
// stamp holds; anything different (a byte of a file, a mode, a new lockfile, a flag, another
// build) and the full run goes on as if there were no stamp.
import { readFileSync, realpathSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { debuglog } from 'node:util';
import { holdsTemps, listing, runEnvironment, STAMP_FILE, stillSees } from '../core/observe.ts';
import { writeTo } from './write-out.ts';

export interface RerunStamp {
  format: 1;
  /** The build that wrote it (scripts/bundle.ts: a digest of the bundled code and the version). */
  build: string;
  /** The command line after `wpsn-docker`, token by token. */
  argv: string[];
  /** The destination as the command line gave it ('.' when it gave none). */
  dir: string;
  /** The last name of its physical path (the default project name comes from it). */
  base: string;
  uid: number | null;
  /** Whether the command line said --yes; without it, the run was not on a terminal. */
  yes: boolean;
  env: Record<string, string>;
  /** core/observe.ts see() of each path, relative to the destination ('.' is the folder itself), or absolute (an answers file). */
  seen: Record<string, string>;
  /** core/observe.ts listing() of each folder the detection lists. */
  listed: Record<string, string>;
  /** Folders that must hold no temporary file of an interrupted write. */
  clean: string[];
  /** What the full run prints when it changes nothing. */
  stdout: string;
  stderr: string;
}

/** The build of this bin; set by the bundled entry before it asks fastRerun(), empty otherwise (no stamps then). */
export const build = { id: '' };

/** Whether stamps are read and written: in the bundled bin, unless WPSN_FULL_RUN=1 asks for the full run every time. */
export const stampsOn = (): boolean => build.id !== '' && process.env['WPSN_FULL_RUN'] !== '1';

/** NODE_DEBUG=wpsn-docker says on standard error whether a run was answered from its stamp. */
const debug = debuglog('wpsn-docker');

const sameArgv = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((token, i) => token === b[i]);

const sameRecord = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
};

/** The stamp in `dir`, when one is there and parses; never throws. */
export function readStamp(dir: string): RerunStamp | undefined {
  try {
    const stamp = JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8')) as RerunStamp;
    return stamp?.format === 1 && Array.isArray(stamp.argv) ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** Whether everything the stamp recorded still holds for this command line, here and now. */
export function stampHolds(stamp: RerunStamp, argv: readonly string[], buildId: string = build.id): boolean {
  if (buildId === '' || stamp.build !== buildId || !sameArgv(stamp.argv, argv)) return false;
  if ((process.getuid?.() ?? null) !== stamp.uid || !sameRecord(stamp.env, runEnvironment())) return false;
  // Without --yes the full run asks on a terminal: that is not a re-run that changes nothing.
  if (!stamp.yes) {
    const { isatty } = process.getBuiltinModule('node:tty') as typeof import('node:tty');
    if (isatty(0) && isatty(1)) return false;
  }
  const at = (path: string): string => (isAbsolute(path) ? path : join(stamp.dir, path));
  try {
    if (basename(realpathSync.native(stamp.dir)) !== stamp.base) return false;
  } catch {
    return false;
  }
  for (const [path, seen] of Object.entries(stamp.seen)) if (!stillSees(at(path), seen)) return false;
  for (const [path, names] of Object.entries(stamp.listed)) if (listing(at(path)) !== names) return false;
  return !stamp.clean.some((path) => holdsTemps(at(path)));
}

/**
 * Answers the run from the stamp when it holds: prints what the full run would and returns
 * true. Returns false (having printed nothing) otherwise, and for every command line the
 * stamp was not written for (commands, --help, another directory, ...).
 */
export function fastRerun(argv: readonly string[]): boolean {
  if (!stampsOn()) return false;
  // The destination is the command line's one positional: any word that is not an option
  // may be it, and the stamp says which one it was (the command line must be the same).
  const candidates = new Set(['.', ...argv.filter((token) => !token.startsWith('-'))]);
  for (const dir of candidates) {
    const stamp = readStamp(dir);
    if (!stamp || stamp.dir !== dir || !sameArgv(stamp.argv, argv)) continue;
    if (!stampHolds(stamp, argv)) {
      debug('%s no longer holds: the full run', join(dir, STAMP_FILE));
      return false;
    }
    debug('answered from %s', join(dir, STAMP_FILE));
    if (stamp.stderr) writeTo(2, stamp.stderr);
    writeTo(1, stamp.stdout);
    return true;
  }
  return false;
}
