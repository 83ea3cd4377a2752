// Builds dist/ once per test run, before any test file starts, so the CLI tests run the
// bin exactly as it ships (`node dist/bin/wpsn-docker.js`).
//
// Register it in vitest.config.ts (unit project): `globalSetup: ['test/unit/helpers/build.ts']`.
// Without that registration, `ensureBuilt()` in ./cli.ts builds on demand instead
// (under a lock, and only when a source is newer than the last build).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = join(REPO_ROOT, 'dist/bin/wpsn-docker.js');

const key = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12);
/** Touched after every successful build: sources newer than it mean dist/ is stale. */
const STAMP = join(tmpdir(), `wpsn-docker-build-${key}.stamp`);
const LOCK = join(tmpdir(), `wpsn-docker-build-${key}.lock`);

/** Runs `tsc -p tsconfig.json`; throws with the compiler's output when it fails. */
export function buildDist(): void {
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  if (result.error) throw new Error(`building dist/ failed to start tsc: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`building dist/ failed (tsc -p tsconfig.json exited ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  // Then the bundle step, as `npm run build` does, so the tests run what ships.
  const bundle = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/bundle.ts')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  if (bundle.error || bundle.status !== 0) {
    throw new Error(`bundling dist/ failed (node scripts/bundle.ts exited ${bundle.status}):\n${bundle.stdout}${bundle.stderr}${bundle.error?.message ?? ''}`);
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  const now = new Date();
  utimesSync(STAMP, now, now);
}

function newestSourceMtime(): number {
  let newest = statSync(join(REPO_ROOT, 'tsconfig.json')).mtimeMs;
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ['schema', 'core', 'generators', 'bin', 'services', 'targets']) walk(join(REPO_ROOT, dir));
  return newest;
}

function isFresh(): boolean {
  try {
    statSync(BIN);
    return statSync(STAMP).mtimeMs >= newestSourceMtime();
  } catch {
    return false;
  }
}

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Builds under a lock that parallel test files (and parallel runs) share; without
 * `force`, only when no up-to-date build exists.
 */
export function buildDistLocked(force = false): void {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        // A lock left by a killed run.
        if (Date.now() - statSync(LOCK).mtimeMs > 300_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${LOCK}`);
      sleep(100);
    }
  }
  try {
    if (force || !isFresh()) buildDist();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    wpsnDistBuilt: boolean;
  }
}

interface ProvideTarget {
  provide: (key: 'wpsnDistBuilt', value: boolean) => void;
}

/** vitest globalSetup: one build per run, before the test files start. */
export default function setup(project?: ProvideTarget): void {
  buildDistLocked(true);
  project?.provide('wpsnDistBuilt', true);
}
