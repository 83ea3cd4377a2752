// The deploy model's types (m.deploy): what the deploy renderers and templates read.
// Types only, and no import of the stack model: core/types.ts builds on these.
import type { DeployTarget, KubernetesFlavour } from '../../../schema/deploy.ts';
import type { RegistryTargetModel, ShellRule } from '../../../targets/registry/types.ts';

export interface DeployTargetModel {
  id: DeployTarget;
  label: string;
  script: string;
  /** The folder its configs live in. */
  dir: string;
}

/** A secret the deployed stack needs: the Compose name, the file in the project, and per-platform names. */
export interface DeploySecret {
  /** Compose and Swarm name, also the file name under /run/secrets. */
  name: string;
  file: string;
  /** Container Apps and Kubernetes-friendly name (lowercase, "-"). */
  dashed: string;
  /** The shell variable the deploy scripts read the file into when they must (ECS and ACA). */
  variable: string;
}

/** Redis, the database or a catalog service, as a stateful service the targets run next to the app. */
export interface StatefulService {
  service: string;
  label: string;
  image: string;
  /** uid and gid the process runs as (the official images' service user). */
  uid: number;
  gid: number;
  /** Swarm runs it as uid:gid (the image needs no root to start). */
  runAsUser: boolean;
  /** Swarm drops every capability (the image needs none). */
  dropAllCaps: boolean;
  /** Compose's start_period of its health check. */
  startPeriod: string;
  /** Seconds before Kubernetes' liveness probe starts. */
  livenessDelay: number;
  /** CMD (the image's entrypoint stays): Kubernetes args, Compose command. */
  args: string[] | undefined;
  environment: Record<string, string>;
  port: number;
  /** Its volume and where it is mounted; none for a service that keeps no data (Memcached, Mailpit). */
  volume: string | undefined;
  dataDir: string | undefined;
  secrets: string[];
  /** Secrets mounted somewhere other than /run/secrets/<name> (a conf.d file): name -> path. */
  secretTargets: Record<string, string>;
  /** A fixed host name (Swarm; a StatefulSet's pods have stable ones). */
  hostname: string | undefined;
  /** Swarm's stop_signal, when not SIGTERM. */
  stopSignal: string | undefined;
  /** Compose healthcheck test (Swarm stack: `$$` escapes a dollar); none when the image can run no health command. */
  composeHealthcheck: string[] | undefined;
  /** The same probe as an exec command (Kubernetes, ECS): no Compose escaping; empty when there is none. */
  probe: string[];
  /** Kubernetes' HTTP probe instead, for an image that can run no command (NATS's /healthz). */
  httpProbe: { path: string; port: number } | undefined;
  /** Whether the image runs with a read-only root file system in Kubernetes. */
  readOnlyRoot: boolean;
  /** Writable folders besides the data folder (emptyDir in Kubernetes). */
  scratch: string[];
  /**
   * First-start files of the project (db/init/...) the image runs from `initDir`: Swarm
   * configs and a Kubernetes ConfigMap made from them. `key` names each one there.
   */
  initFiles: Array<{ key: string; file: string; name: string }>;
  initDir: string | undefined;
  /** Kubernetes: the ConfigMap the deploy script makes from initFiles. */
  initConfigMap: string;
  resources: Resources;
}

export interface Resources {
  /** Swarm and Kubernetes limits and requests. */
  limits: { cpu: string; memory: string };
  requests: { cpu: string; memory: string };
  /** The same in Swarm's notation. */
  swarm: { limits: { cpus: string; memory: string }; reservations: { cpus: string; memory: string } };
}

export interface AppImageModel {
  /** The registry whose push script's reference is APP_IMAGE's default, if any. */
  registry: RegistryTargetModel | undefined;
  /** What APP_IMAGE defaults to, for the docs: REPOSITORY:IMAGE_TAG or the local image. */
  text: string;
  /** The local image `docker compose build` makes. */
  local: string;
  /** The repository name (IMAGE), as the push scripts default it. */
  image: string;
}

export interface KubernetesModel {
  flavour: KubernetesFlavour;
  flavourLabel: string;
  /** Kubernetes-safe project name ("_" becomes "-"). */
  name: string;
  namespace: string;
  storageClass: string | undefined;
  /** A StorageClass object the overlay adds (EKS: gp3 on the EBS CSI driver). */
  ownStorageClass: boolean;
  storageSize: string;
  appReplicas: number;
  serviceType: 'LoadBalancer' | 'ClusterIP';
  serviceAnnotations: Record<string, string>;
  secretName: string;
  base: string;
  overlay: string;
  /** The image name in the base the deploy script replaces (kustomize images). */
  imagePlaceholder: string;
  /** Where the flavour's registry documentation points. */
  registryHint: { en: string; ko: string };
}

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

export interface SwarmModel {
  file: string;
  stackName: string;
  appReplicas: number;
  /** The placement constraint that keeps Redis (and the database) on the node with its volume. */
  placement: string;
  /** The longest stack name whose secret and config names (STACK_name_DIGEST) stay within Docker's 64 characters. */
  maxStackName: number;
  /** The first-start files every deploy hands over, for the digest that names them. */
  configFiles: string[];
}

export interface DeployModel {
  targets: DeployTargetModel[];
  byId: Record<DeployTarget, DeployTargetModel>;
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
  swarm: SwarmModel;
  kubernetes: KubernetesModel;
  ecs: EcsModel;
  aca: AcaModel;
  /** Shell-quoted values the deploy scripts embed. */
  sh: Record<string, string>;
  /** The naming rules, shell-quoted, for the shared shell library. */
  rules: ShellRule[];
}
