// Mailpit's entry of spec.services: its image, the web UI (published on 127.0.0.1 only
// when asked, behind a login), hardening.
import * as z from 'zod';
import { PinnedImage } from '../../schema/fields.ts';
import { catalogHardening, uiFields } from '../catalog/schema.ts';

export const DEFAULT_MAILPIT_IMAGE = 'axllent/mailpit:v1.27';
export const MAILPIT_SMTP_PORT = 1025;
export const MAILPIT_UI_PORT = 8025;

export const MailpitSpec = z
  .strictObject({
    kind: z.literal('mailpit'),
    image: PinnedImage.default(DEFAULT_MAILPIT_IMAGE).meta({ description: `image, pinned (default ${DEFAULT_MAILPIT_IMAGE})` }),
    ...uiFields('the Mailpit web UI', MAILPIT_UI_PORT),
    hardening: catalogHardening({ memLimit: '256m', pidsLimit: 64 }),
  })
  .meta({ description: 'Mailpit, a mail catcher for development (SMTP), on the internal network only' });

export type MailpitSpec = z.output<typeof MailpitSpec>;
