// Reads what a run starts from (the destination, .yo-rc.json, an answers file, flags)
// and turns a valid spec into a plan. Shared by the bin and the Yeoman generator.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { StackSpec } from '../schema/stack.ts';
import { readAnswersFile } from './answers-file.ts';
import { InputError } from './errors.ts';
import { deriveModel, type StackModel } from './model.ts';
import { buildPlan, type Plan } from './plan.ts';
import { renderAppFiles } from './render/files.ts';
import { planSecrets } from './secrets.ts';
import { flagsLayer, resolveSpec, type Layer, type SpecContext } from './spec.ts';
import { parseYoRc, renderYoRc, YO_RC, type YoRc } from './state.ts';
import { packageVersion } from './templates.ts';

const LOCKFILES: ReadonlyArray<[string, string]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
];

export interface Inputs {
  dir: string;
  yoRc: YoRc;
  layers: Layer[];
  context: SpecContext;
  /** Whether the sample app is (or was first) scaffolded here. */
  sampleApp: boolean;
}

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Refuses destinations that cannot hold a project. */
export function checkDestination(dir: string): void {
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
}

export function readInputs(dir: string, options: Record<string, unknown>): Inputs {
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
  attempt(() => checkDestination(dir));
  const yoRc = attempt(() => parseYoRc(readText(join(dir, YO_RC)))) ?? { document: {}, state: undefined };
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
  const detected = LOCKFILES.find(([file]) => existsSync(join(dir, file)))?.[1];
  const sampleApp = yoRc.state?.sampleApp ?? !existsSync(join(dir, 'package.json'));
  return { dir, yoRc, layers, context: { dirName: basename(resolve(dir)), detectedPackageManager: sampleApp ? undefined : detected }, sampleApp };
}

export interface Prepared {
  spec: StackSpec;
  model: StackModel;
  plan: Plan;
  version: string;
}

/** Spec -> model -> files -> plan against what is on disk. */
export function preparePlan(inputs: Inputs, spec: StackSpec): Prepared {
  const model = deriveModel(spec, { sampleApp: inputs.sampleApp });
  const files = renderAppFiles(model);
  const read = (path: string) => readText(join(inputs.dir, path));
  const secrets = planSecrets(model.secrets, read);
  const plan = buildPlan(files, secrets, inputs.yoRc.state?.generated?.files ?? {}, read);
  return { spec, model, plan, version: packageVersion() };
}

export function resolveInputs(inputs: Inputs, extra: Layer[] = []): StackSpec {
  return resolveSpec([...inputs.layers, ...extra], inputs.context);
}

/** The .yo-rc.json text after this run, and whether it differs from the file on disk. */
export function nextYoRc(inputs: Inputs, prepared: Prepared): { content: string; changed: boolean } {
  const content = renderYoRc(inputs.yoRc.document, {
    answers: prepared.spec as unknown as Record<string, unknown>,
    sampleApp: inputs.sampleApp,
    generated: { version: prepared.version, files: prepared.plan.recorded },
  });
  return { content, changed: content !== readText(join(inputs.dir, YO_RC)) };
}
