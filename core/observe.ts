// What a run saw of the disk, in a form a later run compares cheaply: one short string per
// path (kind, mode, owner, and for a regular file its size, inode, change time and a CRC-32
// of its bytes), a folder's sorted names where a run listed it, and whether a folder holds
// a temporary file of an interrupted write.
// Used by the re-run stamp (bin/rerun-stamp.ts writes it, bin/fast-rerun.ts checks it), so
// it imports Node's modules only: the fast path must not load the generator.
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The names of the generator's temporary files: `.<pid>.<n>.wpsn-tmp` (core/write.ts). */
export const TEMP_FILE_RE = /^\.(\d+)\.(\d+)\.wpsn-tmp$/;

/** The stamp's own file, in the project folder; never part of what it records. */
export const STAMP_FILE = '.wpsn-docker.stamp';

/**
 * The bytes' check in a file's record: a CRC-32 (node:zlib, loaded on first use; about half
 * of what node:crypto costs the fast path to load). It guards only what the change time
 * cannot: a write within the same tick of the file system's clock that keeps the size. Any
 * other change to a file gives it a new change time, which the kernel sets and no user can.
 */
export function bytesCheck(content: string | Uint8Array): string {
  const { crc32 } = process.getBuiltinModule('node:zlib') as typeof import('node:zlib');
  return `crc32:${crc32(content).toString(16).padStart(8, '0')}`;
}

/** The record without a regular file's bytes check, and whether the path is a regular file (then the check follows). */
function head(path: string): { head: string; file: boolean } {
  let stat;
  try {
    stat = lstatSync(path, { bigint: true });
  } catch {
    return { head: 'missing', file: false };
  }
  if (stat.isSymbolicLink()) return { head: `link ${readlinkSync(path)} ${existsSync(path) ? 'leads' : 'dangles'}`, file: false };
  if (stat.isDirectory()) return { head: `dir ${stat.mode} ${stat.uid}`, file: false };
  if (!stat.isFile()) return { head: `other ${stat.mode}`, file: false };
  return { head: `file ${stat.mode} ${stat.uid} ${stat.size} ${stat.dev}:${stat.ino} ${stat.ctimeNs}`, file: true };
}

/**
 * The path as a run sees it: "missing", "dir <mode> <uid>", "file <mode> <uid> <size>
 * <dev>:<ino> <ctime ns> crc32:<hex>", "link <target> <whether it leads somewhere>", or
 * "other <mode>" (a FIFO, a socket, a device). Two equal strings mean nothing a run reads of
 * that path has changed. A file's inode and change time (set by the kernel, never by a
 * user) tie the record to this copy of the project: a stamp that came with a clone or a
 * copy never holds, so only a run on this machine can vouch for these files.
 */
export function see(path: string): string {
  return whole(path, head(path));
}

/** The record of `seen` with a regular file's bytes check added. */
const whole = (path: string, seen: { head: string; file: boolean }): string => (seen.file ? `${seen.head} ${bytesCheck(readFileSync(path))}` : seen.head);

/** Whether `see(path)` would give `record` now; a file's bytes are read only when everything else about it still matches. */
export function stillSees(path: string, record: string): boolean {
  const seen = head(path);
  return (!seen.file || record.startsWith(`${seen.head} `)) && whole(path, seen) === record;
}

/** A folder's names, sorted, as a run that lists it sees them (the stamp file left out); "" when it cannot be listed. */
export function listing(path: string): string {
  try {
    return readdirSync(path)
      .filter((name) => name !== STAMP_FILE)
      .sort()
      .join('\n');
  } catch {
    return '';
  }
}

/** Whether a folder holds a temporary file that a run would clean up first (core/write.ts cleanStaleTemps). */
export function holdsTemps(path: string): boolean {
  try {
    return readdirSync(path).some((name) => TEMP_FILE_RE.test(name));
  } catch {
    return false;
  }
}

/** The variables a run reads: every WPSN_* one (test hooks, the engine check), sorted. */
export function runEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(env).sort()) if (key.startsWith('WPSN_') && env[key] !== undefined) out[key] = env[key];
  return out;
}
