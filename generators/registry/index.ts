// yo wpsn-docker:registry: adds, removes or regenerates the registry push targets of a
// generated project. Reads .yo-rc.json, takes --registry LIST (or asks with a multi-select),
// and carries out the same core plan as the app generator: only the files the targets
// change (scripts, workflows, README.Docker.md, .yo-rc.json) are touched.
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { ConflictError, InputError, type Problem } from '../../core/errors.ts';
import { conflictsOf, type PlanEntry } from '../../core/plan.ts';
import { nextYoRc, preparePlan, readInputs, resolveInputs, type Inputs, type Prepared } from '../../core/project.ts';
import { pickRegistryFlags, registryOptions, requireGeneratedProject } from '../../core/render/registry.ts';
import { resolveSpec, setPath, type Layer, type Raw } from '../../core/spec.ts';
import { YO_RC } from '../../core/state.ts';
import { REGISTRY_TARGETS, registryNotices, TARGET_LABELS } from '../../schema/registry.ts';
import type { StackSpec } from '../../schema/stack.ts';

/** `yo` exits with an error's `code`: 2 invalid input, 3 edited files in the way. */
function withExitCode<E>(error: E): E {
  if (error instanceof InputError) Object.assign(error, { code: 2 });
  else if (error instanceof ConflictError) Object.assign(error, { code: 3 });
  return error;
}

export type RegistryGeneratorOptions = BaseOptions & Record<string, unknown>;

interface ConflicterFile {
  conflicter?: string;
}

export default class WpsnDockerRegistryGenerator extends Generator<Record<string, unknown>, RegistryGeneratorOptions> {
  #inputs!: Inputs;
  #current!: StackSpec;
  #prepared!: Prepared;
  #promptLayer: Layer | undefined;
  #usage: Problem[] = [];
  #yoRcChanged = false;

  constructor(args: string[], options: RegistryGeneratorOptions) {
    super(args, options, { customInstallTask: true, disableLodashProperty: true });
    this.argument('directory', { type: String, required: false, description: 'the generated project (default: the current directory)' });
    for (const o of registryOptions()) {
      this.option(o.flag, { type: String, description: o.choices ? `${o.description} [${o.choices.join('|')}]` : o.description });
    }
    this.option('yes', { type: Boolean, alias: 'y', description: 'never prompt: keep the targets unless --registry is given' });
    this.option('force', { type: Boolean, description: 'overwrite generated files you edited' });
    if (this.args.length > 1) this.#usage.push({ field: 'directory', value: this.args, rule: 'one directory at most' });
    const dir = this.options['directory'];
    if (typeof dir === 'string' && dir !== '') this.destinationRoot(resolve(this.env.cwd, dir));
  }

  get #nonInteractive(): boolean {
    if (this.options['yes'] === true) return true;
    const adapter = this.env.adapter as unknown as { actualAdapter?: { stdin?: { isTTY?: boolean } }; stdin?: { isTTY?: boolean } };
    const stdin = adapter.actualAdapter?.stdin ?? adapter.stdin;
    return stdin !== undefined && stdin.isTTY !== true;
  }

  initializing(): void {
    try {
      if (this.#usage.length) throw new InputError(this.#usage);
      this.#inputs = readInputs(this.destinationRoot(), pickRegistryFlags(this.options));
      requireGeneratedProject(this.#inputs, this.destinationRoot());
      for (const notice of registryNotices(this.#inputs.layers)) this.log.info(notice);
      this.#current = resolveInputs(this.#inputs);
    } catch (error) {
      throw withExitCode(error);
    }
  }

  async prompting(): Promise<void> {
    if (this.#nonInteractive || this.options['registry'] !== undefined) return;
    const current = this.#current.registries;
    const answers: Raw = {};
    const chosen = (await this.env.adapter.prompt([
      {
        type: 'checkbox',
        name: 'targets',
        message: 'Registries to push the app image to',
        choices: REGISTRY_TARGETS.map((t) => ({ name: `${TARGET_LABELS[t]} (${t})`, value: t, checked: current.targets.includes(t) })),
      } as never,
    ])) as { targets?: string[] };
    const targets = chosen.targets ?? [];
    setPath(answers, ['registries', 'targets'], targets);
    // The defaults baked into the chosen targets' scripts (empty keeps the current one).
    for (const option of registryOptions()) {
      const target = option.path[1];
      if (option.path.length !== 3 || target === undefined || !targets.includes(target)) continue;
      const existing = option.path.reduce<unknown>((obj, key) => (obj as Raw | undefined)?.[key], this.#current as unknown as Raw);
      const question: Record<string, unknown> = {
        type: 'input',
        name: option.flag,
        message: `${option.description} (empty: none)`,
        validate: (answer: unknown) => this.#validate(option.path, answer, answers),
      };
      if (typeof existing === 'string') question['default'] = existing;
      const result = (await this.env.adapter.prompt([question as never])) as Record<string, unknown>;
      const value = typeof result[option.flag] === 'string' ? (result[option.flag] as string).trim() : '';
      if (value !== '') setPath(answers, option.path, value);
    }
    this.#promptLayer = { source: 'prompt', values: answers };
  }

  #validate(path: readonly string[], answer: unknown, soFar: Raw): true | string {
    const text = typeof answer === 'string' ? answer.trim() : '';
    if (text === '') return true;
    const values = structuredClone(soFar);
    setPath(values, path, text);
    try {
      resolveSpec([...this.#inputs.layers, { source: 'prompt', values }], this.#inputs.context);
      return true;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const field = path.join('.');
      const mine = error.problems.filter((p) => p.field === field);
      return mine.length === 0 ? true : mine.map((p) => p.rule).join('; ');
    }
  }

  configuring(): void {
    try {
      const spec = resolveInputs(this.#inputs, this.#promptLayer ? [this.#promptLayer] : []);
      this.#prepared = preparePlan(this.#inputs, spec);
    } catch (error) {
      throw withExitCode(error);
    }
  }

  #preset(path: string, status: 'create' | 'force'): void {
    const file = this.env.sharedFs.get(path) as unknown as ConflicterFile;
    file.conflicter = status;
  }

  writing(): void {
    const { plan } = this.#prepared;
    const force = this.options['force'] === true;
    const conflicts = conflictsOf(plan);
    if (conflicts.length && !force && this.#nonInteractive) throw withExitCode(new ConflictError(conflicts));
    for (const entry of plan.entries) {
      // Secrets are never rewritten here: the app generator made them, and the plan only
      // creates missing ones (which a registry run never needs).
      if (entry.kind === 'secret') continue;
      const target = this.destinationPath(entry.path);
      if (entry.action === 'create' || entry.action === 'update' || entry.action === 'conflict') {
        this.fs.write(target, entry.content ?? '', entry.mode === undefined ? undefined : { stat: { mode: entry.mode } as Stats });
        if (entry.action === 'create') this.#preset(target, 'create');
        else if (entry.action === 'update' || force) this.#preset(target, 'force');
      } else if (entry.action === 'remove') {
        this.fs.delete(target);
        this.#preset(target, 'force');
      }
    }
    const yoRc = nextYoRc(this.#inputs, this.#prepared);
    this.#yoRcChanged = yoRc.changed;
    if (yoRc.changed) {
      const target = this.destinationPath(YO_RC);
      this.fs.write(target, yoRc.content);
      this.#preset(target, 'force');
    }
  }

  end(): void {
    const entries = this.#prepared.plan.entries;
    for (const e of entries) {
      if (e.action === 'keep-removed') this.log.info(`kept ${e.path} (no longer generated, but edited by you)`);
    }
    const changed = entries.some((e: PlanEntry) => ['create', 'update', 'conflict', 'remove'].includes(e.action) && e.kind !== 'secret');
    if (!changed && !this.#yoRcChanged) this.log.writeln('up to date: nothing changed');
    const targets = this.#prepared.spec.registries.targets;
    this.log.writeln(`registries: ${targets.length ? targets.join(', ') : 'none'}`);
  }
}
