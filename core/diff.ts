// Unified line diffs for --dry-run: what a run would change, file by file, without
// writing anything. A small Myers diff (O((N+M)·D)), no dependency: the bin stays fast.
import { printable } from './errors.ts';
import { describeHunks, type ConflictHunk } from './merge.ts';

export interface DiffOptions {
  /** Lines of context around each change (default 3, as `diff -u`). */
  context?: number;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Splits text into lines, keeping whether the last one ended with a newline. */
function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === '') return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith('\n');
  const lines = (finalNewline ? text.slice(0, -1) : text).split('\n');
  return { lines, finalNewline };
}

/** The shortest edit script from a to b (Myers 1986), as a list of kept, removed and added lines. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  // Common prefix and suffix first: most regenerated files differ in a few lines.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const A = a.slice(start, endA);
  const B = b.slice(start, endB);
  const n = A.length;
  const m = B.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = n === 0 && m === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m).
  const middle: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      middle.push({ kind: ' ', line: A[x - 1]! });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) middle.push({ kind: '+', line: B[y - 1]! });
      else middle.push({ kind: '-', line: A[x - 1]! });
      x = prevX;
      y = prevY;
    }
  }
  middle.reverse();
  return [
    ...a.slice(0, start).map((line) => ({ kind: ' ' as const, line })),
    ...middle,
    ...a.slice(endA).map((line) => ({ kind: ' ' as const, line })),
  ];
}

/**
 * A unified diff of one file (`diff -u` style), or '' when nothing changed. `before`
 * undefined: the file is created; `after` undefined: it is removed.
 */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined, options: DiffOptions = {}): string {
  if (before === after) return '';
  const context = options.context ?? 3;
  const old = splitLines(before ?? '');
  const neu = splitLines(after ?? '');
  const ops = diffLines(old.lines, neu.lines);
  // A kept line that ends one side without a newline but not the other (a change in the
  // final newline) shows as removed and added, as `diff -u` does.
  {
    let ia = -1;
    let ib = -1;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      if (op.kind !== '+') ia++;
      if (op.kind !== '-') ib++;
      if (op.kind !== ' ') continue;
      const bareA = ia === old.lines.length - 1 && !old.finalNewline;
      const bareB = ib === neu.lines.length - 1 && !neu.finalNewline;
      if (bareA !== bareB) {
        ops.splice(i, 1, { kind: '-', line: op.line }, { kind: '+', line: op.line });
        i++;
      }
    }
  }
  const header = [before === undefined ? '--- /dev/null' : `--- a/${path}`, after === undefined ? '+++ /dev/null' : `+++ b/${path}`];
  const hunks: string[] = [];
  // Positions of each op in the old and new files (1-based line numbers).
  const posA: number[] = [];
  const posB: number[] = [];
  let la = 0;
  let lb = 0;
  for (const op of ops) {
    posA.push(la);
    posB.push(lb);
    if (op.kind !== '+') la++;
    if (op.kind !== '-') lb++;
  }
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let h = 0;
  while (h < changed.length) {
    const first = changed[h]!;
    let last = first;
    while (h + 1 < changed.length && changed[h + 1]! - last <= 2 * context + 1) last = changed[++h]!;
    h++;
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    const slice = ops.slice(from, to + 1);
    const countA = slice.filter((op) => op.kind !== '+').length;
    const countB = slice.filter((op) => op.kind !== '-').length;
    const startA = countA === 0 ? posA[from]! : posA[from]! + 1;
    const startB = countB === 0 ? posB[from]! : posB[from]! + 1;
    const lines = [`@@ -${startA},${countA} +${startB},${countB} @@`];
    slice.forEach((op, j) => {
      lines.push(`${op.kind}${op.line}`);
      const index = from + j;
      // "\ No newline at end of file" after the last line of a side that lacks one.
      const isLastA = op.kind !== '+' && posA[index] === old.lines.length - 1 && !old.finalNewline;
      const isLastB = op.kind !== '-' && posB[index] === neu.lines.length - 1 && !neu.finalNewline;
      if ((op.kind === '-' && isLastA) || (op.kind === '+' && isLastB) || (op.kind === ' ' && (isLastA || isLastB))) {
        lines.push('\\ No newline at end of file');
      }
    });
    hunks.push(lines.join('\n'));
  }
  return `${[...header, ...hunks].join('\n')}\n`;
}

/** Applies a unified diff made by unifiedDiff to `before` (for tests: the diff says exactly what changes). */
export function applyUnifiedDiff(before: string | undefined, diff: string): string | undefined {
  const lines = diff.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines[1] === '+++ /dev/null') return undefined;
  const old = splitLines(before ?? '');
  const out: string[] = [];
  let cursor = 0;
  let newLacksNewline = false;
  for (let i = 2; i < lines.length; i++) {
    const hunk = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[i]!);
    if (!hunk) throw new Error(`not a hunk header: ${lines[i]}`);
    const startA = Number(hunk[2]) === 0 ? Number(hunk[1]) : Number(hunk[1]) - 1;
    while (cursor < startA) out.push(old.lines[cursor++]!);
    for (i++; i < lines.length && !lines[i]!.startsWith('@@ '); i++) {
      const line = lines[i]!;
      const kind = line[0];
      const text = line.slice(1);
      if (line === '\\ No newline at end of file') {
        const prev = lines[i - 1]![0];
        if (prev === '+' || prev === ' ') newLacksNewline = true;
      } else if (kind === ' ') {
        if (old.lines[cursor] !== text) throw new Error(`context mismatch at old line ${cursor + 1}`);
        out.push(text);
        cursor++;
      } else if (kind === '-') {
        if (old.lines[cursor] !== text) throw new Error(`removed line mismatch at old line ${cursor + 1}`);
        cursor++;
      } else if (kind === '+') {
        out.push(text);
      } else {
        throw new Error(`not a diff line: ${line}`);
      }
    }
    i--;
  }
  // The old file's tail, unchanged, keeps its own final newline (or lack of one).
  const tailUnchanged = cursor < old.lines.length;
  while (cursor < old.lines.length) out.push(old.lines[cursor++]!);
  if (out.length === 0) return '';
  const finalNewline = tailUnchanged ? old.finalNewline : !newLacksNewline;
  return `${out.join('\n')}${finalNewline ? '\n' : ''}`;
}

/** What a plan entry looks like to the dry-run report (core/plan.ts PlanEntry). */
export interface DryRunEntry {
  path: string;
  action: 'create' | 'update' | 'unchanged' | 'merge' | 'conflict' | 'keep' | 'remove' | 'keep-removed';
  kind: string;
  content?: string;
  note?: string;
  /** An edited file's new version (core/plan.ts PlanEntry.generated): what --force writes. */
  generated?: string;
  overlap?: { hunks: readonly ConflictHunk[] };
}

export interface DryRunReport {
  /** The diffs and notes, file by file, then one summary line. */
  text: string;
  counts: { create: number; update: number; merge: number; remove: number; conflict: number; keep: number };
}

/**
 * --dry-run: a unified diff per file the run would change (secrets only named, never
 * shown), a note per file it would keep or stop at, and a summary line. `read` gives a
 * file's current text. Writes nothing.
 */
export function dryRunReport(
  entries: readonly DryRunEntry[],
  yoRc: { content: string; changed: boolean },
  read: (path: string) => string | undefined,
  options: { force?: boolean; modeFixes?: readonly { path: string; from: number; to: number }[] } = {},
): DryRunReport {
  const parts: string[] = [];
  const fixes = options.modeFixes ?? [];
  for (const fix of fixes) parts.push(`# ${fix.path}: mode 0${fix.from.toString(8)} would be put back to 0${fix.to.toString(8)}\n`);
  const counts = { create: 0, update: 0, merge: 0, remove: 0, conflict: 0, keep: 0 };
  for (const e of entries) {
    const secret = e.kind === 'secret';
    // --force takes the new version of every edited file: a merge, or an edited file with nothing new, too.
    const forced = options.force === true && e.generated !== undefined && (e.action === 'merge' || (e.action === 'keep' && e.kind !== 'starter'));
    if (forced) {
      counts.update++;
      parts.push(`# ${printable(e.path)}: edited since it was generated; --force overwrites it with:`);
      parts.push(unifiedDiff(e.path, read(e.path), e.generated ?? ''));
    } else if (e.action === 'merge') {
      counts.merge++;
      parts.push(`# ${printable(e.path)}: edited since it was generated; the new version merges with your edits (both kept):`);
      parts.push(unifiedDiff(e.path, read(e.path), e.content ?? ''));
    } else if (e.action === 'create' || e.action === 'update' || e.action === 'conflict') {
      const before = read(e.path);
      if (e.action === 'conflict') {
        counts.conflict++;
        const hunks = e.overlap ? describeHunks(e.path, e.overlap.hunks).map((line) => `#   ${line}`) : [];
        const where = e.overlap ? ', where the new version changes the same lines' : '';
        parts.push(
          options.force
            ? `# ${printable(e.path)}: edited since it was generated${where}; --force overwrites it with:`
            : `# ${printable(e.path)}: edited since it was generated${where}: a --yes run stops here (exit 3) and writes nothing, unless --force, which would write:`,
          ...hunks,
        );
      } else counts[e.action]++;
      if (secret) {
        parts.push(`${before === undefined ? '--- /dev/null' : `--- a/${e.path}`}\n+++ b/${e.path}\n(secret, ${before === undefined ? 'created' : 'updated'})\n`);
      } else {
        parts.push(unifiedDiff(e.path, before, e.content ?? ''));
      }
    } else if (e.action === 'remove') {
      counts.remove++;
      parts.push(secret ? `--- a/${e.path}\n+++ /dev/null\n(secret, removed)\n` : unifiedDiff(e.path, read(e.path), undefined));
    } else if (e.action === 'keep-removed') {
      counts.keep++;
      parts.push(`# ${printable(e.path)}: ${e.note ?? 'no longer generated, but edited by you'}: kept\n`);
    } else if (e.action === 'keep' && !secret) {
      counts.keep++;
      parts.push(`# ${printable(e.path)}: your edited version is kept${e.note && e.kind !== 'starter' ? ` (${e.note})` : ''}\n`);
    }
  }
  if (yoRc.changed) parts.push(unifiedDiff('.yo-rc.json', read('.yo-rc.json'), yoRc.content));
  const changes = counts.create + counts.update + counts.merge + counts.remove + counts.conflict + (yoRc.changed ? 1 : 0) + fixes.length;
  const summary =
    changes === 0
      ? 'dry run: up to date, nothing would change; nothing was written'
      : `dry run: ${counts.create} to create, ${counts.update} to update,${counts.merge ? ` ${counts.merge} to merge with your edits,` : ''} ${counts.remove} to remove, ${counts.conflict} edited by you (conflicts)${fixes.length ? `, ${fixes.length} mode${fixes.length > 1 ? 's' : ''} to put back` : ''}${yoRc.changed ? ', .yo-rc.json to update' : ''}; nothing was written`;
  const body = parts.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('');
  return { text: `${body}${summary}\n`, counts };
}
