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

/** Merges base -> mine and base -> theirs. Changes that touch or overlap the same lines are conflicts. */
export function threeWayMerge(base: string, mine: string, theirs: string): MergeOutcome {
  if (mine === base || mine === theirs) return { clean: true, content: theirs };
  if (theirs === base) return { clean: true, content: mine };
  const regions = loadDiff3().diff3Merge(linesOf(mine), linesOf(base), linesOf(theirs), { excludeFalseConflicts: true });
  const out: string[] = [];
  const markers: string[] = [];
  const hunks: ConflictHunk[] = [];
  for (const region of regions) {
    if (region.ok) {
      out.push(...region.ok);
      markers.push(...region.ok);
    } else if (region.conflict) {
      const c = region.conflict;
      hunks.push({
        mine: { start: c.aIndex + 1, length: c.a.length },
        base: { start: c.oIndex + 1, length: c.o.length },
        theirs: { start: c.bIndex + 1, length: c.b.length },
      });
      markers.push(MARKERS.mine, ...c.a, MARKERS.base, ...c.o, MARKERS.split, ...c.b, MARKERS.theirs);
    }
  }
  if (hunks.length === 0) return { clean: true, content: out.join('\n') };
  return { clean: false, hunks, markers: markers.join('\n') };
}

const range = ({ start, length }: { start: number; length: number }): string =>
  length === 0 ? `none (before line ${start})` : length === 1 ? `line ${start}` : `lines ${start}-${start + length - 1}`;

/** One line per hunk, as the exit-3 message and the dry run list them. */
export function describeHunks(path: string, hunks: readonly ConflictHunk[]): string[] {
  return hunks.map(
    (h, i) => `${printable(path)} hunk ${i + 1}/${hunks.length}: yours ${range(h.mine)}, generated before ${range(h.base)}, generated now ${range(h.theirs)}`,
  );
}
