// The deploy model's shared types: what every target's part of m.deploy and the
// templates read. Types only, and no import of the stack model or of a target: the
// targets' own model types (<id>/types.ts) build on these, and ./models.ts puts them together.
import type * as z from 'zod';
import type { RegistryTargetModel } from '../registry/types.ts';

/**
 * A deploy target's place in the spec and the model: what schema/deploy.ts and the model's
 * types read (./specs.ts lists them). Each target's schema.ts exports its own; its module
 * (<id>/index.ts, ./module.ts) adds the rest.
 */
export interface DeployTargetSpec<Id extends string = string, Schema extends z.ZodType = z.ZodType, Model = unknown> {
  /** The target's name in --deploy lists, the spec (deploy.<id>), the model (m.deploy.<id>) and scripts/deploy-<id>.sh. */
  id: Id;
  label: string;
  /** The folder its configs are written to. */
  dir: string;
  /** The zod schema of deploy.<id>: the generation-time defaults baked into its files. */
  schema: Schema;
  /** Types only, never set: its part of the model (m.deploy.<id>). */
  readonly model?: Model;
}

export interface DeployTargetModel<Id extends string = string> {
  id: Id;
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
