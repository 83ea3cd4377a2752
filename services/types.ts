// What a service module is and what it derives. A service (Redis, PostgreSQL, RabbitMQ,
// ...) is one folder under services/ holding its spec part, its derived model, its
// Compose and deploy facts, its files and docs, and its tests; services/index.ts lists
// the modules, and the pipeline (spec -> model -> files) reads that list. Types only.
import type * as z from 'zod';
import type { RenderedFile } from '../core/rendered.ts';

/** A secret file the generator makes (once) and Compose passes to the containers that need it. */
export interface SecretModel {
  /** Compose secret name, also the file name under /run/secrets. */
  name: string;
  /** Path of the file in the project. */
  file: string;
  /** Only for the local Compose stack, never handed to a deploy target. */
  localOnly?: boolean;
  /**
   * How the secret is made: a random password, the Redis ACL derived from passwords, or a
   * file derived from passwords (a service's configuration that holds one, such as
   * RabbitMQ's conf.d file): re-derived on every run, like the ACL.
   */
  source: { kind: 'random' } | { kind: 'redis-acl'; users: RedisAclUser[] } | DerivedSecretSource;
}

/**
 * A piece of a derived secret file: literal text, or a password (the secret `secret`)
 * written `raw` (as it is: letters, digits and `-._~+/=` only, else the run is refused),
 * `json` (a double-quoted JSON string, which TOML and NATS configuration read too) or
 * `sha1-base64` (an htpasswd `{SHA}` value: base64 of its SHA-1, never the password).
 */
export type DerivedPart = string | { secret: string; encode: 'raw' | 'json' | 'sha1-base64' };

/** A file derived from passwords: its parts in order, and what it is (for README.Docker.md). */
export interface DerivedSecretSource {
  kind: 'derived';
  parts: DerivedPart[];
  what: { en: string; ko: string };
}

/** A user of the Redis ACL file: its name, the secret holding its password, what it may do. */
export interface RedisAclUser {
  name: string;
  from: string;
  permissions: string;
}

/**
 * A connection URL the app reads (REDIS_URL, DATABASE_URL, AMQP_URL, ...): Compose sets
 * `variable` to `url` (no password in it, so none in `docker inspect`); at start, in the
 * app's process only, the password from the secret file `/run/secrets/<passwordSecret>` is
 * put into it (and `username`, when the URL needs one the service does not name itself).
 */
export interface AppUrl {
  variable: string;
  url: string;
  passwordSecret: string;
}

/** Kubernetes quantities for a deployed service (Swarm's notation is derived from them). */
export interface DeployResources {
  limits: [cpu: string, memory: string];
  requests: [cpu: string, memory: string];
}

/** How a deploy target (Swarm, Kubernetes) runs the service next to the app: one replica, its data on a volume. */
export interface ServiceDeployModel {
  /** uid and gid the process runs as (the official image's service user). */
  uid: number;
  gid: number;
  /** Swarm: run as uid:gid (the image needs no root to start); otherwise the image's own start. */
  runAsUser: boolean;
  /** CMD (the image's entrypoint stays): Kubernetes args, Swarm command. */
  args: string[] | undefined;
  environment: Record<string, string>;
  /** Where its volume is mounted (none: it keeps no data, such as Memcached). */
  dataDir?: string;
  /** Whether the image runs with a read-only root file system in Kubernetes. */
  readOnlyRoot: boolean;
  /** Writable folders besides the data folder (emptyDir in Kubernetes). */
  scratch: string[];
  /**
   * Kubernetes' probe when the image can run no health command (a scratch image): an HTTP
   * GET of its own monitoring port. Swarm then runs it without a health check.
   */
  httpProbe?: { path: string; port: number };
  resources: DeployResources;
  /** Seconds before Kubernetes' liveness probe starts. */
  livenessDelay: number;
  /** Swarm: drop every capability (an image that needs none to start). */
  dropAllCaps: boolean;
}

/** A service of the stack, derived from its spec part: every value Compose, the deploy targets and the docs need. */
export interface ServiceModel {
  /** The module that derived it (services/<id>/). */
  module: string;
  label: string;
  /** Compose service name, and its host name on the backend network. */
  service: string;
  image: string;
  /** Compose `user` (undefined: the image's own). */
  runAs: string | undefined;
  command: string[] | undefined;
  environment: Record<string, string>;
  /** Compose secrets mounted into it. */
  secrets: string[];
  /** Named volumes, and where they are mounted. */
  volumes: Array<{ name: string; target: string }>;
  /**
   * Folders of the project mounted read-only (such as db/init for init scripts), and the
   * files the generator puts in them (the deploy targets hand these over one by one).
   */
  binds: Array<{ source: string; target: string; files: string[] }>;
  /** The port it listens on for the app (Compose `expose` only where the image does not say). */
  port: number | undefined;
  expose: boolean;
  /**
   * The Compose healthcheck test, and how long it may take to start; `startInterval` and
   * `timeout` for a probe that is costly to run (a CLI that starts a VM) or slow.
   */
  healthcheck: { test: string[]; startPeriod: string; startInterval?: string; timeout?: string } | undefined;
  /**
   * No health command can run in its image (a scratch image): the app waits for it to start
   * (`depends_on: service_started`) and connects with retries.
   */
  waitForStart?: boolean;
  /** Secrets mounted somewhere other than /run/secrets/<name>: name -> path in the container (a conf.d file). */
  secretTargets?: Record<string, string>;
  /** Ports published on the host (a development UI the user asked for), never on other interfaces than `address`. */
  publish?: Array<{ address: string; hostPort: number; port: number; what: string }>;
  /** A fixed host name (a broker whose node name, and so its data, follows the host name). */
  hostname?: string;
  /** The signal that stops it cleanly (Compose and Swarm `stop_signal`), when not SIGTERM. */
  stopSignal?: string;
  readOnly: boolean;
  tmpfs: string[];
  capAdd: string[];
  limits: { mem_limit: string; pids_limit: number };
  /**
   * What the app gets to reach it: variables (never a password), secret names, and the
   * connection URLs whose password the app's image puts in at start, from a secret file
   * (core: the secret-env preload the Dockerfile installs; README.Docker.md explains it).
   */
  app: { environment: Record<string, string>; secrets: string[]; urls?: AppUrl[] };
  /** Its secrets, made by the generator. */
  secretModels: SecretModel[];
  /** Its README.Docker.md section: a template path without `.<lang>.md.ejs` (services/<id>/readme), if any. */
  docs?: string;
  /** How the deploy targets run it; undefined: it is not deployed (a deploy target refuses or leaves it out). */
  deploy: ServiceDeployModel | undefined;
}

/** What every service sees of the rest of the stack. */
export interface ServiceContext {
  projectName: string;
  networks: { frontend: string; backend: string };
  /** Whether the generator scaffolds its sample app (which uses every service). */
  sampleApp: boolean;
}

/** What a module's files may name besides its own service: the docs' language. */
export interface FilesContext extends ServiceContext {
  lang: 'en' | 'ko';
}

/**
 * The parts of a validated spec the service modules read. A structural view: modules never
 * import the whole spec's schema (schema/stack.ts), which is built from their list; each
 * module reads its own part, which its own schema has validated.
 */
export interface SpecView {
  redis: unknown;
  database: { kind: string };
  extraServices: readonly unknown[];
  services?: ReadonlyArray<{ kind: string }>;
}

/**
 * A service of the catalog (`--services`, spec.services[]): a module whose spec part is one
 * entry of the list, `{ kind: <id>, ...its options }`, validated by its own `schema`. The
 * spec's list is the discriminated union of every catalog module's schema (services/index.ts).
 */
export interface CatalogModule<Spec extends { kind: string } = { kind: string }> extends ServiceModule<Spec> {
  /** Its entry's schema: a strict object whose `kind` is the literal id, every other field defaulted. */
  schema: z.ZodType<Spec>;
  /** One line for --help and the prompt. */
  summary: string;
  /**
   * What to use on the cloud targets, which refuse it (exit 2 naming these): the managed
   * service of Amazon (ECS) and of Azure (Container Apps).
   */
  managed: { ecs: string; aca: string };
}

/**
 * A service module. `select` finds the module's part of the spec (undefined when it is not
 * chosen); `derive` turns it into the services it runs.
 */
export interface ServiceModule<Spec = unknown> {
  id: string;
  label: string;
  /** Its part of the spec, or undefined when it is not chosen. */
  select(spec: SpecView): Spec | undefined;
  derive(spec: Spec, context: ServiceContext): ServiceModel[];
  /** Files it adds to the project (init scripts, scripts), pure. */
  files?(service: ServiceModel, context: FilesContext): RenderedFile[];
  /** The paths of files it can write (the closed list a re-run may remove). */
  paths?: readonly RegExp[];
}
