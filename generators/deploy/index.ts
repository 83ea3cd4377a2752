// yo wpsn-docker:deploy: adds, removes or regenerates the deploy targets of a generated
// project. Reads .yo-rc.json, takes --deploy LIST and --kubernetes-flavour (or asks with a
// multi-select, then for the flavour when Kubernetes is chosen), and carries out the same
// core plan as `wpsn-docker deploy`: only the deploy files, README.Docker.md and
// .yo-rc.json are touched.
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { ConflictError, InputError, type Problem } from '../../core/errors.ts';
import { conflictsOf, type PlanEntry } from '../../core/plan.ts';
import { nextYoRc, preparePlan, readInputs, resolveInputs, type Inputs, type Prepared } from '../../core/project.ts';
import { deployOptions, pickDeployFlags, requireDeployProject, scopeToDeploy } from '../../core/render/deploy/command.ts';
import { setPath, type Layer, type Raw } from '../../core/spec.ts';
import { YO_RC } from '../../core/state.ts';
import { DEPLOY_LABELS, DEPLOY_TARGETS, FLAVOUR_LABELS, KUBERNETES_FLAVOURS } from '../../schema/deploy.ts';
import type { StackSpec } from '../../schema/stack.ts';

/** `yo` exits with an error's `code`: 2 invalid input, 3 edited files in the way. */
function withExitCode<E>(error: E): E {
  if (error instanceof InputError) Object.assign(error, { code: 2 });
  else if (error instanceof ConflictError) Object.assign(error, { code: 3 });
  return error;
}

export type DeployGeneratorOptions = BaseOptions & Record<string, unknown>;

interface ConflicterFile {
  conflicter?: string;
}

export default class WpsnDockerDeployGenerator extends Generator<Record<string, unknown>, DeployGeneratorOptions> {
  #inputs!: Inputs;
  #current!: StackSpec;
  #prepared!: Prepared;
  #promptLayer: Layer | undefined;
  #usage: Problem[] = [];
  #yoRcChanged = false;

  constructor(args: string[], options: DeployGeneratorOptions) {
    super(args, options, { customInstallTask: true, disableLodashProperty: true });
    this.argument('directory', { type: String, required: false, description: 'the generated project (default: the current directory)' });
    for (const o of deployOptions()) {
      this.option(o.flag, { type: String, description: o.choices ? `${o.description} [${o.choices.join('|')}]` : o.description });
    }
    this.option('yes', { type: Boolean, alias: 'y', description: 'never prompt: keep the targets unless --deploy is given' });
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
      this.#inputs = readInputs(this.destinationRoot(), pickDeployFlags(this.options));
      requireDeployProject(this.#inputs, this.destinationRoot());
      this.#current = resolveInputs(this.#inputs);
    } catch (error) {
      throw withExitCode(error);
    }
  }

  async prompting(): Promise<void> {
    if (this.#nonInteractive || this.options['deploy'] !== undefined) return;
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
      // Secrets are never rewritten here: the app generator made them.
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
    const spec = this.#prepared.spec.deploy;
    const targets = spec.targets.map((t) => (t === 'kubernetes' ? `kubernetes (${spec.kubernetes.flavour})` : t));
    this.log.writeln(`deploy targets: ${targets.length ? targets.join(', ') : 'none'}`);
  }
}
