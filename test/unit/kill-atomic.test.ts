// Writes are atomic per file: the built bin's non-interactive run is killed with SIGKILL at
// 50 random points while it rewrites a project after an answer change (another project
// name, language, port, database, registries and deploy targets, so that nearly every file
// has an old and a new version, some are created and some removed). After each kill:
// - every file is its old or its new content (or absent, where it was being created or
//   removed), never cut short; secrets kept are untouched, secrets created are whole;
// - nothing else is there but the documented `.<pid>.<n>.wpsn-tmp` temporary files and
//   the run's lock (.wpsn-docker.lock);
// - .yo-rc.json is the old one, the new one, or the journal between them (the new answers,
//   the old hashes, and the new ones as `pending`), written before the first file;
// - the same command run again succeeds, removes the temporary files, and converges to
//   exactly what an uninterrupted run writes.
// The write loop is too fast to hit by chance: core/write.ts's test-only hook
// WPSN_TEST_WRITE_DELAY_MS pauses in the middle of every temporary file and before every
// rename, announcing each file on stderr; kill points are drawn over those announcements.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../core/lock.ts';
import { STAMP_FILE as RERUN_STAMP } from '../../core/observe.ts';
import { TEMP_FILE_RE } from '../../core/write.ts';
import { BIN, cleanEnv, ensureBuilt } from './helpers/cli.ts';

const KILLS = Number(process.env['WPSN_KILL_POINTS'] ?? '') || 50;
const SEED = Number(process.env['WPSN_KILL_SEED'] ?? '') || (Date.now() % 2 ** 31);
const DELAY_MS = 3;
const PASSWORD_RE = /^[A-Za-z0-9_-]{43}\n$/;

const OLD_ARGS = ['--yes', '--registry', 'dockerhub,ecr,gar', '--deploy', 'swarm,kubernetes', '--database', 'postgres'];
const NEW_ARGS = ['--yes', '--project-name', 'shop', '--lang', 'ko', '--port', '8080', '--registry', 'ecr,ghcr,registry', '--deploy', 'kubernetes,aca', '--database', 'mysql'];

/** mulberry32: the kill points are reproducible from the printed seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every file under root (relative path -> content). */
function files(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(root, path).split(sep).join('/'), readFileSync(path));
    }
  };
  walk(root);
  return out;
}

const isTemp = (path: string): boolean => TEMP_FILE_RE.test(path.split('/').pop()!);

type Obj = Record<string, any>;
const stateOf = (buffer: Buffer | undefined): Obj | undefined => (buffer ? (JSON.parse(buffer.toString('utf8')) as Obj)['generator-wpsn-docker'] : undefined);

/** Which .yo-rc.json a killed run left: the old one, the new one, or the journal between them. */
function yoRcStage(now: Buffer | undefined, old: Buffer, neu: Buffer): 'old' | 'journal' | 'new' | undefined {
  if (now?.equals(old)) return 'old';
  if (now?.equals(neu)) return 'new';
  const state = stateOf(now);
  const before = stateOf(old)!;
  const after = stateOf(neu)!;
  const journal =
    state !== undefined &&
    JSON.stringify(state['answers']) === JSON.stringify(after['answers']) &&
    JSON.stringify(state['generated']?.['files']) === JSON.stringify(before['generated']['files']) &&
    JSON.stringify(state['generated']?.['pending']) === JSON.stringify(after['generated']['files']);
  return journal ? 'journal' : undefined;
}

/**
 * What is wrong with a project after a killed run: each file must be its old content, its
 * new content, or absent where it had no old (or no new) version. Secrets created by the
 * new run are random: whole passwords, or absent. Temporary files are counted, not wrong.
 */
export function checkInterrupted(
  now: Map<string, Buffer>,
  old: Map<string, Buffer>,
  neu: Map<string, Buffer>,
): { problems: string[]; temps: number; newer: number; older: number } {
  const problems: string[] = [];
  let temps = 0;
  let newer = 0;
  let older = 0;
  for (const path of new Set([...old.keys(), ...neu.keys(), ...now.keys()])) {
    // Checked on its own (yoRcStage): it may also be the journal between the two.
    // The lock of the killed run: the next run takes it over (its process is gone).
    // The re-run stamp (bin/rerun-stamp.ts), written last and atomically: its content names the
    // digests of the random secrets, so it matches neither reference tree; test/unit/rerun-stamp.test.ts proves it.
    if (path === '.yo-rc.json' || path === LOCK_FILE || path === RERUN_STAMP) continue;
    if (isTemp(path)) {
      if (old.has(path) || neu.has(path)) problems.push(`${path}: a temporary file in a reference tree`);
      temps++;
      continue;
    }
    const current = now.get(path);
    const before = old.get(path);
    const after = neu.get(path);
    const createdSecret = path.startsWith('secrets/') && before === undefined && after !== undefined && path !== 'secrets/redis.acl';
    if (createdSecret) {
      if (current !== undefined && !PASSWORD_RE.test(current.toString('utf8'))) problems.push(`${path}: a created secret that is not a whole password (${current.length} bytes)`);
      continue;
    }
    if (current === undefined) {
      if (before !== undefined && after !== undefined) problems.push(`${path}: missing, but it has an old and a new version`);
      continue;
    }
    const isOld = before !== undefined && current.equals(before);
    const isNew = after !== undefined && current.equals(after);
    if (!isOld && !isNew) {
      const expected = [before && `old ${before.length} bytes`, after && `new ${after.length} bytes`].filter(Boolean).join(', ');
      problems.push(`${path}: neither its old nor its new content (${current.length} bytes; ${expected || 'no version at all'})`);
    }
    if (isNew && !isOld) newer++;
    if (isOld && !isNew) older++;
  }
  return { problems, temps, newer, older };
}

interface Killed {
  code: number | null;
  signal: NodeJS.Signals | null;
  announced: number;
  stderr: string;
}

/** Runs the bin with the write delay; kills it with SIGKILL after `after` announced writes plus `extraMs`. */
function runAndKill(cwd: string, args: readonly string[], after: number, extraMs: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: cleanEnv({ WPSN_TEST_WRITE_DELAY_MS: String(DELAY_MS) }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let announced = 0;
    let armed = false;
    const arm = () => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), extraMs);
    };
    if (after === 0) arm();
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      announced = (stderr.match(/^wpsn-test-write /gm) ?? []).length;
      if (announced >= after) arm();
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, announced, stderr });
    });
  });
}

/** The bin, awaited without blocking the event loop (the other kill points' timers keep running). */
function runCliAsync(cwd: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string; describe: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, describe: `exit ${code}\n${stdout}${stderr}` }));
  });
}

function runCliIn(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, describe: `exit ${r.status}\n${r.stdout}${r.stderr}` };
}

const work: string[] = [];
let oldDir = '';
let oldTree = new Map<string, Buffer>();
let newTree = new Map<string, Buffer>();
let writesPerRun = 0;

beforeAll(() => {
  ensureBuilt();
  const parent = mkdtempSync(join(tmpdir(), 'wpsn-kill-'));
  work.push(parent);
  oldDir = join(parent, 'old');
  const r = spawnSync(process.execPath, [BIN, oldDir, ...OLD_ARGS], { env: cleanEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generating the old project failed: ${r.stderr}`);
  oldTree = files(oldDir);
  // The uninterrupted run, with the delay (to count its writes).
  const reference = join(parent, 'reference');
  cpSync(oldDir, reference, { recursive: true });
  const done = runCliIn(reference, NEW_ARGS, { WPSN_TEST_WRITE_DELAY_MS: String(DELAY_MS) });
  if (done.code !== 0) throw new Error(`the uninterrupted run failed: ${done.describe}`);
  writesPerRun = (done.stderr.match(/^wpsn-test-write /gm) ?? []).length;
  newTree = files(reference);
});

afterAll(() => {
  for (const dir of work.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('atomic writes: SIGKILL at random points while the bin writes', () => {
  it('the change touches nearly every file: updates, creations and removals', () => {
    const changed = [...newTree.keys()].filter((p) => oldTree.has(p) && !oldTree.get(p)!.equals(newTree.get(p)!));
    const created = [...newTree.keys()].filter((p) => !oldTree.has(p));
    const removed = [...oldTree.keys()].filter((p) => !newTree.has(p));
    console.info(`kill test: ${oldTree.size} old files, ${newTree.size} new: ${changed.length} changed, ${created.length} created, ${removed.length} removed; ${writesPerRun} announced writes per run`);
    expect(changed.length).toBeGreaterThanOrEqual(15);
    expect(created.length).toBeGreaterThanOrEqual(3);
    expect(removed.length).toBeGreaterThanOrEqual(3);
    // Every changed, created or removed file once, and .yo-rc.json twice (the journal first).
    expect(changed).toContain('.yo-rc.json');
    expect(writesPerRun).toBe(changed.length + created.length + removed.length + 1);
    // The secrets the old run made are kept, byte for byte.
    for (const path of [...oldTree.keys()].filter((p) => p.startsWith('secrets/'))) expect(newTree.get(path)?.equals(oldTree.get(path)!), path).toBe(true);
  });

  it('the checker catches a cut file, a foreign file and a lost one (it can fail)', () => {
    const path = 'docker-compose.yml';
    const cut = new Map(oldTree);
    cut.set(path, newTree.get(path)!.subarray(0, 100));
    expect(checkInterrupted(cut, oldTree, newTree).problems.join('\n')).toContain(`${path}: neither its old nor its new content`);
    const foreign = new Map(oldTree);
    foreign.set('stray.txt', Buffer.from('x'));
    expect(checkInterrupted(foreign, oldTree, newTree).problems.join('\n')).toContain('stray.txt');
    const lost = new Map(oldTree);
    lost.delete('Dockerfile');
    expect(checkInterrupted(lost, oldTree, newTree).problems.join('\n')).toContain('Dockerfile: missing');
    expect(checkInterrupted(oldTree, oldTree, newTree).problems).toEqual([]);
    expect(checkInterrupted(newTree, oldTree, newTree).problems).toEqual([]);
  });

  it(`${KILLS} random kill points: old or new, never cut; the same command then converges`, async () => {
    const rand = random(SEED);
    console.info(`kill test: ${KILLS} kill points, seed ${SEED} (re-run with WPSN_KILL_SEED=${SEED})`);
    const points = Array.from({ length: KILLS }, () => ({ after: Math.floor(rand() * (writesPerRun + 1)), extraMs: Math.floor(rand() * DELAY_MS * 3) }));
    const outcomes: Array<{ after: number; announced: number; killed: boolean; temps: number; newer: number; older: number; yoRc: 'old' | 'journal' | 'new' }> = [];
    const one = async (point: { after: number; extraMs: number }, i: number) => {
      const dir = mkdtempSync(join(tmpdir(), `wpsn-kill-${i}-`));
      work.push(dir);
      cpSync(oldDir, dir, { recursive: true });
      const killed = await runAndKill(dir, NEW_ARGS, point.after, point.extraMs);
      const now = files(dir);
      const check = checkInterrupted(now, oldTree, newTree);
      const where = `kill point ${i} (after ${point.after} writes + ${point.extraMs} ms; ${killed.announced} announced; ${killed.signal ?? `exit ${killed.code}`})`;
      expect(check.problems, where).toEqual([]);
      const yoRcState = yoRcStage(now.get('.yo-rc.json'), oldTree.get('.yo-rc.json')!, newTree.get('.yo-rc.json')!);
      expect(yoRcState, `${where}: .yo-rc.json is neither the old one, the new one nor the journal between them`).toBeDefined();
      // The same command again: succeeds, cleans up, and writes what an uninterrupted run writes.
      const again = await runCliAsync(dir, NEW_ARGS);
      expect(again.code, `${where}: the next run: ${again.describe}`).toBe(0);
      if (check.temps > 0) expect(again.stdout, `${where}: the next run reports the temporary files it removed`).toMatch(/^\s+clean \S*\.wpsn-tmp \(left by an interrupted run\)$/m);
      const final = files(dir);
      // Against the new tree, the new run's random secrets aside (their old version is "none").
      const converged = checkInterrupted(final, new Map([...newTree].filter(([p]) => oldTree.has(p) || !p.startsWith('secrets/'))), newTree);
      expect(converged.problems, `${where}: after the next run`).toEqual([]);
      expect(converged.temps, `${where}: temporary files left after the next run`).toBe(0);
      expect(final.has(LOCK_FILE), `${where}: the lock is gone after the next run`).toBe(false);
      expect(final.get('.yo-rc.json')?.equals(newTree.get('.yo-rc.json')!), `${where}: .yo-rc.json after the next run`).toBe(true);
      expect([...final.keys()].sort(), `${where}: the files after the next run`).toEqual([...newTree.keys()].sort());
      // And (every fifth point, for time) a third run has nothing left to do.
      if (i % 5 === 0) {
        const third = await runCliAsync(dir, NEW_ARGS);
        expect(third.stdout, `${where}: a third run`).toContain('up to date: nothing changed');
      }
      outcomes.push({ after: point.after, announced: killed.announced, killed: killed.signal === 'SIGKILL', temps: check.temps, newer: check.newer, older: check.older, yoRc: yoRcState! });
      rmSync(dir, { recursive: true, force: true });
    };
    // Three at a time: the kills are timed on stderr, not on the clock, so load does not move them.
    const queue = points.map((p, i) => [p, i] as const);
    const workers = Array.from({ length: 3 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await one(next[0], next[1]);
    });
    await Promise.all(workers);

    const killed = outcomes.filter((o) => o.killed).length;
    const mixed = outcomes.filter((o) => o.newer > 0 && o.older > 0).length;
    const withTemps = outcomes.filter((o) => o.temps > 0).length;
    console.info(
      `kill test: ${outcomes.length} kill points, ${killed} runs killed by SIGKILL (the rest had finished), ${mixed} left a mix of old and new files, ` +
        `${withTemps} left temporary files, .yo-rc.json old ${outcomes.filter((o) => o.yoRc === 'old').length} / journal ${outcomes.filter((o) => o.yoRc === 'journal').length} / new ${outcomes.filter((o) => o.yoRc === 'new').length}; nothing lost`,
    );
    expect(outcomes).toHaveLength(KILLS);
    // The kill points really fell while the run wrote.
    expect(killed).toBeGreaterThanOrEqual(Math.floor(KILLS * 0.8));
    expect(mixed).toBeGreaterThanOrEqual(Math.floor(KILLS / 5));
    expect(withTemps).toBeGreaterThanOrEqual(Math.floor(KILLS / 5));
    expect(outcomes.filter((o) => o.yoRc === 'journal').length, 'kills between the journal and the final .yo-rc.json').toBeGreaterThanOrEqual(Math.floor(KILLS / 5));
  }, 300_000);

  it('a stale temporary file of a dead process is removed by the next run; a user file of a similar name is not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wpsn-kill-stale-'));
    work.push(dir);
    cpSync(oldDir, dir, { recursive: true });
    // pid 2^22 + 1 is above Linux's pid_max ceiling: no such process.
    writeFileSync(join(dir, `.${2 ** 22 + 1}.0.wpsn-tmp`), 'half a Dockerf');
    writeFileSync(join(dir, 'scripts', `.${2 ** 22 + 1}.3.wpsn-tmp`), 'half a script');
    writeFileSync(join(dir, 'notes.wpsn-tmp'), 'mine\n');
    writeFileSync(join(dir, `.${process.pid}.0.wpsn-tmp`), 'a live process owns this one\n');
    const r = runCliIn(dir, ['--yes']);
    expect(r.code, r.describe).toBe(0);
    expect(r.stdout).toContain(`clean .${2 ** 22 + 1}.0.wpsn-tmp (left by an interrupted run)`);
    expect(r.stdout).toContain(`clean scripts/.${2 ** 22 + 1}.3.wpsn-tmp (left by an interrupted run)`);
    expect(existsSync(join(dir, `.${2 ** 22 + 1}.0.wpsn-tmp`))).toBe(false);
    expect(existsSync(join(dir, 'scripts', `.${2 ** 22 + 1}.3.wpsn-tmp`))).toBe(false);
    expect(readFileSync(join(dir, 'notes.wpsn-tmp'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, `.${process.pid}.0.wpsn-tmp`)), 'a temporary file of a running process stays').toBe(true);
    // --dry-run removes nothing either.
    writeFileSync(join(dir, `.${2 ** 22 + 1}.1.wpsn-tmp`), 'x');
    const dry = runCliIn(dir, ['--yes', '--dry-run']);
    expect(dry.code, dry.describe).toBe(0);
    expect(existsSync(join(dir, `.${2 ** 22 + 1}.1.wpsn-tmp`))).toBe(true);
  });
});
