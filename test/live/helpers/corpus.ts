// What the live corpus test (test/live/corpus.test.ts) needs around test/corpus/make-apps.ts:
// the apps made by their projects' own generators, run through the maker as a user runs it
// (one process per group of apps, each app handed over as soon as the maker reports it made),
// the generator run into an app's own folder, the "your app, as detected" block it prints,
// a limit on how many stacks build at once, and a sweep of everything a run's projects left
// on the engine.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO_ROOT } from '../../unit/helpers/build.ts';
import { docker, PROJECT_LABEL } from './docker.ts';
import { describeRun, freePort, run, type Ran } from './run.ts';
import { composeEnv, type Stack } from './stack.ts';

export const MAKER = join(REPO_ROOT, 'test/corpus/make-apps.ts');

/**
 * The maker's caches (npm, pnpm store, a pinned pnpm), kept between runs on one machine so
 * that a second run makes the apps from the npm cache: WPSN_CORPUS_CACHE, else under
 * ~/.cache when it exists, else the OS temp dir. Never in the repository.
 */
export const CORPUS_CACHE =
  process.env['WPSN_CORPUS_CACHE'] || (existsSync(join(homedir(), '.cache')) ? join(homedir(), '.cache', 'wpsn-corpus') : join(tmpdir(), 'wpsn-corpus-cache'));

/** npm's settings for installs into a made app: the maker's own cache, registry metadata reused. */
export function corpusNpmEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_cache: join(CORPUS_CACHE, 'npm'),
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

const tailOf = (text: string, lines = 15): string => text.trimEnd().split('\n').slice(-lines).join('\n');

/**
 * Runs `node test/corpus/make-apps.ts <outDir> <names...> --no-verify --cache-dir <cache>`
 * and returns one promise per app: its folder (and the time the maker took) once the maker prints "<name>: made ok", or
 * the reason it was not made (the maker's log tail for that app).
 */
export interface MadeApp {
  dir: string;
  /** The maker's own figure: seconds to make it. */
  seconds: number;
}

export function makeApps(outDir: string, names: readonly string[]): Map<string, Promise<MadeApp>> {
  const settle = new Map<string, { resolve: (made: MadeApp) => void; reject: (e: Error) => void; done: boolean }>();
  const promises = new Map<string, Promise<MadeApp>>();
  for (const name of names) {
    promises.set(
      name,
      new Promise<MadeApp>((resolve, reject) => {
        settle.set(name, { resolve, reject, done: false });
      }),
    );
    // Callers may never await an app whose test did not run; its rejection is not unhandled.
    promises.get(name)!.catch(() => undefined);
  }
  const logTail = (name: string): string => {
    try {
      return tailOf(readFileSync(join(outDir, 'logs', `${name}.log`), 'utf8'), 20);
    } catch {
      return '(no log)';
    }
  };
  const finish = (name: string, error?: Error, seconds = 0): void => {
    const s = settle.get(name);
    if (!s || s.done) return;
    s.done = true;
    if (error) s.reject(error);
    else s.resolve({ dir: join(outDir, name), seconds });
  };
  const started = performance.now();
  const child = spawn(process.execPath, [MAKER, outDir, ...names, '--no-verify', '--cache-dir', CORPUS_CACHE], {
    cwd: REPO_ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    stdout += text;
    pending += text;
    // The maker writes "<name>: made ok in 1.6 s" (or "made FAILED") for each app, in order.
    for (const m of pending.matchAll(/^([a-z0-9-]+): made (ok|FAILED) in ([\d.]+) s/gm)) {
      const [, name, outcome, seconds] = m;
      if (outcome === 'ok') finish(name!, undefined, Number(seconds));
      else finish(name!, new Error(`make-apps could not make ${name} (${seconds} s); its log ends:\n${logTail(name!)}`));
    }
    pending = pending.slice(pending.lastIndexOf('\n') + 1);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const whole = (code: number | null): string =>
    `node ${MAKER} ${outDir} ${names.join(' ')} exited ${code} after ${((performance.now() - started) / 1000).toFixed(1)} s\n--- stdout ---\n${tailOf(stdout)}\n--- stderr ---\n${tailOf(stderr)}`;
  child.on('error', (e) => {
    for (const name of names) finish(name, new Error(`make-apps did not start: ${e.message}`));
  });
  child.on('close', (code) => {
    for (const name of names) finish(name, new Error(`make-apps never reported ${name} made:\n${whole(code)}\n--- its log ---\n${logTail(name)}`));
  });
  return promises;
}

/** At most `n` callers inside at once; the others wait in the order they asked. */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export interface Detected {
  /** Each line of the block, by its label ("start", "build", "package manager", "port", ...), without "(from ...)". */
  values: Record<string, string>;
  /** The same lines as printed, sources included. */
  lines: string[];
}

/** The "your app, as detected" block of the generator's stderr, or undefined when it printed none. */
export function parseDetected(stderr: string): Detected | undefined {
  const lines = stderr.split('\n');
  const start = lines.findIndex((l) => l.includes('your app, as detected'));
  if (start < 0) return undefined;
  const values: Record<string, string> = {};
  const printed: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^ {2}([a-z][a-z ]*): (.*)$/.exec(line);
    if (!m) break;
    printed.push(`${m[1]}: ${m[2]}`);
    values[m[1]!] = m[2]!.split(' (from ')[0]!;
  }
  return { values, lines: printed };
}

export interface Generated {
  ran: Ran;
  detected: Detected | undefined;
  /** Set when the generator exited 0. */
  stack: Stack | undefined;
  /** The bin's command line, to run the same command again. */
  args: string[];
}

/**
 * Runs the built bin into an existing app's folder with --yes, a project name and a free
 * host port (the same two settings for every app, so that stacks can run side by side),
 * plus `extra` (a choice of services, never an app-specific flag).
 */
export async function generateInto(dir: string, project: string, extra: readonly string[] = []): Promise<Generated> {
  const hostPort = await freePort();
  const env = composeEnv();
  const args = [BIN, dir, '--yes', '--project-name', project, '--host-port', String(hostPort), ...extra];
  const ran = await run(process.execPath, args, { env, timeoutMs: 120_000 });
  const detected = parseDetected(ran.stderr);
  if (ran.code !== 0) return { ran, detected, stack: undefined, args };
  const passwords = new Map<string, string>();
  for (const file of readdirSync(join(dir, 'secrets'))) {
    if (file.endsWith('.acl')) continue;
    passwords.set(file, readFileSync(join(dir, 'secrets', file), 'utf8').trim());
  }
  if (passwords.size === 0) throw new Error(`no passwords were generated in ${dir}/secrets:\n${describeRun(ran)}`);
  return { ran, detected, stack: { dir, project, hostPort, baseUrl: `http://127.0.0.1:${hostPort}`, env, passwords }, args };
}

/** The same command again, in place, as a user re-runs it, with `env` added (NODE_DEBUG, WPSN_FULL_RUN). */
export function generateAgain(g: Generated, env: Record<string, string> = {}): Promise<Ran> {
  return run(process.execPath, g.args, { env: { ...composeEnv(), ...env }, timeoutMs: 120_000 });
}

/** GET without following redirects: the app's own answer. */
export async function fetchPage(url: string, timeoutMs = 10_000): Promise<{ status: number; contentType: string; body: string }> {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
}

/**
 * Removes whatever projects whose name starts with `prefix` left on the engine: containers,
 * volumes, networks and the images Compose built for them (named <project>-<service>).
 * Returns what it removed, for a warning (a clean run removes nothing here).
 */
export async function sweepProjects(prefix: string): Promise<string[]> {
  const removed: string[] = [];
  const ours = (labels: Record<string, string> | null | undefined): boolean => (labels?.[PROJECT_LABEL] ?? '').startsWith(prefix);
  for (const c of await docker.listContainers({ all: true, filters: { label: [PROJECT_LABEL] } })) {
    if (!ours(c.Labels)) continue;
    await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
    removed.push(`container ${c.Names[0] ?? c.Id}`);
  }
  const { Volumes } = await docker.listVolumes({ filters: { label: [PROJECT_LABEL] } });
  for (const v of Volumes ?? []) {
    if (!ours(v.Labels)) continue;
    await docker.getVolume(v.Name).remove().catch(() => undefined);
    removed.push(`volume ${v.Name}`);
  }
  for (const n of await docker.listNetworks({ filters: { label: [PROJECT_LABEL] } })) {
    if (!ours(n.Labels)) continue;
    await docker.getNetwork(n.Id).remove().catch(() => undefined);
    removed.push(`network ${n.Name}`);
  }
  for (const image of await docker.listImages()) {
    const tags = (image.RepoTags ?? []).filter((t) => t.startsWith(prefix));
    if (tags.length === 0) continue;
    for (const tag of tags) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    removed.push(`image ${tags.join(', ')}`);
  }
  return removed;
}
