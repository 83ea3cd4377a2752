// core/detect/start-command.ts: from a package.json start script to the exec-form process
// the container runs (never npm), with the environment and build step the script carried;
// and the same derivation over the real package.json scripts of the corpus apps
// (test/corpus/apps.json, made by the frameworks' own generators and started by hand there).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectApp, type ProjectReader } from '../../core/detect/index.ts';
import { deriveStart, shellWords, type DerivedStart, type StartProblem, type StartScripts } from '../../core/detect/start-command.ts';

const none = (): boolean => false;
const derived = (result: DerivedStart | StartProblem): DerivedStart => {
  expect(result, JSON.stringify(result)).not.toHaveProperty('problem');
  return result as DerivedStart;
};
const problem = (result: DerivedStart | StartProblem): StartProblem => {
  expect(result, JSON.stringify(result)).toHaveProperty('problem');
  return result as StartProblem;
};
const start = (scripts: StartScripts, exists: (path: string) => boolean = none) => deriveStart({ scripts }, exists);

describe('shellWords', () => {
  it('splits words on blanks, and segments on &&', () => {
    expect(shellWords('node  ./bin/www')).toEqual([['node', './bin/www']]);
    expect(shellWords('npm run build && node dist/x.js')).toEqual([['npm', 'run', 'build'], ['node', 'dist/x.js']]);
    expect(shellWords('a&&b')).toEqual([['a'], ['b']]);
    expect(shellWords('\tnode\nx ')).toEqual([['node', 'x']]);
  });

  it('joins quoted parts and escaped characters into one word, without the quotes', () => {
    expect(shellWords(`node "a b" 'c d' e\\ f`)).toEqual([['node', 'a b', 'c d', 'e f']]);
    expect(shellWords(`K="x y"z node s`)).toEqual([['K=x yz', 'node', 's']]);
    // Inside single quotes nothing is special; inside double quotes a backslash escapes.
    expect(shellWords(`node '$HOME|*' "say \\"hi\\""`)).toEqual([['node', '$HOME|*', 'say "hi"']]);
    expect(shellWords(`node "a\\$b"`)).toEqual([['node', 'a$b']]);
    expect(shellWords(`node ''`)).toEqual([['node', '']]);
  });

  it('keeps a backslash in double quotes before a character it does not escape (as POSIX sh)', () => {
    expect(shellWords(`node "C:\\temp"`)).toEqual([['node', 'C:\\temp']]);
    expect(shellWords(`node "a\\\\b"`)).toEqual([['node', 'a\\b']]);
  });

  it.each([
    ['a pipe', 'node x | tee log'],
    ['a redirection', 'node x > log'],
    ['an input redirection', 'node x < in'],
    ['a sequence', 'node a; node b'],
    ['a background job', 'node x &'],
    ['or', 'node a || node b'],
    ['a variable', 'node $ENTRY'],
    ['a variable in double quotes', 'node "$ENTRY"'],
    ['a command substitution', 'node `which x`'],
    ['a command substitution in double quotes', 'node "`which x`"'],
    ['a glob', 'node dist/*.js'],
    ['a glob ?', 'node x?.js'],
    ['a bracket glob', 'node [ab].js'],
    ['a brace expansion', 'node {a,b}.js'],
    ['a tilde', 'node ~/x.js'],
    ['a subshell', '(node x)'],
    ['a comment', 'node x # run'],
    ['a negation', '! node x'],
    ['an unterminated single quote', "node 'x"],
    ['an unterminated double quote', 'node "x'],
    ['an empty segment', 'npm run build && && node x'],
    ['a trailing &&', 'node x &&'],
  ])('refuses %s: %s', (_, text) => {
    expect(shellWords(text)).toBeUndefined();
  });
});

describe('deriveStart: the start script', () => {
  it('node with a file runs as it is', () => {
    const d = derived(start({ start: 'node ./bin/www' }));
    expect(d).toMatchObject({ command: ['node', './bin/www'], source: 'package.json scripts.start', environment: {}, buildScript: undefined, runner: undefined });
  });

  it('variables set before the command become the environment, with cross-env, env or plain K=V', () => {
    for (const text of ['cross-env K=V A=b=c node x.js', 'env K=V A=b=c node x.js', 'K=V A=b=c node x.js']) {
      const d = derived(start({ start: text }));
      expect(d.command, text).toEqual(['node', 'x.js']);
      // Only the first "=" separates the name from the value.
      expect(d.environment, text).toEqual({ K: 'V', A: 'b=c' });
    }
    // A quoted value keeps its blanks, without the quotes.
    expect(derived(start({ start: `NODE_OPTIONS="--max-old-space-size=512 --enable-source-maps" node x.js` })).environment).toEqual({
      NODE_OPTIONS: '--max-old-space-size=512 --enable-source-maps',
    });
  });

  it('an npm script run before the server is the build step, and the server is what runs', () => {
    const d = derived(start({ start: 'npm run build && node dist/x.js', build: 'tsc' }));
    expect(d.command).toEqual(['node', 'dist/x.js']);
    expect(d.buildScript).toBe('build');
    for (const [text, script] of [
      ['pnpm run compile && node dist/x.js', 'compile'],
      ['yarn build:ts && node dist/x.js', 'build:ts'],
      ['pnpm build:ts && node dist/x.js', 'build:ts'],
      ['npm run-script prepare:dist && node dist/x.js', 'prepare:dist'],
      ['npm run --silent build && node dist/x.js', 'build'],
    ] as const) {
      expect(derived(start({ start: text })).buildScript, text).toBe(script);
    }
  });

  it('refuses more than one step before the server, and a step that is not an npm script', () => {
    expect(problem(start({ start: 'npm run a && npm run b && node x.js' })).problem).toMatch(/more than a build step/);
    expect(problem(start({ start: 'rm -rf dist && node x.js' })).problem).toMatch(/more than a build step/);
  });

  it('follows the scripts it runs (npm run serve -> serve), keeping the start script environment', () => {
    const d = derived(start({ start: 'cross-env PORT=4000 npm run serve', serve: 'node server.js' }));
    expect(d).toMatchObject({ command: ['node', 'server.js'], source: 'package.json scripts.serve', environment: { PORT: '4000' } });
    // A script that names a script that does not exist, and a loop, are problems, not hangs.
    expect(problem(start({ start: 'npm run serve' })).problem).toBe('there is no script "serve"');
    expect(problem(start({ start: 'npm run a', a: 'npm run b', b: 'npm run a' })).problem).toMatch(/too deeply/);
    expect(problem(start({ start: 'npm start' })).problem).toMatch(/too deeply/);
  });

  it('next start runs Next.js\'s own bin directly, with the arguments', () => {
    const d = derived(start({ start: 'next start -p 3001' }));
    expect(d.command).toEqual(['node', 'node_modules/next/dist/bin/next', 'start', '-p', '3001']);
    expect(d.runner).toBe('next');
  });

  it('nest start (which builds through the CLI, a devDependency) becomes start:prod when there is one', () => {
    const d = derived(start({ start: 'nest start', 'start:prod': 'node dist/main' }));
    expect(d).toMatchObject({ command: ['node', 'dist/main'], source: 'package.json scripts.start:prod' });
    // start:prod's own command and variables, not a guess (a monorepo layout, an env file).
    const own = derived(start({ start: 'nest start', 'start:prod': 'cross-env TZ=UTC node dist/src/main.js' }));
    expect(own).toMatchObject({ command: ['node', 'dist/src/main.js'], environment: { TZ: 'UTC' }, source: 'package.json scripts.start:prod' });
    // A start:prod that is `nest start` again ends at the compiled entry, not in a loop.
    expect(derived(start({ start: 'nest start', 'start:prod': 'nest start' })).command).toEqual(['node', 'dist/main']);
    // Without start:prod: the compiled entry nest build writes.
    const bare = derived(start({ start: 'nest start' }));
    expect(bare.command).toEqual(['node', 'dist/main']);
    expect(bare.runner).toBe('nest');
    expect(bare.source).toMatch(/^package\.json scripts\.start \(nest start/);
  });

  it('fastify start runs fastify-cli directly and listens on every interface (FASTIFY_ADDRESS)', () => {
    const d = derived(start({ start: 'fastify start -l info app.js' }));
    expect(d.command).toEqual(['node', 'node_modules/fastify-cli/cli.js', 'start', '-l', 'info', 'app.js']);
    expect(d.environment).toEqual({ FASTIFY_ADDRESS: '0.0.0.0' });
    expect(d.runner).toBe('fastify-cli');
  });

  it.each(['nodemon server.js', 'ts-node src/index.ts', 'ts-node-dev src/index.ts', 'tsx watch src/index.ts', 'node-dev x.js', 'babel-node x.js', 'vite', 'webpack serve', 'concurrently "a" "b"', 'npm-run-all -p a b', 'pm2 start x.js', 'forever x.js'])(
    'refuses the development tool in "%s", saying why',
    (text) => {
      const p = problem(start({ start: text }));
      expect(p.problem).toContain(`runs ${text.split(' ')[0]}, a development tool`);
      expect(p.source).toBe('package.json scripts.start');
    },
  );

  it('refuses a program it does not know, naming it, and shell syntax, quoting the script', () => {
    expect(problem(start({ start: 'python app.py' })).problem).toMatch(/runs python, which is not node or a framework/);
    expect(problem(start({ start: 'node' })).problem).toMatch(/without a file/);
    expect(problem(start({ start: 'node x.js | pino-pretty' })).problem).toBe('"node x.js | pino-pretty" uses shell syntax (pipes, redirections, variables, ...) that cannot become a direct command');
    expect(problem(start({ start: 'npx serve' })).problem).toMatch(/runs npx/);
  });
});

describe('deriveStart: without a start script', () => {
  it('runs main when that file exists', () => {
    const exists = (path: string) => path === 'lib/server.js';
    expect(derived(deriveStart({ main: 'lib/server.js' }, exists))).toMatchObject({ command: ['node', 'lib/server.js'], source: 'package.json main' });
    // A main that is not there (fastify-cli's TypeScript template says app.ts) is not used.
    expect(problem(deriveStart({ main: 'app.ts' }, none)).source).toBe('package.json');
  });

  it('else the first usual entry file that exists', () => {
    const files = new Set(['app.js', 'src/index.js']);
    const d = derived(deriveStart({}, (p) => files.has(p)));
    expect(d.command).toEqual(['node', 'app.js']);
    expect(d.source).toBe('app.js (no start script or main)');
    expect(derived(deriveStart({ scripts: { dev: 'nodemon' } }, (p) => p === 'src/server.js')).command).toEqual(['node', 'src/server.js']);
  });

  it('else a problem naming what is missing', () => {
    const p = problem(deriveStart({ scripts: { dev: 'nodemon x.js' } }, none));
    expect(p.problem).toMatch(/no start script, and no main or usual entry file/);
  });
});

// ---------------------------------------------------------------------------------------
// The corpus: real apps made by express-generator, create-next-app, @nestjs/cli,
// fastify-cli, express-generator-typescript and create-nx-workspace.

interface CorpusApp {
  name: string;
  appDir: string;
  packageJson: Record<string, unknown> | null | undefined;
  rootPackageJson: Record<string, unknown> | null | undefined;
  lockfiles?: string[];
  pnpmWorkspaceYaml?: string | null;
  frameworkDeps?: Record<string, { runtime: boolean }> | null;
  facts?: Record<string, unknown> | null;
}

const CORPUS = (JSON.parse(readFileSync(new URL('../corpus/apps.json', import.meta.url), 'utf8')) as { apps: CorpusApp[] }).apps;
/** Apps whose generator ran (create-hono and create-turbo need GitHub, and recorded only their failure). */
const MADE = CORPUS.filter((a) => a.packageJson);

/**
 * A script the corpus lists by name only: a command no derivation accepts, so a result that
 * used one would show up as a problem here, never as a plausible command.
 */
const UNRECORDED = 'unrecorded-script';

/** The app package's scripts as recorded: start and build verbatim, nest's start:prod as its facts state it. */
function scriptsOf(app: CorpusApp): StartScripts {
  const pkg = app.packageJson!;
  const scripts: StartScripts = {};
  for (const name of pkg['scripts'] as string[]) {
    const recorded = pkg[`scripts.${name}`];
    scripts[name] = typeof recorded === 'string' ? recorded : UNRECORDED;
  }
  const startProd = /start:prod = (.+)$/.exec(String(app.facts?.['startScript'] ?? ''));
  if (startProd && scripts['start:prod'] !== undefined) scripts['start:prod'] = startProd[1]!;
  return scripts;
}

/** The app as files: its package.json (in its folder), the root's, the lockfiles, pnpm-workspace.yaml. */
function corpusReader(app: CorpusApp): ProjectReader {
  const files = new Map<string, string>();
  const pkg = app.packageJson!;
  const dependencies = Object.fromEntries(Object.keys(app.frameworkDeps ?? {}).map((name) => [name, '*']));
  const manifest = { name: pkg['name'], main: pkg['main'] ?? undefined, type: pkg['type'] ?? undefined, packageManager: pkg['packageManager'] ?? undefined, scripts: scriptsOf(app), dependencies };
  const dir = app.appDir || '.';
  files.set(dir === '.' ? 'package.json' : `${dir}/package.json`, JSON.stringify(manifest));
  if (app.rootPackageJson) {
    const root = app.rootPackageJson;
    files.set('package.json', JSON.stringify({ name: root['name'], scripts: root['scripts'], packageManager: root['packageManager'] ?? undefined, workspaces: root['workspaces'] ?? undefined }));
  }
  for (const lock of app.lockfiles ?? []) files.set(lock, '');
  if (app.pnpmWorkspaceYaml) files.set('pnpm-workspace.yaml', app.pnpmWorkspaceYaml);
  const paths = [...files.keys()];
  return {
    read: (path) => files.get(path),
    exists: (path) => files.has(path) || paths.some((p) => p.startsWith(`${path}/`)),
    list: (path) => [...new Set(paths.filter((p) => p.startsWith(`${path}/`)).map((p) => p.slice(path.length + 1).split('/')[0]!))].sort(),
  };
}

describe('the corpus apps: what each start script derives to', () => {
  it('holds the apps the table below names (a new corpus run that drops one fails here)', () => {
    expect(MADE.map((a) => a.name).sort()).toEqual(['egts', 'express-gen', 'fastify-js', 'fastify-ts', 'fastify-ts-v8', 'nest', 'next-default', 'next-empty', 'nx-pnpm', 'pnpm-ws-express']);
  });

  const byName = (name: string): CorpusApp => MADE.find((a) => a.name === name)!;
  /** The direct start the corpus recorded after starting the app by hand (facts.directStart). */
  const recordedStart = (app: CorpusApp): string[] => app.facts!['directStart'] as string[];

  it('express-generator: node ./bin/www, already a direct command, as the corpus started it', () => {
    const app = byName('express-gen');
    const d = derived(deriveStart({ scripts: scriptsOf(app) }, none));
    expect(d.command).toEqual(recordedStart(app));
    expect(d.buildScript).toBeUndefined();
  });

  it.each(['next-default', 'next-empty'])('%s: next start runs node_modules/next/dist/bin/next start, as the corpus started it', (name) => {
    const app = byName(name);
    const d = derived(deriveStart({ scripts: scriptsOf(app) }, none));
    expect(d.command).toEqual(recordedStart(app));
    expect(d.runner).toBe('next');
  });

  it('nest: "nest start" needs the CLI, so start:prod (node dist/main) runs; Node finds dist/main.js from it', () => {
    const app = byName('nest');
    const d = derived(deriveStart({ scripts: scriptsOf(app) }, none));
    expect(d.source).toBe('package.json scripts.start:prod');
    expect(d.command).toEqual(['node', 'dist/main']);
    // The corpus started dist/main.js: the same file (the entry point is resolved with extensions, ESM too).
    expect(recordedStart(app)).toEqual([...d.command.slice(0, -1), `${d.command.at(-1)}.js`]);
  });

  it('fastify-cli (JavaScript): fastify-cli run directly; the address the corpus passed as -a 0.0.0.0 comes as FASTIFY_ADDRESS', () => {
    const app = byName('fastify-js');
    const d = derived(deriveStart({ scripts: scriptsOf(app) }, none));
    const recorded = recordedStart(app);
    const a = recorded.indexOf('-a');
    expect(recorded.slice(a, a + 2)).toEqual(['-a', '0.0.0.0']);
    expect(d.command).toEqual([...recorded.slice(0, a), ...recorded.slice(a + 2)]);
    expect(d.environment).toEqual({ FASTIFY_ADDRESS: '0.0.0.0' });
  });

  it.each(['fastify-ts', 'fastify-ts-v8'])('%s: "npm run build:ts && fastify start ..." builds with build:ts in the image, then runs the compiled dist/app.js', (name) => {
    const app = byName(name);
    const d = derived(deriveStart({ scripts: scriptsOf(app) }, none));
    expect(d.buildScript).toBe('build:ts');
    expect(d.command).toEqual(['node', 'node_modules/fastify-cli/cli.js', 'start', '-l', 'info', 'dist/app.js']);
    expect(d.environment).toEqual({ FASTIFY_ADDRESS: '0.0.0.0' });
  });

  it('express-generator-typescript: cross-env and node -r preloads become the environment and the direct command the corpus recorded', () => {
    const app = byName('egts');
    const d = derived(deriveStart({ scripts: scriptsOf(app) }, none));
    expect(d.command).toEqual(recordedStart(app));
    expect(d.environment).toEqual(app.facts!['directStartEnv']);
  });

  it('detectApp over each corpus app: the command, its build step, package manager and framework', () => {
    const facts = Object.fromEntries(MADE.map((app) => [app.name, detectApp(corpusReader(app))]));
    // Every app with a "build" script builds with it; the fastify TypeScript apps with what their start ran first.
    expect(Object.fromEntries(Object.entries(facts).map(([name, f]) => [name, f.buildScript?.value]))).toEqual({
      'express-gen': undefined,
      'next-default': 'build',
      'next-empty': 'build',
      nest: 'build',
      'fastify-js': undefined,
      egts: 'build',
      'fastify-ts': 'build:ts',
      'fastify-ts-v8': 'build:ts',
      'nx-pnpm': undefined,
      'pnpm-ws-express': undefined,
    });
    for (const app of MADE) {
      const f = facts[app.name]!;
      const lock = app.lockfiles?.[0];
      expect(f.packageManager?.value, app.name).toBe(lock === 'pnpm-lock.yaml' ? 'pnpm' : 'npm');
      expect(f.packageManager?.source, app.name).toBe(lock);
    }
    expect(facts['nest']!.framework?.value).toBe('nest');
    expect(facts['fastify-js']!.framework?.value).toBe('fastify');
    expect(facts['next-default']!.framework?.value).toBe('next');
    expect(facts['next-default']!.writableDirs?.value).toEqual(['.next/cache']);
    expect(facts['egts']!.framework?.value).toBe('express');
  });

  it('pnpm workspace (apps/web has the only start script): that package is the app, and pnpm@12.24.0 is the pin', () => {
    const app = byName('pnpm-ws-express');
    const f = detectApp(corpusReader(app));
    expect(f.dir).toEqual({ value: app.appDir, source: 'pnpm-workspace.yaml (the one package with a start script)' });
    expect(f.command).toEqual({ value: recordedStart(app), source: 'apps/web/package.json scripts.start' });
    expect(app.facts!['directStartCwd']).toBe(f.dir.value);
    expect(f.packageManagerPin?.value).toBe('pnpm@12.24.0');
    expect(f.workspaceManifests).toEqual(['apps/web/package.json']);
  });

  it('nx: no start script anywhere (nx keeps its targets in project.json/"nx"), so no command: a problem the run reports', () => {
    const app = byName('nx-pnpm');
    expect(app.packageJson!['scripts']).toEqual([]);
    expect(app.rootPackageJson!['scripts']).toEqual({});
    const f = detectApp(corpusReader(app));
    // apps/api has no start script, so the workspace search finds no server package.
    expect(f.dir.value).toBe('.');
    expect(f.command).toBeUndefined();
    expect(f.commandProblem?.problem).toMatch(/no start script/);
  });
});
