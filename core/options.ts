// The command-line options, one table for the bin, the Yeoman generator and the
// prompts. Each answer option maps to one key path of the StackSpec.
import { LANGUAGES, PACKAGE_MANAGERS } from '../schema/defaults.ts';
import { COMPOSE_FILES, HEALTH_CHECKS } from '../schema/stack.ts';
import { CATALOG_KINDS, DATABASE_KINDS } from '../services/index.ts';
import { aliasesText, REGISTRY_TARGETS, splitTargets, TARGET_ALIASES, TARGET_FLAGS } from '../schema/registry.ts';
import { DEPLOY_TARGETS, KUBERNETES_FLAVOURS, splitDeployTargets } from '../schema/deploy.ts';

export type OptionKind = 'string' | 'number' | 'boolean' | 'list';

export interface AnswerOption {
  /** Kebab-case flag name without dashes, as Yeoman spells options. */
  flag: string;
  /** Key path in the StackSpec. */
  path: readonly string[];
  kind: OptionKind;
  description: string;
  choices?: readonly string[];
  /** Asked interactively when not given (in this order). */
  prompt?: string;
  /** Asked only about the user's own app (the sample app's start command and health check are fixed). */
  ownAppOnly?: boolean;
  /** Infrastructure with derived defaults: asked only when the user chooses to change those. */
  advanced?: boolean;
  /** Turns a flag's (or a prompt's) text into the value, instead of the kind's own parsing. */
  parse?: (raw: string) => unknown;
}

export const ANSWER_OPTIONS: readonly AnswerOption[] = [
  // The app first: the prompts ask in this order.
  { flag: 'command', path: ['app', 'command'], kind: 'list', prompt: 'Start command (the process the container runs)', ownAppOnly: true, description: 'start command, the process the container runs, as a JSON array or space-separated words (default: derived from package.json scripts.start or main; node server.js for the sample app)' },
  { flag: 'port', path: ['app', 'port'], kind: 'number', description: 'port the app listens on inside the container (default: 3000)', prompt: 'Container port' },
  { flag: 'health-check', path: ['app', 'healthCheck'], kind: 'string', choices: HEALTH_CHECKS, prompt: 'Health check (http: GET a path answers 2xx; status: it answers below 500; tcp: the port accepts a connection)', ownAppOnly: true, description: 'how the app is checked: http (GET --health-path answers 2xx), status (it answers below 500: an app without a health endpoint), tcp (the port accepts a connection) (default: http for the sample app, status with path / for your app)' },
  { flag: 'health-path', path: ['app', 'healthPath'], kind: 'string', prompt: 'Health check path', ownAppOnly: true, description: 'HTTP path the health check requests (default: /healthz for the sample app, / for your app)' },
  { flag: 'build-script', path: ['app', 'buildScript'], kind: 'string', prompt: 'Build script (an npm script; none for no build step)', ownAppOnly: true, parse: (raw) => (raw.trim() === 'none' ? '' : raw.trim()), description: 'npm script that builds the app, run in a build stage; none for no build step (default: the script the start script runs first, else scripts.build)' },
  { flag: 'app-dir', path: ['app', 'dir'], kind: 'string', description: 'folder of the app\'s package in a workspace, such as apps/web (default: the workspace package with a start script, else .)' },
  { flag: 'project-name', path: ['projectName'], kind: 'string', description: 'Compose project name (default: from the directory name)', prompt: 'Project name' },
  { flag: 'package-manager', path: ['app', 'packageManager'], kind: 'string', choices: PACKAGE_MANAGERS, description: 'package manager of the app (default: detected from the lockfile, else npm)', advanced: true, prompt: 'Package manager' },
  { flag: 'base-image', path: ['app', 'baseImage'], kind: 'string', description: 'base image the Dockerfile extends, pinned (default: node:24-bookworm-slim)', advanced: true, prompt: 'Base image (pinned tag or digest)' },
  { flag: 'host-port', path: ['app', 'hostPort'], kind: 'number', description: 'host port the app is published on (default: 3000)', advanced: true, prompt: 'Host port' },
  { flag: 'bind', path: ['app', 'bind'], kind: 'string', description: 'host address the port is bound to (default: 127.0.0.1; 0.0.0.0 for every interface)', advanced: true, prompt: 'Bind address' },
  { flag: 'allow-privileged-port', path: ['app', 'allowPrivilegedPort'], kind: 'boolean', description: 'allow a host port below 1024' },
  { flag: 'compose-file', path: ['composeFile'], kind: 'string', choices: COMPOSE_FILES, description: 'name of the Compose file (default: the name of the project\'s own Compose file, else docker-compose.yml)' },
  { flag: 'redis-image', path: ['redis', 'image'], kind: 'string', description: 'Redis image, pinned (default: redis:7-bookworm)', advanced: true, prompt: 'Redis image (pinned tag or digest)' },
  { flag: 'database', path: ['database', 'kind'], kind: 'string', choices: DATABASE_KINDS, description: 'database service (default: none)', prompt: 'Database' },
  { flag: 'services', path: ['services'], kind: 'list', choices: CATALOG_KINDS, parse: splitTargets, description: 'services of the catalog next to the app and Redis, comma-separated, each with its defaults (none for no service; options per service: an --answers file; default: none)', prompt: 'Services besides Redis' },
  { flag: 'registry', path: ['registries', 'targets'], kind: 'list', choices: REGISTRY_TARGETS, parse: splitTargets, description: `registries to write push scripts and CI workflows for, comma-separated (${aliasesText((alias, id) => `${alias} means ${id}; `, '')}none for no registry; default: none)`, prompt: 'Registries to push the app image to' },
  { flag: 'lang', path: ['lang'], kind: 'string', choices: LANGUAGES, description: 'language of the generated docs (default: en)', prompt: 'Language of the generated docs' },
  // Registry defaults baked into scripts/push-*.sh and the publish workflows (environment variables override them).
  { flag: 'registry-image', path: ['registries', 'image'], kind: 'string', description: 'image (repository) name pushed to every registry (default: the project name)' },
  { flag: 'platforms', path: ['registries', 'platforms'], kind: 'string', description: 'platforms pushed, such as linux/amd64,linux/arm64 (scripts: default the local build; CI: default linux/amd64)' },
  { flag: 'publish-branch', path: ['registries', 'branch'], kind: 'string', description: 'branch whose pushes the publish workflows run on, besides version tags (default: main)' },
  { flag: 'action-refs', path: ['registries', 'actionRefs'], kind: 'string', choices: ['sha', 'tag'], description: 'how the publish workflows name their actions: sha (a full commit SHA, the tag in a comment, kept current by Dependabot or Renovate) or tag (the major tag) (default: sha)' },
  { flag: 'dependency-updates', path: ['registries', 'updates'], kind: 'string', choices: ['dependabot', 'renovate'], description: 'the bot that proposes updates of the images, the app\'s dependencies and the actions: dependabot (.github/dependabot.yml) or renovate (renovate.json) (default: dependabot)' },
  // Each registry target's own settings (targets/registry/<id>/index.ts: its flags).
  ...TARGET_FLAGS.map((f): AnswerOption => ({ flag: f.flag, path: f.path, kind: 'string', description: f.description })),
  // Deploy targets: deploy/<target>/ and scripts/deploy-<target>.sh (more settings: an --answers file, see schema/stack.schema.json).
  { flag: 'deploy', path: ['deploy', 'targets'], kind: 'list', choices: DEPLOY_TARGETS, parse: splitDeployTargets, description: 'platforms to write deploy configs and scripts for, comma-separated (none for no target; default: none)', prompt: 'Deploy targets' },
  { flag: 'kubernetes-flavour', path: ['deploy', 'kubernetes', 'flavour'], kind: 'string', choices: KUBERNETES_FLAVOURS, description: 'Kubernetes flavour of the kubernetes deploy target: registry, storage class and load balancer details (default: generic)' },
  // The workshop kit (core/render/workshop.ts).
  { flag: 'workshop', path: ['workshop'], kind: 'boolean', description: 'also write WORKSHOP.md, a hands-on Docker lesson with this project\'s names (in --lang), and scripts/offline-load.sh for wpsn-docker bundle archives' },
];

export interface ControlOption {
  flag: string;
  kind: 'string' | 'boolean';
  alias?: string;
  description: string;
}

export const CONTROL_OPTIONS: readonly ControlOption[] = [
  { flag: 'yes', alias: 'y', kind: 'boolean', description: 'accept defaults for everything not given; never prompt' },
  { flag: 'answers', kind: 'string', description: 'read answers from a JSON or YAML file (see schema/stack.schema.json)' },
  { flag: 'force', kind: 'boolean', description: 'overwrite generated files you edited (secret files are never overwritten)' },
  { flag: 'dry-run', kind: 'boolean', description: 'print what would change, as a diff per file (secrets never shown), and write nothing' },
];

export interface FlagProblem {
  field: string;
  source: string;
  value: unknown;
  rule: string;
}

/**
 * Flags that contradict each other on one command line (decided here, documented in
 * README "Contradicting flags"):
 * - `none` together with targets in --registry or --deploy;
 * - a per-target setting (--ecr-region, --kubernetes-flavour, ...) when the same command
 *   line lists the targets and leaves that target out;
 * - a setting for every registry (--registry-image, --platforms, --publish-branch) with
 *   --registry none.
 * Settings without a target list on the command line are stored as defaults for later.
 */
export function flagContradictions(options: Record<string, unknown>): FlagProblem[] {
  const problems: FlagProblem[] = [];
  const lists: Array<{ flag: string; root: string; split: (raw: string) => string[]; known: readonly string[]; aliases?: Readonly<Record<string, string>> }> = [
    { flag: 'registry', root: 'registries', split: splitTargets, known: REGISTRY_TARGETS, aliases: TARGET_ALIASES },
    { flag: 'deploy', root: 'deploy', split: splitDeployTargets, known: DEPLOY_TARGETS },
  ];
  for (const list of lists) {
    const raw = options[list.flag];
    if (typeof raw !== 'string') continue;
    const items = list.split(raw);
    const listField = `${list.root}.targets`;
    if (items.includes('none') && items.length > 1) {
      problems.push({ field: listField, source: `--${list.flag}`, value: raw, rule: `"none" means no target and cannot be combined with targets: give either none or a list of targets` });
      continue;
    }
    const chosen = new Set(items.map((t) => list.aliases?.[t] ?? t));
    for (const option of ANSWER_OPTIONS) {
      if (option.path[0] !== list.root || option.path.length < 2 || option.flag === list.flag) continue;
      if (options[option.flag] === undefined) continue;
      const target = option.path.length >= 3 ? option.path[1]! : undefined;
      if (target !== undefined && list.known.includes(target) && !chosen.has(target)) {
        problems.push({
          field: option.path.join('.'),
          source: `--${option.flag}`,
          value: options[option.flag],
          rule: `is a setting of the ${target} target, but --${list.flag} ${JSON.stringify(raw)} leaves ${target} out: add ${target} to --${list.flag}, or leave --${option.flag} out`,
        });
      } else if (target === undefined && chosen.size === 0) {
        problems.push({
          field: option.path.join('.'),
          source: `--${option.flag}`,
          value: options[option.flag],
          rule: `applies to every target, but --${list.flag} ${JSON.stringify(raw)} chooses none: leave --${option.flag} out, or give targets`,
        });
      }
    }
  }
  return problems;
}

/** Splits `--command` values: a JSON array, or words separated by spaces. */
export function parseListFlag(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return raw;
    }
  }
  return trimmed.split(/\s+/).filter(Boolean);
}

/** Converts a flag's text to the type the spec expects, leaving bad values for zod to report. */
export function coerceFlag(option: AnswerOption, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (option.parse) return option.parse(raw);
  switch (option.kind) {
    case 'number':
      return /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    case 'boolean':
      if (raw === 'true' || raw === '') return true;
      if (raw === 'false') return false;
      return raw;
    case 'list':
      return parseListFlag(raw);
    default:
      return raw;
  }
}
