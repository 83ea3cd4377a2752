// Meilisearch's entry of spec.services: its image, volume, hardening.
import * as z from 'zod';
import { PinnedImage, resourceName } from '../../schema/fields.ts';
import { catalogHardening } from '../catalog/schema.ts';

export const DEFAULT_MEILISEARCH_IMAGE = 'getmeili/meilisearch:v1.15';
export const MEILISEARCH_PORT = 7700;

export const MeilisearchSpec = z
  .strictObject({
    kind: z.literal('meilisearch'),
    image: PinnedImage.default(DEFAULT_MEILISEARCH_IMAGE).meta({ description: `image, pinned (default ${DEFAULT_MEILISEARCH_IMAGE})` }),
    volume: resourceName('the volume name').default('meilisearch-data').meta({ description: 'named volume for its indexes (default meilisearch-data)' }),
    hardening: catalogHardening({ memLimit: '1g', pidsLimit: 256 }),
  })
  .meta({ description: 'Meilisearch, a search engine, on the internal network only' });

export type MeilisearchSpec = z.output<typeof MeilisearchSpec>;
