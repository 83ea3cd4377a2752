// MinIO's entry of spec.services: its image, volume, the console (published on 127.0.0.1
// only when asked), hardening.
import * as z from 'zod';
import { PinnedImage, resourceName } from '../../schema/fields.ts';
import { catalogHardening, uiFields } from '../catalog/schema.ts';

/** The last community release published as an image, pinned (MinIO publishes no newer community images). */
export const DEFAULT_MINIO_IMAGE = 'minio/minio:RELEASE.2025-04-22T22-12-26Z';
export const MINIO_PORT = 9000;
export const MINIO_CONSOLE_PORT = 9001;

export const MinioSpec = z
  .strictObject({
    kind: z.literal('minio'),
    image: PinnedImage.default(DEFAULT_MINIO_IMAGE).meta({ description: `image, pinned (default ${DEFAULT_MINIO_IMAGE})` }),
    volume: resourceName('the volume name').default('minio-data').meta({ description: 'named volume for its objects (default minio-data)' }),
    ...uiFields('the MinIO console', MINIO_CONSOLE_PORT),
    hardening: catalogHardening({ memLimit: '512m', pidsLimit: 256 }),
  })
  .meta({ description: 'MinIO, S3-compatible object storage, on the internal network only' });

export type MinioSpec = z.output<typeof MinioSpec>;
