// A generated project in a temporary directory, driven with `docker compose`, and the
// step wrapper that appends the services' last log lines to a failure.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../../unit/helpers/build.ts';
import { describeRun, freePort, run, type Ran } from './run.ts';

export interface StackOptions {
  database: 'none' | 'postgres' | 'mysql' | 'mariadb';
}

export interface Stack {
  dir: string;
  project: string;
  hostPort: number;
  baseUrl: string;
  /** Environment for compose and the bin: ours, minus anything that would redirect Compose. */
  env: NodeJS.ProcessEnv;
  /** Every password in secrets/ (the ACL file holds a hash, not a password). */
  passwords: Map<string, string>;
}

export function composeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // A stray project name or file list would point Compose at another project.
  for (const key of ['COMPOSE_PROJECT_NAME', 'COMPOSE_FILE', 'COMPOSE_PROFILES', 'COMPOSE_ENV_FILES']) delete env[key];
  return env;
}

/** Scaffolds the stack with the built bin, the way a user does, under a unique project name. */
export async function generateStack(options: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'wpsnlive-'));
  const project = `wpsnlive-${options.database === 'none' ? '' : `${options.database}-`}${randomBytes(4).toString('hex')}`;
  const hostPort = await freePort();
  const env = composeEnv();
  const args = [BIN, dir, '--yes', '--project-name', project, '--host-port', String(hostPort)];
  if (options.database !== 'none') args.push('--database', options.database);
  const r = await run(process.execPath, args, { env, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`generating the stack failed:\n${describeRun(r)}`);
  const passwords = new Map<string, string>();
  for (const name of readdirSync(join(dir, 'secrets'))) {
    if (name.endsWith('.acl')) continue;
    passwords.set(name, readFileSync(join(dir, 'secrets', name), 'utf8').trim());
  }
  if (passwords.size === 0) throw new Error(`no passwords were generated in ${dir}/secrets`);
  return { dir, project, hostPort, baseUrl: `http://127.0.0.1:${hostPort}`, env, passwords };
}

export function compose(stack: Stack, args: readonly string[], timeoutMs = 600_000): Promise<Ran> {
  return run('docker', ['compose', '--ansi', 'never', ...args], { cwd: stack.dir, env: stack.env, timeoutMs });
}

/** Runs a compose command and throws with its output unless it exits 0. */
export async function composeOk(stack: Stack, args: readonly string[], timeoutMs?: number): Promise<Ran> {
  const r = await compose(stack, args, timeoutMs);
  if (r.code !== 0) throw new Error(`docker compose failed:\n${describeRun(r)}`);
  return r;
}

export function verify(
  stack: Stack,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = stack.env,
  options: { timeoutMs?: number; onStderr?: (chunk: string) => void } = {},
): Promise<Ran> {
  return run(process.execPath, [BIN, 'verify', '--dir', stack.dir, ...args], { cwd: stack.dir, env, timeoutMs: options.timeoutMs ?? 180_000, ...(options.onStderr ? { onStderr: options.onStderr } : {}) });
}

const stripAnsi = (text: string): string => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** `docker compose logs --tail N` of each service, plus `ps -a`, for failure messages. */
export async function diagnostics(stack: Stack, services: readonly string[], tail = 30): Promise<string> {
  const parts: string[] = [];
  const ps = await compose(stack, ['ps', '-a'], 30_000).catch((e: Error) => ({ stdout: e.message, stderr: '' }) as Ran);
  parts.push(`--- docker compose ps -a ---\n${ps.stdout.trimEnd()}`);
  for (const service of services) {
    const logs = await compose(stack, ['logs', '--no-color', '--tail', String(tail), service], 30_000).catch((e: Error) => ({ stdout: e.message, stderr: '' }) as Ran);
    parts.push(`--- docker compose logs --tail ${tail} ${service} ---\n${stripAnsi(`${logs.stdout}${logs.stderr}`).trimEnd() || '(no output)'}`);
  }
  return parts.join('\n');
}

/**
 * Runs one step; when it fails, the error message gains the named services' last log
 * lines, so a red test says what the containers said.
 */
export async function step<T>(stack: Stack | undefined, services: readonly string[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (stack) {
      const extra = await diagnostics(stack, services).catch((e: Error) => `(could not collect logs: ${e.message})`);
      if (error instanceof Error) {
        error.message = `${error.message}\n\n${extra}`;
        throw error;
      }
      throw new Error(`${String(error)}\n\n${extra}`);
    }
    throw error;
  }
}

export async function removeStack(stack: Stack): Promise<string> {
  const r = await compose(stack, ['down', '-v', '--remove-orphans', '--rmi', 'local', '--timeout', '5'], 180_000);
  rmSync(stack.dir, { recursive: true, force: true });
  return r.code === 0 ? '' : describeRun(r);
}

export interface HttpResult {
  status: number;
  body: string;
  json: unknown;
}

export async function get(url: string, timeoutMs = 3000): Promise<HttpResult> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: res.status, body, json };
}

/** GET / on the sample app: the hit count it returns (throws unless 200 with a number). */
export async function hit(stack: Stack): Promise<number> {
  const r = await get(`${stack.baseUrl}/`);
  const hits = (r.json as { hits?: unknown } | undefined)?.hits;
  if (r.status !== 200 || typeof hits !== 'number') throw new Error(`GET / answered ${r.status} ${r.body.trim()}`);
  return hits;
}

/** GET / on the sample app with a database: the hit count in Redis and the rows in the database. */
export async function hitBoth(stack: Stack): Promise<{ hits: number; rows: number }> {
  const r = await get(`${stack.baseUrl}/`);
  const body = r.json as { hits?: unknown; rows?: unknown } | undefined;
  if (r.status !== 200 || typeof body?.hits !== 'number' || typeof body.rows !== 'number') throw new Error(`GET / answered ${r.status} ${r.body.trim()}`);
  return { hits: body.hits, rows: body.rows };
}
