// The watch restarter (core/render/watch-restarter.ts), run for real with this Node on a
// folder of its own standing in for /app: it starts the app, starts it again once per
// change (a burst of writes is one restart), leaves the app's own writes and node_modules
// alone (no inotify watch set below them), follows folders made and removed, waits for a
// crashed app's next change, and passes SIGTERM on and returns the app's exit status. In a
// container it is proven by the corpus live test (an edit served by the same container) and
// timed by bench/watch.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { restarterCommand, restarterSource } from '../../core/render/watch-restarter.ts';
import { makeTempDir, removeTempDirs } from './helpers/cli.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An app that logs each start, writes to its writable folder and node_modules, and exits 0 on
 * SIGTERM (or `code` when told to crash). Its SIGTERM handler is in place before it logs the
 * start: the tests send SIGTERM as soon as they see that line, and a signal in between would
 * end the app by the signal (143), which the supervisor rightly passes on.
 */
const APP = `
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
process.on('SIGTERM', () => process.exit(0));
mkdirSync('uploads', { recursive: true });
appendFileSync('uploads/starts.log', 'start\\n');
writeFileSync('uploads/file', String(Date.now()));
mkdirSync('node_modules/.cache', { recursive: true });
writeFileSync('node_modules/.cache/file', String(Date.now()));
let crash = '';
try { crash = readFileSync('crash', 'utf8').trim(); } catch {}
if (crash) process.exit(Number(crash));
setInterval(() => {}, 1000);
`;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});
afterAll(() => removeTempDirs());

function startRestarter(root: string): { output: () => string; exited: Promise<number | null> } {
  const [node, ...args] = restarterCommand(['node', 'app.mjs'], { root, ignore: ['uploads'] });
  expect(node).toBe('node');
  child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  return { output: () => output, exited };
}

const starts = (root: string): number => {
  try {
    return readFileSync(join(root, 'uploads', 'starts.log'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('watch restarter', () => {
  it('has no "$" for Compose to interpolate, and keeps the app\'s arguments after --', () => {
    expect(restarterSource({ root: '/app', ignore: ['uploads'] })).not.toContain('$');
    expect(restarterCommand(['node', '--enable-source-maps', 'dist/main.js'], { root: '/app', ignore: [] }).slice(-3)).toEqual(['--', '--enable-source-maps', 'dist/main.js']);
    expect(() => restarterCommand(['npm', 'start'], { root: '/app', ignore: [] })).toThrow(/Node apps only/);
  });

  it('restarts once per burst of changes, not on the app\'s own writes, and passes SIGTERM on', async () => {
    const root = makeTempDir('wpsn-restarter-');
    writeFileSync(join(root, 'app.mjs'), APP);
    const run = startRestarter(root);
    await until('the first start', () => starts(root) === 1);
    // The app's writes to uploads/ and node_modules/ at start-up restart nothing.
    await sleep(400);
    expect(starts(root), run.output()).toBe(1);

    // A burst of writes (as a synced file makes): one restart.
    for (let i = 0; i < 5; i++) writeFileSync(join(root, 'routes.js'), `export const n = ${i};\n`);
    await until('the restart after an edit', () => starts(root) === 2);
    await sleep(400);
    expect(starts(root), run.output()).toBe(2);

    // A write in a nested source folder restarts it too.
    mkdirSync(join(root, 'lib'), { recursive: true });
    await until('the restart after a new folder', () => starts(root) === 3);
    await sleep(200);
    writeFileSync(join(root, 'lib', 'util.js'), 'export {};\n');
    await until('the restart after a nested edit', () => starts(root) === 4);

    child!.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('watches each source folder once and nothing below node_modules or the app\'s writable folders', async () => {
    const root = makeTempDir('wpsn-restarter-');
    writeFileSync(join(root, 'app.mjs'), APP);
    for (const dir of ['src/routes', 'src/lib', 'node_modules/a/lib', 'node_modules/b/dist/esm', 'node_modules/@s/c', 'uploads/x/y']) mkdirSync(join(root, dir), { recursive: true });
    const run = startRestarter(root);
    await until('the first start', () => starts(root) === 1);
    await sleep(200);
    // The supervisor's inotify watches, one line each in /proc/PID/fdinfo of its inotify descriptor
    // (Linux): root, src, src/routes, src/lib. A recursive watch would add the 8 folders below
    // node_modules and uploads.
    const fdinfo = `/proc/${child!.pid}/fdinfo`;
    const watches = readdirSync(fdinfo).reduce((n, fd) => {
      try {
        return n + (readFileSync(join(fdinfo, fd), 'utf8').match(/^inotify wd:/gm)?.length ?? 0);
      } catch {
        return n;
      }
    }, 0);
    expect(watches, run.output()).toBe(4);

    // A folder removed and made again is still watched: an edit inside it restarts the app.
    rmSync(join(root, 'src', 'lib'), { recursive: true });
    await until('the restart after a removed folder', () => starts(root) === 2);
    await sleep(200);
    mkdirSync(join(root, 'src', 'lib'));
    await until('the restart after the folder came back', () => starts(root) === 3);
    await sleep(200);
    writeFileSync(join(root, 'src', 'lib', 'util.js'), 'export {};\n');
    await until('the restart after an edit in it', () => starts(root) === 4);
    // Node's own writes below node_modules still restart nothing.
    writeFileSync(join(root, 'node_modules', 'a', 'lib', 'index.js'), 'export {};\n');
    await sleep(300);
    expect(starts(root), run.output()).toBe(4);
    child!.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('stops with the reason when the folder to watch is missing, rather than watching nothing', async () => {
    const root = join(makeTempDir('wpsn-restarter-'), 'missing');
    const [, ...args] = restarterCommand(['node', 'app.mjs'], { root, ignore: [] });
    child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child!.once('exit', (c) => resolve(c)));
    expect(code, output).toBe(1);
    expect(output).toMatch(/\[watch\] .*ENOENT.*missing/);
  });

  it('a crashed app waits for the next change, then starts again', async () => {
    const root = makeTempDir('wpsn-restarter-');
    writeFileSync(join(root, 'app.mjs'), APP);
    writeFileSync(join(root, 'crash'), '3');
    const run = startRestarter(root);
    await until('the crash report', () => /the app exited \(3\); it starts again on the next change/.test(run.output()));
    expect(starts(root)).toBe(1);
    writeFileSync(join(root, 'crash'), '');
    await until('the start after the fix', () => starts(root) === 2);
    await sleep(300);
    expect(child!.exitCode, run.output()).toBeNull();
    child!.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
