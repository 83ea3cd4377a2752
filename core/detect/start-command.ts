// From a package.json `start` script (or `main`) to the exec-form process that should be
// PID 1 in the container: the app itself, never npm (which does not forward SIGTERM), with
// the environment and the build step the script carried. Pure: the caller says which files
// exist.

export interface StartScripts {
  [name: string]: string | undefined;
}

export interface DerivedStart {
  /** The exec-form command, such as ["node", "./bin/www"]. */
  command: string[];
  /** Where it came from, for prompts and messages ("package.json scripts.start"). */
  source: string;
  /** Variables the script set before the command (`cross-env K=V`, `K=V cmd`). */
  environment: Record<string, string>;
  /** An npm script the start script ran first (`npm run build:ts && ...`): the build step. */
  buildScript: string | undefined;
  /** The framework the command runs (next, nest, fastify-cli), when it says so. */
  runner: 'next' | 'nest' | 'fastify-cli' | undefined;
}

export interface StartProblem {
  /** Why no direct command could be derived, and what to do. */
  problem: string;
  source: string;
}

/** Splits shell words (single and double quotes, backslashes); undefined when the text uses shell syntax beyond words and `&&`. */
export function shellWords(text: string): string[][] | undefined {
  const segments: string[][] = [[]];
  let word: string | undefined;
  let i = 0;
  const push = () => {
    if (word !== undefined) segments[segments.length - 1]!.push(word);
    word = undefined;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      push();
      i++;
    } else if (c === '&' && text[i + 1] === '&') {
      push();
      segments.push([]);
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let out = '';
      for (; j < text.length && text[j] !== '"'; j++) {
        // As sh: a backslash escapes only $ ` " \ and a newline here; before anything else it stays.
        if (text[j] === '\\' && j + 1 < text.length && '$`"\\\n'.includes(text[j + 1]!)) out += text[++j];
        else if (text[j] === '$' || text[j] === '`') return undefined;
        else out += text[j];
      }
      if (j >= text.length) return undefined;
      word = (word ?? '') + out;
      i = j + 1;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[i + 1];
      i += 2;
    } else if ('|;<>()$`*?[]{}~#&!'.includes(c)) {
      return undefined;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  push();
  return segments.some((s) => s.length === 0) ? undefined : segments;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
/** Tools that watch, transpile or supervise in development: never what a production container runs. */
const DEV_TOOLS = new Set(['nodemon', 'ts-node', 'ts-node-dev', 'tsx', 'node-dev', 'babel-node', 'vite', 'webpack', 'webpack-dev-server', 'concurrently', 'npm-run-all', 'run-p', 'run-s', 'pm2', 'forever']);
const PACKAGE_MANAGERS = new Set(['npm', 'pnpm', 'yarn']);

/** The npm script a `npm run X` / `pnpm X` / `yarn X` segment runs, if it is one. */
function scriptOf(words: readonly string[]): string | undefined {
  const [tool, ...rest] = words;
  if (!tool || !PACKAGE_MANAGERS.has(tool)) return undefined;
  const args = rest.filter((w) => !w.startsWith('-'));
  if (args[0] === 'run' || args[0] === 'run-script') return args[1];
  if (tool !== 'npm' && args.length === 1) return args[0];
  if (tool === 'npm' && args.length === 1 && args[0] === 'start') return 'start';
  return undefined;
}

interface Context {
  scripts: StartScripts;
  /** Whether a file of the app exists (relative to its folder). */
  exists: (path: string) => boolean;
  depth: number;
}

function fromWords(words: string[], source: string, ctx: Context, environment: Record<string, string>): DerivedStart | StartProblem {
  let rest = [...words];
  // cross-env K=V ... cmd, and K=V cmd
  if (rest[0] === 'cross-env' || rest[0] === 'env') rest = rest.slice(1);
  while (rest[0] && ASSIGNMENT.test(rest[0])) {
    const [, name, value] = ASSIGNMENT.exec(rest[0])!;
    environment[name!] = value!;
    rest = rest.slice(1);
  }
  const [tool, ...args] = rest;
  if (!tool) return { problem: 'the script runs no command', source };
  const script = scriptOf(rest);
  if (script !== undefined) return fromScript(script, ctx, environment);
  if (tool === 'node') {
    if (args.length === 0) return { problem: 'the script starts node without a file', source };
    return { command: ['node', ...args], source, environment, buildScript: undefined, runner: undefined };
  }
  if (tool === 'next' && args[0] === 'start') {
    return { command: ['node', 'node_modules/next/dist/bin/next', ...args], source, environment, buildScript: undefined, runner: 'next' };
  }
  if (tool === 'nest' && args[0] === 'start') {
    // `nest start` builds and runs through the CLI (a devDependency); the production form is start:prod.
    // (Unless this is start:prod itself: start:prod = "nest start" falls through to dist/main.)
    if (ctx.scripts['start:prod'] && source !== 'package.json scripts.start:prod') return fromScript('start:prod', ctx, environment);
    return { command: ['node', 'dist/main'], source: `${source} (nest start: the compiled dist/main)`, environment, buildScript: undefined, runner: 'nest' };
  }
  if (tool === 'fastify' && args[0] === 'start') {
    // fastify-cli listens on localhost unless it detects a container; say 0.0.0.0 explicitly.
    return {
      command: ['node', 'node_modules/fastify-cli/cli.js', ...args],
      source,
      environment: { ...environment, FASTIFY_ADDRESS: '0.0.0.0' },
      buildScript: undefined,
      runner: 'fastify-cli',
    };
  }
  if (DEV_TOOLS.has(tool)) {
    return { problem: `the script runs ${tool}, a development tool (it watches, transpiles or supervises): a container should run the app itself, such as node dist/index.js after a build step`, source };
  }
  if (PACKAGE_MANAGERS.has(tool)) return { problem: `the script runs ${rest.join(' ')}, which is not one of the project's scripts`, source };
  return { problem: `the script runs ${tool}, which is not node or a framework the generator knows how to run directly`, source };
}

function fromScript(name: string, ctx: Context, environment: Record<string, string>): DerivedStart | StartProblem {
  const source = `package.json scripts.${name}`;
  const text = ctx.scripts[name];
  if (text === undefined) return { problem: `there is no script "${name}"`, source };
  if (ctx.depth > 4) return { problem: 'the scripts call each other too deeply', source };
  const segments = shellWords(text);
  if (!segments) return { problem: `"${text}" uses shell syntax (pipes, redirections, variables, ...) that cannot become a direct command`, source };
  const next: Context = { ...ctx, depth: ctx.depth + 1 };
  // "A && B": A must be a build step (an npm script, or tsc), B the server.
  let buildScript: string | undefined;
  for (const segment of segments.slice(0, -1)) {
    const build = scriptOf(segment);
    if (build !== undefined && buildScript === undefined) buildScript = build;
    else return { problem: `"${text}" runs more than a build step before the server`, source };
  }
  const derived = fromWords(segments.at(-1)!, source, next, environment);
  if ('problem' in derived) return derived;
  return { ...derived, buildScript: derived.buildScript ?? buildScript };
}

/**
 * The direct start command of an app: its `start` script (or `start:prod` for NestJS)
 * turned into exec form; without one, `node <main>` or a usual entry file that exists.
 */
export function deriveStart(pkg: { scripts?: StartScripts; main?: unknown }, exists: (path: string) => boolean): DerivedStart | StartProblem {
  const scripts = pkg.scripts ?? {};
  const ctx: Context = { scripts, exists, depth: 0 };
  if (typeof scripts['start'] === 'string') return fromScript('start', ctx, {});
  if (typeof pkg.main === 'string' && pkg.main !== '' && exists(pkg.main)) {
    return { command: ['node', pkg.main], source: 'package.json main', environment: {}, buildScript: undefined, runner: undefined };
  }
  for (const file of ['server.js', 'index.js', 'app.js', 'main.js', 'src/index.js', 'src/server.js']) {
    if (exists(file)) return { command: ['node', file], source: `${file} (no start script or main)`, environment: {}, buildScript: undefined, runner: undefined };
  }
  return { problem: 'package.json has no start script, and no main or usual entry file (server.js, index.js, app.js) exists', source: 'package.json' };
}
