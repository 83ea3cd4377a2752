// From layers of raw answers (stored, answers file, flags) to one validated StackSpec.
// Pure: no file system access; the callers read the files.
import type * as z from 'zod';
import { normaliseProjectName } from '../schema/names.ts';
import { StackSpec } from '../schema/stack.ts';
import { InputError, type Problem } from './errors.ts';
import { ANSWER_OPTIONS, coerceFlag } from './options.ts';
import { keysAt } from './spec-keys.ts';
import { closest } from './suggest.ts';

export type Raw = Record<string, unknown>;

/** One source of answers; later layers win. */
export interface Layer {
  /** How errors name this source: `--flags`, `answers.yaml`, `.yo-rc.json`. */
  source: string;
  values: Raw;
  /** For flags: which key path came from which flag. */
  flagOf?: Map<string, string>;
}

export interface SpecContext {
  /** Name of the destination directory, for the default project name. */
  dirName: string;
  /** Package manager found from a lockfile in the destination, if any. */
  detectedPackageManager?: string | undefined;
}

export function isPlainObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

export function getPath(obj: Raw, path: readonly (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isPlainObject(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export function setPath(obj: Raw, path: readonly string[], value: unknown): void {
  let cur = obj;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      cur[key] = value;
      return;
    }
    const next = cur[key];
    if (!isPlainObject(next)) cur[key] = {};
    cur = cur[key] as Raw;
  });
}

/** Builds the flags layer from parsed option values (kebab-case keys). */
export function flagsLayer(options: Record<string, unknown>): Layer {
  const values: Raw = {};
  const flagOf = new Map<string, string>();
  for (const option of ANSWER_OPTIONS) {
    const raw = options[option.flag];
    if (raw === undefined) continue;
    setPath(values, option.path, coerceFlag(option, raw));
    flagOf.set(option.path.join('.'), `--${option.flag}`);
  }
  return { source: 'command line', values, flagOf };
}

/**
 * Which layer last set a key path (or, failing that, its nearest parent), for error
 * messages. The longest path wins over the latest layer: a later layer that only set a
 * sibling (flags giving app.port) did not set app.hostPort, the earlier file did.
 */
export function sourceOf(layers: readonly Layer[], path: readonly (string | number)[]): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const prefix = path.slice(0, n);
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i]!;
      if (getPath(layer.values, prefix) === undefined) continue;
      // The flag that set this path or a parent of it (--command for app.command.1).
      for (let m = path.length; m > 0; m--) {
        const flag = layer.flagOf?.get(path.slice(0, m).join('.'));
        if (flag) return flag;
      }
      return layer.source;
    }
  }
  return undefined;
}

export function zodProblems(error: z.ZodError, layers: readonly Layer[], merged: Raw): Problem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    let field = path.length ? path.join('.') : '(root)';
    let rule = issue.message;
    let value: unknown = 'input' in issue ? issue.input : getPath(merged, path);
    // A list entry of an unknown kind (spec.services): the kind, not the whole entry.
    if (issue.code === 'invalid_union' && 'discriminator' in issue && isPlainObject(value)) value = value[String(issue.discriminator)];
    // Where the value came from: for unknown keys, the layer that set the (first) key,
    // so an unknown top-level key still names its file.
    let sourcePath: (string | number)[] = path;
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      if (keys.length > 0) sourcePath = [...path, keys[0]!];
      field = keys.map((k) => (path.length ? `${path.join('.')}.${k}` : k)).join(', ');
      rule = `unknown key${keys.length > 1 ? 's' : ''}: not part of the stack spec (see schema/stack.schema.json)`;
      // "did you mean database?" for each key close to one the spec allows there.
      const known = keysAt(StackSpec, path, merged).filter((k) => k !== '$schema');
      const guesses = keys.flatMap((k) => {
        const guess = closest(k, known);
        return guess === undefined ? [] : [keys.length > 1 ? `${k} -> ${guess}` : guess];
      });
      if (guesses.length) rule += `; did you mean ${guesses.join(', ')}?`;
      value = keys.length === 1 ? getPath(merged, [...path, keys[0]!]) : undefined;
    }
    // A given project name is taken as it is (Compose's rule), not normalised as the
    // directory name is: what it would normalise to is offered instead.
    if (field === 'projectName' && issue.code === 'invalid_format' && typeof value === 'string') {
      const normalised = normaliseProjectName(value);
      if (normalised !== undefined && normalised !== value) rule += `; did you mean ${normalised}?`;
    }
    const problem: Problem = { field, rule };
    const source = sourceOf(layers, sourcePath);
    if (source) problem.source = source;
    if (value !== undefined || issue.code === 'invalid_type') problem.value = value;
    return problem;
  });
}

/** Merges the layers, fills the defaults that depend on the destination, and validates. */
export function resolveSpec(layers: readonly Layer[], context: SpecContext): StackSpec {
  let merged: Raw = {};
  for (const layer of layers) {
    if (!isPlainObject(layer.values)) {
      throw new InputError([{ field: '(root)', source: layer.source, value: layer.values, rule: 'answers must be an object (a mapping of keys to values)' }]);
    }
    merged = deepMerge(merged, layer.values);
  }
  const problems: Problem[] = [];
  if (merged['projectName'] === undefined) {
    const name = normaliseProjectName(context.dirName);
    if (name === undefined) {
      problems.push({
        field: 'projectName',
        source: 'directory name',
        value: context.dirName,
        rule: 'no project name can be derived from this directory name (it needs at least one letter or digit a-z, 0-9): give one with --project-name',
      });
    } else {
      merged['projectName'] = name;
    }
  }
  if (context.detectedPackageManager && getPath(merged, ['app', 'packageManager']) === undefined) {
    merged = deepMerge(merged, { app: { packageManager: context.detectedPackageManager } });
  }
  // jitless: zod would otherwise compile a parser for each object schema (new Function) on
  // the first parse, which costs more than it saves when a process parses a spec once.
  const parsed = StackSpec.safeParse(merged, { reportInput: true, jitless: true });
  // A missing name is already reported above (naming the directory); zod's "must be a
  // string" about the same field would only repeat it less helpfully.
  const nameReported = problems.some((p) => p.field === 'projectName');
  if (!parsed.success) problems.push(...zodProblems(parsed.error, layers, merged).filter((p) => !(nameReported && p.field === 'projectName')));
  if (problems.length > 0 || !parsed.success) throw new InputError(problems);
  const { $schema: _ignored, ...spec } = parsed.data;
  return spec as StackSpec;
}
