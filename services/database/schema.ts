// The SQL database's part of the spec (spec.database): which one (a kind each database
// module provides, or none), its image, volume, database name and user.
import * as z from 'zod';
import { PinnedImage, resourceName } from '../../schema/fields.ts';

const DbIdentifier = z
  .string({ error: 'must be a string' })
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lowercase SQL identifier: letters, digits and "_", starting with a letter or "_", at most 63 characters' });

/** The database's part of the spec (spec.database), for the kinds the SQL database modules provide. */
export function databaseSpec<const K extends readonly [string, ...string[]]>(kinds: K) {
  return z.strictObject({
    kind: z.enum(kinds, { error: `the database must be one of ${kinds.join(', ')}` }).default('none' as K[number]),
    /** Defaults per kind (each database module's own) when absent. */
    image: PinnedImage.optional(),
    volume: resourceName('the volume name').default('db-data'),
    name: DbIdentifier.default('app'),
    user: DbIdentifier.default('app'),
  });
}

/** A database spec as every database module reads it (validated by databaseSpec). */
export interface DatabaseSpec {
  kind: string;
  image?: string | undefined;
  volume: string;
  name: string;
  user: string;
}
