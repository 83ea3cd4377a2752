// compose.watch.yaml: the development override for `docker compose watch`. The stack's own
// Compose file stays as it runs in production (read-only root file system, the image's
// command); its `develop.watch` rebuilds the image for every change, which works there.
// This override, given only to `watch`, swaps those rules for faster correct ones:
//
// - an app without a build step that Node runs directly: its source is synced into /app and
//   Node's own watch mode (`--watch-path=/app`) restarts the app's process inside the
//   container when any file there changes (no container restart, no rebuild);
// - an app without a build step that something else starts (npm, a shell): synced, then the
//   container restarted (Compose's sync+restart);
// - an app with a build step (TypeScript, Next.js): rebuilt, as in the stack's own file; the
//   build stage needs the development dependencies the runtime image does not have.
//
// The manifests and lockfile always rebuild (the dependency layer); files .dockerignore
// leaves out of the image (docs, tests, secrets) change nothing: Compose applies it to
// every rule. Sync needs a writable target, so this override, and only this one, turns the
// root file system writable; the app still runs as its non-root user and the stack's own
// file keeps `read_only: true` for every `up`.
import type { Document } from 'yaml';
import type { StackModel } from '../types.ts';
import { stringifyYaml } from '../yaml.ts';

/** The override's name, next to the stack's Compose file; .dockerignore keeps it out of the image. */
export const WATCH_FILE = 'compose.watch.yaml';

/** Where the build context lands in the image (`WORKDIR /app`, `COPY . .`). */
const APP_ROOT = '/app';

/** Never synced: the host's installed dependencies, the repository, secrets and local settings. */
const NEVER_SYNCED = ['node_modules/', '.git/', 'secrets/', '.env'];

export type WatchMode = 'node-watch' | 'sync-restart' | 'rebuild';

/** How an edit to the app's source reaches the running container (see the file's header). */
export function watchMode(app: Pick<StackModel['app'], 'buildScript' | 'command' | 'wrapper'>): WatchMode {
  if (app.buildScript) return 'rebuild';
  return app.command[0] === 'node' && !app.wrapper ? 'node-watch' : 'sync-restart';
}

/** The app's command under Node's watch mode: restarts on any change below /app, keeps earlier output. */
export function nodeWatchCommand(command: readonly string[]): string[] {
  return [command[0]!, `--watch-path=${APP_ROOT}`, '--watch-preserve-output', ...command.slice(1)];
}

/** The `develop.watch` rules of the override, in the order Compose reads them. */
export function watchRules(model: Pick<StackModel, 'app'>): Array<Record<string, unknown>> {
  const { app } = model;
  const manifests = app.install.manifests.map((path) => ({ action: 'rebuild', path }));
  const mode = watchMode(app);
  if (mode === 'rebuild') return [{ action: 'rebuild', path: '.', ignore: NEVER_SYNCED }, ...manifests];
  const action = mode === 'node-watch' ? 'sync' : 'sync+restart';
  return [{ action, path: '.', target: APP_ROOT, ignore: [...NEVER_SYNCED, ...app.install.manifests] }, ...manifests];
}

export function watchOverrideObject(model: Pick<StackModel, 'app'>): Record<string, unknown> {
  const { app } = model;
  const mode = watchMode(app);
  const service: Record<string, unknown> = {};
  if (mode !== 'rebuild') service['read_only'] = false;
  if (mode === 'node-watch') {
    service['command'] = nodeWatchCommand(app.command);
    // Each restart loads the app's modules again: Node's compile cache (in the /tmp tmpfs)
    // makes the second and later starts faster.
    service['environment'] = { NODE_COMPILE_CACHE: '/tmp/node-compile-cache' };
  }
  service['develop'] = { watch: watchRules(model) };
  return { services: { [app.service]: service } };
}

/** The override's header: how to run it and what it changes (COMPOSE is the stack's file). */
const HEADER: Record<WatchMode, string> = {
  'node-watch':
    ' A source change is synced into /app and Node\'s watch mode restarts the app inside\n' +
    ' the container (no container restart, no rebuild); a manifest or lockfile change\n' +
    ' rebuilds the image. Sync needs a writable root file system: `read_only: false` is\n' +
    ' set here only, and COMPOSE keeps it read-only for every `up`.',
  'sync-restart':
    ' A source change is synced into /app and the container restarted; a manifest or\n' +
    ' lockfile change rebuilds the image. Sync needs a writable root file system:\n' +
    ' `read_only: false` is set here only, and COMPOSE keeps it read-only for every `up`.',
  rebuild:
    ' The app has a build step, which needs the development dependencies the runtime\n' +
    ' image leaves out: every change rebuilds the image (the dependency layers stay\n' +
    ' cached), as the rules in COMPOSE do.',
};

export function renderWatchOverride(model: Pick<StackModel, 'app' | 'composeFile'>): string {
  // `!override`: the rules replace the stack file's own `develop` (Compose would append them).
  const tagDevelop = (doc: Document): void => {
    const node = doc.getIn(['services', model.app.service, 'develop'], true) as { tag?: string } | undefined;
    if (node) node.tag = '!override';
  };
  const header = [
    ' Generated by generator-wpsn-docker. Development only, for `docker compose watch`:',
    `   docker compose -f ${model.composeFile} -f ${WATCH_FILE} watch`,
    HEADER[watchMode(model.app)].replaceAll('COMPOSE', model.composeFile),
    ' Files .dockerignore leaves out change nothing. See README.Docker.md, "Develop".',
  ].join('\n');
  return stringifyYaml(watchOverrideObject(model), header, tagDevelop);
}
