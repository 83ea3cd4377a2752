// Redis's part of the spec (spec.redis): its image, what the app's user may do,
// persistence and volume. Redis is always part of the stack.
import * as z from 'zod';
import { DEFAULT_REDIS_IMAGE, REDIS_PERSISTENCE } from '../../schema/defaults.ts';
import { pinnedImage, resourceName } from '../../schema/fields.ts';

/**
 * What the app's Redis user may do: ACL rules for keys (~), channels (&) and commands
 * (+/-, @categories). The default is everything an app uses, without the commands that
 * administer the server (ACL, CONFIG, REPLICAOF, MODULE, DEBUG, SHUTDOWN, MONITOR,
 * MIGRATE, ...); the admin user (secrets/redis_admin_password) keeps them.
 */
export const DEFAULT_REDIS_APP_PERMISSIONS = '~* &* +@all -@dangerous +info +keys +sort +sort_ro +flushdb';
const ACL_RULE = /^(?:~\S+|%R?W?~\S+|&\S+|allkeys|allchannels|resetkeys|resetchannels|allcommands|nocommands|[+-]@?[a-z_-]+(?:\|[a-z_-]+)?)$/;

export const RedisPermissions = z
  .string({ error: 'the Redis permissions must be a string of ACL rules' })
  .max(1000, { error: 'the Redis permissions must be at most 1000 characters' })
  .refine((v) => v.trim() !== '' && v.trim().split(/\s+/).every((rule) => ACL_RULE.test(rule)), {
    error: 'the Redis permissions must be ACL rules for keys, channels and commands only (such as "~* &* +@all -@dangerous +info"): ~pattern, &pattern, +command, -command, +@category, -@category; no passwords or on/off',
  });

export const RedisSpec = z.strictObject({
  image: pinnedImage([DEFAULT_REDIS_IMAGE]).default(DEFAULT_REDIS_IMAGE),
  appPermissions: RedisPermissions.default(DEFAULT_REDIS_APP_PERMISSIONS).meta({
    description: `ACL rules of the app's Redis user (default "${DEFAULT_REDIS_APP_PERMISSIONS}"); the admin user may do everything`,
  }),
  persistence: z.enum(REDIS_PERSISTENCE, { error: `persistence must be one of ${REDIS_PERSISTENCE.join(', ')}` }).default('aof'),
  volume: resourceName('the volume name').default('redis-data'),
});

export type RedisSpec = z.output<typeof RedisSpec>;

/** The port Redis listens on in every target (compose, the ECS sidecar, Kubernetes). */
export const REDIS_PORT = 6379;
