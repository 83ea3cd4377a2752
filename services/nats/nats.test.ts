// NATS: the scratch image (no health check: the app waits for it to start), SIGINT, the
// user and password from a derived configuration file, JetStream on a volume or off.
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { composeObject } from '../../core/render/compose.ts';
import { kubernetesBase } from '../../targets/deploy/kubernetes/render.ts';
import { swarmStackObject } from '../../targets/deploy/swarm/render.ts';
import { resolveSpec } from '../../core/spec.ts';
import { describeCatalogService } from '../../test/unit/helpers/catalog.ts';

describeCatalogService({
  kind: 'nats',
  label: 'NATS',
  image: 'nats:2.10',
  // The image has no user but root; with JetStream it keeps root (a new volume is root's).
  user: undefined,
  port: 4222,
  volume: { name: 'nats-data', target: '/data' },
  healthcheck: undefined,
  appEnvironment: { NATS_URL: 'nats://app@nats:4222', NATS_PASSWORD_FILE: '/run/secrets/nats_password' },
  appSecrets: ['nats_password'],
  appUrls: [{ variable: 'NATS_URL', url: 'nats://app@nats:4222', passwordSecret: 'nats_password' }],
  serviceSecrets: ['nats_conf'],
  secretFiles: ['secrets/nats_password', 'secrets/nats.conf'],
  derived: {
    'secrets/nats.conf': (pw) => new RegExp(`jetstream \\{\\n  store_dir: "/data"\\n  max_memory_store: 64MB\\n\\}\\nauthorization \\{\\n  user: app\\n  password: "${pw['nats_password']}"\\n\\}\\n$`),
  },
  managed: { ecs: /Synadia Cloud/, aca: /Synadia Cloud/ },
  compose: (service) => {
    expect(service['command']).toEqual(['--config', '/run/secrets/nats_conf', '-m', '8222']);
    expect(service['stop_signal']).toBe('SIGINT');
    expect(service['tmpfs']).toBeUndefined();
  },
});

describe('nats: without JetStream, and on the deploy targets', () => {
  const resolve = (values: Record<string, unknown>) => resolveSpec([{ source: 'answers.yaml', values }], { dirName: 'demo' });

  it('jetstream: false keeps nothing (no volume, no jetstream block) and runs as nobody', () => {
    const model = deriveModel(resolve({ services: [{ kind: 'nats', jetstream: false }] }), { sampleApp: true });
    const service = (composeObject(model) as Record<string, any>)['services']['nats'];
    expect(service.user).toBe('65534:65534');
    expect(service.volumes).toBeUndefined();
    const conf = model.secrets.find((s) => s.name === 'nats_conf')!;
    expect(JSON.stringify(conf.source)).not.toContain('jetstream');
  });

  it('Kubernetes probes /healthz on the monitoring port as nobody; Swarm runs it without a health check, stopped with SIGINT', () => {
    const model = deriveModel(resolve({ services: ['nats'], deploy: { targets: ['swarm', 'kubernetes'] } }), { sampleApp: true });
    const set = kubernetesBase(model).find((f) => f.path.endsWith('/nats-statefulset.yaml'))!.object as Record<string, any>;
    const container = set['spec']['template']['spec']['containers'][0];
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8222 });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8222 });
    expect(set['spec']['template']['spec']['securityContext']).toMatchObject({ runAsUser: 65534, fsGroup: 65534 });
    const swarm = (swarmStackObject(model) as Record<string, any>)['services']['nats'];
    expect(swarm.healthcheck).toBeUndefined();
    expect(swarm.stop_signal).toBe('SIGINT');
  });
});
