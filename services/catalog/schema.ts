// What the catalog's services (spec.services[]) share in their spec parts: hardening with
// safe per-service defaults (each field an explicit opt-out, like extraServices'), the
// development UI a service may publish on 127.0.0.1, and the list itself: the discriminated
// union of every catalog module's schema, with `"kind"` as a shorthand for `{ kind }`.
import * as z from 'zod';
import { CAPABILITIES, MemSize, port } from '../../schema/fields.ts';

const PidsLimit = z
  .number({ error: 'pidsLimit must be a whole number from 16 to 65536' })
  .int({ error: 'pidsLimit must be a whole number from 16 to 65536' })
  .min(16, { error: 'pidsLimit must be from 16 to 65536' })
  .max(65536, { error: 'pidsLimit must be from 16 to 65536' });

/**
 * A catalog service's hardening: it runs as its image's service user (or root with every
 * capability dropped where the image has none), so the user is not here; the rest defaults
 * to the safe choice for that service and each field is an explicit, per-service opt-out.
 */
export function catalogHardening(defaults: { memLimit: string; pidsLimit: number; readOnly?: boolean }) {
  const readOnly = defaults.readOnly ?? true;
  return z
    .strictObject({
      readOnly: z.boolean({ error: 'readOnly must be true or false' }).default(readOnly).meta({ description: `read-only root file system with a tmpfs /tmp (default ${readOnly})` }),
      capAdd: z
        .array(z.enum(CAPABILITIES, { error: `each capability must be one of ${CAPABILITIES.join(', ')}` }), { error: 'capAdd must be a list of capabilities' })
        .default([])
        .meta({ description: 'capabilities given back after dropping all (default none)' }),
      memLimit: MemSize.default(defaults.memLimit).meta({ description: `memory limit (default ${defaults.memLimit})` }),
      pidsLimit: PidsLimit.default(defaults.pidsLimit).meta({ description: `most processes and threads (default ${defaults.pidsLimit})` }),
    })
    .prefault({})
    .meta({ description: 'hardening, each field an explicit opt-out' });
}

export interface CatalogHardening {
  readOnly: boolean;
  capAdd: string[];
  memLimit: string;
  pidsLimit: number;
}

/** A development UI: off by default; when on, published on 127.0.0.1 only, at `uiHostPort`. */
export function uiFields(what: string, defaultHostPort: number) {
  return {
    ui: z.boolean({ error: 'ui must be true or false' }).default(false).meta({ description: `publish ${what} on 127.0.0.1 only, for development (default false)` }),
    uiHostPort: port('the UI host port').default(defaultHostPort).meta({ description: `host port of ${what} on 127.0.0.1 (default ${defaultHostPort})` }),
  };
}

/**
 * spec.services: each entry one of the catalog's kinds (`{ kind, ...options }`, or just the
 * kind's name for its defaults), each kind at most once.
 */
/** An entry of spec.services as the rest of the spec sees it (its module's schema validated the rest). */
export type CatalogEntry = { kind: string } & Record<string, unknown>;

export function servicesSpec(schemas: readonly z.ZodType[], kinds: readonly string[]): z.ZodType<CatalogEntry[], unknown> {
  const choices = `${kinds.join(', ')} ("none" alone means no service)`;
  const entry = z.discriminatedUnion('kind', schemas as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (issue) => (issue.code === 'invalid_union' ? `the service must be one of ${choices}` : undefined),
  });
  return z
    .array(
      z.preprocess((v) => (typeof v === 'string' ? { kind: v } : v), entry),
      { error: `services must be a list of services: their names (${kinds.join(', ')}), or { kind, ...options }` },
    )
    .superRefine(
      (list, ctx) => {
        const seen = new Set<string>();
        list.forEach((service, i) => {
          const kind = typeof service === 'string' ? service : (service as { kind?: unknown } | undefined)?.kind;
          if (typeof kind !== 'string' || !kinds.includes(kind)) return;
          if (seen.has(kind)) ctx.addIssue({ code: 'custom', path: [i, 'kind'], input: kind, message: `${kind} is already in the list: each service at most once` });
          seen.add(kind);
        });
      },
      // Also while another entry is wrong, so that every problem is reported at once.
      { when: (payload) => Array.isArray(payload.value) },
    ) as unknown as z.ZodType<CatalogEntry[], unknown>;
}
