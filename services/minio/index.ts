// MinIO, S3-compatible object storage: its objects on a named volume, its root user and
// password generated into secrets/ and read by the image through MINIO_ROOT_USER_FILE and
// MINIO_ROOT_PASSWORD_FILE (names under /run/secrets, as the image's own defaults). The image
// has no user but root: it runs as root with every capability dropped and a read-only root
// (a new volume belongs to root). The app gets S3_ENDPOINT and the keys as *_FILE variables.
import { catalogDeploy, catalogModule, hardened, randomSecret, uiPublish } from '../catalog/index.ts';
import type { ServiceModel } from '../types.ts';
import { MINIO_CONSOLE_PORT, MINIO_PORT, MinioSpec } from './schema.ts';

export const MINIO_DATA_DIR = '/data';

export function deriveMinio(spec: MinioSpec): ServiceModel {
  const command = ['server', MINIO_DATA_DIR, '--console-address', `:${MINIO_CONSOLE_PORT}`];
  const environment: Record<string, string> = {
    // File names under /run/secrets (the image's defaults are access_key and secret_key).
    MINIO_ROOT_USER_FILE: 'minio_root_user',
    MINIO_ROOT_PASSWORD_FILE: 'minio_root_password',
    ...(spec.ui ? {} : { MINIO_BROWSER: 'off' }),
  };
  return {
    module: 'minio',
    label: 'MinIO',
    service: 'minio',
    image: spec.image,
    runAs: undefined,
    command,
    environment,
    secrets: ['minio_root_user', 'minio_root_password'],
    volumes: [{ name: spec.volume, target: MINIO_DATA_DIR }],
    binds: [],
    port: MINIO_PORT,
    expose: false,
    // mc ships in the image (MC_CONFIG_DIR=/tmp/.mc in its environment, so a read-only root is fine).
    healthcheck: { test: ['CMD', 'mc', 'ready', 'local'], startPeriod: '30s', startInterval: '1s' },
    ...hardened(spec.hardening),
    ...uiPublish(spec, MINIO_CONSOLE_PORT, 'the MinIO console'),
    app: {
      environment: {
        S3_ENDPOINT: `http://minio:${MINIO_PORT}`,
        S3_REGION: 'us-east-1',
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID_FILE: '/run/secrets/minio_root_user',
        S3_SECRET_ACCESS_KEY_FILE: '/run/secrets/minio_root_password',
      },
      secrets: ['minio_root_user', 'minio_root_password'],
    },
    secretModels: [randomSecret('minio_root_user'), randomSecret('minio_root_password')],
    docs: 'services/minio/readme',
    deploy: catalogDeploy({
      // Kubernetes never runs it as root: nobody, the volume theirs through fsGroup.
      uid: 65534,
      runAsUser: false,
      args: command,
      environment: { ...environment, MINIO_BROWSER: 'off' },
      dataDir: MINIO_DATA_DIR,
      scratch: ['/tmp'],
      resources: { limits: ['1', '512Mi'], requests: ['100m', '256Mi'] },
      livenessDelay: 30,
    }),
  };
}

export const minio = catalogModule<MinioSpec>({
  id: 'minio',
  label: 'MinIO',
  summary: 'MinIO, S3-compatible object storage: S3_ENDPOINT and the keys (ui: the console on 127.0.0.1)',
  schema: MinioSpec,
  managed: { ecs: 'Amazon S3', aca: 'Azure Blob Storage' },
  derive: deriveMinio,
});
