// Reads an --answers file (JSON or YAML) into a raw layer, with limits against huge
// files and YAML alias bombs. Validation happens later, against the StackSpec.
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from './errors.ts';
import { structureProblems } from './safe-input.ts';
import { isPlainObject, type Layer } from './spec.ts';

export const ANSWERS_MAX_BYTES = 256 * 1024;

export function readAnswersFile(path: string): Layer {
  const source = `--answers ${basename(path)}`;
  const fail = (rule: string, value?: unknown): never => {
    const problem = { field: '(file)', source, rule, ...(value === undefined ? {} : { value }) };
    throw new InputError([problem]);
  };
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) fail('must be a regular file', path);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, path);
  }
  if (size > ANSWERS_MAX_BYTES) fail(`is ${size} bytes; answers files are limited to ${ANSWERS_MAX_BYTES} bytes`);
  const text = readFileSync(path, 'utf8');
  const ext = extname(path).toLowerCase();
  let values: unknown;
  if (ext === '.json') {
    try {
      values = JSON.parse(text);
    } catch (error) {
      fail(`is not valid JSON (${(error as Error).message})`);
    }
  } else {
    try {
      // YAML 1.2 core schema: "no" stays a string; aliases are capped against bombs.
      values = parseYaml(text, { schema: 'core', maxAliasCount: 50, prettyErrors: true, uniqueKeys: true });
    } catch (error) {
      fail(`is not valid ${ext === '.yaml' || ext === '.yml' ? 'YAML' : 'JSON or YAML'} (${(error as Error).message.split('\n')[0]})`);
    }
  }
  if (!isPlainObject(values)) fail('must hold an object of answers (a mapping of keys to values)', values);
  const problems = structureProblems(values, source);
  if (problems.length) throw new InputError(problems);
  return { source, values: values as Record<string, unknown> };
}
