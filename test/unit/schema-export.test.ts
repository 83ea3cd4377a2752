// schema/stack.schema.json: committed, fresh, and usable by an editor's validator.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// The named export: the default import of this CommonJS module has no construct signature under nodenext.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { resolveSpec } from '../../core/spec.ts';
import { StackSpecObject } from '../../schema/stack.ts';
import { CATALOG_KINDS } from '../../services/index.ts';
import { exportSchema, SCHEMA_ID, SCHEMA_PATH } from '../../scripts/export-schema.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const committed = readFileSync(join(ROOT, 'schema/stack.schema.json'), 'utf8');
const schema = JSON.parse(committed) as Record<string, unknown>;

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

describe('schema/stack.schema.json', () => {
  it('is the committed output of a fresh export', () => {
    expect(SCHEMA_PATH).toBe(join(ROOT, 'schema/stack.schema.json'));
    const fresh = exportSchema();
    // A plain boolean first, so the failure message says what to do rather than dumping a diff.
    expect(committed === fresh, 'schema/stack.schema.json is stale: run `npm run schema` and commit the result').toBe(true);
  });

  it('exports deterministically: 2-space JSON, a trailing newline, the same bytes twice', () => {
    const a = exportSchema();
    expect(exportSchema()).toBe(a);
    expect(a.endsWith('}\n')).toBe(true);
    expect(a).toBe(`${JSON.stringify(JSON.parse(a), null, 2)}\n`);
    expect(Object.keys(schema).slice(0, 4)).toEqual(['$schema', '$id', 'title', 'description']);
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['$id']).toBe(SCHEMA_ID);
  });

  it('describes the input shape: nothing is required, not even projectName', () => {
    expect(schema['required']).toBeUndefined();
    // Except inside a list item, which no other layer completes: an extra service needs
    // its name and image (and a volume its name and target), a catalog service its kind.
    // Everything else has a default or is optional.
    const required: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'required') required.push(`${path}: ${JSON.stringify(value)}`);
        else walk(value, path ? `${path}.${key}` : key);
      }
    };
    walk(schema, '');
    expect(required.sort()).toEqual(
      [
        ...CATALOG_KINDS.map((_, i) => `properties.services.items.oneOf.${i}: ["kind"]`),
        'properties.extraServices.items.properties.volume: ["name","target"]',
        'properties.extraServices.items: ["name","image"]',
      ].sort(),
    );
    const props = schema['properties'] as Record<string, Record<string, unknown>>;
    // Every top-level field of the spec, in the order schema/stack.ts declares them.
    expect(Object.keys(props)).toEqual(Object.keys(StackSpecObject.shape));
    expect(Object.keys(props).slice(0, 7)).toEqual(['$schema', 'projectName', 'lang', 'app', 'redis', 'database', 'networks']);
    expect(props['projectName']?.['pattern']).toBe('^[a-z0-9][a-z0-9_-]*$');
    expect(props['projectName']?.['description']).toContain('--project-name');
  });

  it('`--check` passes on the committed file', () => {
    const result = spawnSync(process.execPath, ['scripts/export-schema.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('validating answers files with the exported schema (ajv, draft 2020-12)', () => {
  const valid: Array<[string, unknown]> = [
    ['an empty file', {}],
    ['one key', { app: { hostPort: 8080 } }],
    ['a $schema reference', { $schema: './node_modules/generator-wpsn-docker/schema/stack.schema.json', lang: 'ko' }],
    [
      'every field',
      {
        projectName: 'shop',
        lang: 'en',
        app: {
          runtime: 'node',
          packageManager: 'pnpm',
          baseImage: 'node:24-bookworm-slim',
          port: 8080,
          hostPort: 8081,
          bind: '0.0.0.0',
          allowPrivilegedPort: false,
          command: ['node', 'dist/server.js'],
          healthPath: '/health',
          buildScript: 'build',
        },
        redis: { image: 'redis:7-bookworm', persistence: 'rdb', volume: 'cache' },
        database: { kind: 'postgres', image: 'postgres:17-bookworm', volume: 'pg', name: 'shop', user: 'shop' },
        networks: { frontend: 'edge', backend: 'internal' },
      },
    ],
    ['catalog services by name (the shorthand)', { services: ['valkey', 'nats'] }],
    ['catalog services by name and as objects', { services: ['rabbitmq', { kind: 'minio', ui: true }, 'mailpit'] }],
  ];
  it.each(valid)('accepts %s', (_label, answers) => {
    const ok = validate(answers);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  const invalid: Array<[string, unknown, string, string]> = [
    ['an unknown top-level key', { colour: 'blue' }, '', 'additionalProperties'],
    ['an unknown nested key', { app: { hostport: 8080 } }, '/app', 'additionalProperties'],
    ['a string port', { app: { hostPort: '8080' } }, '/app/hostPort', 'type'],
    ['a fractional port', { app: { port: 80.5 } }, '/app/port', 'type'],
    ['a port out of range', { app: { port: 70000 } }, '/app/port', 'maximum'],
    ['an unknown language', { lang: 'fr' }, '/lang', 'enum'],
    ['a bad project name', { projectName: 'My App' }, '/projectName', 'pattern'],
    ['a command that is a string', { app: { command: 'node server.js' } }, '/app/command', 'type'],
    ['an empty command', { app: { command: [] } }, '/app/command', 'minItems'],
    ['a boolean as a string', { app: { allowPrivilegedPort: 'yes' } }, '/app/allowPrivilegedPort', 'type'],
    ['an answers list', [], '', 'type'],
    ['a service name outside the catalog', { services: ['redis'] }, '/services/0', 'oneOf'],
    ['a catalog object without its kind', { services: [{ image: 'valkey/valkey:8.1-trixie' }] }, '/services/0', 'oneOf'],
  ];
  it.each(invalid)('rejects %s', (_label, answers, instancePath, keyword) => {
    expect(validate(answers)).toBe(false);
    expect(validate.errors?.map((e: ErrorObject) => [e.instancePath, e.keyword])).toContainEqual([instancePath, keyword]);
  });

  it('the catalog\'s "kind" shorthand: every name the zod schema takes alone, the schema takes too, and nothing else', () => {
    for (const kind of CATALOG_KINDS) {
      expect(validate({ services: [kind] }), kind).toBe(true);
      expect(resolveSpec([{ source: 'answers.json', values: { services: [kind] } }], { dirName: 'demo' }).services, kind).toEqual([expect.objectContaining({ kind })]);
    }
    expect(validate({ services: [...CATALOG_KINDS] })).toBe(true);
    for (const name of ['redis', 'postgres', 'Valkey', '']) {
      expect(validate({ services: [name] }), name).toBe(false);
      expect(() => resolveSpec([{ source: 'answers.json', values: { services: [name] } }], { dirName: 'demo' }), name).toThrow();
    }
  });

  it('accepts what the generator accepts for the same fields (no stricter than the zod schema)', () => {
    // Everything the schema calls valid above also resolves.
    for (const [, answers] of valid) {
      expect(() => resolveSpec([{ source: 'answers.json', values: answers as Record<string, unknown> }], { dirName: 'demo' })).not.toThrow();
    }
  });
});
