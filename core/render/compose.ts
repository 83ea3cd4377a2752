// docker-compose.yml, built as a typed object and serialised with `yaml`.
// Every string is double-quoted, so YAML 1.1 readers cannot turn "22:22" into a
// base-60 number or "no" into false.
import { DATABASE_CAPS, DATABASE_LIMITS } from '../../services/database/index.ts';
import { REDIS_LIMITS } from '../../services/redis/index.ts';
import type { ServiceModel } from '../../services/types.ts';
import type { StackModel } from '../types.ts';
import { literalDollars, stringifyYaml } from '../yaml.ts';

type Obj = Record<string, unknown>;

/** Shared by every long-running service: restart, log rotation, no privilege escalation. */
function hardening(): Obj {
  return {
    restart: 'unless-stopped',
    logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
    security_opt: ['no-new-privileges:true'],
  };
}

/**
 * Memory and process limits (Compose applies `mem_limit` and `pids_limit` with `docker
 * compose up`, no Swarm needed): the app's here, each service's from its module. A fork
 * bomb or a leak stops at the limit.
 */
export const LIMITS = {
  app: { mem_limit: '512m', pids_limit: 256 },
  redis: REDIS_LIMITS,
  database: DATABASE_LIMITS,
} as const;

export { DATABASE_CAPS };

/**
 * While starting, probe every 250 ms (Engine 25+), so `depends_on: service_healthy` and
 * `up --wait` see a ready Redis or database within a fraction of a second (their probes
 * are cheap CLI calls); once healthy, every 10 s.
 */
function healthcheck(h: NonNullable<ServiceModel['healthcheck']>): Obj {
  return { test: h.test, interval: '10s', timeout: h.timeout ?? '3s', retries: 5, start_period: h.startPeriod, start_interval: h.startInterval ?? '250ms' };
}

/** The network a service with a published development UI joins for it (nothing else is on it). */
export const uiNetwork = (s: ServiceModel): string => `${s.service}-ui`;

/** A service of the stack (services/<id>/) as Compose runs it: only on the internal backend network (a published development UI aside). */
function serviceObject(s: ServiceModel, networks: StackModel['networks']): Obj {
  const service: Obj = { image: s.image };
  if (s.runAs !== undefined) service['user'] = s.runAs;
  if (s.hostname !== undefined) service['hostname'] = s.hostname;
  if (s.command) service['command'] = s.command;
  if (Object.keys(s.environment).length) service['environment'] = s.environment;
  // A secret with a target of its own (a conf.d file) in the long syntax; the rest at /run/secrets/<name>.
  if (s.secrets.length) service['secrets'] = s.secrets.map((name) => (s.secretTargets?.[name] ? { source: name, target: s.secretTargets[name] } : name));
  const volumes = [...s.volumes.map((v) => `${v.name}:${v.target}`), ...s.binds.map((b) => `${b.source}:${b.target}:ro`)];
  if (volumes.length) service['volumes'] = volumes;
  if (s.expose && s.port !== undefined) service['expose'] = [String(s.port)];
  // Only a development UI the user asked for, and only on its address (127.0.0.1).
  if (s.publish?.length) service['ports'] = s.publish.map((p) => `${p.address}:${p.hostPort}:${p.port}`);
  // Docker publishes no port of a container on internal networks only: a published UI also
  // joins a network of its own (not internal, so it has a route out), which nothing else is
  // on: the app's frontend network still cannot reach the service.
  service['networks'] = s.publish?.length ? [networks.backend, uiNetwork(s)] : [networks.backend];
  if (s.healthcheck) service['healthcheck'] = healthcheck(s.healthcheck);
  if (s.stopSignal !== undefined) service['stop_signal'] = s.stopSignal;
  if (s.readOnly) service['read_only'] = true;
  if (s.tmpfs.length) service['tmpfs'] = s.tmpfs;
  service['cap_drop'] = ['ALL'];
  if (s.capAdd.length) service['cap_add'] = [...s.capAdd];
  Object.assign(service, s.limits, hardening());
  return service;
}

export function composeObject(model: StackModel): Obj {
  const { app, networks } = model;
  // The app waits for every service that has a health check to report healthy, and for one
  // whose image can run none (NATS) to start.
  const dependsOn: Obj = {};
  for (const s of model.services) {
    if (s.healthcheck) dependsOn[s.service] = { condition: 'service_healthy' };
    else if (s.waitForStart) dependsOn[s.service] = { condition: 'service_started' };
  }

  const services: Obj = {
    [app.service]: {
      build: { context: '.', target: 'runtime', secrets: ['extra_ca', ...app.buildSecrets.map((s) => s.id)] },
      init: true,
      // The image's files stay as built: only /tmp and the app's own run-time folders (such
      // as Next.js's .next/cache), in memory, are writable.
      read_only: true,
      tmpfs: app.tmpfs,
      ports: [app.publish],
      // The user's own values may hold "$": literal in the app, so escaped for Compose.
      environment: literalDollars(app.environment),
      secrets: app.secrets,
      depends_on: dependsOn,
      networks: [networks.frontend, networks.backend],
      cap_drop: ['ALL'],
      ...LIMITS.app,
      ...hardening(),
      develop: {
        // A rebuild, not a sync: a read-only root file system takes no copied files
        // (`docker compose watch` sync fails with "container rootfs is marked read-only").
        // The dependency layer stays cached, so a source change rebuilds in seconds. The
        // manifests' own rules say so explicitly (the dependency layer is rebuilt for them).
        watch: [
          { action: 'rebuild', path: '.', ignore: ['node_modules/', '.git/', 'secrets/', '.env'] },
          ...app.install.manifests.map((path) => ({ action: 'rebuild', path })),
        ],
      },
    },
  };
  for (const s of model.services) services[s.service] = serviceObject(s, networks);

  const secrets: Obj = {};
  for (const secret of model.secrets) secrets[secret.name] = { file: `./${secret.file}` };
  // The host's extra CA bundle (corporate TLS proxies) for the dependency install only;
  // /dev/null when NODE_EXTRA_CA_CERTS is unset, which the Dockerfile treats as absent.
  secrets['extra_ca'] = { file: '${NODE_EXTRA_CA_CERTS:-/dev/null}' };
  // The project's package-manager settings (.npmrc): excluded from the build context, so
  // a token in them never reaches a layer; the install steps mount them as secrets.
  for (const s of app.buildSecrets) secrets[s.id] = { file: `./${s.file}` };

  return {
    name: model.projectName,
    services,
    networks: {
      [networks.frontend]: {},
      [networks.backend]: { internal: true },
      ...Object.fromEntries(model.services.filter((s) => s.publish?.length).map((s) => [uiNetwork(s), {}])),
    },
    volumes: Object.fromEntries(model.volumes.map((v) => [v, {}])),
    secrets,
  };
}

export function renderCompose(model: StackModel): string {
  return stringifyYaml(
    composeObject(model),
    ' Generated by generator-wpsn-docker. Edits are kept: a re-run merges them with the new version\n' +
      ' and asks where both change the same lines. Settings and how to use them: README.Docker.md',
  );
}
