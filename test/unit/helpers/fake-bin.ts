// Runs a generated script with a dir of fake CLIs (each logging its calls) first on PATH.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the fakes logged during this run. */
  calls: string;
}

/**
 * `bash script ...args` in `cwd`, PATH the fake bin dir then /usr/bin:/bin, plus `env`
 * (which may override PATH); the fakes' log is emptied first and returned as `calls`.
 */
export function runWithFakes(script: string, args: readonly string[], fake: { bin: string; log: string }, cwd: string, env: Record<string, string>): ScriptRun {
  writeFileSync(fake.log, '');
  const result = spawnSync('bash', [script, ...args], {
    cwd,
    env: { PATH: `${fake.bin}:/usr/bin:/bin`, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls: readFileSync(fake.log, 'utf8') };
}
