// Valkey as a second cache: the official image's valkey user (999), a read-only root, its
// data on a named volume, passwords checked through an ACL file that holds only their
// SHA-256 (derived from secrets/valkey_password like Redis's), the app's user unable to
// administer the server. The app gets VALKEY_URL (no password) and VALKEY_PASSWORD_FILE.
import { catalogDeploy, catalogModule, hardened } from '../catalog/index.ts';
import { aclSecrets, PERSISTENCE } from '../redis/index.ts';
import type { ServiceModel } from '../types.ts';
import { ValkeySpec, VALKEY_PORT } from './schema.ts';

export function deriveValkey(spec: ValkeySpec): ServiceModel {
  // Valkey takes Redis's options (persistence, ACL file) as they are.
  const command = ['valkey-server', '--aclfile', '/run/secrets/valkey_acl', '--dir', '/data', ...PERSISTENCE[spec.persistence]];
  const url = `redis://valkey:${VALKEY_PORT}`;
  return {
    module: 'valkey',
    label: 'Valkey',
    service: 'valkey',
    image: spec.image,
    // uid:gid of the image's valkey user; /data in the image (and so a new volume) is its.
    runAs: '999:999',
    command,
    environment: {},
    secrets: ['valkey_acl', 'valkey_password', 'valkey_admin_password'],
    volumes: [{ name: spec.volume, target: '/data' }],
    binds: [],
    port: VALKEY_PORT,
    expose: false,
    // The app user's password from its file at run time: never in the compose file or Cmd.
    healthcheck: {
      test: ['CMD-SHELL', 'REDISCLI_AUTH="$$(cat /run/secrets/valkey_password)" valkey-cli --no-auth-warning ping | grep -q PONG'],
      startPeriod: '10s',
    },
    ...hardened(spec.hardening),
    app: {
      environment: { VALKEY_URL: url, VALKEY_PASSWORD_FILE: '/run/secrets/valkey_password' },
      secrets: ['valkey_password'],
      urls: [{ variable: 'VALKEY_URL', url, passwordSecret: 'valkey_password' }],
    },
    // An admin shell in the local stack (the admin's password); the deploy targets get only the ACL.
    secretModels: aclSecrets('valkey', spec.appPermissions),
    docs: 'services/valkey/readme',
    deploy: catalogDeploy({
      uid: 999,
      args: command,
      dataDir: '/data',
      resources: { limits: ['500m', '256Mi'], requests: ['50m', '64Mi'] },
      livenessDelay: 15,
    }),
  };
}

export const valkey = catalogModule<ValkeySpec>({
  id: 'valkey',
  label: 'Valkey',
  summary: 'Valkey, a second cache (Redis-compatible): VALKEY_URL',
  schema: ValkeySpec,
  managed: { ecs: 'Amazon ElastiCache for Valkey', aca: 'Azure Cache for Redis (or Azure Managed Redis)' },
  derive: deriveValkey,
});
