// StackSpec: the single source of truth for every answer the generator takes,
// whether it comes from prompts, flags, an answers file or .yo-rc.json.
import { isIP } from 'node:net';
import * as z from 'zod';
import {
  DATABASE_KINDS,
  DEFAULT_NODE_IMAGE,
  DEFAULT_REDIS_IMAGE,
  LANGUAGES,
  PACKAGE_MANAGERS,
  REDIS_PERSISTENCE,
} from './defaults.ts';
import { parseImageReference, pinProblem } from './image-ref.ts';
import { DNS_LABEL_MAX, PROJECT_NAME_RE, RESERVED_NETWORK_NAMES, RESOURCE_NAME_RE } from './names.ts';

const NAME_RULE = `lowercase letters, digits, "-" and "_", starting with a letter or digit, at most ${DNS_LABEL_MAX} characters`;

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
  .refine((v) => isIP(v) !== 0, { error: 'the bind address must be an IPv4 or IPv6 address, such as 127.0.0.1 (local only) or 0.0.0.0 (every interface)' });

const HealthPath = z
  .string({ error: 'the health path must be a string' })
  .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, {
    error: 'the health path must be a URL path starting with "/" (no spaces, "?" or "#"), such as /healthz',
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
  });

export const RedisSpec = z.strictObject({
  image: PinnedImage.default(DEFAULT_REDIS_IMAGE),
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

export const StackSpec = z
  .strictObject({
    $schema: z.string().optional(),
    projectName: ProjectName,
    lang: z.enum(LANGUAGES, { error: `the language must be one of ${LANGUAGES.join(', ')}` }).default('en'),
    app: AppSpec.prefault({}),
    redis: RedisSpec.prefault({}),
    database: DatabaseSpec.prefault({}),
    networks: NetworksSpec.prefault({}),
  })
  .superRefine((spec, ctx) => {
    if (spec.networks.frontend === spec.networks.backend) {
      ctx.addIssue({
        code: 'custom',
        path: ['networks', 'backend'],
        input: spec.networks.backend,
        message: 'the backend network must differ from the frontend network (it is internal, the frontend is not)',
      });
    }
    if (spec.database.kind !== 'none' && spec.database.volume === spec.redis.volume) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'volume'],
        input: spec.database.volume,
        message: 'the database volume must differ from the Redis volume',
      });
    }
  });

export type StackSpec = z.output<typeof StackSpec>;
export type StackSpecInput = z.input<typeof StackSpec>;
