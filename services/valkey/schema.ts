// Valkey's entry of spec.services: a second cache next to Redis (Redis itself can be
// replaced by Valkey with redis.image: valkey/valkey:...). Its image, volume,
// persistence, what the app's user may do, and its hardening.
import * as z from 'zod';
import { REDIS_PERSISTENCE } from '../../schema/defaults.ts';
import { PinnedImage, resourceName } from '../../schema/fields.ts';
import { catalogHardening } from '../catalog/schema.ts';
import { DEFAULT_REDIS_APP_PERMISSIONS, RedisPermissions } from '../redis/schema.ts';

export const DEFAULT_VALKEY_IMAGE = 'valkey/valkey:8.1-trixie';
export const VALKEY_PORT = 6379;

export const ValkeySpec = z
  .strictObject({
    kind: z.literal('valkey'),
    image: PinnedImage.default(DEFAULT_VALKEY_IMAGE).meta({ description: `image, pinned (default ${DEFAULT_VALKEY_IMAGE})` }),
    volume: resourceName('the volume name').default('valkey-data').meta({ description: 'named volume for its data (default valkey-data)' }),
    persistence: z.enum(REDIS_PERSISTENCE, { error: `persistence must be one of ${REDIS_PERSISTENCE.join(', ')}` }).default('aof').meta({ description: 'aof, rdb or none (default aof)' }),
    appPermissions: RedisPermissions.default(DEFAULT_REDIS_APP_PERMISSIONS).meta({ description: `ACL rules of the app's user (default "${DEFAULT_REDIS_APP_PERMISSIONS}"); the admin user may do everything` }),
    hardening: catalogHardening({ memLimit: '256m', pidsLimit: 64 }),
  })
  .meta({ description: 'Valkey, a second cache (Redis-compatible), on the internal network only' });

export type ValkeySpec = z.output<typeof ValkeySpec>;
