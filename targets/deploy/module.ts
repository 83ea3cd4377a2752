// What a deploy target module is (targets/deploy/<id>/index.ts). The target modules import
// this file, and the list (./index.ts) imports them; nothing here knows the list.
import type * as z from 'zod';
import type { RenderedFile } from '../../core/rendered.ts';
import type { StackModel } from '../../core/types.ts';
import type { DeploySecret, DeployTargetSpec, StatefulService } from './types.ts';

/** What a target derives its model from besides its spec part: the rest of the stack model, and what ./model.ts derived for every target. */
export interface DeployContext {
  m: Omit<StackModel, 'deploy'>;
  /** Every secret the deployed stack uses (m.deploy.secrets). */
  secrets: readonly DeploySecret[];
  /** The services that run next to the app (m.deploy.stateful). */
  stateful: readonly StatefulService[];
}

/**
 * One deploy target: everything the generator knows about it (its schema.ts's part, then
 * how it derives its model and renders its files). Listed in ./index.ts, which ./model.ts
 * and ./render.ts read. Its
 * templates sit next to it by name: deploy.sh.ejs (scripts/deploy-<id>.sh, including
 * ../_image-help.sh.ejs and ../_lib.sh.ejs) and readme.<lang>.md.ejs (its README section).
 */
export interface DeployTargetModule<Id extends string = string, Schema extends z.ZodType = z.ZodType, Model = unknown> extends DeployTargetSpec<Id, Schema, Model> {
  /** Its part of the deploy model (m.deploy.<id>). */
  derive(spec: z.output<Schema>, context: DeployContext): Model;
  /** Shell-quoted values of its model the scripts embed (joins m.deploy.sh); `q` quotes one, '' for none. */
  sh(model: Model, context: DeployContext, q: (v: string | number | undefined) => string): Record<string, string>;
  /** Its configuration files; ./render.ts adds its script. */
  files(m: StackModel): RenderedFile[];
}
