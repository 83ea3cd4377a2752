// The Yeoman adapter of the app generator: options and prompts come from the same table
// as the bin (core/options.ts), and the files from the same core (core/project.ts). What
// is Yeoman's own here: asking. Edited files are merged, or decided before the first write
// (generators/shared/subcommand.ts), and the plan is carried out by the core's writer, never
// through mem-fs and Yeoman's conflicter.
import { join, relative, resolve } from 'node:path';
import Generator, { Storage, type BaseOptions, type StorageOptions } from 'yeoman-generator';
import { InputError, type Problem } from '../../core/errors.ts';
import { ANSWER_OPTIONS, CONTROL_OPTIONS, coerceFlag, type AnswerOption } from '../../core/options.ts';
import { dryRunReport } from '../../core/diff.ts';
import { nextYoRc, preparePlan, readInputs, readText, resolveInputs, type Inputs, type Planned, type Prepared } from '../../core/project.ts';
import { registryNotices } from '../../schema/registry.ts';
import { appNotices } from '../../core/detect/notices.ts';
import { isPlainObject, resolveSpec, setPath, type Layer, type Raw } from '../../core/spec.ts';
import { YO_RC } from '../../core/state.ts';
import type { StackSpec } from '../../schema/stack.ts';
import { carryOutPlan, decideConflicts, EXIT_CODES, isNonInteractive, withExitCode } from '../shared/subcommand.ts';
import { checkDestinationAccess, guardTasks } from '../shared/exit.ts';
import { yoCommandTypo } from '../../bin/args.ts';
import { mistypedOptions } from '../shared/options.ts';

export { EXIT_CODES };

function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** The value a prompt answer stands for, as a flag's text would (numbers, lists). */
export function promptValue(option: AnswerOption, answer: unknown): unknown {
  return coerceFlag(option, typeof answer === 'string' ? answer.trim() : answer);
}

/**
 * Checks one prompt answer against the spec: the answers so far, this one, and every
 * other layer resolved together. Returns true, or the rule(s) broken by this field.
 */
export function validateAnswer(
  option: AnswerOption,
  answer: unknown,
  layers: readonly Layer[],
  context: Inputs['context'],
  answersSoFar: Raw = {},
): true | string {
  const values: Raw = structuredClone(answersSoFar);
  setPath(values, option.path, promptValue(option, answer));
  try {
    resolveSpec([...layers, { source: 'prompt', values }], context);
    return true;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const field = option.path.join('.');
    const mine = error.problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`));
    return mine.length === 0 ? true : mine.map((p) => p.rule).join('; ');
  }
}

/**
 * Questions for the options no flag, answers file or .yo-rc.json has answered, the app's
 * first (what was detected about it is a default, not an answer), infrastructure last.
 */
export function unansweredOptions(layers: readonly Layer[], sampleApp = false): AnswerOption[] {
  return ANSWER_OPTIONS.filter(
    (o) => o.prompt !== undefined && !(sampleApp && o.ownAppOnly) && !layers.some((l) => l.source !== 'detected' && getPath(l.values, o.path) !== undefined),
  ).sort((a, b) => Number(a.advanced ?? false) - Number(b.advanced ?? false));
}

/** Where a detected default came from, for the question: " (from package.json scripts.start)". */
function detectedSource(layers: readonly Layer[], path: readonly string[]): string {
  const detected = layers.find((l) => l.source === 'detected');
  const from = detected?.flagOf?.get(path.join('.'));
  return from ? ` (${from})` : '';
}

/** Yeoman's options plus the flags of core/options.ts (kebab-case) and the directory argument. */
export type AppOptions = BaseOptions & Record<string, unknown>;

/**
 * Yeoman's config storage, made lenient. This generator never stores through it (it
 * writes .yo-rc.json itself, as core/state.ts renders it, so that yo and the bin write the
 * same bytes), but Yeoman's constructor reads .yo-rc.json through it: a corrupted file
 * would throw there, before readInputs can report it as an input error naming the file.
 */
class LenientStorage<T extends Record<string, any>> extends Storage<T> {
  override readContent(): T {
    try {
      return super.readContent();
    } catch {
      return {} as T;
    }
  }
}

export default class WpsnDockerAppGenerator extends Generator<Record<string, unknown>, AppOptions> {
  #inputs!: Inputs;
  #toAsk: AnswerOption[] = [];
  #defaults: StackSpec | undefined;
  #promptLayer: Layer | undefined;
  #prepared!: Prepared;
  #usage: Problem[] = [];
  /** Fields whose question has no default (the project name of an unusable directory name). */
  #noDefault = new Set<string>();

  constructor(args: string[], options: AppOptions) {
    // Before Yeoman reads the folder: yo started as root runs this as another user (exit.ts).
    checkDestinationAccess(args, options);
    // Never run a package manager install: the sample app's package.json is written,
    // the image build installs from its lockfile (as the bin does).
    super(args, options, { customInstallTask: true, disableLodashProperty: true });
    guardTasks(this);
    this.argument('directory', {
      type: String,
      required: false,
      description: 'directory to scaffold into (default: the current one); created when missing',
    });
    for (const o of ANSWER_OPTIONS) {
      this.option(o.flag, {
        type: o.kind === 'boolean' ? Boolean : String,
        description: o.choices ? `${o.description} [${o.choices.join('|')}]` : o.description,
      });
    }
    for (const o of CONTROL_OPTIONS) {
      this.option(o.flag, {
        type: o.kind === 'boolean' ? Boolean : String,
        description: o.description,
        ...(o.alias ? { alias: o.alias } : {}),
      });
    }
    if (this.args.length > 1) {
      this.#usage.push({ field: 'directory', value: this.args, rule: 'one directory at most' });
    }
    this.#usage.push(...mistypedOptions(this));
    const dir = this.options['directory'];
    // `yo wpsn-docker registry` (or `verfiy`) is not a folder to scaffold into.
    const typo = typeof dir === 'string' ? yoCommandTypo(dir) : undefined;
    if (typo !== undefined) this.#usage.push({ field: 'directory', value: dir, rule: typo });
    if (typeof dir === 'string' && dir !== '') this.destinationRoot(resolve(this.env.cwd, dir));
  }

  override _getStorage<T extends Record<any, any> = Record<any, any>>(rootName?: string | StorageOptions, options: StorageOptions = {}): Storage<T> {
    const storageOptions = typeof rootName === 'object' ? rootName : options;
    const name = typeof rootName === 'string' ? rootName : this.rootGeneratorName();
    return new LenientStorage<T>(this.fs, this.destinationPath(YO_RC), { ...storageOptions, name });
  }

  /** No questions with --yes, or when nobody can answer them (standard input is not a terminal). */
  get #nonInteractive(): boolean {
    return isNonInteractive(this);
  }

  initializing(): void {
    try {
      if (this.#usage.length) throw new InputError(this.#usage);
      const inputs = readInputs(this.destinationRoot(), this.options);
      this.#inputs = inputs;
      for (const notice of registryNotices(inputs.layers)) this.log.info(notice);
      this.#toAsk = this.#nonInteractive ? [] : unansweredOptions(inputs.layers, inputs.sampleApp);
      // Invalid flags, answers files or .yo-rc.json fail now, before any question. What a
      // question will settle (a project name the directory name cannot give) waits for it.
      const asked = new Set(this.#toAsk.map((o) => o.path.join('.')));
      try {
        this.#defaults = resolveInputs(inputs);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const rest = error.problems.filter((p) => !asked.has(p.field));
        if (rest.length) throw new InputError(rest);
        const placeholders: Raw = {};
        for (const p of error.problems) {
          const option = this.#toAsk.find((o) => o.path.join('.') === p.field);
          if (option?.flag === 'project-name') setPath(placeholders, option.path, 'app');
        }
        try {
          this.#defaults = resolveInputs(inputs, [{ source: 'placeholder', values: placeholders }]);
        } catch {
          this.#defaults = undefined;
        }
        // The placeholder is no default: the question has none.
        this.#noDefault = new Set(error.problems.map((p) => p.field));
      }
    } catch (error) {
      throw withExitCode(error);
    }
  }

  async prompting(): Promise<void> {
    if (this.#toAsk.length === 0) return;
    const inputs = this.#inputs;
    const answers: Raw = {};
    let advanced: boolean | undefined;
    for (const option of this.#toAsk) {
      const key = option.path.join('.');
      if (option.advanced && advanced === undefined) {
        // Infrastructure (base image, Redis image, host port, ...) has derived defaults: kept unless asked for.
        const names = this.#toAsk.filter((o) => o.advanced).map((o) => o.prompt!.replace(/ \(.*$/, '').toLowerCase());
        const reply = (await this.env.adapter.prompt([{ type: 'confirm', name: 'advanced', message: `Change the infrastructure settings (${names.join(', ')})?`, default: false } as never])) as Record<string, unknown>;
        advanced = reply['advanced'] === true;
      }
      if (option.advanced && !advanced) continue;
      if (option.flag === 'health-path' && getPath(answers, ['app', 'healthCheck']) === 'tcp') continue;
      const fallback = this.#noDefault.has(key) ? undefined : getPath(this.#defaults, option.path);
      const question: Record<string, unknown> = {
        name: option.flag,
        message: `${option.prompt}${this.#noDefault.has(key) ? '' : detectedSource(inputs.layers, option.path)}`,
      };
      if (option.choices && option.kind === 'list') {
        // Several of the choices (registries): a checkbox, the defaults checked.
        const checked = Array.isArray(fallback) ? fallback : [];
        question['type'] = 'checkbox';
        question['choices'] = option.choices.map((c) => ({ name: c, value: c, checked: checked.includes(c) }));
      } else if (option.choices) {
        question['type'] = 'select';
        question['choices'] = option.choices.map((c) => ({ name: c, value: c }));
        if (fallback !== undefined) question['default'] = fallback;
      } else if (option.kind === 'boolean') {
        question['type'] = 'confirm';
        if (fallback !== undefined) question['default'] = fallback;
      } else {
        question['type'] = 'input';
        if (fallback !== undefined) question['default'] = Array.isArray(fallback) ? fallback.join(' ') : option.flag === 'build-script' && fallback === '' ? 'none' : String(fallback);
        else if (option.flag === 'build-script') question['default'] = 'none';
        question['validate'] = (answer: unknown) => validateAnswer(option, answer, inputs.layers, inputs.context, answers);
      }
      const result = (await this.env.adapter.prompt([question as never])) as Record<string, unknown>;
      setPath(answers, option.path, promptValue(option, result[option.flag]));
    }
    this.#promptLayer = { source: 'prompt', values: answers };
  }

  configuring(): void {
    try {
      const spec = resolveInputs(this.#inputs, this.#promptLayer ? [this.#promptLayer] : []);
      this.#prepared = preparePlan(this.#inputs, spec);
      // After the questions: what was detected is said once (the answers showed it), warnings always.
      const firstRun = this.#inputs.yoRc.state?.generated === undefined && this.#toAsk.length === 0;
      for (const notice of appNotices(this.#inputs.facts, spec, firstRun)) this.log.info(notice);
    } catch (error) {
      throw withExitCode(error);
    }
  }

  /**
   * --dry-run: ours (core/options.ts), or Yeoman's own (`yo ... --dry-run` sets the
   * environment's conflicter to dry-run, which would only skip files): either way the
   * diff of every file the run would change is printed, as the bin prints it, and
   * nothing goes to mem-fs, so nothing is written.
   */
  get #dryRun(): boolean {
    const env = this.env as unknown as { options?: { dryRun?: unknown }; conflicterOptions?: { dryRun?: unknown } };
    return this.options['dry-run'] === true || this.options['dryRun'] === true || env.options?.dryRun === true || env.conflicterOptions?.dryRun === true;
  }

  async writing(): Promise<void> {
    const { plan } = this.#prepared;
    const force = this.options['force'] === true;
    if (this.#dryRun) {
      const yoRc = nextYoRc(this.#inputs, this.#prepared);
      const read = (path: string) => readText(join(this.destinationRoot(), path));
      this.log.write(dryRunReport(plan.entries, yoRc, read, { force, modeFixes: plan.modeFixes ?? [] }).text);
      return;
    }
    try {
      // Every edited file is decided before the first write: an abort leaves the project as it was.
      const decisions = await decideConflicts(this, this.#prepared, force);
      const replan = (): Planned => {
        const inputs = readInputs(this.destinationRoot(), this.options);
        return { inputs, prepared: preparePlan(inputs, resolveInputs(inputs, this.#promptLayer ? [this.#promptLayer] : [])) };
      };
      const done = carryOutPlan(this, { inputs: this.#inputs, prepared: this.#prepared }, replan, decisions, force);
      this.#inputs = done.inputs;
      this.#prepared = done.prepared;
    } catch (error) {
      throw withExitCode(error);
    }
  }

  end(): void {
    if (this.#dryRun) return;
    const entries = this.#prepared.plan.entries;
    if (entries.some((e) => e.action === 'create' && e.path === this.#prepared.model.composeFile)) {
      const rel = relative(this.env.cwd, this.destinationRoot());
      const cd = rel === '' ? '' : `cd ${rel} && `;
      this.log.writeln(`\nNext: ${cd}docker compose up -d --build --wait   (see README.Docker.md)`);
    }
  }
}

