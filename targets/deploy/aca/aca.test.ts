// Azure Container Apps: deploy/aca/app.yaml and redis.yaml, and scripts/deploy-aca.sh against
// a fake az. What every target shares (files, scripts, --dry-run, settings):
// test/unit/deploy.test.ts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../../core/model.ts';
import { resolveSpec } from '../../../core/spec.ts';
import { type Obj, model, project, yamlOf, fakeBin, runDeployScript, argLines, realRunProject } from '../../../test/unit/helpers/deploy.ts';

describe('Azure Container Apps: the YAML', () => {
  it('the app: external HTTP ingress on the app port, probes on the health path, secrets as files, min/max replicas', () => {
    const dir = project({ deploy: { targets: ['aca'], aca: { minReplicas: 2, maxReplicas: 7, cpu: '1' } } });
    const app = yamlOf(dir, 'deploy/aca/app.yaml')['properties'];
    expect(app.managedEnvironmentId).toBe('${ACA_ENVIRONMENT_ID}');
    expect(app.configuration.ingress).toMatchObject({ external: true, targetPort: 3000, transport: 'http', allowInsecure: false });
    expect(app.configuration.secrets).toEqual([{ name: 'redis-password', value: '${REDIS_PASSWORD}' }]);
    const c = app.template.containers[0];
    expect(c.image).toBe('${APP_IMAGE}');
    expect(c.resources).toEqual({ cpu: 1, memory: '2Gi' });
    // Readiness asks Redis (/healthz); liveness only the process (/livez): a Redis outage stops
    // traffic but restarts nothing.
    expect(c.probes.map((p: Obj) => [p.type, p.httpGet.path, p.httpGet.port])).toEqual([
      ['Startup', '/healthz', 3000],
      ['Readiness', '/healthz', 3000],
      ['Liveness', '/livez', 3000],
    ]);
    expect(c.env).toContainEqual({ name: 'REDIS_URL', value: 'redis://shop-redis:6379' });
    expect(c.volumeMounts).toEqual([{ volumeName: 'secrets', mountPath: '/run/secrets' }]);
    expect(app.template.volumes).toEqual([{ name: 'secrets', storageType: 'Secret', secrets: [{ secretRef: 'redis-password', path: 'redis_password' }] }]);
    expect(app.template.scale).toMatchObject({ minReplicas: 2, maxReplicas: 7 });
    // No secret value in a committed file.
    expect(readFileSync(join(dir, 'deploy/aca/app.yaml'), 'utf8')).not.toContain(readFileSync(join(dir, 'secrets/redis_password'), 'utf8').trim());
  });

  it('Redis: internal TCP ingress, one replica, its data on Azure Files (or an ephemeral folder)', () => {
    const redis = yamlOf(project({ deploy: { targets: ['aca'] } }), 'deploy/aca/redis.yaml')['properties'];
    expect(redis.configuration.ingress).toEqual({ external: false, transport: 'tcp', targetPort: 6379, exposedPort: 6379 });
    expect(redis.configuration.secrets.map((s: Obj) => s.name)).toEqual(['redis-password', 'redis-acl']);
    expect(redis.template.scale).toEqual({ minReplicas: 1, maxReplicas: 1 });
    expect(redis.template.containers[0].args).toEqual(model({}).redis.command);
    expect(redis.template.containers[0].probes.every((p: Obj) => p.tcpSocket?.port === 6379)).toBe(true);
    expect(redis.template.volumes[0]).toEqual({ name: 'data', storageType: 'AzureFile', storageName: 'shop-redis', mountOptions: 'uid=999,gid=999,dir_mode=0700,file_mode=0600,nobrl' });
    const ephemeral = yamlOf(project({ deploy: { targets: ['aca'], aca: { redisStorage: 'ephemeral' } } }), 'deploy/aca/redis.yaml')['properties'];
    expect(ephemeral.template.volumes[0]).toEqual({ name: 'data', storageType: 'EmptyDir' });
  });

  it('names fit Container Apps rules even from an awkward project name', () => {
    const m = deriveModel(resolveSpec([{ source: 'test', values: { projectName: '9_lives_and_a_very_long_project_name_indeed', deploy: { targets: ['aca'] } } }], { dirName: 'x' }), { sampleApp: true });
    for (const name of [m.deploy.aca.appName, m.deploy.aca.redisName]) {
      expect(name, name).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
      expect(name.length, name).toBeLessThanOrEqual(32);
    }
  });
});

describe('aca: real runs against a fake az, the exact calls', () => {
  let dir: string;
  let password: string;
  let acl: string;
  beforeAll(() => {
    ({ dir, password, acl } = realRunProject());
  });

  it('aca: Redis created, the app updated, from private 0600 copies holding the secrets; nothing else sees them', () => {
    const fake = fakeBin();
    const r = runDeployScript(dir, 'aca', [], { IMAGE_TAG: 'v1' }, fake);
    expect(r.code, r.stderr).toBe(0);
    expect(argLines(r.calls)).toEqual([
      'az [containerapp] [env] [show] [--name] [shop-env] [--resource-group] [rg-shop] [--query] [id] [--output] [tsv]',
      'az [containerapp] [env] [storage] [show] [--name] [shop-env] [--resource-group] [rg-shop] [--storage-name] [shop-redis] [--output] [none]',
      'az [containerapp] [show] [--name] [shop-redis] [--resource-group] [rg-shop] [--output] [none]',
      expect.stringMatching(/^az \[containerapp\] \[create\] \[--name\] \[shop-redis\] \[--resource-group\] \[rg-shop\] \[--yaml\] \[\/.*\/redis\.yaml\] \[--output\] \[none\]$/),
      'az [containerapp] [show] [--name] [shop] [--resource-group] [rg-shop] [--output] [none]',
      expect.stringMatching(/^az \[containerapp\] \[update\] \[--name\] \[shop\] \[--resource-group\] \[rg-shop\] \[--yaml\] \[\/.*\/app\.yaml\] \[--output\] \[none\]$/),
      'az [containerapp] [show] [--name] [shop] [--resource-group] [rg-shop] [--query] [properties.configuration.ingress.fqdn] [--output] [tsv]',
    ]);
    const yamls = [...r.calls.matchAll(/^yaml (\S+) mode (\d+) \{\n([\s\S]*?)\n\}$/gm)].map((x) => ({ file: x[1]!, mode: x[2]!, doc: parseYaml(x[3]!) as Obj }));
    expect(yamls.map((y) => [y.file, y.mode])).toEqual([
      ['redis.yaml', '600'],
      ['app.yaml', '600'],
    ]);
    const [redis, app] = yamls.map((y) => y.doc['properties']);
    expect(redis.configuration.secrets).toEqual([
      { name: 'redis-password', value: password },
      { name: 'redis-acl', value: acl },
    ]);
    expect(app.configuration.secrets).toEqual([{ name: 'redis-password', value: password }]);
    expect(app.managedEnvironmentId).toBe('/subscriptions/0000/resourceGroups/rg-shop/providers/Microsoft.App/managedEnvironments/shop-env');
    expect(app.template.containers[0].image).toBe('registry.example.com:5000/team/shop:v1');
    for (const line of argLines(r.calls)) expect(line).not.toContain(password);
    expect(r.stdout + r.stderr).not.toContain(password);
    for (const f of readFileSync(join(fake.state, 'yaml-files'), 'utf8').trim().split('\n')) expect(existsSync(f), f).toBe(false);
    expect(r.stdout).toContain('deployed registry.example.com:5000/team/shop:v1: https://shop.happyhill-1234.westeurope.azurecontainerapps.io');
  });

  it('aca: without the Azure Files storage it stops with exit 2 and says how to add it', () => {
    const fake = fakeBin();
    writeFileSync(join(fake.state, 'no-storage'), '');
    const r = runDeployScript(dir, 'aca', [], { IMAGE_TAG: 'v1' }, fake);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no storage shop-redis');
    expect(r.calls).not.toContain('containerapp create');
  });
});
