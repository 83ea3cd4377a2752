// Reading the user's app before asking anything: what it is (framework, package manager
// and its pinned version, Node version, workspace package), how it starts (the exec-form
// command, derived from its scripts), what it builds, and how to tell it is healthy. Each
// finding says where it came from, so prompts and messages can name it. Pure: the caller
// gives a reader over the project's files.
import { deriveStart, type StartProblem } from './start-command.ts';

export interface Found<T> {
  value: T;
  /** Where it came from: "package.json scripts.start", "pnpm-lock.yaml", ... */
  source: string;
}

export interface AppFacts {
  packageManager: Found<'npm' | 'pnpm' | 'yarn'> | undefined;
  /** The `packageManager` field's version, such as pnpm@9.15.0. */
  packageManagerPin: Found<string> | undefined;
  /** The folder of the app's package, relative to the project (a workspace package), or "." */
  dir: Found<string>;
  command: Found<string[]> | undefined;
  /** Why no command could be derived (asked, or refused with --yes). */
  commandProblem: StartProblem | undefined;
  buildScript: Found<string> | undefined;
  /** Variables the start script set, and the ones its framework needs to listen on every interface. */
  environment: Found<Record<string, string>> | undefined;
  framework: Found<'next' | 'nest' | 'fastify' | 'express' | 'koa' | 'hono'> | undefined;
  /** The port the app listens on: the default it gives PORT, or the number it listens on. */
  port: Found<number> | undefined;
  /** The Node major version the app asks for, when it asks (engines.node, .nvmrc, .node-version). */
  nodeMajor: Found<number> | undefined;
  /** Folders the framework writes at run time (a tmpfs each, the root file system staying read-only). */
  writableDirs: Found<string[]> | undefined;
  /** Workspace packages' manifests the dependency install needs (pnpm-workspace.yaml, package.json workspaces). */
  workspaceManifests: string[];
  /** The lockfiles at the project's root, in detection order (pnpm-lock.yaml, yarn.lock, package-lock.json). */
  lockfiles: LockfileName[];
  /** What the project says about Yarn 2+ (Berry): present when yarn.lock or .yarnrc.yml is. */
  yarn: YarnFacts | undefined;
  /** The script names of the app's package.json (scripts.*). */
  scripts: string[];
  /** Things worth saying before a build fails for them. */
  warnings: string[];
}

export const LOCKFILES = { 'pnpm-lock.yaml': 'pnpm', 'yarn.lock': 'yarn', 'package-lock.json': 'npm' } as const;
export type LockfileName = keyof typeof LOCKFILES;

export interface YarnFacts {
  /** yarn.lock is Yarn 2+'s format (a __metadata block), not Yarn 1's. */
  berryLockfile: boolean;
  /** .yarnrc.yml's nodeLinker (undefined when not set: Yarn 2+ then uses Plug'n'Play). */
  nodeLinker: string | undefined;
  /** .yarnrc.yml is there. */
  rcFile: boolean;
  /** The folders under .yarn/ an install reads (the pinned release, plugins, patches). */
  dirs: string[];
}

/** A top-level `key: value` of a simple YAML file such as .yarnrc.yml (quotes removed). */
function yamlScalar(text: string, key: string): string | undefined {
  const m = new RegExp(`^${key}:[ \\t]*(?:"([^"]*)"|'([^']*)'|([^#\\s][^#]*?))[ \\t]*(?:#.*)?$`, 'm').exec(text);
  return m ? (m[1] ?? m[2] ?? m[3])?.trim() : undefined;
}

function yarnFacts(reader: ProjectReader): YarnFacts | undefined {
  const lock = reader.read('yarn.lock');
  const rc = reader.read('.yarnrc.yml');
  if (lock === undefined && rc === undefined) return undefined;
  return {
    berryLockfile: lock !== undefined && /^__metadata:/m.test(lock),
    nodeLinker: rc === undefined ? undefined : yamlScalar(rc, 'nodeLinker'),
    rcFile: rc !== undefined,
    dirs: ['.yarn/releases', '.yarn/plugins', '.yarn/patches'].filter((d) => reader.list(d).length > 0),
  };
}

export interface ProjectReader {
  /** A file's text, relative to the project, or undefined. */
  read(path: string): string | undefined;
  exists(path: string): boolean;
  /** The names in a folder (relative to the project), or []. */
  list(path: string): string[];
}

interface PackageJson {
  name?: unknown;
  main?: unknown;
  type?: unknown;
  scripts?: Record<string, string>;
  engines?: { node?: unknown };
  workspaces?: unknown;
  packageManager?: unknown;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
}

function parseJson(text: string | undefined): PackageJson | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const join = (dir: string, file: string): string => (dir === '.' ? file : `${dir}/${file}`);

/** The workspace package globs of pnpm-workspace.yaml (the `packages:` list; plain `dir/*` and `dir` forms). */
function workspaceGlobs(text: string): string[] {
  const globs: string[] = [];
  let inPackages = false;
  for (const line of text.split('\n')) {
    if (/^packages:\s*$/.test(line)) {
      inPackages = true;
      continue;
    }
    if (inPackages) {
      const item = /^\s+-\s+['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
      if (item) globs.push(item[1]!.trim());
      else if (/^\S/.test(line)) inPackages = false;
    }
  }
  return globs;
}

/** The folders pnpm-workspace.yaml's globs name (one level of "*"; "!" exclusions honoured). */
function workspaceDirs(reader: ProjectReader, globs: readonly string[]): string[] {
  const dirs: string[] = [];
  for (const glob of globs.filter((g) => !g.startsWith('!'))) {
    const clean = glob.replace(/\/+$/, '');
    if (clean.endsWith('/*') || clean.endsWith('/**')) {
      const base = clean.replace(/\/\*+$/, '');
      for (const name of reader.list(base)) if (reader.exists(`${base}/${name}/package.json`)) dirs.push(`${base}/${name}`);
    } else if (!clean.includes('*') && reader.exists(`${clean}/package.json`)) dirs.push(clean);
  }
  const excluded = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1).replace(/\/+$/, ''));
  return [...new Set(dirs)].filter((d) => !excluded.includes(d)).sort();
}

/** The highest Node major of a simple engines.node range (>=N, ^N, ~N, N, N.x, N - M, a || b). */
export function nodeMajorOf(range: string, supported: readonly number[]): number | undefined {
  // npm's ranges allow a blank after an operator (">= 18", "< 23"): it belongs to its version.
  const ranges = range.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1');
  const allows = (major: number): boolean =>
    ranges.split('||').some((part) => {
      const clauses = part.trim().split(/\s+/).filter(Boolean);
      if (clauses.length === 0) return false;
      if (clauses.length === 3 && clauses[1] === '-') {
        const lo = Number.parseInt(clauses[0]!, 10);
        const hi = Number.parseInt(clauses[2]!, 10);
        return major >= lo && major <= hi;
      }
      return clauses.every((clause) => {
        const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(clause);
        if (!m) return clause === '*' || clause === 'x';
        const [, op, majorText, minorText] = m;
        const n = Number(majorText);
        const minorZero = minorText === undefined || minorText === 'x' || minorText === '*' || Number(minorText) === 0;
        switch (op) {
          case '>=':
            return major >= n;
          case '>':
            return major > n || (major === n && !minorZero);
          case '<':
            return major < n || (major === n && !minorZero);
          case '<=':
            return major <= n;
          default:
            return major === n;
        }
      });
    });
  return [...supported].sort((a, b) => b - a).find(allows);
}

const FRAMEWORKS = [
  ['next', 'next'],
  ['@nestjs/core', 'nest'],
  ['fastify', 'fastify'],
  ['express', 'express'],
  ['koa', 'koa'],
  ['hono', 'hono'],
] as const;

/** Where an app's source starts: the command's file (and its TypeScript source), then the usual entry files. */
function entryFiles(command: readonly string[] | undefined): string[] {
  const files: string[] = [];
  const script = command?.[0] === 'node' ? command.slice(1).find((a) => !a.startsWith('-')) : undefined;
  if (script && !script.startsWith('node_modules/')) {
    const clean = script.replace(/^\.\//, '');
    const bare = clean.replace(/\.(c|m)?js$/, '');
    files.push(clean, `${bare}.js`, `${bare}.mjs`, `${bare}.cjs`);
    // A compiled file's source: dist/main(.js) -> src/main.ts
    const source = bare.replace(/^(dist|build|out|lib)\//, 'src/');
    files.push(`${source}.ts`, `${source}.mts`, `${source}.js`);
  }
  files.push('src/main.ts', 'src/index.ts', 'src/server.ts', 'src/app.ts', 'src/index.js', 'src/server.js', 'server.js', 'index.js', 'app.js', 'app.ts', 'main.ts', 'bin/www');
  return [...new Set(files)];
}

/** The port an app's entry files say: PORT's default (`process.env.PORT || 8080`), else a literal `listen(8080)`. */
function portOf(reader: ProjectReader, dir: string, command: readonly string[] | undefined): Found<number> | undefined {
  for (const file of entryFiles(command)) {
    const text = reader.read(join(dir, file));
    if (text === undefined) continue;
    const fallback = /\bPORT\b['"\]]*\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/.exec(text);
    const literal = /\.listen\(\s*(\d{2,5})\b/.exec(text);
    const found = fallback ?? (/\bprocess\.env\.PORT\b|\benv\.PORT\b/.test(text) ? undefined : literal);
    if (found) {
      const port = Number(found[1]);
      if (port >= 1 && port <= 65535) return { value: port, source: `${join(dir, file)} (${found === fallback ? 'the default of PORT' : 'listen'})` };
    }
  }
  return undefined;
}

/** The Node majors the generator has a base image for. */
export const NODE_MAJORS = [24, 22] as const;

/**
 * What the project's files say about the app. `dir`: the app folder the user gave (--app-dir,
 * an answers file, .yo-rc.json), read instead of searching the workspace for it.
 */
export function detectApp(reader: ProjectReader, options: { dir?: string | undefined } = {}): AppFacts {
  const warnings: string[] = [];
  const root = parseJson(reader.read('package.json')) ?? {};
  const lockfiles = (Object.keys(LOCKFILES) as LockfileName[]).filter((f) => reader.exists(f));
  const lock = lockfiles[0];
  const fromLock: 'npm' | 'pnpm' | 'yarn' | undefined = lock ? LOCKFILES[lock] : undefined;
  const pin = typeof root.packageManager === 'string' && /^(npm|pnpm|yarn)@\d/.test(root.packageManager) ? root.packageManager : undefined;
  const pinned = pin?.split('@')[0] as 'npm' | 'pnpm' | 'yarn' | undefined;
  const packageManager: Found<'npm' | 'pnpm' | 'yarn'> | undefined = fromLock ? { value: fromLock, source: lock! } : pinned ? { value: pinned, source: 'package.json packageManager' } : undefined;

  // A workspace whose root does not start anything: the one package that does is the app.
  let dir: Found<string> = { value: '.', source: 'the project folder' };
  const workspaceManifests: string[] = [];
  let servers: string[] = [];
  const workspaceFile = reader.read('pnpm-workspace.yaml');
  const npmWorkspaces = Array.isArray(root.workspaces) ? root.workspaces : isRecord(root.workspaces) && Array.isArray(root.workspaces['packages']) ? root.workspaces['packages'] : undefined;
  const globs = workspaceFile !== undefined ? workspaceGlobs(workspaceFile) : npmWorkspaces?.filter((g): g is string => typeof g === 'string');
  const workspaceSource = workspaceFile !== undefined ? 'pnpm-workspace.yaml' : 'package.json workspaces';
  if (globs) {
    const packages = workspaceDirs(reader, globs);
    for (const p of packages) workspaceManifests.push(`${p}/package.json`);
    if (options.dir === undefined && typeof root.scripts?.['start'] !== 'string') {
      servers = packages.filter((p) => typeof parseJson(reader.read(`${p}/package.json`))?.scripts?.['start'] === 'string');
      if (servers.length === 1) dir = { value: servers[0]!, source: `${workspaceSource} (the one package with a start script)` };
      else if (servers.length > 1) warnings.push(`the workspace has several packages with a start script (${servers.join(', ')}): the project folder's package is used; choose one with --app-dir`);
    }
  }
  if (options.dir !== undefined) dir = { value: options.dir, source: 'the given app.dir' };
  const pkg = dir.value === '.' ? root : (parseJson(reader.read(join(dir.value, 'package.json'))) ?? {});
  const at = (source: string): string => (dir.value === '.' ? source : source.replace('package.json', `${dir.value}/package.json`));

  const start = deriveStart(pkg, (path) => reader.exists(join(dir.value, path)));
  let command: Found<string[]> | undefined;
  let commandProblem: StartProblem | undefined;
  let environment: Record<string, string> = {};
  let buildFromStart: string | undefined;
  // Without a command the run stops before the warnings are shown: the way out goes with the problem.
  const choose = servers.length > 1 ? `; the workspace has several packages with a start script (${servers.join(', ')}): choose one with --app-dir` : '';
  if ('problem' in start) commandProblem = { problem: `${start.problem}${choose}`, source: at(start.source) };
  else {
    command = { value: start.command, source: at(start.source) };
    environment = start.environment;
    buildFromStart = start.buildScript;
  }

  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const frameworkEntry = FRAMEWORKS.find(([name]) => name in deps);
  const framework = frameworkEntry ? { value: frameworkEntry[1], source: at(`package.json dependencies (${frameworkEntry[0]})`) } : undefined;

  // The build step: what the start script ran first, else a `build` script (every framework
  // build, and every TypeScript compile, needs it before the server starts).
  const scripts = pkg.scripts ?? {};
  let buildScript: Found<string> | undefined;
  if (buildFromStart) buildScript = { value: buildFromStart, source: at(`package.json scripts.start (runs it first)`) };
  else if (typeof scripts['build'] === 'string') buildScript = { value: 'build', source: at('package.json scripts.build') };

  const writable: string[] = [];
  if (framework?.value === 'next') {
    // next start writes its cache (images, fetched data) at run time.
    writable.push(join(dir.value, '.next/cache'));
    const layout = ['app/layout.tsx', 'app/layout.jsx', 'app/layout.js', 'src/app/layout.tsx', 'src/app/layout.js', 'pages/_app.tsx', 'pages/_app.js'].map((f) => reader.read(join(dir.value, f))).find((t) => t !== undefined);
    if (layout && /from\s+['"]next\/font\/google['"]/.test(layout)) {
      warnings.push(
        'the app imports next/font/google: next build downloads those fonts from fonts.googleapis.com, so the image build fails where that host is unreachable (offline, behind a strict proxy). Build where it is reachable, or self-host the font with next/font/local',
      );
    }
    const config = ['next.config.ts', 'next.config.mjs', 'next.config.js'].map((f) => reader.read(join(dir.value, f))).find((t) => t !== undefined);
    if (config && /output\s*:\s*['"]standalone['"]/.test(config)) {
      warnings.push('next.config sets output: "standalone": the image runs next start on the full build instead (the standalone server.js binds to $HOSTNAME, which a container sets to its id)');
    }
  }

  let nodeMajor: Found<number> | undefined;
  const engines = typeof pkg.engines?.node === 'string' ? pkg.engines.node : typeof root.engines?.node === 'string' ? root.engines.node : undefined;
  if (engines !== undefined) {
    const major = nodeMajorOf(engines, NODE_MAJORS);
    if (major !== undefined) nodeMajor = { value: major, source: `package.json engines.node (${engines})` };
    else warnings.push(`package.json engines.node (${engines}) allows none of Node ${NODE_MAJORS.join(', ')}: the default base image is kept; give --base-image for another`);
  } else {
    for (const file of ['.nvmrc', '.node-version']) {
      const text = reader.read(file)?.trim();
      const m = text ? /^v?(\d+)/.exec(text) : null;
      if (m) {
        const major = Number(m[1]);
        if ((NODE_MAJORS as readonly number[]).includes(major)) nodeMajor = { value: major, source: file };
        else warnings.push(`${file} asks for Node ${major}, which the generator has no base image for: the default is kept; give --base-image`);
        break;
      }
    }
  }

  return {
    packageManager,
    packageManagerPin: pin ? { value: pin, source: 'package.json packageManager' } : undefined,
    dir,
    command,
    commandProblem,
    buildScript,
    environment: Object.keys(environment).length ? { value: environment, source: command?.source ?? 'package.json' } : undefined,
    framework,
    port: portOf(reader, dir.value, command?.value) ?? (framework && ['next', 'nest', 'fastify'].includes(framework.value) ? { value: 3000, source: `${framework.value}'s default port` } : undefined),
    nodeMajor,
    writableDirs: writable.length ? { value: writable, source: framework!.source } : undefined,
    workspaceManifests,
    lockfiles,
    yarn: yarnFacts(reader),
    scripts: Object.keys(scripts).filter((name) => typeof scripts[name] === 'string'),
    warnings,
  };
}
