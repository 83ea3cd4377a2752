// What a run saw of the disk, in a form a later run compares cheaply: one short string per
// path (kind, mode, owner, and a regular file's SHA-256), a folder's sorted names where a
// run listed it, and whether a folder holds a temporary file of an interrupted write.
// Used by the re-run stamp (bin/rerun-stamp.ts writes it, bin/fast-rerun.ts checks it), so
// it imports Node's modules only: the fast path must not load the generator.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The names of the generator's temporary files: `.<pid>.<n>.wpsn-tmp` (core/write.ts). */
export const TEMP_FILE_RE = /^\.(\d+)\.(\d+)\.wpsn-tmp$/;

/** The stamp's own file, in the project folder; never part of what it records. */
export const STAMP_FILE = '.wpsn-docker.stamp';

/**
 * The path as a run sees it: "missing", "dir <mode> <uid>", "file <mode> <uid> <size>
 * <dev>:<ino> <ctime ns> sha256:<hex>", "link <target> <whether it leads somewhere>", or
 * "other <mode>" (a FIFO, a socket, a device). Two equal strings mean nothing a run reads of
 * that path has changed. A file's inode and change time (set by the kernel, never by a
 * user) tie the record to this copy of the project: a stamp that came with a clone or a
 * copy never holds, so only a run on this machine can vouch for these files.
 */
export function see(path: string): string {
  let stat;
  try {
    stat = lstatSync(path, { bigint: true });
  } catch {
    return 'missing';
  }
  if (stat.isSymbolicLink()) return `link ${readlinkSync(path)} ${existsSync(path) ? 'leads' : 'dangles'}`;
  if (stat.isDirectory()) return `dir ${stat.mode} ${stat.uid}`;
  if (!stat.isFile()) return `other ${stat.mode}`;
  const digest = createHash('sha256').update(readFileSync(path)).digest('hex');
  return `file ${stat.mode} ${stat.uid} ${stat.size} ${stat.dev}:${stat.ino} ${stat.ctimeNs} sha256:${digest}`;
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
