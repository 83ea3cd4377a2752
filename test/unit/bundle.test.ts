// scripts/bundle.ts: the bin and the generators as shipped after `npm run build` (tsc, then
// the bundle). Built here into a temp copy of the package, then run side by side with the
// unbundled bin (its TypeScript source, run by Node): every output byte, exit code and
// message must be the same.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAMP_FILE } from '../../core/observe.ts';
import { nextSteps } from '../../bin/commands/bundle.ts';
import { ANSWER_OPTIONS } from '../../core/options.ts';
import { MODULE_TEMPLATE_ROOTS } from '../../core/templates.ts';
import { cleanEnv, ensureBuilt, REPO_ROOT } from './helpers/cli.ts';

/** The bin as written, module by module (dist/ may itself be bundled). */
const SOURCE_BIN = join(REPO_ROOT, 'bin/wpsn-docker.ts');

const TMP = realpathSync(tmpdir());
let root: string;
let bundledBin: string;
let bundleLog: string;

function sh(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

beforeAll(() => {
  ensureBuilt();
  // A package root as npm installs it: package.json, templates/, the modules' own
  // templates (package.json "files": services/**/*.ejs, targets/**/*.ejs), dist/ (and node_modules).
  root = mkdtempSync(join(TMP, 'wpsn-bundle-'));
  cpSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
  cpSync(join(REPO_ROOT, 'templates'), join(root, 'templates'), { recursive: true });
  for (const modules of MODULE_TEMPLATE_ROOTS) {
    const from = join(REPO_ROOT, modules);
    if (existsSync(from)) cpSync(from, join(root, modules), { recursive: true, filter: (path) => statSync(path).isDirectory() || path.endsWith('.ejs') });
  }
  cpSync(join(REPO_ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  const r = sh(process.execPath, [join(REPO_ROOT, 'scripts/bundle.ts'), '--dist', join(root, 'dist')], REPO_ROOT);
  bundleLog = `${r.stdout}${r.stderr}`;
  expect(r.status, bundleLog).toBe(0);
  bundledBin = join(root, 'dist/bin/wpsn-docker.js');
}, 180_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Every file under a directory: path -> bytes (secret values replaced by their length). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      // The bin's re-run stamp (bin/rerun-stamp.ts): its own test is test/unit/rerun-stamp.test.ts.
      if (name === STAMP_FILE) continue;
      const path = join(d, name);
      const rel = relative(dir, path).split(sep).join('/');
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else {
        const text = readFileSync(path, 'utf8');
        const mode = (stat.mode & 0o777).toString(8);
        out[rel] = rel.startsWith('secrets/') ? `${mode} (${text.length} bytes)` : `${mode}\n${text}`;
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

interface Side {
  code: number | null;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
}

/** Runs the same steps with the unbundled bin and with the bundled bin, each in its own temp dir. */
function both(steps: Array<{ args: string[]; before?: (dir: string) => void }>): { source: Side; bundled: Side } {
  const run = (bin: string): Side => {
    const cwd = mkdtempSync(join(TMP, 'wpsn-bundle-run-'));
    try {
      let last: SpawnSyncReturns<string> | undefined;
      for (const step of steps) {
        step.before?.(cwd);
        last = sh(process.execPath, [bin, ...step.args], cwd);
      }
      const scrub = (text: string) => text.replaceAll(cwd, '<cwd>');
      return { code: last!.status, stdout: scrub(last!.stdout), stderr: scrub(last!.stderr), files: tree(join(cwd, 'demo')) };
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  };
  return { source: run(SOURCE_BIN), bundled: run(bundledBin) };
}

describe('the bundle as built', () => {
  it('has an executable entry with a hashbang, and only the entry files the package needs', () => {
    const text = readFileSync(bundledBin, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bundledBin).mode & 0o111).toBe(0o111);
    expect(text).toMatch(/enableCompileCache/);
    for (const name of readdirSync(join(REPO_ROOT, 'generators'))) {
      if (existsSync(join(REPO_ROOT, 'generators', name, 'index.ts'))) expect(existsSync(join(root, 'dist/generators', name, 'index.js')), name).toBe(true);
    }
    expect(bundleLog).toMatch(/bundled \d+ files/);
  });

  it('holds zod, yaml, ejs and every template; imports only Node built-ins, packages and relative files', () => {
    const chunks = readdirSync(join(root, 'dist/chunks')).map((f) => join(root, 'dist/chunks', f));
    const all = [bundledBin, ...chunks, join(root, 'dist/generators/app/index.js')].map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(all).not.toMatch(/from\s*["'](zod|yaml|ejs)["']/);
    expect(all).not.toMatch(/import\(["'](zod|yaml|ejs)["']\)/);
    expect(all).toContain('app/Dockerfile.ejs');
    expect(all).toContain('targets/registry/_lib.sh.ejs');
    // Nothing that only exists on the machine that built it.
    expect(all).not.toContain(REPO_ROOT);
    expect(all).not.toContain(root);
    expect(all).not.toContain('wpsn-dist:');
    // Built-ins are required (CommonJS), not imported as ES modules (see scripts/bundle.ts).
    expect(all).not.toMatch(/^import [^;]*from "node:(fs|path|crypto|util|net|url)";$/m);
    // ASCII only: V8 then keeps the source as one byte per character.
    expect(/[^\x00-\x7f]/.test(all)).toBe(false);
  });
});

describe('the bundled bin does exactly what the unbundled bin does', () => {
  const cases: Array<[string, string[]]> = [
    ['the default', ['demo', '--yes']],
    ['postgres, Korean docs, IPv6 bind, another port', ['demo', '--yes', '--database', 'postgres', '--lang', 'ko', '--bind', '::1', '--host-port', '8080']],
    ['every registry', ['demo', '--yes', '--registry', 'dockerhub,ecr,gar,acr,ghcr,registry', '--ghcr-owner', 'acme']],
    ['a build script, pnpm, MariaDB', ['demo', '--yes', '--build-script', 'build', '--package-manager', 'pnpm', '--database', 'mariadb', '--command', 'node dist/main.js']],
    ['invalid input', ['demo', '--yes', '--host-port', '70000', '--base-image', 'node']],
    ['--help', ['--help']],
    ['--version', ['--version']],
    ['a reserved command', ['bundle']],
  ];
  it.each(cases)('%s', (_what, args) => {
    const { source, bundled } = both([{ args }]);
    expect(bundled).toEqual(source);
  });

  it('an answers file with extra services, every deploy target there is, and a second run', () => {
    const answers = (dir: string) =>
      writeFileSync(
        join(dir, 'answers.json'),
        JSON.stringify({ extraServices: [{ name: 'mail', image: 'axllent/mailpit:v1.21', port: 1025, environment: { A: '$x' } }], networks: { backend: 'yes' } }),
      );
    const deploy = ANSWER_OPTIONS.find((o) => o.flag === 'deploy')?.choices ?? [];
    const args = ['demo', '--yes', '--answers', 'answers.json', ...(deploy.length ? ['--deploy', deploy.join(',')] : [])];
    const first = both([{ args, before: answers }]);
    expect(first.bundled).toEqual(first.source);
    expect(Object.keys(first.source.files)).toContain('docker-compose.yml');
    expect(first.source.files['docker-compose.yml']).toContain('mail:');
    const again = both([{ args, before: answers }, { args: ['demo', '--yes'] }]);
    expect(again.bundled).toEqual(again.source);
    expect(again.source.stdout).toContain('up to date');
  });

  it('commands loaded lazily keep their exit codes: 2 for invalid input, 3 for an edit the new version overlaps', () => {
    const scaffold = { args: ['demo', '--yes', '--registry', 'ghcr'] };
    const invalid = both([scaffold, { args: ['registry', 'demo', '--yes', '--registry', 'bogus'] }]);
    expect(invalid.source.code).toBe(2);
    expect(invalid.bundled).toEqual(invalid.source);
    const edited = both([
      scaffold,
      {
        args: ['registry', 'demo', '--yes', '--registry', 'ghcr,ecr', '--ghcr-owner', 'acme'],
        before: (dir) => {
          const script = join(dir, 'demo/scripts/push-ghcr.sh');
          writeFileSync(script, readFileSync(script, 'utf8').replace("GHCR_OWNER=${GHCR_OWNER:-''}", "GHCR_OWNER=${GHCR_OWNER:-'mine'}"));
        },
      },
    ]);
    expect(edited.source.code).toBe(3);
    expect(edited.bundled).toEqual(edited.source);
  });
});

describe('the bundled Yeoman generator', () => {
  it('writes what the bin writes, through yeoman-environment', () => {
    const cwd = mkdtempSync(join(TMP, 'wpsn-bundle-gen-'));
    try {
      // A script inside the package root, so that yeoman-environment resolves as it would there.
      const script = join(root, 'run-generator.mjs');
      writeFileSync(
        script,
        [
          "import { createEnv } from 'yeoman-environment';",
          'const [generator, dir] = process.argv.slice(2);',
          'const env = createEnv({ cwd: process.cwd() });',
          "env.register(generator, { namespace: 'wpsn-docker:app' });",
          "await env.run(['wpsn-docker:app', dir], { yes: true, skipInstall: true });",
        ].join('\n'),
      );
      mkdirSync(join(cwd, 'gen'));
      const gen = sh(process.execPath, [script, join(root, 'dist/generators/app/index.js'), 'demo'], join(cwd, 'gen'));
      expect(gen.status, `${gen.stdout}${gen.stderr}`).toBe(0);
      mkdirSync(join(cwd, 'bin'));
      const bin = sh(process.execPath, [bundledBin, 'demo', '--yes'], join(cwd, 'bin'));
      expect(bin.status, `${bin.stdout}${bin.stderr}`).toBe(0);
      const fromGen = tree(join(cwd, 'gen/demo'));
      expect(Object.keys(fromGen).length).toBeGreaterThan(10);
      expect(fromGen).toEqual(tree(join(cwd, 'bin/demo')));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

// `wpsn-docker bundle` (the command, bin/commands/bundle.ts): what the workshop leader publishes.
describe('wpsn-docker bundle: the SHA-256 to publish apart from the archive', () => {
  const sha = 'ab'.repeat(32);

  it('with the load script: the command each machine runs carries the published value; the last line is the value', () => {
    const lines = nextSteps({ archive: 'offline/images.tar.gz', dir: 'offline', sha256: sha, loadScript: true });
    expect(lines).toContain(`  scripts/offline-load.sh --expect-sha256 ${sha}`);
    expect(lines.join('\n')).toContain('SHA256SUMS travels with the archive, so it only shows\nthat a copy is not damaged; the published value shows who made it');
    expect(lines.at(-1)).toBe(`sha256 of offline/images.tar.gz: ${sha}`);
  });

  it('without it: the manual commands check the published value first, every path quoted for the shell', () => {
    const lines = nextSteps({ archive: '/tmp/my room/x.tar.gz', dir: '/tmp/my room', sha256: sha, loadScript: false });
    const command = lines.find((l) => l.includes('docker load'))!;
    expect(command).toBe(`  (cd '/tmp/my room' && echo '${sha}  x.tar.gz' | sha256sum -c - && sha256sum -c SHA256SUMS) && docker load -i '/tmp/my room/x.tar.gz'`);
    expect(spawnSync('bash', ['-n'], { input: command }).status).toBe(0);
    expect(lines.at(-1)).toBe(`sha256 of /tmp/my room/x.tar.gz: ${sha}`);
  });

  it('--help, bundled and not, tells the leader to publish it and each machine to pass it', () => {
    const { source, bundled } = both([{ args: ['bundle', '--help'] }]);
    expect(bundled).toEqual(source);
    expect(source.code).toBe(0);
    expect(source.stdout).toContain('scripts/offline-load.sh --expect-sha256 <that value>');
    expect(source.stdout).toContain('SHA256SUMS travels with the\narchive, so on its own it shows that a copy is not damaged, not who made it.');
  });
});
