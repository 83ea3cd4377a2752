// Valkey as a second cache (Redis replaced by Valkey: services/redis/redis.test.ts).
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { DEFAULT_REDIS_APP_PERMISSIONS } from '../redis/schema.ts';
import { describeCatalogService } from '../../test/unit/helpers/catalog.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describeCatalogService({
  kind: 'valkey',
  label: 'Valkey',
  image: 'valkey/valkey:8.1-trixie',
  user: '999:999',
  port: 6379,
  volume: { name: 'valkey-data', target: '/data' },
  healthcheck: ['CMD-SHELL', 'REDISCLI_AUTH="$$(cat /run/secrets/valkey_password)" valkey-cli --no-auth-warning ping | grep -q PONG'],
  appEnvironment: { VALKEY_URL: 'redis://valkey:6379', VALKEY_PASSWORD_FILE: '/run/secrets/valkey_password' },
  appSecrets: ['valkey_password'],
  appUrls: [{ variable: 'VALKEY_URL', url: 'redis://valkey:6379', passwordSecret: 'valkey_password' }],
  serviceSecrets: ['valkey_acl', 'valkey_password', 'valkey_admin_password'],
  secretFiles: ['secrets/valkey_password', 'secrets/valkey_admin_password', 'secrets/valkey.acl'],
  derived: {
    'secrets/valkey.acl': (pw) =>
      `user default on #${sha(pw['valkey_password']!)} ${DEFAULT_REDIS_APP_PERMISSIONS}\nuser admin on #${sha(pw['valkey_admin_password']!)} ~* &* +@all\n`,
  },
  managed: { ecs: /ElastiCache for Valkey/, aca: /Azure Cache for Redis/ },
  compose: (service) => {
    expect(service['command']).toEqual(['valkey-server', '--aclfile', '/run/secrets/valkey_acl', '--dir', '/data', '--appendonly', 'yes', '--appendfsync', 'everysec']);
    expect(service['tmpfs']).toEqual(['/tmp']);
  },
});
