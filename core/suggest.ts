// "Did you mean ...?": the known word closest to a mistyped one (a command, a flag, an
// answers-file key). Pure, no imports: the bin, the spec and the generators use it.

/**
 * The optimal string alignment distance (Damerau-Levenshtein without reusing a substring):
 * insertions, deletions, substitutions and swaps of two neighbouring characters count 1.
 * "verfiy" -> "verify" is 1 (one swap), "databse" -> "database" is 1 (one insertion).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j]!;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate a mistyped word most likely meant: the closest one at a distance of at
 * most 2 (at most 1 for words of 3 characters or fewer, where 2 edits make anything of
 * anything), compared without regard to case. Undefined when none is that close, or when
 * two candidates are equally close (a guess between them would mislead).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const typed = word.toLowerCase();
  const limit = typed.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance > limit || distance > bestDistance) continue;
    if (distance === bestDistance) {
      if (candidate !== best) tie = true;
      continue;
    }
    best = candidate;
    bestDistance = distance;
    tie = false;
  }
  return tie ? undefined : best;
}
