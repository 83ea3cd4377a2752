// Amazon ECS's part of the deploy model (m.deploy.ecs). Types only.
import type { DeploySecret } from '../types.ts';

export interface EcsModel {
  family: string;
  cluster: string | undefined;
  service: string | undefined;
  region: string | undefined;
  accountId: string | undefined;
  cpu: number;
  memory: number;
  redis: 'sidecar' | 'elasticache';
  logGroup: string;
  /** Secrets Manager names: PROJECT/<secret>. */
  secretPrefix: string;
  executionRole: string;
  taskRole: string;
  file: string;
  /** The secrets the task reads from Secrets Manager. */
  secrets: DeploySecret[];
  /** The ${NAME} placeholders of the task definition, in the order the script fills them. */
  placeholders: string[];
}
