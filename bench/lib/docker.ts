// What the Docker parts of the benchmark share: running the docker CLI, a free host port,
// and generating a project with the built bin.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './report.ts';

/** Runs `docker ARGS` in `cwd`; throws with the output's tail when it fails, unless `allowFail`. */
export function docker(args: string[], cwd: string, allowFail = false): { status: number | null; out: string } {
  const r = spawnSync('docker', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, env: { ...process.env, DOCKER_BUILDKIT: '1' } });
  if (r.error) throw r.error;
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0 && !allowFail) throw new Error(`docker ${args.join(' ')} exited ${r.status ?? r.signal}\n${out.slice(-4000)}`);
  return { status: r.status, out };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Generates a project into `dir` with the built bin (`wpsn-docker . --yes ...`). */
export function generate(dir: string, project: string, port: number, extra: string[] = []): void {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/bin/wpsn-docker.js'), '.', '--yes', '--project-name', project, '--host-port', String(port), ...extra], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wpsn-docker . --yes ${extra.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}${r.stderr}`);
}
