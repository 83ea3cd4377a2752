// The app's command under `docker compose watch` (compose.watch.yaml) for an app that Node
// runs directly: a small supervisor, given to `node --eval`, that starts the app and starts
// it again as soon as a file below /app changes. It does what `node --watch-path=/app` did,
// without the fixed 200 ms Node's watch mode waits after a change before it restarts
// (`new FilesWatcher({ debounce: 200 })` in Node's own source, not configurable): with
// Compose's own 0.5 s quiet period and the app's restart, that wait was a fifth of the time
// from saving a file to the new answer (bench/watch.ts measures both).
//
// What it keeps from Node's watch mode: one restart per change (the few events a synced
// file makes arrive within a millisecond or two, gathered for 20 ms), the old process
// stopped with SIGTERM and waited for before the new one starts (so the port is free),
// earlier output kept, a crashed app started again on the next change, SIGTERM and SIGINT
// passed on to the app and its exit status returned. What it adds: changes below
// node_modules and the app's writable directories (tmpfs, written by the app itself) do
// not restart it, where `--watch-path=/app` restarted the app on its own writes. And it
// watches only the folders that can restart the app, one inotify watch each (new folders
// joined as they appear, removed ones let go): Node's recursive watch sets a watch on every
// folder below node_modules too and keeps every file's entry in memory, which for an app
// with a few thousand dependency folders costs tens of MiB inside the container's memory
// limit and uses up inotify watches the host user's editor shares (the limit is per uid).

/** What the supervisor watches and leaves alone. */
export interface RestarterOptions {
  /** The directory the source is synced into. */
  root: string;
  /** Directories below root (relative, "/"-separated) whose changes never restart the app. */
  ignore: readonly string[];
}

/**
 * The supervisor's source: an ES module for `node --input-type=module --eval`, the app's
 * Node arguments after `--` (its process.argv). It has no "$", which Compose would
 * interpolate; the ignore list is checked for one by the caller.
 */
export function restarterSource(options: RestarterOptions): string {
  return [
    `// Starts the app and starts it again as soon as a file below ${options.root} changes`,
    '// (node --watch waits a fixed 200 ms first). Development only: see README.Docker.md.',
    "import { spawn } from 'node:child_process';",
    "import { readdirSync, statSync, watch } from 'node:fs';",
    "import { constants } from 'node:os';",
    "import { join, relative } from 'node:path';",
    `const root = ${JSON.stringify(options.root)};`,
    `const ignored = ${JSON.stringify(options.ignore)};`,
    'const args = process.argv.slice(1);',
    'let app;',
    'let timer;',
    'let again = false;',
    'let stopping = false;',
    'function start() {',
    "  app = spawn(process.execPath, args, { stdio: 'inherit' });",
    "  app.on('exit', (code, signal) => {",
    '    app = undefined;',
    '    if (stopping) process.exit(code ?? 128 + (constants.signals[signal] ?? 0));',
    '    if (again) {',
    '      again = false;',
    '      start();',
    '    } else {',
    "      console.error('[watch] the app exited (' + (signal ?? code) + '); it starts again on the next change');",
    '    }',
    '  });',
    '}',
    'function restart() {',
    '  if (stopping) return;',
    '  if (!app) return start();',
    '  again = true;',
    "  app.kill('SIGTERM');",
    '}',
    '// Changes below node_modules and the app\'s own writable folders never restart it.',
    'function skipped(path) {',
    "  return path.split('/').includes('node_modules') || ignored.some((dir) => path === dir || path.startsWith(dir + '/'));",
    '}',
    '// One watch per folder that can restart the app (not node_modules): what a recursive watch does, minus those.',
    'const watchers = new Map();',
    'function watchTree(dir) {',
    '  if (watchers.has(dir)) return;',
    '  let watcher;',
    '  try {',
    '    watcher = watch(dir, (_event, name) => changed(name ? join(dir, String(name)) : dir));',
    '  } catch (error) {',
    '    if (dir === root) fail(error);',
    "    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return; // gone before it was watched",
    "    console.error('[watch] ' + dir + ' is not watched: ' + error.message + (error.code === 'ENOSPC' ? ' (raise fs.inotify.max_user_watches on the host)' : ''));",
    '    return;',
    '  }',
    "  watcher.on('error', (error) => (dir === root ? fail(error) : unwatch(dir)));",
    '  watchers.set(dir, watcher);',
    '  let entries = [];',
    '  try {',
    '    entries = readdirSync(dir, { withFileTypes: true });',
    '  } catch {}',
    '  for (const entry of entries) {',
    '    const path = join(dir, entry.name);',
    '    if (entry.isDirectory() && !skipped(relative(root, path))) watchTree(path);',
    '  }',
    '}',
    'function unwatch(path) {',
    '  for (const [dir, watcher] of watchers) {',
    "    if (dir === path || dir.startsWith(path + '/')) {",
    '      watcher.close();',
    '      watchers.delete(dir);',
    '    }',
    '  }',
    '}',
    'function changed(path) {',
    '  if (skipped(relative(root, path))) return;',
    '  let folder = false;',
    '  try {',
    '    folder = statSync(path).isDirectory();',
    '  } catch {}',
    '  if (folder) watchTree(path);',
    '  else if (path !== root) unwatch(path);',
    '  clearTimeout(timer);',
    '  timer = setTimeout(restart, 20);',
    '}',
    'function fail(error) {',
    "  console.error('[watch] ' + error.message);",
    '  process.exit(1);',
    '}',
    'watchTree(root);',
    "for (const signal of ['SIGTERM', 'SIGINT']) {",
    '  process.on(signal, () => {',
    '    stopping = true;',
    '    if (app) app.kill(signal);',
    '    else process.exit(0);',
    '  });',
    '}',
    'start();',
    '',
  ].join('\n');
}

/** `node --input-type=module --eval <supervisor> -- <the app's Node arguments>` for a `node ...` command. */
export function restarterCommand(command: readonly string[], options: RestarterOptions): string[] {
  if (command[0] !== 'node') throw new Error(`the watch restarter runs Node apps only, not ${JSON.stringify(command[0])}`);
  return ['node', '--input-type=module', '--eval', restarterSource(options), '--', ...command.slice(1)];
}
