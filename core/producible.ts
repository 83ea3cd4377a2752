// The closed list of files this version of the generator can write and may therefore
// remove. .yo-rc.json travels with pull requests: a path recorded there is only a claim,
// and a re-run removes a recorded file that is no longer generated only when it is one
// of these (never the user's app, never anything under .git/). The sample app's files are
// not on the list: once scaffolded they are the user's, and never removed.
import { DEPLOY_TARGETS, KUBERNETES_FLAVOURS } from '../schema/deploy.ts';
import { REGISTRY_TARGETS } from '../schema/registry.ts';
import { COMPOSE_FILES } from '../schema/stack.ts';
import { WATCH_FILE } from './render/watch.ts';
import { SERVICE_MODULES } from '../services/index.ts';

const alt = (words: readonly string[]): string => words.join('|');

const EXACT = new Set([
  'Dockerfile',
  ...COMPOSE_FILES,
  WATCH_FILE,
  '.dockerignore',
  '.gitignore',
  '.gitattributes',
  '.env.example',
  'README.Docker.md',
  'WORKSHOP.md',
  'scripts/offline-load.sh',
  '.github/dependabot.yml',
  'renovate.json',
]);

const PATTERNS: readonly RegExp[] = [
  new RegExp(`^scripts/push-(?:${alt(REGISTRY_TARGETS)})\\.sh$`),
  new RegExp(`^\\.github/workflows/publish-(?:${alt(REGISTRY_TARGETS)})\\.yml$`),
  new RegExp(`^scripts/deploy-(?:${alt(DEPLOY_TARGETS)})\\.sh$`),
  /^deploy\/swarm\/stack\.yml$/,
  /^deploy\/ecs\/task-definition\.json$/,
  /^deploy\/aca\/[a-z0-9-]+\.yaml$/,
  /^deploy\/kubernetes\/base\/[a-z0-9-]+\.yaml$/,
  new RegExp(`^deploy/kubernetes/overlays/(?:${alt(KUBERNETES_FLAVOURS)})/[a-z0-9-]+\\.yaml$`),
];

/** Whether `path` is a file this generator writes (and so may remove when no longer wanted). */
export function isRemovable(path: string): boolean {
  return EXACT.has(path) || PATTERNS.some((re) => re.test(path)) || SERVICE_MODULES.some((m) => m.paths?.some((re) => re.test(path)));
}
