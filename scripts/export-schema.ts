// Writes schema/stack.schema.json: the JSON Schema of the answers an --answers file
// (or .yo-rc.json's answers) may hold, so editors can complete and check them.
//
//   npm run schema            write the file
//   npm run schema -- --check exit 1 when the committed file is stale
//
// The schema describes the *input*: fields with defaults are optional, and so is
// projectName (it defaults to the directory name). The zod refinements (image
// references, privileged ports, distinct networks and volumes) have no JSON Schema
// form; the generator still checks them.
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { ANSWER_OPTIONS } from '../core/options.ts';
import { ProjectName, StackSpecObject } from '../schema/stack.ts';
import { CATALOG_KINDS } from '../services/index.ts';

export const SCHEMA_ID = 'https://unpkg.com/generator-wpsn-docker/schema/stack.schema.json';
export const SCHEMA_PATH = join(dirname(dirname(fileURLToPath(import.meta.url))), 'schema', 'stack.schema.json');

/** What an answers file may hold: the StackSpec fields, projectName optional. */
const AnswersSpec = StackSpecObject.extend({ projectName: ProjectName.optional() });

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keywords first in this order, the rest alphabetically; `properties` keep the spec's field order. */
const KEY_ORDER = ['$schema', '$id', 'title', 'description', 'type', 'const', 'enum', 'default'];

function keyRank(key: string): [number, string] {
  const i = KEY_ORDER.indexOf(key);
  return [i === -1 ? KEY_ORDER.length : i, key];
}

function ordered(value: Json, parentKey?: string): Json {
  if (Array.isArray(value)) return value.map((v) => ordered(v));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  // Property names are data, not keywords: keep them in the order the spec declares them.
  if (parentKey !== 'properties' && parentKey !== '$defs') {
    entries.sort(([a], [b]) => {
      const [ra, ka] = keyRank(a);
      const [rb, kb] = keyRank(b);
      return ra !== rb ? ra - rb : ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v, k)]));
}

/** Descriptions of the fields no command-line option sets. */
const FIELD_DESCRIPTIONS: ReadonlyArray<[readonly string[], string]> = [
  [['$schema'], 'the JSON Schema of this file, for editors; ignored by the generator'],
  [['app'], 'the app service: image build, port, start command and health check'],
  [['app', 'runtime'], 'the app runtime (only "node" for now)'],
  [['redis'], 'the Redis service'],
  [['redis', 'persistence'], 'how Redis keeps data: aof (append-only file), rdb (snapshots) or none (default: aof)'],
  [['redis', 'volume'], 'named volume for the Redis data (default: redis-data)'],
  [['database'], 'an optional database service'],
  [['database', 'image'], 'database image, pinned (default: per kind, such as postgres:17-bookworm)'],
  [['database', 'volume'], 'named volume for the database data; must differ from redis.volume (default: db-data)'],
  [['database', 'name'], 'database name (default: app)'],
  [['database', 'user'], 'database user (default: app)'],
  [['networks'], 'network names'],
  [['networks', 'frontend'], 'network the published app is on (default: frontend)'],
  [['networks', 'backend'], 'internal network of the app, Redis and the database; must differ from frontend (default: backend)'],
];

function propertyAt(schema: Json, path: readonly string[]): { [key: string]: Json } | undefined {
  let node: Json | undefined = schema;
  for (const key of path) {
    const props: Json | undefined = node && typeof node === 'object' && !Array.isArray(node) ? node['properties'] : undefined;
    node = props && typeof props === 'object' && !Array.isArray(props) ? props[key] : undefined;
  }
  return node && typeof node === 'object' && !Array.isArray(node) ? node : undefined;
}

/** Adds descriptions (the CLI option's, with its flag) to the properties that have none. */
function describe(schema: { [key: string]: Json }): void {
  const descriptions: Array<[readonly string[], string]> = [
    ...ANSWER_OPTIONS.map((o): [readonly string[], string] => [o.path, `${o.description}; flag --${o.flag}`]),
    ...FIELD_DESCRIPTIONS,
  ];
  for (const [path, description] of descriptions) {
    const node = propertyAt(schema, path);
    if (node && node['description'] === undefined) node['description'] = description;
  }
}

/**
 * The catalog's shorthand: an entry of `services` may be just the kind's name (the zod
 * schema turns "valkey" into { kind: "valkey" } before its union, a step toJSONSchema does
 * not see), so each item is one of the objects or one of the names.
 */
function catalogShorthand(schema: { [key: string]: Json }): void {
  const items = propertyAt(schema, ['services'])?.['items'];
  const oneOf = items && typeof items === 'object' && !Array.isArray(items) ? items['oneOf'] : undefined;
  if (!Array.isArray(oneOf)) throw new Error('export-schema: services.items.oneOf is missing: where does the catalog\'s union go now?');
  oneOf.push({ type: 'string', enum: [...CATALOG_KINDS], description: 'a service of the catalog by its name, with its defaults: the same as { "kind": NAME }' });
}

/** The schema file's text: deterministic, 2-space JSON with a trailing newline. */
export function exportSchema(): string {
  const generated = z.toJSONSchema(AnswersSpec, { io: 'input', target: 'draft-2020-12' }) as { [key: string]: Json };
  describe(generated);
  catalogShorthand(generated);
  const schema: { [key: string]: Json } = {
    ...generated,
    $id: SCHEMA_ID,
    title: 'generator-wpsn-docker answers',
    description:
      'Answers for generator-wpsn-docker (an --answers file, or the "answers" in .yo-rc.json). Every field is optional: ' +
      'missing ones get their defaults, and projectName defaults to the directory name. Image references must be pinned ' +
      '(a tag other than latest, or a digest); the generator checks that and the other cross-field rules itself.',
  };
  return `${JSON.stringify(ordered(schema), null, 2)}\n`;
}

function main(argv: readonly string[]): number {
  const fresh = exportSchema();
  const shown = relative(process.cwd(), SCHEMA_PATH) || SCHEMA_PATH;
  if (argv.includes('--check')) {
    let current: string | undefined;
    try {
      current = readFileSync(SCHEMA_PATH, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === fresh) {
      process.stdout.write(`${shown} is up to date\n`);
      return 0;
    }
    process.stderr.write(
      `${shown} is stale${current === undefined ? ' (missing)' : ''}: it differs from schema/stack.ts; run \`npm run schema\` and commit the result\n`,
    );
    return 1;
  }
  writeFileSync(SCHEMA_PATH, fresh);
  process.stdout.write(`wrote ${shown}\n`);
  return 0;
}

const invoked = process.argv[1];
if (invoked !== undefined && realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url))) {
  process.exitCode = main(process.argv.slice(2));
}
