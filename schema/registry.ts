// Registry push targets: which registries the generated scripts and workflows push to,
// the answers that become the scripts' defaults, and the naming rules both sides enforce.
// Composed from the list of target modules (targets/registry/index.ts): each target's
// schema part, label, flags, alias and naming rules live in its folder.
//
// Every rule is a POSIX extended regular expression (targets/registry/rules.ts), so the
// very same text is used by zod here and by bash's `[[ =~ ]]` in the generated scripts:
// the generator and the scripts cannot disagree on what is valid.
import * as z from 'zod';
import { REGISTRY_MODULES } from '../targets/registry/index.ts';
import { follows, ruled, SHARED_RULES, type Rule } from '../targets/registry/rules.ts';
import type { RegistryTargetRules } from '../targets/registry/types.ts';

export { follows, type Rule };

type Modules = typeof REGISTRY_MODULES;
type Module = Modules[number];

type Ids<T extends ReadonlyArray<{ id: string }>> = { readonly [I in keyof T]: T[I]['id'] };

export const REGISTRY_TARGETS = REGISTRY_MODULES.map((m) => m.id) as unknown as Ids<Modules>;
export type RegistryTarget = Module['id'];

/** Other names a target list accepts, and the target each means (gcr: Container Registry is served by Artifact Registry now). */
export const TARGET_ALIASES: Readonly<Record<string, RegistryTarget>> = Object.assign(
  Object.create(null) as Record<string, RegistryTarget>,
  Object.fromEntries(REGISTRY_MODULES.flatMap((m) => ('alias' in m ? m.alias.names.map((name) => [name, m.id]) : []))),
);

export const TARGET_LABELS = Object.fromEntries(REGISTRY_MODULES.map((m) => [m.id, m.label])) as Readonly<Record<RegistryTarget, string>>;

/** The flags of the targets' own settings, in the list's order (core/options.ts adds them to its table). */
export const TARGET_FLAGS: ReadonlyArray<{ flag: string; path: readonly string[]; description: string }> = REGISTRY_MODULES.flatMap((m) =>
  m.flags.map((f) => ({ flag: f.flag, path: ['registries', m.id, f.setting], description: f.description })),
);

type RulesIn<M, G extends keyof RegistryTargetRules> = M extends { rules: { [K in G]: infer R } } ? keyof R & string : never;
export type RuleName =
  | { [G in keyof typeof SHARED_RULES]: keyof (typeof SHARED_RULES)[G] }[keyof typeof SHARED_RULES]
  | RulesIn<Module, 'names'>
  | RulesIn<Module, 'host'>
  | RulesIn<Module, 'settings'>;

/**
 * Every naming rule by name, in the order the scripts list them: the shared names, then
 * the targets' (in the list's order); the same for hosts, then for settings; then the
 * shared tail. Rule names are global: a name defined twice, or named by a target and
 * defined nowhere, is an error here.
 */
export const RULES: Readonly<Record<RuleName, Rule>> = (() => {
  const out: Record<string, Rule> = {};
  const add = (rules: Readonly<Record<string, Rule>> | undefined, owner: string): void => {
    for (const [name, rule] of Object.entries(rules ?? {})) {
      if (name in out) throw new Error(`internal error: the rule ${name} (${owner}) is defined twice`);
      out[name] = rule;
    }
  };
  for (const group of ['names', 'host', 'settings'] as const) {
    add(SHARED_RULES[group], 'shared');
    for (const m of REGISTRY_MODULES) add((m.rules as RegistryTargetRules)[group], m.id);
  }
  add(SHARED_RULES.tail, 'shared');
  for (const m of REGISTRY_MODULES) {
    for (const name of [m.imageRule, ...('hostOverride' in m ? [m.hostOverride.rule] : [])]) {
      if (!(name in out)) throw new Error(`internal error: the ${m.id} target names the rule ${name}, which is not defined`);
    }
  }
  return out as Record<RuleName, Rule>;
})();

/** The rule each target applies to IMAGE. */
export const IMAGE_RULE = Object.fromEntries(REGISTRY_MODULES.map((m) => [m.id, m.imageRule])) as Readonly<Record<RegistryTarget, RuleName>>;

/** Splits comma or space separated target lists (flags, prompts); "none" means no target. */
export function splitTargets(raw: string): string[] {
  const items = raw
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length === 1 && items[0] === 'none' ? [] : items;
}

const TARGET_INPUTS = [...REGISTRY_TARGETS, ...Object.keys(TARGET_ALIASES)] as [string, ...string[]];

/** Targets, aliases resolved, each once, in the canonical order. */
export function normaliseTargets(targets: readonly string[]): RegistryTarget[] {
  const chosen = new Set(targets.map((t) => TARGET_ALIASES[t] ?? t));
  return REGISTRY_TARGETS.filter((t) => chosen.has(t));
}

/** The aliases as text for help and messages, such as "gcr means gar"; '' when there is none. */
export function aliasesText(each: (alias: string, id: RegistryTarget) => string, separator = ', '): string {
  return Object.entries(TARGET_ALIASES)
    .map(([alias, id]) => each(alias, id))
    .join(separator);
}

const aliasesMean = aliasesText((alias, id) => `${alias} means ${id}`);
const aliasesAccepted = aliasesText((alias, id) => `"${alias}" is accepted and means "${id}"`);

/** Each target's part of the spec, under its id. */
const TARGET_SPECS = Object.fromEntries(REGISTRY_MODULES.map((m) => [m.id, m.schema])) as { [M in Module as M['id']]: M['schema'] };

export const RegistriesSpec = z
  .strictObject({
    targets: z
      .array(z.enum(TARGET_INPUTS, { error: `each registry target must be one of ${REGISTRY_TARGETS.join(', ')}${aliasesMean && ` (${aliasesMean})`}` }), {
        error: `the registry targets must be a list, such as ["ecr", "ghcr"]`,
      })
      .transform(normaliseTargets)
      .default([])
      .meta({ description: `registries to push the app image to: ${REGISTRY_TARGETS.join(', ')}${aliasesAccepted && ` (${aliasesAccepted})`}` }),
    image: ruled(RULES.repository, 'the image name').optional(),
    platforms: ruled(RULES.platforms, 'the platforms').optional(),
    branch: ruled(RULES.branch, 'the publish branch').default('main'),
    actionRefs: z
      .enum(['sha', 'tag'], { error: 'the action references must be sha or tag' })
      .default('sha')
      .meta({
        description:
          'how the publish workflows name the actions they use: sha pins each to a full commit SHA with its release tag in a comment (the form Dependabot keeps current; targets/registry/action-pins.ts), tag uses the major tag (v4)',
      }),
    updates: z
      .enum(['dependabot', 'renovate'], { error: 'the dependency updates must be dependabot or renovate' })
      .default('dependabot')
      .meta({
        description:
          'which bot proposes updates of the base image, the Compose images, the app\'s dependencies and the actions: dependabot (.github/dependabot.yml) or renovate (renovate.json); one of them, so that updates are not proposed twice',
      }),
    ...TARGET_SPECS,
  })
  .superRefine((spec, ctx) => {
    // The image name must suit every chosen registry (the scripts check the same per target).
    if (spec.image === undefined || !follows(RULES.repository, spec.image)) return;
    for (const target of spec.targets) {
      const rule = IMAGE_RULE[target];
      if (rule !== 'repository' && !follows(RULES[rule], spec.image)) {
        ctx.addIssue({
          code: 'custom',
          path: ['image'],
          input: spec.image,
          message: `the image name must be ${RULES[rule].text} (for ${TARGET_LABELS[target]})`,
        });
      }
    }
  })
  .meta({
    description:
      'registry push targets (scripts/push-<target>.sh, .github/workflows/publish-<target>.yml) and the defaults baked into them; environment variables override the defaults at run time',
  });

export type RegistriesSpec = z.output<typeof RegistriesSpec>;

/**
 * The notices a set of raw answer layers calls for: a target's line when one of its
 * aliases was asked for, such as "gcr". (The spec itself only ever holds target ids.)
 */
export function registryNotices(layers: ReadonlyArray<{ values: unknown }>): string[] {
  const notices = new Set<string>();
  for (const layer of layers) {
    const registries = (layer.values as { registries?: { targets?: unknown } } | undefined)?.registries;
    const targets = registries?.targets;
    if (!Array.isArray(targets)) continue;
    for (const m of REGISTRY_MODULES) {
      if ('alias' in m && targets.some((t) => typeof t === 'string' && m.alias.names.includes(t))) notices.add(m.alias.notice);
    }
  }
  return [...notices];
}

/** The default image name from the project name: OCI and ECR both accept it. */
export function defaultImageName(projectName: string): string {
  const name = projectName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '');
  return name.length >= 2 ? name : `${name || 'app'}-app`;
}
