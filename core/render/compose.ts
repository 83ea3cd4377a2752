// docker-compose.yml, built as a typed object and serialised with `yaml`.
// Every string is double-quoted, so YAML 1.1 readers cannot turn "22:22" into a
// base-60 number or "no" into false.
import type { StackModel } from '../model.ts';
import { stringifyYaml } from '../yaml.ts';

type Obj = Record<string, unknown>;

export const COMPOSE_FILE = 'docker-compose.yml';

/** Shared by every long-running service: restart, log rotation, no privilege escalation. */
function hardening(): Obj {
  return {
    restart: 'unless-stopped',
    logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
    security_opt: ['no-new-privileges:true'],
  };
}

/**
 * Memory and process limits per service (Compose applies `mem_limit` and `pids_limit`
 * with `docker compose up`, no Swarm needed). The same sizes as the deploy targets'
 * limits for Redis and the database; a fork bomb or a leak stops at the limit.
 */
export const LIMITS = {
  app: { mem_limit: '512m', pids_limit: 256 },
  redis: { mem_limit: '256m', pids_limit: 64 },
  database: { mem_limit: '1g', pids_limit: 256 },
} as const;

/**
 * What the official database images' entrypoints need to initialise as root and then
 * run as their own user (chown the data folder, gosu/su-exec to the user): every other
 * capability is dropped.
 */
export const DATABASE_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'] as const;

/**
 * While starting, probe every 250 ms (Engine 25+), so `depends_on: service_healthy` and
 * `up --wait` see a ready Redis or database within a fraction of a second (their probes
 * are cheap CLI calls); once healthy, every 10 s.
 */
function healthcheck(test: string[], startPeriod: string): Obj {
  return { test, interval: '10s', timeout: '3s', retries: 5, start_period: startPeriod, start_interval: '250ms' };
}

/** Compose interpolates `$VAR` in most values; `$$` is a literal `$`. */
function literalDollars(text: string): string {
  return text.replaceAll('$', '$$$$');
}

export function composeObject(model: StackModel): Obj {
  const { app, redis, database, networks } = model;
  const dependsOn: Obj = { [redis.service]: { condition: 'service_healthy' } };
  if (database) dependsOn[database.service] = { condition: 'service_healthy' };

  const services: Obj = {
    [app.service]: {
      build: { context: '.', target: 'runtime', secrets: ['extra_ca', ...app.buildSecrets.map((s) => s.id)] },
      init: true,
      // The image's files stay as built: only /tmp (in memory) is writable.
      read_only: true,
      tmpfs: ['/tmp'],
      ports: [app.publish],
      environment: app.environment,
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
    [redis.service]: {
      image: redis.image,
      user: redis.user,
      command: redis.command,
      secrets: [...redis.secrets, redis.adminSecret],
      volumes: [`${redis.volume}:/data`],
      networks: [networks.backend],
      healthcheck: healthcheck(redis.healthcheck, '10s'),
      // Writes only to /data (the volume) and /tmp; runs as its own uid, so needs no capability.
      read_only: true,
      tmpfs: ['/tmp'],
      cap_drop: ['ALL'],
      ...LIMITS.redis,
      ...hardening(),
    },
  };
  if (database) {
    services[database.service] = {
      image: database.image,
      environment: database.environment,
      secrets: database.secrets,
      volumes: [`${database.volume}:${database.dataDir}`],
      networks: [networks.backend],
      healthcheck: healthcheck(database.healthcheck, '60s'),
      cap_drop: ['ALL'],
      cap_add: [...DATABASE_CAPS],
      ...LIMITS.database,
      ...hardening(),
    };
  }
  // Extra services: the internal network only, never published; `$` stays literal.
  // Hardened like the others by default; each loosening is the user's explicit choice.
  for (const extra of model.extraServices) {
    const service: Obj = { image: extra.image };
    if (extra.user !== undefined) service['user'] = extra.user;
    if (extra.command) service['command'] = extra.command.map(literalDollars);
    if (extra.environment) {
      // Sorted by name (code points, not locale): the same answers give the same bytes
      // whatever order their mapping was written in.
      const entries = Object.entries(extra.environment).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      service['environment'] = Object.fromEntries(entries.map(([k, v]) => [k, literalDollars(v)]));
    }
    if (extra.port !== undefined) service['expose'] = [String(extra.port)];
    service['networks'] = [networks.backend];
    if (extra.readOnly) {
      service['read_only'] = true;
      service['tmpfs'] = ['/tmp'];
    }
    service['cap_drop'] = ['ALL'];
    if (extra.capAdd.length) service['cap_add'] = [...extra.capAdd];
    service['mem_limit'] = extra.memLimit;
    service['pids_limit'] = extra.pidsLimit;
    Object.assign(service, hardening());
    services[extra.service] = service;
  }

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
    networks: { [networks.frontend]: {}, [networks.backend]: { internal: true } },
    volumes: Object.fromEntries(model.volumes.map((v) => [v, {}])),
    secrets,
  };
}

export function renderCompose(model: StackModel): string {
  return stringifyYaml(
    composeObject(model),
    ' Generated by generator-wpsn-docker. Edits are kept: a re-run never overwrites a changed file\n' +
      ' without asking. Settings and how to use them: README.Docker.md',
  );
}
