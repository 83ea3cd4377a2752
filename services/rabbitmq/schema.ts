// RabbitMQ's entry of spec.services: its image, volume, the management UI (published on
// 127.0.0.1 only when asked), hardening.
import * as z from 'zod';
import { PinnedImage, resourceName } from '../../schema/fields.ts';
import { catalogHardening, uiFields } from '../catalog/schema.ts';

export const DEFAULT_RABBITMQ_IMAGE = 'rabbitmq:4.0-management';
export const AMQP_PORT = 5672;
export const RABBITMQ_UI_PORT = 15672;

export const RabbitmqSpec = z
  .strictObject({
    kind: z.literal('rabbitmq'),
    image: PinnedImage.default(DEFAULT_RABBITMQ_IMAGE).meta({ description: `image, pinned (default ${DEFAULT_RABBITMQ_IMAGE}, which has the management plugin)` }),
    volume: resourceName('the volume name').default('rabbitmq-data').meta({ description: 'named volume for its data (default rabbitmq-data)' }),
    ...uiFields('the management UI', RABBITMQ_UI_PORT),
    hardening: catalogHardening({ memLimit: '512m', pidsLimit: 256 }),
  })
  .meta({ description: 'RabbitMQ, a message broker (AMQP), on the internal network only' });

export type RabbitmqSpec = z.output<typeof RabbitmqSpec>;
