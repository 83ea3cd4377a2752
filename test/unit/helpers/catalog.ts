// What every catalog service's unit test checks (services/<id>/<id>.test.ts calls
// describeCatalogService with its own expectations): the spec entry from --services and
// an answers file, the Compose fragment (image, user, hardening, network, health check,
// secrets, no published port unless a UI is asked for), what the app gets (variables
// without a password, secrets, URLs completed by a secret), the deploy targets (Swarm and
// Kubernetes run it, ECS and Container Apps refuse naming the managed service), and the
// generated project: `docker compose config -q`, the Compose Specification schema, the
// README section in both languages, the secret files.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../../core/errors.ts';
import { deriveModel } from '../../../core/model.ts';
import { composeObject } from '../../../core/render/compose.ts';
import { kubernetesBase } from '../../../targets/deploy/kubernetes/render.ts';
import { swarmStackObject } from '../../../targets/deploy/swarm/render.ts';
import { flagsLayer, resolveSpec } from '../../../core/spec.ts';
import { parseImageReference, pinProblem } from '../../../schema/image-ref.ts';
import { CATALOG_MODULES } from '../../../services/index.ts';
import type { AppUrl } from '../../../services/types.ts';
import { cleanEnv, ensureBuilt, makeTempDir, removeTempDirs, runCli } from './cli.ts';

type Obj = Record<string, any>;

export interface CatalogExpectation {
  kind: string;
  label: string;
  image: string;
  /** Compose `user` (undefined: the image's own, root with every capability dropped). */
  user: string | undefined;
  port: number;
  /** The named volume and its target; undefined for a service that keeps no data. */
  volume: { name: string; target: string } | undefined;
  /** Compose healthcheck test; undefined: none (the app waits with service_started). */
  healthcheck: string[] | undefined;
  /** Exactly the variables the app gets from it. */
  appEnvironment: Record<string, string>;
  appSecrets: string[];
  appUrls?: AppUrl[];
  /** Secrets mounted into the service itself (Compose names), and where if not /run/secrets. */
  serviceSecrets: string[];
  secretTargets?: Record<string, string>;
  /** Secret files the project gets (paths under secrets/). */
  secretFiles: string[];
  /** Derived secret files: path -> what their text holds, given the passwords (name -> value). */
  derived?: Record<string, (passwords: Record<string, string>) => string | RegExp>;
  /** A development UI: its container port and default host port. */
  ui?: { port: number; hostPort: number };
  /** Names the deploy refusal must mention: the managed services of Amazon and Azure. */
  managed: { ecs: RegExp; aca: RegExp };
  /** More checks of its own Compose service object. */
  compose?: (service: Obj, compose: Obj) => void;
}

const resolve = (values: Record<string, unknown>, flags: Record<string, unknown> = {}) =>
  resolveSpec([{ source: 'answers.yaml', values }, flagsLayer(flags)], { dirName: 'demo' });

function problems(values: Record<string, unknown>, flags: Record<string, unknown> = {}): InputError['problems'] {
  try {
    resolve(values, flags);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error(`expected ${JSON.stringify({ values, flags })} to be refused`);
}

const composeOf = (values: Record<string, unknown>): Obj => composeObject(deriveModel(resolve(values), { sampleApp: true })) as Obj;

/** Whether `docker compose` can run here (the conformance rules: required in CI, skippable knowingly elsewhere). */
function composeAvailable(): boolean {
  const r = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 60_000, env: cleanEnv() });
  if (r.status === 0) return true;
  if (process.env['CI'] === 'true') throw new Error(`docker compose is required in CI: ${r.error?.message ?? r.stderr}`);
  if (process.env['WPSN_SKIP_DOCKER'] === '1') {
    console.warn('\n!!! WPSN_SKIP_DOCKER=1: `docker compose config` did NOT check this service\'s compose file.\n');
    return false;
  }
  throw new Error(`docker compose is required (run scripts/test-env.sh, or set WPSN_SKIP_DOCKER=1 to skip knowingly): ${r.error?.message ?? r.stderr}`);
}

function composeSchema(): ValidateFunction | undefined {
  const path = process.env['WPSN_COMPOSE_SCHEMA'];
  if (!path) return undefined;
  return new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(JSON.parse(readFileSync(path, 'utf8')) as Obj);
}

export function describeCatalogService(e: CatalogExpectation): void {
  const module = CATALOG_MODULES.find((m) => m.id === e.kind);

  describe(`${e.kind}: the spec entry`, () => {
    it('is a catalog module listed in services/index.ts, with a summary and the managed services the clouds use', () => {
      expect(module?.label).toBe(e.label);
      expect(module?.summary.length).toBeGreaterThan(10);
      expect(module?.managed.ecs).toMatch(e.managed.ecs);
      expect(module?.managed.aca).toMatch(e.managed.aca);
    });

    it(`--services ${e.kind} makes an entry with every default; the image is pinned to an official tag`, () => {
      const spec = resolve({}, { services: e.kind });
      expect(spec.services).toHaveLength(1);
      const entry = spec.services[0]!;
      expect(entry.kind).toBe(e.kind);
      expect(entry['image']).toBe(e.image);
      const parsed = parseImageReference(e.image);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(pinProblem(parsed.ref)).toBeUndefined();
      // The same entry from an answers file's shorthand and object forms.
      expect(resolve({ services: [e.kind] }).services).toEqual(spec.services);
      expect(resolve({ services: [{ kind: e.kind }] }).services).toEqual(spec.services);
    });

    it('refuses an unknown option, an unpinned image, and the kind twice, naming the field', () => {
      expect(problems({ services: [{ kind: e.kind, colour: 'blue' }] }).map((p) => p.field)).toEqual(['services.0.colour']);
      const latest = problems({ services: [{ kind: e.kind, image: `${e.image.split(':')[0]}:latest` }] });
      expect(latest.map((p) => p.field)).toEqual(['services.0.image']);
      const twice = problems({}, { services: `${e.kind},${e.kind}` });
      expect(twice).toEqual([expect.objectContaining({ field: 'services.1.kind', source: '--services', value: e.kind, rule: expect.stringMatching(/at most once/) })]);
    });

    it('refuses an extra service that takes its name', () => {
      const p = problems({ services: [e.kind], extraServices: [{ name: e.kind, image: 'busybox:1.37' }] });
      expect(p.map((x) => x.field)).toEqual(['extraServices.0.name']);
    });

    if (e.volume) {
      it('refuses a volume another service already has', () => {
        const p = problems({ services: [{ kind: e.kind, volume: 'redis-data' }] });
        expect(p).toEqual([expect.objectContaining({ field: 'services.0.volume', rule: expect.stringMatching(/already redis\.volume's/) })]);
      });
    }
  });

  describe(`${e.kind}: docker-compose.yml`, () => {
    const compose = composeOf({ services: [e.kind] });
    const service = compose['services'][e.kind] as Obj;

    it('runs the pinned image as its user, hardened: read-only root, no capabilities, no new privileges, limits', () => {
      expect(service['image']).toBe(e.image);
      expect(service['user']).toBe(e.user);
      expect(service['cap_drop']).toEqual(['ALL']);
      expect(service['cap_add']).toBeUndefined();
      expect(service['security_opt']).toEqual(['no-new-privileges:true']);
      expect(service['read_only']).toBe(true);
      expect(service['mem_limit']).toMatch(/^\d+[mg]$/);
      expect(typeof service['pids_limit']).toBe('number');
      expect(service['restart']).toBe('unless-stopped');
    });

    it('is on the internal backend network only, and publishes nothing', () => {
      expect(service['networks']).toEqual(['backend']);
      expect(service['ports']).toBeUndefined();
      expect(compose['networks']['backend']).toEqual({ internal: true });
    });

    it(e.volume ? `keeps its data in the named volume ${e.volume.name}` : 'keeps no data: no volume', () => {
      const volumes = ((service['volumes'] ?? []) as string[]).filter((v) => !v.startsWith('./'));
      if (e.volume) {
        expect(volumes).toEqual([`${e.volume.name}:${e.volume.target}`]);
        expect(compose['volumes']).toHaveProperty(e.volume.name);
      } else {
        expect(volumes).toEqual([]);
      }
    });

    it(e.healthcheck ? 'has its health check, and the app waits until it is healthy' : 'has no health check (none can run in its image), and the app waits for it to start', () => {
      const dependsOn = compose['services']['app']['depends_on'][e.kind];
      if (e.healthcheck) {
        expect(service['healthcheck']['test']).toEqual(e.healthcheck);
        expect(dependsOn).toEqual({ condition: 'service_healthy' });
      } else {
        expect(service['healthcheck']).toBeUndefined();
        expect(dependsOn).toEqual({ condition: 'service_started' });
      }
    });

    it('gets its secrets as Compose secrets (at their own path where it reads one there)', () => {
      const secrets = ((service['secrets'] ?? []) as Array<string | { source: string; target: string }>).map((s) => (typeof s === 'string' ? s : `${s.source}->${s.target}`));
      expect(secrets.sort()).toEqual(e.serviceSecrets.map((name) => (e.secretTargets?.[name] ? `${name}->${e.secretTargets[name]}` : name)).sort());
      for (const name of e.serviceSecrets) expect(compose['secrets'][name]['file']).toMatch(/^\.\/secrets\//);
    });

    it('gives the app its variables (no password among them), its secrets and the URLs a secret completes', () => {
      const model = deriveModel(resolve({ services: [e.kind] }), { sampleApp: true });
      const own = model.services.find((x) => x.module === e.kind)!;
      expect(own.app.environment).toEqual(e.appEnvironment);
      expect(own.app.secrets).toEqual(e.appSecrets);
      expect(own.app.urls ?? []).toEqual(e.appUrls ?? []);
      for (const [key, value] of Object.entries(e.appEnvironment)) expect(compose['services']['app']['environment'][key]).toBe(value);
      for (const name of e.appSecrets) expect(compose['services']['app']['secrets']).toContain(name);
      // No variable that holds a password itself (MEILI_MASTER_KEY, RABBITMQ_DEFAULT_PASS,
      // MINIO_ROOT_PASSWORD, ...): only *_FILE variables naming a secret file.
      const secretish = /(PASSWORD|PASS|SECRET|KEY|TOKEN)$/;
      for (const env of [service['environment'] ?? {}, compose['services']['app']['environment']]) {
        expect(Object.keys(env as Obj).filter((k) => secretish.test(k))).toEqual([]);
      }
      expect(own.docs).toBe(`services/${e.kind}/readme`);
    });

    if (e.ui) {
      const ui = e.ui;
      it(`ui: true publishes its UI on 127.0.0.1:${ui.hostPort} only (and joins a network of its own, which Docker needs for that; not the app's frontend)`, () => {
        const composeUi = composeOf({ services: [{ kind: e.kind, ui: true }] });
        const withUi = composeUi['services'][e.kind] as Obj;
        expect(withUi['ports']).toEqual([`127.0.0.1:${ui.hostPort}:${ui.port}`]);
        expect(withUi['networks']).toEqual(['backend', `${e.kind}-ui`]);
        expect(composeUi['networks'][`${e.kind}-ui`]).toEqual({});
        expect(composeUi['services']['app']['networks']).not.toContain(`${e.kind}-ui`);
        const moved = composeOf({ services: [{ kind: e.kind, ui: true, uiHostPort: 18080 }] })['services'][e.kind] as Obj;
        expect(moved['ports']).toEqual([`127.0.0.1:18080:${ui.port}`]);
      });
    }

    if (e.compose) it('has what its module promises besides', () => e.compose!(service, compose));
  });

  describe(`${e.kind}: deploy targets`, () => {
    it('Swarm and Kubernetes run it next to the app, on the internal network, with its secrets', () => {
      const model = deriveModel(resolve({ services: [e.kind], deploy: { targets: ['swarm', 'kubernetes'] } }), { sampleApp: true });
      const stateful = model.deploy.stateful.find((s) => s.service === e.kind);
      expect(stateful).toBeDefined();
      const swarm = swarmStackObject(model) as Obj;
      expect(swarm['services'][e.kind]['image']).toBe(e.image);
      expect(swarm['services'][e.kind]['networks']).toEqual(['backend']);
      expect(swarm['services'][e.kind]['ports']).toBeUndefined();
      const files = kubernetesBase(model).map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining([`deploy/kubernetes/base/${e.kind}-statefulset.yaml`, `deploy/kubernetes/base/${e.kind}-service.yaml`, `deploy/kubernetes/base/${e.kind}-networkpolicy.yaml`]));
      const set = kubernetesBase(model).find((f) => f.path.endsWith(`/${e.kind}-statefulset.yaml`))!.object as Obj;
      const pod = set['spec']['template']['spec'];
      expect(pod['securityContext']['runAsNonRoot']).toBe(true);
      expect(pod['securityContext']['runAsUser']).toBeGreaterThan(0);
      expect(set['spec']['volumeClaimTemplates'] !== undefined).toBe(e.volume !== undefined);
    });

    for (const target of ['ecs', 'aca'] as const) {
      it(`${target} refuses it (exit 2), naming the managed service to use instead`, () => {
        const p = problems({ services: [e.kind], deploy: { targets: [target] } });
        expect(p).toEqual([expect.objectContaining({ field: 'services.0.kind', rule: expect.stringMatching(e.managed[target]) })]);
      });
    }
  });

  describe(`${e.kind}: the generated project`, () => {
    let dir = '';
    let koDir = '';
    let uiDir = '';
    let docker = false;
    let schema: ValidateFunction | undefined;
    beforeAll(() => {
      ensureBuilt();
      const parent = makeTempDir(`wpsn-${e.kind}-`);
      const r = runCli(parent, ['demo', '--yes', '--services', e.kind]);
      expect(r.code, r.describe).toBe(0);
      dir = join(parent, 'demo');
      const ko = runCli(parent, ['demo-ko', '--yes', '--lang', 'ko', '--services', e.kind]);
      expect(ko.code, ko.describe).toBe(0);
      koDir = join(parent, 'demo-ko');
      if (e.ui) {
        writeFileSync(join(parent, 'ui.json'), JSON.stringify({ services: [{ kind: e.kind, ui: true }] }));
        const ui = runCli(parent, ['demo-ui', '--yes', '--answers', join(parent, 'ui.json')]);
        expect(ui.code, ui.describe).toBe(0);
        uiDir = join(parent, 'demo-ui');
      }
      docker = composeAvailable();
      schema = composeSchema();
    });
    afterAll(() => removeTempDirs());

    const dirs = (): Array<[string, string]> => [['default', dir], ['ko', koDir], ...(e.ui ? [['ui: true', uiDir] as [string, string]] : [])];

    it('docker compose config -q accepts it, and Compose reads its service as meant', () => {
      if (!docker) return;
      for (const [name, d] of dirs()) {
        const quiet = spawnSync('docker', ['compose', 'config', '-q'], { cwd: d, encoding: 'utf8', env: cleanEnv({ DOCKER_CLI_HINTS: 'false' }), timeout: 60_000 });
        expect(quiet.status, `${name}: ${quiet.stderr}`).toBe(0);
        const full = spawnSync('docker', ['compose', 'config', '--format', 'json'], { cwd: d, encoding: 'utf8', env: cleanEnv({ DOCKER_CLI_HINTS: 'false' }), timeout: 60_000 });
        expect(full.status, full.stderr).toBe(0);
        const config = JSON.parse(full.stdout) as Obj;
        const s = config['services'][e.kind] as Obj;
        expect(s['image']).toBe(e.image);
        if (name === 'ui: true') expect(s['ports']).toEqual([expect.objectContaining({ host_ip: '127.0.0.1', published: String(e.ui!.hostPort), target: e.ui!.port })]);
        else expect(s['ports']).toBeUndefined();
      }
    });

    it('the Compose Specification schema accepts it (WPSN_COMPOSE_SCHEMA)', () => {
      if (!schema) return;
      for (const [name, d] of dirs()) {
        const file = parseYaml(readFileSync(join(d, 'docker-compose.yml'), 'utf8')) as unknown;
        expect(schema(file), `${name}: ${JSON.stringify(schema.errors)}`).toBe(true);
      }
    });

    it('README.Docker.md has its section in English and in Korean, with its variables', () => {
      const en = readFileSync(join(dir, 'README.Docker.md'), 'utf8');
      const ko = readFileSync(join(koDir, 'README.Docker.md'), 'utf8');
      for (const text of [en, ko]) {
        expect(text).toContain(`## ${e.label} (\`${e.kind}\`)`);
        for (const key of Object.keys(e.appEnvironment)) expect(text).toContain(key);
      }
      expect(en).toMatch(/\*\*(Proven live here|Not proven live here\.)\*\*/);
      expect(ko).toMatch(/\*\*여기서 실제로 (증명한 것|증명하지 않음\.)\*\*/);
    });

    it('its secret files are made (0644 in a 0700 folder); derived files hold what the passwords make', () => {
      expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
      const passwords: Record<string, string> = {};
      for (const file of e.secretFiles) {
        const path = join(dir, file);
        expect(statSync(path).mode & 0o777, file).toBe(0o644);
        passwords[file.replace(/^secrets\//, '')] = readFileSync(path, 'utf8').trim();
      }
      for (const [file, expected] of Object.entries(e.derived ?? {})) {
        const text = readFileSync(join(dir, file), 'utf8');
        const want = expected(passwords);
        if (typeof want === 'string') expect(text).toBe(want);
        else expect(text).toMatch(want);
      }
    });

    it('a re-run changes nothing', () => {
      const again = runCli(dir, ['--yes']);
      expect(again.code, again.describe).toBe(0);
      expect(again.stdout).not.toMatch(/^\s*(create|update)\s/m);
    });
  });
}
