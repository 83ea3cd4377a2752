// NATS: the official image is FROM scratch (no shell, no tools, and nats-server has no
// health command), so Compose runs it without a health check and the app waits for it to
// start (`service_started`) and connects with retries; Kubernetes probes its monitoring port
// (/healthz on 8222, `-m 8222`). The user and password come from a configuration file derived
// from secrets/nats_password, mounted as a Compose secret (the image takes no password
// variable). JetStream keeps streams on a volume; SIGINT stops it cleanly (exit 0).
// The image has no user but root: with JetStream it runs as root with every capability
// dropped (a new volume belongs to root); without, as nobody.
import { UNPRIVILEGED_USER } from '../../schema/fields.ts';
import { catalogDeploy, catalogModule, hardened, randomSecret } from '../catalog/index.ts';
import type { ServiceModel } from '../types.ts';
import { NATS_MONITOR_PORT, NATS_PORT, NatsSpec } from './schema.ts';

export const NATS_USER = 'app';
export const NATS_DATA_DIR = '/data';

/** JetStream's memory store stays well inside the container's memory limit. */
function memoryStore(memLimit: string): string {
  const mb = Number(memLimit.slice(0, -1)) * ({ k: 1 / 1024, m: 1, g: 1024 } as Record<string, number>)[memLimit.slice(-1)]!;
  return `${Math.max(8, Math.floor(mb / 4))}MB`;
}

export function deriveNats(spec: NatsSpec): ServiceModel {
  const command = ['--config', '/run/secrets/nats_conf', '-m', String(NATS_MONITOR_PORT)];
  const url = `nats://${NATS_USER}@nats:${NATS_PORT}`;
  return {
    module: 'nats',
    label: 'NATS',
    service: 'nats',
    image: spec.image,
    runAs: spec.jetstream ? undefined : UNPRIVILEGED_USER,
    command,
    environment: {},
    secrets: ['nats_conf'],
    volumes: spec.jetstream ? [{ name: spec.volume, target: NATS_DATA_DIR }] : [],
    binds: [],
    port: NATS_PORT,
    expose: false,
    healthcheck: undefined,
    waitForStart: true,
    stopSignal: 'SIGINT',
    // A scratch image has no /tmp, and nats-server needs none.
    ...hardened(spec.hardening, []),
    app: {
      environment: { NATS_URL: url, NATS_PASSWORD_FILE: '/run/secrets/nats_password' },
      secrets: ['nats_password'],
      urls: [{ variable: 'NATS_URL', url, passwordSecret: 'nats_password' }],
    },
    secretModels: [
      randomSecret('nats_password'),
      {
        name: 'nats_conf',
        file: 'secrets/nats.conf',
        source: {
          kind: 'derived',
          what: { en: 'the NATS configuration (the password as a quoted string)', ko: 'NATS 설정 (비밀번호를 따옴표 문자열로)' },
          parts: [
            '# Made by generator-wpsn-docker from secrets/nats_password; re-run the generator after changing it.\n',
            ...(spec.jetstream
              ? [`jetstream {\n  store_dir: "${NATS_DATA_DIR}"\n  max_memory_store: ${memoryStore(spec.hardening.memLimit)}\n}\n`]
              : []),
            `authorization {\n  user: ${NATS_USER}\n  password: `,
            { secret: 'nats_password', encode: 'json' },
            '\n}\n',
          ],
        },
      },
    ],
    docs: 'services/nats/readme',
    deploy: catalogDeploy({
      // Kubernetes' restricted pods never run as root: nobody, the volume theirs through fsGroup.
      uid: 65534,
      // Swarm: as in Compose (root with JetStream, for the new volume's sake).
      runAsUser: !spec.jetstream,
      args: command,
      ...(spec.jetstream ? { dataDir: NATS_DATA_DIR } : {}),
      httpProbe: { path: '/healthz', port: NATS_MONITOR_PORT },
      resources: { limits: ['500m', '256Mi'], requests: ['50m', '64Mi'] },
      livenessDelay: 10,
    }),
  };
}

export const nats = catalogModule<NatsSpec>({
  id: 'nats',
  label: 'NATS',
  summary: 'NATS, a message bus with JetStream: NATS_URL',
  schema: NatsSpec,
  managed: { ecs: 'Synadia Cloud (managed NATS; AWS has none) or Amazon MQ', aca: 'Synadia Cloud (managed NATS; Azure has none) or Azure Service Bus' },
  derive: deriveNats,
});
