// Meilisearch: the master key in a derived configuration file, never in the environment.
import { expect } from 'vitest';
import { describeCatalogService } from '../../test/unit/helpers/catalog.ts';

describeCatalogService({
  kind: 'meilisearch',
  label: 'Meilisearch',
  image: 'getmeili/meilisearch:v1.15',
  user: undefined,
  port: 7700,
  volume: { name: 'meilisearch-data', target: '/meili_data' },
  healthcheck: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:7700/health'],
  appEnvironment: { MEILI_URL: 'http://meilisearch:7700', MEILI_MASTER_KEY_FILE: '/run/secrets/meilisearch_master_key' },
  appSecrets: ['meilisearch_master_key'],
  serviceSecrets: ['meilisearch_config'],
  secretFiles: ['secrets/meilisearch_master_key', 'secrets/meilisearch.toml'],
  derived: {
    'secrets/meilisearch.toml': (pw) => new RegExp(`\\nenv = "production"\\nno_analytics = true\\nmax_indexing_memory = "256 MiB"\\nmaster_key = "${pw['meilisearch_master_key']}"\\n$`),
  },
  managed: { ecs: /OpenSearch/, aca: /Azure AI Search/ },
  compose: (service) => {
    expect(service['command']).toEqual(['/bin/meilisearch', '--config-file-path', '/run/secrets/meilisearch_config']);
    expect(service['environment']).toBeUndefined();
  },
});
