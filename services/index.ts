// The service modules, in the order their services appear in docker-compose.yml: the one
// list the pipeline reads (the spec's choices, the model, Compose, the deploy targets, the
// docs, doctor, bundle and verify). Adding a service: a folder under services/, and a line
// here (ARCHITECTURE.md, "How to add a service").
import { extra } from './extra/index.ts';
import { mailpit } from './mailpit/index.ts';
import { mariadb } from './mariadb/index.ts';
import { meilisearch } from './meilisearch/index.ts';
import { memcached } from './memcached/index.ts';
import { minio } from './minio/index.ts';
import { mongodb } from './mongodb/index.ts';
import { mysql } from './mysql/index.ts';
import { nats } from './nats/index.ts';
import { postgres } from './postgres/index.ts';
import { rabbitmq } from './rabbitmq/index.ts';
import { redis } from './redis/index.ts';
import { valkey } from './valkey/index.ts';
import type { CatalogModule, ServiceModule } from './types.ts';

/** The SQL databases, one of which spec.database.kind may choose. */
export const DATABASE_MODULES = [postgres, mysql, mariadb] as const;

/** The catalog (--services, spec.services[]): each entry's kind is a module's id. */
export const CATALOG_MODULES: readonly CatalogModule<any>[] = [valkey, memcached, rabbitmq, nats, mailpit, minio, meilisearch, mongodb];

export const SERVICE_MODULES: readonly ServiceModule<any>[] = [redis, ...DATABASE_MODULES, ...CATALOG_MODULES, extra];

/** spec.services[].kind's choices, in the catalog's order. */
export const CATALOG_KINDS: readonly string[] = CATALOG_MODULES.map((m) => m.id);

/** spec.database.kind's choices: none, or a database module. */
export const DATABASE_KINDS = ['none', ...DATABASE_MODULES.map((m) => m.id)] as ['none', ...string[]];

/** Each database module's default image. */
export const DEFAULT_DATABASE_IMAGES: Readonly<Record<string, string>> = Object.fromEntries(DATABASE_MODULES.map((m) => [m.id, m.database.defaultImage]));

/** Service names the stack's own modules use, which an extra service may not take. */
export const RESERVED_SERVICE_NAMES = ['app', 'redis', 'db'] as const;
