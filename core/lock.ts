// One run at a time per project: a lock file in the project folder, held while a run
// writes. Runs that start together wait for each other instead of each making its own
// passwords (500 simultaneous first runs once made them twice, and left redis.acl not
// matching redis_password). A lock left by a killed run (its process is gone) is taken over.
import { closeSync, constants, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RunError } from './errors.ts';

export const LOCK_FILE = '.wpsn-docker.lock';

export interface Lock {
  /** Another run held the lock when this one asked: what it planned may be stale. */
  contended: boolean;
  release(): void;
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether a process with this id is running. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the project's lock, waiting up to `timeoutMs` for another run to finish. The
 * folder must exist. Throws a RunError (exit 1) when another live run keeps it.
 */
export function acquireLock(dir: string, timeoutMs = 60_000): Lock {
  const path = join(dir, LOCK_FILE);
  const deadline = Date.now() + timeoutMs;
  let contended = false;
  let wait = 5;
  for (;;) {
    try {
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        contended,
        release() {
          if (released) return;
          released = true;
          try {
            if (holder(path) === process.pid) unlinkSync(path);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    contended = true;
    const pid = holder(path);
    // Written between open and write by a live run: give it a moment. A dead holder's
    // lock is moved aside under a name of ours first, so two runs never both take it.
    if (pid !== undefined && !processAlive(pid)) {
      const aside = `${path}.${process.pid}.stale`;
      try {
        renameSync(path, aside);
        if (holder(aside) === pid) unlinkSync(aside);
        else renameSync(aside, path); // another run took it over meanwhile: put it back
      } catch {
        /* someone else moved it: try again */
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new RunError(
        `another wpsn-docker run${pid ? ` (process ${pid})` : ''} is writing this project and did not finish within ${Math.round(timeoutMs / 1000)} s; wait for it, or remove ${path} if no such run exists`,
      );
    }
    pause(wait);
    wait = Math.min(wait * 2, 50);
  }
}
