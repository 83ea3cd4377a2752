// The package as users get it: `npm pack`, the tarball installed next to yo 7 in a temp
// prefix, and `yo wpsn-docker demo --yes` run from there. yo drops root to uid 1000
// (root-check), so it runs in a directory that uid can write (see ../shared/MACHINE.md).
// What yo writes must be byte-identical to what the bin writes, secrets' values aside.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAMP_FILE } from '../../core/observe.ts';
import { ANSWER_OPTIONS } from '../../core/options.ts';
import { ensureBuilt, expectedRedisAcl, REPO_ROOT } from './helpers/cli.ts';

const NPM_TIMEOUT = 540_000;

interface PackFile {
  path: string;
}

let work: string;
let packed: PackFile[];
let tarball: string;
let prefix: string;

function sh(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeout ?? 60_000,
  });
  if (result.error) throw result.error;
  return result;
}

const describeRun = (what: string, r: SpawnSyncReturns<string>): string =>
  `${what} exited ${r.status ?? r.signal}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;

const yoEnv = (): NodeJS.ProcessEnv => ({ ...process.env, NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1', FORCE_COLOR: '0' });

/** `PREFIX/node_modules/.bin/yo ...args` in `cwd`, timed. */
function yo(cwd: string, args: string[]): SpawnSyncReturns<string> & { ms: number } {
  const start = performance.now();
  const result = sh(join(prefix, 'node_modules/.bin/yo'), args, { cwd, env: yoEnv(), timeout: 120_000 });
  return Object.assign(result, { ms: performance.now() - start });
}

/** A directory uid 1000 can write into: yo switches to it when started as root. */
function yoDir(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  return dir;
}

interface Entry {
  type: 'file' | 'dir';
  mode: number;
  sha256?: string;
  mtimeMs?: number;
}

function tree(root: string): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      // The bin's re-run stamp (bin/rerun-stamp.ts): its own test is test/unit/rerun-stamp.test.ts.
      if (name === STAMP_FILE) continue;
      const path = join(dir, name);
      const rel = relative(root, path).split(sep).join('/');
      const stat = statSync(path);
      if (stat.isDirectory()) {
        out[`${rel}/`] = { type: 'dir', mode: stat.mode & 0o7777 };
        walk(path);
      } else {
        const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
        out[rel] = { type: 'file', mode: stat.mode & 0o7777, sha256: hash, mtimeMs: stat.mtimeMs };
      }
    }
  };
  walk(root);
  return out;
}

/** The tree without mtimes, and without the content of the random secrets. */
function comparable(t: Record<string, Entry>): Record<string, Entry> {
  return Object.fromEntries(
    Object.entries(t).map(([path, e]) => {
      const { mtimeMs: _mtime, ...rest } = e;
      if (path.startsWith('secrets/') && e.type === 'file') {
        const { sha256: _hash, ...kept } = rest;
        return [path, kept];
      }
      return [path, rest];
    }),
  );
}

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'wpsn-package-'));
  // Traversable by uid 1000, which yo runs as (it reads the installed packages from here).
  chmodSync(work, 0o755);
  const packDir = join(work, 'pack');
  mkdirSync(packDir);
  // dist/ was just built (under the build lock the other test files share): pack it as is.
  const pack = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: REPO_ROOT, timeout: 120_000 });
  expect(pack.status, describeRun('npm pack', pack)).toBe(0);
  const info = JSON.parse(pack.stdout) as Array<{ filename: string; files: PackFile[] }>;
  packed = info[0]!.files;
  tarball = join(packDir, info[0]!.filename);
  expect(existsSync(tarball), tarball).toBe(true);
  prefix = join(work, 'prefix');
  const install = sh('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', tarball, 'yo@7.0.1'], {
    cwd: work,
    timeout: NPM_TIMEOUT,
  });
  expect(install.status, describeRun('npm install', install)).toBe(0);
}, NPM_TIMEOUT + 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the built generator, the bin, the templates and the JSON Schema', () => {
    const paths = packed.map((f) => f.path);
    expect(paths).toContain('package.json');
    expect(paths).toContain('dist/generators/app/index.js');
    expect(paths).toContain('dist/generators/app/run-interactive.js');
    expect(paths).toContain('dist/bin/wpsn-docker.js');
    expect(paths).toContain('templates/app/Dockerfile.ejs');
    expect(paths.filter((p) => p.startsWith('templates/')).length).toBeGreaterThan(5);
    if (existsSync(join(REPO_ROOT, 'schema/stack.schema.json'))) expect(paths).toContain('schema/stack.schema.json');
  });

  it('ships no tests and no TypeScript sources', () => {
    const paths = packed.map((f) => f.path);
    expect(paths.filter((p) => p.startsWith('test/') || p.startsWith('dist/test/') || p.includes('/test/'))).toEqual([]);
    expect(paths.filter((p) => /\.(m|c)?ts$/.test(p) && !p.endsWith('.d.ts'))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('node_modules/') || p.endsWith('.tgz'))).toEqual([]);
  });
});

describe('yo wpsn-docker from the installed tarball', () => {
  let yoRun: ReturnType<typeof yo>;
  let yoProject: string;
  let binProject: string;

  beforeAll(() => {
    const yoCwd = yoDir('yo');
    yoRun = yo(yoCwd, ['wpsn-docker', 'demo', '--yes']);
    yoProject = join(yoCwd, 'demo');
    const binCwd = join(work, 'bin');
    mkdirSync(binCwd);
    const bin = sh(process.execPath, [join(prefix, 'node_modules/generator-wpsn-docker/dist/bin/wpsn-docker.js'), 'demo', '--yes'], {
      cwd: binCwd,
      env: yoEnv(),
    });
    expect(bin.status, describeRun('wpsn-docker demo --yes', bin)).toBe(0);
    binProject = join(binCwd, 'demo');
  }, 180_000);

  it('runs: exit 0, files written into ./demo, the next step printed', () => {
    expect(yoRun.status, describeRun('yo wpsn-docker demo --yes', yoRun)).toBe(0);
    // yo's exit code can look like success when writing failed: the files must be there.
    expect(existsSync(join(yoProject, 'docker-compose.yml')), describeRun('yo', yoRun)).toBe(true);
    // Yeoman's adapter logs to stderr.
    expect(`${yoRun.stdout}${yoRun.stderr}`).toContain('Next: cd demo && docker compose up -d --build --wait');
    expect(yoRun.stderr).toMatch(/^\s+create Dockerfile$/m);
    console.info(`yo wpsn-docker demo --yes (installed tarball, first run): ${Math.round(yoRun.ms)} ms`);
  });

  it('writes as uid 1000 when started as root (yo\'s root-check)', () => {
    const expected = process.getuid?.() === 0 ? 1000 : process.getuid?.();
    expect(statSync(join(yoProject, 'Dockerfile')).uid).toBe(expected);
  });

  it('writes the same tree as the bin, byte for byte (random secret values aside)', () => {
    const fromYo = tree(yoProject);
    const fromBin = tree(binProject);
    expect(Object.keys(fromYo)).toEqual(Object.keys(fromBin));
    expect(comparable(fromYo)).toEqual(comparable(fromBin));
    expect(readFileSync(join(yoProject, '.yo-rc.json'), 'utf8')).toBe(readFileSync(join(binProject, '.yo-rc.json'), 'utf8'));
  });

  it('makes the secrets: a 0700 directory, 0644 files, a fresh password the ACL follows', () => {
    expect(statSync(join(yoProject, 'secrets')).mode & 0o777).toBe(0o700);
    for (const f of ['redis_password', 'redis.acl']) expect(statSync(join(yoProject, 'secrets', f)).mode & 0o777, f).toBe(0o644);
    const password = readFileSync(join(yoProject, 'secrets/redis_password'), 'utf8');
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(password).not.toBe(readFileSync(join(binProject, 'secrets/redis_password'), 'utf8'));
    expect(readFileSync(join(yoProject, 'secrets/redis.acl'), 'utf8')).toBe(expectedRedisAcl(yoProject));
  });

  it('a second run changes nothing: same bytes, modes and mtimes', () => {
    const before = tree(yoProject);
    const again = yo(join(work, 'yo'), ['wpsn-docker', 'demo', '--yes']);
    expect(again.status, describeRun('second yo run', again)).toBe(0);
    expect(`${again.stdout}${again.stderr}`).toContain('up to date: nothing changed');
    expect(again.stderr).not.toMatch(/create|force|conflict/);
    expect(tree(yoProject)).toEqual(before);
  });

  it('invalid input: a non-zero exit naming the field and the flag, nothing written', () => {
    const cwd = yoDir('bad');
    const bad = yo(cwd, ['wpsn-docker', 'demo', '--yes', '--host-port', '70000']);
    expect(bad.status, describeRun('yo --host-port 70000', bad)).toBe(2);
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/app\.hostPort \(--host-port\) = 70000: the host port must be from 1 to 65535/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)('started as root in a folder uid 1000 cannot write: exit 2 before the first question, what to do, nothing written', () => {
    // A terminal (script(1)), so yo would ask; root's 0755 folder, which uid 1000 can read but not write.
    const cwd = join(work, 'root-only');
    mkdirSync(cwd);
    chmodSync(cwd, 0o755);
    const command = `${join(prefix, 'node_modules/.bin/yo')} wpsn-docker demo`;
    const run = sh('script', ['-qec', command, '/dev/null'], { cwd, env: { ...yoEnv(), TERM: 'dumb' }, timeout: 120_000 });
    const output = `${run.stdout}${run.stderr}`.replace(/\r/g, '');
    expect(run.status, describeRun('yo wpsn-docker demo (as root, on a terminal)', run)).toBe(2);
    expect(output).toContain(
      `invalid input (1 problem); nothing was written:\n  - directory = ${JSON.stringify(cwd)}: yo was started as root, so it runs generators as user 1000 (yo's root-check switches to $SUDO_UID, else to 1000), and that user cannot write to the folder the destination is made in; nothing was asked. Run yo as a normal user in a folder of yours; or run it in a folder user 1000 can write to (and can enter every folder above); or use wpsn-docker, which runs as whoever starts it, root included (npx -p generator-wpsn-docker wpsn-docker)\n`,
    );
    expect(output).not.toMatch(/\?\s+(Start command|Container port|Project name)/);
    expect(output).not.toMatch(/TypeError|ERR_INVALID_ARG_TYPE/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('options reach the generator through yo (numbers as yo parses them)', () => {
    const cwd = yoDir('flags');
    const run = yo(cwd, ['wpsn-docker', 'shop', '--yes', '--host-port', '8080', '--lang', 'ko', '--database', 'postgres']);
    expect(run.status, describeRun('yo with flags', run)).toBe(0);
    const compose = readFileSync(join(cwd, 'shop/docker-compose.yml'), 'utf8');
    expect(compose).toContain('"127.0.0.1:8080:3000"');
    expect(compose).toMatch(/image: "postgres:/);
    expect(readFileSync(join(cwd, 'shop/README.Docker.md'), 'utf8')).toMatch(/[\uAC00-\uD7A3]/);
  });

  it('yo wpsn-docker --help lists the options of core/options.ts', () => {
    const help = yo(yoDir('help'), ['wpsn-docker', '--help']);
    expect(help.status, describeRun('yo wpsn-docker --help', help)).toBe(0);
    for (const option of ANSWER_OPTIONS) expect(help.stdout, `--${option.flag}`).toContain(`--${option.flag}`);
    expect(help.stdout).toContain('--yes');
    expect(help.stdout).toContain('--force');
  });

  it('the installed bin answers --help', () => {
    const help = sh(join(prefix, 'node_modules/.bin/wpsn-docker'), ['--help'], { cwd: work, env: yoEnv() });
    expect(help.status, describeRun('wpsn-docker --help', help)).toBe(0);
    expect(help.stdout).toMatch(/^Usage: wpsn-docker/);
    expect(help.stdout).toContain('--host-port');
  });
});
