// The sample app's shutdown, run for real with this Node: the rendered server.js with a
// stand-in for the `redis` package (an in-memory client whose INCR waits until the client
// is destroyed, as a request in flight does when Redis is slow). A keep-alive client with a
// request in flight when SIGTERM arrives must not hold the process open: the answer closes
// its connection and the process exits at once, not after the keep-alive timeout (5 s),
// which is what `docker stop` and every restart under `docker compose watch` wait for.
// The live tests run the same file against the real Redis.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { resolveSpec } from '../../core/spec.ts';
import { freePort } from '../live/helpers/run.ts';
import { makeTempDir, removeTempDirs } from './helpers/cli.ts';

afterAll(() => removeTempDirs());

/** Only what server.js uses: events, connect, ping, incr (pending until destroy), destroy. */
const REDIS_STAND_IN = `
export function createClient() {
  const pending = [];
  return {
    on() { return this; },
    connect: async () => {},
    ping: async () => 'PONG',
    incr: () => new Promise((_, reject) => pending.push(reject)),
    destroy() { for (const reject of pending) reject(new Error('The client is closed')); },
  };
}
`;

function get(port: number, path: string, agent: Agent): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the sample app\'s shutdown', () => {
  it('answers a request in flight at SIGTERM with connection: close and exits at once, keep-alive or not', async () => {
    const model = deriveModel(resolveSpec([{ source: 'test', values: {} }], { dirName: 'demo' }), { sampleApp: true });
    const server = renderAppFiles(model).find((f) => f.path === 'server.js');
    expect(server, 'the sample app renders server.js').toBeDefined();
    const dir = makeTempDir('wpsn-sample-');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'server.js'), server!.content);
    mkdirSync(join(dir, 'node_modules', 'redis'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'redis', 'package.json'), JSON.stringify({ name: 'redis', type: 'module', exports: './index.js' }));
    writeFileSync(join(dir, 'node_modules', 'redis', 'index.js'), REDIS_STAND_IN);

    const port = await freePort();
    const app = spawn(process.execPath, ['server.js'], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    app.stdout.on('data', (c: Buffer) => (output += c.toString()));
    app.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => app.once('exit', (code) => resolve(code)));
    try {
      const end = Date.now() + 10_000;
      while (!output.includes('listening on port')) {
        if (Date.now() > end || app.exitCode !== null) throw new Error(`the sample app did not listen:\n${output}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      // One keep-alive connection: an answer first, then a request that waits on Redis.
      expect(await get(port, '/livez', agent)).toEqual({ status: 200, connection: 'keep-alive' });
      const inFlight = get(port, '/', agent);
      await new Promise((r) => setTimeout(r, 100));
      const stoppedAt = performance.now();
      app.kill('SIGTERM');
      expect(await inFlight, output).toEqual({ status: 503, connection: 'close' });
      expect(await exited, output).toBe(0);
      const ms = performance.now() - stoppedAt;
      agent.destroy();
      expect(ms, `exited ${Math.round(ms)} ms after SIGTERM\n${output}`).toBeLessThan(2000);
    } finally {
      if (app.exitCode === null) app.kill('SIGKILL');
    }
  });
});
