// RabbitMQ: 999:999 from the start, a fixed host name, its user from a derived conf.d file.
import { expect } from 'vitest';
import { describeCatalogService } from '../../test/unit/helpers/catalog.ts';

describeCatalogService({
  kind: 'rabbitmq',
  label: 'RabbitMQ',
  image: 'rabbitmq:4.0-management',
  user: '999:999',
  port: 5672,
  volume: { name: 'rabbitmq-data', target: '/var/lib/rabbitmq' },
  healthcheck: ['CMD', 'rabbitmq-diagnostics', '-q', 'check_port_connectivity'],
  appEnvironment: { AMQP_URL: 'amqp://app@rabbitmq:5672', AMQP_PASSWORD_FILE: '/run/secrets/rabbitmq_password' },
  appSecrets: ['rabbitmq_password'],
  appUrls: [{ variable: 'AMQP_URL', url: 'amqp://app@rabbitmq:5672', passwordSecret: 'rabbitmq_password' }],
  serviceSecrets: ['rabbitmq_conf'],
  secretTargets: { rabbitmq_conf: '/etc/rabbitmq/conf.d/90-wpsn-credentials.conf' },
  secretFiles: ['secrets/rabbitmq_password', 'secrets/rabbitmq.conf'],
  derived: {
    'secrets/rabbitmq.conf': (pw) =>
      new RegExp(`\\ndefault_user = app\\ndefault_pass = ${pw['rabbitmq_password']}\\ndefault_vhost = /\\ndefault_user_tags\\.administrator = false\\n$`),
  },
  ui: { port: 15672, hostPort: 15672 },
  managed: { ecs: /Amazon MQ for RabbitMQ/, aca: /Azure Service Bus/ },
  compose: (service) => {
    expect(service['hostname']).toBe('rabbitmq');
    expect(service['environment']).toBeUndefined();
    // An Erlang VM per probe: not every 250 ms, and time enough.
    expect(service['healthcheck']['start_interval']).toBe('1s');
    expect(service['healthcheck']['timeout']).toBe('10s');
  },
});
