// compose.watch.yaml: the development override for `docker compose watch`. The stack's own
// Compose file stays as it runs in production (read-only root file system, the image's
// command); its `develop.watch` rebuilds the image for every change, which works there.
// This override, given only to `watch`, swaps those rules for faster correct ones:
//
// - an app without a build step that Node runs directly: its source is synced into /app and
//   a small supervisor (watch-restarter.ts, Node's watch mode without its 200 ms wait)
//   restarts the app's process inside the container when a file there changes (no
//   container restart, no rebuild);
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
import { restarterCommand } from './watch-restarter.ts';

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

/**
 * The app's command under the watch restarter: started again at once on a change below
 * /app, except below node_modules and the app's writable directories (the app's own
 * writes). Compose interpolates "$" in a command: each is written "$$", a literal "$".
 */
export function watchCommand(app: Pick<StackModel['app'], 'command' | 'tmpfs'>): string[] {
  const ignore = app.tmpfs.filter((dir) => dir.startsWith(`${APP_ROOT}/`)).map((dir) => dir.slice(APP_ROOT.length + 1));
  return restarterCommand(app.command, { root: APP_ROOT, ignore }).map((arg) => arg.replaceAll('$', '$$$$'));
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
    service['command'] = watchCommand(app);
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
    ' A source change is synced into /app and the command below (Node\'s watch mode without\n' +
    ' its 200 ms wait) restarts the app inside the container (no container restart, no\n' +
    ' rebuild); a manifest or lockfile change rebuilds the image. Sync needs a writable\n' +
    ' root file system: `read_only: false` is set here only, and COMPOSE keeps it\n' +
    ' read-only for every `up`.',
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
  // The restarter's source as a literal block, line by line as it runs (not one quoted line).
  const edit = (doc: Document): void => {
    const node = doc.getIn(['services', model.app.service, 'develop'], true) as { tag?: string } | undefined;
    if (node) node.tag = '!override';
    const source = doc.getIn(['services', model.app.service, 'command', 3], true) as { type?: string } | undefined;
    if (source && watchMode(model.app) === 'node-watch') source.type = 'BLOCK_LITERAL';
  };
  const header = [
    ' Generated by generator-wpsn-docker. Development only, for `docker compose watch`:',
    `   docker compose -f ${model.composeFile} -f ${WATCH_FILE} watch`,
    HEADER[watchMode(model.app)].replaceAll('COMPOSE', model.composeFile),
    ' Files .dockerignore leaves out change nothing. See README.Docker.md, "Develop".',
  ].join('\n');
  return stringifyYaml(watchOverrideObject(model), header, edit);
}
