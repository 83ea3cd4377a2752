// Docker Swarm: deploy/swarm/stack.yml as `docker stack config` reads it, its form, the
// database's first-start files as Swarm configs, and scripts/deploy-swarm.sh against a fake
// docker. What every target shares (files, scripts, --dry-run, settings): test/unit/deploy.test.ts.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderAppFiles } from '../../../core/render/files.ts';
import { CATALOG_KINDS } from '../../../services/index.ts';
import { deriveModel } from '../../../core/model.ts';
import { swarmStackObject } from './render.ts';
import { type Obj, model, spec, project, yamlOf, fakeBin, runDeployScript, realRunProject } from '../../../test/unit/helpers/deploy.ts';

describe('Docker Swarm: the stack', () => {
  const stackEnv = { ...process.env, STACK_NAME: 'shop', SECRETS_VERSION: '0123456789ab', APP_IMAGE: 'registry.example.com/shop:v1' };
  const haveStackConfig = spawnSync('docker', ['stack', 'config', '--help'], { encoding: 'utf8' }).status === 0;

  it.each(['none', 'postgres', 'mysql'])(`docker ${haveStackConfig ? 'stack config' : 'compose config'} accepts it (database %s)`, (database) => {
    const dir = project({ deploy: { targets: ['swarm'] }, database: { kind: database } });
    const args = haveStackConfig ? ['stack', 'config', '--compose-file', 'deploy/swarm/stack.yml'] : ['compose', '-f', 'deploy/swarm/stack.yml', 'config'];
    const r = spawnSync('docker', args, { cwd: dir, env: stackEnv, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = parseYaml(r.stdout) as Obj;
    expect(out['services'].app.image).toBe('registry.example.com/shop:v1');
    expect(out['secrets'].redis_password.name).toBe('shop_redis_password_0123456789ab');
    expect(out['secrets'].redis_password.file).toBe(join(dir, 'secrets/redis_password'));
    // Without the variables the script sets, it refuses to deploy anything.
    const bare = spawnSync('docker', args, { cwd: dir, env: { PATH: process.env['PATH'] ?? '', HOME: dir }, encoding: 'utf8' });
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toMatch(/APP_IMAGE|STACK_NAME|SECRETS_VERSION/);
  });

  it(`docker ${haveStackConfig ? 'stack config' : 'compose config'} accepts it with every catalog service (volume-less ones without a volume, NATS without a health check)`, () => {
    const dir = project({ deploy: { targets: ['swarm'] }, services: [...CATALOG_KINDS] });
    const args = haveStackConfig ? ['stack', 'config', '--compose-file', 'deploy/swarm/stack.yml'] : ['compose', '-f', 'deploy/swarm/stack.yml', 'config'];
    const r = spawnSync('docker', args, { cwd: dir, env: stackEnv, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const stack = yamlOf(dir, 'deploy/swarm/stack.yml');
    expect(Object.keys(stack['services']).sort()).toEqual(['app', 'redis', ...CATALOG_KINDS].sort());
    expect(stack['services'].app.depends_on).toEqual(['redis', ...CATALOG_KINDS]);
    expect(stack['services'].memcached.volumes).toBeUndefined();
    expect(stack['services'].nats.healthcheck).toBeUndefined();
    expect(stack['services'].nats.stop_signal).toBe('SIGINT');
    expect(stack['services'].rabbitmq.secrets).toEqual([{ source: 'rabbitmq_conf', target: '/etc/rabbitmq/conf.d/90-wpsn-credentials.conf', mode: 0o444 }]);
    expect(Object.keys(stack['volumes']).sort()).toEqual(['meilisearch-data', 'minio-data', 'mongodb-data', 'nats-data', 'rabbitmq-data', 'redis-data', 'valkey-data']);
    // Passwords only this machine uses (admin shells, the Mailpit UI login) are never deployed.
    expect(Object.keys(stack['secrets'])).not.toContain('valkey_admin_password');
  });

  it("checks the app's liveness, never its readiness: Swarm replaces a task whose check fails, and a Redis outage must not restart every replica", () => {
    const sample = (swarmStackObject(model({ deploy: { targets: ['swarm'] } })) as Obj)['services'].app.healthcheck;
    expect(sample.test[0]).toBe('CMD');
    expect(sample.test.join(' ')).toContain('/livez');
    expect(sample.test.join(' ')).not.toContain('/healthz');
    // A user's app: its health path may ask Redis or a database, so liveness connects to the port.
    const own = deriveModel(spec({ deploy: { targets: ['swarm'] }, app: { command: ['node', 'server.js'], healthPath: '/healthz' } }), { sampleApp: false });
    const check = (swarmStackObject(own) as Obj)['services'].app.healthcheck.test.join(' ');
    expect(check).not.toContain('/healthz');
    expect(check).toContain('3000');
  });

  it('is in the form docker stack deploy takes: no build or container_name, list depends_on, deploy settings', () => {
    const stack = yamlOf(project({ deploy: { targets: ['swarm'], swarm: { appReplicas: 3 } }, database: { kind: 'postgres' } }), 'deploy/swarm/stack.yml');
    for (const [name, service] of Object.entries<Obj>(stack['services'])) {
      expect(service['build'], name).toBeUndefined();
      expect(service['container_name'], name).toBeUndefined();
      expect(service['restart'], name).toBeUndefined();
      expect(service['deploy'].restart_policy.condition, name).toBe('any');
      expect(service['deploy'].resources.limits, name).toBeDefined();
      expect(service['deploy'].update_config.failure_action, name).toBe('rollback');
    }
    const { app, redis, db } = stack['services'];
    expect(app.depends_on).toEqual(['redis', 'db']);
    expect(app.deploy.replicas).toBe(3);
    expect(app.deploy.update_config.order).toBe('start-first');
    expect(app.ports).toEqual([{ target: 3000, published: 3000, protocol: 'tcp', mode: 'ingress' }]);
    expect(redis.deploy.placement.constraints).toEqual(['node.role == manager']);
    expect(db.deploy.placement.constraints).toEqual(['node.role == manager']);
    expect(redis.deploy.update_config.order).toBe('stop-first');
    expect(redis.ports).toBeUndefined();
    expect(redis.networks).toEqual(['backend']);
    expect(stack['networks']).toEqual({ frontend: { driver: 'overlay' }, backend: { driver: 'overlay', internal: true } });
    expect(Object.keys(stack['secrets']).sort()).toEqual(['db_admin_password', 'db_password', 'redis_acl', 'redis_password']);
    expect(stack['secrets'].db_password.file).toBe('../../secrets/db_password');
  });
});

describe('swarm: real runs against a fake docker, the exact calls', () => {
  let dir: string;
  beforeAll(() => {
    ({ dir } = realRunProject());
  });

  it('swarm: deploys with the registry login, the image, the stack name and a digest of the secrets, then waits', () => {
    const r = runDeployScript(dir, 'swarm', [], { IMAGE_TAG: 'v1', STACK_NAME: 'shop-prod' });
    expect(r.code, r.stderr).toBe(0);
    const digest = spawnSync('bash', ['-c', 'cat secrets/redis_password secrets/redis.acl | sha256sum'], { cwd: dir, encoding: 'utf8' }).stdout.slice(0, 12);
    expect(r.calls.split('\n').filter(Boolean)).toEqual([
      'docker [info] [--format] [{{.Swarm.LocalNodeState}}/{{.Swarm.ControlAvailable}}]',
      'docker [stack] [deploy] [--with-registry-auth] [--detach=true] [--compose-file] [deploy/swarm/stack.yml] [shop-prod]',
      `env APP_IMAGE=registry.example.com:5000/team/shop:v1 STACK_NAME=shop-prod SECRETS_VERSION=${digest}`,
      'docker [stack] [services] [shop-prod] [--format] [{{.Name}} {{.Replicas}}]',
      'docker [service] [inspect] [--format] [{{if .UpdateStatus}}{{.UpdateStatus.State}} {{if .UpdateStatus.StartedAt}}{{.UpdateStatus.StartedAt.Unix}}{{end}}{{end}}] [shop-prod_app]',
      'docker [service] [inspect] [--format] [{{if .UpdateStatus}}{{.UpdateStatus.State}} {{if .UpdateStatus.StartedAt}}{{.UpdateStatus.StartedAt.Unix}}{{end}}{{end}}] [shop-prod_redis]',
    ]);
    expect(r.stdout).toContain('deployed shop-prod (registry.example.com:5000/team/shop:v1)');
  });

  it('swarm: an update rolled back during this deploy fails it; one from an earlier deploy does not', () => {
    const fake = fakeBin();
    writeFileSync(join(fake.state, 'update-status'), 'rollback_completed 1000\n');
    const old = runDeployScript(dir, 'swarm', [], { IMAGE_TAG: 'v1' }, fake);
    expect(old.code, old.stderr).toBe(0);
    writeFileSync(join(fake.state, 'update-status'), `rollback_completed ${Math.floor(Date.now() / 1000)}\n`);
    const now = runDeployScript(dir, 'swarm', [], { IMAGE_TAG: 'v1' }, fake);
    expect(now.code).toBe(1);
    expect(now.stderr).toContain('the update of shop_app failed and was rolled back');
  });
});

describe('the database\'s first-start files (db/init/) on Swarm', () => {
  const files = (values: Obj) => new Map(renderAppFiles(model(values)).map((f) => [f.path, f.content]));
  it('Swarm: each file a versioned config, mounted where the image runs it (scripts executable)', () => {
    const stack = parseYaml(files({ database: { kind: 'postgres' }, deploy: { targets: ['swarm'] } }).get('deploy/swarm/stack.yml')!) as Obj;
    expect(stack['services'].db.configs).toEqual([
      { source: 'db_init_0', target: '/docker-entrypoint-initdb.d/00-app-user.sh', mode: 0o555 },
      { source: 'db_init_1', target: '/docker-entrypoint-initdb.d/10-sample-hits.sql', mode: 0o444 },
    ]);
    expect(stack['configs'].db_init_0).toEqual({ file: '../../db/init/00-app-user.sh', name: '${STACK_NAME:?STACK_NAME is not set}_db_init_0_${SECRETS_VERSION:?SECRETS_VERSION is not set}' });
    // The digest that versions them covers the files.
    expect(files({ database: { kind: 'postgres' }, deploy: { targets: ['swarm'] } }).get('scripts/deploy-swarm.sh')).toMatch(/SECRETS_VERSION=\$\(digest [^)]*db\/init\/00-app-user\.sh db\/init\/10-sample-hits\.sql\)/);
    expect(parseYaml(files({ deploy: { targets: ['swarm'] } }).get('deploy/swarm/stack.yml')!)['configs']).toBeUndefined();
  });
});
