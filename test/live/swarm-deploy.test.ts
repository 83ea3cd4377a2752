// Live: the generated Swarm deploy on a real single-node swarm. A project generated with
// PostgreSQL, the self-hosted registry and the swarm target is built and pushed by its own
// scripts/push-registry.sh to a real registry (docker-registry with htpasswd on loopback),
// then deployed by its own scripts/deploy-swarm.sh with two app replicas.
//
// This machine's kernel has no IPVS, so Swarm's virtual IPs and ingress routing mesh do
// not work here (MACHINE.md). The generated stack keeps Swarm's defaults for real
// clusters; this test writes a test-only variant next to it (endpoint_mode: dnsrr on every
// service, no published ports, the front network attachable) and sends its requests from
// a client container attached to that network. The swarm is left as it was found.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextYoRc, preparePlan, readInputs, resolveInputs } from '../../core/project.ts';
import { applyPlan } from '../../core/write.ts';
import { DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE } from '../../schema/defaults.ts';
import { DEFAULT_DATABASE_IMAGES } from '../../services/index.ts';
import { banner, describeWithoutEngine, imageAvailable, liveGate } from './helpers/engine.ts';
import { startRegistry, type LocalRegistry } from './helpers/registry.ts';
import { describeRun, run, sleep, until, type Ran } from './helpers/run.ts';

type Obj = Record<string, any>;

const PROJECT = 'wpsn-live-swarm';
const STACK = `wpsnswarm${randomBytes(3).toString('hex')}`;
const TAG = `live-${randomBytes(3).toString('hex')}`;
const CLIENT_IMAGE = DEFAULT_NODE_IMAGE;
const FRONT = `${STACK}_frontend`;

const figure = (text: string): void => console.log(`figure: ${text}`);
const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function swarmSuite(): void {
  describe('live: Docker Swarm deploy (single-node swarm, local registry)', () => {
    let root = '';
    let dir = '';
    let registry: LocalRegistry | undefined;
    let createdSwarm = false;
    let gwbridgeBefore = true;
    let env: NodeJS.ProcessEnv = {};
    let pushedRef = '';
    let lastHits = 0;
    const figures: string[] = [];
    const note = (text: string) => {
      figures.push(text);
      figure(`[swarm] ${text}`);
    };

    const docker = (args: readonly string[], timeoutMs = 120_000): Promise<Ran> => run('docker', args, { env, timeoutMs });
    const dockerOk = async (args: readonly string[], timeoutMs?: number): Promise<Ran> => {
      const r = await docker(args, timeoutMs);
      if (r.code !== 0) throw new Error(`docker failed:\n${describeRun(r)}`);
      return r;
    };
    const script = (name: string, extra: Record<string, string>, args: string[] = [], timeoutMs = 600_000): Promise<Ran> =>
      run('bash', [join(dir, 'scripts', name), ...args], { cwd: dir, env: { ...env, ...extra }, timeoutMs });

    /** The stack's state, for failure messages. */
    const diagnostics = async (): Promise<string> => {
      const ps = await docker(['stack', 'ps', '--no-trunc', '--format', '{{.Name}} {{.Image}} {{.CurrentState}} {{.Error}}', STACK]).catch(() => undefined);
      const logs = await docker(['service', 'logs', '--tail', '20', '--raw', `${STACK}_app`]).catch(() => undefined);
      const redisLogs = await docker(['service', 'logs', '--tail', '20', '--raw', `${STACK}_redis`]).catch(() => undefined);
      return [`--- stack ps ---\n${ps?.stdout ?? ''}${ps?.stderr ?? ''}`, `--- app logs ---\n${logs?.stdout ?? ''}${logs?.stderr ?? ''}`, `--- redis logs ---\n${redisLogs?.stdout ?? ''}${redisLogs?.stderr ?? ''}`].join('\n');
    };
    const step = async <T>(fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (error) {
        const extra = await diagnostics().catch((e: Error) => e.message);
        if (error instanceof Error) error.message = `${error.message}\n\n${extra}`;
        throw error;
      }
    };

    /**
     * Requests from a client container on the stack's front network: `count` GETs of / one
     * after the other, each tried up to `attempts` times; one JSON line per request.
     */
    const client = async (
      count: number,
      options: { everyMs?: number; attempts?: number; name?: string } = {},
    ): Promise<Array<{ ok: boolean; hits?: number; rows?: number; tries: number; error?: string }>> => {
      // With a name, it runs until `docker stop NAME` (SIGTERM ends the loop after the current request).
      const program = `
        const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
        let stop = false;
        process.on('SIGTERM', () => { stop = true; });
        for (let i = 0; i < ${count} && !stop; i++) {
          let tries = 0, last = '';
          for (;;) {
            tries++;
            try {
              const res = await fetch('http://app:3000/', { signal: AbortSignal.timeout(3000) });
              const body = await res.json();
              if (res.status === 200 && typeof body.hits === 'number') { console.log(JSON.stringify({ ok: true, hits: body.hits, rows: body.rows, tries })); break; }
              last = 'HTTP ' + res.status + ' ' + JSON.stringify(body);
            } catch (e) { last = String(e && e.cause ? e.cause.code || e.cause.message : e); }
            if (tries >= ${options.attempts ?? 1}) { console.log(JSON.stringify({ ok: false, tries, error: last })); break; }
            await sleep(200);
          }
          await sleep(${options.everyMs ?? 0});
        }`;
      const name = options.name ? ['--name', options.name] : [];
      const r = await docker(['run', '--rm', ...name, '--network', FRONT, CLIENT_IMAGE, 'node', '--input-type=module', '-e', program], 300_000);
      if (r.code !== 0) throw new Error(`the client container failed:\n${describeRun(r)}`);
      return r.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { ok: boolean; hits?: number; tries: number; error?: string });
    };

    /** Running tasks of a service, and whether its last update (if any) finished. */
    const serviceState = async (service: string): Promise<{ running: number; update: string }> => {
      const ps = await dockerOk(['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.CurrentState}}', `${STACK}_${service}`]);
      const running = ps.stdout.split('\n').filter((l) => l.startsWith('Running')).length;
      const inspect = await dockerOk(['service', 'inspect', '--format', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}', `${STACK}_${service}`]);
      return { running, update: inspect.stdout.trim() };
    };

    beforeAll(async () => {
      for (const image of [DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE, DEFAULT_DATABASE_IMAGES['postgres']!]) {
        const a = imageAvailable(image);
        if (!a.available) throw new Error(`the base image ${image} is not available (${a.how}): run bash scripts/test-env.sh`);
      }
      root = mkdtempSync(join(realpathSync(tmpdir()), 'wpsn-live-swarm-'));
      const dockerConfig = join(root, 'docker-config');
      mkdirSync(dockerConfig);
      env = { ...process.env, DOCKER_CONFIG: dockerConfig };
      for (const key of Object.keys(env)) if (key.startsWith('COMPOSE_')) delete env[key];

      // Leave the swarm as it was found: join state, and the gateway bridge a swarm creates.
      const state = (await dockerOk(['info', '--format', '{{.Swarm.LocalNodeState}}/{{.Swarm.ControlAvailable}}'])).stdout.trim();
      gwbridgeBefore = (await docker(['network', 'inspect', 'docker_gwbridge'])).code === 0;
      if (state === 'inactive/false') {
        const init = await dockerOk(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
        createdSwarm = true;
        note(`docker swarm init: ${sec(init.ms)}`);
      } else if (state !== 'active/true') {
        throw new Error(`this engine is in a swarm state the test cannot use (${state}): it needs no swarm, or a manager`);
      }

      registry = await startRegistry(root);
      dir = join(root, PROJECT);
      const inputs = readInputs(dir, {
        yes: true,
        'project-name': PROJECT,
        registry: 'registry',
        'registry-host': registry.host,
        'registry-namespace': 'live',
        deploy: 'swarm',
        database: 'postgres',
      });
      const prepared = preparePlan(inputs, resolveInputs(inputs));
      applyPlan(dir, prepared.plan, nextYoRc(inputs, prepared));
    });

    afterAll(async () => {
      const problems: string[] = [];
      if (dir) {
        await docker(['stack', 'rm', STACK]);
        // Until the stack's services, containers and networks are gone, then its volume.
        await until(
          'the stack to be gone',
          async () => {
            const left = await docker(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${STACK}`]);
            const nets = await docker(['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`]);
            return left.stdout.trim() === '' && nets.stdout.trim() === '' ? true : undefined;
          },
          120_000,
          500,
        ).catch((e: Error) => problems.push(e.message));
        const volumes = await docker(['volume', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`]);
        for (const v of volumes.stdout.split('\n').filter(Boolean)) {
          const r = await docker(['volume', 'rm', v]);
          if (r.code !== 0) problems.push(describeRun(r));
        }
        await docker(['image', 'rm', '--force', pushedRef || `${registry?.host}/live/${PROJECT}:${TAG}`, `${PROJECT}-app`]);
      }
      if (createdSwarm) {
        const leave = await docker(['swarm', 'leave', '--force']);
        if (leave.code !== 0) problems.push(describeRun(leave));
        if (!gwbridgeBefore) {
          await until('docker_gwbridge to be removable', async () => ((await docker(['network', 'rm', 'docker_gwbridge'])).code === 0 || (await docker(['network', 'inspect', 'docker_gwbridge'])).code !== 0 ? true : undefined), 60_000, 500).catch(
            (e: Error) => problems.push(e.message),
          );
        }
      }
      registry?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
      if (figures.length) console.log(`figures [swarm]:\n  ${figures.join('\n  ')}`);
      if (problems.length) console.warn(banner(`clean-up of the swarm test had problems:\n${problems.join('\n')}`));
    });

    it('1. scripts/push-registry.sh builds the app image and pushes it to the local registry', async () => {
      const r = await script('push-registry.sh', { REGISTRY_USERNAME: registry!.user, REGISTRY_PASSWORD: registry!.password, IMAGE_TAG: TAG, PUSH_LATEST: '0' });
      expect(r.code, describeRun(r)).toBe(0);
      const m = /^pushed (\S+)@(sha256:[0-9a-f]{64})$/m.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      pushedRef = m![1]!;
      expect(pushedRef).toBe(`${registry!.host}/live/${PROJECT}:${TAG}`);
      expect(await registry!.catalog()).toEqual([`live/${PROJECT}`]);
      note(`build and push: ${sec(r.ms)}`);
    });

    it('2. APP_IMAGE defaults to exactly what the push script pushed', async () => {
      const r = await script('deploy-swarm.sh', { IMAGE_TAG: TAG }, ['--dry-run']);
      expect(r.code, describeRun(r)).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe(`app image: ${pushedRef}`);
    });

    it('3. scripts/deploy-swarm.sh deploys the test variant and waits until 2 app replicas, Redis and PostgreSQL run', async () => {
      await step(async () => {
        // The test-only variant, next to the original so its relative secret paths still hold.
        const stack = parseYaml(readFileSync(join(dir, 'deploy/swarm/stack.yml'), 'utf8')) as Obj;
        expect(stack['services'].app.ports).toEqual([{ target: 3000, published: 3000, protocol: 'tcp', mode: 'ingress' }]);
        for (const service of Object.values<Obj>(stack['services'])) {
          service['deploy'].endpoint_mode = 'dnsrr';
          delete service['ports'];
        }
        stack['networks'].frontend.attachable = true;
        writeFileSync(join(dir, 'deploy/swarm/stack.test.yml'), stringifyYaml(stack));

        const r = await script('deploy-swarm.sh', { STACK_FILE: 'deploy/swarm/stack.test.yml', STACK_NAME: STACK, APP_IMAGE: pushedRef, DEPLOY_TIMEOUT: '300' });
        expect(r.code, describeRun(r)).toBe(0);
        expect(r.stdout).toContain(`app image: ${pushedRef}`);
        expect(r.stdout).toContain(`deployed ${STACK} (${pushedRef})`);
        expect(r.stderr).toContain('on every interface of every node');
        note(`deploy-swarm.sh, command start to every replica running: ${sec(r.ms)}`);
        expect(await serviceState('app')).toEqual({ running: 2, update: '' });
        expect(await serviceState('redis')).toEqual({ running: 1, update: '' });
        expect(await serviceState('db')).toEqual({ running: 1, update: '' });
        // The app runs the pushed image; the secrets are versioned Swarm secrets of this stack.
        const image = (await dockerOk(['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', `${STACK}_app`])).stdout.trim();
        expect(image.startsWith(`${pushedRef}@sha256:`) || image === pushedRef, image).toBe(true);
        const secrets = (await dockerOk(['secret', 'ls', '--filter', `label=com.docker.stack.namespace=${STACK}`, '--format', '{{.Name}}'])).stdout.split('\n').filter(Boolean).sort();
        expect(secrets.map((s) => s.replace(/_[0-9a-f]{12}$/, '_DIGEST'))).toEqual([
          `${STACK}_db_admin_password_DIGEST`,
          `${STACK}_db_password_DIGEST`,
          `${STACK}_redis_acl_DIGEST`,
          `${STACK}_redis_password_DIGEST`,
        ]);
        // db/init/ as versioned Swarm configs: the app's role and the sample's table were made on the first start.
        const configs = (await dockerOk(['config', 'ls', '--filter', `label=com.docker.stack.namespace=${STACK}`, '--format', '{{.Name}}'])).stdout.split('\n').filter(Boolean).sort();
        expect(configs.map((s) => s.replace(/_[0-9a-f]{12}$/, '_DIGEST'))).toEqual([`${STACK}_db_init_0_DIGEST`, `${STACK}_db_init_1_DIGEST`]);
      });
    });

    it('4. GET / from a client on the front network increments hits by one each time', async () => {
      await step(async () => {
        // The first request may find the app's Redis connection still starting.
        const warm = await client(1, { attempts: 20 });
        expect(warm[0]?.ok, JSON.stringify(warm)).toBe(true);
        const started = performance.now();
        const results = await client(6);
        note(`6 sequential requests from a client container (container start included): ${sec(performance.now() - started)}`);
        expect(results.every((r) => r.ok), JSON.stringify(results)).toBe(true);
        const hits = results.map((r) => r.hits!);
        expect(hits[0]).toBe(warm[0]!.hits! + 1);
        for (let i = 1; i < hits.length; i++) expect(hits[i], JSON.stringify(hits)).toBe(hits[i - 1]! + 1);
        // Every hit is a row in PostgreSQL too, written as the app's own role.
        const rows = results.map((r) => r.rows!);
        expect(rows[0]).toBe(warm[0]!.rows! + 1);
        for (let i = 1; i < rows.length; i++) expect(rows[i], JSON.stringify(rows)).toBe(rows[i - 1]! + 1);
        lastHits = hits[hits.length - 1]!;
      });
    });

    it('5. docker service update --force on the app keeps serving (start-first)', async () => {
      await step(async () => {
        const before = await dockerOk(['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.ID}}', `${STACK}_app`]);
        const poller = `${STACK}-poller`;
        const requests = client(100_000, { everyMs: 250, attempts: 5, name: poller });
        await sleep(1500);
        const started = performance.now();
        await dockerOk(['service', 'update', '--force', '--detach', `${STACK}_app`]);
        await until(
          'the app update to complete',
          async () => {
            const s = await serviceState('app');
            if (s.update.startsWith('rollback')) throw new Error(`the update rolled back (${s.update})`);
            return s.update === 'completed' && s.running === 2 ? s : undefined;
          },
          240_000,
          500,
        );
        note(`service update --force app, to completed: ${sec(performance.now() - started)}`);
        await dockerOk(['stop', '--time', '10', poller]);
        const results = await requests;
        expect(results.length, 'requests kept going through the whole update').toBeGreaterThan(40);
        const failed = results.filter((r) => !r.ok);
        const retried = results.filter((r) => r.ok && r.tries > 1);
        note(`requests during the update: ${results.length}, failed: ${failed.length}, needed a retry: ${retried.length}`);
        expect(failed, JSON.stringify(failed)).toEqual([]);
        const hits = results.map((r) => r.hits!);
        expect(hits[0]).toBeGreaterThan(lastHits);
        for (let i = 1; i < hits.length; i++) expect(hits[i]!, JSON.stringify(hits)).toBeGreaterThan(hits[i - 1]!);
        lastHits = hits[hits.length - 1]!;
        const after = await dockerOk(['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.ID}}', `${STACK}_app`]);
        const oldIds = new Set(before.stdout.split('\n').filter(Boolean));
        expect(after.stdout.split('\n').filter(Boolean).some((id) => oldIds.has(id)), 'every task was replaced').toBe(false);
      });
    });

    it('6. Redis data survives a Redis task restart: hits continue from where they were', async () => {
      await step(async () => {
        const [before] = await client(1, { attempts: 5 });
        expect(before?.ok, JSON.stringify(before)).toBe(true);
        const oldTask = (await dockerOk(['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.ID}}', `${STACK}_redis`])).stdout.trim();
        const started = performance.now();
        await dockerOk(['service', 'update', '--force', '--detach', `${STACK}_redis`]);
        // Until a new Redis task runs (the update's 30 s monitoring window goes on after that).
        const newTask = await until(
          'a new Redis task to run',
          async () => {
            const s = await serviceState('redis');
            if (s.update.startsWith('rollback')) throw new Error(`the update rolled back (${s.update})`);
            const id = (await dockerOk(['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.ID}} {{.CurrentState}}', `${STACK}_redis`])).stdout.trim();
            return id !== '' && !id.startsWith(oldTask) && id.includes('Running') ? id : undefined;
          },
          240_000,
          250,
        );
        expect(newTask.startsWith(oldTask)).toBe(false);
        // The app reconnects by itself; the first answer after it is the next count.
        const [after] = await client(1, { attempts: 50 });
        note(`service update --force redis, to the next successful request: ${sec(performance.now() - started)}`);
        expect(after?.ok, JSON.stringify(after)).toBe(true);
        expect(after!.hits).toBe(before!.hits! + 1);
      });
    });

    it("6b. Redis away longer than the app check's retries (3 x 10 s) restarts no app task: Swarm's check on the app is liveness", async () => {
      await step(async () => {
        const appTasks = async (): Promise<string[]> =>
          (await dockerOk(['service', 'ps', '--filter', 'desired-state=running', '--format', '{{.ID}}', `${STACK}_app`])).stdout.split('\n').filter(Boolean).sort();
        const before = await appTasks();
        expect(before.length).toBe(2);
        await dockerOk(['service', 'scale', '--detach', `${STACK}_redis=0`]);
        try {
          // A readiness check (the app's /healthz asks Redis) would have failed three times by now.
          await sleep(45_000);
          expect(await appTasks(), 'the same app tasks run after 45 s without Redis').toEqual(before);
        } finally {
          await dockerOk(['service', 'scale', '--detach', `${STACK}_redis=1`]);
        }
        const [after] = await client(1, { attempts: 60 });
        expect(after?.ok, JSON.stringify(after)).toBe(true);
        note('45 s without Redis: no app task replaced; the app answers again once Redis is back');
      });
    });

    it('7. deploying again (services with update history now) converges and keeps the data', async () => {
      await step(async () => {
        const [before] = await client(1, { attempts: 5 });
        const r = await script('deploy-swarm.sh', { STACK_FILE: 'deploy/swarm/stack.test.yml', STACK_NAME: STACK, APP_IMAGE: pushedRef, DEPLOY_TIMEOUT: '300' });
        expect(r.code, describeRun(r)).toBe(0);
        note(`deploy-swarm.sh again, unchanged stack: ${sec(r.ms)}`);
        const [after] = await client(1, { attempts: 20 });
        expect(after?.ok, JSON.stringify(after)).toBe(true);
        expect(after!.hits).toBe(before!.hits! + 1);
      });
    });

    it('8. docker stack rm removes the services, networks, secrets and configs', async () => {
      const started = performance.now();
      await dockerOk(['stack', 'rm', STACK]);
      await until(
        'the stack to be gone',
        async () => {
          const services = await dockerOk(['service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`]);
          const networks = await dockerOk(['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`]);
          const containers = await dockerOk(['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${STACK}`]);
          return services.stdout.trim() === '' && networks.stdout.trim() === '' && containers.stdout.trim() === '' ? true : undefined;
        },
        120_000,
        500,
      );
      note(`docker stack rm, to nothing left: ${sec(performance.now() - started)}`);
      const secrets = await dockerOk(['secret', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`]);
      expect(secrets.stdout.trim()).toBe('');
      const configs = await dockerOk(['config', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`]);
      expect(configs.stdout.trim()).toBe('');
      expect((await dockerOk(['stack', 'ls', '--format', '{{.Name}}'])).stdout.split('\n')).not.toContain(STACK);
    });
  });
}

const gate = liveGate();
if (!gate.ready) {
  describeWithoutEngine('live: Docker Swarm deploy', gate);
} else {
  // What the engine was before the suite: after it (its afterAll has run), it is that again.
  const swarmState = () => spawnSync('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}/{{.Swarm.ControlAvailable}}'], { encoding: 'utf8' }).stdout.trim();
  const hasGwbridge = () => spawnSync('docker', ['network', 'inspect', 'docker_gwbridge'], { encoding: 'utf8' }).status === 0;
  const found = { swarm: swarmState(), gwbridge: hasGwbridge() };
  swarmSuite();
  describe('live: Docker Swarm deploy leaves the engine as it found it', () => {
    it(`swarm state ${found.swarm}, docker_gwbridge ${found.gwbridge ? 'present' : 'absent'}, no stack ${STACK}`, () => {
      expect({ swarm: swarmState(), gwbridge: hasGwbridge() }).toEqual(found);
      expect(spawnSync('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`], { encoding: 'utf8' }).stdout.trim()).toBe('');
    });
  });
}
