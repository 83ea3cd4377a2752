// Security, live: an extra service (spec.extraServices) runs hardened on the engine by
// default (nobody, read-only root, no capabilities at all, memory and process limits),
// and each opt-out loosens exactly what it names.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildDistLocked } from '../unit/helpers/build.ts';
import { describeWithoutEngine, liveGate } from './helpers/engine.ts';
import { describeRun, run } from './helpers/run.ts';
import { composeEnv } from './helpers/stack.ts';

const IMAGE = 'debian:bookworm-slim';
const gate = liveGate();

if (!gate.ready) {
  describeWithoutEngine('live: extra services are hardened', gate);
} else {
  describe('live: extra services are hardened', () => {
    let dir = '';
    const project = `wpsnextra-${process.pid}`;
    const env = composeEnv();
    const exec = (service: string, script: string) =>
      spawnSync('docker', ['compose', 'exec', '-T', service, 'sh', '-c', script], { cwd: dir, env, encoding: 'utf8' });

    beforeAll(async () => {
      buildDistLocked();
      dir = mkdtempSync(join(tmpdir(), 'wpsnextra-'));
      const sleeper = { image: IMAGE, command: ['sleep', 'infinity'] };
      writeFileSync(
        join(dir, 'answers.json'),
        JSON.stringify({
          projectName: project,
          extraServices: [
            { name: 'worker', ...sleeper },
            { name: 'legacy', ...sleeper, hardening: { user: 'image', readOnly: false, capAdd: ['CHOWN'], memLimit: '64m', pidsLimit: 32 } },
          ],
        }),
      );
      const r = await run(process.execPath, [BIN, dir, '--yes', '--answers', join(dir, 'answers.json')], { env, timeoutMs: 60_000 });
      if (r.code !== 0) throw new Error(describeRun(r));
      // Only the extra services: they depend on nothing, and the app's build is not needed.
      const up = await run('docker', ['compose', 'up', '-d', '--no-deps', 'worker', 'legacy'], { cwd: dir, env, timeoutMs: 120_000 });
      if (up.code !== 0) throw new Error(describeRun(up));
    });

    afterAll(async () => {
      if (!dir) return;
      await run('docker', ['compose', 'down', '-v', '--timeout', '1'], { cwd: dir, env, timeoutMs: 120_000 });
      rmSync(dir, { recursive: true, force: true });
    });

    it('by default: uid 65534, no effective capability, read-only root, /tmp writable, limits set', () => {
      const id = exec('worker', 'id -u; id -g');
      expect(id.stdout.split('\n').slice(0, 2)).toEqual(['65534', '65534']);
      expect(exec('worker', "grep -E '^Cap(Eff|Prm|Bnd):' /proc/1/status").stdout).toMatch(/CapEff:\s+0+\nCapBnd:\s+0+|CapPrm:\s+0+\nCapEff:\s+0+\nCapBnd:\s+0+/);
      expect(exec('worker', 'touch /etc/x').status).not.toBe(0);
      expect(exec('worker', 'touch /tmp/x && echo ok').stdout.trim()).toBe('ok');
      const inspect = JSON.parse(spawnSync('docker', ['inspect', `${project}-worker-1`], { encoding: 'utf8' }).stdout)[0];
      expect(inspect.HostConfig).toMatchObject({ ReadonlyRootfs: true, CapDrop: ['ALL'], Memory: 256 * 1024 ** 2, PidsLimit: 128, SecurityOpt: ['no-new-privileges:true'] });
    });

    it('with opt-outs: the image user (root), a writable root, only CHOWN back, other limits', () => {
      expect(exec('legacy', 'id -u').stdout.trim()).toBe('0');
      expect(exec('legacy', 'touch /etc/x && echo ok').stdout.trim()).toBe('ok');
      // CAP_CHOWN is bit 0: the only effective capability.
      expect(exec('legacy', "grep '^CapEff:' /proc/1/status").stdout).toMatch(/CapEff:\s+0+1\s*$/);
      const inspect = JSON.parse(spawnSync('docker', ['inspect', `${project}-legacy-1`], { encoding: 'utf8' }).stdout)[0];
      expect(inspect.HostConfig).toMatchObject({ ReadonlyRootfs: false, CapDrop: ['ALL'], CapAdd: ['CHOWN'], Memory: 64 * 1024 ** 2, PidsLimit: 32 });
    });
  });
}
