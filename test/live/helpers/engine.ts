// Whether a Docker Engine is there to run the live suites against, and what to do when
// it is not: fail (always in CI; locally with how to get one), or, only when the
// developer asked for it with WPSN_SKIP_LIVE=1 outside CI, warn loudly and run nothing.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

export interface LiveGate {
  /** An engine answered `docker info`. */
  ready: boolean;
  /** No engine, and WPSN_SKIP_LIVE=1 outside CI: warn, run nothing. */
  skip: boolean;
  /** The engine's version, or why there is none and what to do about it. */
  message: string;
}

const isCi = (env: NodeJS.ProcessEnv): boolean => env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false' && env['CI'] !== '0';

export function liveGate(env: NodeJS.ProcessEnv = process.env): LiveGate {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 30_000 });
  const version = info.status === 0 ? info.stdout.trim() : '';
  if (version !== '' && !version.includes('<no value>')) return { ready: true, skip: false, message: `Docker Engine ${version}` };
  const why = (info.error?.message ?? `${info.stderr}`.trim().split('\n').filter(Boolean).slice(-2).join(' ')) || `docker info exited ${info.status}`;
  if (isCi(env)) {
    return { ready: false, skip: false, message: `Docker Engine required in CI: run scripts/test-env.sh (docker info failed: ${why})` };
  }
  if (env['WPSN_SKIP_LIVE'] === '1') {
    return {
      ready: false,
      skip: true,
      message: `WPSN_SKIP_LIVE=1 and no Docker Engine (docker info failed: ${why}): the live suite did NOT run; nothing about the generated stack was proven. Get an engine with: bash scripts/test-env.sh`,
    };
  }
  return {
    ready: false,
    skip: false,
    message:
      `no Docker Engine reachable (docker info failed: ${why}). Get one with: bash scripts/test-env.sh ` +
      '(installs and starts an engine with Compose and Buildx, and the base images), then re-run. ' +
      'To skip the live suite knowingly, set WPSN_SKIP_LIVE=1 (never honoured in CI).',
  };
}

/** A warning that stands out in the test output. */
export function banner(text: string): string {
  const line = '!'.repeat(78);
  return `\n${line}\n!! ${text.replace(/\n/g, '\n!! ')}\n${line}\n`;
}

export interface ImageAvailability {
  image: string;
  available: boolean;
  /** local, pulled, or why neither worked. */
  how: string;
}

/** The image is present locally, or a `docker pull` within the timeout gets it. */
export function imageAvailable(image: string, pullTimeoutMs = 60_000): ImageAvailability {
  const local = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { encoding: 'utf8', timeout: 30_000 });
  if (local.status === 0) return { image, available: true, how: 'present locally' };
  const pull = spawnSync('docker', ['pull', '--quiet', image], { encoding: 'utf8', timeout: pullTimeoutMs });
  if (pull.status === 0) return { image, available: true, how: 'pulled' };
  const why = pull.error
    ? pull.error.message.includes('ETIMEDOUT')
      ? `docker pull timed out after ${pullTimeoutMs / 1000} s`
      : pull.error.message
    : `docker pull exited ${pull.status}: ${`${pull.stderr}`.trim().split('\n').slice(-1)[0] ?? ''}`;
  return { image, available: false, how: why };
}

/**
 * The suite to register in place of `title` when the gate is not ready: one test that
 * warns loudly and passes when skipping was asked for, and fails with the gate's message otherwise.
 */
export function describeWithoutEngine(title: string, gate: LiveGate): void {
  describe(title, () => {
    it('needs a Docker Engine', () => {
      if (gate.skip) {
        console.warn(banner(gate.message));
        expect(gate.skip).toBe(true);
        return;
      }
      throw new Error(gate.message);
    });
  });
}
