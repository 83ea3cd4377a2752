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

/** Edited files in a non-interactive run without --force: exit code 3. */
export class ConflictError extends Error {
  readonly files: string[];
  constructor(files: string[]) {
    super(
      `these generated files were edited since they were generated, and were left as they are:\n` +
        files.map((f) => `  - ${f}`).join('\n') +
        `\nnothing was written. Keep your edits and re-run interactively to merge them, or pass --force to overwrite them.`,
    );
    this.name = 'ConflictError';
    this.files = files;
  }
}

export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblems(problems: Problem[]): string {
  const head = problems.length === 1 ? 'invalid input (1 problem)' : `invalid input (${problems.length} problems)`;
  const lines = problems.map((p) => {
    const where = p.source ? ` (${p.source})` : '';
    const value = 'value' in p ? ` = ${showValue(p.value)}` : '';
    return `  - ${p.field}${where}${value}: ${p.rule}`;
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
