// Live: RabbitMQ, with its management UI asked for (ui: true). The stack comes up healthy;
// a companion Node script (amqplib from npm, in a container on the backend network, with the
// app's AMQP_URL and secret file) publishes and reads a persistent message; the app's user
// cannot use the management API; the broker is unpublished but for the UI on 127.0.0.1,
// which asks for the login; no container shows a password; a durable queue and its message
// survive down and up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companionJson, companionPackages, expectNoPasswordShown, expectUnpublished, expectUnreachable, generateCatalogStack } from '../../test/live/helpers/catalog.ts';
import { serviceContainer, topProcesses } from '../../test/live/helpers/docker.ts';
import { describeWithoutEngine, liveGate } from '../../test/live/helpers/engine.ts';
import { freePort, run } from '../../test/live/helpers/run.ts';
import { BIN } from '../../test/unit/helpers/build.ts';
import { composeOk, removeStack, step, type Stack } from '../../test/live/helpers/stack.ts';

const gate = liveGate();
const SERVICES = ['app', 'redis', 'rabbitmq'];

const CLIENT = `
import { readFileSync } from 'node:fs';
import amqp from 'amqplib';
const mode = process.argv[2];
const password = readFileSync(process.env.AMQP_PASSWORD_FILE, 'utf8').trim();
const url = new URL(process.env.AMQP_URL);
url.password = encodeURIComponent(password);
const out = {};
const connection = await amqp.connect(url.href);
const channel = await connection.createChannel();
if (mode === 'write') {
  await channel.assertQueue('wpsn', { durable: true });
  out.sent = channel.sendToQueue('wpsn', Buffer.from('from-the-companion'), { persistent: true });
}
const message = await channel.get('wpsn', { noAck: false });
out.got = message ? message.content.toString() : null;
if (message) channel.nack(message, false, true);
await channel.close();
await connection.close();
const auth = 'Basic ' + Buffer.from('app:' + password).toString('base64');
out.managementApi = await fetch('http://rabbitmq:15672/api/users', { headers: { authorization: auth } }).then((r) => r.status);
const wrong = new URL(url); wrong.password = 'wrong-password-0123456789';
out.wrong = await amqp.connect(wrong.href).then(async (c) => { await c.close(); return 'accepted'; }, (e) => (/ACCESS_REFUSED/.test(e.message) ? 'ACCESS_REFUSED' : e.message));
console.log(JSON.stringify(out));
`;

if (!gate.ready) {
  describeWithoutEngine('live: rabbitmq (catalog service)', gate);
} else {
  describe('live: rabbitmq (catalog service, ui: true)', () => {
    let stack: Stack | undefined;
    let packages = '';
    let uiPort = 0;
    const s = (): Stack => {
      if (!stack) throw new Error('the stack was not generated');
      return stack;
    };
    const client = (mode: string) => companionJson(s(), { packages, variables: ['AMQP_URL', 'AMQP_PASSWORD_FILE'], script: CLIENT, args: [mode] });

    beforeAll(async () => {
      uiPort = await freePort();
      [stack, packages] = await Promise.all([
        generateCatalogStack('rabbitmq', ['rabbitmq'], { services: [{ kind: 'rabbitmq', ui: true, uiHostPort: uiPort }] }),
        companionPackages(['amqplib@2']),
      ]);
    });
    afterAll(async () => {
      if (stack) await removeStack(stack);
    });

    it('comes up healthy (docker compose up -d --build --wait), every process as 999 with a read-only root', async () => {
      await step(stack, SERVICES, async () => {
        await composeOk(s(), ['up', '-d', '--build', '--wait', '--wait-timeout', '240'], 600_000);
        const info = await serviceContainer(s().project, 'rabbitmq');
        expect(info.State.Health?.Status).toBe('healthy');
        expect(info.Config.User).toBe('999:999');
        expect(info.Config.Hostname).toBe('rabbitmq');
        expect(info.HostConfig.ReadonlyRootfs).toBe(true);
        expect(info.HostConfig.CapDrop).toEqual(['ALL']);
        const procs = await topProcesses(info.Id);
        expect(procs.filter((p) => p.uid !== 999), JSON.stringify(procs)).toEqual([]);
      });
    });

    it('a companion with amqplib publishes and reads a persistent message through AMQP_URL and AMQP_PASSWORD_FILE; the user cannot use the management API; a wrong password is refused', async () => {
      await step(stack, SERVICES, async () => {
        expect(await client('write')).toEqual({ sent: true, got: 'from-the-companion', managementApi: 401, wrong: 'ACCESS_REFUSED' });
      });
    });

    it('publishes only the management UI, on 127.0.0.1, which asks for the login (on a network of its own); AMQP is unreachable from the frontend network and the host', async () => {
      await step(stack, SERVICES, async () => {
        const info = await serviceContainer(s().project, 'rabbitmq');
        const published = Object.entries(info.NetworkSettings.Ports ?? {}).filter(([, b]) => b && b.length > 0);
        expect(published).toEqual([['15672/tcp', [{ HostIp: '127.0.0.1', HostPort: String(uiPort) }]]]);
        const anonymous = await fetch(`http://127.0.0.1:${uiPort}/api/overview`);
        expect(anonymous.status).toBe(401);
        const password = s().passwords.get('rabbitmq_password')!;
        const login = await fetch(`http://127.0.0.1:${uiPort}/api/overview`, { headers: { authorization: `Basic ${Buffer.from(`app:${password}`).toString('base64')}` } });
        expect(login.status, 'the app user logs in to the UI (management tag)').toBe(200);
        const page = await fetch(`http://127.0.0.1:${uiPort}/`);
        expect(page.status).toBe(200);
        // Its own UI network aside, only on the backend: the app's frontend network cannot reach it.
        await expectUnpublished(s(), 'rabbitmq', ['backend', 'rabbitmq-ui'], ['15672/tcp']);
        await expectUnreachable(s(), 'rabbitmq', 5672);
        await expectNoPasswordShown(s());
      });
    });

    it('wpsn-docker doctor knows its image and its published UI port (held by this stack while it runs)', async () => {
      await step(stack, SERVICES, async () => {
        const r = await run(process.execPath, [BIN, 'doctor', '--json', '--no-pull'], { cwd: s().dir, env: s().env, timeoutMs: 180_000 });
        const report = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; detail: string }> };
        const ports = report.checks.filter((c) => c.id === 'ports' && c.detail.includes(`127.0.0.1:${uiPort}`));
        expect(ports, r.stdout).toEqual([expect.objectContaining({ status: 'ok', detail: expect.stringContaining('held by this stack') })]);
        expect(report.checks.filter((c) => c.id === 'images').map((c) => c.detail).join('\n')).toContain('rabbitmq:4.0-management');
      });
    });

    it('the durable queue and its persistent message survive docker compose down and up', async () => {
      await step(stack, SERVICES, async () => {
        await composeOk(s(), ['down', '--timeout', '20'], 180_000);
        await composeOk(s(), ['up', '-d', '--wait', '--wait-timeout', '240'], 600_000);
        expect((await client('read'))['got']).toBe('from-the-companion');
      });
    });
  });
}
