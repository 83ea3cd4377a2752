// MinIO: root with every capability dropped, its credentials through the image's *_FILE
// variables, the console off unless asked for.
import { expect } from 'vitest';
import { describeCatalogService } from '../../test/unit/helpers/catalog.ts';

describeCatalogService({
  kind: 'minio',
  label: 'MinIO',
  image: 'minio/minio:RELEASE.2025-04-22T22-12-26Z',
  user: undefined,
  port: 9000,
  volume: { name: 'minio-data', target: '/data' },
  healthcheck: ['CMD', 'mc', 'ready', 'local'],
  appEnvironment: {
    S3_ENDPOINT: 'http://minio:9000',
    S3_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID_FILE: '/run/secrets/minio_root_user',
    S3_SECRET_ACCESS_KEY_FILE: '/run/secrets/minio_root_password',
  },
  appSecrets: ['minio_root_user', 'minio_root_password'],
  serviceSecrets: ['minio_root_user', 'minio_root_password'],
  secretFiles: ['secrets/minio_root_user', 'secrets/minio_root_password'],
  ui: { port: 9001, hostPort: 9001 },
  managed: { ecs: /Amazon S3/, aca: /Azure Blob Storage/ },
  compose: (service) => {
    expect(service['command']).toEqual(['server', '/data', '--console-address', ':9001']);
    expect(service['environment']).toEqual({ MINIO_ROOT_USER_FILE: 'minio_root_user', MINIO_ROOT_PASSWORD_FILE: 'minio_root_password', MINIO_BROWSER: 'off' });
  },
});
