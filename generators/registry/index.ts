// yo wpsn-docker:registry: adds, removes or regenerates the registry push targets of a
// generated project. Reads .yo-rc.json, takes --registry LIST (or asks with a multi-select),
// and carries out the same core plan as the app generator: only the files the targets
// change (scripts, workflows, README.Docker.md, .yo-rc.json) are touched.
import Generator from 'yeoman-generator';
import { InputError, type Problem } from '../../core/errors.ts';
import { preparePlan, readInputs, resolveInputs, type Inputs, type Planned, type Prepared } from '../../core/project.ts';
import { pickRegistryFlags, registryOptions, requireGeneratedProject, scopeToRegistry } from '../../targets/registry/command.ts';
import { resolveSpec, setPath, type Layer, type Raw } from '../../core/spec.ts';
import { REGISTRY_TARGETS, registryNotices, TARGET_LABELS } from '../../schema/registry.ts';
import type { StackSpec } from '../../schema/stack.ts';
import { declareSubcommand, isNonInteractive, withExitCode, writePlanned, type SubcommandOptions } from '../shared/subcommand.ts';
import { checkDestinationAccess, guardTasks } from '../shared/exit.ts';

export type RegistryGeneratorOptions = SubcommandOptions;

export default class WpsnDockerRegistryGenerator extends Generator<Record<string, unknown>, RegistryGeneratorOptions> {
  #inputs!: Inputs;
  #current!: StackSpec;
  #prepared!: Prepared;
  #promptLayer: Layer | undefined;
  #usage: Problem[];

  constructor(args: string[], options: RegistryGeneratorOptions) {
    checkDestinationAccess(args, options);
    super(args, options, { customInstallTask: true, disableLodashProperty: true });
    guardTasks(this);
    this.#usage = declareSubcommand(this, registryOptions(), 'never prompt: keep the targets unless --registry is given');
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
    if (isNonInteractive(this) || this.options['registry'] !== undefined) return;
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
      this.#prepared.plan = scopeToRegistry(this.#prepared.plan, this.#inputs.yoRc.state?.generated?.files ?? {});
    } catch (error) {
      throw withExitCode(error);
    }
  }

  async writing(): Promise<void> {
    const replan = (): Planned => {
      const inputs = readInputs(this.destinationRoot(), pickRegistryFlags(this.options));
      const prepared = preparePlan(inputs, resolveInputs(inputs, this.#promptLayer ? [this.#promptLayer] : []));
      prepared.plan = scopeToRegistry(prepared.plan, inputs.yoRc.state?.generated?.files ?? {});
      return { inputs, prepared };
    };
    const done = await writePlanned(this, { inputs: this.#inputs, prepared: this.#prepared }, replan);
    this.#prepared = done.prepared;
  }

  end(): void {
    const targets = this.#prepared.spec.registries.targets;
    this.log.writeln(`registries: ${targets.length ? targets.join(', ') : 'none'}`);
  }
}
