// Shared bits of the benchmark: where the repository is, progress lines, goal rows.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const started = performance.now();

/** Progress on stderr (the table goes to stdout). */
export function log(message: string): void {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
}

export interface GoalRow {
  part: string;
  what: string;
  goal: string;
  value: string;
  met: boolean;
}

export function goalTable(rows: readonly GoalRow[]): string {
  return [
    '| part | measure | goal | measured | met |',
    '| --- | --- | --- | ---: | :---: |',
    ...rows.map((r) => `| ${r.part} | ${r.what} | ${r.goal} | ${r.value} | ${r.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}
