// Memcached: memory only, no password, the bash /dev/tcp health check.
import { expect } from 'vitest';
import { describeCatalogService } from '../../test/unit/helpers/catalog.ts';
import { MEMCACHED_HEALTHCHECK } from './index.ts';

describeCatalogService({
  kind: 'memcached',
  label: 'Memcached',
  image: 'memcached:1.6-trixie',
  user: '11211:11211',
  port: 11211,
  volume: undefined,
  healthcheck: MEMCACHED_HEALTHCHECK,
  appEnvironment: { MEMCACHED_SERVERS: 'memcached:11211' },
  appSecrets: [],
  serviceSecrets: [],
  secretFiles: [],
  managed: { ecs: /ElastiCache for Memcached/, aca: /Azure Cache for Redis/ },
  compose: (service) => {
    expect(service['command']).toEqual(['memcached', '-m', '64']);
    // The check's "$l" reaches bash as a variable, not Compose as an interpolation.
    expect(MEMCACHED_HEALTHCHECK[3]).toContain('[[ $$l == VERSION* ]]');
  },
});
