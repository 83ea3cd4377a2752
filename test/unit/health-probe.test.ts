// The app's health probes (the image's HEALTHCHECK, and the liveness probe deploy targets
// use), run for real with this Node against a local server: each mode's command exits 0
// exactly when its rule says healthy. `http`: GET the health path answers 2xx itself (a
// redirect is not followed); `status`: below 500; `tcp`: the port accepts a connection. A
// refused connection, and a server that never answers (2.5 s), are unhealthy.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { resolveSpec } from '../../core/spec.ts';

let server: Server;
let port = 0;
/** The status the server answers next; 0 never answers. */
let status = 200;

beforeAll(async () => {
  server = createServer((_req, res) => {
    if (status === 0) return;
    res.writeHead(status, status >= 300 && status < 400 ? { location: '/elsewhere' } : {});
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** Runs the probe in its own process (asynchronously: the server answers from this one); its exit code. */
async function probe(healthCheck: 'http' | 'status' | 'tcp', sampleApp = false, which: 'healthcheck' | 'livenesscheck' = 'healthcheck', onPort = port): Promise<number | null> {
  const model = deriveModel(resolveSpec([{ source: 'test', values: { app: { port: onPort, healthCheck, healthPath: '/healthz' } } }], { dirName: 'demo' }), { sampleApp });
  const [node, flag, code] = model.app[which];
  expect([node, flag]).toEqual(['node', '-e']);
  const child = spawn(process.execPath, ['-e', code!], { stdio: 'ignore', timeout: 10_000, env: { PATH: process.env['PATH'] ?? '' } });
  return new Promise((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
}

describe('app health probes, run', () => {
  it.each([
    [200, 0, 0],
    [204, 0, 0],
    [302, 1, 0],
    [404, 1, 0],
    [500, 1, 1],
    [503, 1, 1],
  ])('GET answers %i: http exits %i, status exits %i', async (answer, http, below500) => {
    status = answer;
    expect(await probe('http')).toBe(http);
    expect(await probe('status')).toBe(below500);
  });

  it('the sample app\'s liveness probe is the same 2xx rule on /livez', async () => {
    status = 200;
    expect(await probe('http', true, 'livenesscheck')).toBe(0);
    status = 500;
    expect(await probe('http', true, 'livenesscheck')).toBe(1);
  });

  it('a refused connection is unhealthy in every mode; tcp only needs the port open', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    for (const mode of ['http', 'status', 'tcp'] as const) expect(await probe(mode, false, 'healthcheck', freePort), mode).toBe(1);
    status = 500;
    expect(await probe('tcp')).toBe(0);
  });

  it('a server that never answers is unhealthy after 2.5 s, within the check\'s 3 s timeout', async () => {
    status = 0;
    const started = performance.now();
    expect(await probe('http')).toBe(1);
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(2.4);
    expect(seconds).toBeLessThan(3);
  });
});
