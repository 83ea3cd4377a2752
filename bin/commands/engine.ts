// Finding the Docker Engine for `wpsn-docker doctor` and `wpsn-docker bundle`: an explicit
// DOCKER_HOST wins; otherwise the usual sockets are tried in order (the system one, Docker
// Desktop's, Colima's, Podman's) and the first that answers is used. dockerode is loaded
// only here, and only by the commands that import this file.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { engineTarget, type EngineTarget } from './verify.ts';

export interface EngineCandidate extends EngineTarget {
  /** Where the candidate comes from: DOCKER_HOST, or the product whose socket it is. */
  source: 'DOCKER_HOST' | 'system' | 'Docker Desktop' | 'Colima' | 'Podman (rootless)' | 'Podman';
  /** The unix socket, when it is one. */
  socketPath?: string;
}

/** The sockets tried without DOCKER_HOST, in order. */
export function socketCandidates(env: NodeJS.ProcessEnv, home: string = homedir()): Array<{ source: EngineCandidate['source']; path: string }> {
  const out: Array<{ source: EngineCandidate['source']; path: string }> = [
    { source: 'system', path: '/var/run/docker.sock' },
    { source: 'Docker Desktop', path: join(home, '.docker', 'run', 'docker.sock') },
    { source: 'Colima', path: join(home, '.colima', 'default', 'docker.sock') },
    { source: 'Colima', path: join(home, '.colima', 'docker.sock') },
  ];
  const runtime = env['XDG_RUNTIME_DIR'];
  if (runtime) out.push({ source: 'Podman (rootless)', path: join(runtime, 'podman', 'podman.sock') });
  out.push({ source: 'Podman', path: '/run/podman/podman.sock' });
  return out;
}

/**
 * What to try: DOCKER_HOST alone when it is set (an explicit choice is never second-guessed),
 * else every candidate socket that exists. Throws (from engineTarget) on a malformed DOCKER_HOST.
 */
export function engineCandidates(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = existsSync, home: string = homedir()): EngineCandidate[] {
  if (env['DOCKER_HOST']) {
    const target = engineTarget(env, exists);
    const socketPath = (target.options as { socketPath?: string }).socketPath;
    return [{ ...target, source: 'DOCKER_HOST', ...(socketPath ? { socketPath } : {}) }];
  }
  return socketCandidates(env, home)
    .filter((c) => exists(c.path))
    .map((c) => ({ description: `unix://${c.path}`, options: { socketPath: c.path }, source: c.source, socketPath: c.path }));
}

export interface Engine {
  docker: Dockerode;
  target: EngineCandidate;
  version: { Version?: string; ApiVersion?: string; Os?: string; Arch?: string };
}

export interface EngineSearch {
  engine: Engine | undefined;
  /** Every candidate tried, with why it did not answer. */
  tried: Array<{ description: string; source: string; error: string }>;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Tries each candidate in order; the first whose /version answers within `timeoutMs` wins. */
export async function findEngine(env: NodeJS.ProcessEnv, options: { timeoutMs?: number; exists?: (path: string) => boolean } = {}): Promise<EngineSearch> {
  const { default: Docker } = await import('dockerode');
  const tried: EngineSearch['tried'] = [];
  for (const target of engineCandidates(env, options.exists)) {
    try {
      const docker = new Docker({ ...target.options, timeout: 60_000 });
      const version = (await withTimeout(docker.version(), options.timeoutMs ?? 5000, 'the engine')) as Engine['version'];
      return { engine: { docker, target, version }, tried };
    } catch (error) {
      tried.push({ description: target.description, source: target.source, error: oneLine((error as Error).message) });
    }
  }
  return { engine: undefined, tried };
}

/**
 * The environment for the docker CLI children (compose, buildx, pull) so that they talk to
 * the engine found here: DOCKER_HOST is set when the engine is not the CLI's own default.
 */
export function cliEnv(env: NodeJS.ProcessEnv, engine: Engine | undefined): NodeJS.ProcessEnv {
  if (!engine || env['DOCKER_HOST'] || engine.target.socketPath === '/var/run/docker.sock' || !engine.target.socketPath) return { ...env };
  return { ...env, DOCKER_HOST: `unix://${engine.target.socketPath}` };
}
