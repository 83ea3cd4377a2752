// RabbitMQ: the official image's rabbitmq user (999:999 from the start: a CLI call as root
// before the first start would leave a root-owned Erlang cookie the server cannot read), a
// read-only root, its data on a named volume under a fixed host name (the node name, and so
// the data folder, follows it). Its only user, `app`, comes from a conf.d file derived from
// secrets/rabbitmq_password (RABBITMQ_DEFAULT_PASS has no _FILE form in 4.x) and mounted as a
// Compose secret; it may use the broker, not administer it. The app gets AMQP_URL (no password).
import { catalogDeploy, catalogModule, hardened, randomSecret, uiPublish } from '../catalog/index.ts';
import type { SecretModel, ServiceModel } from '../types.ts';
import { AMQP_PORT, RABBITMQ_UI_PORT, RabbitmqSpec } from './schema.ts';

/** Where the image reads configuration files (after its own 10-defaults.conf). */
export const RABBITMQ_CREDENTIALS_CONF = '/etc/rabbitmq/conf.d/90-wpsn-credentials.conf';
export const RABBITMQ_USER = 'app';
export const RABBITMQ_DATA_DIR = '/var/lib/rabbitmq';

function secrets(spec: RabbitmqSpec): SecretModel[] {
  return [
    randomSecret('rabbitmq_password'),
    {
      name: 'rabbitmq_conf',
      file: 'secrets/rabbitmq.conf',
      source: {
        kind: 'derived',
        what: { en: 'the RabbitMQ user (a conf.d file: the password as it is)', ko: 'RabbitMQ 사용자 (conf.d 파일: 비밀번호 그대로)' },
        parts: [
          '# Made by generator-wpsn-docker from secrets/rabbitmq_password: read by RabbitMQ when its\n',
          '# volume is new (the first start makes this user). Re-run the generator after changing the password.\n',
          `default_user = ${RABBITMQ_USER}\n`,
          'default_pass = ',
          { secret: 'rabbitmq_password', encode: 'raw' },
          '\ndefault_vhost = /\n',
          // Full rights on the vhost's queues and exchanges; no user, vhost or policy administration.
          'default_user_tags.administrator = false\n',
          ...(spec.ui ? ['default_user_tags.management = true\n'] : []),
        ],
      },
    },
  ];
}

export function deriveRabbitmq(spec: RabbitmqSpec): ServiceModel {
  const url = `amqp://${RABBITMQ_USER}@rabbitmq:${AMQP_PORT}`;
  return {
    module: 'rabbitmq',
    label: 'RabbitMQ',
    service: 'rabbitmq',
    image: spec.image,
    runAs: '999:999',
    hostname: 'rabbitmq',
    command: undefined,
    environment: {},
    secrets: ['rabbitmq_conf'],
    secretTargets: { rabbitmq_conf: RABBITMQ_CREDENTIALS_CONF },
    volumes: [{ name: spec.volume, target: RABBITMQ_DATA_DIR }],
    binds: [],
    port: AMQP_PORT,
    expose: false,
    // The AMQP listener (and the others) accept connections. Each probe starts an Erlang VM
    // for the CLI (about half a second of CPU): every second while starting, not every 250 ms.
    healthcheck: { test: ['CMD', 'rabbitmq-diagnostics', '-q', 'check_port_connectivity'], startPeriod: '60s', startInterval: '1s', timeout: '10s' },
    ...hardened(spec.hardening),
    ...uiPublish(spec, RABBITMQ_UI_PORT, 'the RabbitMQ management UI'),
    app: {
      environment: { AMQP_URL: url, AMQP_PASSWORD_FILE: '/run/secrets/rabbitmq_password' },
      secrets: ['rabbitmq_password'],
      urls: [{ variable: 'AMQP_URL', url, passwordSecret: 'rabbitmq_password' }],
    },
    secretModels: secrets(spec),
    docs: 'services/rabbitmq/readme',
    deploy: catalogDeploy({
      uid: 999,
      dataDir: RABBITMQ_DATA_DIR,
      scratch: ['/tmp'],
      resources: { limits: ['1', '512Mi'], requests: ['100m', '256Mi'] },
      livenessDelay: 60,
    }),
  };
}

export const rabbitmq = catalogModule<RabbitmqSpec>({
  id: 'rabbitmq',
  label: 'RabbitMQ',
  summary: 'RabbitMQ, a message broker: AMQP_URL (ui: the management UI on 127.0.0.1)',
  schema: RabbitmqSpec,
  managed: { ecs: 'Amazon MQ for RabbitMQ', aca: 'Azure Service Bus' },
  derive: deriveRabbitmq,
});
