// Plain `docker` plumbing for checking an image against the official image's contract
// (test/live/standins.test.ts): everything it creates is named with NAME_PREFIX and carries
// a label, so one clean-up removes all of it, whatever failed.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRun, run, sleep, type Ran } from './run.ts';

export const NAME_PREFIX = 'wpsn-standin-test-';
/** Label on every container, volume and network a run creates; its value is the run's id. */
export const RUN_LABEL = 'wpsn-standin-test';
export const DESCRIPTION_LABEL = 'org.opencontainers.image.description';

/** `docker ARGS`, output captured; never throws on a non-zero exit. */
export function docker(args: readonly string[], timeoutMs = 120_000): Promise<Ran> {
  return run('docker', args, { timeoutMs });
}

/** `docker ARGS` that must succeed: its stdout, or an error that shows the whole run. */
export async function dockerOk(args: readonly string[], timeoutMs = 120_000): Promise<string> {
  const r = await docker(args, timeoutMs);
  if (r.code !== 0) throw new Error(`docker command failed:\n${describeRun(r)}`);
  return r.stdout;
}

export interface ImageInfo {
  present: boolean;
  description: string;
  /** Carries the label test-env.sh gives its local stand-ins. */
  standin: boolean;
}

export async function imageInfo(image: string): Promise<ImageInfo> {
  const r = await docker(['image', 'inspect', '--format', `{{ index .Config.Labels "${DESCRIPTION_LABEL}" }}`, image]);
  if (r.code !== 0) return { present: false, description: '', standin: false };
  const description = r.stdout.trim() === '<no value>' ? '' : r.stdout.trim();
  return { present: true, description, standin: description.startsWith('local stand-in built by scripts/test-env.sh') };
}

export interface ImageConfig {
  User: string;
  Env: string[];
  Entrypoint: string[] | null;
  Cmd: string[] | null;
  Volumes: Record<string, object> | null;
  ExposedPorts: Record<string, object> | null;
  StopSignal?: string;
  WorkingDir: string;
}

export async function imageConfig(image: string): Promise<ImageConfig> {
  return JSON.parse(await dockerOk(['image', 'inspect', '--format', '{{json .Config}}', image])) as ImageConfig;
}

/** One test run's names and its clean-up. */
export class Run {
  readonly id: string;
  private readonly dirs: string[] = [];

  constructor(suite: string) {
    this.id = `${suite}-${process.pid}-${Date.now().toString(36)}`;
  }

  /** A name for a container, volume or network of this run. */
  name(what: string): string {
    return `${NAME_PREFIX}${this.id}-${what}`;
  }

  labelArgs(): string[] {
    return ['--label', `${RUN_LABEL}=${this.id}`];
  }

  async network(what: string): Promise<string> {
    const name = this.name(what);
    await dockerOk(['network', 'create', ...this.labelArgs(), name]);
    return name;
  }

  async volume(what: string): Promise<string> {
    const name = this.name(what);
    await dockerOk(['volume', 'create', ...this.labelArgs(), name]);
    return name;
  }

  /** `docker run -d` with this run's label and name; returns the container's name. */
  async start(what: string, args: readonly string[]): Promise<string> {
    const name = this.name(what);
    await dockerOk(['run', '-d', '--name', name, ...this.labelArgs(), ...args]);
    return name;
  }

  /** `docker run --rm` (a client or a check) with this run's label. */
  oneShot(args: readonly string[], timeoutMs = 120_000): Promise<Ran> {
    return docker(['run', '--rm', ...this.labelArgs(), ...args], timeoutMs);
  }

  /** A host directory for bind mounts, readable by any uid (mode 755), removed at clean-up. */
  dir(what: string): string {
    const d = mkdtempSync(join(tmpdir(), `${NAME_PREFIX}${what}-`));
    chmodSync(d, 0o755);
    this.dirs.push(d);
    return d;
  }

  /** Everything this run created, removed; what could not be removed, as text ('' if all went). */
  async cleanUp(): Promise<string> {
    const problems: string[] = [];
    const filter = ['--filter', `label=${RUN_LABEL}=${this.id}`];
    const ids = async (kind: string[]) => (await docker([...kind, ...filter])).stdout.split('\n').filter(Boolean);
    const containers = await ids(['ps', '-aq']);
    if (containers.length) {
      const r = await docker(['rm', '-f', '-v', ...containers]);
      if (r.code !== 0) problems.push(describeRun(r));
    }
    const volumes = await ids(['volume', 'ls', '-q']);
    if (volumes.length) {
      const r = await docker(['volume', 'rm', '-f', ...volumes]);
      if (r.code !== 0) problems.push(describeRun(r));
    }
    const networks = await ids(['network', 'ls', '-q']);
    if (networks.length) {
      const r = await docker(['network', 'rm', ...networks]);
      if (r.code !== 0) problems.push(describeRun(r));
    }
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    return problems.join('\n');
  }
}

/** Writes a file for a bind mount, with the given mode and owner (uid:gid; the tests run as root). */
export function writeOwned(path: string, content: string | Uint8Array, mode: number, uid = 0, gid = 0): string {
  writeFileSync(path, content);
  chmodSync(path, mode);
  chownSync(path, uid, gid);
  return path;
}

/** A directory of init scripts: name -> [content, mode]; the directory is readable by all. */
export function initDir(dir: string, files: Record<string, [string | Uint8Array, number]>): string {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  for (const [name, [content, mode]] of Object.entries(files)) writeOwned(join(dir, name), content, mode);
  return dir;
}

/** Runs `docker exec CONTAINER ...cmd` until it exits 0; the time it took, or an error with the logs. */
export async function waitUntil(container: string, cmd: readonly string[], timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last: Ran | undefined;
  while (Date.now() - started < timeoutMs) {
    last = await docker(['exec', container, ...cmd], 30_000);
    if (last.code === 0) return Date.now() - started;
    const state = (await docker(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', container])).stdout.trim();
    if (!state.startsWith('running')) {
      throw new Error(`${container} is no longer running (${state}) while waiting for ${cmd.join(' ')}\n--- logs ---\n${await logs(container, 60)}`);
    }
    await sleep(250);
  }
  throw new Error(`${cmd.join(' ')} did not succeed in ${container} within ${timeoutMs / 1000} s${last ? `\n${describeRun(last)}` : ''}\n--- logs ---\n${await logs(container, 60)}`);
}

/** The container's output (stdout and stderr), optionally only its last lines or since a time. */
export async function logs(container: string, tail?: number, since?: string): Promise<string> {
  const args = ['logs', ...(tail ? ['--tail', String(tail)] : []), ...(since ? ['--since', since] : []), container];
  const r = await docker(args);
  return `${r.stdout}${r.stderr}`;
}

export interface Stopped {
  ms: number;
  exitCode: number;
  oomKilled: boolean;
}

/** `docker stop` (its default 10 s timeout), timed, then the exit code the engine recorded. */
export async function stopTimed(container: string): Promise<Stopped> {
  const started = Date.now();
  await dockerOk(['stop', container], 60_000);
  const ms = Date.now() - started;
  const state = JSON.parse(await dockerOk(['inspect', '--format', '{{json .State}}', container])) as { ExitCode: number; OOMKilled: boolean };
  return { ms, exitCode: state.ExitCode, oomKilled: state.OOMKilled };
}

/** When the container last started (for `docker logs --since`). */
export async function startedAt(container: string): Promise<string> {
  return (await dockerOk(['inspect', '--format', '{{.State.StartedAt}}', container])).trim();
}

/** uid of every process in the container, as the engine sees them (`docker top`). */
export async function processUids(container: string): Promise<{ uid: number; args: string }[]> {
  const out = await dockerOk(['top', container, '-o', 'pid,uid,args']);
  return out
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = /^\s*\d+\s+(\d+)\s+(.*)$/.exec(l);
      if (!m) throw new Error(`unexpected docker top line: ${l}`);
      return { uid: Number(m[1]), args: m[2] ?? '' };
    });
}
