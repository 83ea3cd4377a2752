// Whole-process measurements: wall time and peak resident memory of a command, and A/B
// comparisons that alternate the two commands (A B A B ...) so that machine drift, which
// other work on a shared machine causes, falls on both sides alike.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Series {
  /** Wall time of each timed run (spawned directly), ms. */
  wallMs: number[];
  /**
   * Peak resident set size of each memory run (separate runs, through GNU time or a
   * preload, which would add their own start-up to a timed run), KiB.
   */
  peakKiB: number[];
}

export interface Command {
  label: string;
  /** argv[0] is the program (an absolute path or a name on PATH). */
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** A fresh working directory for each run (made writable by everyone: yo runs as uid 1000). */
  freshCwd?: boolean;
  /** Puts what the command starts from into its working directory, before the clock starts. */
  prepare?: (cwd: string) => void;
  /** Fails the benchmark if a run did not do its work (yo can exit 0 after failing to write). */
  check?: (cwd: string, result: SpawnSyncReturns<string>) => string | undefined;
}

export interface Comparison {
  a: Series;
  b: Series;
}

const GNU_TIME = '/usr/bin/time';
const PEAK_PRELOAD = new URL('./peak-rss.cjs', import.meta.url).pathname;

/**
 * How peak memory is read: GNU time (Debian's `time` package) reports the rusage of the
 * child it waited for; without it, a preloaded module in the (Node) child reports its own
 * process.resourceUsage().maxRSS when it exits. Both are ru_maxrss, in KiB.
 */
export const PEAK_METHOD = existsSync(GNU_TIME) ? 'gnu-time' : 'preload';

export function describePeakMethod(): string {
  return PEAK_METHOD === 'gnu-time'
    ? 'peak RSS: ru_maxrss from GNU time (/usr/bin/time -f %M)'
    : 'peak RSS: ru_maxrss reported by the Node process itself (a --require preload; /usr/bin/time is absent)';
}

/**
 * Runs a command once in a fresh directory (when asked): timed from spawn to exit when
 * `peak` is false; otherwise through GNU time (or the preload) for its peak memory.
 */
export function runOnce(command: Command, scratch: string, peak: boolean): number {
  const cwd = command.freshCwd ? mkdtempSync(join(scratch, 'run-')) : scratch;
  if (command.freshCwd) chmodSync(cwd, 0o777);
  command.prepare?.(cwd);
  const peakFile = join(scratch, `peak-${process.pid}.txt`);
  let argv = command.argv;
  let env: NodeJS.ProcessEnv = { ...process.env, ...command.env };
  if (peak) {
    writeFileSync(peakFile, '');
    chmodSync(peakFile, 0o666);
    if (PEAK_METHOD === 'gnu-time') argv = [GNU_TIME, '-f', '%M', '-o', peakFile, ...command.argv];
    else env = { ...env, WPSN_BENCH_PEAK_FILE: peakFile, NODE_OPTIONS: `${env['NODE_OPTIONS'] ?? ''} --require=${PEAK_PRELOAD}`.trim() };
  }
  const start = performance.now();
  const result = spawnSync(argv[0]!, argv.slice(1), { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  const wallMs = performance.now() - start;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command.label} exited ${result.status ?? result.signal}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`);
  }
  const problem = command.check?.(cwd, result);
  if (problem) throw new Error(`${command.label}: ${problem}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`);
  if (command.freshCwd) rmSync(cwd, { recursive: true, force: true });
  if (!peak) return wallMs;
  // The largest reading: with the preload, a Node child of the command reports too.
  const peakKiB = Math.max(...readFileSync(peakFile, 'utf8').split('\n').filter(Boolean).map((line) => Number.parseInt(line, 10)));
  if (!Number.isFinite(peakKiB)) throw new Error(`${command.label}: no peak memory reading (${PEAK_METHOD})`);
  return peakKiB;
}

/**
 * A B A B ...: `warmup` discarded pairs, then `runs` timed pairs, then `memoryRuns` pairs
 * for peak memory (separate, so the memory probe's own start-up never lands in a time).
 */
export function alternate(a: Command, b: Command, runs: number, warmup: number, memoryRuns: number, scratch: string): Comparison {
  for (let i = 0; i < warmup; i++) {
    runOnce(a, scratch, false);
    runOnce(b, scratch, false);
  }
  const out: Comparison = { a: { wallMs: [], peakKiB: [] }, b: { wallMs: [], peakKiB: [] } };
  for (let i = 0; i < runs; i++) {
    out.a.wallMs.push(runOnce(a, scratch, false));
    out.b.wallMs.push(runOnce(b, scratch, false));
  }
  for (let i = 0; i < memoryRuns; i++) {
    out.a.peakKiB.push(runOnce(a, scratch, true));
    out.b.peakKiB.push(runOnce(b, scratch, true));
  }
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const mib = (kib: number): number => kib / 1024;

/** Wall and peak medians of a series. */
export function summary(series: Series): { wallMs: number; peakMiB: number } {
  return { wallMs: median(series.wallMs), peakMiB: mib(median(series.peakKiB)) };
}
