// What a generated project remembers in .yo-rc.json: the answers, whether the sample
// app was scaffolded, a hash of every generated file (to tell untouched files from
// edited ones on the next run), and the content each was last generated with (the merge
// base of a file the user edits: core/merge.ts), as lines so that git shows its changes
// line by line.
import { InputError } from './errors.ts';
import { structureProblems } from './safe-input.ts';
import { isPlainObject, type Raw } from './spec.ts';

export const YO_RC = '.yo-rc.json';
export const GENERATOR_KEY = 'generator-wpsn-docker';
/** Larger than any .yo-rc.json the generator writes by far: a cloned 300 MB one is refused, not read. */
export const YO_RC_MAX_BYTES = 8 * 1024 * 1024;

export interface GeneratorState {
  answers: Raw;
  sampleApp?: boolean;
  /**
   * `pending`: the hashes a run was about to write, recorded before its first write and
   * dropped after its last (a journal): after a killed run, a file holding either its
   * recorded or its pending content is one the generator wrote, not the user.
   */
  generated?: { version: string; files: Record<string, string>; pending?: Record<string, string>; base?: Record<string, string[]> };
}

export interface YoRc {
  /** The whole file, other generators' keys included, to write back untouched. */
  document: Raw;
  state: GeneratorState | undefined;
  /** The file as read (undefined when there was none): another run may have changed it since. */
  text?: string | undefined;
}

/**
 * A path the generator may record and later update or delete: relative, "/"-separated,
 * every part a plain name (no "", ".", ".." or backslash, no NUL). A hand-edited or
 * planted .yo-rc.json cannot point a re-run at ../../somewhere or /etc/passwd.
 */
export function isProjectPath(path: string): boolean {
  if (path === '' || path.length > 1024 || path.startsWith('/') || /[\\\0]/.test(path)) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Parses .yo-rc.json text; a corrupted file is an input error naming it. */
export function parseYoRc(text: string | undefined): YoRc {
  if (text === undefined) return { document: {}, state: undefined, text };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError([{ field: '(file)', source: YO_RC, rule: `is not valid JSON (${(error as Error).message}); fix or delete it` }]);
  }
  if (!isPlainObject(document)) {
    throw new InputError([{ field: '(root)', source: YO_RC, value: document, rule: 'must be a JSON object' }]);
  }
  const structure = structureProblems(document, YO_RC);
  if (structure.length) throw new InputError(structure);
  const raw = document[GENERATOR_KEY];
  if (raw === undefined) return { document, state: undefined, text };
  const problems = [];
  if (!isPlainObject(raw)) {
    throw new InputError([{ field: GENERATOR_KEY, source: YO_RC, value: raw, rule: 'must be an object' }]);
  }
  const answers = raw['answers'] ?? {};
  if (!isPlainObject(answers)) problems.push({ field: `${GENERATOR_KEY}.answers`, source: YO_RC, value: answers, rule: 'must be an object of answers' });
  const sampleApp = raw['sampleApp'];
  if (sampleApp !== undefined && typeof sampleApp !== 'boolean') problems.push({ field: `${GENERATOR_KEY}.sampleApp`, source: YO_RC, value: sampleApp, rule: 'must be true or false' });
  const generated = raw['generated'];
  let files: Record<string, string> = {};
  let version = '0.0.0';
  let pending: Record<string, string> | undefined;
  const hashes = (record: Raw, key: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [path, hash] of Object.entries(record)) {
      if (!isProjectPath(path)) {
        problems.push({
          field: `${GENERATOR_KEY}.generated.${key}`,
          source: YO_RC,
          value: path,
          rule: 'each recorded file must be a relative path inside the project ("/"-separated, no "..", ".", empty or absolute parts): the generator never touches files outside it',
        });
      } else if (typeof hash !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(hash)) {
        problems.push({ field: `${GENERATOR_KEY}.generated.${key}.${path}`, source: YO_RC, value: hash, rule: 'must be a sha256:<64 hex digits> hash' });
      } else out[path] = hash;
    }
    return out;
  };
  let base: Record<string, string[]> | undefined;
  if (generated !== undefined) {
    if (!isPlainObject(generated) || !isPlainObject(generated['files']) || typeof generated['version'] !== 'string') {
      problems.push({ field: `${GENERATOR_KEY}.generated`, source: YO_RC, value: generated, rule: 'must be { version: string, files: { path: hash } }' });
    } else {
      version = generated['version'];
      files = hashes(generated['files'], 'files');
      const journal = generated['pending'];
      if (journal !== undefined) {
        if (isPlainObject(journal)) pending = hashes(journal, 'pending');
        else problems.push({ field: `${GENERATOR_KEY}.generated.pending`, source: YO_RC, value: journal, rule: 'must be { path: hash }' });
      }
      const bases = generated['base'];
      if (bases !== undefined) {
        if (!isPlainObject(bases)) {
          problems.push({ field: `${GENERATOR_KEY}.generated.base`, source: YO_RC, value: bases, rule: 'must be { path: [lines] }' });
        } else {
          base = {};
          for (const [path, lines] of Object.entries(bases)) {
            // A base is only used when its hash is the one recorded for the file (core/plan.ts):
            // anything else here is ignored, but a shape no run writes is reported.
            if (!isProjectPath(path)) {
              problems.push({ field: `${GENERATOR_KEY}.generated.base`, source: YO_RC, value: path, rule: 'each recorded file must be a relative path inside the project' });
            } else if (!Array.isArray(lines) || !lines.every((l) => typeof l === 'string')) {
              problems.push({ field: `${GENERATOR_KEY}.generated.base.${path}`, source: YO_RC, value: lines, rule: 'must be the file\'s lines, a list of strings' });
            } else base[path] = lines as string[];
          }
        }
      }
    }
  }
  if (problems.length) throw new InputError(problems);
  const state: GeneratorState = { answers: answers as Raw };
  if (typeof sampleApp === 'boolean') state.sampleApp = sampleApp;
  if (generated !== undefined) {
    state.generated = pending ? { version, files, pending } : { version, files };
    if (base) state.generated.base = base;
  }
  return { document, state, text };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The lines a base is recorded as (core/merge.ts linesOf), and back. */
export const baseLines = (content: string): string[] => content.split('\n');
export const baseText = (lines: readonly string[]): string => lines.join('\n');

/** Serialises the state back into the document, deterministically. */
export function renderYoRc(document: Raw, state: Required<GeneratorState>): string {
  const out: Raw = { ...document };
  const { version, files, pending, base } = state.generated;
  const generated: Raw = { version, files: sortKeys(files) };
  if (pending) generated['pending'] = sortKeys(pending);
  if (base && Object.keys(base).length) generated['base'] = sortKeys(base);
  out[GENERATOR_KEY] = { answers: state.answers, sampleApp: state.sampleApp, generated };
  return `${JSON.stringify(out, null, 2)}\n`;
}
