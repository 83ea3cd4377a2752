// Helpers for tests that spawn the real, built bin: build once, run in a temp dir, and
// snapshot a directory tree to prove "byte-identical afterwards".
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { inject } from 'vitest';
import { STAMP_FILE } from '../../../core/observe.ts';
import { DEFAULT_REDIS_APP_PERMISSIONS } from '../../../schema/stack.ts';
import { BIN, buildDistLocked, REPO_ROOT } from './build.ts';

export { BIN, REPO_ROOT };

let built = false;

/**
 * Makes sure dist/ holds a build of the current sources. With the globalSetup
 * (test/unit/helpers/build.ts) registered this is a no-op; without it, it builds once
 * (under a lock shared by parallel test files) when the sources are newer than the last build.
 */
export function ensureBuilt(): void {
  if (built) return;
  let provided = false;
  try {
    provided = inject('wpsnDistBuilt') === true;
  } catch {
    provided = false;
  }
  if (!provided) buildDistLocked(false);
  built = true;
}

export interface RunResult {
  /** Exit code; null when the process was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Everything for an assertion message. */
  describe: string;
}

export interface RunOptions {
  /** Extra environment (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** The environment a run starts from: ours, without anything that could steer the bin or Compose. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', NO_UPDATE_NOTIFIER: '1' };
  for (const name of Object.keys(env)) {
    if (name.startsWith('COMPOSE_') || name === 'FORCE_COLOR') delete env[name];
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** `node dist/bin/wpsn-docker.js ...args` in `cwd`, non-interactive (stdin ignored). */
export function runCli(cwd: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: cleanEnv(options.env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 30_000,
  });
  if (result.error) throw result.error;
  const code = result.status;
  const stdout = result.stdout;
  const stderr = result.stderr;
  return {
    code,
    signal: result.signal,
    stdout,
    stderr,
    describe: `wpsn-docker ${args.map((a) => JSON.stringify(a)).join(' ')} (in ${cwd}) exited ${code ?? result.signal}\n--- stdout\n${stdout}--- stderr\n${stderr}`,
  };
}

const tempDirs: string[] = [];

/** A fresh empty directory under the OS temp dir; removed by `removeTempDirs()`. */
export function makeTempDir(prefix = 'wpsn-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface TreeEntry {
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits, such as 0o644, written in octal for readable diffs. */
  mode: string;
  /** sha256 of the content (files) or the link target (symlinks). */
  sha256?: string;
  size?: number;
}

/** The re-run stamp (bin/rerun-stamp.ts): what one machine's last run saw, not a generated file. */
export const RERUN_STAMP = STAMP_FILE;

/**
 * Relative path (with "/") -> type, mode and content hash, for every entry under `root`;
 * the re-run stamp of a project folder only with `withStamp` (test/unit/rerun-stamp.test.ts
 * proves what it holds and when it is written).
 */
export function snapshotTree(root: string, { withStamp = false } = {}): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === RERUN_STAMP && !withStamp) continue;
      const path = join(dir, name);
      const rel = relative(root, path).split(sep).join('/');
      const stat = lstatSync(path);
      const mode = `0${(stat.mode & 0o7777).toString(8)}`;
      if (stat.isSymbolicLink()) {
        out[rel] = { type: 'symlink', mode, sha256: sha256(readlinkSync(path)) };
      } else if (stat.isDirectory()) {
        out[`${rel}/`] = { type: 'dir', mode };
        walk(path);
      } else {
        const content = readFileSync(path);
        out[rel] = { type: 'file', mode, sha256: sha256(content), size: content.length };
      }
    }
  };
  walk(root);
  return out;
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The files (not directories) of a snapshot, sorted. */
export function filesOf(tree: Record<string, TreeEntry>): string[] {
  return Object.keys(tree)
    .filter((p) => tree[p]!.type !== 'dir')
    .sort();
}

export function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

/** Every file a default project (`--yes`, no extras) holds, sorted: the bin and the generator write the same. */
export const DEFAULT_PROJECT_FILES: readonly string[] = [
  '.dockerignore',
  '.env.example',
  '.gitattributes',
  '.gitignore',
  '.yo-rc.json',
  'Dockerfile',
  'README.Docker.md',
  'compose.watch.yaml',
  'docker-compose.yml',
  'package-lock.json',
  'package.json',
  'secrets/redis.acl',
  'secrets/redis_admin_password',
  'secrets/redis_password',
  'server.js',
];

/**
 * The Redis ACL a project's secrets/redis.acl must hold: the app's default user with the
 * default permissions and the admin user, each with the SHA-256 of its password file.
 */
export function expectedRedisAcl(dir: string, appPassword?: string): string {
  const digest = (text: string) => createHash('sha256').update(text).digest('hex');
  const app = appPassword ?? readFileSync(join(dir, 'secrets/redis_password'), 'utf8').trim();
  const admin = readFileSync(join(dir, 'secrets/redis_admin_password'), 'utf8').trim();
  return `user default on #${digest(app)} ${DEFAULT_REDIS_APP_PERMISSIONS}\nuser admin on #${digest(admin)} ~* &* +@all\n`;
}
