// Conformance of the generated docker-compose.yml, for the default stack and its variants:
// (a) the Docker CLI's own Compose plugin accepts it (`docker compose config -q`);
// (b) it validates against the official Compose Specification JSON Schema, when
//     WPSN_COMPOSE_SCHEMA names a copy of it (CI: /work/shared/reference/compose-spec.json).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ensureBuilt, makeTempDir, removeTempDirs, runCli } from './helpers/cli.ts';

type Obj = Record<string, any>;

interface Variant {
  name: string;
  args: string[];
  /** What `docker compose config --format json` must show for this variant. */
  expectResolved: (config: Obj) => void;
  /** A user's app instead of the sample (which has no build step: a --build-script for it is refused). */
  files?: Record<string, string>;
}

const VARIANTS: Variant[] = [
  {
    name: 'default',
    args: [],
    expectResolved: (c) => {
      expect(Object.keys(c.services).sort()).toEqual(['app', 'redis']);
      expect(c.services.app.ports).toEqual([expect.objectContaining({ host_ip: '127.0.0.1', published: '3000', target: 3000 })]);
      expect(c.networks.backend.internal).toBe(true);
    },
  },
  {
    name: 'postgres',
    args: ['--database', 'postgres'],
    expectResolved: (c) => {
      expect(c.services.db.image).toBe('postgres:17-trixie');
      expect(c.services.db.ports).toBeUndefined();
      expect(Object.keys(c.secrets)).toContain('db_password');
    },
  },
  {
    name: 'mysql',
    args: ['--database', 'mysql'],
    expectResolved: (c) => {
      expect(c.services.db.image).toBe('mysql:8.4');
      expect(Object.keys(c.secrets)).toEqual(expect.arrayContaining(['db_password', 'db_root_password']));
    },
  },
  {
    name: 'mariadb',
    args: ['--database', 'mariadb'],
    expectResolved: (c) => {
      expect(c.services.db.image).toBe('mariadb:11.8');
      expect(c.services.db.healthcheck.test).toEqual(['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized']);
    },
  },
  {
    name: 'ko',
    args: ['--lang', 'ko'],
    expectResolved: (c) => {
      expect(c.name).toBe('demo');
    },
  },
  {
    name: 'bind 0.0.0.0',
    args: ['--bind', '0.0.0.0', '--host-port', '8080'],
    expectResolved: (c) => {
      expect(c.services.app.ports).toEqual([expect.objectContaining({ host_ip: '0.0.0.0', published: '8080', target: 3000 })]);
    },
  },
  {
    name: 'IPv6 ::1',
    args: ['--bind', '::1'],
    expectResolved: (c) => {
      expect(c.services.app.ports).toEqual([expect.objectContaining({ host_ip: '::1', published: '3000', target: 3000 })]);
    },
  },
  {
    name: 'pnpm',
    args: ['--package-manager', 'pnpm'],
    expectResolved: (c) => {
      const paths = (c.services.app.develop.watch as Obj[]).map((w) => w.path as string);
      expect(paths.some((p) => p.endsWith('pnpm-lock.yaml'))).toBe(true);
    },
  },
  {
    name: 'buildScript',
    args: ['--build-script', 'build', '--port', '8000', '--command', '["node","dist/main.js"]'],
    files: { 'package.json': JSON.stringify({ name: 'demo', scripts: { build: 'tsc', start: 'node dist/main.js' } }), 'package-lock.json': '{}' },
    expectResolved: (c) => {
      expect(c.services.app.build.target).toBe('runtime');
      expect(c.services.app.environment.PORT).toBe('8000');
    },
  },
];

const generated = new Map<string, string>();
/** Set when WPSN_SKIP_DOCKER=1 skipped the `docker compose config` checks. */
let composeSkipped = false;

beforeAll(() => {
  ensureBuilt();
  for (const variant of VARIANTS) {
    const parent = makeTempDir('wpsn-conformance-');
    for (const [file, text] of Object.entries(variant.files ?? {})) {
      mkdirSync(join(parent, 'demo'), { recursive: true });
      writeFileSync(join(parent, 'demo', file), text);
    }
    const result = runCli(parent, ['demo', '--yes', ...variant.args]);
    expect(result.code, result.describe).toBe(0);
    generated.set(variant.name, join(parent, 'demo'));
  }
});
afterAll(() => {
  removeTempDirs();
});

const dirOf = (variant: Variant): string => {
  const dir = generated.get(variant.name);
  if (!dir) throw new Error(`variant ${variant.name} was not generated`);
  return dir;
};

// ---------------------------------------------------------------------------------
// (a) docker compose config -q

function docker(args: string[], cwd: string) {
  return spawnSync('docker', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
    env: cleanEnv({ DOCKER_CLI_HINTS: 'false' }),
  });
}

function composeAvailability(): { ok: true; version: string } | { ok: false; why: string } {
  const result = docker(['compose', 'version'], process.cwd());
  if (result.error) return { ok: false, why: `docker could not be run (${result.error.message})` };
  if (result.status !== 0) return { ok: false, why: `\`docker compose version\` exited ${result.status}: ${(result.stderr || result.stdout).trim()}` };
  return { ok: true, version: result.stdout.trim() };
}

/**
 * Whether the Compose checks can run here. In CI they must; elsewhere too, unless
 * WPSN_SKIP_DOCKER=1 says to skip them (loudly).
 */
function composeOrSkip(): boolean {
  const available = composeAvailability();
  if (available.ok) return true;
  if (process.env['CI'] === 'true') {
    throw new Error(`docker compose is required in CI: run scripts/test-env.sh (${available.why})`);
  }
  if (process.env['WPSN_SKIP_DOCKER'] === '1') {
    console.warn(
      `\n!!! WPSN_SKIP_DOCKER=1: the \`docker compose config\` conformance checks did NOT run (${available.why}).\n` +
        '!!! Run scripts/test-env.sh to get the Docker CLI with its Compose plugin.\n',
    );
    return false;
  }
  throw new Error(
    `docker compose is required for the conformance checks: run scripts/test-env.sh, or set WPSN_SKIP_DOCKER=1 to skip them knowingly (${available.why})`,
  );
}

describe('docker compose config accepts the generated file', () => {
  let composeVersion = '';
  let run = false;
  beforeAll(() => {
    run = composeOrSkip();
    composeSkipped = !run;
    if (run) {
      const available = composeAvailability();
      composeVersion = available.ok ? available.version : '';
      console.info(`compose conformance reference: ${composeVersion} (docker compose config)`);
    }
  });

  it('rejects a broken file (the check is not vacuous)', () => {
    if (!run) return;
    const dir = makeTempDir('wpsn-conformance-neg-');
    writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  app:\n    image: "x:1"\n    not_a_compose_key: true\n');
    const result = docker(['compose', '-f', 'docker-compose.yml', 'config', '-q'], dir);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain('not_a_compose_key');
  });

  it.each(VARIANTS)('$name: config -q exits 0, and Compose reads what we meant', (variant) => {
    if (!run) return;
    const dir = dirOf(variant);
    const quiet = docker(['compose', '-f', 'docker-compose.yml', 'config', '-q'], dir);
    expect(quiet.status, `docker compose config -q in ${dir}:\n${quiet.stderr}${quiet.stdout}`).toBe(0);
    expect(quiet.stdout).toBe('');

    const full = docker(['compose', '-f', 'docker-compose.yml', 'config', '--format', 'json'], dir);
    expect(full.status, full.stderr).toBe(0);
    const config = JSON.parse(full.stdout) as Obj;
    const file = parseYaml(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')) as Obj;
    expect(config.name).toBe(file.name);
    // Every secret file Compose resolved exists (the generator made it).
    for (const [name, secret] of Object.entries(config.secrets as Obj)) {
      if (name === 'extra_ca') continue;
      expect(existsSync(secret.file as string), `secret ${name} -> ${secret.file}`).toBe(true);
    }
    // Redis and databases are never published.
    for (const [name, service] of Object.entries(config.services as Obj)) {
      if (name !== 'app') expect(service.ports, `${name} publishes no port`).toBeUndefined();
    }
    variant.expectResolved(config);
  });
});

// ---------------------------------------------------------------------------------
// (b) the Compose Specification JSON Schema

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `  ${e.instancePath || '(root)'}: ${e.message ?? e.keyword}${Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''} [${e.schemaPath}]`)
    .join('\n');
}

describe('the Compose Specification JSON Schema accepts the generated file', () => {
  const schemaPath = process.env['WPSN_COMPOSE_SCHEMA'];
  let validate: ValidateFunction | undefined;

  beforeAll(() => {
    if (!schemaPath) {
      if (composeSkipped) {
        console.warn('\n!!! WPSN_COMPOSE_SCHEMA is unset and docker compose was skipped: NO Compose conformance check ran.\n');
        return;
      }
      console.info(
        'compose conformance: WPSN_COMPOSE_SCHEMA is unset, so the JSON Schema check is covered by `docker compose config` ' +
          '(set it to a copy of compose-spec.json, such as /work/shared/reference/compose-spec.json, to run it too)',
      );
      return;
    }
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Obj;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    validate = ajv.compile(schema);
    console.info(`compose conformance reference: JSON Schema ${schemaPath} ($id ${String(schema['$id'])}, ${String(schema['$schema'])})`);
  });

  it('the schema is the Compose Specification and rejects a broken file (not vacuous)', () => {
    if (!validate) return;
    expect(validate({ services: { app: { image: 'x:1', not_a_compose_key: true } } })).toBe(false);
    expect(validate({ services: { app: { image: 'x:1', restart: ['always'] } } })).toBe(false);
    expect(
      validate({ services: { app: { image: 'x:1', depends_on: { redis: { condition: 'healthy' } } }, redis: { image: 'r:1' } } }),
    ).toBe(false);
    expect(validate({ services: { app: { image: 'x:1' } } }), formatErrors(validate.errors)).toBe(true);
  });

  it.each(VARIANTS)('$name: no schema errors', (variant) => {
    if (!validate) return;
    const file = parseYaml(readFileSync(join(dirOf(variant), 'docker-compose.yml'), 'utf8')) as unknown;
    const ok = validate(file);
    expect(ok, `docker-compose.yml of "${variant.name}" breaks the Compose schema:\n${formatErrors(validate.errors)}`).toBe(true);
  });
});
