// Reads what a run starts from (the destination, .yo-rc.json, an answers file, flags)
// and turns a valid spec into a plan. Shared by the bin and the Yeoman generator.
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppSpec, COMPOSE_FILES, type StackSpec } from '../schema/stack.ts';
import { readAnswersFile } from './answers-file.ts';
import { detectApp, type AppFacts, type ProjectReader } from './detect/index.ts';
import { readRegularFile } from './read.ts';
import { InputError, printable, type Problem } from './errors.ts';
import { BUILD_CONFIG_FILES, deriveModel, type StackModel } from './model.ts';
import { sha256 } from './hash.ts';
import { buildPlan, type Plan } from './plan.ts';
import { renderAppFiles } from './render/files.ts';
import { inspectSecrets, planSecrets } from './secrets.ts';
import { flagContradictions } from './options.ts';
import { flagsLayer, getPath, isPlainObject, resolveSpec, setPath, sourceOf, type Layer, type Raw, type SpecContext } from './spec.ts';
import { projectProblems } from './detect/checks.ts';
import { baseImageVerdict, withoutNodeRule } from './base-image.ts';
import { baseLines, baseText, parseYoRc, renderYoRc, YO_RC, YO_RC_MAX_BYTES, type YoRc } from './state.ts';
import { packageVersion } from './templates.ts';
import { acquireLock } from './lock.ts';
import { applyPlan, linkOnPath, prepareDestination, writes } from './write.ts';


export interface Inputs {
  dir: string;
  yoRc: YoRc;
  layers: Layer[];
  context: SpecContext;
  /** Whether the sample app is (or was first) scaffolded here. */
  sampleApp: boolean;
  /** What was found out about the user's app (absent for the sample app). */
  facts?: AppFacts;
  /** Package-manager settings files at the project's root (core/model.ts BUILD_CONFIG_FILES). */
  buildConfigFiles: string[];
  /** Flags that contradict each other (core/options.ts flagContradictions), reported with the spec's problems. */
  contradictions?: Problem[];
}

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** A project file's text (undefined when missing); anything but a regular file is an input error (core/read.ts). */
export function readText(path: string): string | undefined {
  return readRegularFile(path);
}

/**
 * Where the kernel takes a path: symbolic links followed, and a ".." after a link taken
 * from the link's target (not textually). Works for paths that do not exist yet.
 */
export function physicalPath(path: string): string {
  try {
    // The kernel's realpath(3): Node's own realpathSync resolves ".." textually first.
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(physicalPath(parent), basename(path));
  }
}

/**
 * Refuses destinations that cannot hold a project, or that are not where they seem:
 * - the destination exists and is not a directory (or cannot be looked at);
 * - the destination itself is a symbolic link (write to the real folder instead: a
 *   link can point anywhere, such as outside the folder the user looks at);
 * - a ".." in the destination comes after a symbolic link, so the real folder is not
 *   the one the path reads as (`link/../x` is next to the link's target, not next to link);
 * - its .yo-rc.json is a symbolic link or not a regular file.
 * Symbolic links above the destination (such as /tmp -> /private/tmp) are fine.
 */
export function checkDestination(dir: string): void {
  // "out/" would look through a link named out: look at "out" itself.
  const trimmed = dir.length > 1 ? dir.replace(/[\\/]+$/, '') || dir : dir;
  let link: ReturnType<typeof lstatSync> | undefined;
  try {
    link = lstatSync(trimmed);
  } catch {
    link = undefined;
  }
  if (link?.isSymbolicLink()) {
    let target = '';
    try {
      target = readlinkSync(trimmed);
    } catch {
      /* unreadable: shown without a target */
    }
    throw new InputError([
      {
        field: 'directory',
        value: dir,
        rule: `the destination is a symbolic link${target ? ` (to ${target})` : ''}: the generator never writes through links; give the real folder${target ? ` (${physicalPath(trimmed)})` : ''}`,
      },
    ]);
  }
  const logical = resolve(trimmed);
  const physical = physicalPath(trimmed);
  const logicalPhysical = physicalPath(logical);
  if (physical !== logicalPhysical) {
    throw new InputError([
      {
        field: 'directory',
        value: dir,
        rule: `".." in the destination follows a symbolic link: it leads to ${physical}, not ${logicalPhysical} as the path reads; give the path without ".."`,
      },
    ]);
  }
  let stat;
  try {
    stat = statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // created when writing
    throw new InputError([{ field: 'directory', value: dir, rule: `cannot be used as the destination (${code ?? (error as Error).message})` }]);
  }
  if (!stat.isDirectory()) {
    throw new InputError([{ field: 'directory', value: dir, rule: 'the destination exists and is not a directory' }]);
  }
  const obstacle = obstacleAt(dir, YO_RC);
  if (obstacle) throw new InputError([obstacle]);
}

/**
 * Why the generator cannot read or write `rel` inside dir: a symbolic link on the way (it
 * never reads or writes through links: a link can point outside the project), or a
 * folder where it keeps a file. Undefined when the path is fine (or missing).
 */
export function obstacleAt(dir: string, rel: string): Problem | undefined {
  const link = linkOnPath(dir, rel);
  if (link !== undefined) {
    let target = '';
    try {
      target = readlinkSync(join(dir, link));
    } catch {
      /* unreadable */
    }
    return {
      field: rel,
      value: link === rel ? join(dir, rel) : join(dir, link),
      rule: `${link === rel ? 'is' : `is inside ${link}, which is`} a symbolic link${target ? ` (to ${target})` : ''}: the generator never reads or writes through links; replace it with a regular ${link === rel ? 'file' : 'folder'}, or remove it`,
    };
  }
  // Every folder on the way must be a folder (a file named "scripts" stops scripts/push-x.sh).
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    let stat;
    try {
      stat = lstatSync(join(dir, folder));
    } catch {
      break; // missing: made when writing
    }
    if (!stat.isDirectory()) {
      return { field: rel, value: join(dir, folder), rule: `needs the folder ${folder}, but a file stands there: move it away` };
    }
  }
  let stat;
  try {
    stat = lstatSync(join(dir, rel));
  } catch {
    return undefined; // missing, or unreachable: the plan and the writer report that
  }
  if (stat.isDirectory()) return { field: rel, value: join(dir, rel), rule: 'is a directory where the generator keeps a file: move it away' };
  if (!stat.isFile()) {
    const kind = stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : 'a device';
    return { field: rel, value: join(dir, rel), rule: `is ${kind} where the generator keeps a file: move it away` };
  }
  return undefined;
}

/**
 * What a run looks at of the project, path by path (relative to the destination): `see`
 * for a file or folder it reads or tests, `list` for a folder whose names it reads. The
 * re-run stamp (bin/rerun-stamp.ts) records them.
 */
export type NoteAccess = (path: string, how: 'see' | 'list') => void;

/** The project's files as the detection reads them (never through a link, never a huge file). */
function projectReader(dir: string, note: NoteAccess = () => undefined): ProjectReader {
  return {
    read: (path) => {
      note(path, 'see');
      try {
        return lstatSync(join(dir, path)).isFile() ? readRegularFile(join(dir, path), path, 1024 * 1024) : undefined;
      } catch {
        return undefined;
      }
    },
    exists: (path) => {
      note(path, 'see');
      return existsSync(join(dir, path));
    },
    list: (path) => {
      note(path, 'list');
      try {
        return readdirSync(join(dir, path)).sort();
      } catch {
        return [];
      }
    },
  };
}

/** The Compose files in the folder, in Compose's order of preference. */
export function existingComposeFiles(dir: string): string[] {
  return COMPOSE_FILES.filter((name) => isRegularFile(join(dir, name)));
}

/**
 * The findings as the lowest layer of answers, each key naming where it came from. An app
 * without a known health endpoint gets a check that needs none: GET / answers below 500.
 */
export function detectedLayer(facts: AppFacts, composeFiles: readonly string[]): Layer {
  const values: Raw = {};
  const flagOf = new Map<string, string>();
  const put = (path: string[], value: unknown, source: string) => {
    setPath(values, path, value);
    flagOf.set(path.join('.'), `detected from ${source}`);
  };
  if (facts.command) put(['app', 'command'], facts.command.value, facts.command.source);
  if (facts.buildScript) put(['app', 'buildScript'], facts.buildScript.value, facts.buildScript.source);
  if (facts.dir.value !== '.') put(['app', 'dir'], facts.dir.value, facts.dir.source);
  // HOST: many apps (Nx's, Nuxt's, ...) listen on localhost unless it says otherwise, and a
  // container's localhost is unreachable from outside it.
  put(['app', 'environment'], { HOST: '0.0.0.0', ...facts.environment?.value }, facts.environment?.source ?? 'a container listens on every interface');
  if (facts.port) put(['app', 'port'], facts.port.value, facts.port.source);
  if (facts.writableDirs) put(['app', 'writableDirs'], facts.writableDirs.value, facts.writableDirs.source);
  if (facts.nodeMajor && facts.nodeMajor.value !== 24) put(['app', 'baseImage'], `node:${facts.nodeMajor.value}-bookworm-slim`, facts.nodeMajor.source);
  put(['app', 'healthCheck'], 'status', 'your app (no health endpoint is known: GET / must answer below 500)');
  put(['app', 'healthPath'], '/', 'your app (no health endpoint is known)');
  const compose = composeFiles[0];
  if (compose && !composeFiles.includes('docker-compose.yml')) put(['composeFile'], compose, `${compose} (it exists: a second file would be shadowed)`);
  return { source: 'detected', values, flagOf };
}

/** `note` hears every path the detection looks at (the fixed names read here are the stamp's own list). */
export function readInputs(dir: string, options: Record<string, unknown>, note?: NoteAccess): Inputs {
  const problems: InputError[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof InputError) problems.push(error);
      else throw error;
      return undefined;
    }
  };
  // A destination that is not a directory has no .yo-rc.json to read (reading one
  // inside a regular file fails with ENOTDIR): report the destination instead.
  const usable = attempt(() => {
    checkDestination(dir);
    return true;
  });
  const yoRc = (usable && attempt(() => parseYoRc(readRegularFile(join(dir, YO_RC), YO_RC, YO_RC_MAX_BYTES)))) || { document: {}, state: undefined };
  const layers: Layer[] = [];
  if (yoRc.state) layers.push({ source: YO_RC, values: yoRc.state.answers });
  const answersPath = options['answers'];
  if (answersPath !== undefined) {
    if (typeof answersPath !== 'string' || answersPath === '') {
      problems.push(new InputError([{ field: '--answers', value: answersPath, rule: 'needs the path of a JSON or YAML file' }]));
    } else {
      const layer = attempt(() => readAnswersFile(resolve(answersPath)));
      if (layer) layers.push(layer);
    }
  }
  layers.push(flagsLayer(options));
  if (problems.length) throw new InputError(problems.flatMap((p) => p.problems));
  const sampleApp = yoRc.state?.sampleApp ?? !existsSync(join(dir, 'package.json'));
  // The user's own app: what it is and how it starts, read before anything is asked. The
  // findings are the lowest layer: .yo-rc.json, an answers file, flags and answers win.
  // The app folder an answer gives (the workspace package to read), once it is a valid one.
  const givenDir = layers.map((l) => (isPlainObject(l.values['app']) ? l.values['app']['dir'] : undefined)).findLast((d) => d !== undefined);
  const appDir = givenDir === undefined ? undefined : AppSpec.shape.dir.safeParse(givenDir).data;
  const facts = sampleApp ? undefined : detectApp(projectReader(dir, note), { dir: appDir });
  if (facts) layers.unshift(detectedLayer(facts, existingComposeFiles(dir)));
  else {
    const compose = existingComposeFiles(dir);
    if (compose.length && !compose.includes('docker-compose.yml')) layers.unshift({ source: 'detected', values: { composeFile: compose[0] }, flagOf: new Map([['composeFile', `detected (${compose[0]} exists)`]]) });
  }
  const contradictions = flagContradictions(options);
  return {
    dir,
    yoRc,
    layers,
    context: { dirName: basename(resolve(dir)), detectedPackageManager: facts?.packageManager?.value },
    sampleApp,
    ...(facts ? { facts } : {}),
    buildConfigFiles: Object.keys(BUILD_CONFIG_FILES).filter((file) => isRegularFile(join(dir, file))),
    ...(contradictions.length ? { contradictions } : {}),
  };
}

export interface Prepared {
  spec: StackSpec;
  model: StackModel;
  plan: Plan;
  version: string;
  /**
   * What this run generated, every file's merge base (core/plan.ts Plan.bases), kept apart
   * from the plan: a sub-command narrows the plan, and the bases recorded follow the hashes.
   */
  bases: Readonly<Record<string, string>>;
}

/** Spec -> model -> files -> plan against what is on disk. */
/** What the model is derived from besides the spec: the inputs' part of it. */
export function modelContext(inputs: Inputs): Parameters<typeof deriveModel>[1] {
  return {
    sampleApp: inputs.sampleApp,
    buildConfigFiles: inputs.buildConfigFiles,
    packageManagerPin: inputs.facts?.packageManagerPin?.value,
    workspaceManifests: inputs.facts?.workspaceManifests ?? [],
    yarnDirs: inputs.facts?.yarn?.dirs ?? [],
  };
}

export function preparePlan(inputs: Inputs, spec: StackSpec): Prepared {
  const model = deriveModel(spec, modelContext(inputs));
  const files = renderAppFiles(model);
  // Nothing is read or written through a symbolic link, nor over a folder: every path
  // this run could touch (files, secrets, and files generated before) is looked at first.
  const recordedPaths = Object.keys(inputs.yoRc.state?.generated?.files ?? {});
  const obstacles = [...new Set([...files.map((f) => f.path), ...model.secrets.map((x) => x.file), ...recordedPaths])]
    .sort()
    .map((path) => obstacleAt(inputs.dir, path))
    .filter((p): p is Problem => p !== undefined);
  if (obstacles.length) throw new InputError(obstacles);
  const read = (path: string) => readText(join(inputs.dir, path));
  // A secrets/ the project brought along: someone else's, or weak passwords, stop the run.
  const trust = inspectSecrets(inputs.dir, model.secrets, process.getuid?.(), read);
  if (trust.problems.length) throw new InputError(trust.problems);
  const secrets = planSecrets(model.secrets, read);
  const generated = inputs.yoRc.state?.generated;
  const recordedBase = generated?.base ?? {};
  const plan = buildPlan(files, secrets, generated?.files ?? {}, read, generated?.pending ?? {}, (path) => {
    const lines = recordedBase[path];
    return lines === undefined ? undefined : baseText(lines);
  });
  if (trust.fixes.length) plan.modeFixes = trust.fixes;
  // Compose reads only the first of its file names that exists: another one left here would
  // shadow the stack, or be shadowed by it, without a word.
  const removed = new Set(plan.entries.filter((e) => e.action === 'remove').map((e) => e.path));
  const others = existingComposeFiles(inputs.dir).filter((name) => name !== model.composeFile && !removed.has(name));
  if (others.length) throw new ComposeShadowError(model.composeFile, others);
  return { spec, model, plan, version: packageVersion(), bases: plan.bases ?? {} };
}

/** Another Compose file next to the one the stack is written to: exit 3, nothing written. */
export class ComposeShadowError extends Error {
  constructor(file: string, others: readonly string[]) {
    const all = [...COMPOSE_FILES].filter((name) => name === file || others.includes(name));
    super(
      `${others.map((o) => printable(o)).join(', ')} ${others.length > 1 ? 'are' : 'is'} here as well as ${file}, which this run writes: ` +
        `docker compose reads only ${all[0]} and silently ignores the other${all.length > 2 ? 's' : ''}.\n` +
        `Nothing was written. Either write the stack into your file with --compose-file ${others[0]} ` +
        `(it is only replaced with your consent: interactively, or with --force), or move ${others.length > 1 ? 'them' : 'it'} aside first.`,
    );
    this.name = 'ConflictError';
  }
}


/**
 * When the app's start command could not be derived and no answer gives one: what was
 * found, and what to do (never a silent fallback to `node server.js`).
 */
function missingCommand(inputs: Inputs, extra: readonly Layer[]): Problem[] {
  const problem = inputs.facts?.commandProblem;
  if (!problem) return [];
  const given = [...inputs.layers, ...extra].some((l) => l.source !== 'detected' && isPlainObject(l.values['app']) && (l.values['app'] as Raw)['command'] !== undefined);
  if (given) return [];
  return [
    {
      field: 'app.command',
      source: problem.source,
      rule: `the start command could not be derived from your app: ${problem.problem}. Give the process the container runs, as a JSON array or words, such as --command "node dist/index.js"`,
    },
  ];
}

export function resolveInputs(inputs: Inputs, extra: Layer[] = [], note?: NoteAccess): StackSpec {
  const contradictions = [...(inputs.contradictions ?? []), ...missingCommand(inputs, extra)];
  let spec: StackSpec;
  try {
    spec = resolveSpec([...inputs.layers, ...extra], inputs.context);
  } catch (error) {
    if (!(error instanceof InputError) || contradictions.length === 0) throw error;
    // "none,ecr": the contradiction says it better than "none is not a target".
    const said = new Set(contradictions.map((p) => p.field));
    const rest = error.problems.filter((p) => ![...said].some((field) => p.field.startsWith(`${field}.`) && p.value === 'none'));
    throw new InputError([...contradictions, ...rest]);
  }
  if (contradictions.length) throw new InputError(contradictions);
  // Valid answers the project cannot build or run with (core/detect/checks.ts).
  const layers = [...inputs.layers, ...extra];
  // The layer that set the field itself (not a sibling: --command does not set app.packageManager).
  const setBy = (path: readonly string[]): string | undefined => (layers.some((l) => getPath(l.values, path) !== undefined) ? sourceOf(layers, path) : undefined);
  const problems = projectProblems({ spec, facts: inputs.facts, reader: projectReader(inputs.dir, note), sourceOf: setBy });
  const node = baseImageVerdict(spec.app.baseImage);
  if (node.provides === 'no') {
    const source = setBy(['app', 'baseImage']);
    problems.push({ field: 'app.baseImage', ...(source ? { source } : {}), value: spec.app.baseImage, rule: withoutNodeRule(node) });
  }
  if (problems.length) throw new InputError(problems);
  return spec;
}

/**
 * The base of every recorded file: this run's content where the recorded hash is this
 * run's, else the base recorded before where it still matches (a file a sub-command left
 * out of its scope, core/plan.ts scopePlan). A base that matches no recorded hash is dropped.
 */
function basesToRecord(inputs: Inputs, prepared: Prepared): Record<string, string> {
  const before = inputs.yoRc.state?.generated?.base ?? {};
  const out: Record<string, string> = {};
  for (const [path, hash] of Object.entries(prepared.plan.recorded)) {
    const mine = prepared.bases[path];
    if (mine !== undefined && sha256(mine) === hash) out[path] = mine;
    else if (before[path] !== undefined) {
      const text = baseText(before[path]!);
      if (sha256(text) === hash) out[path] = text;
    }
  }
  return out;
}

const asLines = (bases: Readonly<Record<string, string>>): Record<string, string[]> => Object.fromEntries(Object.entries(bases).map(([path, text]) => [path, baseLines(text)]));

/** The .yo-rc.json text after this run, and whether it differs from the file on disk. */
export function nextYoRc(inputs: Inputs, prepared: Prepared): { content: string; changed: boolean } {
  const content = renderYoRc(inputs.yoRc.document, {
    answers: prepared.spec as unknown as Record<string, unknown>,
    sampleApp: inputs.sampleApp,
    generated: { version: prepared.version, files: prepared.plan.recorded, base: asLines(basesToRecord(inputs, prepared)) },
  });
  return { content, changed: content !== readText(join(inputs.dir, YO_RC)) };
}

/**
 * The .yo-rc.json written before a run's first file (core/state.ts `pending`): the new
 * answers, the hashes recorded so far (and those an earlier interrupted run was about to
 * write), and the hashes this run is about to write. A run killed between two files then
 * leaves a project whose next run knows every file it wrote, and that the sample app is
 * its own, so running the same command again finishes the job.
 */
export function journalYoRc(inputs: Inputs, prepared: Prepared): string {
  const before = inputs.yoRc.state?.generated;
  return renderYoRc(inputs.yoRc.document, {
    answers: prepared.spec as unknown as Record<string, unknown>,
    sampleApp: inputs.sampleApp,
    generated: { version: before?.version ?? prepared.version, files: { ...before?.pending, ...before?.files }, pending: prepared.plan.recorded, base: before?.base ?? {} },
  });
}

/** A validated run, ready to carry out: what it read, and what it will write. */
export interface Planned {
  inputs: Inputs;
  prepared: Prepared;
}

export interface Carried extends Planned {
  yoRc: { content: string; changed: boolean };
  /** Temporary files of an interrupted run, removed. */
  cleaned: string[];
}

/** Whether a secret this plan would create has appeared since it was planned (another run made it). */
function secretsAppeared(dir: string, plan: Plan): boolean {
  return plan.entries.some((e) => e.kind === 'secret' && e.action === 'create' && existsSync(join(dir, e.path)));
}

/**
 * Carries a plan out under the project's lock (core/lock.ts). When another run held the
 * lock, or made a secret this plan would make, the plan is made again from the disk as it
 * is now (`plan()`), so no run ever replaces another's password; `settle` decides the
 * edited files of each plan (throws a ConflictError, or turns them into writes or keeps).
 * Writes the journal, then the files, then .yo-rc.json.
 */
export function carryOut(dir: string, first: Planned, plan: () => Planned, settle: (planned: Planned) => void): Carried {
  prepareDestination(dir, first.prepared.plan);
  const lock = acquireLock(dir);
  try {
    // What this run read may be another run's work in progress (its .yo-rc.json read
    // before, its files after they were written): then plan again, now that nobody writes.
    const stale = lock.contended || secretsAppeared(dir, first.prepared.plan) || readText(join(dir, YO_RC)) !== first.inputs.yoRc.text;
    const current = stale ? plan() : first;
    settle(current);
    const yoRc = nextYoRc(current.inputs, current.prepared);
    const journal = current.prepared.plan.entries.some((e) => writes(e) || e.action === 'remove') ? journalYoRc(current.inputs, current.prepared) : undefined;
    const { cleaned } = applyPlan(dir, current.prepared.plan, yoRc, journal);
    return { ...current, yoRc, cleaned };
  } finally {
    lock.release();
  }
}
