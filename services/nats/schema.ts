// NATS's entry of spec.services: its image, JetStream (persistent streams on a volume) on
// or off, the volume, hardening.
import * as z from 'zod';
import { PinnedImage, resourceName } from '../../schema/fields.ts';
import { catalogHardening } from '../catalog/schema.ts';

export const DEFAULT_NATS_IMAGE = 'nats:2.10';
export const NATS_PORT = 4222;
export const NATS_MONITOR_PORT = 8222;

export const NatsSpec = z
  .strictObject({
    kind: z.literal('nats'),
    image: PinnedImage.default(DEFAULT_NATS_IMAGE).meta({ description: `image, pinned (default ${DEFAULT_NATS_IMAGE}, the official scratch image)` }),
    jetstream: z.boolean({ error: 'jetstream must be true or false' }).default(true).meta({ description: 'JetStream: streams kept on the volume (default true); false: core NATS only, no volume, run as nobody' }),
    volume: resourceName('the volume name').default('nats-data').meta({ description: 'named volume for JetStream (default nats-data)' }),
    hardening: catalogHardening({ memLimit: '256m', pidsLimit: 64 }),
  })
  .meta({ description: 'NATS, a message bus (with JetStream), on the internal network only' });

export type NatsSpec = z.output<typeof NatsSpec>;
