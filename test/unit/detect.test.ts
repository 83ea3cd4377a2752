// core/detect/index.ts over an in-memory project (package manager and its pin, workspaces,
// Node version, Next.js's needs, the port, the framework), and core/project.ts turning the
// findings into the lowest layer of answers, which .yo-rc.json, answers files and flags override.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectApp, nodeMajorOf, NODE_MAJORS, type AppFacts } from '../../core/detect/index.ts';
import { InputError } from '../../core/errors.ts';
import { installModel } from '../../core/model.ts';
import { detectedLayer, readInputs, resolveInputs } from '../../core/project.ts';
import { makeTempDir, removeTempDirs } from './helpers/cli.ts';
import { memoryReader } from './helpers/memory-reader.ts';

afterAll(() => {
  removeTempDirs();
});

type Files = Record<string, string>;

const memory = memoryReader;
const json = (value: object): string => JSON.stringify(value);
const detect = (files: Files): AppFacts => detectApp(memory(files));
const app = (pkg: object, more: Files = {}): AppFacts => detect({ 'package.json': json({ scripts: { start: 'node server.js' }, ...pkg }), ...more });

describe('detectApp: the package manager', () => {
  it('comes from the lockfile, pnpm before yarn before npm', () => {
    expect(app({}, { 'package-lock.json': '{}' }).packageManager).toEqual({ value: 'npm', source: 'package-lock.json' });
    expect(app({}, { 'yarn.lock': '' }).packageManager).toEqual({ value: 'yarn', source: 'yarn.lock' });
    expect(app({}, { 'pnpm-lock.yaml': '' }).packageManager).toEqual({ value: 'pnpm', source: 'pnpm-lock.yaml' });
    expect(app({}, { 'pnpm-lock.yaml': '', 'package-lock.json': '{}' }).packageManager?.value).toBe('pnpm');
  });

  it('the lockfile wins over the packageManager pin; the pin alone names it', () => {
    const both = app({ packageManager: 'yarn@1.22.22' }, { 'package-lock.json': '{}' });
    expect(both.packageManager).toEqual({ value: 'npm', source: 'package-lock.json' });
    expect(both.packageManagerPin).toEqual({ value: 'yarn@1.22.22', source: 'package.json packageManager' });
    expect(app({ packageManager: 'pnpm@9.15.0' }).packageManager).toEqual({ value: 'pnpm', source: 'package.json packageManager' });
    // Neither: nothing detected (the spec's default, npm, applies).
    expect(app({}).packageManager).toBeUndefined();
  });

  it('a pin that is not a package manager at a version is no pin', () => {
    for (const packageManager of ['bun@1.1.0', 'pnpm', 'pnpm@latest', 42]) {
      const facts = app({ packageManager });
      expect(facts.packageManagerPin, String(packageManager)).toBeUndefined();
      expect(facts.packageManager, String(packageManager)).toBeUndefined();
    }
  });

  it('installModel installs the pinned version, without the pin\'s hash; another manager\'s pin is ignored', () => {
    const pin = 'pnpm@9.15.0+sha512.76e2379760a4328ec4415815bcd6628dee727af3779aaa4c914e3944156c4299';
    const pnpm = installModel('pnpm', { packageManagerPin: pin });
    expect(pnpm.setup).toBe('npm install --global --no-audit --no-fund pnpm@9.15.0');
    expect(pnpm.corepackPin).toBe('pnpm@9.15.0');
    const unpinned = installModel('pnpm', {});
    expect(unpinned.corepackPin).toMatch(/^pnpm@\d+\.\d+\.\d+$/);
    expect(unpinned.corepackPin).not.toBe('pnpm@9.15.0');
    // The project installs with npm: a yarn pin does not change pnpm's version, nor npm's setup.
    expect(installModel('pnpm', { packageManagerPin: 'yarn@1.22.19' }).corepackPin).toBe(unpinned.corepackPin);
    expect(installModel('npm', { packageManagerPin: pin }).setup).toBeUndefined();
    expect(installModel('yarn', { packageManagerPin: 'yarn@1.22.19' }).setup).toMatch(/ yarn@1\.22\.19$/);
  });
});

describe('detectApp: workspaces', () => {
  const web = json({ name: 'web', scripts: { start: 'node server.js', build: 'tsc' } });

  it('pnpm-workspace.yaml: the one package with a start script is the app; every package manifest goes to the install', () => {
    const facts = detect({
      'package.json': json({ name: 'root', private: true }),
      'pnpm-lock.yaml': '',
      'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - \"packages/*\" # libraries\n  - tools/cli\n\ncatalog:\n  react: ^19\n",
      'apps/web/package.json': web,
      'apps/docs/package.json': json({ name: 'docs' }),
      'apps/notes.md': 'not a package',
      'packages/ui/package.json': json({ name: 'ui' }),
      'packages/README/other.txt': 'a folder without a package.json',
      'tools/cli/package.json': json({ name: 'cli' }),
      'catalog/x/package.json': json({ scripts: { start: 'node x.js' } }),
    });
    expect(facts.dir).toEqual({ value: 'apps/web', source: 'pnpm-workspace.yaml (the one package with a start script)' });
    expect(facts.workspaceManifests).toEqual(['apps/docs/package.json', 'apps/web/package.json', 'packages/ui/package.json', 'tools/cli/package.json']);
    // What is read from the app package says so.
    expect(facts.command).toEqual({ value: ['node', 'server.js'], source: 'apps/web/package.json scripts.start' });
    expect(facts.buildScript).toEqual({ value: 'build', source: 'apps/web/package.json scripts.build' });
  });

  it('"!" globs exclude a package, which then neither is the app nor joins the install', () => {
    const facts = detect({
      'package.json': json({ name: 'root' }),
      'pnpm-workspace.yaml': "packages:\n  - apps/*\n  - '!apps/legacy'\n",
      'apps/web/package.json': web,
      'apps/legacy/package.json': json({ scripts: { start: 'node old.js' } }),
    });
    expect(facts.dir.value).toBe('apps/web');
    expect(facts.workspaceManifests).toEqual(['apps/web/package.json']);
  });

  it.each([
    ['an array', ['apps/*']],
    ['{ packages }', { packages: ['apps/*'], nohoist: ['**/x'] }],
  ])('package.json workspaces as %s', (_, workspaces) => {
    const facts = detect({ 'package.json': json({ name: 'root', workspaces }), 'package-lock.json': '{}', 'apps/web/package.json': web, 'apps/lib/package.json': json({}) });
    expect(facts.dir).toEqual({ value: 'apps/web', source: 'package.json workspaces (the one package with a start script)' });
    expect(facts.workspaceManifests).toEqual(['apps/lib/package.json', 'apps/web/package.json']);
  });

  it('several packages with a start script: the project folder stays the app, and a warning names them and --app-dir', () => {
    const facts = detect({
      'package.json': json({ name: 'root', workspaces: ['apps/*'] }),
      'apps/web/package.json': web,
      'apps/api/package.json': json({ scripts: { start: 'node api.js' } }),
      'apps/api/api.js': '',
    });
    expect(facts.dir.value).toBe('.');
    expect(facts.warnings).toHaveLength(1);
    expect(facts.warnings[0]).toContain('apps/api, apps/web');
    expect(facts.warnings[0]).toContain('--app-dir');
    // The root starts nothing, so there is no command: the problem itself says how to choose.
    expect(facts.commandProblem?.problem).toMatch(/several packages with a start script \(apps\/api, apps\/web\): choose one with --app-dir$/);
  });

  it('an app folder the user gave is read instead of searching: its scripts, its port, no warning', () => {
    const files = {
      'package.json': json({ name: 'root', workspaces: ['apps/*'] }),
      'apps/web/package.json': web,
      'apps/api/package.json': json({ scripts: { start: 'node api.js' } }),
      'apps/api/api.js': 'app.listen(process.env.PORT || 4400)',
    };
    const facts = detectApp(memory(files), { dir: 'apps/api' });
    expect(facts.dir).toEqual({ value: 'apps/api', source: 'the given app.dir' });
    expect(facts.command).toEqual({ value: ['node', 'api.js'], source: 'apps/api/package.json scripts.start' });
    expect(facts.port?.value).toBe(4400);
    expect(facts.warnings).toEqual([]);
    expect(facts.workspaceManifests).toEqual(['apps/api/package.json', 'apps/web/package.json']);
    // "." given: the root, even where one package would have been found.
    const root = detectApp(memory({ ...files, 'apps/api/package.json': json({}) }), { dir: '.' });
    expect(root.dir.value).toBe('.');
    expect(root.commandProblem?.source).toBe('package.json');
  });

  it('a root with its own start script is the app, even in a workspace', () => {
    const facts = detect({ 'package.json': json({ scripts: { start: 'node root.js' }, workspaces: ['apps/*'] }), 'apps/web/package.json': web });
    expect(facts.dir.value).toBe('.');
    expect(facts.command?.value).toEqual(['node', 'root.js']);
    expect(facts.workspaceManifests).toEqual(['apps/web/package.json']);
  });

  it('the workspace packages\' manifests and node_modules join the install (installModel)', () => {
    const install = installModel('pnpm', { workspaceManifests: ['apps/web/package.json', 'packages/ui/package.json'] });
    expect(install.manifests).toEqual(['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'apps/web/package.json', 'packages/ui/package.json']);
    expect(install.nodeModules).toEqual(['node_modules', 'apps/web/node_modules', 'packages/ui/node_modules']);
    expect(install.installProd).toMatch(/ && mkdir -p node_modules apps\/web\/node_modules packages\/ui\/node_modules$/);
    // npm workspaces have no pnpm-workspace.yaml; no workspace, no mkdir.
    expect(installModel('npm', { workspaceManifests: ['apps/web/package.json'] }).manifests).toEqual(['package.json', 'package-lock.json', 'apps/web/package.json']);
    expect(installModel('npm', {}).installProd).not.toContain('mkdir');
  });
});

describe('detectApp: the Node version', () => {
  it('nodeMajorOf: the highest supported major a range allows', () => {
    const cases: Array<[string, number | undefined]> = [
      ['>=18', 24],
      ['>=18.0.0', 24],
      ['>= 18', 24],
      ['>=  20.9.0', 24],
      ['^22', 22],
      ['^22.11.0', 22],
      ['~22.3', 22],
      ['22', 22],
      ['22.x', 22],
      ['v22', 22],
      ['24.x || 22.x', 24],
      ['18 - 22', 22],
      ['>=20 <23', 22],
      ['>=20 < 23', 22],
      ['>=22.0.0 <25', 24],
      ['<24', 22],
      ['<=22.5', 22],
      ['>22', 24],
      ['*', 24],
      ['^20 || ^22', 22],
    ];
    for (const [range, major] of cases) expect(nodeMajorOf(range, NODE_MAJORS), range).toBe(major);
  });

  it.each(['^18 || ^20', '16', '<22', '>=25', 'lts/*'])('%s allows no supported major: undefined', (range) => {
    expect(nodeMajorOf(range, NODE_MAJORS)).toBeUndefined();
  });

  it('engines.node gives the major and says where from; an unsupported range warns and gives none', () => {
    expect(app({ engines: { node: '^22' } }).nodeMajor).toEqual({ value: 22, source: 'package.json engines.node (^22)' });
    const old = app({ engines: { node: '^18 || ^20' } });
    expect(old.nodeMajor).toBeUndefined();
    expect(old.warnings.join('\n')).toMatch(/engines\.node \(\^18 \|\| \^20\) allows none of Node 24, 22.*--base-image/);
  });

  it('without engines: .nvmrc, then .node-version', () => {
    expect(app({}, { '.nvmrc': 'v22.11.0\n' }).nodeMajor).toEqual({ value: 22, source: '.nvmrc' });
    expect(app({}, { '.node-version': '24\n' }).nodeMajor).toEqual({ value: 24, source: '.node-version' });
    // engines wins over .nvmrc.
    expect(app({ engines: { node: '>=24' } }, { '.nvmrc': '22' }).nodeMajor?.value).toBe(24);
    const old = app({}, { '.nvmrc': '18' });
    expect(old.nodeMajor).toBeUndefined();
    expect(old.warnings.join('\n')).toMatch(/\.nvmrc asks for Node 18/);
    // An alias is no version: nothing found, nothing said.
    const alias = app({}, { '.nvmrc': 'lts/iron' });
    expect(alias.nodeMajor).toBeUndefined();
    expect(alias.warnings).toEqual([]);
  });
});

describe('detectApp: Next.js', () => {
  const next = { scripts: { start: 'next start', build: 'next build' }, dependencies: { next: '16.0.0', react: '19.0.0' } };

  it('.next/cache is writable at run time; the port is Next.js\'s default', () => {
    const facts = app(next);
    expect(facts.framework).toEqual({ value: 'next', source: 'package.json dependencies (next)' });
    expect(facts.writableDirs).toEqual({ value: ['.next/cache'], source: 'package.json dependencies (next)' });
    expect(facts.port).toEqual({ value: 3000, source: "next's default port" });
    expect(facts.warnings).toEqual([]);
  });

  it('in a workspace the folder is under the package', () => {
    const facts = detect({ 'package.json': json({ name: 'root' }), 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n', 'apps/site/package.json': json(next) });
    expect(facts.writableDirs?.value).toEqual(['apps/site/.next/cache']);
  });

  it('warns about next/font/google (fetched at build time) and output: "standalone"', () => {
    const fonts = app(next, { 'app/layout.tsx': "import { Geist } from 'next/font/google';\nexport default function L() {}" });
    expect(fonts.warnings).toHaveLength(1);
    expect(fonts.warnings[0]).toMatch(/next\/font\/google.*fonts\.googleapis\.com/);
    const local = app(next, { 'app/layout.tsx': "import localFont from 'next/font/local';" });
    expect(local.warnings).toEqual([]);
    const standalone = app(next, { 'next.config.ts': "const config = { output: 'standalone' };\nexport default config;" });
    expect(standalone.warnings).toHaveLength(1);
    expect(standalone.warnings[0]).toMatch(/output: "standalone"/);
    // In a workspace package, its own layout is read.
    const ws = detect({
      'package.json': json({ workspaces: ['apps/*'] }),
      'apps/site/package.json': json(next),
      'apps/site/src/app/layout.js': 'import { Inter } from "next/font/google"',
    });
    expect(ws.warnings.some((w) => w.includes('next/font/google'))).toBe(true);
  });

  it('no writable folders for an app that is not Next.js', () => {
    expect(app({ dependencies: { express: '5' } }).writableDirs).toBeUndefined();
  });
});

describe('detectApp: the port', () => {
  it.each([
    ['PORT || a quoted default', "const port = process.env.PORT || '8080';\napp.listen(port);", 8080, 'server.js (the default of PORT)'],
    ['PORT ?? a number', 'app.listen(process.env.PORT ?? 4000);', 4000, 'server.js (the default of PORT)'],
    ["env['PORT'] || a number", "const port = process.env['PORT'] || 5050;", 5050, 'server.js (the default of PORT)'],
    ['a literal listen without PORT', 'app.listen(5000, () => {});', 5000, 'server.js (listen)'],
  ])('%s', (_, source, port, from) => {
    expect(app({}, { 'server.js': source }).port).toEqual({ value: port, source: from });
  });

  it('a literal listen next to PORT is not the port (the number is probably for something else)', () => {
    expect(app({}, { 'server.js': 'app.listen(process.env.PORT);\nmetrics.listen(9100);' }).port).toBeUndefined();
  });

  it('a compiled entry is read from its TypeScript source: dist/main -> src/main.ts', () => {
    const facts = app({ scripts: { start: 'node dist/main' } }, { 'src/main.ts': 'await app.listen(process.env.PORT ?? 4100);' });
    expect(facts.port).toEqual({ value: 4100, source: 'src/main.ts (the default of PORT)' });
  });

  it('the command\'s own file first, then the usual entry files; in a workspace, the package\'s', () => {
    const facts = app({ scripts: { start: 'node ./bin/www' } }, { 'bin/www': "var port = normalizePort(process.env.PORT || '3300');", 'server.js': 'app.listen(9999)' });
    expect(facts.port).toEqual({ value: 3300, source: 'bin/www (the default of PORT)' });
    const ws = detect({
      'package.json': json({ workspaces: ['apps/*'] }),
      'apps/api/package.json': json({ scripts: { start: 'node index.js' } }),
      'apps/api/index.js': 'app.listen(process.env.PORT || 7000)',
      'index.js': 'app.listen(process.env.PORT || 1234)',
    });
    expect(ws.port).toEqual({ value: 7000, source: 'apps/api/index.js (the default of PORT)' });
  });

  it('nothing found: the framework\'s default for those that have one, else nothing', () => {
    expect(app({ scripts: { start: 'nest start' }, dependencies: { '@nestjs/core': '11' } }).port).toEqual({ value: 3000, source: "nest's default port" });
    expect(app({ dependencies: { express: '5' } }, { 'server.js': 'app.listen(process.env.PORT)' }).port).toBeUndefined();
  });
});

describe('detectApp: the framework', () => {
  it.each([
    [{ next: '1', react: '1' }, 'next'],
    [{ '@nestjs/core': '1', express: '1' }, 'nest'],
    [{ fastify: '1' }, 'fastify'],
    [{ express: '1' }, 'express'],
    [{ koa: '1' }, 'koa'],
    [{ hono: '1' }, 'hono'],
  ])('%j -> %s', (dependencies, framework) => {
    expect(app({ dependencies }).framework?.value).toBe(framework);
  });

  it('devDependencies count; none known: undefined', () => {
    expect(app({ devDependencies: { fastify: '5' } }).framework?.value).toBe('fastify');
    expect(app({ dependencies: { lodash: '4' } }).framework).toBeUndefined();
  });

  it('an unreadable package.json is an empty one: no command, a problem', () => {
    const facts = detect({ 'package.json': '{ not json' });
    expect(facts.command).toBeUndefined();
    expect(facts.commandProblem?.source).toBe('package.json');
  });
});

// ---------------------------------------------------------------------------------------

describe('detectedLayer: the findings as the lowest layer of answers', () => {
  const values = (facts: AppFacts, compose: string[] = []) => detectedLayer(facts, compose);

  it('each value names where it was detected', () => {
    const facts = detect({
      'package.json': json({ scripts: { start: 'cross-env LOG=info node dist/index.js', build: 'tsc' }, engines: { node: '^22' }, dependencies: { next: '1' } }),
      'src/index.ts': 'listen(process.env.PORT || 8081)',
    });
    const layer = values(facts);
    expect(layer.source).toBe('detected');
    expect(layer.values['app']).toEqual({
      command: ['node', 'dist/index.js'],
      buildScript: 'build',
      environment: { HOST: '0.0.0.0', LOG: 'info' },
      port: 8081,
      writableDirs: ['.next/cache'],
      baseImage: 'node:22-bookworm-slim',
      healthCheck: 'status',
      healthPath: '/',
    });
    const flagOf = Object.fromEntries(layer.flagOf!);
    expect(flagOf['app.command']).toBe('detected from package.json scripts.start');
    expect(flagOf['app.buildScript']).toBe('detected from package.json scripts.build');
    expect(flagOf['app.port']).toBe('detected from src/index.ts (the default of PORT)');
    expect(flagOf['app.baseImage']).toBe('detected from package.json engines.node (^22)');
    expect(flagOf['app.healthCheck']).toMatch(/^detected from your app \(no health endpoint is known/);
  });

  it('HOST=0.0.0.0 always (many apps listen on localhost otherwise); a variable the script sets wins', () => {
    expect((values(app({})).values['app'] as Record<string, unknown>)['environment']).toEqual({ HOST: '0.0.0.0' });
    const own = app({ scripts: { start: 'HOST=:: node server.js' } });
    expect((values(own).values['app'] as Record<string, unknown>)['environment']).toEqual({ HOST: '::' });
  });

  it('leaves out what was not found, and Node 24 (the default base image)', () => {
    const facts = detect({ 'package.json': json({ engines: { node: '>=24' } }) });
    const a = values(facts).values['app'] as Record<string, unknown>;
    expect(Object.keys(a).sort()).toEqual(['environment', 'healthCheck', 'healthPath']);
    expect(values(facts).values['composeFile']).toBeUndefined();
  });

  it('the stack goes into the project\'s own Compose file, unless docker-compose.yml is one of them', () => {
    const facts = app({});
    expect(values(facts, ['compose.yaml']).values['composeFile']).toBe('compose.yaml');
    expect(values(facts, ['compose.yml', 'docker-compose.yaml']).values['composeFile']).toBe('compose.yml');
    expect(values(facts, ['compose.yaml']).flagOf!.get('composeFile')).toMatch(/^detected from compose\.yaml \(it exists/);
    expect(values(facts, ['compose.yaml', 'docker-compose.yml']).values['composeFile']).toBeUndefined();
  });
});

describe('resolveInputs: detected values, and what overrides them', () => {
  /** A project folder with these files. */
  function project(files: Files): string {
    const dir = join(makeTempDir('wpsn-detect-'), 'app');
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  }
  const ownApp = {
    'package.json': json({ name: 'shop', scripts: { start: 'node dist/server.js', build: 'tsc' }, engines: { node: '22.x' } }),
    'pnpm-lock.yaml': '',
    'src/server.ts': 'app.listen(process.env.PORT || 8080)',
  };

  it('the detected values fill the spec', () => {
    const dir = project(ownApp);
    const inputs = readInputs(dir, {});
    expect(inputs.facts?.command?.value).toEqual(['node', 'dist/server.js']);
    const spec = resolveInputs(inputs);
    expect(spec.app).toMatchObject({
      command: ['node', 'dist/server.js'],
      buildScript: 'build',
      port: 8080,
      packageManager: 'pnpm',
      baseImage: 'node:22-bookworm-slim',
      healthCheck: 'status',
      healthPath: '/',
      environment: { HOST: '0.0.0.0' },
    });
  });

  it('flags override every detected value', () => {
    // With npm's lockfile and the file the command starts: the project can build that way.
    const dir = project({ ...ownApp, 'package-lock.json': '{}', 'other.js': '' });
    const inputs = readInputs(dir, {
      command: 'node other.js',
      port: '9000',
      'build-script': '',
      'health-check': 'http',
      'health-path': '/healthz',
      'package-manager': 'npm',
      'base-image': 'node:24-bookworm-slim',
    });
    expect(resolveInputs(inputs).app).toMatchObject({
      command: ['node', 'other.js'],
      port: 9000,
      buildScript: '',
      healthCheck: 'http',
      healthPath: '/healthz',
      packageManager: 'npm',
      baseImage: 'node:24-bookworm-slim',
    });
  });

  it('an answers file overrides them too, and prompts\' answers (an extra layer) over that', () => {
    const dir = project({ ...ownApp, 'answers.json': json({ app: { port: 7000, healthCheck: 'tcp' } }) });
    const inputs = readInputs(dir, { answers: join(dir, 'answers.json') });
    expect(resolveInputs(inputs).app).toMatchObject({ port: 7000, healthCheck: 'tcp', command: ['node', 'dist/server.js'] });
    const asked = resolveInputs(inputs, [{ source: 'prompts', values: { app: { port: 7100 } } }]);
    expect(asked.app.port).toBe(7100);
  });

  it('a detected value the spec refuses is an input error naming the detection as its source', () => {
    // An empty argument ("") in the start script: the spec refuses empty command arguments.
    const dir = project({ 'package.json': json({ scripts: { start: 'node server.js ""' } }) });
    let error: unknown;
    try {
      resolveInputs(readInputs(dir, {}));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([expect.objectContaining({ field: 'app.command.2', source: 'detected from package.json scripts.start' })]);
  });

  it('no derivable command: an error naming app.command and its source, unless a command is given', () => {
    const dir = project({ 'package.json': json({ scripts: { dev: 'nodemon src/index.js' } }), 'package-lock.json': '{}', 'src/main.js': '', 'a.js': '' });
    const inputs = readInputs(dir, {});
    let error: unknown;
    try {
      resolveInputs(inputs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    expect(problems).toEqual([expect.objectContaining({ field: 'app.command', source: 'package.json' })]);
    expect(problems[0]!.rule).toMatch(/could not be derived from your app.*--command/);
    expect(resolveInputs(readInputs(dir, { command: 'node src/main.js' })).app.command).toEqual(['node', 'src/main.js']);
    expect(resolveInputs(inputs, [{ source: 'prompts', values: { app: { command: ['node', 'a.js'] } } }]).app.command).toEqual(['node', 'a.js']);
  });

  it('--app-dir (or an answer) chooses the workspace package that is read', () => {
    const dir = project({
      'package.json': json({ name: 'mono', private: true }),
      'pnpm-workspace.yaml': 'packages:\n  - apps/*\n',
      'pnpm-lock.yaml': '',
      'apps/web/package.json': json({ scripts: { start: 'node web.js', build: 'next build' } }),
      'apps/api/package.json': json({ scripts: { start: 'node api.js' } }),
      'apps/api/api.js': '',
    });
    expect(() => resolveInputs(readInputs(dir, {}))).toThrow(/choose one with --app-dir/);
    const web = resolveInputs(readInputs(dir, { 'app-dir': 'apps/web' }));
    expect(web.app).toMatchObject({ dir: 'apps/web', command: ['node', 'web.js'], buildScript: 'build' });
    writeFileSync(join(dir, 'answers.json'), json({ app: { dir: 'apps/api' } }));
    const api = resolveInputs(readInputs(dir, { answers: join(dir, 'answers.json') }));
    expect(api.app).toMatchObject({ dir: 'apps/api', command: ['node', 'api.js'] });
    expect(api.app.buildScript).toBeUndefined();
  });

  it('an app folder outside the project is not read; the spec refuses it', () => {
    const dir = project({ 'package.json': json({ scripts: { start: 'node server.js' } }) });
    writeFileSync(join(dirname(dir), 'package.json'), json({ scripts: { start: 'node outside.js' } }));
    const inputs = readInputs(dir, { 'app-dir': '..' });
    expect(inputs.facts?.command?.value).toEqual(['node', 'server.js']);
    expect(() => resolveInputs(inputs)).toThrow(/app\.dir/);
  });

  it('the sample app (no package.json) is not detected: node server.js and /healthz', () => {
    const dir = project({});
    const inputs = readInputs(dir, {});
    expect(inputs.sampleApp).toBe(true);
    expect(inputs.facts).toBeUndefined();
    expect(resolveInputs(inputs).app).toMatchObject({ command: ['node', 'server.js'], healthPath: '/healthz', healthCheck: 'http' });
  });
});
