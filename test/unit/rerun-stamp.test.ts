// A re-run that changes nothing is answered from the project's stamp (bin/fast-rerun.ts,
// written by bin/rerun-stamp.ts) without loading the generator. Through the built bin:
// - a scaffold leaves the stamp, and the same command again is answered from it
//   (NODE_DEBUG=wpsn-docker says so) with exactly what the full run prints;
// - for many answer sets (databases, catalog services, every registry and deploy target, the
//   workshop kit, Korean docs, a user's own app, a project with a kept edit), what a stamp
//   claims holds: the full run (WPSN_FULL_RUN=1) on the same disk changes nothing and
//   prints exactly what the stamp holds;
// - every change a run could see ends the same as without a stamp: each file of the project
//   changed by one byte, removed, or (some) given another mode; new lockfiles, Compose files,
//   .npmrc, a temporary file of an interrupted run. The run with its stamp and the full run,
//   each on its own copy, exit the same, print the same and leave the same files;
// - a stamp that came with a copy or a clone never holds (inodes and change times differ):
//   only a run on this machine vouches for its files;
// - another command line, another WPSN_* variable, another build, another folder name, or
//   --dry-run / --force are never answered from the stamp.
import { appendFileSync, chmodSync, cpSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, makeTempDir, removeTempDirs, RERUN_STAMP, runCli, snapshotTree, type RunResult } from './helpers/cli.ts';

const STAMP = RERUN_STAMP;
const DEBUG = { NODE_DEBUG: 'wpsn-docker' };
const FULL = { WPSN_FULL_RUN: '1' };

beforeAll(() => {
  ensureBuilt();
});
afterAll(() => {
  removeTempDirs();
});

const answered = (r: RunResult): boolean => /WPSN-DOCKER \d+: answered from /.test(r.stderr);
/** Standard error without NODE_DEBUG's lines. */
const printed = (r: RunResult): string => r.stderr.replace(/^WPSN-DOCKER \d+: .*\n?/gm, '');

/** `wpsn-docker app --yes ...` in a fresh parent folder; returns the parent. */
function scaffold(args: readonly string[], files: Record<string, string> = {}): string {
  const parent = makeTempDir('wpsn-stamp-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(parent, 'app', path, '..'), { recursive: true });
    writeFileSync(join(parent, 'app', path), content);
  }
  const r = runCli(parent, ['app', '--yes', ...args]);
  expect(r.code, r.describe).toBe(0);
  return parent;
}

/** A copy of parent/app as other/app (the same folder name), in a fresh parent. */
function copyOf(parent: string): string {
  const other = makeTempDir('wpsn-stamp-copy-');
  cpSync(join(parent, 'app'), join(other, 'app'), { recursive: true, preserveTimestamps: true });
  return other;
}

/**
 * A copy whose stamp holds: the stamp that came with the copy does not (other inodes and
 * change times), so a first run there, which changes nothing, writes the copy's own.
 */
function stampedCopy(parent: string, args: readonly string[] = []): string {
  const other = copyOf(parent);
  const first = runCli(other, ['app', '--yes', ...args], { env: DEBUG });
  expect(first.code, first.describe).toBe(0);
  expect(answered(first), first.describe).toBe(false);
  return other;
}

/**
 * The project's files without the stamp (which only the run with stamps writes). A removed
 * password is made anew, at random, by both runs: then secrets/ compares by names and modes.
 */
const filesOf = (parent: string, newPasswords = false) => {
  const tree = snapshotTree(join(parent, 'app'));
  if (newPasswords) for (const [path, entry] of Object.entries(tree)) if (path.startsWith('secrets/')) tree[path] = { ...entry, sha256: 'made at random', size: 0 };
  return tree;
};

const OWN_APP: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'own', version: '1.0.0', scripts: { start: 'node src/index.js' }, dependencies: { express: '^4.21.2' } }, null, 2)}\n`,
  'package-lock.json': `${JSON.stringify({ name: 'own', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'own', version: '1.0.0' } } }, null, 2)}\n`,
  'src/index.js': "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('hi'));\napp.listen(process.env.PORT || 3000);\n",
};

describe('a re-run that changes nothing is answered from the stamp', () => {
  it('a scaffold leaves the stamp; the same command is answered from it, printing what the full run prints', () => {
    const parent = scaffold([]);
    expect(statSync(join(parent, 'app', STAMP)).isFile()).toBe(true);
    const copy = copyOf(parent);
    const fast = runCli(parent, ['app', '--yes'], { env: DEBUG });
    const full = runCli(copy, ['app', '--yes'], { env: FULL });
    expect(answered(fast), fast.describe).toBe(true);
    expect(fast.code).toBe(0);
    expect(fast.stdout).toBe('up to date: nothing changed\n');
    expect({ code: fast.code, stdout: fast.stdout, stderr: printed(fast) }).toEqual({ code: full.code, stdout: full.stdout, stderr: full.stderr });
    // The stamp is kept out of git and out of the build context.
    expect(readFileSync(join(parent, 'app', '.gitignore'), 'utf8')).toContain(`\n${STAMP}\n`);
    expect(readFileSync(join(parent, 'app', '.dockerignore'), 'utf8')).toContain(`\n${STAMP}\n`);
  });

  it('a stamp that came with a copy (or a clone) never holds; the first run there vouches for its own copy', () => {
    const parent = scaffold([]);
    const copy = copyOf(parent);
    const first = runCli(copy, ['app', '--yes'], { env: DEBUG });
    expect(first.stderr).toMatch(/WPSN-DOCKER \d+: \S+ no longer holds: the full run/);
    expect(first.stdout).toBe('up to date: nothing changed\n');
    const again = runCli(copy, ['app', '--yes'], { env: DEBUG });
    expect(answered(again), again.describe).toBe(true);
    expect(again.stdout).toBe(first.stdout);
  });

  const SETS: Array<[string, string[], Record<string, string>?]> = [
    ['the sample app with PostgreSQL', ['--database', 'postgres']],
    ['MariaDB and two catalog services', ['--database', 'mariadb', '--services', 'valkey,nats']],
    ['every registry and deploy target', ['--registry', 'dockerhub,ecr,gar,acr,ghcr,registry', '--deploy', 'swarm,kubernetes,ecs,aca']],
    ['the workshop kit, in Korean', ['--workshop', '--lang', 'ko']],
    ['a user app', [], OWN_APP],
    ['a user app with Redis only and another port', ['--host-port', '18080'], OWN_APP],
  ];
  it.each(SETS)('what the stamp claims holds: %s', (_name, args, files) => {
    const parent = scaffold(args, files);
    const stamp = JSON.parse(readFileSync(join(parent, 'app', STAMP), 'utf8')) as { stdout: string; stderr: string };
    const full = runCli(parent, ['app', '--yes', ...args], { env: FULL });
    expect(full.code, full.describe).toBe(0);
    expect({ stdout: full.stdout, stderr: full.stderr }).toEqual({ stdout: stamp.stdout, stderr: stamp.stderr });
    const fast = runCli(parent, ['app', '--yes', ...args], { env: DEBUG });
    expect(answered(fast), fast.describe).toBe(true);
    expect({ stdout: fast.stdout, stderr: printed(fast) }).toEqual({ stdout: full.stdout, stderr: full.stderr });
  });

  it('a project with an edit the generator keeps: the full run that changed nothing leaves a stamp with its report', () => {
    const parent = scaffold([]);
    appendFileSync(join(parent, 'app', 'server.js'), '// mine\n');
    const first = runCli(parent, ['app', '--yes'], { env: DEBUG });
    expect(answered(first)).toBe(false);
    expect(first.stdout).toContain('keep server.js');
    const again = runCli(parent, ['app', '--yes'], { env: DEBUG });
    expect(answered(again), again.describe).toBe(true);
    expect(again.stdout).toBe(first.stdout);
    const full = runCli(parent, ['app', '--yes'], { env: FULL });
    expect(full.stdout).toBe(first.stdout);
  });

  describe('every change a run could see ends as it does without a stamp', () => {
    type Change = [string, (app: string) => void];
    function changesOf(parent: string): Change[] {
      const app = join(parent, 'app');
      const files = Object.entries(snapshotTree(app))
        .filter(([, entry]) => entry.type === 'file')
        .map(([path]) => path);
      const out: Change[] = [];
      for (const path of files) {
        out.push([`${path}: one byte more`, (dir) => appendFileSync(join(dir, path), '\n')]);
        out.push([`${path}: removed`, (dir) => rmSync(join(dir, path))]);
      }
      for (const path of files.filter((p) => p.startsWith('secrets/') || p === 'Dockerfile' || p === 'package.json')) {
        out.push([`${path}: another mode`, (dir) => chmodSync(join(dir, path), 0o640)]);
      }
      const add = (path: string, content: string): Change => [`${path}: added`, (dir) => writeFileSync(join(dir, path), content)];
      out.push(
        add('yarn.lock', '# yarn lockfile v1\n'),
        add('pnpm-lock.yaml', "lockfileVersion: '9.0'\n"),
        add('compose.yaml', 'services: {}\n'),
        add('.npmrc', 'fund=false\n'),
        add('.yarnrc.yml', 'nodeLinker: node-modules\n'),
        add('.2147483646.1.wpsn-tmp', 'left by a killed run\n'),
        add('secrets/.2147483646.2.wpsn-tmp', 'left by a killed run\n'),
        ['the project folder: another mode', (dir) => chmodSync(dir, 0o750)],
      );
      return out;
    }

    it.each([
      ['the sample app', [] as string[], {}],
      ['a user app with a database', ['--database', 'postgres'], OWN_APP],
    ])('%s', (_name, args, files) => {
      const parent = scaffold(args, files);
      const changes = changesOf(parent);
      expect(changes.length).toBeGreaterThan(20);
      const answeredChanged: string[] = [];
      const answeredAdded: string[] = [];
      for (const [what, change] of changes) {
        const withStamp = stampedCopy(parent, args);
        const without = copyOf(parent);
        change(join(withStamp, 'app'));
        change(join(without, 'app'));
        const fast = runCli(withStamp, ['app', '--yes', ...args], { env: DEBUG });
        const full = runCli(without, ['app', '--yes', ...args], { env: FULL });
        const label = `${what}\n${fast.describe}\n${full.describe}`;
        expect({ code: fast.code, stdout: fast.stdout, stderr: printed(fast) }, label).toEqual({ code: full.code, stdout: full.stdout, stderr: full.stderr });
        const newPasswords = what.startsWith('secrets/') && what.endsWith(': removed');
        expect(filesOf(withStamp, newPasswords), label).toEqual(filesOf(without, newPasswords));
        if (answered(fast)) (what.endsWith(': added') ? answeredAdded : answeredChanged).push(what);
      }
      // Every file of these projects is one the run reads: a change to any of them is never
      // answered from the stamp. A file added that the run never looks at (a lockfile next to
      // the sample app) may be, and then ends the same (above).
      expect(answeredChanged).toEqual([]);
      expect(answeredAdded.every((what) => /^(yarn\.lock|pnpm-lock\.yaml): added$/.test(what)), answeredAdded.join(', ')).toBe(true);
    }, 180_000);
  });

  describe('never answered from the stamp', () => {
    let parent = '';
    beforeAll(() => {
      parent = scaffold([]);
    });
    const notAnswered = (cwd: string, args: string[], env: Record<string, string> = {}): RunResult => {
      const r = runCli(cwd, args, { env: { ...DEBUG, ...env } });
      expect(answered(r), r.describe).toBe(false);
      return r;
    };

    it('another command line, even one that means the same', () => {
      notAnswered(stampedCopy(parent), ['app', '--yes', '--host-port', '8081']);
      notAnswered(stampedCopy(parent), ['app', '-y']);
      notAnswered(stampedCopy(parent), ['app/', '--yes']);
    });

    it('another WPSN_* variable', () => {
      notAnswered(stampedCopy(parent), ['app', '--yes'], { WPSN_NO_IMAGE_INSPECT: '1' });
    });

    it('another build (the stamp names the build that wrote it)', () => {
      const copy = stampedCopy(parent);
      const path = join(copy, 'app', STAMP);
      const stamp = JSON.parse(readFileSync(path, 'utf8')) as { build: string };
      const other = `${stamp.build.slice(0, -1)}${stamp.build.endsWith('0') ? '1' : '0'}`;
      writeFileSync(path, JSON.stringify({ ...stamp, build: other }));
      notAnswered(copy, ['app', '--yes']);
    });

    it('a folder of another name (the default project name comes from it)', () => {
      const inside = makeTempDir('wpsn-stamp-dot-');
      const r = runCli(inside, ['--yes']);
      expect(r.code, r.describe).toBe(0);
      const moved = `${inside}-renamed`;
      renameSync(inside, moved);
      notAnswered(moved, ['--yes']);
      rmSync(moved, { recursive: true, force: true });
    });

    it('--dry-run and --force take the full run; --force removes the stamp', () => {
      const copy = stampedCopy(parent);
      const dry = notAnswered(copy, ['app', '--yes', '--dry-run']);
      expect(dry.code).toBe(0);
      const forced = notAnswered(copy, ['app', '--yes', '--force']);
      expect(forced.code).toBe(0);
      expect(() => statSync(join(copy, 'app', STAMP))).toThrow();
    });

    it('WPSN_FULL_RUN=1 neither reads nor writes a stamp', () => {
      const copy = stampedCopy(parent);
      const before = readFileSync(join(copy, 'app', STAMP), 'utf8');
      notAnswered(copy, ['app', '--yes'], FULL);
      expect(readFileSync(join(copy, 'app', STAMP), 'utf8')).toBe(before);
    });
  });
});
