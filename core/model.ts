// The derived model: every name, reference and number the renderers need, computed
// once from a valid StackSpec. Templates only read these values.
import type { PackageManager } from '../schema/defaults.ts';
import { parseImageReference, repositoryBaseName } from '../schema/image-ref.ts';
import type { StackSpec } from '../schema/stack.ts';
import type { DatabaseModel } from '../services/database/index.ts';
import { SERVICE_MODULES } from '../services/index.ts';
import type { RedisModel } from '../services/redis/index.ts';
import { deriveRegistry } from '../targets/registry/render.ts';
import { sampleVariant } from './sample-app.ts';
import { deriveDeploy } from '../targets/deploy/model.ts';
import { deriveWorkshop } from './render/workshop.ts';
import { shellQuote, shellWord } from './shell.ts';
import { secretEnvModule } from './secret-env.ts';
import { environmentDocs } from './app-env.ts';
import type { AppUrl } from '../services/types.ts';
import type { InstallModel, ModelContext, StackModel } from './types.ts';

/** Where the image keeps the secret-env preload (NODE_OPTIONS=--import loads it before the app). */
/** The sample app's liveness path (templates/app/sample/server.js.ejs answers it without asking Redis). */
export const LIVENESS_PATH = '/livez';

/**
 * A health probe for `node -e`: GET the URL with node:http (not fetch, whose HTTP client
 * costs each probe process about 40 ms more to load), no redirect followed, healthy when
 * `ok` (an expression of the status code `r.statusCode`) holds; a refused connection or
 * 2.5 s without an answer is unhealthy. While a container starts, the probe runs every
 * 0.1 s after the last one ends, so its own time decides how soon the app is seen healthy.
 */
function httpProbe(url: string, ok: string): string {
  const quoted = JSON.stringify(url).replaceAll('"', "'");
  return `require('node:http').get(${quoted}, { timeout: 2500 }, (r) => process.exit(${ok} ? 0 : 1)).on('timeout', () => process.exit(1)).on('error', () => process.exit(1))`;
}

const ANSWERS_2XX = 'r.statusCode >= 200 && r.statusCode < 300';

/** The sample app's liveness probe: its liveness path answers 2xx. */
function livenessProbe(port: number): string {
  return httpProbe(`http://127.0.0.1:${port}${LIVENESS_PATH}`, ANSWERS_2XX);
}

export const SECRET_ENV_PATH = '/opt/wpsn/secret-env.mjs';
const SECRET_ENV_URL = `file://${SECRET_ENV_PATH}`;

export type * from './types.ts';

/** Settings files package managers read from the project folder, and their build secret ids. */
export const BUILD_CONFIG_FILES: Readonly<Record<string, string>> = { '.npmrc': 'npmrc', '.yarnrc.yml': 'yarnrc' };

/** The package managers' versions installed when the project pins none (package.json packageManager). */
const DEFAULT_PINS = { pnpm: '10.34.9', yarn: '1.22.22' } as const;

/** The major version of a pinned package manager (yarn@4.5.3 -> 4), or undefined. */
export function pinMajor(pin: string | undefined): number | undefined {
  const m = pin === undefined ? null : /@(\d+)\./.exec(pin);
  return m ? Number(m[1]) : undefined;
}

/**
 * Yarn 2+ (Berry) runs with these in the image: the node_modules linker whatever the
 * .yarnrc.yml says (it reaches the install as a build secret, which does not key the layer
 * cache; a Plug'n'Play project is refused before this), and no telemetry.
 */
const BERRY_ENV = 'export YARN_NODE_LINKER=node-modules YARN_ENABLE_TELEMETRY=0';

/**
 * How the image installs the app's dependencies with its package manager: at the version the
 * project pins (package.json packageManager), with every workspace package's manifest.
 */
export function installModel(packageManager: PackageManager, context: Pick<ModelContext, 'packageManagerPin' | 'workspaceManifests' | 'yarnDirs'> = {}): InstallModel {
  const pin = context.packageManagerPin?.startsWith(`${packageManager}@`) ? context.packageManagerPin.slice(packageManager.length + 1).replace(/\+.*$/, '') : undefined;
  const workspace = context.workspaceManifests ?? [];
  const nodeModules = ['node_modules', ...workspace.map((file) => file.replace(/package\.json$/, 'node_modules'))];
  // A workspace package without dependencies gets no node_modules: the runtime stage copies each.
  const ensure = workspace.length ? ` && mkdir -p ${nodeModules.join(' ')}` : '';
  // Installed from the npm registry, not with corepack (Node 25 dropped it, and it fetches
  // Yarn from repo.yarnpkg.com, which proxies often block).
  const global = (spec: string): string => `npm install --global --force --no-audit --no-fund ${spec}`;
  switch (packageManager) {
    case 'npm':
      return {
        manifests: ['package.json', 'package-lock.json', ...workspace],
        lockfile: 'package-lock.json',
        installProd: `npm ci --omit=dev --no-audit --no-fund${ensure}`,
        installAll: 'npm ci --include=dev --no-audit --no-fund',
        cacheTarget: '/root/.npm',
        // The base image's own npm unless the project pins one (packageManager: npm@10.9.2).
        setup: pin ? global(`npm@${pin}`) : undefined,
        runScript: 'npm run',
        corepackPin: undefined,
        tool: pin ? `npm@${pin}` : undefined,
        berry: false,
        nodeModules,
      };
    case 'pnpm': {
      const version = pin ?? DEFAULT_PINS.pnpm;
      return {
        manifests: ['package.json', 'pnpm-lock.yaml', ...(workspace.length ? ['pnpm-workspace.yaml'] : []), ...workspace],
        lockfile: 'pnpm-lock.yaml',
        // pm-on-fail=ignore: the toolchain stage installed the pinned pnpm already, so pnpm 11+
        // need not fetch itself again (devEngines.packageManager) nor record that in the lockfile.
        installProd: `pnpm install --frozen-lockfile --prod --config.pm-on-fail=ignore${ensure}`,
        installAll: 'NODE_ENV=development pnpm install --frozen-lockfile --config.pm-on-fail=ignore',
        cacheTarget: '/root/.local/share/pnpm/store',
        setup: `npm install --global --no-audit --no-fund pnpm@${version}`,
        runScript: 'pnpm run',
        corepackPin: `pnpm@${version}`,
        tool: `pnpm@${version}`,
        berry: false,
        nodeModules,
      };
    }
    case 'yarn': {
      const version = pin ?? DEFAULT_PINS.yarn;
      if ((pinMajor(`yarn@${version}`) ?? 1) >= 2) {
        // Yarn 2+ (Berry): its npm package is @yarnpkg/cli-dist (the one named yarn is Yarn 1).
        // Both stages install exactly the lockfile (--immutable: a stale yarn.lock fails the
        // build); the runtime then keeps only the production dependencies of every workspace
        // (workspaces focus, built into Yarn 4, which alone would resolve what the lockfile lacks).
        return {
          manifests: ['package.json', 'yarn.lock', ...(context.yarnDirs ?? []), ...workspace],
          lockfile: 'yarn.lock',
          installProd: `${BERRY_ENV}; yarn install --immutable && yarn workspaces focus --all --production${ensure}`,
          installAll: `${BERRY_ENV}; yarn install --immutable`,
          cacheTarget: '/root/.yarn/berry',
          setup: global(`@yarnpkg/cli-dist@${version}`),
          runScript: 'yarn run',
          corepackPin: `yarn@${version}`,
          tool: `@yarnpkg/cli-dist@${version}`,
          berry: true,
          nodeModules,
        };
      }
      return {
        manifests: ['package.json', 'yarn.lock', ...workspace],
        lockfile: 'yarn.lock',
        installProd: `yarn install --frozen-lockfile --production=true${ensure}`,
        installAll: 'yarn install --frozen-lockfile --production=false',
        cacheTarget: '/usr/local/share/.cache/yarn',
        // --force: the official Node images ship a yarn 1 whose links npm would not replace.
        setup: global(`yarn@${version}`),
        runScript: 'yarn run',
        corepackPin: `yarn@${version}`,
        tool: `yarn@${version}`,
        berry: false,
        nodeModules,
      };
    }
  }
}

/** The preload that completes each URL with its password (core/secret-env.ts), when a service gives one. */
function secretEnv(urls: readonly AppUrl[]): StackModel['app']['secretEnv'] {
  if (urls.length === 0) return undefined;
  const list = urls.map((u) => ({ variable: u.variable, url: u.url, file: `/run/secrets/${u.passwordSecret}` }));
  return { path: SECRET_ENV_PATH, urls: list, code: secretEnvModule(list) };
}

/** Programs that start the app as a child and do not pass SIGTERM on to it. */
const WRAPPERS = new Set(['npm', 'npx', 'pnpm', 'yarn', 'sh', 'bash', 'dash', 'nodemon', 'ts-node', 'tsx']);

/** The wrapper the command runs instead of the app itself (npm, sh, ...), if it does. */
export function wrapperOf(command: readonly string[]): string | undefined {
  const program = command[0]?.split('/').at(-1);
  return program !== undefined && WRAPPERS.has(program) ? program : undefined;
}

/** The build step's shell command, run at the project's root: in the app's package (and, with pnpm, its workspace dependencies first). */
function buildCommand(packageManager: PackageManager, dir: string, script: string): string {
  if (dir === '.') return `${packageManager} run ${script}`;
  if (packageManager === 'pnpm') return `pnpm --filter ${shellQuote(`{./${dir}}...`)} run ${script}`;
  return `cd ${shellWord(dir)} && ${packageManager} run ${script}`;
}

export function deriveModel(spec: StackSpec, context: ModelContext): StackModel {
  const { app, networks } = spec;
  const baseRef = parseImageReference(app.baseImage);
  const baseIsOfficialNode =
    baseRef.ok && repositoryBaseName(baseRef.ref) === 'node' && ['node', 'library/node'].includes(baseRef.ref.path) &&
    (baseRef.ref.domain === undefined || baseRef.ref.domain === 'docker.io');
  // app.bind is a valid IP address (the schema checks it): IPv6 exactly when it has a colon.
  // (node:net's isIPv6 would compile its large pattern on first use: a few ms of start-up.)
  const isIPv6 = (address: string): boolean => address.includes(':');
  const bindHost = isIPv6(app.bind) ? `[${app.bind}]` : app.bind;
  const localHost = app.bind === '0.0.0.0' || app.bind === '::' ? '127.0.0.1' : app.bind;
  const localHostUrl = isIPv6(localHost) ? `[${localHost}]` : localHost;
  const services = SERVICE_MODULES.flatMap((module) => {
    const part = module.select(spec);
    return part === undefined ? [] : module.derive(part, { projectName: spec.projectName, networks, sampleApp: context.sampleApp });
  });
  const redis = services.find((x): x is RedisModel => x.module === 'redis');
  if (!redis) throw new Error('internal error: the stack has no Redis');
  const database = services.find((x): x is DatabaseModel => 'tools' in x);

  const appEnv: Record<string, string> = { NODE_ENV: 'production', PORT: String(app.port), HEALTH_PATH: app.healthPath };
  const appSecrets: string[] = [];
  const urls: AppUrl[] = [];
  for (const service of services) {
    Object.assign(appEnv, service.app.environment);
    appSecrets.push(...service.app.secrets);
    urls.push(...(service.app.urls ?? []));
  }
  // The image's secret-env preload puts each password into its URL, in the app's process only.
  if (urls.length) appEnv['NODE_OPTIONS'] = `--import=${SECRET_ENV_URL}`;
  // The user's own variables last (they are the user's choice); "$" stays literal in Compose.
  for (const name of Object.keys(app.environment).sort()) appEnv[name] = app.environment[name]!;
  const healthProbeUrl = `http://127.0.0.1:${app.port}${app.healthPath}`;
  // Exec form with Node's own http or net: the image needs no curl or wget.
  const healthcheck: Record<typeof app.healthCheck, string> = {
    http: httpProbe(healthProbeUrl, ANSWERS_2XX),
    status: httpProbe(healthProbeUrl, 'r.statusCode < 500'),
    tcp: `require('node:net').connect(${app.port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`,
  };
  const workdir = app.dir === '.' ? '/app' : `/app/${app.dir}`;
  const install = installModel(app.packageManager, context);

  const model: Omit<StackModel, 'deploy'> = {
    spec,
    projectName: spec.projectName,
    composeFile: spec.composeFile,
    lang: spec.lang,
    app: {
      service: 'app',
      localImage: `${spec.projectName}-app`,
      baseImage: app.baseImage,
      baseIsOfficialNode,
      // The official Node images have a `node` user (uid 1000); other bases get a numeric uid.
      user: baseIsOfficialNode ? 'node' : '1000:1000',
      port: app.port,
      hostPort: app.hostPort,
      bind: app.bind,
      publish: `${bindHost}:${app.hostPort}:${app.port}`,
      localUrl: `http://${localHostUrl}:${app.hostPort}`,
      command: app.command,
      healthPath: app.healthPath,
      livenessPath: context.sampleApp ? LIVENESS_PATH : undefined,
      healthCheck: app.healthCheck,
      healthProbeUrl,
      healthcheck: ['node', '-e', healthcheck[app.healthCheck]],
      livenesscheck: ['node', '-e', context.sampleApp ? livenessProbe(app.port) : healthcheck.tcp],
      dir: app.dir,
      workdir,
      tmpfs: ['/tmp', ...app.writableDirs.map((d) => `/app/${d}`)],
      secretEnv: secretEnv(urls),
      wrapper: wrapperOf(app.command),
      packageManager: app.packageManager,
      install,
      buildSecrets: (context.buildConfigFiles ?? [])
        .filter((file) => BUILD_CONFIG_FILES[file] !== undefined)
        .map((file) => ({ id: BUILD_CONFIG_FILES[file]!, file, target: `/app/${file}` })),
      buildScript: app.buildScript || undefined,
      buildCommand: app.buildScript ? buildCommand(app.packageManager, app.dir, app.buildScript) : undefined,
      // After the build: the full install's node_modules (the runtime takes the production
      // ones), and Next.js's build cache (a tmpfs at run time).
      buildPrune: [...install.nodeModules, ...app.writableDirs.filter((d) => d === '.next/cache' || d.endsWith('/.next/cache'))],
      environment: appEnv,
      environmentDocs: environmentDocs(appEnv, services, urls, app.environment),
      secrets: appSecrets,
    },
    services,
    redis,
    database,
    networks: { frontend: networks.frontend, backend: networks.backend },
    volumes: services.flatMap((x) => x.volumes.map((v) => v.name)),
    secrets: services.flatMap((x) => x.secretModels),
    sampleApp: context.sampleApp,
    sample: { variant: sampleVariant(database?.kind), databaseClient: database ? (sampleVariant(database.kind) as 'pg' | 'mysql2') : undefined },
    registry: deriveRegistry(spec, { localImage: `${spec.projectName}-app`, service: 'app' }),
  };
  const withDeploy = { ...model, deploy: deriveDeploy(model) };
  return { ...withDeploy, workshop: spec.workshop ? deriveWorkshop(withDeploy) : undefined };
}
