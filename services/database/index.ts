// What the SQL database modules (postgres, mysql, mariadb) share: one `db` service on the
// backend network, its data on a named volume, passwords as Compose secrets read through
// the official images' *_FILE variables, and the app given DATABASE_URL (no password in
// it) with DATABASE_PASSWORD_FILE. Each module says what differs: image, paths, variables,
// health check, tools.
import type { RenderedFile } from '../../core/rendered.ts';
import { shellQuote } from '../../core/shell.ts';
import { renderTemplate } from '../../core/templates.ts';
import type { FilesContext, ServiceModel, ServiceModule, SecretModel, SpecView } from '../types.ts';
import type { DatabaseSpec } from './schema.ts';

/** The project folder the database's first-start scripts live in, mounted at /docker-entrypoint-initdb.d. */
export const DB_INIT_DIR = 'db/init';
export const DB_BACKUP_SCRIPT = 'scripts/db-backup.sh';
export const DB_RESTORE_SCRIPT = 'scripts/db-restore.sh';

/** The one naming rule the backup and restore scripts check (as the shared shell library embeds rules). */
const DB_SCRIPT_RULES = [{ name: 'file', pattern: shellQuote('[^[:cntrl:]]+'), min: 1, max: 4096, text: shellQuote('a file path without control characters') }];

/** A first-start script of a database kind, described for db/init/README.md. */
export interface InitFile {
  name: string;
  template: string;
  en: string;
  ko: string;
  /** Executable (a shell script the entrypoint runs rather than sources). */
  executable?: boolean;
  /** Only with the sample app (its table). */
  sample?: boolean;
}

/** What the official database images' entrypoints need to initialise as root, then run as their own user. */
export const DATABASE_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'] as const;
export const DATABASE_LIMITS = { mem_limit: '1g', pids_limit: 256 } as const;
/** The database's Compose service name, and its host name for the app. */
export const DATABASE_SERVICE = 'db';

export interface DatabaseTools {
  /** The native logical dump tool, such as pg_dump. */
  dumpTool: string;
  /** Writes a logical dump of the app's database to stdout (shell text after `docker compose exec -T db`). */
  dump: string;
  /** An SQL client on the app's database with full rights (reads stdin when it is not a terminal). */
  client: string;
  /** Shell text (after `docker compose exec -T db`) that prints the number of rows of the sample's hits table. */
  countHits: string;
  /** Shell text that prints the SQL setting the app user's password to the host shell variable NEW_PASSWORD. */
  setPassword: string;
}

export interface DatabaseModel extends ServiceModel {
  kind: string;
  /** The database name and the app's user. */
  name: string;
  user: string;
  volume: string;
  dataDir: string;
  port: number;
  /** The URL the app is given (no password: that comes from DATABASE_PASSWORD_FILE). */
  url: string;
  tools: DatabaseTools;
}

/** What a database module says about its database. */
export interface DatabaseKind {
  id: string;
  label: string;
  defaultImage: string;
  dataDir: string;
  port: number;
  /** Secret names: the app's password first. */
  secrets: string[];
  environment(db: DatabaseSpec): Record<string, string>;
  healthcheck: string[];
  urlScheme: string;
  tools(db: DatabaseSpec): DatabaseTools;
  /** Writable folders besides the data folder, for Kubernetes (emptyDir). */
  scratch: string[];
  /** Its first-start scripts under db/init/ (the sample's table among them). */
  initFiles: InitFile[];
  /** The client the sample app uses, and the lockfile variant made for it (scripts/sample-lockfiles.ts). */
  sampleClient: { variant: string; dependencies: Readonly<Record<string, string>> };
  /** Extra environment for the deploy targets. */
  deployEnvironment?(db: DatabaseSpec, dataDir: string): Record<string, string>;
}

export function deriveDatabase(kind: DatabaseKind, db: DatabaseSpec, sampleApp: boolean): DatabaseModel {
  const secretModels: SecretModel[] = kind.secrets.map((name) => ({ name, file: `secrets/${name}`, source: { kind: 'random' } }));
  const environment = kind.environment(db);
  const url = `${kind.urlScheme}://${db.user}@${DATABASE_SERVICE}:${kind.port}/${db.name}`;
  return {
    module: kind.id,
    kind: kind.id,
    label: kind.label,
    service: DATABASE_SERVICE,
    image: db.image ?? kind.defaultImage,
    // The images start as root, initialise their data folder, and step down themselves.
    runAs: undefined,
    user: db.user,
    command: undefined,
    environment,
    secrets: kind.secrets,
    volumes: [{ name: db.volume, target: kind.dataDir }],
    binds: [{ source: `./${DB_INIT_DIR}`, target: '/docker-entrypoint-initdb.d', files: kind.initFiles.filter((f) => !f.sample || sampleApp).map((f) => f.name) }],
    port: kind.port,
    expose: false,
    healthcheck: { test: kind.healthcheck, startPeriod: '60s' },
    readOnly: false,
    tmpfs: [],
    capAdd: [...DATABASE_CAPS],
    limits: { ...DATABASE_LIMITS },
    app: {
      environment: { DATABASE_URL: url, DATABASE_PASSWORD_FILE: `/run/secrets/${kind.secrets[0]}` },
      secrets: [kind.secrets[0]!],
      // pg, mysql2, Prisma and Knex read DATABASE_URL: the image puts the password in at start.
      urls: [{ variable: 'DATABASE_URL', url, passwordSecret: kind.secrets[0]! }],
    },
    secretModels,
    docs: 'services/database/readme',
    deploy: {
      uid: 999,
      gid: 999,
      // The database images start as root and step down themselves.
      runAsUser: false,
      args: undefined,
      environment: { ...environment, ...kind.deployEnvironment?.(db, kind.dataDir) },
      dataDir: kind.dataDir,
      readOnlyRoot: false,
      scratch: kind.scratch,
      resources: { limits: ['1', '1Gi'], requests: ['100m', '256Mi'] },
      livenessDelay: 60,
      dropAllCaps: false,
    },
    name: db.name,
    volume: db.volume,
    dataDir: kind.dataDir,
    url,
    tools: kind.tools(db),
  };
}

/** db/init/ (its README and the kind's first-start scripts) and the backup and restore scripts. */
export function databaseFiles(kind: DatabaseKind, db: DatabaseModel, context: FilesContext): RenderedFile[] {
  const init = kind.initFiles.filter((f) => !f.sample || context.sampleApp);
  const data = { ...context, db, dbScriptRules: DB_SCRIPT_RULES };
  return [
    { path: `${DB_INIT_DIR}/README.md`, content: renderTemplate(`services/database/init-readme.${context.lang}.md.ejs`, { ...data, files: init }), kind: 'generated' },
    ...init.map((f): RenderedFile => ({
      path: `${DB_INIT_DIR}/${f.name}`,
      content: renderTemplate(f.template, data),
      kind: 'generated',
      ...(f.executable ? { mode: 0o755 } : {}),
    })),
    { path: DB_BACKUP_SCRIPT, content: renderTemplate('services/database/db-backup.sh.ejs', data), kind: 'generated', mode: 0o755 },
    { path: DB_RESTORE_SCRIPT, content: renderTemplate('services/database/db-restore.sh.ejs', data), kind: 'generated', mode: 0o755 },
  ];
}

/** A database module: chosen by spec.database.kind. */
export function databaseModule(kind: DatabaseKind): ServiceModule<DatabaseSpec> & { database: DatabaseKind } {
  return {
    id: kind.id,
    label: kind.label,
    database: kind,
    select: (spec: SpecView) => (spec.database.kind === kind.id ? (spec.database as DatabaseSpec) : undefined),
    derive: (db, context) => [deriveDatabase(kind, db, context.sampleApp)],
    files: (service, context) => databaseFiles(kind, service as DatabaseModel, context),
    paths: [/^db\/init\/README\.md$/, ...kind.initFiles.map((f) => new RegExp(`^db/init/${f.name.replaceAll('.', '\\.')}$`)), /^scripts\/db-(?:backup|restore)\.sh$/],
  };
}
