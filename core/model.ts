// The derived model: every name, reference and number the renderers need, computed
// once from a valid StackSpec. Templates only read these values.
import { DEFAULT_DATABASE_IMAGES, type DatabaseKind, type Language, type PackageManager } from '../schema/defaults.ts';
import { parseImageReference, repositoryBaseName } from '../schema/image-ref.ts';
import type { StackSpec } from '../schema/stack.ts';
import { deriveRegistry, type RegistryModel } from '../targets/registry/render.ts';
import { deriveDeploy, type DeployModel } from './render/deploy/model.ts';
import { deriveWorkshop, type WorkshopModel } from './render/workshop.ts';

export interface SecretModel {
  /** Compose secret name, also the file name under /run/secrets. */
  name: string;
  /** Path of the file in the project. */
  file: string;
  /** Only for the local Compose stack, never handed to a deploy target. */
  localOnly?: boolean;
  /** How the secret is made: a random password, or the Redis ACL derived from passwords. */
  source: { kind: 'random' } | { kind: 'redis-acl'; users: RedisAclUser[] };
}

/** A user of the Redis ACL file: its name, the secret holding its password, what it may do. */
export interface RedisAclUser {
  name: string;
  from: string;
  permissions: string;
}

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
}

export interface DatabaseModel {
  kind: Exclude<DatabaseKind, 'none'>;
  label: string;
  service: string;
  image: string;
  volume: string;
  dataDir: string;
  port: number;
  name: string;
  user: string;
  environment: Record<string, string>;
  healthcheck: string[];
  secrets: string[];
  /** The URL the app is given (no password: that comes from DATABASE_PASSWORD_FILE). */
  url: string;
  /** The image's own tools, as shell text after `docker compose exec [-T] db` (for the README). */
  tools: {
    /** The native logical dump tool, such as pg_dump. */
    dumpTool: string;
    /** Writes a logical dump of the app's database to stdout. */
    dump: string;
    /** An SQL client on the app's database with full rights (reads stdin when it is not a terminal). */
    client: string;
    /** SQL that sets the app user's password to the host shell variable NEW_PASSWORD. */
    setPassword: string;
  };
}

export interface ExtraServiceModel {
  service: string;
  image: string;
  command: string[] | undefined;
  environment: Record<string, string> | undefined;
  /** Internal port (Compose `expose`), never published. */
  port: number | undefined;
  /** The Compose user, or undefined for the image's own ("image"). */
  user: string | undefined;
  readOnly: boolean;
  capAdd: string[];
  memLimit: string;
  pidsLimit: number;
}

export interface StackModel {
  spec: StackSpec;
  projectName: string;
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
    healthProbeUrl: string;
    /** Exec-form HEALTHCHECK: Node's own fetch, so the image needs no curl or wget. */
    healthcheck: string[];
    packageManager: PackageManager;
    install: InstallModel;
    /** Project settings files (.npmrc) mounted as secrets into every install step. */
    buildSecrets: BuildSecretModel[];
    buildScript: string | undefined;
    environment: Record<string, string>;
    secrets: string[];
  };
  redis: {
    service: string;
    image: string;
    volume: string;
    persistence: 'aof' | 'rdb' | 'none';
    user: string;
    command: string[];
    healthcheck: string[];
    secrets: string[];
    /** The admin user's password, mounted in the local stack for an admin shell. */
    adminSecret: string;
  };
  database: DatabaseModel | undefined;
  /** More services on the backend network, in the order given (spec.extraServices). */
  extraServices: ExtraServiceModel[];
  networks: { frontend: string; backend: string };
  volumes: string[];
  secrets: SecretModel[];
  /** Scaffold the sample app (the destination had no package.json when first generated). */
  sampleApp: boolean;
  /** Registry push targets: scripts, workflows, README sections (core/render/registry.ts). */
  registry: RegistryModel;
  /** Deploy targets: configs, scripts, README sections (core/render/deploy/). */
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

const SECRETS_DIR = 'secrets';
const secretFile = (name: string): string => `${SECRETS_DIR}/${name}`;

function deriveDatabase(spec: StackSpec): DatabaseModel | undefined {
  const db = spec.database;
  if (db.kind === 'none') return undefined;
  const image = db.image ?? DEFAULT_DATABASE_IMAGES[db.kind];
  const common = { kind: db.kind, service: 'db', image, volume: db.volume, name: db.name, user: db.user };
  if (db.kind === 'postgres') {
    return {
      ...common,
      label: 'PostgreSQL',
      dataDir: '/var/lib/postgresql/data',
      port: 5432,
      environment: {
        POSTGRES_DB: db.name,
        POSTGRES_USER: db.user,
        POSTGRES_PASSWORD_FILE: '/run/secrets/db_password',
      },
      healthcheck: ['CMD-SHELL', 'pg_isready -U "$${POSTGRES_USER}" -d "$${POSTGRES_DB}" -h 127.0.0.1 || exit 1'],
      secrets: ['db_password'],
      url: `postgres://${db.user}@db:5432/${db.name}`,
      // The image trusts local socket connections, and POSTGRES_USER is a superuser.
      tools: {
        dumpTool: 'pg_dump',
        dump: `pg_dump -U ${db.user} -d ${db.name} --clean --if-exists`,
        client: `psql -U ${db.user} -d ${db.name} -v ON_ERROR_STOP=1`,
        setPassword: `ALTER ROLE ${db.user} PASSWORD '$NEW_PASSWORD';`,
      },
    };
  }
  const prefix = db.kind === 'mysql' ? 'MYSQL' : 'MARIADB';
  const client = db.kind === 'mysql' ? 'mysql' : 'mariadb';
  const dumpTool = db.kind === 'mysql' ? 'mysqldump' : 'mariadb-dump';
  const healthcheck =
    db.kind === 'mysql'
      ? ['CMD-SHELL', 'MYSQL_PWD="$$(cat /run/secrets/db_password)" mysqladmin ping -h 127.0.0.1 -u "$${MYSQL_USER}" --silent || exit 1']
      : ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'];
  return {
    ...common,
    label: db.kind === 'mysql' ? 'MySQL' : 'MariaDB',
    dataDir: '/var/lib/mysql',
    port: 3306,
    environment: {
      [`${prefix}_DATABASE`]: db.name,
      [`${prefix}_USER`]: db.user,
      [`${prefix}_PASSWORD_FILE`]: '/run/secrets/db_password',
      [`${prefix}_ROOT_PASSWORD_FILE`]: '/run/secrets/db_root_password',
    },
    healthcheck,
    secrets: ['db_password', 'db_root_password'],
    url: `mysql://${db.user}@db:3306/${db.name}`,
    // As root, with the password read from the secret inside the container (MariaDB 11
    // images ship only the mariadb-* client names).
    tools: {
      dumpTool,
      dump: `sh -c 'MYSQL_PWD="$(cat /run/secrets/db_root_password)" exec ${dumpTool} -u root --single-transaction ${db.name}'`,
      client: `sh -c 'MYSQL_PWD="$(cat /run/secrets/db_root_password)" exec ${client} -u root ${db.name}'`,
      setPassword: `ALTER USER '${db.user}'@'%' IDENTIFIED BY '$NEW_PASSWORD';`,
    },
  };
}

export function deriveModel(spec: StackSpec, context: ModelContext): StackModel {
  const { app, redis, networks } = spec;
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
  const database = deriveDatabase(spec);

  const redisPersistence: Record<typeof redis.persistence, string[]> = {
    aof: ['--appendonly', 'yes', '--appendfsync', 'everysec'],
    rdb: ['--appendonly', 'no', '--save', '60 1'],
    none: ['--appendonly', 'no', '--save', ''],
  };

  const secrets: SecretModel[] = [
    { name: 'redis_password', file: secretFile('redis_password'), source: { kind: 'random' } },
    // The admin's password stays on the machine that generated the project (an admin shell in
    // the local stack); deploy targets get only the ACL that holds its hash.
    { name: 'redis_admin_password', file: secretFile('redis_admin_password'), source: { kind: 'random' }, localOnly: true },
    {
      name: 'redis_acl',
      file: secretFile('redis.acl'),
      source: {
        kind: 'redis-acl',
        users: [
          // The app connects as the default user (REDIS_URL needs no user name), with only what an app needs.
          { name: 'default', from: 'redis_password', permissions: redis.appPermissions },
          { name: 'admin', from: 'redis_admin_password', permissions: '~* &* +@all' },
        ],
      },
    },
  ];
  for (const name of database?.secrets ?? []) {
    secrets.push({ name, file: secretFile(name), source: { kind: 'random' } });
  }

  const appEnv: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(app.port),
    HEALTH_PATH: app.healthPath,
    REDIS_URL: 'redis://redis:6379',
    REDIS_PASSWORD_FILE: '/run/secrets/redis_password',
  };
  const appSecrets = ['redis_password'];
  if (database) {
    appEnv['DATABASE_URL'] = database.url;
    appEnv['DATABASE_PASSWORD_FILE'] = '/run/secrets/db_password';
    appSecrets.push('db_password');
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
    redis: {
      service: 'redis',
      image: redis.image,
      volume: redis.volume,
      persistence: redis.persistence,
      // uid:gid of the `redis` user in the official image: no root, no entrypoint chown needed.
      user: '999:999',
      command: ['redis-server', '--aclfile', '/run/secrets/redis_acl', '--dir', '/data', ...redisPersistence[redis.persistence]],
      healthcheck: [
        'CMD-SHELL',
        'REDISCLI_AUTH="$$(cat /run/secrets/redis_password)" redis-cli --no-auth-warning ping | grep -q PONG',
      ],
      // The ACL and the app user's password (the healthcheck).
      secrets: ['redis_acl', 'redis_password'],
      adminSecret: 'redis_admin_password',
    },
    database,
    extraServices: spec.extraServices.map((x) => ({
      service: x.name,
      image: x.image,
      command: x.command,
      environment: x.environment,
      port: x.port,
      user: x.hardening.user === 'image' ? undefined : x.hardening.user,
      readOnly: x.hardening.readOnly,
      capAdd: x.hardening.capAdd,
      memLimit: x.hardening.memLimit,
      pidsLimit: x.hardening.pidsLimit,
    })),
    networks: { frontend: networks.frontend, backend: networks.backend },
    volumes: database ? [redis.volume, database.volume] : [redis.volume],
    secrets,
    sampleApp: context.sampleApp,
    registry: deriveRegistry(spec, { localImage: `${spec.projectName}-app`, service: 'app' }),
  };
  const withDeploy = { ...model, deploy: deriveDeploy(model) };
  return { ...withDeploy, workshop: spec.workshop ? deriveWorkshop(withDeploy) : undefined };
}
