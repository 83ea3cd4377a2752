// Memcached: the official image's memcache user (11211), a read-only root, no volume (it
// keeps items in memory only, as the official image: nothing survives a restart), every
// capability dropped. No password: the official image's SASL needs a SASL database and its
// ASCII auth file is experimental and unknown to the usual Node clients, so it relies on the
// internal network (README.Docker.md says so). The app gets MEMCACHED_SERVERS.
import { catalogDeploy, catalogModule, hardened } from '../catalog/index.ts';
import type { ServiceModel } from '../types.ts';
import { MEMCACHED_PORT, MemcachedSpec } from './schema.ts';

/**
 * The health check: a `version` command over bash's /dev/tcp. The official Debian-based
 * image has bash (and no nc or memcached client); the answer must start with VERSION.
 */
export const MEMCACHED_HEALTHCHECK = [
  'CMD',
  'bash',
  '-c',
  `exec 3<>/dev/tcp/127.0.0.1/${MEMCACHED_PORT} && printf 'version\\r\\n' >&3 && IFS= read -r -t 2 l <&3 && [[ $$l == VERSION* ]]`,
];

export function deriveMemcached(spec: MemcachedSpec): ServiceModel {
  const command = ['memcached', '-m', String(spec.cacheMb)];
  return {
    module: 'memcached',
    label: 'Memcached',
    service: 'memcached',
    image: spec.image,
    // The image's own USER memcache, numeric so Kubernetes can check it is not root.
    runAs: '11211:11211',
    command,
    environment: {},
    secrets: [],
    volumes: [],
    binds: [],
    port: MEMCACHED_PORT,
    expose: false,
    healthcheck: { test: MEMCACHED_HEALTHCHECK, startPeriod: '10s' },
    ...hardened(spec.hardening),
    app: { environment: { MEMCACHED_SERVERS: `memcached:${MEMCACHED_PORT}` }, secrets: [] },
    secretModels: [],
    docs: 'services/memcached/readme',
    deploy: catalogDeploy({
      uid: 11211,
      args: command,
      resources: { limits: ['250m', `${Math.ceil((spec.cacheMb * 1.25 + 16) / 16) * 16}Mi`], requests: ['25m', '32Mi'] },
      livenessDelay: 10,
    }),
  };
}

export const memcached = catalogModule<MemcachedSpec>({
  id: 'memcached',
  label: 'Memcached',
  summary: 'Memcached, an in-memory cache: MEMCACHED_SERVERS',
  schema: MemcachedSpec,
  managed: { ecs: 'Amazon ElastiCache for Memcached', aca: 'Azure Cache for Redis (Azure has no managed Memcached)' },
  derive: deriveMemcached,
});
