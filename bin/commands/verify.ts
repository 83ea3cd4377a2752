// wpsn-docker verify: is the running stack of this project up and healthy?
// Asks the Docker Engine directly (dockerode, loaded only here), finds the project's
// containers by their Compose labels, prints what it sees, and exits
//   0  every expected service (app, redis, and every other service chosen) runs and is healthy
//   1  one or more are not (one line each saying why)
//   2  no engine answers, not a generated project, or a usage error.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import type Dockerode from 'dockerode';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../core/errors.ts';
import { deriveModel } from '../../core/model.ts';
import { resolveSpec } from '../../core/spec.ts';
import { readRegularFile } from '../../core/read.ts';
import { parseYoRc, YO_RC } from '../../core/state.ts';
import { shellWord } from '../../core/shell.ts';
import { parseCommandLine } from '../args.ts';

export const EXIT = { ok: 0, unhealthy: 1, usage: 2 } as const;

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
const ONEOFF_LABEL = 'com.docker.compose.oneoff';
const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

export const VERIFY_HELP = `Usage: wpsn-docker verify [directory] [options]

Checks that the running stack of a generated project is up and healthy. It reads the
project (.yo-rc.json, docker-compose.yml) in the directory (default: the current one),
asks the Docker Engine for the containers labelled com.docker.compose.project=<name>,
and prints one row per container: service, state, health, published ports, named
volumes, networks and the user the process runs as.

Options:
  --dir <directory>        the generated project (same as the positional directory)
  --project-name <name>    the Compose project name, when it is not the one Compose
                           would pick (default: COMPOSE_PROJECT_NAME from the environment
                           or .env, else "name:" in docker-compose.yml, else .yo-rc.json)
  --wait <seconds>         poll until every service is healthy or the time runs out,
                           with one progress line on stderr
  --json                   print one JSON object instead of the table:
                           { ok, project, engine, expected, services[], reasons[] },
                           and hint (the command that starts the stack) when nothing runs
  -h, --help               show this help

Expected services: app and every service of the stack (redis; db when the project has a
database; the catalog's services chosen with --services; extra services).
A service passes when each of its containers is running and healthy (or running with
no healthcheck at all, as "docker compose up --wait" counts it).

The engine: DOCKER_HOST (unix:///path/docker.sock, tcp://host:port; DOCKER_TLS_VERIFY
and DOCKER_CERT_PATH for TLS), else /var/run/docker.sock. Docker CLI contexts are not
read: export DOCKER_HOST to check another engine.

Exit codes: 0 healthy, 1 a service is missing, stopped, starting or unhealthy
(each with a one-line reason), 2 no engine reachable, not a generated project, or
invalid usage.`;

export class VerifyUsageError extends Error {
  override name = 'VerifyUsageError';
}

// ---------------------------------------------------------------------------------------
// The project

export interface ProjectInfo {
  dir: string;
  name: string;
  /** Where the name came from, for messages. */
  nameSource: string;
  /** Services that must be running and healthy. */
  expected: string[];
}

function readOptional(path: string): string | undefined {
  try {
    // Never blocks on a FIFO, never reads a huge file (core/read.ts).
    return readRegularFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** COMPOSE_PROJECT_NAME from a .env file, as Compose reads it (KEY=value, optional quotes). */
export function projectNameFromDotEnv(text: string): string | undefined {
  let found: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?COMPOSE_PROJECT_NAME\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[1] ?? '';
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    found = value;
  }
  return found === '' ? undefined : found;
}

/**
 * Reads what verify needs from a generated project: the Compose project name (the one
 * Compose itself would use) and the services that must be healthy (from the answers).
 */
export function readProject(dirArg: string, env: NodeJS.ProcessEnv, nameFlag?: string): ProjectInfo {
  const dir = resolve(dirArg);
  const yoRcText = readOptional(join(dir, YO_RC));
  let answers: Record<string, unknown> | undefined;
  let sampleApp = true;
  if (yoRcText !== undefined) {
    let state;
    try {
      state = parseYoRc(yoRcText).state;
    } catch (error) {
      throw new VerifyUsageError(`${join(dir, YO_RC)}: ${(error as Error).message}`);
    }
    if (state) {
      answers = state.answers;
      sampleApp = state.sampleApp ?? true;
    }
  }

  const composeFile = COMPOSE_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
  let compose: Record<string, unknown> | undefined;
  if (composeFile) {
    try {
      const parsed: unknown = parseYaml(readFileSync(composeFile, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) compose = parsed as Record<string, unknown>;
    } catch (error) {
      throw new VerifyUsageError(`${composeFile} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (answers === undefined && compose === undefined) {
    throw new VerifyUsageError(
      `${dir} is not a generated project (no ${YO_RC} with generator-wpsn-docker answers and no docker-compose.yml): run verify inside one, or give its directory (--dir DIR)`,
    );
  }

  let expected: string[];
  let answersName: string | undefined;
  if (answers !== undefined) {
    try {
      const spec = resolveSpec([{ source: YO_RC, values: answers }], { dirName: basename(dir) });
      const model = deriveModel(spec, { sampleApp });
      // The app and every service of the stack (services/index.ts: Redis, the database, the catalog's, the extras).
      expected = [model.app.service, ...model.services.map((x) => x.service)];
      answersName = spec.projectName;
    } catch (error) {
      if (error instanceof InputError) throw new VerifyUsageError(`the answers in ${join(dir, YO_RC)} are not valid: ${error.message}`);
      throw error;
    }
  } else {
    const services = compose?.['services'];
    expected = services && typeof services === 'object' ? Object.keys(services) : [];
  }

  const composeName = typeof compose?.['name'] === 'string' && !compose['name'].includes('$') ? compose['name'] : undefined;
  const dotEnv = readOptional(join(dir, '.env'));
  const candidates: Array<[string | undefined, string]> = [
    [nameFlag, '--project-name'],
    [env['COMPOSE_PROJECT_NAME'] || undefined, 'COMPOSE_PROJECT_NAME'],
    [dotEnv === undefined ? undefined : projectNameFromDotEnv(dotEnv), '.env'],
    [composeName, composeFile ? basename(composeFile) : 'docker-compose.yml'],
    [answersName, YO_RC],
  ];
  const chosen = candidates.find(([value]) => value !== undefined && value !== '');
  if (!chosen || chosen[0] === undefined) {
    throw new VerifyUsageError(`cannot tell the Compose project name of ${dir}: give it with --project-name`);
  }
  if (expected.length === 0) throw new VerifyUsageError(`${composeFile ?? dir} names no services to check`);
  return { dir, name: chosen[0], nameSource: chosen[1], expected };
}

// ---------------------------------------------------------------------------------------
// The engine

export interface EngineTarget {
  /** How messages name the engine, such as unix:///var/run/docker.sock. */
  description: string;
  options: Dockerode.DockerOptions;
}

/** Where to reach the engine: DOCKER_HOST (unix://, tcp://, ssh://) or the default socket. */
export function engineTarget(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = existsSync): EngineTarget {
  const host = env['DOCKER_HOST'];
  if (!host) {
    // As docker-modem does: Docker Desktop's per-user socket first, then the system one.
    const user = join(homedir(), '.docker', 'run', 'docker.sock');
    const socketPath = exists(user) ? user : '/var/run/docker.sock';
    return { description: `unix://${socketPath}`, options: { socketPath } };
  }
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length) || '/var/run/docker.sock';
    return { description: `unix://${socketPath}`, options: { socketPath } };
  }
  if (host.startsWith('npipe://') || host.startsWith('ssh://')) {
    // docker-modem reads these from DOCKER_HOST itself.
    return { description: host, options: {} };
  }
  const text = host.includes('://') ? host : `tcp://${host}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new VerifyUsageError(`DOCKER_HOST=${JSON.stringify(host)} is not an engine address such as unix:///var/run/docker.sock or tcp://127.0.0.1:2375`);
  }
  if (!['tcp:', 'http:', 'https:'].includes(url.protocol) || url.hostname === '') {
    throw new VerifyUsageError(`DOCKER_HOST=${JSON.stringify(host)} is not an engine address such as unix:///var/run/docker.sock or tcp://127.0.0.1:2375`);
  }
  const tls = url.protocol === 'https:' || (env['DOCKER_TLS_VERIFY'] !== undefined && env['DOCKER_TLS_VERIFY'] !== '' && env['DOCKER_TLS_VERIFY'] !== '0');
  const port = url.port || (tls ? '2376' : '2375');
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: Dockerode.DockerOptions = { host: hostname, port, protocol: tls || port === '2376' ? 'https' : 'http' };
  if (options.protocol === 'https') {
    const certDir = env['DOCKER_CERT_PATH'] || join(homedir(), '.docker');
    try {
      options.ca = readFileSync(join(certDir, 'ca.pem'));
      options.cert = readFileSync(join(certDir, 'cert.pem'));
      options.key = readFileSync(join(certDir, 'key.pem'));
    } catch (error) {
      throw new VerifyUsageError(`DOCKER_HOST=${host} uses TLS, but the client certificates in ${certDir} cannot be read (${(error as Error).message})`);
    }
  }
  return { description: `${options.protocol === 'https' ? 'tcp+tls' : 'tcp'}://${url.host}`, options };
}

// ---------------------------------------------------------------------------------------
// What the engine reports, reduced to what the table shows

export interface ContainerRow {
  service: string;
  container: string;
  /** running, exited, restarting, created, paused, dead, ... */
  state: string;
  exitCode: number;
  /** healthy, unhealthy, starting, or none (no healthcheck). */
  health: string;
  ports: string[];
  volumes: string[];
  networks: string[];
  user: string;
  ok: boolean;
  /** Why the container does not pass (absent when it does). */
  reason?: string;
}

export interface ServiceReport {
  service: string;
  expected: boolean;
  ok: boolean;
  containers: ContainerRow[];
  /** The one-line reasons this service fails (empty when ok). */
  reasons: string[];
}

function oneLine(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

export function formatPorts(ports: Dockerode.ContainerInspectInfo['NetworkSettings']['Ports'] | null | undefined): string[] {
  const out = new Set<string>();
  for (const [containerPort, bindings] of Object.entries(ports ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const b of bindings ?? []) {
      const ip = b.HostIp.includes(':') ? `[${b.HostIp}]` : b.HostIp || '0.0.0.0';
      out.add(`${ip}:${b.HostPort}->${containerPort}`);
    }
  }
  return [...out];
}

/** A container reduced to the table's columns, with whether it passes and why not. */
export function containerRow(info: Dockerode.ContainerInspectInfo): ContainerRow {
  const state = info.State.Status || (info.State.Running ? 'running' : 'unknown');
  const health = info.State.Health?.Status || 'none';
  const row: ContainerRow = {
    service: info.Config.Labels?.[SERVICE_LABEL] ?? '?',
    container: info.Name.replace(/^\//, ''),
    state,
    exitCode: info.State.ExitCode,
    health,
    ports: formatPorts(info.NetworkSettings?.Ports),
    volumes: (info.Mounts ?? []).filter((m) => m.Type === 'volume').map((m) => `${m.Name ?? m.Source}:${m.Destination}`),
    networks: Object.keys(info.NetworkSettings?.Networks ?? {}).sort(),
    user: info.Config.User || 'root',
    ok: false,
  };
  if (state !== 'running') {
    const code = state === 'exited' || state === 'dead' ? ` ${info.State.ExitCode}` : state === 'restarting' ? `, last exit ${info.State.ExitCode}` : '';
    const error = info.State.Error ? `: ${oneLine(info.State.Error)}` : '';
    row.reason = `not running (${state}${code})${error}`;
  } else if (health === 'unhealthy' || health === 'starting') {
    const last = info.State.Health?.Log?.at(-1);
    const output = last ? oneLine(last.Output) || `exit code ${last.ExitCode}` : 'no check has finished yet';
    row.reason = `${health}: ${output}`;
  } else {
    row.ok = true;
  }
  return row;
}

/** Groups the rows by service and decides each expected service. */
export function assess(expected: readonly string[], rows: readonly ContainerRow[]): { ok: boolean; services: ServiceReport[]; reasons: string[] } {
  const byService = new Map<string, ContainerRow[]>();
  for (const name of expected) byService.set(name, []);
  for (const row of rows) {
    const list = byService.get(row.service) ?? [];
    list.push(row);
    byService.set(row.service, list);
  }
  const services: ServiceReport[] = [];
  for (const [service, containers] of byService) {
    const isExpected = expected.includes(service);
    containers.sort((a, b) => a.container.localeCompare(b.container));
    const reasons: string[] = [];
    if (containers.length === 0) reasons.push(`${service}: no container`);
    for (const c of containers) {
      if (c.ok) continue;
      reasons.push(`${containers.length > 1 ? `${service} (${c.container})` : service}: ${c.reason ?? 'not healthy'}`);
    }
    services.push({ service, expected: isExpected, ok: reasons.length === 0, containers, reasons });
  }
  const reasons = services.filter((s) => s.expected).flatMap((s) => s.reasons);
  return { ok: reasons.length === 0, services, reasons };
}

export function renderTable(services: readonly ServiceReport[]): string {
  const header = ['SERVICE', 'STATE', 'HEALTH', 'PORTS', 'VOLUMES', 'NETWORKS', 'USER'];
  const rows: string[][] = [header];
  const list = (items: readonly string[]) => (items.length ? items.join(',') : '-');
  for (const s of services) {
    if (s.containers.length === 0) rows.push([s.service, 'missing', '-', '-', '-', '-', '-']);
    for (const c of s.containers) {
      const state = c.state === 'exited' || c.state === 'dead' ? `${c.state}(${c.exitCode})` : c.state;
      const name = s.containers.length > 1 ? `${s.service}/${c.container}` : s.service;
      // The engine keeps the last health status of a stopped container: not worth showing.
      rows.push([name, state, c.state === 'running' ? c.health : '-', list(c.ports), list(c.volumes), list(c.networks), c.user]);
    }
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 2))).join('').trimEnd()).join('\n');
}

/**
 * What to run when nothing of the project runs (no container at all: never started, or
 * taken down): the command that starts it, from the directory verify was run in. Undefined
 * when some container exists (then each service's reason says what is wrong).
 */
export function startHint(project: Pick<ProjectInfo, 'dir' | 'name' | 'nameSource'>, rows: readonly ContainerRow[], cwd: string): string | undefined {
  if (rows.length > 0) return undefined;
  const rel = relative(cwd, project.dir);
  const cd = rel === '' ? '' : `cd ${shellWord(rel)} && `;
  // A name Compose would not pick itself (given with --project-name) must be given to it too.
  const name = project.nameSource === '--project-name' ? ` -p ${shellWord(project.name)}` : '';
  return `nothing of the project ${project.name} is running: start it with  ${cd}docker compose${name} up -d --build --wait  then run verify again`;
}

/** "app (starting), redis (healthy)": each expected service's state for the wait line. */
export function progressSummary(services: readonly ServiceReport[]): string {
  return services
    .filter((s) => s.expected)
    .map((s) => {
      if (s.containers.length === 0) return `${s.service} (no container)`;
      const states = s.containers.map((c) => (c.state === 'running' ? c.health === 'none' ? 'running' : c.health : c.state));
      return `${s.service} (${[...new Set(states)].join('/')})`;
    })
    .join(', ');
}

/** One element of `services` in the --json output (a missing service has nulls). */
export type JsonServiceRow =
  | (ContainerRow & { expected: boolean })
  | {
      service: string;
      expected: boolean;
      ok: false;
      container: null;
      state: 'missing';
      exitCode: null;
      health: null;
      ports: [];
      volumes: [];
      networks: [];
      user: null;
      reason: string;
    };

// ---------------------------------------------------------------------------------------
// The command

interface VerifyOptions {
  dir: string;
  json: boolean;
  waitSeconds: number;
  projectName: string | undefined;
}

function parseVerifyArgs(argv: string[]): VerifyOptions | 'help' {
  const { values, positionals } = parseCommandLine(argv, {
    dir: { type: 'string' },
    json: { type: 'boolean' },
    wait: { type: 'string' },
    'project-name': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  if (positionals.length > 1) throw new VerifyUsageError(`one directory at most, got ${positionals.map((p) => JSON.stringify(p)).join(', ')}`);
  const positional = positionals[0];
  if (positional !== undefined && values.dir !== undefined && resolve(positional) !== resolve(values.dir)) {
    throw new VerifyUsageError(`give the directory once: ${JSON.stringify(positional)} and --dir ${JSON.stringify(values.dir)} differ`);
  }
  let waitSeconds = 0;
  if (values.wait !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(values.wait.trim()) || Number(values.wait) > 86_400) {
      throw new VerifyUsageError(`--wait needs a number of seconds from 0 to 86400, got ${JSON.stringify(values.wait)}`);
    }
    waitSeconds = Number(values.wait);
  }
  if (values['project-name'] !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(values['project-name'])) {
    throw new VerifyUsageError(`--project-name must be a Compose project name (lowercase letters, digits, "-" and "_"), got ${JSON.stringify(values['project-name'])}`);
  }
  return { dir: values.dir ?? positional ?? '.', json: values.json ?? false, waitSeconds, projectName: values['project-name'] };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

class EngineError extends Error {
  override name = 'EngineError';
}

async function connect(target: EngineTarget): Promise<{ docker: Dockerode; version: string }> {
  const { default: Docker } = await import('dockerode');
  let docker: Dockerode;
  try {
    docker = new Docker({ ...target.options, timeout: 15_000 });
  } catch (error) {
    throw new VerifyUsageError(`cannot use DOCKER_HOST: ${(error as Error).message}`);
  }
  try {
    const version = (await withTimeout(docker.version(), 10_000, 'the engine')) as { Version?: string };
    return { docker, version: version.Version ?? 'unknown' };
  } catch (error) {
    throw new EngineError(`no Docker Engine reachable at ${target.description}: ${oneLine((error as Error).message)} (start one, or point DOCKER_HOST at it)`);
  }
}

async function collect(docker: Dockerode, project: ProjectInfo): Promise<ContainerRow[]> {
  let list;
  try {
    list = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project.name}`] } });
  } catch (error) {
    throw new EngineError(`the engine did not list containers: ${oneLine((error as Error).message)}`);
  }
  const rows: ContainerRow[] = [];
  for (const c of list) {
    if (c.Labels?.[ONEOFF_LABEL] === 'True') continue; // `docker compose run` containers
    try {
      rows.push(containerRow(await docker.getContainer(c.Id).inspect()));
    } catch (error) {
      // Removed between list and inspect: it no longer counts.
      if ((error as { statusCode?: number }).statusCode === 404) continue;
      throw new EngineError(`the engine did not inspect ${c.Names?.[0] ?? c.Id}: ${oneLine((error as Error).message)}`);
    }
  }
  return rows;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runVerify(argv: string[]): Promise<number> {
  let options: VerifyOptions | 'help';
  try {
    options = parseVerifyArgs(argv);
  } catch (error) {
    process.stderr.write(`wpsn-docker verify: ${(error as Error).message}\nRun wpsn-docker verify --help for the options.\n`);
    return EXIT.usage;
  }
  if (options === 'help') {
    process.stdout.write(`${VERIFY_HELP}\n`);
    return EXIT.ok;
  }
  const { json } = options;
  const fail = (message: string): number => {
    process.stderr.write(`wpsn-docker verify: ${message}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: message }, null, 2)}\n`);
    return EXIT.usage;
  };

  let project: ProjectInfo;
  let target: EngineTarget;
  try {
    project = readProject(options.dir, process.env, options.projectName);
    target = engineTarget(process.env);
  } catch (error) {
    if (error instanceof VerifyUsageError) return fail(error.message);
    throw error;
  }

  try {
    const { docker, version } = await connect(target);
    const started = Date.now();
    const limitMs = options.waitSeconds * 1000;
    const tty = process.stderr.isTTY === true;
    let lastProgress = '';
    let result;
    let rows: ContainerRow[];
    for (;;) {
      rows = await collect(docker, project);
      result = assess(project.expected, rows);
      const elapsed = Date.now() - started;
      if (result.ok || elapsed >= limitMs) break;
      const summary = progressSummary(result.services);
      const line = `waiting for ${summary} ${Math.floor(elapsed / 1000)}s/${options.waitSeconds}s`;
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
      else if (summary !== lastProgress) process.stderr.write(`${line}\n`);
      lastProgress = summary;
      await sleep(Math.min(500, Math.max(0, limitMs - elapsed)));
    }
    if (tty && lastProgress !== '') process.stderr.write('\r\x1b[K');
    const waited = lastProgress !== '' ? Math.round((Date.now() - started) / 100) / 10 : 0;
    const hint = result.ok ? undefined : startHint(project, rows, process.cwd());

    if (json) {
      const out = {
        ok: result.ok,
        project: project.name,
        projectNameFrom: project.nameSource,
        dir: project.dir,
        engine: { host: target.description, version },
        expected: project.expected,
        ...(options.waitSeconds > 0 ? { waitedSeconds: waited } : {}),
        services: result.services.flatMap((s): JsonServiceRow[] =>
          s.containers.length === 0
            ? [{ service: s.service, expected: s.expected, ok: false, container: null, state: 'missing', exitCode: null, health: null, ports: [], volumes: [], networks: [], user: null, reason: 'no container' }]
            : s.containers.map((c) => ({ ...c, expected: s.expected })),
        ),
        reasons: result.reasons,
        ...(hint === undefined ? {} : { hint }),
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      process.stdout.write(`project ${project.name} (from ${project.nameSource}), engine ${target.description} (Docker ${version})\n\n`);
      process.stdout.write(`${renderTable(result.services)}\n\n`);
      if (result.ok) {
        process.stdout.write(`ok: ${project.expected.join(', ')} running and healthy${waited ? ` (after ${waited}s)` : ''}\n`);
      } else {
        process.stdout.write(`not healthy: ${result.reasons.length} problem${result.reasons.length === 1 ? '' : 's'}${options.waitSeconds > 0 ? ` after waiting ${options.waitSeconds}s` : ''}\n`);
        for (const reason of result.reasons) process.stderr.write(`${reason}\n`);
        if (hint !== undefined) process.stderr.write(`${hint}\n`);
      }
    }
    return result.ok ? EXIT.ok : EXIT.unhealthy;
  } catch (error) {
    if (error instanceof EngineError || error instanceof VerifyUsageError) return fail(error.message);
    throw error;
  }
}
