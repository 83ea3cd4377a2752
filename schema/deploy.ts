// Deploy targets: which platforms get deploy configs and scripts (deploy/<target>/,
// scripts/deploy-<target>.sh), and the answers that become their defaults. Composed from
// the targets' spec parts (targets/deploy/specs.ts): each target's schema, label and
// constants live in its folder (targets/deploy/<id>/schema.ts).
//
// As in schema/registry.ts, every rule is a POSIX extended regular expression, so the very
// same text is checked by zod here and by the generated scripts' `check` at run time
// (targets/deploy/rules.ts).
import * as z from 'zod';
import type { DeployTarget } from '../targets/deploy/models.ts';
import { DEPLOY_SPECS } from '../targets/deploy/specs.ts';

export { DEPLOY_RULES, type DeployRuleName } from '../targets/deploy/rules.ts';
export { FLAVOUR_LABELS, KUBERNETES_FLAVOURS, type KubernetesFlavour } from '../targets/deploy/kubernetes/flavours.ts';
export { ECS_REDIS_MODES, FARGATE_SIZES } from '../targets/deploy/ecs/schema.ts';
export { ACA_CPUS, ACA_REDIS_STORAGE } from '../targets/deploy/aca/schema.ts';
export type { DeployTarget };

type Ids<T extends ReadonlyArray<{ id: string }>> = { readonly [I in keyof T]: T[I]['id'] };

export const DEPLOY_TARGETS = DEPLOY_SPECS.map((t) => t.id) as unknown as Ids<typeof DEPLOY_SPECS>;

export const DEPLOY_LABELS = Object.fromEntries(DEPLOY_SPECS.map((t) => [t.id, t.label])) as Readonly<Record<DeployTarget, string>>;

type Parts = { [T in (typeof DEPLOY_SPECS)[number] as T['id']]: T['schema'] };
/** Each target's part of the spec (deploy.<id>), in the list's order. */
const PARTS = Object.fromEntries(DEPLOY_SPECS.map((t) => [t.id, t.schema])) as unknown as Parts;

const TARGET_INPUTS = DEPLOY_TARGETS as unknown as [string, ...string[]];

/** Targets, each once, in the canonical order. */
export function normaliseDeployTargets(targets: readonly string[]): DeployTarget[] {
  const chosen = new Set(targets);
  return DEPLOY_TARGETS.filter((t) => chosen.has(t));
}

export const DeploySpec = z
  .strictObject({
    targets: z
      .array(z.enum(TARGET_INPUTS, { error: `each deploy target must be one of ${DEPLOY_TARGETS.join(', ')}` }), {
        error: 'the deploy targets must be a list, such as ["swarm", "kubernetes"]',
      })
      .transform(normaliseDeployTargets)
      .default([])
      .meta({ description: `platforms to write deploy configs and scripts for: ${DEPLOY_TARGETS.join(', ')}` }),
    ...PARTS,
  })
  .meta({
    description:
      'deploy targets (deploy/<target>/, scripts/deploy-<target>.sh) and the defaults baked into them; environment variables override the defaults at run time',
  });

export type DeploySpec = z.output<typeof DeploySpec>;

/** Splits `--deploy` lists: comma or space separated; "none" means no target. */
export function splitDeployTargets(raw: string): string[] {
  const items = raw
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length === 1 && items[0] === 'none' ? [] : items;
}
