// Meilisearch: its indexes on a named volume (/meili_data, the image's working folder), run
// in production mode with a master key. The image takes the key as MEILI_MASTER_KEY or
// --master-key only, which `docker inspect` would show: here it comes from a configuration
// file (TOML) derived from secrets/meilisearch_master_key and mounted as a Compose secret
// (--config-file-path). The image has no user but root: root with every capability dropped
// and a read-only root (a new volume belongs to root). The app gets MEILI_URL and
// MEILI_MASTER_KEY_FILE.
import { catalogDeploy, catalogModule, hardened, randomSecret } from '../catalog/index.ts';
import type { ServiceModel } from '../types.ts';
import { MEILISEARCH_PORT, MeilisearchSpec } from './schema.ts';

export const MEILISEARCH_DATA_DIR = '/meili_data';

export function deriveMeilisearch(spec: MeilisearchSpec): ServiceModel {
  const command = ['/bin/meilisearch', '--config-file-path', '/run/secrets/meilisearch_config'];
  return {
    module: 'meilisearch',
    label: 'Meilisearch',
    service: 'meilisearch',
    image: spec.image,
    runAs: undefined,
    command,
    environment: {},
    secrets: ['meilisearch_config'],
    volumes: [{ name: spec.volume, target: MEILISEARCH_DATA_DIR }],
    binds: [],
    port: MEILISEARCH_PORT,
    expose: false,
    // curl ships in the image; /health needs no key.
    healthcheck: { test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1:${MEILISEARCH_PORT}/health`], startPeriod: '30s' },
    ...hardened(spec.hardening),
    app: {
      environment: { MEILI_URL: `http://meilisearch:${MEILISEARCH_PORT}`, MEILI_MASTER_KEY_FILE: '/run/secrets/meilisearch_master_key' },
      secrets: ['meilisearch_master_key'],
    },
    secretModels: [
      randomSecret('meilisearch_master_key'),
      {
        name: 'meilisearch_config',
        file: 'secrets/meilisearch.toml',
        source: {
          kind: 'derived',
          what: { en: 'the Meilisearch configuration (TOML: the master key as a quoted string)', ko: 'Meilisearch 설정 (TOML: 마스터 키를 따옴표 문자열로)' },
          parts: [
            '# Made by generator-wpsn-docker from secrets/meilisearch_master_key; re-run the generator after changing it.\n',
            'env = "production"\n',
            'no_analytics = true\n',
            'max_indexing_memory = "256 MiB"\n',
            'master_key = ',
            { secret: 'meilisearch_master_key', encode: 'json' },
            '\n',
          ],
        },
      },
    ],
    docs: 'services/meilisearch/readme',
    deploy: catalogDeploy({
      // Kubernetes never runs it as root: nobody, the volume theirs through fsGroup.
      uid: 65534,
      runAsUser: false,
      args: command,
      dataDir: MEILISEARCH_DATA_DIR,
      scratch: ['/tmp'],
      resources: { limits: ['1', '1Gi'], requests: ['100m', '256Mi'] },
      livenessDelay: 30,
    }),
  };
}

export const meilisearch = catalogModule<MeilisearchSpec>({
  id: 'meilisearch',
  label: 'Meilisearch',
  summary: 'Meilisearch, a search engine: MEILI_URL, MEILI_MASTER_KEY_FILE',
  schema: MeilisearchSpec,
  managed: { ecs: 'Amazon OpenSearch Service (or Meilisearch Cloud)', aca: 'Azure AI Search (or Meilisearch Cloud)' },
  derive: deriveMeilisearch,
});
