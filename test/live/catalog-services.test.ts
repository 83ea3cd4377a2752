// Live: every catalog service that can run here at once (valkey, rabbitmq, nats, memcached:
// the ones with an honest stand-in), generated exactly as a user would:
//   node dist/bin/wpsn-docker.js <dir> --yes --services valkey,rabbitmq,nats,memcached
// The stack comes up healthy (the time to healthy printed as a figure), one companion Node
// script connects to all four with the app's variables and secret files, `wpsn-docker verify`
// expects and finds every service, nothing is published but the app, and no container
// shows a password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companionJson, companionPackages, expectNoPasswordShown, expectUnpublished, generateCatalogStack } from './helpers/catalog.ts';
import { projectContainers } from './helpers/docker.ts';
import { describeWithoutEngine, liveGate } from './helpers/engine.ts';
import { describeRun } from './helpers/run.ts';
import { composeOk, removeStack, step, verify, type Stack } from './helpers/stack.ts';

const figure = (text: string): void => console.log(`figure: ${text}`);
const gate = liveGate();
const RUNNABLE = ['valkey', 'rabbitmq', 'nats', 'memcached'];
const SERVICES = ['app', 'redis', ...RUNNABLE];

const CLIENT = `
import { readFileSync } from 'node:fs';
import amqp from 'amqplib';
import memjs from 'memjs';
import { connect, StringCodec } from 'nats';
import { createClient } from 'redis';
const read = (file) => readFileSync(file, 'utf8').trim();
const out = {};
const valkey = createClient({ url: process.env.VALKEY_URL, password: read(process.env.VALKEY_PASSWORD_FILE), socket: { reconnectStrategy: false } });
await valkey.connect();
await valkey.set('wpsn', 'valkey-ok');
out.valkey = await valkey.get('wpsn');
await valkey.quit();
const amqpUrl = new URL(process.env.AMQP_URL);
amqpUrl.password = encodeURIComponent(read(process.env.AMQP_PASSWORD_FILE));
const connection = await amqp.connect(amqpUrl.href);
const channel = await connection.createChannel();
await channel.assertQueue('wpsn', { durable: true });
channel.sendToQueue('wpsn', Buffer.from('rabbitmq-ok'), { persistent: true });
const message = await channel.get('wpsn', { noAck: true });
out.rabbitmq = message && message.content.toString();
await connection.close();
const natsUrl = new URL(process.env.NATS_URL);
const nc = await connect({ servers: natsUrl.host, user: decodeURIComponent(natsUrl.username), pass: read(process.env.NATS_PASSWORD_FILE), waitOnFirstConnect: true });
const sc = StringCodec();
const sub = nc.subscribe('wpsn');
(async () => { for await (const m of sub) m.respond(m.data); })();
out.nats = sc.decode((await nc.request('wpsn', sc.encode('nats-ok'), { timeout: 5000 })).data);
await nc.drain();
const cache = memjs.Client.create(process.env.MEMCACHED_SERVERS, { retries: 0 });
await cache.set('wpsn', 'memcached-ok', { expires: 60 });
out.memcached = (await cache.get('wpsn')).value.toString();
cache.close();
console.log(JSON.stringify(out));
`;

if (!gate.ready) {
  describeWithoutEngine('live: every runnable catalog service at once', gate);
} else {
  describe('live: every runnable catalog service at once (--services valkey,rabbitmq,nats,memcached)', () => {
    let stack: Stack | undefined;
    let packages = '';
    const s = (): Stack => {
      if (!stack) throw new Error('the stack was not generated');
      return stack;
    };

    beforeAll(async () => {
      [stack, packages] = await Promise.all([generateCatalogStack('catalog', RUNNABLE), companionPackages(['redis@6', 'amqplib@2', 'nats@2', 'memjs@1'])]);
    });
    afterAll(async () => {
      if (stack) await removeStack(stack);
    });

    it('comes up healthy with docker compose up -d --build --wait', async () => {
      await step(stack, SERVICES, async () => {
        // The app image first, so that the figure is the services' start, not the build.
        await composeOk(s(), ['build'], 600_000);
        const started = performance.now();
        await composeOk(s(), ['up', '-d', '--build', '--wait', '--wait-timeout', '300'], 600_000);
        const seconds = (performance.now() - started) / 1000;
        figure(`[catalog] docker compose up --wait with app, redis, ${RUNNABLE.join(', ')}: healthy after ${seconds.toFixed(1)} s`);
        const all = await projectContainers(s().project);
        expect([...all.keys()].sort()).toEqual([...SERVICES].sort());
        for (const [service, [info]] of all) {
          expect(info!.State.Status, `${service} state`).toBe('running');
          // NATS's scratch image can run no health check: running is what Compose waits for.
          if (service !== 'nats') expect(info!.State.Health?.Status, `${service} health`).toBe('healthy');
        }
      });
    });

    it('one companion connects to all four with the app\'s variables and secret files', async () => {
      await step(stack, SERVICES, async () => {
        const out = await companionJson(s(), {
          packages,
          variables: ['VALKEY_URL', 'VALKEY_PASSWORD_FILE', 'AMQP_URL', 'AMQP_PASSWORD_FILE', 'NATS_URL', 'NATS_PASSWORD_FILE', 'MEMCACHED_SERVERS'],
          script: CLIENT,
        });
        expect(out).toEqual({ valkey: 'valkey-ok', rabbitmq: 'rabbitmq-ok', nats: 'nats-ok', memcached: 'memcached-ok' });
      });
    });

    it('wpsn-docker verify expects every service and finds each running (and healthy where it has a check)', async () => {
      await step(stack, SERVICES, async () => {
        const r = await verify(s(), ['--json']);
        expect(r.code, describeRun(r)).toBe(0);
        const report = JSON.parse(r.stdout) as { ok: boolean; expected: string[] };
        expect(report.ok).toBe(true);
        expect([...report.expected].sort()).toEqual([...SERVICES].sort());
      });
    });

    it('publishes nothing but the app, and no container shows a password', async () => {
      await step(stack, SERVICES, async () => {
        for (const service of ['redis', ...RUNNABLE]) await expectUnpublished(s(), service);
        await expectNoPasswordShown(s());
      });
    });
  });
}
