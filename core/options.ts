// The command-line options, one table for the bin, the Yeoman generator and the
// prompts. Each answer option maps to one key path of the StackSpec.
import { DATABASE_KINDS, LANGUAGES, PACKAGE_MANAGERS } from '../schema/defaults.ts';

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
}

export const ANSWER_OPTIONS: readonly AnswerOption[] = [
  { flag: 'project-name', path: ['projectName'], kind: 'string', description: 'Compose project name (default: from the directory name)', prompt: 'Project name' },
  { flag: 'package-manager', path: ['app', 'packageManager'], kind: 'string', choices: PACKAGE_MANAGERS, description: 'package manager of the app (default: detected from the lockfile, else npm)', prompt: 'Package manager' },
  { flag: 'base-image', path: ['app', 'baseImage'], kind: 'string', description: 'base image the Dockerfile extends, pinned (default: node:24-bookworm-slim)', prompt: 'Base image (pinned tag or digest)' },
  { flag: 'port', path: ['app', 'port'], kind: 'number', description: 'port the app listens on inside the container (default: 3000)', prompt: 'Container port' },
  { flag: 'host-port', path: ['app', 'hostPort'], kind: 'number', description: 'host port the app is published on (default: 3000)', prompt: 'Host port' },
  { flag: 'bind', path: ['app', 'bind'], kind: 'string', description: 'host address the port is bound to (default: 127.0.0.1; 0.0.0.0 for every interface)', prompt: 'Bind address' },
  { flag: 'allow-privileged-port', path: ['app', 'allowPrivilegedPort'], kind: 'boolean', description: 'allow a host port below 1024' },
  { flag: 'command', path: ['app', 'command'], kind: 'list', description: 'start command, as a JSON array or space-separated words (default: node server.js)' },
  { flag: 'health-path', path: ['app', 'healthPath'], kind: 'string', description: 'HTTP path of the health endpoint (default: /healthz)' },
  { flag: 'build-script', path: ['app', 'buildScript'], kind: 'string', description: 'npm script that builds the app, run in a build stage (default: none)' },
  { flag: 'redis-image', path: ['redis', 'image'], kind: 'string', description: 'Redis image, pinned (default: redis:7-bookworm)', prompt: 'Redis image (pinned tag or digest)' },
  { flag: 'database', path: ['database', 'kind'], kind: 'string', choices: DATABASE_KINDS, description: 'database service (default: none)', prompt: 'Database' },
  { flag: 'lang', path: ['lang'], kind: 'string', choices: LANGUAGES, description: 'language of the generated docs (default: en)', prompt: 'Language of the generated docs' },
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
];

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
