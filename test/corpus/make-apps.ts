// Corpus of real apps: each one is made at run time by the generator or starter that its own
// project ships on npm (pinned versions, run non-interactively), never hand-written to suit
// wpsn-docker. Then each app is inspected (package.json, lockfile, tsconfig) and, unless
// --no-verify, built and started the direct way on a free port: GET /, a few health paths,
// the addresses it listens on, and how it reacts to SIGTERM. Everything lands in
// <outDir>/apps.json.
//
//   node test/corpus/make-apps.ts <outDir> [name...] [--no-verify] [--skip-make] [--json FILE] [--cache-dir DIR]
//
// Caches (npm, pnpm store, a pinned pnpm, create-next-app's preferences) live in
// <dirname(outDir)>/.corpus-cache, or in --cache-dir, so a second run is faster. Attempts that need GitHub
// (create-hono, create-turbo) are kept in the list: they record how they fail offline.
// Node 24 runs this file directly (type stripping): erasable TypeScript only, node: builtins only.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const V = {
  expressGenerator: '4.16.1',
  createNextApp: '16.4.3',
  nestCli: '12.0.15',
  fastifyCli: '8.0.2',
  fastifyCliTs5: '7.4.1', // last fastify-cli whose TypeScript template pins typescript ~5.9
  expressGeneratorTs: '2.8.1',
  createNxWorkspace: '23.2.1',
  createHono: '0.19.5',
  createTurbo: '2.11.4',
  pnpm: '12.24.0',
} as const;

type Argv = string[];
interface Step {
  argv: Argv; // argv[0] 'node' runs this Node; 'npx' / 'npm' / 'pnpm' are looked up on PATH
  cwd: 'out' | 'app' | string; // 'out' = outDir, 'app' = made dir, else relative to made dir
  env?: Record<string, string>;
}
type MakeStep = Step | { write: string; content: string };

interface RunSpec {
  label: string;
  argv: Argv;
  cwd: string; // relative to the made dir
  env?: Record<string, string>;
}

interface AppSpec {
  name: string;
  category: string;
  generator: { package: string; version: string; command: string };
  needsPnpm?: boolean;
  /** Make steps; the made dir is <outDir>/<name> and is removed first. */
  make: (name: string) => MakeStep[];
  /** The directory (relative to the made dir) of the package that is the server. */
  appDir: string;
  build?: Step & { display: string };
  /** Start runs: the first reproduces the app's own default, later ones the recommended form. */
  runs: RunSpec[];
  /** What reading the generated source says (the runs confirm or refute it). */
  facts: Record<string, unknown>;
  expectMakeFailure?: string;
}

const nodeBin = process.execPath;

const APPS: AppSpec[] = [
  {
    name: 'express-gen',
    category: '1 express-generator (bin/www, npm start = node ./bin/www)',
    generator: {
      package: 'express-generator',
      version: V.expressGenerator,
      command: `npx --yes express-generator@${V.expressGenerator} --no-view express-gen && npm install`,
    },
    make: (n) => [
      { argv: ['npx', '--yes', `express-generator@${V.expressGenerator}`, '--no-view', n], cwd: 'out' },
      { argv: ['npm', 'install'], cwd: 'app' },
    ],
    appDir: '',
    runs: [{ label: 'direct', argv: ['node', './bin/www'], cwd: '' }],
    facts: {
      port: 'process.env.PORT || 3000 (bin/www normalizePort: also accepts a named pipe)',
      host: 'server.listen(port) with no host: all interfaces (:: dual-stack)',
      health: 'none (GET / serves public/index.html through express.static)',
      directStart: ['node', './bin/www'],
      startScript: 'node ./bin/www (already exec-form-able)',
      buildStep: null,
      sigterm: 'no handler',
    },
  },
  {
    name: 'next-default',
    category: '2 create-next-app default (TypeScript, App Router, Tailwind, next/font/google Geist)',
    generator: {
      package: 'create-next-app',
      version: V.createNextApp,
      command: `npx --yes create-next-app@${V.createNextApp} next-default --yes --ts --app --use-npm --disable-git --no-agent-feedback`,
    },
    make: (n) => [
      {
        argv: ['npx', '--yes', `create-next-app@${V.createNextApp}`, n, '--yes', '--ts', '--app', '--use-npm', '--disable-git', '--no-agent-feedback'],
        cwd: 'out',
      },
    ],
    appDir: '',
    build: { argv: ['npm', 'run', 'build'], cwd: 'app', display: 'npm run build (next build)' },
    runs: [{ label: 'direct', argv: ['node', 'node_modules/next/dist/bin/next', 'start'], cwd: '' }],
    facts: {
      port: 'next start: -p, else PORT, else 3000',
      host: 'next start: -H, else HOSTNAME is NOT read by next start (only by standalone server.js); default all interfaces',
      health: 'none (no route besides / and /_not-found)',
      directStart: ['node', 'node_modules/next/dist/bin/next', 'start'],
      startScript: 'next start',
      buildStep: 'next build (needs devDependencies: typescript, tailwind; app/layout.tsx fetches Geist fonts from fonts.googleapis.com at build time)',
      offlineBuild: 'fails: "Failed to fetch Geist from Google Fonts", exit 1',
    },
  },
  {
    name: 'next-empty',
    category: '2b create-next-app --empty (same stack, no next/font): the offline-buildable variant',
    generator: {
      package: 'create-next-app',
      version: V.createNextApp,
      command: `npx --yes create-next-app@${V.createNextApp} next-empty --yes --ts --app --empty --use-npm --disable-git --no-agent-feedback`,
    },
    make: (n) => [
      {
        argv: ['npx', '--yes', `create-next-app@${V.createNextApp}`, n, '--yes', '--ts', '--app', '--empty', '--use-npm', '--disable-git', '--no-agent-feedback'],
        cwd: 'out',
      },
    ],
    appDir: '',
    build: { argv: ['npm', 'run', 'build'], cwd: 'app', display: 'npm run build (next build)' },
    runs: [{ label: 'direct', argv: ['node', 'node_modules/next/dist/bin/next', 'start'], cwd: '' }],
    facts: {
      port: 'next start: -p, else PORT, else 3000',
      host: 'all interfaces by default',
      health: 'none',
      directStart: ['node', 'node_modules/next/dist/bin/next', 'start'],
      startScript: 'next start',
      buildStep: 'next build (needs devDependencies); no output: "standalone" in next.config.ts',
    },
  },
  {
    name: 'nest',
    category: '3 NestJS (nest new): start:prod = node dist/main, needs nest build',
    generator: {
      package: '@nestjs/cli',
      version: V.nestCli,
      command: `npx --yes @nestjs/cli@${V.nestCli} new nest --package-manager npm --skip-git`,
    },
    make: (n) => [{ argv: ['npx', '--yes', `@nestjs/cli@${V.nestCli}`, 'new', n, '--package-manager', 'npm', '--skip-git'], cwd: 'out' }],
    appDir: '',
    build: { argv: ['npm', 'run', 'build'], cwd: 'app', display: 'npm run build (nest build: tsc with tsconfig.build.json, outDir dist, rootDir src)' },
    runs: [{ label: 'direct', argv: ['node', 'dist/main.js'], cwd: '' }],
    facts: {
      port: 'app.listen(process.env.PORT ?? 3000)',
      host: 'no host: all interfaces',
      health: 'none (GET / -> "Hello World!")',
      directStart: ['node', 'dist/main.js'],
      startScript: 'nest start (builds and runs, needs @nestjs/cli: a devDependency); start:prod = node dist/main',
      buildStep: 'nest build (devDependencies @nestjs/cli, typescript)',
      notes: 'package.json "type": "module" (ESM, Nest 12); src/app.module.ts wires @nestjs/observe (telemetry, inactive until OBSERVE_APP_KEY is set); no .gitignore with --skip-git',
    },
  },
  {
    name: 'fastify-js',
    category: '4 fastify-cli generate (JavaScript): start = fastify start -l info app.js',
    generator: {
      package: 'fastify-cli',
      version: V.fastifyCli,
      command: `npx --yes fastify-cli@${V.fastifyCli} generate fastify-js && npm install`,
    },
    make: (n) => [
      { argv: ['npx', '--yes', `fastify-cli@${V.fastifyCli}`, 'generate', n], cwd: 'out' },
      { argv: ['npm', 'install'], cwd: 'app' },
    ],
    appDir: '',
    runs: [
      { label: 'start-script-equivalent', argv: ['node', 'node_modules/fastify-cli/cli.js', 'start', '-l', 'info', 'app.js'], cwd: '' },
      { label: 'recommended', argv: ['node', 'node_modules/fastify-cli/cli.js', 'start', '-l', 'info', '-a', '0.0.0.0', 'app.js'], cwd: '' },
    ],
    facts: {
      port: 'fastify-cli: --port/-p, FASTIFY_PORT, PORT, else 3000',
      host: 'fastify-cli: --address/-a or FASTIFY_ADDRESS; else 0.0.0.0 if is-docker (/.dockerenv, "docker" in /proc/self/cgroup or mountinfo) or Kubernetes (KUBERNETES_SERVICE_HOST); else fastify default "localhost" (loopback only)',
      health: 'none (GET / -> {"root":true}, GET /example -> text)',
      directStart: ['node', 'node_modules/fastify-cli/cli.js', 'start', '-l', 'info', '-a', '0.0.0.0', 'app.js'],
      startScript: 'fastify start -l info app.js (app.js exports a plugin and never listens: fastify-cli is a runtime dependency)',
      buildStep: null,
      hostInContainers:
        'checked by hand on Docker Engine 26 (cgroup v1): binds 0.0.0.0 (is-docker true, even with /.dockerenv removed, through /proc/self/cgroup); ' +
        'with --cgroupns=private and /.dockerenv removed (what a runtime that is-docker does not recognise looks like) it binds [::1] and 127.0.0.1 only ' +
        'and the published port answers nothing; FASTIFY_ADDRESS=0.0.0.0 fixes it. This host has /.dockerenv, so the runs below bind 0.0.0.0 either way.',
      notes: 'fastify-cli loads ./.env with process.loadEnvFile(); close-with-grace handles SIGTERM/SIGINT',
    },
  },
  {
    name: 'egts',
    category: '5 src/ layout: express-generator-typescript (src/main.ts -> dist/main.js, module-alias, dotenv file)',
    generator: {
      package: 'express-generator-typescript',
      version: V.expressGeneratorTs,
      command: `npx --yes express-generator-typescript@${V.expressGeneratorTs} egts`,
    },
    make: (n) => [{ argv: ['npx', '--yes', `express-generator-typescript@${V.expressGeneratorTs}`, n], cwd: 'out' }],
    appDir: '',
    build: {
      argv: ['npm', 'run', 'build'],
      cwd: 'app',
      display: 'npm run build (rm dist, eslint, tsc -p tsconfig.prod.json, copy src/public+views, write dist/repos/common/database.json)',
    },
    runs: [
      {
        label: 'direct',
        argv: ['node', '-r', 'dotenv/config', '-r', 'module-alias/register', './dist/main.js'],
        cwd: '',
        env: { DOTENV_CONFIG_PATH: './config/.env.production' },
      },
    ],
    facts: {
      port: 'jet-env reads PORT; config/.env.production (loaded by dotenv/config, which does not override real env) sets PORT=8081; no code default',
      host: 'server.listen(port): all interfaces (the HOST=localhost in config/.env.* is never read)',
      health: 'none; GET / -> 302 /users; API under /api/users/*',
      directStart: ['node', '-r', 'dotenv/config', '-r', 'module-alias/register', './dist/main.js'],
      directStartEnv: { DOTENV_CONFIG_PATH: './config/.env.production' },
      startScript: 'cross-env DOTENV_CONFIG_PATH=./config/.env.production node -r dotenv/config -r module-alias/register ./dist/main.js',
      buildStep: 'npm run build; with the typescript ^6.0.3 it pulls, tsc fails (TS5101 baseUrl deprecated, TS5011 rootDir) and emits to dist/src/, so the chain stops before the static copy',
      runtimeFiles:
        'config/.env.production must be in the image (cwd-relative), and package.json (module-alias reads _moduleAliases from it); ' +
        'JET_LOGGER_MODE=file writes ./<timestamp>_jet-logger.log in the cwd and the mock ORM uses dist/repos/common/database.json: both need a writable directory',
      observedByHandWithTsconfigFix:
        'outside the corpus, adding "rootDir": "./src" and "ignoreDeprecations": "6.0" to tsconfig.prod.json makes npm run build pass; then GET / -> 302 /users, ' +
        'GET /api/users/all -> 200, listens on *:PORT, SIGTERM kills it (no handler)',
    },
  },
  {
    name: 'fastify-ts',
    category: '6 TypeScript that needs tsc: fastify-cli generate --lang=ts (7.4.1, typescript ~5.9)',
    generator: {
      package: 'fastify-cli',
      version: V.fastifyCliTs5,
      command: `npx --yes fastify-cli@${V.fastifyCliTs5} generate fastify-ts --lang=ts && npm install`,
    },
    make: (n) => [
      { argv: ['npx', '--yes', `fastify-cli@${V.fastifyCliTs5}`, 'generate', n, '--lang=ts'], cwd: 'out' },
      { argv: ['npm', 'install'], cwd: 'app' },
    ],
    appDir: '',
    build: { argv: ['npm', 'run', 'build:ts'], cwd: 'app', display: 'npm run build:ts (clean + tsc; outDir dist)' },
    runs: [
      { label: 'start-script-equivalent', argv: ['node', 'node_modules/fastify-cli/cli.js', 'start', '-l', 'info', 'dist/app.js'], cwd: '' },
      { label: 'recommended', argv: ['node', 'node_modules/fastify-cli/cli.js', 'start', '-l', 'info', '-a', '0.0.0.0', 'dist/app.js'], cwd: '' },
    ],
    facts: {
      port: 'as fastify-js (PORT / FASTIFY_PORT / 3000)',
      host: 'as fastify-js (docker detection, else localhost)',
      health: 'none',
      directStart: ['node', 'node_modules/fastify-cli/cli.js', 'start', '-l', 'info', '-a', '0.0.0.0', 'dist/app.js'],
      startScript: 'npm run build:ts && fastify start -l info dist/app.js (the start script compiles: needs typescript at run time if used as is)',
      buildStep: 'npm run build:ts (there is no "build" script); main is "app.ts", which does not exist (source is src/app.ts)',
    },
  },
  {
    name: 'fastify-ts-v8',
    category: '6b same template from the current fastify-cli (8.0.2, typescript ~6.0.2)',
    generator: {
      package: 'fastify-cli',
      version: V.fastifyCli,
      command: `npx --yes fastify-cli@${V.fastifyCli} generate fastify-ts-v8 --lang=ts && npm install`,
    },
    make: (n) => [
      { argv: ['npx', '--yes', `fastify-cli@${V.fastifyCli}`, 'generate', n, '--lang=ts'], cwd: 'out' },
      { argv: ['npm', 'install'], cwd: 'app' },
    ],
    appDir: '',
    build: { argv: ['npm', 'run', 'build:ts'], cwd: 'app', display: 'npm run build:ts' },
    runs: [{ label: 'recommended', argv: ['node', 'node_modules/fastify-cli/cli.js', 'start', '-l', 'info', '-a', '0.0.0.0', 'dist/app.js'], cwd: '' }],
    facts: {
      buildStep: 'npm run build:ts fails under TypeScript 6: TS5011 (rootDir must be set), output lands in dist/src/ so dist/app.js is missing',
    },
  },
  {
    name: 'nx-pnpm',
    category: '7 pnpm workspace, app in a sub-package: create-nx-workspace node-monorepo + express (apps/api)',
    needsPnpm: true,
    generator: {
      package: 'create-nx-workspace',
      version: V.createNxWorkspace,
      command:
        `npx --yes create-nx-workspace@${V.createNxWorkspace} nx-pnpm --preset=node-monorepo --framework=express --appName=api --pm=pnpm ` +
        '--nxCloud=skip --skipGit --interactive=false --aiAgents=none --analytics=false --docker=false --linter=none --formatter=none ' +
        `--unitTestRunner=none --e2eTestRunner=none   (pnpm@${V.pnpm} on PATH, pnpm_config_strict_dep_builds=false)`,
    },
    make: (n) => [
      {
        argv: [
          'npx', '--yes', `create-nx-workspace@${V.createNxWorkspace}`, n, '--preset=node-monorepo', '--framework=express', '--appName=api',
          '--pm=pnpm', '--nxCloud=skip', '--skipGit', '--interactive=false', '--aiAgents=none', '--analytics=false', '--docker=false',
          '--linter=none', '--formatter=none', '--unitTestRunner=none', '--e2eTestRunner=none',
        ],
        cwd: 'out',
        // pnpm 11+ fails the install on an unapproved dependency build script (@parcel/watcher):
        // ERR_PNPM_IGNORED_BUILDS. Without this the generator stops after writing the root.
        env: { pnpm_config_strict_dep_builds: 'false' },
      },
    ],
    appDir: 'apps/api',
    build: { argv: ['pnpm', 'exec', 'nx', 'build', '@nx-pnpm/api'], cwd: 'app', display: 'pnpm exec nx build @nx-pnpm/api (esbuild, unbundled cjs -> apps/api/dist/main.js)' },
    runs: [
      { label: 'default', argv: ['node', 'apps/api/dist/main.js'], cwd: '' },
      { label: 'recommended', argv: ['node', 'apps/api/dist/main.js'], cwd: '', env: { HOST: '0.0.0.0' } },
    ],
    facts: {
      port: 'process.env.PORT ? Number(PORT) : 3000',
      host: "process.env.HOST ?? 'localhost': loopback only unless HOST=0.0.0.0",
      health: 'none (GET / -> {"message":"Hello API"})',
      directStart: ['node', 'apps/api/dist/main.js'],
      directStartEnv: { HOST: '0.0.0.0' },
      startScript: 'none: no scripts at all (targets live in apps/api/package.json "nx" field: build, serve, prune)',
      buildStep: 'nx build @<ws>/api from the workspace root (devDependencies nx, @nx/esbuild, esbuild, typescript at the root)',
      notes: 'express is declared in both root and apps/api package.json; no packageManager field; nx target "prune" writes dist/package.json + pnpm-lock.yaml for a deploy',
    },
  },
  {
    name: 'pnpm-ws-express',
    category: '7b pnpm workspace assembled mechanically: pnpm init + pnpm-workspace.yaml + express-generator app in apps/web',
    needsPnpm: true,
    generator: {
      package: 'express-generator + pnpm',
      version: `${V.expressGenerator} / pnpm ${V.pnpm}`,
      command: `npx --yes express-generator@${V.expressGenerator} --no-view pnpm-ws-express/apps/web; cd pnpm-ws-express; pnpm init; printf 'packages:\\n  - apps/*\\n' > pnpm-workspace.yaml; pnpm install --config.pm-on-fail=ignore`,
    },
    // express-generator runs first and from outside: once `pnpm init` (pnpm 12) has written
    // devEngines.packageManager = pnpm into the root package.json, npm/npx refuse to run there
    // (EBADDEVENGINES). `pnpm init` names the newest pnpm there (onFail: download), and
    // `pnpm install` would then download that pnpm with a binary for every platform, which
    // fails whenever one of them is missing from the registry (ERR_PNPM_BAD_CONFIG_DEP,
    // seen on 2026-12-06 for @pnpm/exe.netbsd-x64 and a just-published 12.25.1): the pinned
    // pnpm installs instead, as the generated Dockerfile does (--config.pm-on-fail=ignore).
    make: (n) => [
      { argv: ['npx', '--yes', `express-generator@${V.expressGenerator}`, '--no-view', `${n}/apps/web`], cwd: 'out' },
      { argv: ['pnpm', 'init'], cwd: 'app' },
      { write: 'pnpm-workspace.yaml', content: 'packages:\n  - apps/*\n' },
      { argv: ['pnpm', 'install', '--config.pm-on-fail=ignore'], cwd: 'app' },
    ],
    appDir: 'apps/web',
    runs: [{ label: 'direct', argv: ['node', './bin/www'], cwd: 'apps/web' }],
    facts: {
      port: 'PORT || 3000',
      host: 'all interfaces',
      health: 'none',
      directStart: ['node', './bin/www'],
      directStartCwd: 'apps/web',
      startScript: 'apps/web: node ./bin/www; root package.json has no start',
      buildStep: null,
      notes: 'Only the workspace wiring is assembled (no workspace generator on npm works offline); the app is express-generator output untouched',
    },
  },
  {
    name: 'hono-node',
    category: 'attempt: create-hono nodejs template (src/index.ts with @hono/node-server)',
    generator: {
      package: 'create-hono',
      version: V.createHono,
      command: `npx --yes create-hono@${V.createHono} hono-node --template nodejs --pm npm --install`,
    },
    make: (n) => [{ argv: ['npx', '--yes', `create-hono@${V.createHono}`, n, '--template', 'nodejs', '--pm', 'npm', '--install'], cwd: 'out' }],
    appDir: '',
    runs: [],
    facts: {},
    expectMakeFailure: 'templates come from GitHub through giget (api.github.com/repos/honojs/starter/tarball/...)',
  },
  {
    name: 'turbo-pnpm',
    category: 'attempt: create-turbo basic example with pnpm',
    needsPnpm: true,
    generator: {
      package: 'create-turbo',
      version: V.createTurbo,
      command: `npx --yes create-turbo@${V.createTurbo} turbo-pnpm -m pnpm --no-git --skip-install`,
    },
    make: (n) => [{ argv: ['npx', '--yes', `create-turbo@${V.createTurbo}`, n, '-m', 'pnpm', '--no-git', '--skip-install'], cwd: 'out' }],
    appDir: '',
    runs: [],
    facts: {},
    expectMakeFailure: 'examples come from github.com/vercel/turborepo (git clone, then a tarball)',
  },
];

// ---------------------------------------------------------------------------------------------

interface Proc {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  timedOut: boolean;
}

function tail(text: string, lines = 15): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  return clean.split('\n').filter((l) => l.trim() !== '').slice(-lines).join('\n');
}

/** A make step's limit and how often an app whose make timed out is tried (see the make loop). */
const MAKE_STEP_TIMEOUT_MS = 180_000;
const MAKE_ATTEMPTS = 2;

function runLogged(argv: Argv, cwd: string, env: NodeJS.ProcessEnv, log: fs.WriteStream, timeoutMs: number): Promise<Proc & { output: string }> {
  const [cmd, ...args] = argv;
  const file = cmd === 'node' ? nodeBin : (cmd as string);
  log.write(`\n$ (cd ${cwd} && ${argv.join(' ')})\n`);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const onData = (b: Buffer): void => {
      log.write(b);
      output += b.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      output += `\nspawn error: ${e.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Math.round(performance.now() - t0);
      log.write(`[exit code=${code} signal=${signal} ${ms} ms]\n`);
      resolve({ code, signal, ms, timedOut, output });
    });
  });
}

function killGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    /* already gone */
  }
}

function readJson(file: string): Record<string, any> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
  } catch {
    return null;
  }
}

/** JSON with comments and trailing commas (tsconfig). */
function readJsonc(file: string): Record<string, any> | null {
  let src: string;
  try {
    src = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i + 2) + 1;
      if (i === 0) break;
    } else out += c;
  }
  out = out.replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(out) as Record<string, any>;
  } catch {
    return null;
  }
}

function tsconfigInfo(dir: string, file: string): Record<string, unknown> {
  const chain: string[] = [];
  let outDir: string | undefined;
  let rootDir: string | undefined;
  let noEmit: boolean | undefined;
  let current: string | null = path.join(dir, file);
  for (let depth = 0; current && depth < 5; depth++) {
    const cfg = readJsonc(current);
    if (!cfg) break;
    chain.push(path.relative(dir, current));
    const co = (cfg.compilerOptions ?? {}) as Record<string, any>;
    if (outDir === undefined && typeof co.outDir === 'string') outDir = co.outDir;
    if (rootDir === undefined && typeof co.rootDir === 'string') rootDir = co.rootDir;
    if (noEmit === undefined && typeof co.noEmit === 'boolean') noEmit = co.noEmit;
    const ext = typeof cfg.extends === 'string' ? cfg.extends : null;
    if (!ext) break;
    const base = path.dirname(current);
    if (ext.startsWith('.')) current = path.resolve(base, ext.endsWith('.json') ? ext : `${ext}.json`);
    else {
      const pkgDir = path.join(dir, 'node_modules', ext);
      current = fs.existsSync(path.join(pkgDir, 'tsconfig.json')) ? path.join(pkgDir, 'tsconfig.json') : fs.existsSync(pkgDir) ? pkgDir : null;
    }
  }
  return { file, extendsChain: chain.slice(1), outDir: outDir ?? null, rootDir: rootDir ?? null, noEmit: noEmit ?? null };
}

const FRAMEWORKS = ['next', '@nestjs/core', 'fastify', 'express', 'hono', 'koa', '@hono/node-server', 'fastify-cli', 'nx'];

function inspect(madeDir: string, appDir: string): Record<string, unknown> {
  const dir = path.join(madeDir, appDir);
  const pkg = readJson(path.join(dir, 'package.json')) ?? {};
  const rootPkg = appDir ? readJson(path.join(madeDir, 'package.json')) : null;
  const lockfiles = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];
  const deps = { ...(rootPkg?.dependencies ?? {}), ...(rootPkg?.devDependencies ?? {}), ...(pkg.dependencies ?? {}), ...(pkg.devDependencies ?? {}) } as Record<string, string>;
  const runtimeDeps = { ...(rootPkg?.dependencies ?? {}), ...(pkg.dependencies ?? {}) } as Record<string, string>;
  const tsconfigs = fs.readdirSync(dir).filter((f) => /^tsconfig.*\.json$/.test(f)).map((f) => tsconfigInfo(dir, f));
  const exists = (f: string): boolean => fs.existsSync(path.join(madeDir, f)) || (appDir !== '' && fs.existsSync(path.join(dir, f)));
  return {
    packageJson: {
      name: pkg.name ?? null,
      'scripts.start': pkg.scripts?.start ?? null,
      'scripts.build': pkg.scripts?.build ?? null,
      scripts: Object.keys(pkg.scripts ?? {}),
      main: pkg.main ?? null,
      type: pkg.type ?? null,
      'engines.node': pkg.engines?.node ?? null,
      packageManager: pkg.packageManager ?? null,
      devEngines: pkg.devEngines ?? null,
      bin: pkg.bin ?? null,
    },
    rootPackageJson: rootPkg
      ? {
          name: rootPkg.name ?? null,
          scripts: rootPkg.scripts ?? {},
          'engines.node': rootPkg.engines?.node ?? null,
          packageManager: rootPkg.packageManager ?? null,
          devEngines: rootPkg.devEngines ?? null,
          type: rootPkg.type ?? null,
          workspaces: rootPkg.workspaces ?? null,
        }
      : null,
    lockfiles: lockfiles.filter((f) => fs.existsSync(path.join(madeDir, f))),
    lockfileInAppDir: appDir ? lockfiles.filter((f) => fs.existsSync(path.join(dir, f))) : undefined,
    pnpmWorkspaceYaml: fs.existsSync(path.join(madeDir, 'pnpm-workspace.yaml')) ? fs.readFileSync(path.join(madeDir, 'pnpm-workspace.yaml'), 'utf8') : null,
    tsconfigs,
    frameworkDeps: Object.fromEntries(FRAMEWORKS.filter((f) => deps[f]).map((f) => [f, { range: deps[f], runtime: Boolean(runtimeDeps[f]) }])),
    installedVersions: Object.fromEntries(
      FRAMEWORKS.filter((f) => deps[f])
        .map((f) => [f, (readJson(path.join(dir, 'node_modules', f, 'package.json')) ?? readJson(path.join(madeDir, 'node_modules', f, 'package.json')))?.version ?? null])
        .concat([['typescript', (readJson(path.join(dir, 'node_modules/typescript/package.json')) ?? readJson(path.join(madeDir, 'node_modules/typescript/package.json')))?.version ?? null]]),
    ),
    files: {
      '.nvmrc': exists('.nvmrc'),
      '.node-version': exists('.node-version'),
      '.gitignore': exists('.gitignore'),
      '.dockerignore': exists('.dockerignore'),
      Dockerfile: exists('Dockerfile'),
      '.env': exists('.env'),
      'next.config': ['next.config.js', 'next.config.mjs', 'next.config.ts'].find((f) => fs.existsSync(path.join(dir, f))) ?? null,
      'nest-cli.json': exists('nest-cli.json'),
      'nx.json': exists('nx.json'),
    },
  };
}

// ---------------------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
    sock.setTimeout(500, () => done(false));
  });
}

function hexToV4(h: string): string {
  const n = h.match(/../g)!.reverse().map((b) => parseInt(b, 16));
  return n.join('.');
}

function hexToV6(h: string): string {
  const words = h.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
  const groups = words.join('').match(/.{4}/g)!.map((g) => parseInt(g, 16).toString(16));
  const s = groups.join(':');
  if (s === '0:0:0:0:0:0:0:0') return '::';
  if (s === '0:0:0:0:0:0:0:1') return '::1';
  if (s.startsWith('0:0:0:0:0:ffff:')) return `::ffff:${hexToV4(words[3]!)}`;
  return s;
}

/** Addresses that LISTEN on a port (this network namespace). */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]] as const) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== '0A') continue;
      const [hexAddr, hexPort] = cols[1]!.split(':');
      if (parseInt(hexPort!, 16) !== port) continue;
      found.push(v6 ? hexToV6(hexAddr!) : hexToV4(hexAddr!));
    }
  }
  return [...new Set(found)];
}

async function httpGet(url: string): Promise<Record<string, unknown>> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      location: res.headers.get('location'),
      body: body.length > 80 ? `${body.slice(0, 80)}…` : body,
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const HEALTH_PATHS = ['/health', '/healthz', '/api/health', '/status', '/ping', '/ready', '/readyz', '/livez'];

async function startAndProbe(madeDir: string, run: RunSpec, env: NodeJS.ProcessEnv, log: fs.WriteStream): Promise<Record<string, unknown>> {
  const port = await freePort();
  const cwd = path.join(madeDir, run.cwd);
  const runEnv = { ...env, NODE_ENV: 'production', PORT: String(port), ...(run.env ?? {}) };
  const [cmd, ...args] = run.argv;
  log.write(`\n$ (cd ${cwd} && ${Object.entries({ NODE_ENV: 'production', PORT: String(port), ...(run.env ?? {}) }).map(([k, v]) => `${k}=${v}`).join(' ')} ${run.argv.join(' ')})\n`);
  const child = spawn(cmd === 'node' ? nodeBin : cmd!, args, { cwd, env: runEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const onData = (b: Buffer): void => {
    log.write(b);
    output += b.toString();
    if (output.length > 100_000) output = output.slice(-50_000);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  const result: Record<string, unknown> = { label: run.label, argv: run.argv, cwd: run.cwd, env: run.env ?? {}, port };
  const t0 = performance.now();
  let ready = false;
  while (performance.now() - t0 < 60_000 && !exited) {
    if ((await canConnect('127.0.0.1', port)) || (await canConnect('::1', port))) {
      ready = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  result.readyMs = ready ? Math.round(performance.now() - t0) : null;
  if (ready) {
    // Some servers listen first and give up afterwards (next start without a build does).
    await Promise.race([exitPromise, new Promise((r) => setTimeout(r, 500))]);
    if (exited) {
      ready = false;
      result.listenedThenExited = true;
    }
  }
  result.ready = ready;
  if (!ready) {
    result.exitedBeforeReady = exited;
    result.outputTail = tail(output);
    killGroup(child, 'SIGKILL');
    await exitPromise;
    return result;
  }
  result.listening = listeningAddresses(port);
  result.reachableVia = {
    '127.0.0.1': await canConnect('127.0.0.1', port),
    '::1': await canConnect('::1', port),
  };
  const host = (result.reachableVia as Record<string, boolean>)['127.0.0.1'] ? '127.0.0.1' : '[::1]';
  result.root = await httpGet(`http://${host}:${port}/`);
  const health: Record<string, number | string> = {};
  for (const p of HEALTH_PATHS) {
    const r = await httpGet(`http://${host}:${port}${p}`);
    health[p] = (r.status as number | undefined) ?? String(r.error);
  }
  result.healthProbe = health;
  // SIGTERM to the main process only, as `docker stop` does to PID 1.
  const tTerm = performance.now();
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exitPromise.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 10_000))]);
  const ex = exited as { code: number | null; signal: NodeJS.Signals | null } | null;
  result.sigterm = {
    exitedWithinMs: timedOut ? null : Math.round(performance.now() - tTerm),
    code: ex?.code ?? null,
    signal: ex?.signal ?? null,
    // signal === 'SIGTERM' means the default action killed it: no handler. As PID 1 in a
    // container the kernel drops such a signal, so `docker stop` waits its grace period.
    handledByApp: ex ? ex.signal === null : null,
  };
  killGroup(child, 'SIGKILL'); // leftovers (worker processes) of the group
  if (!exited) await exitPromise;
  result.outputTail = tail(output, 6);
  return result;
}

// ---------------------------------------------------------------------------------------------

async function ensurePnpm(cacheRoot: string, env: NodeJS.ProcessEnv, log: fs.WriteStream): Promise<string> {
  const prefix = path.join(cacheRoot, 'tools');
  const bin = path.join(prefix, 'node_modules', '.bin');
  const pkg = readJson(path.join(prefix, 'node_modules', 'pnpm', 'package.json'));
  if (pkg?.version !== V.pnpm) {
    fs.mkdirSync(prefix, { recursive: true });
    const r = await runLogged(['npm', 'install', '--prefix', prefix, '--no-save', `pnpm@${V.pnpm}`], prefix, env, log, 300_000);
    if (r.code !== 0) throw new Error(`installing pnpm@${V.pnpm} failed:\n${tail(r.output)}`);
  }
  return bin;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const jsonIdx = argv.indexOf('--json');
  const jsonOut = jsonIdx >= 0 ? argv[jsonIdx + 1] : undefined;
  const cacheIdx = argv.indexOf('--cache-dir');
  const cacheArg = cacheIdx >= 0 ? argv[cacheIdx + 1] : undefined;
  const positional = argv.filter((a, i) => !a.startsWith('--') && !(jsonIdx >= 0 && i === jsonIdx + 1) && !(cacheIdx >= 0 && i === cacheIdx + 1));
  const outArg = positional[0];
  if (!outArg || (cacheIdx >= 0 && !cacheArg)) {
    console.error(`usage: node test/corpus/make-apps.ts <outDir> [name...] [--no-verify] [--skip-make] [--json FILE] [--cache-dir DIR]\napps: ${APPS.map((a) => a.name).join(' ')}`);
    process.exit(2);
  }
  const outDir = path.resolve(outArg);
  const wanted = positional.slice(1);
  const unknown = wanted.filter((n) => !APPS.some((a) => a.name === n));
  if (unknown.length) {
    console.error(`unknown app(s): ${unknown.join(' ')}; known: ${APPS.map((a) => a.name).join(' ')}`);
    process.exit(2);
  }
  const apps = wanted.length ? APPS.filter((a) => wanted.includes(a.name)) : APPS;
  const verify = !flags.has('--no-verify');
  const skipMake = flags.has('--skip-make');

  const cacheRoot = cacheArg ? path.resolve(cacheArg) : path.join(path.dirname(outDir), '.corpus-cache');
  const npmCache = path.join(cacheRoot, 'npm');
  const cacheWasWarm = fs.existsSync(npmCache);
  fs.mkdirSync(npmCache, { recursive: true });
  fs.mkdirSync(path.join(outDir, 'logs'), { recursive: true });

  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_cache: npmCache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    pnpm_config_store_dir: path.join(cacheRoot, 'pnpm-store'),
    XDG_CONFIG_HOME: path.join(cacheRoot, 'xdg-config'), // create-next-app's saved preferences
    NEXT_TELEMETRY_DISABLED: '1',
    NX_NO_CLOUD: 'true',
    NX_DAEMON: 'false',
    DO_NOT_TRACK: '1',
    // Reuse cached registry metadata without revalidating it: a second run then needs the
    // registry only for what the cache lacks.
    npm_config_prefer_offline: 'true',
    pnpm_config_prefer_offline: 'true',
  };

  const previous = readJson(path.join(outDir, 'apps.json'));
  const prevByName = new Map<string, any>(((previous?.apps as any[]) ?? []).map((a) => [a.name, a]));
  const results: Record<string, unknown>[] = [];

  for (const spec of apps) {
    const madeDir = path.join(outDir, spec.name);
    const log = fs.createWriteStream(path.join(outDir, 'logs', `${spec.name}.log`), { flags: skipMake ? 'a' : 'w' });
    const env: NodeJS.ProcessEnv = { ...baseEnv };
    const entry: Record<string, unknown> = {
      name: spec.name,
      category: spec.category,
      generator: spec.generator,
      appDir: spec.appDir,
    };
    process.stdout.write(`${spec.name}: `);
    try {
      if (spec.needsPnpm) env.PATH = `${await ensurePnpm(cacheRoot, env, log)}${path.delimiter}${env.PATH}`;
      const history = ((prevByName.get(spec.name)?.makeHistory as unknown[]) ?? []).slice(-4);
      if (!skipMake) {
        const steps: Record<string, unknown>[] = [];
        const t0 = performance.now();
        let failed: string | null = null;
        // An upstream generator can hang in its own npm install (seen once: 600 s with no
        // output). A make takes 35 s at most here, so a step gets MAKE_STEP_TIMEOUT_MS and an
        // app whose make timed out is made once more from an empty folder; a step that exits
        // non-zero is a real failure and is not retried.
        for (let attempt = 1; attempt <= MAKE_ATTEMPTS; attempt++) {
          fs.rmSync(madeDir, { recursive: true, force: true });
          failed = null;
          let timedOut = false;
          for (const step of spec.make(spec.name)) {
            if ('write' in step) {
              fs.writeFileSync(path.join(madeDir, step.write), step.content);
              steps.push({ write: step.write });
              continue;
            }
            const cwd = step.cwd === 'out' ? outDir : step.cwd === 'app' ? madeDir : path.join(madeDir, step.cwd);
            fs.mkdirSync(cwd, { recursive: true });
            const r = await runLogged(step.argv, cwd, { ...env, ...(step.env ?? {}) }, log, MAKE_STEP_TIMEOUT_MS);
            steps.push({ argv: step.argv, cwd: step.cwd, code: r.code, ms: r.ms, ...(r.timedOut ? { timedOut: true } : {}), ...(attempt > 1 ? { attempt } : {}) });
            if (r.code !== 0) {
              failed = tail(r.output, 8);
              timedOut = r.timedOut;
              break;
            }
          }
          if (!timedOut || attempt === MAKE_ATTEMPTS) break;
          log.write(`\n[timed out after ${MAKE_STEP_TIMEOUT_MS / 1000} s; making ${spec.name} again from an empty folder]\n`);
          process.stderr.write(`${spec.name}: a make step timed out after ${MAKE_STEP_TIMEOUT_MS / 1000} s; making it again\n`);
        }
        const makeMs = Math.round(performance.now() - t0);
        const hasPkg = fs.existsSync(path.join(madeDir, spec.appDir, 'package.json'));
        const hasLock = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'].some((f) => fs.existsSync(path.join(madeDir, f)));
        // Judge by the files as well as the exit codes: a generator can print an error and exit 0.
        const ok = !failed && hasPkg && hasLock;
        entry.offline = ok
          ? { works: true }
          : { works: false, why: spec.expectMakeFailure ?? null, errorTail: failed ?? tail(steps.length ? fs.readFileSync(path.join(outDir, 'logs', `${spec.name}.log`), 'utf8') : '', 8) };
        entry.makeMs = makeMs;
        entry.makeSteps = steps;
        entry.makeHistory = [...history, { at: new Date().toISOString(), npmCache: cacheWasWarm ? 'warm' : 'cold', preferOffline: true, makeMs, ok }];
        process.stdout.write(`made ${ok ? 'ok' : 'FAILED'} in ${(makeMs / 1000).toFixed(1)} s`);
        if (!ok) {
          results.push(entry);
          process.stdout.write('\n');
          log.end();
          continue;
        }
      } else {
        const prev = prevByName.get(spec.name);
        Object.assign(entry, { offline: prev?.offline ?? null, makeMs: prev?.makeMs ?? null, makeSteps: prev?.makeSteps ?? null, makeHistory: history });
        if (!fs.existsSync(path.join(madeDir, spec.appDir, 'package.json'))) {
          process.stdout.write('not made\n');
          results.push(entry);
          log.end();
          continue;
        }
      }
      Object.assign(entry, inspect(madeDir, spec.appDir));
      entry.facts = spec.facts;
      if (verify) {
        const verification: Record<string, unknown> = {};
        if (spec.build) {
          const argv = spec.build.argv;
          const cwd = spec.build.cwd === 'app' ? madeDir : path.join(madeDir, spec.build.cwd);
          const r = await runLogged(argv, cwd, env, log, 600_000);
          verification.build = { argv, display: spec.build.display, code: r.code, ms: r.ms, ...(r.code !== 0 ? { errorTail: tail(r.output, 10) } : {}) };
          process.stdout.write(`, build ${r.code === 0 ? 'ok' : `FAILED (${r.code})`} ${(r.ms / 1000).toFixed(1)} s`);
        }
        const runs: Record<string, unknown>[] = [];
        for (const run of spec.runs) {
          const r = await startAndProbe(madeDir, run, env, log);
          runs.push(r);
          const root = r.root as Record<string, unknown> | undefined;
          process.stdout.write(`, ${run.label}: ${r.ready ? `up [${(r.listening as string[]).join(' ')}] GET / ${root?.status ?? root?.error}` : 'NOT UP'}`);
        }
        verification.runs = runs;
        entry.verification = verification;
      }
      process.stdout.write('\n');
    } catch (e) {
      entry.error = (e as Error).message;
      process.stdout.write(` ERROR ${(e as Error).message}\n`);
    }
    log.end();
    results.push(entry);
  }

  // Keep entries of apps not made this time (a partial run updates only what it ran).
  const merged = [...results];
  for (const [name, prev] of prevByName) if (!results.some((r) => r.name === name)) merged.push(prev);
  merged.sort((a, b) => APPS.findIndex((s) => s.name === a.name) - APPS.findIndex((s) => s.name === b.name));

  const doc = {
    madeAt: new Date().toISOString(),
    host: {
      node: process.version,
      npm: null as string | null,
      hasDockerenv: fs.existsSync('/.dockerenv'), // fastify-cli then binds 0.0.0.0 by itself
      note: 'verification runs use NODE_ENV=production and PORT=<free port>; "listening" is read from /proc/net/tcp{,6}',
    },
    versions: V,
    apps: merged,
  };
  const npmV = await runLogged(['npm', '--version'], outDir, baseEnv, fs.createWriteStream('/dev/null'), 30_000);
  doc.host.npm = npmV.output.trim();
  // No machine paths in the record: error tails name <outDir> and <cache> instead.
  const text = `${JSON.stringify(doc, null, 2)}\n`.replaceAll(cacheRoot, '<cache>').replaceAll(outDir, '<outDir>');
  fs.writeFileSync(path.join(outDir, 'apps.json'), text);
  if (jsonOut) fs.writeFileSync(path.resolve(jsonOut), text);
  console.log(`wrote ${path.join(outDir, 'apps.json')}${jsonOut ? ` and ${jsonOut}` : ''}`);
}

await main();
