// Runs the Yeoman app generator from the bin, on a terminal without --yes: a
// yeoman-environment with this package's generator registered, nothing looked up.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEnv } from 'yeoman-environment';

export const NAMESPACE = 'wpsn-docker:app';

const EXIT = { ok: 0, failure: 1, input: 2, conflict: 3 } as const;

/** The generator next to this module: index.js once compiled (dist/), index.ts from source. */
export function generatorPath(): string {
  const compiled = fileURLToPath(new URL('./index.js', import.meta.url));
  if (existsSync(compiled)) return compiled;
  const source = fileURLToPath(new URL('./index.ts', import.meta.url));
  if (existsSync(source)) return source;
  throw new Error(`generator-wpsn-docker: the app generator is missing (${compiled})`);
}

/** 0 done, 2 invalid input, 3 edited files in the way of a non-interactive run, 1 anything else. */
export function exitCodeOf(error: unknown): number {
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'InputError') return EXIT.input;
  if (name === 'ConflictError') return EXIT.conflict;
  return EXIT.failure;
}

export async function runInteractive(dir: string, values: Record<string, unknown>): Promise<number> {
  try {
    const env = createEnv();
    env.register(generatorPath(), { namespace: NAMESPACE });
    await env.run([NAMESPACE, dir], { ...values });
    return EXIT.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    const text = code === EXIT.failure ? ((error as Error)?.stack ?? String(error)) : (error as Error).message;
    process.stderr.write(`wpsn-docker: ${text}\n`);
    return code;
  }
}
