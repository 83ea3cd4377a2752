// Redis: the stack's cache and the sample app's counter, always part of the stack. It runs
// as the official image's redis user (999) with a read-only root, checks passwords through
// an ACL file that holds only their SHA-256 (the app's user may not administer the server;
// the admin user may), and keeps its data on a named volume.
import type { ServiceModel, ServiceModule, SecretModel, SpecView } from '../types.ts';
import { REDIS_PORT, type RedisSpec } from './schema.ts';

export interface RedisModel extends ServiceModel {
  module: 'redis';
  /** The user it runs as (the same as runAs). */
  user: string;
  volume: string;
  persistence: RedisSpec['persistence'];
  /** The admin user's password, mounted in the local stack only (an admin shell). */
  adminSecret: string;
}

const PERSISTENCE: Record<RedisSpec['persistence'], string[]> = {
  aof: ['--appendonly', 'yes', '--appendfsync', 'everysec'],
  rdb: ['--appendonly', 'no', '--save', '60 1'],
  none: ['--appendonly', 'no', '--save', ''],
};

/** Memory and process limits in the local stack (the deploy targets' are in `deploy`). */
export const REDIS_LIMITS = { mem_limit: '256m', pids_limit: 64 } as const;

function secrets(spec: RedisSpec): SecretModel[] {
  return [
    { name: 'redis_password', file: 'secrets/redis_password', source: { kind: 'random' } },
    // The admin's password stays on the machine that generated the project (an admin shell in
    // the local stack); deploy targets get only the ACL that holds its hash.
    { name: 'redis_admin_password', file: 'secrets/redis_admin_password', source: { kind: 'random' }, localOnly: true },
    {
      name: 'redis_acl',
      file: 'secrets/redis.acl',
      source: {
        kind: 'redis-acl',
        users: [
          // The app connects as the default user (REDIS_URL needs no user name), with only what an app needs.
          { name: 'default', from: 'redis_password', permissions: spec.appPermissions },
          { name: 'admin', from: 'redis_admin_password', permissions: '~* &* +@all' },
        ],
      },
    },
  ];
}

export function deriveRedis(spec: RedisSpec): RedisModel {
  const command = ['redis-server', '--aclfile', '/run/secrets/redis_acl', '--dir', '/data', ...PERSISTENCE[spec.persistence]];
  return {
    module: 'redis',
    label: 'Redis',
    service: 'redis',
    image: spec.image,
    // uid:gid of the `redis` user in the official image: no root, no entrypoint chown needed.
    runAs: '999:999',
    user: '999:999',
    command,
    environment: {},
    // The ACL, the app user's password (the healthcheck) and the admin's (an admin shell).
    secrets: ['redis_acl', 'redis_password', 'redis_admin_password'],
    volumes: [{ name: spec.volume, target: '/data' }],
    binds: [],
    port: REDIS_PORT,
    expose: false,
    healthcheck: {
      test: ['CMD-SHELL', 'REDISCLI_AUTH="$$(cat /run/secrets/redis_password)" redis-cli --no-auth-warning ping | grep -q PONG'],
      startPeriod: '10s',
    },
    // Writes only to /data (the volume) and /tmp; runs as its own uid, so needs no capability.
    readOnly: true,
    tmpfs: ['/tmp'],
    capAdd: [],
    limits: { ...REDIS_LIMITS },
    app: {
      environment: { REDIS_URL: `redis://redis:${REDIS_PORT}`, REDIS_PASSWORD_FILE: '/run/secrets/redis_password' },
      secrets: ['redis_password'],
    },
    secretModels: secrets(spec),
    deploy: {
      uid: 999,
      gid: 999,
      runAsUser: true,
      args: command,
      environment: {},
      dataDir: '/data',
      readOnlyRoot: true,
      scratch: [],
      resources: { limits: ['500m', '256Mi'], requests: ['50m', '64Mi'] },
      livenessDelay: 15,
      dropAllCaps: true,
    },
    volume: spec.volume,
    persistence: spec.persistence,
    adminSecret: 'redis_admin_password',
  };
}

export const redis: ServiceModule<RedisSpec> = {
  id: 'redis',
  label: 'Redis',
  select: (spec: SpecView) => spec.redis as RedisSpec,
  derive: (spec) => [deriveRedis(spec)],
};
