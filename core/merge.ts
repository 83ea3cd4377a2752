// Three-way merge of a generated file the user edited: the content generated last time
// (the merge base, recorded in .yo-rc.json, core/state.ts), the user's version on disk, and
// what this run generates. Line by line with node-diff3 (a maintained diff3, typed), not a
// merge of our own. Pure: no file is read or written here.
import { createRequire } from 'node:module';
import { printable } from './errors.ts';

type Diff3 = typeof import('node-diff3');
let diff3: Diff3 | undefined;
/** node-diff3, loaded the first time a file needs merging: a run without edited files never loads it. */
function loadDiff3(): Diff3 {
  diff3 ??= createRequire(import.meta.url)('node-diff3') as Diff3;
  return diff3;
}

/** One place where the user's edit and the new version change the same lines (1-based, inclusive ranges; length 0: an insertion before `start`). */
export interface ConflictHunk {
  mine: { start: number; length: number };
  base: { start: number; length: number };
  theirs: { start: number; length: number };
}

export type MergeOutcome =
  | { clean: true; content: string }
  | {
      clean: false;
      hunks: ConflictHunk[];
      /** The file with each overlapping hunk between conflict markers (as `git merge` writes them, diff3 style). */
      markers: string;
    };

export const MARKERS = {
  mine: '<<<<<<< yours',
  base: '||||||| generated before',
  split: '=======',
  theirs: '>>>>>>> generated now',
} as const;

/**
 * Lines of a text, the final newline kept as a last empty line: join('\n') gives the text
 * back exactly, whether or not it ended with a newline.
 */
export const linesOf = (text: string): string[] => text.split('\n');

/**
 * The most work a merge may take, as matching line pairs times the shorter side (node-diff3's
 * LCS, Hunt and McIlroy, scans its candidates for each matching pair; about 1.7 ms a million
 * here): the README.Docker.md of a project with every target (850 lines, many of them blank
 * or fences) edited at its end, merged with a new host port, costs 23 million (80 ms for
 * both sides); 2,000 identical lines (a planted .yo-rc.json base) would cost billions,
 * seconds of CPU. Above the limit the file is not merged: it is a conflict, as an edited
 * file without a base.
 */
export const MERGE_WORK_LIMIT = 200_000_000;

/** Matching line pairs between a and b, times the shorter length: an upper bound of the LCS's work. */
function lcsWork(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const line of b) counts.set(line, (counts.get(line) ?? 0) + 1);
  let pairs = 0;
  for (const line of a) pairs += counts.get(line) ?? 0;
  return pairs * Math.min(a.length, b.length);
}

/**
 * Merges base -> mine and base -> theirs. Changes that touch or overlap the same lines are
 * conflicts. Undefined when the merge would take more than MERGE_WORK_LIMIT.
 */
export function threeWayMerge(base: string, mine: string, theirs: string): MergeOutcome | undefined {
  if (mine === base || mine === theirs) return { clean: true, content: theirs };
  if (theirs === base) return { clean: true, content: mine };
  const [a, o, b] = [linesOf(mine), linesOf(base), linesOf(theirs)];
  // Lines the three share at the start and at the end are stable: only the middles are merged.
  let head = 0;
  while (head < a.length && head < o.length && head < b.length && a[head] === o[head] && o[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < o.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === o[o.length - 1 - tail] &&
    o[o.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const middle = (lines: string[]) => lines.slice(head, lines.length - tail);
  const [ma, mo, mb] = [middle(a), middle(o), middle(b)];
  if (lcsWork(mo, ma) > MERGE_WORK_LIMIT || lcsWork(mo, mb) > MERGE_WORK_LIMIT) return undefined;
  const regions = loadDiff3().diff3Merge(ma, mo, mb, { excludeFalseConflicts: true });
  const out: string[] = a.slice(0, head);
  const markers: string[] = a.slice(0, head);
  const hunks: ConflictHunk[] = [];
  for (const region of regions) {
    if (region.ok) {
      out.push(...region.ok);
      markers.push(...region.ok);
    } else if (region.conflict) {
      const c = region.conflict;
      hunks.push({
        mine: { start: head + c.aIndex + 1, length: c.a.length },
        base: { start: head + c.oIndex + 1, length: c.o.length },
        theirs: { start: head + c.bIndex + 1, length: c.b.length },
      });
      markers.push(MARKERS.mine, ...c.a, MARKERS.base, ...c.o, MARKERS.split, ...c.b, MARKERS.theirs);
    }
  }
  const end = a.slice(a.length - tail);
  if (hunks.length === 0) return { clean: true, content: [...out, ...end].join('\n') };
  return { clean: false, hunks, markers: [...markers, ...end].join('\n') };
}

const range = ({ start, length }: { start: number; length: number }): string =>
  length === 0 ? `none (before line ${start})` : length === 1 ? `line ${start}` : `lines ${start}-${start + length - 1}`;

/** One line per hunk, as the exit-3 message and the dry run list them. */
export function describeHunks(path: string, hunks: readonly ConflictHunk[]): string[] {
  return hunks.map(
    (h, i) => `${printable(path)} hunk ${i + 1}/${hunks.length}: yours ${range(h.mine)}, generated before ${range(h.base)}, generated now ${range(h.theirs)}`,
  );
}
