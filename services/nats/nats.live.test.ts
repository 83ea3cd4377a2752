// Live: NATS (FROM scratch, so no health check: the app waits for it to start). The stack
// comes up; a companion Node script (nats from npm, in a container on the backend network,
// with the app's NATS_URL and secret file) makes a request/reply round trip and stores a
// message in a JetStream stream; a wrong password is refused; NATS is unpublished and
// unreachable from the frontend network and the host; no container shows a password;
// SIGINT stops it with status 0; the stream survives down and up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companionJson, companionPackages, expectNoPasswordShown, expectUnpublished, expectUnreachable, generateCatalogStack } from '../../test/live/helpers/catalog.ts';
import { serviceContainer } from '../../test/live/helpers/docker.ts';
import { describeWithoutEngine, liveGate } from '../../test/live/helpers/engine.ts';
import { composeOk, removeStack, step, type Stack } from '../../test/live/helpers/stack.ts';

const gate = liveGate();
const SERVICES = ['app', 'redis', 'nats'];

const CLIENT = `
import { readFileSync } from 'node:fs';
import { connect, StringCodec } from 'nats';
const mode = process.argv[2];
const url = new URL(process.env.NATS_URL);
const pass = readFileSync(process.env.NATS_PASSWORD_FILE, 'utf8').trim();
const nc = await connect({ servers: url.host, user: decodeURIComponent(url.username), pass, waitOnFirstConnect: true });
const sc = StringCodec();
const out = {};
const sub = nc.subscribe('wpsn.echo');
(async () => { for await (const m of sub) m.respond(sc.encode('echo:' + sc.decode(m.data))); })();
out.reply = sc.decode((await nc.request('wpsn.echo', sc.encode('hello'), { timeout: 5000 })).data);
const jsm = await nc.jetstreamManager();
if (mode === 'write') {
  await jsm.streams.add({ name: 'WPSN', subjects: ['orders.>'] });
  out.stored = (await nc.jetstream().publish('orders.new', sc.encode('from-the-companion'))).stream;
}
out.messages = (await jsm.streams.info('WPSN')).state.messages;
out.last = sc.decode((await jsm.streams.getMessage('WPSN', { last_by_subj: 'orders.new' })).data);
await nc.drain();
out.wrong = await connect({ servers: url.host, user: 'app', pass: pass + 'x' }).then(async (c) => { await c.close(); return 'accepted'; }, (e) => e.code ?? e.message);
console.log(JSON.stringify(out));
`;

if (!gate.ready) {
  describeWithoutEngine('live: nats (catalog service)', gate);
} else {
  describe('live: nats (catalog service)', () => {
    let stack: Stack | undefined;
    let packages = '';
    const s = (): Stack => {
      if (!stack) throw new Error('the stack was not generated');
      return stack;
    };
    const client = (mode: string) => companionJson(s(), { packages, variables: ['NATS_URL', 'NATS_PASSWORD_FILE'], script: CLIENT, args: [mode] });

    beforeAll(async () => {
      [stack, packages] = await Promise.all([generateCatalogStack('nats', ['nats']), companionPackages(['nats@2'])]);
    });
    afterAll(async () => {
      if (stack) await removeStack(stack);
    });

    it('comes up (docker compose up -d --build --wait): NATS running without a health check, the app healthy after it', async () => {
      await step(stack, SERVICES, async () => {
        await composeOk(s(), ['up', '-d', '--build', '--wait', '--wait-timeout', '240'], 600_000);
        const info = await serviceContainer(s().project, 'nats');
        expect(info.State.Status).toBe('running');
        expect(info.State.Health).toBeUndefined();
        expect(info.Config.StopSignal).toBe('SIGINT');
        expect(info.HostConfig.ReadonlyRootfs).toBe(true);
        expect(info.HostConfig.CapDrop).toEqual(['ALL']);
        expect((await serviceContainer(s().project, 'app')).State.Health?.Status).toBe('healthy');
      });
    });

    it('a companion with nats makes a request/reply round trip and stores a JetStream message through NATS_URL and NATS_PASSWORD_FILE; a wrong password is refused', async () => {
      await step(stack, SERVICES, async () => {
        expect(await client('write')).toEqual({ reply: 'echo:hello', stored: 'WPSN', messages: 1, last: 'from-the-companion', wrong: 'AUTHORIZATION_VIOLATION' });
      });
    });

    it('is not published, not reachable from the frontend network or the host, and no container shows a password', async () => {
      await step(stack, SERVICES, async () => {
        await expectUnpublished(s(), 'nats');
        await expectUnreachable(s(), 'nats', 4222);
        await expectNoPasswordShown(s());
      });
    });

    it('stops cleanly on SIGINT (status 0), and the stream survives docker compose down and up', async () => {
      await step(stack, SERVICES, async () => {
        await composeOk(s(), ['stop', 'nats'], 60_000);
        expect((await serviceContainer(s().project, 'nats')).State.ExitCode).toBe(0);
        await composeOk(s(), ['down', '--timeout', '10'], 180_000);
        await composeOk(s(), ['up', '-d', '--wait', '--wait-timeout', '240'], 600_000);
        expect(await client('read')).toMatchObject({ reply: 'echo:hello', messages: 1, last: 'from-the-companion' });
      });
    });
  });
}
