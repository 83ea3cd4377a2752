// Memcached's entry of spec.services: its image, how much memory it caches in, hardening.
import * as z from 'zod';
import { PinnedImage } from '../../schema/fields.ts';
import { catalogHardening } from '../catalog/schema.ts';

export const DEFAULT_MEMCACHED_IMAGE = 'memcached:1.6-trixie';
export const MEMCACHED_PORT = 11211;

export const MemcachedSpec = z
  .strictObject({
    kind: z.literal('memcached'),
    image: PinnedImage.default(DEFAULT_MEMCACHED_IMAGE).meta({ description: `image, pinned (default ${DEFAULT_MEMCACHED_IMAGE})` }),
    cacheMb: z
      .number({ error: 'cacheMb must be a whole number of megabytes from 16 to 65536' })
      .int({ error: 'cacheMb must be a whole number of megabytes from 16 to 65536' })
      .min(16, { error: 'cacheMb must be from 16 to 65536' })
      .max(65536, { error: 'cacheMb must be from 16 to 65536' })
      .default(64)
      .meta({ description: 'memory for items, in megabytes (memcached -m; default 64); keep hardening.memLimit above it' }),
    hardening: catalogHardening({ memLimit: '128m', pidsLimit: 64 }),
  })
  .meta({ description: 'Memcached, an in-memory cache (nothing survives a restart), on the internal network only' });

export type MemcachedSpec = z.output<typeof MemcachedSpec>;
