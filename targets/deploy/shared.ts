// Helpers more than one deploy target uses: names, placeholders, a target's spec part.
import type * as z from 'zod';
import type { DeployTargetSpec } from './types.ts';

/** A Kubernetes-safe DNS label from a project name ("_" is not allowed there). */
export function dnsLabel(name: string, max = 63): string {
  const label = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, max).replace(/^-+|-+$/g, '');
  return label || 'app';
}

/** A placeholder the deploy script fills in. */
export const ph = (name: string): string => `\${${name}}`;

/**
 * A target's place in the spec and the model (its schema.ts): `Model` types its part of
 * m.deploy; its configs go to deploy/<id>/.
 */
export const deployTarget =
  <Model>() =>
  <Id extends string, Schema extends z.ZodType>(id: Id, label: string, schema: Schema): DeployTargetSpec<Id, Schema, Model> => ({ id, label, dir: `deploy/${id}`, schema });
