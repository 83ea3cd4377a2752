// yo wpsn-docker:deploy: adds, removes or regenerates the deploy targets of a generated
// project. Reads .yo-rc.json, takes --deploy LIST and --kubernetes-flavour (or asks with a
// multi-select, then for the flavour when Kubernetes is chosen), and carries out the same
// core plan as `wpsn-docker deploy`: only the deploy files, README.Docker.md and
// .yo-rc.json are touched.
import Generator from 'yeoman-generator';
import { InputError, type Problem } from '../../core/errors.ts';
import { preparePlan, readInputs, resolveInputs, type Inputs, type Planned, type Prepared } from '../../core/project.ts';
import { deployOptions, pickDeployFlags, requireDeployProject, scopeToDeploy } from '../../targets/deploy/command.ts';
import { setPath, type Layer, type Raw } from '../../core/spec.ts';
import { DEPLOY_LABELS, DEPLOY_TARGETS, FLAVOUR_LABELS, KUBERNETES_FLAVOURS } from '../../schema/deploy.ts';
import type { StackSpec } from '../../schema/stack.ts';
import { declareSubcommand, isNonInteractive, withExitCode, writePlanned, type SubcommandOptions } from '../shared/subcommand.ts';
import { checkDestinationAccess, guardTasks } from '../shared/exit.ts';

export type DeployGeneratorOptions = SubcommandOptions;

export default class WpsnDockerDeployGenerator extends Generator<Record<string, unknown>, DeployGeneratorOptions> {
  #inputs!: Inputs;
  #current!: StackSpec;
  #prepared!: Prepared;
  #promptLayer: Layer | undefined;
  #usage: Problem[];

  constructor(args: string[], options: DeployGeneratorOptions) {
    checkDestinationAccess(args, options);
    super(args, options, { customInstallTask: true, disableLodashProperty: true });
    guardTasks(this);
    this.#usage = declareSubcommand(this, deployOptions(), 'never prompt: keep the targets unless --deploy is given');
  }

  initializing(): void {
    try {
      if (this.#usage.length) throw new InputError(this.#usage);
      this.#inputs = readInputs(this.destinationRoot(), pickDeployFlags(this.options));
      requireDeployProject(this.#inputs, this.destinationRoot());
      this.#current = resolveInputs(this.#inputs);
    } catch (error) {
      throw withExitCode(error);
    }
  }

  async prompting(): Promise<void> {
    if (isNonInteractive(this) || this.options['deploy'] !== undefined) return;
    const current = this.#current.deploy;
    const answers: Raw = {};
    const chosen = (await this.env.adapter.prompt([
      {
        type: 'checkbox',
        name: 'targets',
        message: 'Deploy targets',
        choices: DEPLOY_TARGETS.map((t) => ({ name: `${DEPLOY_LABELS[t]} (${t})`, value: t, checked: current.targets.includes(t) })),
      } as never,
    ])) as { targets?: string[] };
    const targets = chosen.targets ?? [];
    setPath(answers, ['deploy', 'targets'], targets);
    if (targets.includes('kubernetes') && this.options['kubernetes-flavour'] === undefined) {
      const flavour = (await this.env.adapter.prompt([
        {
          type: 'select',
          name: 'kubernetes-flavour',
          message: 'Kubernetes flavour',
          choices: KUBERNETES_FLAVOURS.map((f) => ({ name: `${FLAVOUR_LABELS[f]} (${f})`, value: f })),
          default: current.kubernetes.flavour,
        } as never,
      ])) as Record<string, unknown>;
      if (typeof flavour['kubernetes-flavour'] === 'string') setPath(answers, ['deploy', 'kubernetes', 'flavour'], flavour['kubernetes-flavour']);
    }
    this.#promptLayer = { source: 'prompt', values: answers };
  }

  configuring(): void {
    try {
      const spec = resolveInputs(this.#inputs, this.#promptLayer ? [this.#promptLayer] : []);
      this.#prepared = preparePlan(this.#inputs, spec);
      this.#prepared.plan = scopeToDeploy(this.#prepared.plan, this.#inputs.yoRc.state?.generated?.files ?? {});
    } catch (error) {
      throw withExitCode(error);
    }
  }

  async writing(): Promise<void> {
    const replan = (): Planned => {
      const inputs = readInputs(this.destinationRoot(), pickDeployFlags(this.options));
      const prepared = preparePlan(inputs, resolveInputs(inputs, this.#promptLayer ? [this.#promptLayer] : []));
      prepared.plan = scopeToDeploy(prepared.plan, inputs.yoRc.state?.generated?.files ?? {});
      return { inputs, prepared };
    };
    const done = await writePlanned(this, { inputs: this.#inputs, prepared: this.#prepared }, replan);
    this.#prepared = done.prepared;
  }

  end(): void {
    const spec = this.#prepared.spec.deploy;
    const targets = spec.targets.map((t) => (t === 'kubernetes' ? `kubernetes (${spec.kubernetes.flavour})` : t));
    this.log.writeln(`deploy targets: ${targets.length ? targets.join(', ') : 'none'}`);
  }
}
