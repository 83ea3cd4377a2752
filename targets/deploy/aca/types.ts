// Azure Container Apps' part of the deploy model (m.deploy.aca). Types only.
import type { DeploySecret } from '../types.ts';

export interface AcaModel {
  resourceGroup: string | undefined;
  environment: string | undefined;
  appName: string;
  redisName: string;
  cpu: string;
  memory: string;
  minReplicas: number;
  maxReplicas: number;
  redisStorage: 'azurefile' | 'ephemeral';
  /** The environment storage (Azure Files share) Redis mounts. */
  storageName: string;
  appFile: string;
  redisFile: string;
  secrets: DeploySecret[];
  /** The secrets each Container App mounts. */
  appSecrets: DeploySecret[];
  redisSecrets: DeploySecret[];
  /** The ${NAME} placeholders of each YAML file, in the order the script fills them. */
  placeholders: { app: string[]; redis: string[] };
}
