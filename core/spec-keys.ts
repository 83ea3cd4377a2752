// The keys a zod object schema allows at a key path of the input, for "did you mean ...?"
// on an unknown key of an answers file or .yo-rc.json. Reads zod's own definitions
// (`_zod.def`): objects, arrays, wrappers (optional, default, prefault, nullable, pipe,
// lazy) and unions (a list entry of the catalog: the option whose `kind` the entry names).
import type * as z from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
  values?: unknown[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas a value is checked against once the wrappers are taken off. */
function unwrap(schema: z.ZodType, depth = 0): z.ZodType[] {
  if (depth > 32) return [];
  const def = defOf(schema);
  if (def.innerType) return unwrap(def.innerType, depth + 1);
  if (def.type === 'pipe') return [...(def.in ? unwrap(def.in, depth + 1) : []), ...(def.out ? unwrap(def.out, depth + 1) : [])];
  if (def.type === 'lazy' && def.getter) return unwrap(def.getter(), depth + 1);
  if (def.type === 'union' && def.options) return def.options.flatMap((o) => unwrap(o, depth + 1));
  return [schema];
}

/** Whether an object option of a union can be the one for this value (its `kind` literal matches). */
function fits(schema: z.ZodType, value: unknown): boolean {
  const kind = defOf(schema).shape?.['kind'];
  if (kind === undefined || typeof value !== 'object' || value === null || !('kind' in value)) return true;
  const literal = unwrap(kind).map(defOf).find((d) => d.type === 'literal');
  return literal?.values === undefined || literal.values.includes((value as { kind: unknown }).kind);
}

/**
 * The keys allowed at `path` (an object's fields) in `schema`, given the input `root`
 * (to pick a union's option). Empty when the path leads to no object.
 */
export function keysAt(schema: z.ZodType, path: readonly (string | number)[], root: unknown): string[] {
  let current = unwrap(schema);
  let value: unknown = root;
  for (const step of path) {
    value = typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[step] : undefined;
    const next: z.ZodType[] = [];
    for (const s of current) {
      const def = defOf(s);
      if (def.type === 'object' && typeof step === 'string' && def.shape && Object.hasOwn(def.shape, step)) next.push(...unwrap(def.shape[step]!));
      else if (def.type === 'array' && typeof step === 'number' && def.element) next.push(...unwrap(def.element));
      else if (def.type === 'array' && typeof step === 'string' && /^\d+$/.test(step) && def.element) next.push(...unwrap(def.element));
    }
    current = next;
  }
  const keys = new Set<string>();
  for (const s of current) {
    const def = defOf(s);
    if (def.type !== 'object' || !def.shape || !fits(s, value)) continue;
    for (const key of Object.keys(def.shape)) keys.add(key);
  }
  return [...keys];
}
