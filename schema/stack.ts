// StackSpec: the single source of truth for every answer the generator takes,
// whether it comes from prompts, flags, an answers file or .yo-rc.json.
import * as z from 'zod';
import { databaseSpec } from '../services/database/schema.ts';
import { extraServicesSpec } from '../services/extra/schema.ts';
import { servicesSpec } from '../services/catalog/schema.ts';
import { CATALOG_KINDS, CATALOG_MODULES, DATABASE_KINDS, RESERVED_SERVICE_NAMES } from '../services/index.ts';
import { REDIS_PORT, RedisSpec } from '../services/redis/schema.ts';
import { DEFAULT_NODE_IMAGE, LANGUAGES, PACKAGE_MANAGERS } from './defaults.ts';
import { CommandArg, EnvName, EnvValue, NAME_RULE, pinnedImage, port, resourceName, whenClean } from './fields.ts';
import { parseImageReference, repositoryBaseName } from './image-ref.ts';
import { isIP } from './ip.ts';
import { DNS_LABEL_MAX, PROJECT_NAME_RE, RESERVED_NETWORK_NAMES } from './names.ts';
import { RegistriesSpec } from './registry.ts';
import { DeploySpec } from './deploy.ts';

// Re-exported for the modules that name these with the rest of the spec.
export { CAPABILITIES, PinnedImage, ServiceHardeningSpec, UNPRIVILEGED_USER } from './fields.ts';
export { DEFAULT_REDIS_APP_PERMISSIONS, REDIS_PORT, RedisSpec } from '../services/redis/schema.ts';
export { ExtraServiceSpec } from '../services/extra/schema.ts';
export { RESERVED_SERVICE_NAMES } from '../services/index.ts';

export const DatabaseSpec = databaseSpec(DATABASE_KINDS);
export const ExtraServicesSpec = extraServicesSpec(RESERVED_SERVICE_NAMES);
/** The catalog's services (services/index.ts CATALOG_MODULES): one entry per kind, each its module's schema. */
export const ServicesSpec = servicesSpec(CATALOG_MODULES.map((m) => m.schema), CATALOG_KINDS);

export const ProjectName = z
  .string({ error: 'the project name must be a string' })
  .min(1, { error: 'the project name must not be empty' })
  .max(DNS_LABEL_MAX, { error: `the project name must be at most ${DNS_LABEL_MAX} characters (a DNS label)` })
  .regex(PROJECT_NAME_RE, { error: `the project name must match ^[a-z0-9][a-z0-9_-]*$ (${NAME_RULE})` });

const BindAddress = z
  .string({ error: 'the bind address must be a string' })
  .refine((v) => isIP(v) !== 0 && !v.includes('%'), {
    error: 'the bind address must be an IPv4 or IPv6 address without a zone (such as %eth0: Docker cannot publish on one), such as 127.0.0.1 (local only) or 0.0.0.0 (every interface)',
  });

const HealthPath = z
  .string({ error: 'the health path must be a string' })
  // A URL path of unreserved characters (RFC 3986: letters, digits, "-", ".", "_", "~")
  // and "/", anything else percent-encoded. The path goes into shell text (the lesson's
  // curl, scripts), JavaScript strings (the healthcheck) and Compose values: none of these
  // characters means anything to any of them.
  .regex(/^\/(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*$/, {
    error: 'the health path must be a URL path starting with "/", of letters, digits, "/", "-", ".", "_" and "~" (percent-encode anything else, such as %20), such as /healthz',
  })
  .max(200, { error: 'the health path must be at most 200 characters' });

/** The file names Compose looks for, in the order it prefers them. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

/** How the image tells the app is healthy (see AppSpec.healthCheck). */
export const HEALTH_CHECKS = ['http', 'status', 'tcp'] as const;

/** A folder of the project: relative, "/"-separated, no "." or ".." parts (except "." alone). */
const ProjectFolder = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .max(200, { error: `${what} must be at most 200 characters` })
    .regex(/^(?:\.|(?!\.{1,2}(?:\/|$))[A-Za-z0-9._@][A-Za-z0-9._@-]*(?:\/(?!\.{1,2}(?:\/|$))[A-Za-z0-9._@][A-Za-z0-9._@-]*)*)$/, {
      error: `${what} must be a relative folder of the project ("/"-separated names of letters, digits, ".", "_", "-", "@", none starting with "-"; no ".." and no leading "/"), or "."`,
    });

const ScriptName = z
  .string({ error: 'the build script must be a string' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9:._-]*$/, { error: 'the build script must be an npm script name (letters, digits, ":", ".", "_", "-")' })
  .max(100, { error: 'the build script name must be at most 100 characters' });

export const AppSpec = z
  .strictObject({
    runtime: z.literal('node', { error: 'the runtime must be "node"' }).default('node'),
    packageManager: z.enum(PACKAGE_MANAGERS, { error: `the package manager must be one of ${PACKAGE_MANAGERS.join(', ')}` }).default('npm'),
    baseImage: pinnedImage([DEFAULT_NODE_IMAGE], { only: true }).default(DEFAULT_NODE_IMAGE),
    port: port('the container port').default(3000),
    hostPort: port('the host port').default(3000),
    bind: BindAddress.default('127.0.0.1'),
    allowPrivilegedPort: z.boolean({ error: 'must be true or false' }).default(false),
    command: z
      .array(CommandArg, { error: 'the start command must be a list of arguments, such as ["node", "server.js"]' })
      .min(1, { error: 'the start command must have at least one argument' })
      .default(['node', 'server.js']),
    healthPath: HealthPath.default('/healthz'),
    healthCheck: z
      .enum(HEALTH_CHECKS, { error: `the health check must be one of ${HEALTH_CHECKS.join(', ')}` })
      .default('http')
      .meta({ description: 'http: GET healthPath answers 2xx (an endpoint that checks the app\'s services); status: GET healthPath answers below 500, redirects not followed (an app without a health endpoint); tcp: the port accepts a connection' }),
    buildScript: z
      .union([z.literal(''), ScriptName], { error: 'the build script must be an npm script name (letters, digits, ":", ".", "_", "-"), or "" for no build step' })
      .optional()
      .meta({ description: 'the npm script the build stage runs (default: detected); "" for no build step' }),
    dir: ProjectFolder('the app folder')
      .default('.')
      .meta({ description: 'the app\'s package folder in the project (a workspace package, such as apps/web); the image runs there' }),
    environment: z
      .record(EnvName, EnvValue, { error: 'the environment must be a mapping of variable names to strings' })
      .default({})
      .meta({ description: 'more variables for the app (such as FASTIFY_ADDRESS); "$" is literal' }),
    writableDirs: z
      .array(ProjectFolder('a writable folder'), { error: 'writableDirs must be a list of folders of the project' })
      .max(16, { error: 'writableDirs takes at most 16 folders' })
      .default([])
      .meta({ description: 'folders of the project the app writes at run time (each a tmpfs; the rest of the image stays read-only), such as .next/cache' }),
  })
  .superRefine((app, ctx) => {
    const seen = new Set<string>();
    for (const [i, dir] of app.writableDirs.entries()) {
      if (seen.has(dir)) ctx.addIssue({ code: 'custom', path: ['writableDirs', i], input: dir, message: `${dir} is listed twice: name each writable folder once` });
      seen.add(dir);
    }
    if (app.hostPort < 1024 && !app.allowPrivilegedPort) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostPort'],
        input: app.hostPort,
        message: 'host ports below 1024 are privileged: choose 1024 or above, or set app.allowPrivilegedPort (--allow-privileged-port)',
      });
    }
  }, whenClean(['hostPort'], ['allowPrivilegedPort']));

const networkName = resourceName('the network name').refine(
  (v) => !(RESERVED_NETWORK_NAMES as readonly string[]).includes(v),
  { error: `the network name must not be one of the reserved names ${RESERVED_NETWORK_NAMES.join(', ')}` },
);

export const NetworksSpec = z.strictObject({
  frontend: networkName.default('frontend'),
  backend: networkName.default('backend'),
});

/** The fields without the cross-field rules; the JSON Schema export extends it. */
export const StackSpecObject = z.strictObject({
  $schema: z.string().optional(),
  projectName: ProjectName,
  lang: z.enum(LANGUAGES, { error: `the language must be one of ${LANGUAGES.join(', ')}` }).default('en'),
  app: AppSpec.prefault({}),
  redis: RedisSpec.prefault({}),
  database: DatabaseSpec.prefault({}),
  networks: NetworksSpec.prefault({}),
  /** Registry push targets and their generation-time defaults (schema/registry.ts). */
  registries: RegistriesSpec.prefault({}),
  /** Deploy targets and their generation-time defaults (schema/deploy.ts). */
  deploy: DeploySpec.prefault({}),
  /** The catalog's services (--services): { kind, ...options } each, or just the kind (services/<kind>/schema.ts). */
  services: ServicesSpec.default([]).meta({ description: `services of the catalog next to the app and Redis, each at most once: ${CATALOG_KINDS.join(', ')}; an entry is { kind, ...its options } or just the kind's name (default: none)` }),
  /** More services on the backend network (workers, mail catchers, ...): see ExtraServiceSpec. */
  extraServices: ExtraServicesSpec.default([]).meta({ description: 'more services next to the app and Redis (workers, mail catchers, ...); names must not be app, redis or db (default: none)' }),
  /** The name of the Compose file (an existing one's, so there is never a second that Compose would shadow). */
  composeFile: z
    .enum(COMPOSE_FILES, { error: `the Compose file must be one of ${COMPOSE_FILES.join(', ')}` })
    .default('docker-compose.yml')
    .meta({ description: 'the Compose file\'s name (default docker-compose.yml; the name of an existing Compose file is kept)' }),
  /** A workshop kit: WORKSHOP.md (the lesson, in `lang`) and scripts/offline-load.sh (core/render/workshop.ts). */
  workshop: z.boolean({ error: 'workshop must be true or false' }).default(false),
});

export const StackSpec = StackSpecObject.superRefine((spec, ctx) => {
  if (spec.networks.frontend === spec.networks.backend) {
    ctx.addIssue({
      code: 'custom',
      path: ['networks', 'backend'],
      input: spec.networks.backend,
      message: 'the backend network must differ from the frontend network (it is internal, the frontend is not)',
    });
  }
}, whenClean(['networks', 'frontend'], ['networks', 'backend'])).superRefine((spec, ctx) => {
  if (spec.database.kind !== 'none' && spec.database.volume === spec.redis.volume) {
    ctx.addIssue({
      code: 'custom',
      path: ['database', 'volume'],
      input: spec.database.volume,
      message: 'the database volume must differ from the Redis volume',
    });
  }
}, whenClean(['database', 'kind'], ['database', 'volume'], ['redis', 'volume'])).superRefine((spec, ctx) => {
  // A database image that is plainly another kind's (postgres:17 for mysql) contradicts
  // the kind: the environment, paths and healthcheck are the kind's. Other names (a
  // company mirror's own) are the user's call.
  const { kind, image } = spec.database;
  if (kind === 'none' || image === undefined) return;
  const parsed = parseImageReference(image);
  if (!parsed.ok) return;
  const base = repositoryBaseName(parsed.ref);
  const other = DATABASE_KINDS.find((k) => k !== 'none' && k !== kind && k === base);
  if (other) {
    ctx.addIssue({
      code: 'custom',
      path: ['database', 'image'],
      input: image,
      message: `the image is a ${other} image, but the database is ${kind}: give a ${kind} image, or choose --database ${other}`,
    });
  }
}, whenClean(['database', 'kind'], ['database', 'image'])).superRefine((spec, ctx) => {
  // On ECS (awsvpc) a task's containers share one network namespace: a Redis sidecar
  // listens on 127.0.0.1:6379 next to the app, so the app cannot listen there too.
  if (spec.deploy.targets.includes('ecs') && spec.deploy.ecs.redis === 'sidecar' && spec.app.port === REDIS_PORT) {
    ctx.addIssue({
      code: 'custom',
      path: ['app', 'port'],
      input: spec.app.port,
      message: `the container port must not be ${REDIS_PORT} with the ecs deploy target: the Redis sidecar listens on ${REDIS_PORT} in the same task (one network namespace); choose another port, or deploy.ecs.redis: elasticache`,
    });
  }
}, whenClean(['app', 'port'], ['deploy', 'targets'], ['deploy', 'ecs'])).superRefine((spec, ctx) => {
  // The cloud targets run the app and Redis only: a catalog service there is the cloud's
  // managed one (its module names it), not a container next to the app.
  const clouds = [
    { target: 'ecs', label: 'Amazon ECS', managed: (m: (typeof CATALOG_MODULES)[number]) => m.managed.ecs },
    { target: 'aca', label: 'Azure Container Apps', managed: (m: (typeof CATALOG_MODULES)[number]) => m.managed.aca },
  ] as const;
  for (const cloud of clouds) {
    if (!spec.deploy.targets.includes(cloud.target)) continue;
    spec.services.forEach((service, i) => {
      const module = CATALOG_MODULES.find((m) => m.id === service.kind);
      if (!module) return;
      ctx.addIssue({
        code: 'custom',
        path: ['services', i, 'kind'],
        input: service.kind,
        message: `the ${cloud.target} deploy target does not run ${module.label} next to the app: use ${cloud.managed(module)} there (leave ${service.kind} out of --services, or ${cloud.target} out of --deploy)`,
      });
    });
  }
}, whenClean(['services'], ['deploy', 'targets'])).superRefine((spec, ctx) => {
  // An extra service cannot take a catalog service's name (its Compose service and host name).
  const chosen = new Set(spec.services.map((x) => x.kind));
  spec.extraServices.forEach((x, i) => {
    if (chosen.has(x.name)) {
      ctx.addIssue({ code: 'custom', path: ['extraServices', i, 'name'], input: x.name, message: `the service name must not be ${x.name}: services (--services) runs ${x.name} itself` });
    }
  });
}, whenClean(['services'], ['extraServices'])).superRefine((spec, ctx) => {
  // Every named volume belongs to one service: Redis, the database, the catalog's, the extras'.
  const volumes: Array<[path: (string | number)[], name: string]> = [[['redis', 'volume'], spec.redis.volume]];
  if (spec.database.kind !== 'none') volumes.push([['database', 'volume'], spec.database.volume]);
  spec.services.forEach((x, i) => {
    const volume = (x as { volume?: unknown }).volume;
    if (typeof volume === 'string') volumes.push([['services', i, 'volume'], volume]);
  });
  spec.extraServices.forEach((x, i) => {
    if (x.volume) volumes.push([['extraServices', i, 'volume', 'name'], x.volume.name]);
  });
  const seen = new Map<string, string>();
  for (const [path, name] of volumes) {
    const first = seen.get(name);
    // The database against Redis has its own rule above.
    if (first !== undefined && !(path[0] === 'database' && first === 'redis.volume')) {
      ctx.addIssue({ code: 'custom', path, input: name, message: `the volume ${name} is already ${first}'s: each service needs its own volume` });
    }
    if (first === undefined) seen.set(name, path.join('.'));
  }
}, whenClean(['redis', 'volume'], ['database'], ['services'], ['extraServices']));

export type StackSpec = z.output<typeof StackSpec>;
export type StackSpecInput = z.input<typeof StackSpec>;
