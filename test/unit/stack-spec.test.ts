// The StackSpec through resolveSpec: what every field accepts and rejects, the
// cross-field rules, defaults, project names from directories, and image references.
// Every rejection is checked for the problem it reports: field (key path), source
// (flag or file), value and rule.
import { describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../core/errors.ts';
import { flagsLayer, resolveSpec, type Layer } from '../../core/spec.ts';
import { parseImageReference, pinProblem } from '../../schema/image-ref.ts';
import { RESERVED_NETWORK_NAMES } from '../../schema/names.ts';
import { DEFAULT_REDIS_APP_PERMISSIONS, StackSpecObject, type StackSpec } from '../../schema/stack.ts';

const FILE = '--answers answers.yaml';
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const file = (values: Record<string, unknown>, source = FILE): Layer => ({ source, values });

/** Builds `{ a: { b: value } }` from 'a.b'. */
function nested(path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  let out: unknown = value;
  for (const key of keys.reverse()) out = { [key]: out };
  return out as Record<string, unknown>;
}

function at(spec: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((cur, key) => (cur as Record<string, unknown> | undefined)?.[key], spec);
}

function resolve(layers: Layer[], dirName = 'demo'): StackSpec {
  return resolveSpec(layers, { dirName });
}

/** The problems of the InputError resolveSpec throws; fails when it does not throw one. */
function problemsOf(layers: Layer[], dirName = 'demo'): Problem[] {
  try {
    resolve(layers, dirName);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error(`expected an InputError for ${JSON.stringify(layers.map((l) => l.values))}`);
}

function expectProblem(problems: Problem[], expected: { field: string; source?: string; value?: unknown; rule: RegExp }): void {
  const match = problems.find((p) => p.field === expected.field);
  expect(match, `no problem for ${expected.field} in ${JSON.stringify(problems)}`).toBeDefined();
  expect(match!.rule).toMatch(expected.rule);
  if ('value' in expected) {
    expect(match).toHaveProperty('value');
    expect(match!.value).toEqual(expected.value);
  }
  if (expected.source !== undefined) expect(match!.source).toBe(expected.source);
}

const DEFAULT_SPEC = {
  projectName: 'demo',
  lang: 'en',
  app: {
    runtime: 'node',
    packageManager: 'npm',
    baseImage: 'node:24-bookworm-slim',
    port: 3000,
    hostPort: 3000,
    bind: '127.0.0.1',
    allowPrivilegedPort: false,
    command: ['node', 'server.js'],
    healthPath: '/healthz',
    healthCheck: 'http',
    dir: '.',
    environment: {},
    writableDirs: [],
  },
  redis: { image: 'redis:7-bookworm', appPermissions: DEFAULT_REDIS_APP_PERMISSIONS, persistence: 'aof', volume: 'redis-data' },
  database: { kind: 'none', volume: 'db-data', name: 'app', user: 'app' },
  networks: { frontend: 'frontend', backend: 'backend' },
} satisfies Partial<StackSpec>;

/**
 * The full default spec: DEFAULT_SPEC for the fields this file covers, and for sections
 * other modules add to the spec (such as registries), whatever they default to. Every
 * top-level key of the spec must be there, and nothing else.
 */
function expectDefaultSpec(spec: StackSpec): void {
  const keys = Object.keys(StackSpecObject.shape).filter((k) => k !== '$schema');
  expect(Object.keys(spec).sort()).toEqual([...keys].sort());
  const other = keys.filter((k) => !(k in DEFAULT_SPEC));
  expect(spec).toEqual({ ...DEFAULT_SPEC, ...Object.fromEntries(other.map((k) => [k, (spec as Record<string, unknown>)[k]])) });
}

describe('defaults', () => {
  it('fills the full default spec for {} in a directory named demo', () => {
    expectDefaultSpec(resolve([file({})]));
  });

  it('fills the same defaults with no layers at all, and leaves no buildScript or database image', () => {
    const spec = resolve([]);
    expectDefaultSpec(spec);
    expect(spec).toEqual(resolve([file({})]));
    expect('buildScript' in spec.app).toBe(false);
    expect('image' in spec.database).toBe(false);
  });

  it('drops $schema (an editor hint) from the result', () => {
    const spec = resolve([file({ $schema: './stack.schema.json' })]);
    expectDefaultSpec(spec);
    expect('$schema' in spec).toBe(false);
  });

  it('fills only what is missing inside a partly given object', () => {
    const spec = resolve([file({ app: { hostPort: 8080 }, redis: { persistence: 'none' } })]);
    expect(spec.app).toEqual({ ...DEFAULT_SPEC.app, hostPort: 8080 });
    expect(spec.redis).toEqual({ ...DEFAULT_SPEC.redis, persistence: 'none' });
  });

  it('uses the detected package manager unless one is given', () => {
    expect(resolveSpec([], { dirName: 'demo', detectedPackageManager: 'pnpm' }).app.packageManager).toBe('pnpm');
    expect(resolveSpec([file({ app: { packageManager: 'yarn' } })], { dirName: 'demo', detectedPackageManager: 'pnpm' }).app.packageManager).toBe('yarn');
  });

  it('lets later layers win, key by key', () => {
    const spec = resolve([
      file({ lang: 'ko', app: { port: 4000, hostPort: 4000 } }, '.yo-rc.json'),
      file({ app: { hostPort: 8080 } }),
      flagsLayer({ port: '5000' }),
    ]);
    expect(spec.lang).toBe('ko');
    expect(spec.app.port).toBe(5000);
    expect(spec.app.hostPort).toBe(8080);
  });
});

// [field, accepted values (each resolved and read back)]
const ACCEPT: Array<[string, unknown[]]> = [
  ['projectName', ['demo', 'my-app', 'a', '0', 'a_b-c', 'x'.repeat(63)]],
  ['lang', ['en', 'ko']],
  ['app.runtime', ['node']],
  ['app.packageManager', ['npm', 'pnpm', 'yarn']],
  ['app.baseImage', ['node:24-bookworm-slim', 'node:22.11.0-alpine3.20', `ghcr.io/o/node@${DIGEST}`, 'localhost:5000/base/node:24']],
  ['app.port', [1, 80, 3000, 65535]],
  ['app.hostPort', [1024, 3000, 8080, 65535]],
  ['app.bind', ['127.0.0.1', '0.0.0.0', '192.168.1.10', '::1', '::', 'fe80::1']],
  ['app.allowPrivilegedPort', [true, false]],
  ['app.command', [['node', 'server.js'], ['npm', 'start'], ['node', '--enable-source-maps', 'dist/main.js', 'a b']]],
  ['app.healthPath', ['/', '/healthz', '/api/v1/health', '/.well-known/health', '/a-b_c.d~e%20%24%27%3B']],
  ['app.buildScript', ['build', 'build:prod', 'b.1_x-y', 'x'.repeat(100)]],
  ['redis.image', ['redis:7-bookworm', 'redis:7.4.1-alpine', `redis@${DIGEST}`, `docker.io/library/redis:7@${DIGEST}`]],
  ['redis.persistence', ['aof', 'rdb', 'none']],
  ['redis.appPermissions', [DEFAULT_REDIS_APP_PERMISSIONS, '~app:* &* +@all -@dangerous', '~* +get +set +client|setinfo', '%R~cache:* resetchannels +@read']],
  ['redis.volume', ['cache', 'redis_data', 'r1', 'x'.repeat(63)]],
  ['database.kind', ['none', 'postgres', 'mysql', 'mariadb']],
  ['database.image', ['postgres:17-bookworm', 'mysql:8.4', `mariadb@${DIGEST}`]],
  ['database.volume', ['pg', 'db_data', 'data-1']],
  ['database.name', ['app', 'shop_1', '_private', 'x'.repeat(63)]],
  ['database.user', ['app', 'shop_user', '_u', 'x'.repeat(63)]],
  ['networks.frontend', ['edge', 'public-net', 'f_1']],
  ['networks.backend', ['internal', 'private-net', 'b_1']],
];

describe.each(ACCEPT)('%s accepts', (field, values) => {
  it.each(values.map((v) => [JSON.stringify(v).slice(0, 60), v]))('%s', (_label, value) => {
    const spec = resolve([file(nested(field, value))]);
    expect(at(spec, field)).toEqual(value);
  });
});

// [field, rejected value, what the rule says]
const REJECT: Array<[string, unknown, RegExp]> = [
  ['projectName', 'My App', /must match \^\[a-z0-9\]/],
  ['projectName', '-x', /must match/],
  ['projectName', '', /must not be empty/],
  ['projectName', 'x'.repeat(64), /at most 63 characters/],
  ['projectName', 42, /must be a string/],
  ['lang', 'fr', /one of en, ko/],
  ['lang', 'EN', /one of en, ko/],
  ['lang', 1, /one of en, ko/],
  ['app.runtime', 'deno', /must be "node"/],
  ['app.packageManager', 'bun', /one of npm, pnpm, yarn/],
  ['app.packageManager', 'NPM', /one of npm, pnpm, yarn/],
  ['app.baseImage', 'node', /no tag: pin it/],
  ['app.baseImage', 'node:latest', /"latest": pin it/],
  ['app.baseImage', 'Node:24', /not a valid image reference: it has uppercase letters/],
  ['app.baseImage', 24, /must be a string/],
  ['app.port', 0, /from 1 to 65535/],
  ['app.port', 65536, /from 1 to 65535/],
  ['app.port', 3000.5, /whole number/],
  ['app.port', '3000', /whole number/],
  ['app.port', -1, /from 1 to 65535/],
  ['app.hostPort', 0, /from 1 to 65535/],
  ['app.hostPort', 70000, /from 1 to 65535/],
  ['app.hostPort', '8080', /whole number/],
  ['app.hostPort', 80, /privileged/],
  ['app.bind', 'localhost', /IPv4 or IPv6 address/],
  ['app.bind', '256.0.0.1', /IPv4 or IPv6 address/],
  ['app.bind', '[::1]', /IPv4 or IPv6 address/],
  ['app.bind', '', /IPv4 or IPv6 address/],
  ['app.bind', 127001, /must be a string/],
  ['app.allowPrivilegedPort', 'yes', /true or false/],
  ['app.allowPrivilegedPort', 1, /true or false/],
  ['app.command', [], /at least one argument/],
  ['app.command', 'node server.js', /list of arguments/],
  ['app.healthPath', 'healthz', /starting with "\/"/],
  ['app.healthPath', '/a b', /percent-encode anything else/],
  ['app.healthPath', '/a?x=1', /percent-encode anything else/],
  ['app.healthPath', '/#top', /percent-encode anything else/],
  ['app.healthPath', `/${'x'.repeat(200)}`, /at most 200 characters/],
  // Characters that mean something to a shell, JavaScript or Compose: the lesson's curl
  // block once ran "/healthz;./pwn" as two commands.
  ['app.healthPath', "/it's", /percent-encode anything else/],
  ['app.healthPath', '/$x', /percent-encode/],
  ['app.healthPath', '/healthz;./pwn', /percent-encode anything else/],
  ['app.healthPath', '/a`id`', /percent-encode anything else/],
  ['app.healthPath', '/a&b', /percent-encode anything else/],
  ['app.healthPath', '/(x)', /percent-encode anything else/],
  ['app.healthPath', '/%zz', /percent-encode anything else/],
  ['app.buildScript', '-x', /npm script name/],
  // A password rule would give the app's user a second, known password; on/off would lock it out or reopen it.
  ['redis.appPermissions', '~* +@all >hunter2', /no passwords or on\/off/],
  ['redis.appPermissions', '~* +@all nopass', /no passwords or on\/off/],
  ['redis.appPermissions', 'off', /no passwords or on\/off/],
  ['redis.appPermissions', '', /no passwords or on\/off/],
  ['app.buildScript', 'build prod', /npm script name/],
  ['app.buildScript', 'none x', /npm script name/],
  ['app.buildScript', 'x'.repeat(101), /at most 100 characters/],
  ['redis.image', 'redis', /no tag: pin it/],
  ['redis.image', 'redis:latest', /"latest"/],
  ['redis.image', 'REDIS:7', /uppercase/],
  ['redis.persistence', 'always', /one of aof, rdb, none/],
  ['redis.persistence', true, /one of aof, rdb, none/],
  ['redis.volume', 'Redis', /the volume name must use lowercase/],
  ['redis.volume', '-x', /the volume name must use/],
  ['redis.volume', 'a.b', /the volume name must use/],
  ['redis.volume', 'x'.repeat(64), /the volume name must be at most 63/],
  ['database.kind', 'oracle', /one of none, postgres, mysql, mariadb/],
  ['database.kind', 'Postgres', /one of none, postgres, mysql, mariadb/],
  ['database.image', 'postgres', /no tag: pin it/],
  ['database.image', 'postgres:latest', /"latest"/],
  ['database.image', 'postgres:17 ', /white space/],
  ['database.volume', 'PG', /the volume name must use/],
  ['database.volume', '_data', /the volume name must use/],
  ['database.name', 'App', /lowercase SQL identifier/],
  ['database.name', '1db', /lowercase SQL identifier/],
  ['database.name', 'a-b', /lowercase SQL identifier/],
  ['database.name', 'x'.repeat(64), /at most 63 characters/],
  ['database.user', 'Bob', /lowercase SQL identifier/],
  ['database.user', 'a b', /lowercase SQL identifier/],
  ['database.user', 7, /must be a string/],
  ['networks.frontend', 'Edge', /the network name must use/],
  ['networks.frontend', 'host', /reserved names/],
  ['networks.frontend', 'x'.repeat(64), /at most 63 characters/],
  ['networks.backend', 'bridge', /reserved names/],
  ['networks.backend', 'a.b', /the network name must use/],
];

describe('every field rejects bad values, naming field, file, value and rule', () => {
  it.each(REJECT.map(([f, v, r]) => [f, JSON.stringify(v).slice(0, 40), v, r] as const))('%s = %s', (field, _label, value, rule) => {
    const problems = problemsOf([file(nested(field, value))]);
    expectProblem(problems, { field, source: FILE, value, rule });
  });

  it('covers every spec field in both tables', () => {
    const fields = [
      'projectName', 'lang', 'app.runtime', 'app.packageManager', 'app.baseImage', 'app.port', 'app.hostPort', 'app.bind',
      'app.allowPrivilegedPort', 'app.command', 'app.healthPath', 'app.buildScript', 'redis.image', 'redis.appPermissions', 'redis.persistence',
      'redis.volume', 'database.kind', 'database.image', 'database.volume', 'database.name', 'database.user',
      'networks.frontend', 'networks.backend',
    ];
    expect(new Set(ACCEPT.map(([f]) => f))).toEqual(new Set(fields));
    expect(new Set(REJECT.map(([f]) => f))).toEqual(new Set(fields));
  });

  it('names the element of the command that is wrong', () => {
    expectProblem(problemsOf([file({ app: { command: ['node', ''] } })]), { field: 'app.command.1', source: FILE, value: '', rule: /must not be empty/ });
    expectProblem(problemsOf([file({ app: { command: ['node', 'a\nb'] } })]), { field: 'app.command.1', value: 'a\nb', rule: /newlines/ });
    expectProblem(problemsOf([file({ app: { command: ['node', 3] } })]), { field: 'app.command.1', value: 3, rule: /must be a string/ });
    expectProblem(problemsOf([file({ app: { command: ['x'] } }), flagsLayer({ command: '["node", ""]' })]), {
      field: 'app.command.1',
      source: '--command',
      value: '',
      rule: /must not be empty/,
    });
  });

  it('reports unknown keys with their path and file', () => {
    const problems = problemsOf([file({ colour: 'blue', app: { hostport: 8080 } })]);
    expectProblem(problems, { field: 'colour', source: FILE, value: 'blue', rule: /unknown key/ });
    expectProblem(problems, { field: 'app.hostport', source: FILE, value: 8080, rule: /unknown key/ });
  });

  it('rejects a section that is not an object', () => {
    expectProblem(problemsOf([file({ app: 'node' })]), { field: 'app', source: FILE, value: 'node', rule: /expected object/ });
    expect(() => resolve([{ source: FILE, values: [] as unknown as Record<string, unknown> }])).toThrow(InputError);
  });
});

// [flag, raw flag text, field, the value zod sees (after coercion), rule]
const FLAG_REJECT: Array<[string, string, string, unknown, RegExp]> = [
  ['host-port', '70000', 'app.hostPort', 70000, /from 1 to 65535/],
  ['host-port', 'abc', 'app.hostPort', 'abc', /whole number/],
  ['host-port', '80', 'app.hostPort', 80, /privileged.*--allow-privileged-port/],
  ['port', '0', 'app.port', 0, /from 1 to 65535/],
  ['project-name', 'My App', 'projectName', 'My App', /must match/],
  ['package-manager', 'bun', 'app.packageManager', 'bun', /one of npm, pnpm, yarn/],
  ['base-image', 'node', 'app.baseImage', 'node', /no tag: pin it/],
  ['bind', 'localhost', 'app.bind', 'localhost', /IPv4 or IPv6/],
  ['allow-privileged-port', 'yes', 'app.allowPrivilegedPort', 'yes', /true or false/],
  ['command', '[]', 'app.command', [], /at least one argument/],
  ['health-path', 'healthz', 'app.healthPath', 'healthz', /starting with "\/"/],
  ['build-script', '-x', 'app.buildScript', '-x', /npm script name/],
  ['redis-image', 'redis:latest', 'redis.image', 'redis:latest', /"latest"/],
  ['database', 'oracle', 'database.kind', 'oracle', /one of none, postgres/],
  ['lang', 'fr', 'lang', 'fr', /one of en, ko/],
];

describe('values from flags name the flag as their source', () => {
  it.each(FLAG_REJECT)('--%s %s', (flag, raw, field, value, rule) => {
    const problems = problemsOf([file({ lang: 'ko' }), flagsLayer({ [flag]: raw })]);
    expectProblem(problems, { field, source: `--${flag}`, value, rule });
  });

  it('names the file when a flag did not set the bad value, even with flags present', () => {
    const problems = problemsOf([file({ app: { hostPort: 70000 } }, '.yo-rc.json'), file({ lang: 'ko' }), flagsLayer({ port: '8080' })]);
    expectProblem(problems, { field: 'app.hostPort', source: '.yo-rc.json', value: 70000, rule: /from 1 to 65535/ });
  });

  it('lets a flag fix a bad stored value', () => {
    expect(resolve([file({ app: { hostPort: 80 } }, '.yo-rc.json'), flagsLayer({ 'host-port': '8080' })]).app.hostPort).toBe(8080);
  });
});

describe('cross-field rules', () => {
  it('rejects a privileged host port without the opt-in, from a file and from a flag', () => {
    for (const port of [1, 80, 443, 1023]) {
      expectProblem(problemsOf([file({ app: { hostPort: port } })]), {
        field: 'app.hostPort',
        source: FILE,
        value: port,
        rule: /below 1024 are privileged.*allowPrivilegedPort/,
      });
    }
    expectProblem(problemsOf([flagsLayer({ 'host-port': '443' })]), { field: 'app.hostPort', source: '--host-port', value: 443, rule: /privileged/ });
  });

  it('accepts a privileged host port with the opt-in, and 1024 without it', () => {
    expect(resolve([file({ app: { hostPort: 80, allowPrivilegedPort: true } })]).app.hostPort).toBe(80);
    expect(resolve([flagsLayer({ 'host-port': '443', 'allow-privileged-port': '' })]).app).toMatchObject({ hostPort: 443, allowPrivilegedPort: true });
    expect(resolve([file({ app: { hostPort: 1024 } })]).app.hostPort).toBe(1024);
    // The container port is not published on the host: it may be below 1024.
    expect(resolve([file({ app: { port: 80 } })]).app.port).toBe(80);
  });

  it('rejects the same name for the frontend and backend networks', () => {
    expectProblem(problemsOf([file({ networks: { frontend: 'net', backend: 'net' } })]), {
      field: 'networks.backend',
      source: FILE,
      value: 'net',
      rule: /backend network must differ from the frontend/,
    });
    // Against a default: frontend renamed to the default backend name.
    expectProblem(problemsOf([file({ networks: { frontend: 'backend' } })]), { field: 'networks.backend', value: 'backend', rule: /must differ/ });
  });

  it('rejects a database volume equal to the Redis volume, only when there is a database', () => {
    for (const kind of ['postgres', 'mysql', 'mariadb']) {
      expectProblem(problemsOf([file({ database: { kind, volume: 'redis-data' } })]), {
        field: 'database.volume',
        source: FILE,
        value: 'redis-data',
        rule: /database volume must differ from the Redis volume/,
      });
    }
    expectProblem(problemsOf([file({ redis: { volume: 'data' }, database: { kind: 'postgres', volume: 'data' } })]), {
      field: 'database.volume',
      value: 'data',
      rule: /must differ/,
    });
    expect(resolve([file({ database: { volume: 'redis-data' } })]).database.kind).toBe('none');
  });

  it.each(RESERVED_NETWORK_NAMES.flatMap((name) => [['frontend', name] as const, ['backend', name] as const]))(
    'rejects the reserved network name networks.%s = %s',
    (which, name) => {
      expectProblem(problemsOf([file({ networks: { [which]: name } })]), {
        field: `networks.${which}`,
        source: FILE,
        value: name,
        rule: /reserved names default, host, none, bridge, ingress/,
      });
    },
  );
});

describe('several bad fields at once', () => {
  it('reports all of them in one error, cross-field rules included', () => {
    let error: unknown;
    try {
      resolve([
        file(
          {
            lang: 'fr',
            colour: 'blue',
            app: { port: 0, hostPort: 80, bind: 'localhost' },
            redis: { image: 'redis:latest' },
            database: { kind: 'postgres', volume: 'redis-data', user: 'Bob' },
            networks: { frontend: 'net', backend: 'net' },
          },
          '.yo-rc.json',
        ),
        flagsLayer({ 'health-path': 'healthz' }),
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    const expected: Array<[string, string, unknown]> = [
      ['lang', '.yo-rc.json', 'fr'],
      ['colour', '.yo-rc.json', 'blue'],
      ['app.port', '.yo-rc.json', 0],
      ['app.hostPort', '.yo-rc.json', 80],
      ['app.bind', '.yo-rc.json', 'localhost'],
      ['app.healthPath', '--health-path', 'healthz'],
      ['redis.image', '.yo-rc.json', 'redis:latest'],
      ['database.volume', '.yo-rc.json', 'redis-data'],
      ['database.user', '.yo-rc.json', 'Bob'],
      ['networks.backend', '.yo-rc.json', 'net'],
    ];
    expect(problems.map((p) => [p.field, p.source, p.value]).sort()).toEqual(expected.sort());
    const message = (error as InputError).message;
    expect(message).toContain(`invalid input (${expected.length} problems); nothing was written`);
    for (const [field, source] of expected) expect(message).toContain(`  - ${field} (${source})`);
  });

  it('still checks a cross-field rule when an unrelated field has the wrong type', () => {
    const problems = problemsOf([file({ app: { port: 'x', hostPort: 80 }, lang: 3, networks: { frontend: 'n', backend: 'n' } })]);
    expect(problems.map((p) => p.field).sort()).toEqual(['app.hostPort', 'app.port', 'lang', 'networks.backend']);
  });

  it('does not apply a cross-field rule to a field that is itself invalid', () => {
    const problems = problemsOf([file({ app: { hostPort: 'eighty' } })]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.rule).toMatch(/whole number/);
  });
});

describe('project name from the directory name', () => {
  const cases: Array<[string, string]> = [
    ['demo', 'demo'],
    ['My App', 'my-app'],
    ['---x', 'x'],
    ['Shop.API v2', 'shop-api-v2'],
    ['__init__', 'init'],
    ['데모-app', 'app'],
    ['app 데모', 'app'],
    ['a'.repeat(100), 'a'.repeat(63)],
    // Cut at 63, then the trailing separator goes.
    [`${'x'.repeat(62)}-${'y'.repeat(37)}`, 'x'.repeat(62)],
  ];
  it.each(cases)('%j -> %j', (dirName, expected) => {
    const spec = resolve([], dirName);
    expect(spec.projectName).toBe(expected);
    expect(spec.projectName.length).toBeLessThanOrEqual(63);
  });

  it.each(['데모', '...', '한국어 프로젝트'])('%j gives one error naming projectName and suggesting --project-name', (dirName) => {
    const problems = problemsOf([], dirName);
    expect(problems).toHaveLength(1);
    expectProblem(problems, { field: 'projectName', source: 'directory name', value: dirName, rule: /--project-name/ });
  });

  it('reports an underivable name together with the other problems', () => {
    const problems = problemsOf([file({ lang: 'fr' })], '데모');
    expect(problems.map((p) => p.field).sort()).toEqual(['lang', 'projectName']);
  });

  it('is not needed when the project name is given', () => {
    expect(resolve([flagsLayer({ 'project-name': 'demo' })], '데모').projectName).toBe('demo');
    expect(resolve([file({ projectName: 'given' })], 'My App').projectName).toBe('given');
  });
});

describe('image references (schema/image-ref.ts)', () => {
  const valid: Array<[string, { domain?: string; path: string; tag?: string; digest?: string }]> = [
    ['node:24-bookworm-slim', { path: 'node', tag: '24-bookworm-slim' }],
    ['docker.io/library/node:24', { domain: 'docker.io', path: 'library/node', tag: '24' }],
    ['library/node:24', { path: 'library/node', tag: '24' }],
    ['localhost:5000/a/b:1.0', { domain: 'localhost:5000', path: 'a/b', tag: '1.0' }],
    ['localhost/a:1', { domain: 'localhost', path: 'a', tag: '1' }],
    [`ghcr.io/o/r@${DIGEST}`, { domain: 'ghcr.io', path: 'o/r', digest: DIGEST }],
    [`node:24@${DIGEST}`, { path: 'node', tag: '24', digest: DIGEST }],
    ['registry.example.com:5000/team/app:v1.2.3', { domain: 'registry.example.com:5000', path: 'team/app', tag: 'v1.2.3' }],
    ['[::1]:5000/x:1', { domain: '[::1]:5000', path: 'x', tag: '1' }],
    ['[2001:db8::1]/x:1', { domain: '[2001:db8::1]', path: 'x', tag: '1' }],
    ['my-registry.local:443/a__b/c.d/e-f:x_y', { domain: 'my-registry.local:443', path: 'a__b/c.d/e-f', tag: 'x_y' }],
    [`node:${'t'.repeat(128)}`, { path: 'node', tag: 't'.repeat(128) }],
  ];
  it.each(valid)('accepts %s', (input, parts) => {
    const parsed = parseImageReference(input);
    expect(parsed).toEqual({ ok: true, ref: parts });
    if (parsed.ok) expect(pinProblem(parsed.ref)).toBeUndefined();
    expect(resolve([file({ app: { baseImage: input } })]).app.baseImage).toBe(input);
  });

  // [input, the reason the parser gives (undefined: it parses but is not pinned), the rule the spec reports]
  const invalid: Array<[string, RegExp | undefined, RegExp]> = [
    ['Node:24', /uppercase letters in the repository "Node"/, /not a valid image reference: it has uppercase/],
    ['node', undefined, /has no tag: pin it to a version/],
    ['docker.io/library/node', undefined, /has no tag: pin it/],
    ['node:latest', undefined, /moving tag "latest": pin it/],
    ['node:24 ', /white space/, /contains white space/],
    [' node:24', /white space/, /contains white space/],
    ['node@sha256:short', /invalid digest "sha256:short"/, /invalid digest/],
    [`node@sha256:${'A'.repeat(64)}`, /invalid sha256 digest.*lowercase/, /invalid sha256 digest/],
    [`node@sha256:${'a'.repeat(63)}`, /invalid sha256 digest/, /invalid sha256 digest/],
    [`node:${'t'.repeat(129)}`, /invalid tag/, /invalid tag/],
    ['node:-1', /invalid tag "-1"/, /invalid tag/],
    ['-node:1', /invalid repository "-node"/, /invalid repository/],
    ['a//b:1', /invalid repository "a\/\/b"/, /invalid repository/],
    ['node/:1', /invalid repository/, /invalid repository/],
    ['', /is empty/, /is empty/],
    [':1', /no repository name/, /no repository name/],
    ['exa_mple.com/x:1', /invalid registry host "exa_mple.com"/, /invalid registry host/],
    ['registry.example.com:port/x:1', /invalid/, /not a valid image reference/],
    [`${'a'.repeat(256)}:1`, /longer than 255/, /longer than 255/],
  ];
  it.each(invalid)('rejects %j', (input, reason, rule) => {
    const parsed = parseImageReference(input);
    if (reason) {
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(reason);
    } else {
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(pinProblem(parsed.ref)).toMatch(/pin it to a version/);
    }
    for (const field of ['app.baseImage', 'redis.image', 'database.image']) {
      expectProblem(problemsOf([file(nested(field, input))]), { field, source: FILE, value: input, rule });
    }
  });
});
