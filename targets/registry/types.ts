// What a registry target module is (targets/registry/<id>/index.ts), and the model the
// push scripts, workflows and README sections are rendered from (m.registry).
//
// Only types, and nothing that knows the list of targets (./index.ts): the target modules
// import this file, and the list imports them.
import type * as z from 'zod';
import type { Rule } from './rules.ts';

export interface Text {
  en: string;
  ko: string;
}

export interface RegistryVariable {
  name: string;
  description: Text;
  /** The generation-time default, when one was given. */
  value?: string;
  /** How the script fills it when neither the environment nor a generation-time answer does. */
  fallback?: Text;
  required: boolean;
  secret: boolean;
  /** A sample value for the README's commands. */
  example?: string;
}

/** A repository variable or secret the publish workflow reads. */
export interface CiSetting {
  name: string;
  secret: boolean;
  required: boolean;
  description: Text;
  /** The generation-time default the workflow falls back to. */
  value?: string;
}

/**
 * A cloud target's host override: VARIABLE names another host of the same registry (a FIPS
 * or dual-stack endpoint, ...); a host outside the registry's domain needs ALLOW=1, because
 * the target's credential is sent to whatever host the script logs in to.
 */
export interface HostOverride {
  variable: string;
  allow: string;
  /** The rule the host must follow (lowercased first). */
  rule: string;
  /** What the script sends to the host, for the warning and the refusal. */
  credential: Text;
  /** The arguments of the shell library's host_override, each shell-quoted, joined by spaces. */
  args: string;
}

/** A naming rule as the shell library embeds it: pattern and text already shell-quoted. */
export interface ShellRule {
  name: string;
  pattern: string;
  min: number;
  max: number;
  text: string;
}

export interface RegistryTargetModel<Id extends string = string> {
  id: Id;
  label: string;
  script: string;
  workflow: string;
  /** The repository the script pushes, generation-time values filled in, the rest as <VARIABLE>. */
  repository: string;
  /** Target-specific settings, in the order the script reads them. */
  variables: RegistryVariable[];
  /** Shell-quoted: the generation-time default per variable ('' when none), and imageRule. */
  sh: Record<string, string>;
  /** The rule the target applies to IMAGE. */
  imageRule: string;
  /** Shell lines for the README: export what is needed, then the one command that pushes. */
  commands: { en: string[]; ko: string[] };
  /** Cloud targets: the setting that names another host of the same registry (none for `registry`). */
  hostOverride: HostOverride | undefined;
  /** What the publish workflow reads from the repository's variables and secrets. */
  ci: CiSetting[];
}

export interface RegistryModel<Id extends string = string> {
  /** Targets chosen, in the canonical order. */
  targets: RegistryTargetModel<Id>[];
  /** Every target (chosen or not), for templates that name one. */
  byId: Record<Id, RegistryTargetModel<Id>>;
  any: boolean;
  /** The repository name pushed (IMAGE's default). */
  image: string;
  localImage: string;
  service: string;
  projectName: string;
  buildTarget: string;
  platforms: string | undefined;
  branch: string;
  /** Settings every script reads. */
  common: RegistryVariable[];
  /** Shell-quoted values the shared library embeds. */
  sh: Record<string, string>;
  /** The naming rules, shell-quoted, for the shared library. */
  rules: ShellRule[];
  /** Action references the workflows use (the shared ones and the targets' own). */
  actions: Readonly<Record<string, string>>;
  /** sha: every `uses:` pinned to a commit SHA with its tag in a comment (action-pins.ts); tag: the major tag. */
  actionRefs: 'sha' | 'tag';
  /** The bot whose config is written: .github/dependabot.yml or renovate.json. */
  updates: 'dependabot' | 'renovate';
}

/** A plain object of a workflow (serialised with `yaml`). */
export type Obj = Record<string, unknown>;

/**
 * A target's part of its publish workflow (targets/registry/render.ts builds the rest):
 * the job runs [the check of `check`], check-out and Buildx set-up, `steps`, then tags,
 * builds and pushes to `images`.
 */
export interface WorkflowPart {
  /** Job permissions besides `contents: read`. */
  permissions?: Obj;
  /** Job environment besides IMAGE and PLATFORMS. */
  env?: Obj;
  /** Settings that must be set, as [name, expression source], checked in a first step. */
  check?: ReadonlyArray<readonly [string, string]>;
  /** Sign-in and preparation steps, after the set-up. */
  steps: Obj[];
  /** The `images` input of docker/metadata-action: the repository, as an expression. */
  images: string;
}

/**
 * A target's own naming rules, by name, in three groups that fix where they stand in the
 * scripts' rule list (see SHARED_RULES in ./rules.ts): rule names are global, so a target
 * prefixes its own (ecrHost, awsRegion, ...).
 */
export interface RegistryTargetRules {
  /** Rules for the parts of the repository path at this registry (IMAGE, a namespace). */
  names?: Readonly<Record<string, Rule>>;
  /** The hosts the target's credential may go to (checked against its host override). */
  host?: Readonly<Record<string, Rule>>;
  /** Rules of the other settings. */
  settings?: Readonly<Record<string, Rule>>;
}

/** The generation-time settings of a target: registries.<id> of the spec. */
export type TargetSettings = Readonly<Record<string, string | undefined>>;

/**
 * One registry target: everything the generator knows about it. Listed once in
 * ./index.ts; schema/registry.ts, core/options.ts and ./render.ts derive the rest from
 * that list. Its templates sit next to it by name: push.sh.ejs (the script, including
 * ../_header.sh.ejs and ../_lib.sh.ejs) and readme.<lang>.md.ejs (the one-time set-up
 * paragraphs of its README section).
 */
export interface RegistryTargetModule<Id extends string = string, Settings extends TargetSettings = TargetSettings> {
  /** The target's name in --registry lists, file names (scripts/push-<id>.sh) and the spec (registries.<id>). */
  id: Id;
  label: string;
  /** Other names the target list accepts for this target, and the one line printed when one is used. */
  alias?: { names: readonly string[]; notice: string };
  /** The zod schema of registries.<id>: the push script's generation-time defaults. */
  schema: z.ZodType<Settings, unknown>;
  /** Command-line flags: --<flag> sets registries.<id>.<setting>. */
  flags: ReadonlyArray<{ flag: string; setting: keyof Settings & string; description: string }>;
  rules: RegistryTargetRules;
  /** The rule IMAGE must follow at this registry (a shared rule or one of its own). */
  imageRule: string;
  /**
   * Cloud targets: the prefix of the host override (PREFIX_REGISTRY_HOST), the rule its
   * hosts follow, the host the script computes, an example, and the credential sent there.
   */
  hostOverride?: { prefix: string; rule: string; computed: Text; example: Text; credential: Text };
  /** Actions its workflow uses besides the shared ones (Dependabot keeps them current). */
  actions?: Readonly<Record<string, string>>;
  /** Its own settings, in the order the script reads them (the host override's are added). */
  variables(settings: Settings): RegistryVariable[];
  /** The repository pushed, with <VARIABLE> where only run time knows. */
  repository(settings: Settings, image: string): string;
  /** What its publish workflow reads from the repository's variables and secrets. */
  ci(settings: Settings): CiSetting[];
  /** Its part of the publish workflow; `value` is a variable's generation-time default. */
  workflow(value: (name: string) => string | undefined): WorkflowPart;
}
