// StackSpec: the single source of truth for every answer the generator takes,
// whether it comes from prompts, flags, an answers file or .yo-rc.json.
import * as z from 'zod';
import {
  DATABASE_KINDS,
  DEFAULT_NODE_IMAGE,
  DEFAULT_REDIS_IMAGE,
  LANGUAGES,
  PACKAGE_MANAGERS,
  REDIS_PERSISTENCE,
} from './defaults.ts';
import { parseImageReference, pinProblem, repositoryBaseName } from './image-ref.ts';
import { isIP } from './ip.ts';
import { DNS_LABEL_MAX, PROJECT_NAME_RE, RESERVED_NETWORK_NAMES, RESOURCE_NAME_RE } from './names.ts';
import { RegistriesSpec } from './registry.ts';
import { DeploySpec } from './deploy.ts';

const NAME_RULE = `lowercase letters, digits, "-" and "_", starting with a letter or digit, at most ${DNS_LABEL_MAX} characters`;

/**
 * Runs a cross-field rule whenever the fields it reads parsed cleanly, even when other
 * fields did not (zod skips refinements after any failure by default), so that one run
 * reports every problem. Unknown keys do not make a field's value unreliable.
 */
const whenClean = (...paths: readonly (readonly string[])[]) => ({
  when: (payload: z.core.ParsePayload): boolean =>
    !payload.issues.some(
      (issue) =>
        issue.code !== 'unrecognized_keys' &&
        paths.some((path) => {
          // A raw issue may have no path yet: then it is about the object itself.
          const at = issue.path ?? [];
          return path.slice(0, Math.min(path.length, at.length)).every((key, i) => at[i] === key);
        }),
    ),
});

const resourceName = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .max(DNS_LABEL_MAX, { error: `${what} must be at most ${DNS_LABEL_MAX} characters (a DNS label)` })
    .regex(RESOURCE_NAME_RE, { error: `${what} must use ${NAME_RULE}` });

export const ProjectName = z
  .string({ error: 'the project name must be a string' })
  .min(1, { error: 'the project name must not be empty' })
  .max(DNS_LABEL_MAX, { error: `the project name must be at most ${DNS_LABEL_MAX} characters (a DNS label)` })
  .regex(PROJECT_NAME_RE, { error: `the project name must match ^[a-z0-9][a-z0-9_-]*$ (${NAME_RULE})` });

const port = (what: string) =>
  z
    .number({ error: `${what} must be a whole number from 1 to 65535` })
    .int({ error: `${what} must be a whole number from 1 to 65535` })
    .min(1, { error: `${what} must be from 1 to 65535` })
    .max(65535, { error: `${what} must be from 1 to 65535` });

/** An image reference that parses under the OCI grammar and is pinned. */
export const PinnedImage = z.string({ error: 'an image reference must be a string' }).superRefine((value, ctx) => {
  const parsed = parseImageReference(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `not a valid image reference: it ${parsed.reason}`, input: value });
    return;
  }
  const problem = pinProblem(parsed.ref);
  if (problem) ctx.addIssue({ code: 'custom', message: `the image ${problem}`, input: value });
});

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

const CommandArg = z
  .string({ error: 'each command argument must be a string' })
  .min(1, { error: 'command arguments must not be empty' })
  .regex(/^[^\0\r\n]*$/, { error: 'command arguments must not contain newlines or NUL characters' });

const ScriptName = z
  .string({ error: 'the build script must be a string' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9:._-]*$/, { error: 'the build script must be an npm script name (letters, digits, ":", ".", "_", "-")' })
  .max(100, { error: 'the build script name must be at most 100 characters' });

const DbIdentifier = z
  .string({ error: 'must be a string' })
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lowercase SQL identifier: letters, digits and "_", starting with a letter or "_", at most 63 characters' });

export const AppSpec = z
  .strictObject({
    runtime: z.literal('node', { error: 'the runtime must be "node"' }).default('node'),
    packageManager: z.enum(PACKAGE_MANAGERS, { error: `the package manager must be one of ${PACKAGE_MANAGERS.join(', ')}` }).default('npm'),
    baseImage: PinnedImage.default(DEFAULT_NODE_IMAGE),
    port: port('the container port').default(3000),
    hostPort: port('the host port').default(3000),
    bind: BindAddress.default('127.0.0.1'),
    allowPrivilegedPort: z.boolean({ error: 'must be true or false' }).default(false),
    command: z
      .array(CommandArg, { error: 'the start command must be a list of arguments, such as ["node", "server.js"]' })
      .min(1, { error: 'the start command must have at least one argument' })
      .default(['node', 'server.js']),
    healthPath: HealthPath.default('/healthz'),
    buildScript: ScriptName.optional(),
  })
  .superRefine((app, ctx) => {
    if (app.hostPort < 1024 && !app.allowPrivilegedPort) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostPort'],
        input: app.hostPort,
        message: 'host ports below 1024 are privileged: choose 1024 or above, or set app.allowPrivilegedPort (--allow-privileged-port)',
      });
    }
  }, whenClean(['hostPort'], ['allowPrivilegedPort']));

/**
 * What the app's Redis user may do: ACL rules for keys (~), channels (&) and commands
 * (+/-, @categories). The default is everything an app uses, without the commands that
 * administer the server (ACL, CONFIG, REPLICAOF, MODULE, DEBUG, SHUTDOWN, MONITOR,
 * MIGRATE, ...); the admin user (secrets/redis_admin_password) keeps them.
 */
export const DEFAULT_REDIS_APP_PERMISSIONS = '~* &* +@all -@dangerous +info +keys +sort +sort_ro +flushdb';
const ACL_RULE = /^(?:~\S+|%R?W?~\S+|&\S+|allkeys|allchannels|resetkeys|resetchannels|allcommands|nocommands|[+-]@?[a-z_-]+(?:\|[a-z_-]+)?)$/;

const RedisPermissions = z
  .string({ error: 'the Redis permissions must be a string of ACL rules' })
  .max(1000, { error: 'the Redis permissions must be at most 1000 characters' })
  .refine((v) => v.trim() !== '' && v.trim().split(/\s+/).every((rule) => ACL_RULE.test(rule)), {
    error: 'the Redis permissions must be ACL rules for keys, channels and commands only (such as "~* &* +@all -@dangerous +info"): ~pattern, &pattern, +command, -command, +@category, -@category; no passwords or on/off',
  });

export const RedisSpec = z.strictObject({
  image: PinnedImage.default(DEFAULT_REDIS_IMAGE),
  appPermissions: RedisPermissions.default(DEFAULT_REDIS_APP_PERMISSIONS).meta({
    description: `ACL rules of the app's Redis user (default "${DEFAULT_REDIS_APP_PERMISSIONS}"); the admin user may do everything`,
  }),
  persistence: z.enum(REDIS_PERSISTENCE, { error: `persistence must be one of ${REDIS_PERSISTENCE.join(', ')}` }).default('aof'),
  volume: resourceName('the volume name').default('redis-data'),
});

export const DatabaseSpec = z.strictObject({
  kind: z.enum(DATABASE_KINDS, { error: `the database must be one of ${DATABASE_KINDS.join(', ')}` }).default('none'),
  /** Defaults per kind (see defaults.ts) when absent. */
  image: PinnedImage.optional(),
  volume: resourceName('the volume name').default('db-data'),
  name: DbIdentifier.default('app'),
  user: DbIdentifier.default('app'),
});

const networkName = resourceName('the network name').refine(
  (v) => !(RESERVED_NETWORK_NAMES as readonly string[]).includes(v),
  { error: `the network name must not be one of the reserved names ${RESERVED_NETWORK_NAMES.join(', ')}` },
);

export const NetworksSpec = z.strictObject({
  frontend: networkName.default('frontend'),
  backend: networkName.default('backend'),
});

/** The port Redis listens on in every target (compose, the ECS sidecar, Kubernetes). */
export const REDIS_PORT = 6379;

/** Service names the generated stack already uses (the database's whether or not it is chosen). */
export const RESERVED_SERVICE_NAMES = ['app', 'redis', 'db'] as const;

const EnvName = z
  .string({ error: 'environment variable names must be strings' })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'environment variable names must be letters, digits and "_", not starting with a digit' })
  .max(256, { error: 'environment variable names must be at most 256 characters' });

const EnvValue = z
  .string({ error: 'environment values must be strings (quote numbers and booleans)' })
  .regex(/^[^\0]*$/, { error: 'environment values must not contain NUL characters' });

/** Linux capabilities a hardened service may get back (cap_add), without the "CAP_" prefix. */
export const CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT', 'IPC_LOCK', 'SYS_NICE', 'SYS_RESOURCE',
] as const;

/** The user an extra service runs as unless it opts out: nobody, no home, no rights. */
export const UNPRIVILEGED_USER = '65534:65534';

const MemSize = z
  .string({ error: 'a memory size must be a string such as "256m" or "1g"' })
  .regex(/^[1-9][0-9]{0,5}[kmg]$/, { error: 'a memory size must be a whole number followed by k, m or g, such as "256m" or "1g"' });

/**
 * How an extra service is hardened: every field defaults to the safe choice, and each is
 * an explicit, per-service opt-out (README.Docker.md "Extra services").
 */
export const ServiceHardeningSpec = z
  .strictObject({
    user: z
      .string({ error: 'the user must be a string: "uid:gid", a user name, or "image" for the image\'s own user' })
      .regex(/^(?:image|[0-9]{1,10}(?::[0-9]{1,10})?|[a-z_][a-z0-9_-]{0,31}(?::[a-z_][a-z0-9_-]{0,31})?)$/, {
        error: 'the user must be "uid:gid" (such as 1000:1000), a user name, or "image" to keep the image\'s own user (often root)',
      })
      .default(UNPRIVILEGED_USER)
      .meta({ description: `user the service runs as (default ${UNPRIVILEGED_USER}, nobody); "image" keeps the image's own USER` }),
    readOnly: z.boolean({ error: 'readOnly must be true or false' }).default(true).meta({ description: 'read-only root file system with a tmpfs /tmp (default true)' }),
    capAdd: z
      .array(z.enum(CAPABILITIES, { error: `each capability must be one of ${CAPABILITIES.join(', ')}` }), { error: 'capAdd must be a list of capabilities' })
      .default([])
      .meta({ description: 'capabilities given back after dropping all (default none)' }),
    memLimit: MemSize.default('256m').meta({ description: 'memory limit (default 256m)' }),
    pidsLimit: z.number({ error: 'pidsLimit must be a whole number from 16 to 65536' }).int({ error: 'pidsLimit must be a whole number from 16 to 65536' }).min(16, { error: 'pidsLimit must be from 16 to 65536' }).max(65536, { error: 'pidsLimit must be from 16 to 65536' }).default(128).meta({ description: 'most processes and threads (default 128)' }),
  })
  .meta({ description: 'hardening, each field an explicit opt-out (defaults: nobody, read-only root, no capabilities, 256m, 128 processes)' });

/**
 * One more service next to the app and Redis (a worker, a mail catcher, a search engine):
 * a pinned image on the internal backend network only, never published, hardened like
 * the others (a non-root user, read-only root, no capabilities, memory and process limits;
 * each an explicit opt-out in `hardening`). `$` in its command and environment is literal.
 */
export const ExtraServiceSpec = z
  .strictObject({
    name: resourceName('the service name').meta({ description: 'Compose service name and host name on the backend network; not app, redis or db' }),
    image: PinnedImage.meta({ description: 'image, pinned to a tag or digest (not latest)' }),
    command: z
      .array(CommandArg, { error: 'the command must be a list of arguments, such as ["worker", "--queue", "mail"]' })
      .min(1, { error: 'the command must have at least one argument' })
      .optional()
      .meta({ description: 'command, as a list of arguments (default: the image\'s); "$" is literal' }),
    environment: z
      .record(EnvName, EnvValue, { error: 'the environment must be a mapping of variable names to strings' })
      .optional()
      .meta({ description: 'environment variables; "$" is literal' }),
    port: port('the internal port').optional().meta({ description: 'port it listens on, for the other services (Compose expose); never published' }),
    hardening: ServiceHardeningSpec.prefault({}),
  })
  .meta({ description: 'a service on the internal backend network only, never published, hardened like the others' });

export const ExtraServicesSpec = z
  .array(ExtraServiceSpec, { error: 'extraServices must be a list of services ({ name, image, command?, environment?, port? })' })
  .superRefine(
    (list, ctx) => {
      const seen = new Set<string>();
      list.forEach((service, i) => {
        const name = (service as { name?: unknown } | undefined)?.name;
        if (typeof name !== 'string') return;
        if ((RESERVED_SERVICE_NAMES as readonly string[]).includes(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'name'],
            input: name,
            message: `the service name must not be one of ${RESERVED_SERVICE_NAMES.join(', ')} (the generated app, Redis and database services)`,
          });
        } else if (seen.has(name)) {
          ctx.addIssue({ code: 'custom', path: [i, 'name'], input: name, message: 'extra service names must be unique' });
        }
        seen.add(name);
      });
    },
    {
      // Runs while other fields of an item are wrong, so a bad image and a duplicate name
      // are reported together; not when the list itself or a name is malformed.
      when: (payload: z.core.ParsePayload): boolean =>
        !payload.issues.some((issue) => issue.code !== 'unrecognized_keys' && ((issue.path?.length ?? 0) < 2 || issue.path?.[1] === 'name')),
    },
  );

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
  /** More services on the backend network (workers, mail catchers, ...): see ExtraServiceSpec. */
  extraServices: ExtraServicesSpec.default([]).meta({ description: 'more services next to the app and Redis (workers, mail catchers, ...); names must not be app, redis or db (default: none)' }),
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
}, whenClean(['app', 'port'], ['deploy', 'targets'], ['deploy', 'ecs']));

export type StackSpec = z.output<typeof StackSpec>;
export type StackSpecInput = z.input<typeof StackSpec>;
