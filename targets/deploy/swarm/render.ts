// deploy/swarm/stack.yml: the Compose stack in the form `docker stack deploy` accepts,
// built as a typed object and serialised with `yaml` (every string double-quoted).
import type { StackModel } from '../../../core/types.ts';
import { literalDollars, stringifyYaml } from '../../../core/yaml.ts';
import type { StatefulService } from '../types.ts';

type Obj = Record<string, unknown>;

/**
 * Secret names carry a digest of the secret files (Swarm secrets cannot change); the
 * variables are set by scripts/deploy-swarm.sh. (No "-" in the messages: the docker CLI's
 * interpolation would read it as a default.)
 */
const SECRET_NAME_SUFFIX = '${SECRETS_VERSION:?SECRETS_VERSION is not set}';

const logging = (): Obj => ({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });

function statefulService(m: StackModel, s: StatefulService): Obj {
  const service: Obj = { image: s.image };
  // Redis runs as the image's redis user; the database images start as root and step down themselves.
  if (s.runAsUser) service['user'] = `${s.uid}:${s.gid}`;
  if (s.hostname) service['hostname'] = s.hostname;
  if (s.args) service['command'] = s.args;
  if (Object.keys(s.environment).length) service['environment'] = s.environment;
  Object.assign(service, {
    // A secret with a target of its own (a conf.d file) in the long syntax.
    secrets: s.secrets.map((name) => (s.secretTargets[name] ? { source: name, target: s.secretTargets[name], mode: 0o444 } : name)),
    ...(s.initFiles.length ? { configs: s.initFiles.map((f) => ({ source: f.key, target: `${s.initDir}/${f.name}`, mode: f.name.endsWith('.sh') ? 0o555 : 0o444 })) } : {}),
    ...(s.volume ? { volumes: [`${s.volume}:${s.dataDir}`] } : {}),
    networks: [m.networks.backend],
    // An image that can run no health command (NATS's scratch image) runs without one.
    ...(s.composeHealthcheck ? { healthcheck: { test: s.composeHealthcheck, interval: '10s', timeout: '3s', retries: 5, start_period: s.startPeriod } } : {}),
  });
  if (s.stopSignal) service['stop_signal'] = s.stopSignal;
  if (s.dropAllCaps) service['cap_drop'] = ['ALL'];
  service['logging'] = logging();
  service['deploy'] = {
    replicas: 1,
    // The volume is local to one node: keep the task on it. A fresh single-node swarm
    // satisfies this; on a bigger swarm label the node and constrain on the label instead
    // (README.Docker.md, "Docker Swarm").
    placement: { constraints: [m.deploy.swarm.placement], max_replicas_per_node: 1 },
    resources: s.resources.swarm,
    restart_policy: { condition: 'any', delay: '5s', window: '30s' },
    // Never two processes on one data folder: stop the old task before starting the new one.
    update_config: { parallelism: 1, order: 'stop-first', failure_action: 'rollback', monitor: '30s' },
    rollback_config: { parallelism: 1, order: 'stop-first' },
  };
  return service;
}

export function swarmStackObject(m: StackModel): Obj {
  const d = m.deploy;
  const { app, networks } = m;
  const services: Obj = {
    [app.service]: {
      image: '${APP_IMAGE:?APP_IMAGE is not set}',
      init: true,
      environment: literalDollars(app.environment),
      secrets: app.secrets,
      // Swarm ignores depends_on; the app retries Redis until it answers (see its health check).
      depends_on: d.stateful.map((s) => s.service),
      networks: [networks.frontend, networks.backend],
      // The ingress routing mesh publishes on every node and every interface.
      ports: [{ target: app.port, published: app.hostPort, protocol: 'tcp', mode: 'ingress' }],
      cap_drop: ['ALL'],
      // Swarm replaces a task whose check fails, so the check is liveness (the process answers),
      // not the image's HEALTHCHECK, which asks Redis too: a Redis outage must not restart every replica.
      healthcheck: { test: ['CMD', ...app.livenesscheck], interval: '10s', timeout: '3s', retries: 3, start_period: '30s' },
      logging: logging(),
      deploy: {
        replicas: d.swarm.appReplicas,
        resources: d.appResources.swarm,
        restart_policy: { condition: 'any', delay: '5s', window: '30s' },
        // A new task starts and turns healthy (its liveness check) before an old one stops.
        update_config: { parallelism: 1, delay: '5s', order: 'start-first', failure_action: 'rollback', monitor: '30s' },
        rollback_config: { parallelism: 1, order: 'start-first' },
      },
    },
  };
  for (const s of d.stateful) services[s.service] = statefulService(m, s);

  const secrets: Obj = {};
  for (const s of d.secrets) {
    secrets[s.name] = { file: `../../${s.file}`, name: `\${STACK_NAME:?STACK_NAME is not set}_${s.name}_${SECRET_NAME_SUFFIX}` };
  }
  // First-start files (db/init/...): Swarm configs, versioned like the secrets.
  const configs: Obj = {};
  for (const f of d.stateful.flatMap((s) => s.initFiles)) {
    configs[f.key] = { file: `../../${f.file}`, name: `\${STACK_NAME:?STACK_NAME is not set}_${f.key}_${SECRET_NAME_SUFFIX}` };
  }
  return {
    services,
    networks: {
      [networks.frontend]: { driver: 'overlay' },
      [networks.backend]: { driver: 'overlay', internal: true },
    },
    volumes: Object.fromEntries(d.stateful.flatMap((s) => (s.volume ? [[s.volume, {}]] : []))),
    secrets,
    ...(Object.keys(configs).length ? { configs } : {}),
  };
}

export function renderSwarmStack(m: StackModel): string {
  return stringifyYaml(
    swarmStackObject(m),
    ' Generated by generator-wpsn-docker: the stack for `docker stack deploy` (Docker Swarm).\n' +
      ' Deploy it with scripts/deploy-swarm.sh, which sets APP_IMAGE, STACK_NAME and\n' +
      ' SECRETS_VERSION. Set-up, placement and scaling: README.Docker.md, "Docker Swarm".\n' +
      ' Swarm\'s ingress publishes the app port on every interface of every node.',
  );
}
