// Errors the user can act on: each problem names the field (and the flag or file it
// came from), the value and the rule. All problems are collected and reported together.

export interface Problem {
  /** Key path as written in an answers file, such as `app.hostPort`. */
  field: string;
  /** Where the value came from: `--host-port`, `answers.yaml`, `.yo-rc.json`, ... */
  source?: string;
  value?: unknown;
  rule: string;
}

/** Invalid input or usage: exit code 2, nothing written. */
export class InputError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(formatProblems(problems));
    this.name = 'InputError';
    this.problems = problems;
  }
}

/** Edited files, or files this tool did not write, in a non-interactive run without --force: exit code 3. */
export class ConflictError extends Error {
  readonly files: string[];
  /**
   * `hunks`: for an edited file with a merge base, one line per place where the user's
   * edits and the new version change the same lines (core/merge.ts describeHunks).
   */
  constructor(files: string[], foreign: readonly string[] = [], hunks: Readonly<Record<string, readonly string[]>> = {}) {
    const edited = files.filter((f) => !foreign.includes(f));
    const own = foreign.filter((f) => files.includes(f));
    const parts: string[] = [];
    if (own.length) {
      parts.push(
        `these files are already here and were not written by wpsn-docker:\n` +
          own.map((f) => `  - ${printable(f)}`).join('\n') +
          `\nThey are left as they are. To use the generated ones, move yours aside first (git mv Dockerfile Dockerfile.mine), ` +
          `re-run interactively to compare each file and choose, or pass --force to replace them (your version stays in git).`,
      );
    }
    if (edited.length) {
      parts.push(
        `these generated files were edited since they were generated, and the new version changes the same lines (or there is no record of what was generated to merge with), so they were left as they are:\n` +
          edited.map((f) => `  - ${printable(f)}${(hunks[f] ?? []).map((h) => `\n      ${h}`).join('')}`).join('\n') +
          `\nRe-run interactively to decide per file (keep yours, take the new version, or write it with conflict markers to resolve by hand), or pass --force to take the new versions.`,
      );
    }
    super(`${parts.join('\n')}\nNothing was written.`);
    this.name = 'ConflictError';
    this.files = files;
  }
}

/**
 * Text safe to print on a terminal: control characters (C0, DEL, C1, among them ESC, which
 * starts terminal escape sequences) and bidirectional overrides (which reorder what is shown)
 * are written as \u escapes. Keys and paths from a cloned .yo-rc.json or an answers file
 * reach messages through this.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  const shown = printable(text);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

export function formatProblems(problems: Problem[]): string {
  const head = problems.length === 1 ? 'invalid input (1 problem)' : `invalid input (${problems.length} problems)`;
  const lines = problems.map((p) => {
    const where = p.source ? ` (${printable(p.source)})` : '';
    const value = 'value' in p ? ` = ${showValue(p.value)}` : '';
    return `  - ${printable(p.field)}${where}${value}: ${p.rule}`;
  });
  return `${head}; nothing was written:\n${lines.join('\n')}`;
}

/** A run that cannot go on for a reason outside the input (another run holds the project): exit 1, message only. */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}
