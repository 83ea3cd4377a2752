// Answers that are valid on their own but that the project cannot build or run with: a
// package manager without its lockfile (or pinned to another one), a Yarn the image cannot
// install production dependencies with, a build script the app does not have, a start file
// that is not there. Each becomes a problem naming the field, where it came from, the value
// and the rule with the fix, so the run stops before anything is written (instead of
// `docker build` failing later). Pure: the caller gives the reader and where values came from.
import { posix } from 'node:path';
import type { PackageManager } from '../../schema/defaults.ts';
import type { StackSpec } from '../../schema/stack.ts';
import type { Problem } from '../errors.ts';
import { LOCKFILES, type AppFacts, type LockfileName, type ProjectReader } from './index.ts';

/** Each package manager's lockfile. */
export const LOCKFILE_OF: Readonly<Record<PackageManager, LockfileName>> = { npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml', yarn: 'yarn.lock' };

/** The frozen install the image runs (what needs the lockfile). */
const FROZEN: Readonly<Record<PackageManager, string>> = { npm: 'npm ci', pnpm: 'pnpm install --frozen-lockfile', yarn: 'yarn install with a frozen lockfile' };

/** How to move a project to a package manager from another one's lockfile. */
const SWITCH: Readonly<Record<PackageManager, string>> = {
  npm: 'run npm install (it writes package-lock.json) and remove the other lockfile',
  pnpm: 'run pnpm import (it writes pnpm-lock.yaml from package-lock.json or yarn.lock) and remove the other lockfile',
  yarn: 'run yarn install (it writes yarn.lock; Yarn 1 can start from package-lock.json with yarn import) and remove the other lockfile',
};

/** The sample app's files: what a --command may start. */
export const SAMPLE_FILES = ['server.js'] as const;

export interface CheckContext {
  spec: StackSpec;
  /** The user's app (undefined: the sample app, which this run writes). */
  facts: AppFacts | undefined;
  reader: ProjectReader;
  /** Where a field's value came from (a flag, a file, "detected from ..."), for the message. */
  sourceOf: (path: readonly string[]) => string | undefined;
}

const problem = (field: string, source: string | undefined, value: unknown, rule: string): Problem => ({ field, ...(source ? { source } : {}), value, rule });

/** The major version of a packageManager pin (yarn@4.5.3 -> 4). */
const majorOf = (pin: string): number | undefined => {
  const m = /@(\d+)/.exec(pin);
  return m ? Number(m[1]) : undefined;
};

function packageManagerProblems(spec: StackSpec, facts: AppFacts, sourceOf: CheckContext['sourceOf']): Problem[] {
  const problems: Problem[] = [];
  const pm = spec.app.packageManager;
  const field = 'app.packageManager';
  const source = sourceOf(['app', 'packageManager']) ?? (facts.packageManager ? `detected from ${facts.packageManager.source}` : 'the default');
  const own = LOCKFILE_OF[pm];
  if (!facts.lockfiles.includes(own)) {
    if (facts.lockfiles.length) {
      const other = facts.lockfiles[0]!;
      problems.push(
        problem(
          field,
          source,
          pm,
          `the project has ${facts.lockfiles.join(' and ')} (${LOCKFILES[other]}'s lockfile) but no ${own}: the image installs exactly what the lockfile says (${FROZEN[pm]}), so ${pm} needs its own. ` +
            `Use ${LOCKFILES[other]} (leave out --package-manager: it is detected from ${other}), or switch the project to ${pm} first: ${SWITCH[pm]}`,
        ),
      );
    } else {
      problems.push(problem(field, source, pm, `the project has no lockfile (${own}): the image installs exactly what the lockfile says (${FROZEN[pm]}). Run ${pm} install in the project and commit ${own}`));
    }
  }
  const pin = facts.packageManagerPin?.value;
  const pinned = pin?.split('@')[0];
  if (pin && pinned !== pm) {
    problems.push(
      problem(
        field,
        source,
        pm,
        `package.json packageManager is ${pin}: the project is pinned to ${pinned}, ${pm === 'npm' ? 'which npm would ignore' : `and ${pm} refuses to install a project pinned to another package manager`}. ` +
          `Either use ${pinned} (--package-manager ${pinned}, with its lockfile), or change packageManager to ${pm}@<version>`,
      ),
    );
  }
  if (pm === 'yarn' && (!pin || pinned === 'yarn')) problems.push(...yarnProblems(facts, pin, source));
  return problems;
}

function yarnProblems(facts: AppFacts, pin: string | undefined, source: string): Problem[] {
  const field = 'app.packageManager';
  const yarn = facts.yarn;
  const major = pin ? majorOf(pin) : undefined;
  if (yarn?.berryLockfile && (major === undefined || major < 2)) {
    return [
      problem(
        field,
        pin ? 'package.json packageManager' : source,
        pin ?? 'yarn',
        `yarn.lock is a Yarn 2+ lockfile (it has __metadata), but package.json ${pin ? `pins ${pin}` : 'pins no Yarn version'}, and Yarn 1 cannot read it. ` +
          'Pin the Yarn that wrote it in package.json, such as "packageManager": "yarn@4.5.3" (yarn set version 4 writes it)',
      ),
    ];
  }
  if (major === undefined || major < 2) return [];
  if (major < 4) {
    return [
      problem(
        field,
        'package.json packageManager',
        pin,
        `Yarn ${major} is not supported: the image installs production dependencies with yarn workspaces focus, which is built into Yarn 4 (Yarn 2 and 3 fetch its plugin from GitHub). Move to Yarn 4: yarn set version 4, then yarn install, and commit package.json and yarn.lock`,
      ),
    ];
  }
  const problems: Problem[] = [];
  if (facts.lockfiles.includes('yarn.lock') && !yarn?.berryLockfile) {
    problems.push(
      problem(
        field,
        'package.json packageManager',
        pin,
        `yarn.lock is in Yarn 1's format, and yarn install --immutable with ${pin} would have to rewrite it. Run yarn install once with ${pin} and commit the converted yarn.lock`,
      ),
    );
  }
  if (yarn?.nodeLinker !== 'node-modules') {
    problems.push(
      problem(
        field,
        '.yarnrc.yml nodeLinker',
        yarn?.nodeLinker ?? '(not set: pnp)',
        `${yarn?.nodeLinker ? `nodeLinker: ${yarn.nodeLinker}` : "no nodeLinker means Plug'n'Play"}: the image runs the app from node_modules, ` +
          "and Plug'n'Play is not supported (it would need .pnp.cjs, its loader and the package cache in the image, and every command started through them). " +
          'Add "nodeLinker: node-modules" to .yarnrc.yml, run yarn install, and commit yarn.lock',
      ),
    );
  }
  return problems;
}

/** Node options that take the next argument as their value (`-r dotenv/config`). */
const NODE_VALUE_OPTIONS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file', '--env-file-if-exists', '--input-type', '--title', '--watch-path']);
/** Node options after which no script file is run (code from the command line, the REPL, the test runner). */
const NODE_NO_FILE = new Set(['-e', '--eval', '-p', '--print', '-i', '--interactive', '--test', '--run', '-v', '--version', '-h', '--help', '-c', '--check']);

/** The script file `node [options] FILE [args]` runs, or undefined (not node, code inline, unsure). */
export function nodeScriptOf(command: readonly string[]): string | undefined {
  if (command[0]?.split('/').at(-1) !== 'node') return undefined;
  for (let i = 1; i < command.length; i++) {
    const arg = command[i]!;
    if (arg === '-') return undefined;
    if (!arg.startsWith('-')) return arg;
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    if (NODE_NO_FILE.has(name)) return undefined;
    if (NODE_VALUE_OPTIONS.has(name) && !arg.includes('=')) i++;
  }
  return undefined;
}

function commandProblems(spec: StackSpec, facts: AppFacts | undefined, reader: ProjectReader, sourceOf: CheckContext['sourceOf']): Problem[] {
  const { app } = spec;
  const script = nodeScriptOf(app.command);
  if (script === undefined || script.includes('$') || script.startsWith('node_modules/')) return [];
  let inProject: string;
  if (script.startsWith('/')) {
    // The image keeps the project at /app; other absolute paths belong to the base image.
    if (!script.startsWith('/app/')) return [];
    inProject = posix.normalize(script.slice('/app/'.length));
  } else inProject = posix.normalize(posix.join(app.dir, script));
  if (inProject.startsWith('../') || inProject.startsWith('node_modules/')) return [];
  const shown = (inProject === '.' ? '' : inProject).replace(/\/$/, '');
  const candidates = [shown, `${shown}.js`, `${shown}.mjs`, `${shown}.cjs`, `${shown}.json`].filter((c) => c !== '');
  if (candidates.some((c) => reader.exists(c)) || (shown === '' && reader.exists('package.json'))) return [];
  if (!facts && (SAMPLE_FILES as readonly string[]).some((f) => candidates.includes(f))) return [];
  // A build step may make it (tsc's dist/, a bundler's output).
  if (app.buildScript) return [];
  const source = sourceOf(['app', 'command']);
  if (!facts) {
    return [problem('app.command', source, app.command, `${shown} is not a file of the sample app (it has ${SAMPLE_FILES.join(', ')}) and no build step makes it: the container would run node ${script} and exit. Leave out --command (the sample starts with node server.js)`)];
  }
  return [
    problem(
      'app.command',
      source,
      app.command,
      `${shown} is not in the project and no build step makes it: the container would run node ${script} in ${app.dir === '.' ? '/app' : `/app/${app.dir}`} and exit. ` +
        'Give the file that starts the app, or the build script that makes it (--build-script)',
    ),
  ];
}

function buildScriptProblems(spec: StackSpec, facts: AppFacts | undefined, sourceOf: CheckContext['sourceOf']): Problem[] {
  const script = spec.app.buildScript;
  if (!script) return [];
  const source = sourceOf(['app', 'buildScript']);
  if (!facts) {
    return [problem('app.buildScript', source, script, `the sample app has no build step (its package.json has only scripts.start): leave out --build-script, or give none`)];
  }
  if (facts.scripts.includes(script)) return [];
  const manifest = spec.app.dir === '.' ? 'package.json' : `${spec.app.dir}/package.json`;
  const has = facts.scripts.length ? ` (it has ${facts.scripts.join(', ')})` : ' (it has no scripts)';
  return [problem('app.buildScript', source, script, `${manifest} has no scripts.${script}${has}, and the build stage runs ${spec.app.packageManager} run ${script}. Give one of its scripts, or none for no build step`)];
}

/** Every problem of the spec against the project it is for (empty: it can build and run). */
export function projectProblems({ spec, facts, reader, sourceOf }: CheckContext): Problem[] {
  return [...(facts ? packageManagerProblems(spec, facts, sourceOf) : []), ...buildScriptProblems(spec, facts, sourceOf), ...commandProblems(spec, facts, reader, sourceOf)];
}
