// What every error that reaches `yo` must carry, and the check that runs before Yeoman
// touches the destination.
//
// yo exits with `process.exit(error.code || 1)` (yo/lib/cli.js onError): an error whose
// `code` is a string (EACCES, ERR_...) makes that call throw a TypeError of its own, and
// the user sees a stack trace instead of the reason. Every error the generators let out
// gets a numeric code: 2 invalid input, 3 edited files in the way, 1 anything else.
//
// yo started as root switches to another user before it runs a generator (its root-check:
// downgrade-root sets the uid to $SUDO_UID, else to 1000, and the gid to $SUDO_GID when set,
// so a plain `yo` as root runs as uid 1000 with gid 0). That user often cannot read the
// folder yo started in (/root is 0700) or write the destination, and the run failed only
// at the first write, after every question. checkDestinationAccess says so before Yeoman's
// own constructor reads the folder.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConflictError, InputError } from '../../core/errors.ts';

export const EXIT_CODES = { failure: 1, input: 2, conflict: 3 } as const;

/** The exit code for an error: 2 input, 3 conflict, a numeric code it carries, else 1. */
export function exitCodeOf(error: unknown): number {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  if (error instanceof InputError || name === 'InputError') return EXIT_CODES.input;
  if (error instanceof ConflictError || name === 'ConflictError') return EXIT_CODES.conflict;
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'number' && Number.isInteger(code) && code > 0 && code < 256 ? code : EXIT_CODES.failure;
}

/**
 * The error with a numeric `code` (exitCodeOf) that `yo` can exit with. A string code it had
 * (EACCES) stays in the message, which Node's errors already name it in, and in `errno`
 * when that is not set. A thrown value that is no object becomes an Error.
 */
export function withNumericExitCode<E>(error: E): E | Error {
  const code = exitCodeOf(error);
  if (typeof error !== 'object' || error === null) return Object.assign(new Error(String(error)), { code });
  const had = (error as { code?: unknown }).code;
  if (had === code) return error;
  try {
    if (typeof had === 'string' && (error as { errno?: unknown }).errno === undefined) Object.assign(error, { errno: had });
    Object.assign(error, { code });
  } catch {
    // A frozen error: a new one with the same message, its cause the original.
    return Object.assign(new Error((error as { message?: unknown }).message as string, { cause: error }), { code });
  }
  return error;
}

/** Who the process runs as, and what tells that yo switched from root. */
export interface Identity {
  uid: number;
  gid: number;
  /** $SUDO_UID: the user `sudo` was run by, whom yo switches to. */
  sudoUid?: string | undefined;
}

export function currentIdentity(env: NodeJS.ProcessEnv = process.env): Identity | undefined {
  if (typeof process.getuid !== 'function' || typeof process.getgid !== 'function') return undefined; // Windows
  return { uid: process.getuid(), gid: process.getgid(), sudoUid: env['SUDO_UID'] };
}

/** Whether this looks like yo's switch from root: another uid, with root's group or sudo's user. */
export function switchedFromRoot(who: Identity): boolean {
  return who.uid !== 0 && (who.gid === 0 || who.sudoUid === String(who.uid));
}

type Access = (path: string, mode: number) => void;

/**
 * Why this process cannot scaffold into `dir` from `cwd`, or undefined when it can: the
 * folder it runs in must be readable (Yeoman reads its package.json), and the destination,
 * or the nearest folder above it that exists, readable and writable.
 */
export function destinationAccessProblem(dir: string, cwd: string, who: Identity | undefined, access: Access = accessSync): { path: string; rule: string } | undefined {
  const can = (path: string, mode: number): boolean => {
    try {
      access(path, mode);
      return true;
    } catch {
      return false;
    }
  };
  let blocked: { path: string; what: string } | undefined;
  if (!can(cwd, constants.R_OK | constants.X_OK)) blocked = { path: cwd, what: 'cannot read the folder it runs in' };
  else {
    let at = resolve(cwd, dir);
    for (;;) {
      if (can(at, constants.F_OK)) break;
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
    }
    if (!can(at, constants.R_OK | constants.W_OK | constants.X_OK)) {
      let isDir = true;
      try {
        isDir = statSync(at).isDirectory();
      } catch {
        isDir = true;
      }
      if (isDir) blocked = { path: at, what: at === resolve(cwd, dir) ? 'cannot write to the destination' : 'cannot write to the folder the destination is made in' };
    }
  }
  if (blocked === undefined) return undefined;
  if (who !== undefined && switchedFromRoot(who)) {
    const rule =
      `yo was started as root, so it runs generators as user ${who.uid} (yo's root-check switches to $SUDO_UID, else to 1000), ` +
      `and that user ${blocked.what}; nothing was asked. Run yo as a normal user in a folder of yours; ` +
      `or run it in a folder user ${who.uid} can write to (and can enter every folder above); ` +
      `or use wpsn-docker, which runs as whoever starts it, root included (npx -p generator-wpsn-docker wpsn-docker)`;
    return { path: blocked.path, rule };
  }
  const user = who === undefined ? 'this user' : `user ${who.uid}`;
  return { path: blocked.path, rule: `${user} ${blocked.what}; nothing was asked. Choose a folder you can write to, or make this one writable` };
}

/**
 * Throws an input error (exit 2) before a generator's constructor when the destination
 * cannot be used (destinationAccessProblem). `args` and `options` are the constructor's:
 * the directory argument, and Yeoman's environment (its cwd).
 */
export function checkDestinationAccess(args: readonly string[] | string, options: { env?: { cwd?: string } }): void {
  const list = typeof args === 'string' ? args.split(' ') : args;
  const dir = list.find((a) => typeof a === 'string' && a !== '') ?? '.';
  const cwd = options.env?.cwd ?? process.cwd();
  const problem = destinationAccessProblem(dir, cwd, currentIdentity());
  if (problem !== undefined) throw withNumericExitCode(new InputError([{ field: 'directory', value: problem.path, rule: problem.rule }]));
}

/**
 * Makes every task of a generator let out only errors with a numeric exit code (yo exits
 * with it). An own property, not a method of the class: Yeoman runs each method of a
 * generator's prototype as a task.
 */
export function guardTasks(gen: object): void {
  const target = gen as { executeTask: (...args: unknown[]) => Promise<void> };
  const execute = target.executeTask.bind(gen);
  target.executeTask = async (...args: unknown[]): Promise<void> => {
    try {
      await execute(...args);
    } catch (error) {
      throw withNumericExitCode(error);
    }
  };
}
