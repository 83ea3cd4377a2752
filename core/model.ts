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
import { deriveDeploy } from './render/deploy/model.ts';
import { deriveWorkshop } from './render/workshop.ts';
import type { InstallModel, ModelContext, StackModel } from './types.ts';

export type * from './types.ts';

/** Settings files package managers read from the project folder, and their build secret ids. */
export const BUILD_CONFIG_FILES: Readonly<Record<string, string>> = { '.npmrc': 'npmrc' };

const INSTALL: Record<PackageManager, InstallModel> = {
  npm: {
    manifests: ['package.json', 'package-lock.json'],
    lockfile: 'package-lock.json',
    installProd: 'npm ci --omit=dev --no-audit --no-fund',
    installAll: 'npm ci --no-audit --no-fund',
    cacheTarget: '/root/.npm',
    setup: undefined,
    runScript: 'npm run',
    corepackPin: undefined,
  },
  pnpm: {
    manifests: ['package.json', 'pnpm-lock.yaml'],
    lockfile: 'pnpm-lock.yaml',
    installProd: 'pnpm install --frozen-lockfile --prod',
    installAll: 'pnpm install --frozen-lockfile',
    cacheTarget: '/root/.local/share/pnpm/store',
    setup: 'npm install --global --no-audit --no-fund pnpm@10.34.9',
    runScript: 'pnpm run',
    corepackPin: 'pnpm@10.34.9',
  },
  yarn: {
    manifests: ['package.json', 'yarn.lock'],
    lockfile: 'yarn.lock',
    installProd: 'yarn install --frozen-lockfile --production=true',
    installAll: 'yarn install --frozen-lockfile',
    cacheTarget: '/usr/local/share/.cache/yarn',
    setup: 'command -v yarn >/dev/null || npm install --global --no-audit --no-fund yarn@1.22.22',
    runScript: 'yarn run',
    corepackPin: 'yarn@1.22.22',
  },
};

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
  for (const service of services) {
    Object.assign(appEnv, service.app.environment);
    appSecrets.push(...service.app.secrets);
  }

  const model: Omit<StackModel, 'deploy'> = {
    spec,
    projectName: spec.projectName,
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
      healthProbeUrl: `http://127.0.0.1:${app.port}${app.healthPath}`,
      healthcheck: [
        'node',
        '-e',
        `fetch(${JSON.stringify(`http://127.0.0.1:${app.port}${app.healthPath}`).replaceAll('"', "'")}, { signal: AbortSignal.timeout(2500) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
      ],
      packageManager: app.packageManager,
      install: INSTALL[app.packageManager],
      buildSecrets: (context.buildConfigFiles ?? [])
        .filter((file) => BUILD_CONFIG_FILES[file] !== undefined)
        .map((file) => ({ id: BUILD_CONFIG_FILES[file]!, file, target: `/app/${file}` })),
      buildScript: app.buildScript,
      environment: appEnv,
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
