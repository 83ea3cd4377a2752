// The deploy model (m.deploy), as core/types.ts reads it: what the targets share and each
// target's own part. Types only, and no import of the stack model.
import type { ShellRule } from '../registry/types.ts';
import type { DEPLOY_SPECS } from './specs.ts';
import type { AppImageModel, DeploySecret, DeployTargetModel, Resources, StatefulService } from './types.ts';

type ModelOf<T> = T extends { readonly model?: infer Model } ? Exclude<Model, undefined> : never;

/** Each target's part of the deploy model (m.deploy.<id>), by id, as its schema.ts's part types it. */
export type DeployTargetModels = { [T in (typeof DEPLOY_SPECS)[number] as T['id']]: ModelOf<T> };

/** A deploy target's id. */
export type DeployTarget = keyof DeployTargetModels;

export interface DeployModel extends DeployTargetModels {
  targets: Array<DeployTargetModel<DeployTarget>>;
  byId: Record<DeployTarget, DeployTargetModel<DeployTarget>>;
  any: boolean;
  has: Record<DeployTarget, boolean>;
  projectName: string;
  image: AppImageModel;
  /** Every secret the stack uses (Redis password and ACL, the database's). */
  secrets: DeploySecret[];
  /** Redis, then the database when there is one, then the catalog's services (services/index.ts order). */
  stateful: StatefulService[];
  appResources: Resources;
  /** The app's user id in the image (Kubernetes needs it numeric for runAsNonRoot). */
  appUid: number;
  /** Shell-quoted values the deploy scripts embed. */
  sh: Record<string, string>;
  /** The naming rules, shell-quoted, for the shared shell library. */
  rules: ShellRule[];
}
