// MongoDB's entry of spec.services: its image, volume, hardening.
import * as z from 'zod';
import { PinnedImage, resourceName } from '../../schema/fields.ts';
import { catalogHardening } from '../catalog/schema.ts';

export const DEFAULT_MONGODB_IMAGE = 'mongo:8.0';
export const MONGODB_PORT = 27017;

export const MongodbSpec = z
  .strictObject({
    kind: z.literal('mongodb'),
    image: PinnedImage.default(DEFAULT_MONGODB_IMAGE).meta({ description: `image, pinned (default ${DEFAULT_MONGODB_IMAGE})` }),
    volume: resourceName('the volume name').default('mongodb-data').meta({ description: 'named volume for its data (default mongodb-data)' }),
    hardening: catalogHardening({ memLimit: '1g', pidsLimit: 512 }),
  })
  .meta({ description: 'MongoDB, a document database, on the internal network only' });

export type MongodbSpec = z.output<typeof MongodbSpec>;
