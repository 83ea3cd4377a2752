// Live: Memcached. The stack comes up healthy with the bash /dev/tcp health check; a
// companion Node script (memjs from npm, in a container on the backend network, with the
// app's MEMCACHED_SERVERS) sets and gets a value; Memcached is unpublished and unreachable
// from the frontend network and the host; it keeps nothing across down and up (memory only,
// as the official image).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companionJson, companionPackages, expectNoPasswordShown, expectUnpublished, expectUnreachable, generateCatalogStack } from '../../test/live/helpers/catalog.ts';
import { describeWithoutEngine, liveGate } from '../../test/live/helpers/engine.ts';
import { serviceContainer } from '../../test/live/helpers/docker.ts';
import { composeOk, removeStack, step, type Stack } from '../../test/live/helpers/stack.ts';

const gate = liveGate();
const SERVICES = ['app', 'redis', 'memcached'];

const CLIENT = `
import memjs from 'memjs';
const mode = process.argv[2];
const cache = memjs.Client.create(process.env.MEMCACHED_SERVERS, { retries: 0, timeout: 3 });
const out = {};
if (mode === 'write') out.set = await cache.set('wpsn:kept', 'from-the-companion', { expires: 600 });
const { value } = await cache.get('wpsn:kept');
out.get = value === null ? null : value.toString();
cache.close();
console.log(JSON.stringify(out));
`;

if (!gate.ready) {
  describeWithoutEngine('live: memcached (catalog service)', gate);
} else {
  describe('live: memcached (catalog service)', () => {
    let stack: Stack | undefined;
    let packages = '';
    const s = (): Stack => {
      if (!stack) throw new Error('the stack was not generated');
      return stack;
    };
    const client = (mode: string) => companionJson(s(), { packages, variables: ['MEMCACHED_SERVERS'], script: CLIENT, args: [mode] });

    beforeAll(async () => {
      [stack, packages] = await Promise.all([generateCatalogStack('memcached', ['memcached']), companionPackages(['memjs@1'])]);
    });
    afterAll(async () => {
      if (stack) await removeStack(stack);
    });

    it('comes up healthy (docker compose up -d --build --wait), as uid 11211 with a read-only root', async () => {
      await step(stack, SERVICES, async () => {
        await composeOk(s(), ['up', '-d', '--build', '--wait', '--wait-timeout', '240'], 600_000);
        const info = await serviceContainer(s().project, 'memcached');
        expect(info.State.Health?.Status).toBe('healthy');
        expect(info.Config.User).toBe('11211:11211');
        expect(info.HostConfig.ReadonlyRootfs).toBe(true);
        expect(info.HostConfig.CapDrop).toEqual(['ALL']);
      });
    });

    it('a companion with memjs sets and gets a value through MEMCACHED_SERVERS', async () => {
      await step(stack, SERVICES, async () => {
        expect(await client('write')).toEqual({ set: true, get: 'from-the-companion' });
      });
    });

    it('is not published, not reachable from the frontend network or the host, and no container shows a password', async () => {
      await step(stack, SERVICES, async () => {
        await expectUnpublished(s(), 'memcached');
        await expectUnreachable(s(), 'memcached', 11211);
        await expectNoPasswordShown(s());
      });
    });

    it('keeps nothing across docker compose down and up (memory only, as the official image; the README says so)', async () => {
      await step(stack, SERVICES, async () => {
        await composeOk(s(), ['down', '--timeout', '10'], 180_000);
        await composeOk(s(), ['up', '-d', '--wait', '--wait-timeout', '240'], 600_000);
        expect(await client('read')).toEqual({ get: null });
      });
    });
  });
}
