// Redis: the stack's cache and the sample app's counter, always part of the stack. It runs
// as the official image's redis user (999) with a read-only root, checks passwords through
// an ACL file that holds only their SHA-256 (the app's user may not administer the server;
// the admin user may), and keeps its data on a named volume.
import { parseImageReference, repositoryBaseName } from '../../schema/image-ref.ts';
import type { ServiceModel, ServiceModule, SecretModel, SpecView } from '../types.ts';
import { REDIS_PORT, type RedisSpec } from './schema.ts';

/**
 * Valkey can replace Redis (redis.image: valkey/valkey:...): its images name the server and
 * the client valkey-server and valkey-cli (not every build has the redis-* names).
 */
export function redisPrograms(image: string): { server: string; cli: string } {
  const parsed = parseImageReference(image);
  const valkey = parsed.ok && repositoryBaseName(parsed.ref) === 'valkey';
  return valkey ? { server: 'valkey-server', cli: 'valkey-cli' } : { server: 'redis-server', cli: 'redis-cli' };
}

export interface RedisModel extends ServiceModel {
  module: 'redis';
  /** The user it runs as (the same as runAs). */
  user: string;
  volume: string;
  persistence: RedisSpec['persistence'];
  /** The admin user's password, mounted in the local stack only (an admin shell). */
  adminSecret: string;
  /** Its command-line client: redis-cli, or valkey-cli for a Valkey image. */
  cli: string;
}

/** The server's options for each persistence mode (Redis's and Valkey's are the same). */
export const PERSISTENCE: Record<RedisSpec['persistence'], string[]> = {
  aof: ['--appendonly', 'yes', '--appendfsync', 'everysec'],
  rdb: ['--appendonly', 'no', '--save', '60 1'],
  none: ['--appendonly', 'no', '--save', ''],
};

/** Memory and process limits in the local stack (the deploy targets' are in `deploy`). */
export const REDIS_LIMITS = { mem_limit: '256m', pids_limit: 64 } as const;

/**
 * The passwords of a Redis-compatible server (Redis, Valkey) and the ACL file derived from
 * them: `<name>_password` (the app's default user), `<name>_admin_password`, `<name>_acl`.
 */
export function aclSecrets(name: string, appPermissions: string): SecretModel[] {
  return [
    { name: `${name}_password`, file: `secrets/${name}_password`, source: { kind: 'random' } },
    // The admin's password stays on the machine that generated the project (an admin shell in
    // the local stack); deploy targets get only the ACL that holds its hash.
    { name: `${name}_admin_password`, file: `secrets/${name}_admin_password`, source: { kind: 'random' }, localOnly: true },
    {
      name: `${name}_acl`,
      file: `secrets/${name}.acl`,
      source: {
        kind: 'redis-acl',
        users: [
          // The app connects as the default user (its URL needs no user name), with only what an app needs.
          { name: 'default', from: `${name}_password`, permissions: appPermissions },
          { name: 'admin', from: `${name}_admin_password`, permissions: '~* &* +@all' },
        ],
      },
    },
  ];
}

function secrets(spec: RedisSpec): SecretModel[] {
  return aclSecrets('redis', spec.appPermissions);
}

export function deriveRedis(spec: RedisSpec): RedisModel {
  const programs = redisPrograms(spec.image);
  const command = [programs.server, '--aclfile', '/run/secrets/redis_acl', '--dir', '/data', ...PERSISTENCE[spec.persistence]];
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
      test: ['CMD-SHELL', `REDISCLI_AUTH="$$(cat /run/secrets/redis_password)" ${programs.cli} --no-auth-warning ping | grep -q PONG`],
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
      // node-redis and ioredis read the password from the URL: the image puts it in at start.
      urls: [{ variable: 'REDIS_URL', url: `redis://redis:${REDIS_PORT}`, passwordSecret: 'redis_password' }],
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
    cli: programs.cli,
  };
}

export const redis: ServiceModule<RedisSpec> = {
  id: 'redis',
  label: 'Redis',
  select: (spec: SpecView) => spec.redis as RedisSpec,
  derive: (spec) => [deriveRedis(spec)],
};
