// Shared by the yeoman-test suites: temp dirs under the real (symlink-free) temp dir,
// removed after the file's tests with the cwd put back, and a generator runner that
// runs as `yo` would and never writes outside those temp dirs.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import helpers from 'yeoman-test';
import { afterAll } from 'vitest';

type Obj = Record<string, any>;

/** The OS temp dir with links resolved, as a generator's destinationRoot() reports it. */
export const TMP = realpathSync(tmpdir());

/**
 * A maker of fresh temp dirs under TMP. Call it at the top level of a test file: it
 * registers an afterAll that restores the cwd and removes every dir it made.
 */
export function tempDirMaker(defaultPrefix: string): (prefix?: string) => string {
  const dirs: string[] = [];
  const originalCwd = process.cwd();
  afterAll(() => {
    process.chdir(originalCwd);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix = defaultPrefix) => {
    const dir = mkdtempSync(join(TMP, prefix));
    dirs.push(dir);
    return dir;
  };
}

/** Throws unless the generator's destination is inside TMP (never this checkout). */
export function assertInTempDir(generator: unknown): void {
  const root = (generator as { destinationRoot(): string }).destinationRoot();
  if (!root.startsWith(`${TMP}${sep}`)) throw new Error(`refusing to run outside the temp dir: ${root}`);
}

/**
 * The yeoman-test context for `generator` (a file path) under `namespace`, run in `cwd`
 * as `yo` would: no --force unless given (yeoman-test forces by default, in the
 * environment and in the generator options). cd() after run(): yeoman-test restores the
 * previous run's cwd when a new run starts.
 */
export function runGenerator(generator: string, namespace: string, cwd: string, options: Obj = {}) {
  return helpers
    .run(generator, { namespace, forwardCwd: true }, { force: false } as never)
    .cd(cwd)
    .withOptions({ force: false, ...options } as never)
    .onGenerator(assertInTempDir);
}
