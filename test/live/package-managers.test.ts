// Live proof that a pinned package manager is what the image installs with (issue 15):
// a small Express app whose lockfile is made at test time by the real package manager at
// its pinned version (Yarn 4 from the npm registry's @yarnpkg/cli-dist, the package
// corepack itself fetches when pointed at the npm registry; pnpm 9; npm 10), generated with --yes
// and no other flag about the app, must come up healthy with `docker compose up --build
// --wait` and answer GET / with its own text. The Yarn app has a build step that needs its
// development dependency (the build stage installs every one, yarn install --immutable), and
// its own release under .yarn/releases (yarnPath), as `yarn set version` leaves a project.
// Also checked: the image has the production dependency and not the development one, the
// toolchain stage runs exactly the pinned version, and (Yarn) a stale lockfile stops the build. Each stack is removed (down -v,
// --rmi local) when its test ends; anything a failure left is swept in afterAll, and the
// temporary folders go with it.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE } from '../../schema/defaults.ts';
import { buildDistLocked } from '../unit/helpers/build.ts';
import { CORPUS_CACHE, corpusNpmEnv, fetchPage, generateInto, sweepProjects } from './helpers/corpus.ts';
import { banner, describeWithoutEngine, imageAvailable, liveGate } from './helpers/engine.ts';
import { describeRun, run } from './helpers/run.ts';
import { compose, composeOk, removeStack, step, type Stack } from './helpers/stack.ts';

const gate = liveGate();
const figure = (text: string): void => console.log(`figure: ${text}`);
const RUN = `wpsnpm-${randomBytes(3).toString('hex')}`;
const TEST_TIMEOUT = 600_000;

/** The package managers' versions this test pins (package.json packageManager). */
const YARN = '4.9.2';
const PNPM = '9.15.9';
const NPM = '10.9.2';

interface Tool {
  name: 'yarn' | 'pnpm' | 'npm';
  pin: string;
  /** The npm package the tool comes from. */
  npmPackage: string;
  /** Its entry file inside that package. */
  entry: string;
  /** Files besides package.json and server.js. */
  files: Record<string, string>;
  lockfile: string;
  /** What `<tool> --version` prints in the toolchain stage. */
  version: string;
  /** A build step (build.js, which needs the development dependency) whose output the app runs. */
  build: boolean;
  /** Where the project keeps its own copy of the tool (Yarn's yarnPath). */
  release?: string;
}

const TOOLS: Tool[] = [
  {
    name: 'yarn',
    pin: `yarn@${YARN}`,
    npmPackage: `@yarnpkg/cli-dist@${YARN}`,
    entry: 'node_modules/@yarnpkg/cli-dist/bin/yarn.js',
    // As `yarn set version 4.9.2` leaves a project (it downloads from repo.yarnpkg.com, which
    // this machine cannot reach, so the same file is copied from the package): the release
    // under .yarn/releases, and yarnPath pointing at it.
    files: { '.yarnrc.yml': `nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-${YARN}.cjs\n` },
    release: `.yarn/releases/yarn-${YARN}.cjs`,
    lockfile: 'yarn.lock',
    version: YARN,
    build: true,
  },
  { name: 'pnpm', pin: `pnpm@${PNPM}`, npmPackage: `pnpm@${PNPM}`, entry: 'node_modules/pnpm/bin/pnpm.cjs', files: {}, lockfile: 'pnpm-lock.yaml', version: PNPM, build: false },
  // The base image has npm 11: the pinned npm 10 replaces it in the toolchain stage.
  { name: 'npm', pin: `npm@${NPM}`, npmPackage: `npm@${NPM}`, entry: 'node_modules/npm/bin/npm-cli.js', files: {}, lockfile: 'package-lock.json', version: NPM, build: false },
];

/** The build step: copies server.js to dist/, and fails unless the development dependency is installed. */
const BUILD_JS = `const fs = require('node:fs');
if (!require('is-number')(1)) process.exit(1);
fs.mkdirSync('dist', { recursive: true });
fs.copyFileSync('server.js', 'dist/server.js');
`;

const serverJs = (text: string): string => `const express = require('express');
const app = express();
app.get('/', (req, res) => res.type('text/plain').send(${JSON.stringify(text)}));
app.listen(Number(process.env.PORT) || 8080, process.env.HOST || '0.0.0.0');
`;

/** The tool at its pinned version, installed from the npm registry once per machine (the corpus cache). */
async function installTool(tool: Tool): Promise<string> {
  const prefix = join(CORPUS_CACHE, 'tools', tool.npmPackage.replace(/[@/]/g, '_'));
  const r = await run('npm', ['install', '--prefix', prefix, '--no-save', tool.npmPackage], { env: corpusNpmEnv(), timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`installing ${tool.npmPackage} failed:\n${describeRun(r)}`);
  return join(prefix, tool.entry);
}

/** The app, and its lockfile made by the tool itself. */
async function makeApp(root: string, tool: Tool): Promise<{ dir: string; text: string; seconds: number }> {
  const started = performance.now();
  const entry = await installTool(tool);
  const dir = join(root, `${tool.name}-app`);
  mkdirSync(dir);
  const text = `made with ${tool.pin} ${randomBytes(4).toString('hex')}`;
  const pkg = {
    name: `${tool.name}-app`,
    version: '1.0.0',
    private: true,
    packageManager: tool.pin,
    scripts: tool.build ? { build: 'node build.js', start: 'node dist/server.js' } : { start: 'node server.js' },
    dependencies: { express: '^4.21.2' },
    devDependencies: { 'is-number': '^7.0.0' },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(join(dir, 'server.js'), serverJs(text));
  if (tool.build) writeFileSync(join(dir, 'build.js'), BUILD_JS);
  for (const [file, content] of Object.entries(tool.files)) writeFileSync(join(dir, file), content);
  if (tool.release) {
    mkdirSync(dirname(join(dir, tool.release)), { recursive: true });
    copyFileSync(entry, join(dir, tool.release));
  }
  const env = {
    ...corpusNpmEnv(),
    YARN_ENABLE_TELEMETRY: '0',
    // Yarn makes installs immutable when CI is set; here the developer's first install writes the lockfile.
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
    COREPACK_ENABLE_STRICT: '0',
    npm_config_store_dir: join(CORPUS_CACHE, `pnpm-store-${PNPM}`),
  };
  const r = await run(process.execPath, [entry, 'install'], { cwd: dir, env, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`${tool.pin} install failed:\n${describeRun(r)}`);
  // The made folder as a developer would hand it over: what the install made locally stays out.
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
  rmSync(join(dir, '.yarn/install-state.gz'), { force: true });
  return { dir, text, seconds: (performance.now() - started) / 1000 };
}

if (!gate.ready) {
  describeWithoutEngine('live: pinned package managers (Yarn 4, pnpm 9, npm 10)', gate);
} else {
  describe('live: an app pinned to Yarn 4, pnpm 9 or npm 10 builds with that version and comes up healthy', () => {
    let root = '';
    const live = new Set<Stack>();

    beforeAll(() => {
      buildDistLocked();
      for (const image of [DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE]) {
        const a = imageAvailable(image);
        if (!a.available) throw new Error(`the image ${image} is not available (${a.how}): run bash scripts/test-env.sh`);
      }
      root = mkdtempSync(join(tmpdir(), 'wpsn-pm-live-'));
    }, 300_000);

    afterAll(async () => {
      const problems: string[] = [];
      for (const stack of live) {
        const problem = await removeStack(stack).catch((e: Error) => e.message);
        if (problem) problems.push(`${stack.project}: ${problem}`);
      }
      const swept = await sweepProjects(RUN).catch((e: Error) => [`(the sweep failed: ${e.message})`]);
      if (swept.length) problems.push(`left behind and removed now: ${swept.join('; ')}`);
      if (root) rmSync(root, { recursive: true, force: true });
      if (problems.length) console.warn(banner(`package-manager clean-up:\n${problems.join('\n')}`));
    }, 300_000);

    for (const tool of TOOLS) {
      it(
        `${tool.pin}: lockfile made by ${tool.pin}, --yes${tool.build ? ', a build step' : ''}, up --build --wait healthy, GET / 200; production dependencies only; the toolchain runs ${tool.pin}`,
        async () => {
          const made = await makeApp(root, tool);
          const project = `${RUN}-${tool.name}`;
          const generated = await generateInto(made.dir, project);
          expect(generated.ran.code, describeRun(generated.ran)).toBe(0);
          expect(generated.ran.stderr).toContain(`package manager: ${tool.name} (from ${tool.lockfile}), ${tool.pin} installed in the image`);
          if (tool.build) expect(generated.ran.stderr).toContain(`build: ${tool.name} run build (from package.json scripts.build)`);
          // The project's own release is what the install runs: its folder is mounted there.
          if (tool.release) expect(await readFile(join(made.dir, 'Dockerfile'), 'utf8')).toContain(`--mount=type=bind,source=${dirname(tool.release)},target=${dirname(tool.release)}`);
          const stack = generated.stack!;
          live.add(stack);
          try {
            const up = await step(stack, ['app', 'redis'], () => composeOk(stack, ['up', '--build', '--wait', '--wait-timeout', '120'], 400_000));
            const page = await fetchPage(`${stack.baseUrl}/`);
            expect(page.status).toBe(200);
            expect(page.body).toBe(made.text);
            // The production dependency is there, the development one is not.
            const deps = await compose(stack, ['exec', '-T', 'app', 'node', '-e', "require.resolve('express'); let dev = true; try { require.resolve('is-number'); } catch { dev = false; } process.stdout.write(String(dev));"]);
            expect(deps.code, describeRun(deps)).toBe(0);
            expect(deps.stdout, 'is-number (a devDependency) is in the image').toBe('false');
            // The toolchain stage (cached by the build above) runs exactly the pinned version.
            const secret = process.env['NODE_EXTRA_CA_CERTS'] || '/dev/null';
            const built = await run('docker', ['build', '-q', '--target', 'toolchain', '--secret', `id=extra_ca,src=${secret}`, '.'], { cwd: stack.dir, timeoutMs: 300_000 });
            expect(built.code, describeRun(built)).toBe(0);
            const id = built.stdout.trim();
            const version = await run('docker', ['run', '--rm', '--entrypoint', tool.name, id, '--version'], { timeoutMs: 60_000 });
            await run('docker', ['image', 'rm', '-f', id], { timeoutMs: 60_000 });
            expect(version.stdout.trim(), describeRun(version)).toBe(tool.version);
            const size = await run('docker', ['image', 'inspect', '--format', '{{.Size}}', `${project}-app`], { timeoutMs: 30_000 });
            if (tool.name === 'yarn') {
              // A dependency added to package.json without yarn install: the lockfile is stale,
              // and the build stops instead of resolving it unlocked (YN0028).
              const pkgPath = join(made.dir, 'package.json');
              const pkg = JSON.parse(await readFile(pkgPath, 'utf8')) as { dependencies: Record<string, string> };
              pkg.dependencies['is-odd'] = '^3.0.1';
              writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
              const stale = await compose(stack, ['build', 'app'], 300_000);
              expect(stale.code, describeRun(stale)).not.toBe(0);
              expect(`${stale.stdout}${stale.stderr}`).toContain('YN0028');
            }
            figure(`[${tool.pin}] app made in ${made.seconds.toFixed(1)} s; up --build --wait ${(up.ms / 1000).toFixed(1)} s; image ${(Number(size.stdout.trim()) / 1e6).toFixed(0)} MB; toolchain ${tool.name} --version = ${version.stdout.trim()}`);
          } finally {
            const problem = await removeStack(stack);
            live.delete(stack);
            expect(problem).toBe('');
          }
        },
        TEST_TIMEOUT,
      );
    }
  });
}
