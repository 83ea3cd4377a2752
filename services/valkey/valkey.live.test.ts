// Live: Valkey as a second cache. The stack comes up healthy; a companion Node script
// (the `redis` client from npm, in a container on the backend network, with the app's
// variables and secret file) writes and reads; the app's user cannot administer Valkey and
// a wrong password is refused; Valkey is unpublished and unreachable from the frontend
// network and the host; no container shows a password; the data survives down and up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companionJson, companionPackages, expectNoPasswordShown, expectUnpublished, expectUnreachable, generateCatalogStack } from '../../test/live/helpers/catalog.ts';
import { describeWithoutEngine, liveGate } from '../../test/live/helpers/engine.ts';
import { composeOk, removeStack, step, type Stack } from '../../test/live/helpers/stack.ts';

const gate = liveGate();
const SERVICES = ['app', 'redis', 'valkey'];

const CLIENT = `
import { readFileSync } from 'node:fs';
import { createClient } from 'redis';
const mode = process.argv[2];
const password = readFileSync(process.env.VALKEY_PASSWORD_FILE, 'utf8').trim();
// No reconnecting: a refused password must end the script, not retry forever.
const client = createClient({ url: process.env.VALKEY_URL, password, socket: { reconnectStrategy: false } });
await client.connect();
const out = {};
if (mode === 'write') out.set = await client.set('wpsn:kept', 'from-the-companion');
out.get = await client.get('wpsn:kept');
out.ping = await client.ping();
try { await client.sendCommand(['CONFIG', 'GET', 'maxmemory']); out.config = 'allowed'; } catch (e) { out.config = String(e.message).split(' ')[0]; }
await client.quit();
const wrong = createClient({ url: process.env.VALKEY_URL, password: password + 'x', socket: { reconnectStrategy: false } });
wrong.on('error', () => {});
try { await wrong.connect(); await wrong.ping(); out.wrong = 'accepted'; } catch (e) { out.wrong = String(e.message).split(' ')[0]; }
console.log(JSON.stringify(out));
`;

if (!gate.ready) {
  describeWithoutEngine('live: valkey (catalog service)', gate);
} else {
  describe('live: valkey (catalog service)', () => {
    let stack: Stack | undefined;
    let packages = '';
    const s = (): Stack => {
      if (!stack) throw new Error('the stack was not generated');
      return stack;
    };
    const client = (mode: string) => companionJson(s(), { packages, variables: ['VALKEY_URL', 'VALKEY_PASSWORD_FILE'], script: CLIENT, args: [mode] });

    beforeAll(async () => {
      [stack, packages] = await Promise.all([generateCatalogStack('valkey', ['valkey']), companionPackages(['redis@6'])]);
    });
    afterAll(async () => {
      if (stack) await removeStack(stack);
    });

    it('comes up healthy (docker compose up -d --build --wait)', async () => {
      await step(stack, SERVICES, async () => {
        await composeOk(s(), ['up', '-d', '--build', '--wait', '--wait-timeout', '240'], 600_000);
      });
    });

    it('a companion with the redis client writes and reads through VALKEY_URL and VALKEY_PASSWORD_FILE; the app user cannot administer; a wrong password is refused', async () => {
      await step(stack, SERVICES, async () => {
        const out = await client('write');
        expect(out).toEqual({ set: 'OK', get: 'from-the-companion', ping: 'PONG', config: 'NOPERM', wrong: 'WRONGPASS' });
      });
    });

    it('is not published, not reachable from the frontend network or the host, and no container shows a password', async () => {
      await step(stack, SERVICES, async () => {
        await expectUnpublished(s(), 'valkey');
        await expectUnreachable(s(), 'valkey', 6379);
        await expectNoPasswordShown(s());
      });
    });

    it('the data survives docker compose down and up', async () => {
      await step(stack, SERVICES, async () => {
        await composeOk(s(), ['down', '--timeout', '10'], 180_000);
        await composeOk(s(), ['up', '-d', '--wait', '--wait-timeout', '240'], 600_000);
        const out = await client('read');
        expect(out['get']).toBe('from-the-companion');
      });
    });
  });
}
