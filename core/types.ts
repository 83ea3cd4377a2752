// The derived model's types: every value the renderers and templates read (m.*). Types
// only. The parts that services and targets derive come from their own type modules, none
// of which imports this one: the model is assembled by core/model.ts, read by renderers.
import type { Language, PackageManager } from '../schema/defaults.ts';
import type { StackSpec } from '../schema/stack.ts';
import type { DatabaseModel } from '../services/database/index.ts';
import type { RedisModel } from '../services/redis/index.ts';
import type { SecretModel, ServiceModel } from '../services/types.ts';
import type { DeployModel } from '../targets/deploy/models.ts';
import type { RegistryModel } from '../targets/registry/types.ts';
import type { WorkshopModel } from './render/workshop-types.ts';
import type { EnvVariableDoc } from './app-env.ts';

export type { RedisAclUser, SecretModel, ServiceModel } from '../services/types.ts';
export type { DatabaseModel } from '../services/database/index.ts';
export type { RedisModel } from '../services/redis/index.ts';
export type { EnvVariableDoc } from './app-env.ts';

export interface InstallModel {
  /** Files that key the dependency layer. */
  manifests: string[];
  lockfile: string;
  /** Command that installs production dependencies from the lockfile. */
  installProd: string;
  /** Command that installs every dependency (for a build stage). */
  installAll: string;
  cacheTarget: string;
  /** Installs the package manager before installing (npm's registry, not corepack: Node 25 dropped it). */
  setup: string | undefined;
  runScript: string;
  /** The `packageManager` field (pnpm and yarn), pinned for the sample app. */
  corepackPin: string | undefined;
  /** The npm package the toolchain stage installs (pnpm@9.15.9, @yarnpkg/cli-dist@4.9.2, npm@10.9.2), or undefined (the base image's npm). */
  tool: string | undefined;
  /** Yarn 2+ (Berry): immutable install, workspaces focus, the node_modules linker. */
  berry: boolean;
  /** Every node_modules folder an install makes (the root's, and each workspace package's). */
  nodeModules: string[];
}

export interface StackModel {
  spec: StackSpec;
  projectName: string;
  /** The Compose file's name (docker-compose.yml, or the name of the one the project has). */
  composeFile: string;
  lang: Language;
  app: {
    service: string;
    /** The image name `docker compose build` gives the app service. */
    localImage: string;
    baseImage: string;
    baseIsOfficialNode: boolean;
    user: string;
    port: number;
    hostPort: number;
    bind: string;
    /** Compose short syntax, such as 127.0.0.1:3000:3000. */
    publish: string;
    localUrl: string;
    command: string[];
    healthPath: string;
    /**
     * Liveness (the process answers, never a dependency): the sample app's own path, or
     * undefined for the user's app, whose liveness probes the port (its health path may
     * check Redis or a database, and a failed liveness probe restarts the container).
     */
    livenessPath: string | undefined;
    /** http (2xx), status (below 500, redirects not followed), tcp (the port accepts a connection). */
    healthCheck: 'http' | 'status' | 'tcp';
    healthProbeUrl: string;
    /** The app's package folder in the project ("." or a workspace package), and where it runs in the image. */
    dir: string;
    workdir: string;
    /** Writable folders in the read-only container: /tmp and the app's own (each a tmpfs). */
    tmpfs: string[];
    /**
     * The preload the image installs when a service gives the app a URL with a password: each
     * variable's URL, and the secret file whose password it gets at start.
     */
    secretEnv: { path: string; urls: Array<{ variable: string; url: string; file: string }>; code: string } | undefined;
    /** The program the command runs that does not forward SIGTERM to the app (npm, sh, ...), if any. */
    wrapper: string | undefined;
    /** Exec-form HEALTHCHECK: Node's own fetch, so the image needs no curl or wget. */
    healthcheck: string[];
    /** Exec-form liveness check (ECS replaces a task whose check fails): the liveness path, or a TCP connect. */
    livenesscheck: string[];
    packageManager: PackageManager;
    install: InstallModel;
    /** Project settings files (.npmrc) mounted as secrets into every install step. */
    buildSecrets: BuildSecretModel[];
    buildScript: string | undefined;
    /** The shell command of the build step (the app's package's script, in its folder). */
    buildCommand: string | undefined;
    /** Folders removed at the end of the build stage (the full install, Next.js's build cache). */
    buildPrune: string[];
    environment: Record<string, string>;
    /** Each variable of `environment`, with who sets it and what it is for (README.Docker.md). */
    environmentDocs: EnvVariableDoc[];
    secrets: string[];
  };
  /** Every service next to the app, in docker-compose.yml's order (services/index.ts). */
  services: ServiceModel[];
  /** Redis (always there) and the SQL database (when chosen): the services some renderers name. */
  redis: RedisModel;
  database: DatabaseModel | undefined;
  networks: { frontend: string; backend: string };
  volumes: string[];
  secrets: SecretModel[];
  /** Scaffold the sample app (the destination had no package.json when first generated). */
  sampleApp: boolean;
  /** The sample app's clients: its lockfile variant (core/sample-app.ts), and its database client, if any. */
  sample: { variant: string; databaseClient: 'pg' | 'mysql2' | undefined };
  /** Registry push targets: scripts, workflows, README sections (targets/registry/render.ts). */
  registry: RegistryModel;
  /** Deploy targets: configs, scripts, README sections (targets/deploy/). */
  deploy: DeployModel;
  /** The workshop kit (--workshop): the lesson's names and steps (core/render/workshop.ts); absent when off. */
  workshop?: WorkshopModel | undefined;
}

export interface ModelContext {
  sampleApp: boolean;
  /**
   * Package-manager settings files found in the project (such as .npmrc): never in the
   * build context (they may hold tokens), handed to the dependency install as build secrets.
   */
  buildConfigFiles?: readonly string[];
  /** The project's package.json packageManager (such as pnpm@9.15.0+sha512...): that version is installed. */
  packageManagerPin?: string | undefined;
  /** Workspace packages' manifests (apps/web/package.json, ...), which the dependency install needs. */
  workspaceManifests?: readonly string[];
  /** Yarn 2+: the folders under .yarn/ its install reads (the pinned release, plugins, patches). */
  yarnDirs?: readonly string[];
}

/** A file of the project handed to the dependency install as a build secret, never to a layer. */
export interface BuildSecretModel {
  /** Compose secret name and BuildKit secret id. */
  id: string;
  /** The file in the project. */
  file: string;
  /** Where the install step sees it. */
  target: string;
}
