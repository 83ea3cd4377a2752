// Every valid spec gives valid, safe output: property-based tests (fast-check) over the
// whole StackSpec, registries and deploy targets included. Each generated spec is rendered
// in-process through the pure core (resolveSpec -> deriveModel -> renderAppFiles), and:
// - docker-compose.yml passes the official Compose Specification JSON Schema (from
//   WPSN_COMPOSE_SCHEMA; without it, `docker compose config -q` on a sample), and uses `$`
//   only escaped or for the one interpolation it means;
// - every YAML file reads the same under YAML 1.1 and 1.2 (keys and values), and every
//   JSON file parses;
// - the Dockerfile parses (dockerfile-ast) and keeps its rules: FROM pinned, non-root final
//   USER, exec-form CMD/ENTRYPOINT/HEALTHCHECK, no remote ADD, no secret in ENV or ARG;
// - every script passes `bash -n`, and every distinct script shape passes shellcheck (one
//   batched call; scripts differing only in the spec's values share a shape);
// - the sample app parses as a JavaScript module;
// - no generated password (or its ACL hash) is in any file;
// - rendering is deterministic: twice in-process, after shuffling the answers' key order,
//   and in a child process with another locale and time zone (a sample, by content hash).
// Runs: WPSN_FUZZ_RUNS (default 200); seed: WPSN_FUZZ_SEED (default: random, printed).
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { DockerfileParser } from 'dockerfile-ast';
import fc from 'fast-check';
import { parse as parseYaml, parseAllDocuments, type Tags } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { renderAppFiles, type RenderedFile } from '../../core/render/files.ts';
import { planSecrets } from '../../core/secrets.ts';
import { resolveSpec } from '../../core/spec.ts';
import { isProjectPath } from '../../core/state.ts';
import { LANGUAGES, PACKAGE_MANAGERS, REDIS_PERSISTENCE } from '../../schema/defaults.ts';
import { CATALOG_KINDS, DATABASE_KINDS } from '../../services/index.ts';
import {
  ACA_CPUS,
  ACA_REDIS_STORAGE,
  DEPLOY_RULES,
  DEPLOY_TARGETS,
  DeploySpec,
  ECS_REDIS_MODES,
  FARGATE_SIZES,
  KUBERNETES_FLAVOURS,
} from '../../schema/deploy.ts';
import { parseImageReference, pinProblem } from '../../schema/image-ref.ts';
import { DNS_LABEL_MAX, RESERVED_NETWORK_NAMES } from '../../schema/names.ts';
import { follows, RegistriesSpec, REGISTRY_TARGETS, RULES, type Rule } from '../../schema/registry.ts';
import { AppSpec, COMPOSE_FILES, DatabaseSpec, HEALTH_CHECKS, NetworksSpec, RedisSpec, RESERVED_SERVICE_NAMES, StackSpec, StackSpecObject } from '../../schema/stack.ts';
import { ensureBuilt, REPO_ROOT } from './helpers/cli.ts';

type Obj = Record<string, any>;

const RUNS = Number(process.env['WPSN_FUZZ_RUNS'] ?? '') || 200;
const SEED = Number(process.env['WPSN_FUZZ_SEED'] ?? '') || randomBytes(4).readInt32LE(0);
/** Put in the message of every check over the generated specs, so a failure in CI says how to replay it. */
const REPLAY = `seed ${SEED}, replay with WPSN_FUZZ_SEED=${SEED}`;
/** Specs whose output is also rendered in a child process with another locale and time zone. */
const LOCALE_SAMPLE = 12;

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

// ---------------------------------------------------------------------------------
// Arbitraries: valid values only, built from the schemas' own rules.

/** A string following a POSIX-ERE rule of schema/registry.ts or schema/deploy.ts, within its length bounds. */
const ruled = (rule: Rule): fc.Arbitrary<string> =>
  fc.stringMatching(new RegExp(`^(?:${rule.pattern.replaceAll('[:space:]', '\\s')})$`)).filter((v) => follows(rule, v));

const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 2 });

/** Values YAML 1.1 or 1.2 readers take for something else (booleans, numbers, dates, nulls). */
const TRICKY_NAMES = ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'false', 'null', '0777', '012', '1_000', '0x1f', '0o17', '0b101', '1e3', '1e-3', '2001-12-14', '22', '1', 'inf', 'nan', '_', '0', 'x', 'a-b_c', 'do', 'done', 'fi', 'esac', 'in'];

/** Compose project, service, volume and network names: [a-z0-9][a-z0-9_-]*, at most 63 characters. */
const resourceName: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY_NAMES) },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{40,62}$/) },
).filter((n) => n.length <= DNS_LABEL_MAX);

const networkName = resourceName.filter((n) => !(RESERVED_NETWORK_NAMES as readonly string[]).includes(n));

const port = fc.oneof(fc.constantFrom(1, 22, 80, 443, 1024, 3000, 6379, 8080, 65535), fc.integer({ min: 1, max: 65535 }));

const pathComponent = fc.stringMatching(/^[a-z0-9]{1,8}(?:(?:[._]|__|-{1,2})[a-z0-9]{1,8}){0,2}$/);
const DOMAINS = ['docker.io', 'ghcr.io', 'registry.example.com', 'localhost:5000', '127.0.0.1:5000', 'my-registry.local:443', '[::1]:5000', 'REGISTRY.Example.COM'];
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`);
const tag = fc.oneof(fc.constantFrom('24-bookworm-slim', '7', '1.2.3', '0777', 'yes', '22', '_x', 'v1.0.0-rc.1'), fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,20}$/), fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{120,127}$/));

/** A pinned image reference: [domain/]path[:tag][@sha256:digest], with a tag other than latest or a digest. */
const pinnedImage: fc.Arbitrary<string> = fc
  .record({
    domain: optional(fc.constantFrom(...DOMAINS)),
    path: fc.array(pathComponent, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/')),
    tag: optional(tag),
    digest: optional(digest),
  })
  .map(({ domain, path, tag: t, digest: d }) => `${domain ? `${domain}/` : ''}${path}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`)
  .filter((ref) => {
    const parsed = parseImageReference(ref);
    return parsed.ok && pinProblem(parsed.ref) === undefined;
  });

/** Text with the characters that break quoting somewhere: shell, YAML, JSON, EJS, Compose. */
const nastyChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('"', "'", '\\', '$', '`', ' ', '\t', '#', '{', '}', ':', '%', '<', '>', '&', '*', '!', '|', '-', '?', ',', '[', ']', '~', '\u00a0', '한', '😀', '\u202e') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const nastyText = (min: number, max: number) =>
  fc.oneof(
    fc.constantFrom('yes', 'no', 'on', 'off', '~', 'null', '22:22', '0777', '1e3', '-', '- x', '? x', '&a', '*a', '!x', '%x', '@x', '|', '>', '${X}', '$X', '$$', '${X:-y}', '<%= 1 %>'),
    fc.string({ unit: nastyChar, minLength: min, maxLength: max }),
  ).filter((s) => s.length >= min);

const commandArg = nastyText(1, 12).filter((s) => !/[\0\r\n]/.test(s));
const envValue = fc.oneof(nastyText(0, 16), fc.constantFrom('', 'a\nb', ' leading', 'trailing ', '\ttab')).filter((s) => !s.includes('\0'));
const envName = fc.oneof(fc.constantFrom('Y', 'yes', 'NO', 'on', 'PATH', '_', 'A1'), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/));

const healthPath = fc.oneof(
  fc.constantFrom('/healthz', '/', '/~x', '/it%27s', '/%24x', '/a%3Bb', '/%41', '/%28x%29', '/.well-known/health'),
  fc.stringMatching(/^\/(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2}){0,30}$/),
);

/** A folder of the project as schema/stack.ts allows it: "/"-separated names, none ".", "..", or starting with "-". */
const projectFolder = fc
  .array(fc.stringMatching(/^[A-Za-z0-9._@][A-Za-z0-9._@-]{0,8}$/).filter((n) => n !== '.' && n !== '..'), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('/'));

const bind = fc.oneof(fc.constantFrom('127.0.0.1', '0.0.0.0', '::', '::1', '::ffff:127.0.0.1', 'fe80::1'), fc.ipV4(), fc.ipV6());

const dbIdentifier = fc.oneof(fc.constantFrom('app', 'yes', 'on', '_', 'no', 'do', 'done', 'then', 'fi', 'in'), fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/));

const extraService = fc.record(
  {
    name: resourceName,
    image: pinnedImage,
    command: fc.array(commandArg, { minLength: 1, maxLength: 4 }),
    environment: fc.dictionary(envName, envValue, { maxKeys: 4 }),
    port,
  },
  { requiredKeys: ['name', 'image'] },
);

const app = fc
  .record(
    {
      packageManager: fc.constantFrom(...PACKAGE_MANAGERS),
      baseImage: pinnedImage,
      port,
      hostPort: port,
      bind,
      allowPrivilegedPort: fc.boolean(),
      command: fc.array(commandArg, { minLength: 1, maxLength: 4 }),
      healthPath,
      buildScript: fc.oneof(fc.constantFrom('', 'build', 'build:prod', 'yes', '0'), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9:._-]{0,20}$/)),
      healthCheck: fc.constantFrom(...HEALTH_CHECKS),
      dir: fc.oneof(fc.constantFrom('.', 'apps/web', '@scope/x', '.x', 'a..b', 'yes', 'on'), projectFolder),
      environment: fc.dictionary(envName, envValue, { maxKeys: 4 }),
      writableDirs: fc.uniqueArray(fc.oneof(fc.constantFrom('.next/cache', 'apps/web/.next/cache', 'uploads'), projectFolder), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  )
  // Host ports below 1024 need the opt-in: given it, or moved above 1024.
  .map((a) => (a.hostPort !== undefined && a.hostPort < 1024 && !a.allowPrivilegedPort ? { ...a, hostPort: a.hostPort + 1024 } : a));

const registries = fc.record(
  {
    targets: fc.subarray([...REGISTRY_TARGETS, 'gcr']),
    image: fc.oneof(ruled(RULES.repository), ruled(RULES.dockerhubRepository), ruled(RULES.ecrRepository)),
    platforms: fc.oneof(fc.constantFrom('linux/amd64', 'linux/amd64,linux/arm64', 'linux/arm/v7'), ruled(RULES.platforms)),
    branch: ruled(RULES.branch),
    actionRefs: fc.constantFrom('sha', 'tag'),
    updates: fc.constantFrom('dependabot', 'renovate'),
    dockerhub: fc.record({ namespace: ruled(RULES.dockerhubNamespace) }, { requiredKeys: [] }),
    ecr: fc.record({ region: ruled(RULES.awsRegion), accountId: ruled(RULES.awsAccountId) }, { requiredKeys: [] }),
    gar: fc.record({ project: ruled(RULES.gcpProject), location: ruled(RULES.garLocation), repository: ruled(RULES.garRepository) }, { requiredKeys: [] }),
    acr: fc.record({ name: ruled(RULES.acrName), resourceGroup: ruled(RULES.azureResourceGroup) }, { requiredKeys: [] }),
    ghcr: fc.record({ owner: ruled(RULES.githubOwner) }, { requiredKeys: [] }),
    registry: fc.record({ host: fc.oneof(fc.constantFrom('localhost', '127.0.0.1:5000', '[::1]:5000', 'registry.example.com'), ruled(RULES.host)), namespace: ruled(RULES.repository) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['targets'] },
);

const fargate = fc.constantFrom(...Object.keys(FARGATE_SIZES).map(Number)).chain((cpu) => fc.constantFrom(...FARGATE_SIZES[cpu]!).map((memory) => ({ cpu, memory })));

const deploy = fc.record(
  {
    targets: fc.subarray([...DEPLOY_TARGETS]),
    swarm: fc.record({ appReplicas: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] }),
    kubernetes: fc.record(
      {
        flavour: fc.constantFrom(...KUBERNETES_FLAVOURS),
        namespace: ruled(DEPLOY_RULES.dnsLabel),
        storageClass: ruled(DEPLOY_RULES.dnsLabel),
        storageSize: fc.stringMatching(/^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/),
        appReplicas: fc.integer({ min: 1, max: 100 }),
      },
      { requiredKeys: [] },
    ),
    ecs: fc
      .tuple(
        fc.record(
          {
            region: ruled(RULES.awsRegion),
            accountId: ruled(RULES.awsAccountId),
            cluster: ruled(DEPLOY_RULES.ecsName),
            service: ruled(DEPLOY_RULES.ecsName),
            redis: fc.constantFrom(...ECS_REDIS_MODES),
          },
          { requiredKeys: [] },
        ),
        fc.option(fargate, { nil: undefined }),
      )
      .map(([rest, size]) => ({ ...rest, ...(size ?? {}) })),
    aca: fc
      .record(
        {
          resourceGroup: ruled(RULES.azureResourceGroup),
          environment: ruled(DEPLOY_RULES.acaName),
          appName: ruled(DEPLOY_RULES.acaName),
          cpu: fc.constantFrom(...ACA_CPUS),
          minReplicas: fc.integer({ min: 0, max: 300 }),
          maxReplicas: fc.integer({ min: 1, max: 300 }),
          redisStorage: fc.constantFrom(...ACA_REDIS_STORAGE),
        },
        { requiredKeys: [] },
      )
      .map((a) => (a.minReplicas !== undefined && a.minReplicas > (a.maxReplicas ?? 3) ? { ...a, minReplicas: a.maxReplicas ?? 3 } : a)),
  },
  { requiredKeys: ['targets'] },
);

/** The whole StackSpec input (as an answers file would give it), plus whether the sample app is scaffolded. */
const specInput = fc
  .record({
    projectName: resourceName,
    lang: optional(fc.constantFrom(...LANGUAGES)),
    app: optional(app),
    redis: optional(
      fc.record(
        {
          image: pinnedImage,
          appPermissions: fc.constantFrom('~* &* +@all -@dangerous +info', '~app:* resetchannels +@read +@write', '%R~* +get'),
          persistence: fc.constantFrom(...REDIS_PERSISTENCE),
          volume: resourceName,
        },
        { requiredKeys: [] },
      ),
    ),
    database: optional(
      fc.record({ kind: fc.constantFrom(...DATABASE_KINDS), image: pinnedImage, volume: resourceName, name: dbIdentifier, user: dbIdentifier }, { requiredKeys: ['kind'] }),
    ),
    networks: optional(fc.tuple(networkName, networkName).filter(([a, b]) => a !== b).map(([frontend, backend]) => ({ frontend, backend }))),
    registries: optional(registries),
    deploy: optional(deploy),
    // The catalog: kinds once each, as the shorthand or an entry with an option every kind has.
    services: optional(
      fc
        .uniqueArray(fc.constantFrom(...CATALOG_KINDS), { maxLength: 3 })
        .chain((kinds) => fc.tuple(...kinds.map((kind) => fc.oneof(fc.constant<unknown>(kind), fc.constant<unknown>({ kind }), fc.constant<unknown>({ kind, hardening: { memLimit: '512m' } }))))),
    ),
    extraServices: optional(
      fc.uniqueArray(extraService, { maxLength: 3, selector: (x) => x.name }).map((list) => list.filter((x) => !(RESERVED_SERVICE_NAMES as readonly string[]).includes(x.name))),
    ),
    workshop: optional(fc.boolean()),
    composeFile: optional(fc.constantFrom(...COMPOSE_FILES)),
  })
  .map((input) => {
    // Drop the optional keys left undefined: an answers file would not have them.
    const clean = JSON.parse(JSON.stringify(input)) as Obj;
    return clean;
  })
  // The few cross-field rules the pieces above cannot see (they are the schema's own):
  // image names per registry, database volume vs Redis volume, kind vs image, ECS port.
  .filter((input) => StackSpec.safeParse(input).success);

const sampleApp = fc.boolean();

// ---------------------------------------------------------------------------------
// Checks on one rendered spec.

interface Rendered {
  files: RenderedFile[];
  secretValues: string[];
}

function render(input: Obj, sample: boolean): Rendered {
  const spec = resolveSpec([{ source: 'fuzz', values: structuredClone(input) }], { dirName: 'fuzz' });
  const model = deriveModel(spec, { sampleApp: sample });
  const files = renderAppFiles(model);
  const secretValues = planSecrets(model.secrets, () => undefined).flatMap((s) => {
    const text = s.content.trim();
    const hash = /#([0-9a-f]{64})/.exec(text)?.[1];
    return hash ? [hash] : [text];
  });
  return { files, secretValues };
}

/** The same object with every key order reversed, recursively (arrays keep their order: it means something). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  return value;
}

const isYaml = (path: string): boolean => /\.ya?ml$/.test(path);

/** Compose's merge tag (compose.watch.yaml's `develop: !override`), read as the map it marks. */
const COMPOSE_TAGS: Tags = [{ tag: '!override', collection: 'map', resolve: (map) => map }];

/** Reads every document of a YAML file under one version; throws on errors and warnings. */
function readYaml(path: string, text: string, version: '1.1' | '1.2'): unknown[] {
  const docs = parseAllDocuments(text, { version, uniqueKeys: true, prettyErrors: false, customTags: COMPOSE_TAGS });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc) => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length) throw new Error(`${path} under YAML ${version}: ${problems.map((p) => p.message).join('; ')}`);
    // maxAliasCount 0: an alias is an error (the generator writes none: every file reads top to bottom).
    try {
      return doc.toJS({ maxAliasCount: 0 });
    } catch (error) {
      throw new Error(`${path} under YAML ${version}: ${(error as Error).message}`);
    }
  });
}

function checkYaml(path: string, text: string): void {
  const v12 = readYaml(path, text, '1.2');
  const v11 = readYaml(path, text, '1.1');
  if (!isDeepStrictEqual(v11, v12)) {
    throw new Error(`${path} reads differently under YAML 1.1 and 1.2:\n1.1: ${JSON.stringify(v11).slice(0, 2000)}\n1.2: ${JSON.stringify(v12).slice(0, 2000)}`);
  }
}

const SECRETISH = /pass(word)?|secret|token|api[_-]?key|private[_-]?key|credential/i;

/** The Dockerfile's rules, through dockerfile-ast. */
function checkDockerfile(text: string, secretValues: readonly string[]): void {
  const ast = DockerfileParser.parse(text);
  const instructions = ast.getInstructions();
  const fail = (why: string): never => {
    throw new Error(`Dockerfile: ${why}\n${text}`);
  };
  if (ast.getDirectives().length) fail('has a parser directive (# syntax= fetches a frontend image)');
  const known = new Set(['FROM', 'ARG', 'ENV', 'WORKDIR', 'RUN', 'COPY', 'USER', 'EXPOSE', 'HEALTHCHECK', 'CMD', 'ENTRYPOINT', 'LABEL', 'STOPSIGNAL', 'SHELL', 'VOLUME']);
  for (const i of instructions) if (!known.has(i.getKeyword())) fail(`unknown or unexpected instruction ${i.getKeyword()}`);
  // ARGs before the first FROM: their defaults.
  const globalArgs = new Map<string, string | undefined>();
  for (const i of instructions) {
    if (i.getKeyword() === 'FROM') break;
    if (i.getKeyword() === 'ARG') {
      const [name, ...rest] = (i.getArgumentsContent() ?? '').split('=');
      globalArgs.set(name!.trim(), rest.length ? rest.join('=').trim() : undefined);
    }
  }
  const stages: string[] = [];
  for (const from of ast.getFROMs()) {
    const image = from.getImage() ?? '';
    const name = from.getBuildStage();
    const arg = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(image)?.[1];
    if (arg !== undefined) {
      const value = globalArgs.get(arg);
      if (value === undefined) fail(`FROM ${image}: the ARG ${arg} has no default`);
      const parsed = parseImageReference(value!);
      if (!parsed.ok || pinProblem(parsed.ref) !== undefined) fail(`FROM ${image}: the default ${value} is not a pinned image`);
    } else if (!stages.includes(image)) {
      const parsed = parseImageReference(image);
      if (!parsed.ok || pinProblem(parsed.ref) !== undefined) fail(`FROM ${image} is neither an earlier stage nor a pinned image`);
    }
    if (name) stages.push(name);
  }
  // The final stage: from its FROM to the end.
  const froms = ast.getFROMs();
  const lastFrom = froms[froms.length - 1]!;
  const finalStage = instructions.filter((i) => i.getRange().start.line >= lastFrom.getRange().start.line);
  const users = finalStage.filter((i) => i.getKeyword() === 'USER');
  const user = users[users.length - 1]?.getArgumentsContent()?.trim();
  if (!user) fail('the final stage has no USER');
  if (/^(root|0)(:.*)?$/.test(user!)) fail(`the final USER is root (${user})`);
  for (const keyword of ['CMD', 'ENTRYPOINT']) {
    for (const i of finalStage.filter((x) => x.getKeyword() === keyword)) {
      const args = i.getArgumentsContent() ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(args);
      } catch {
        fail(`${keyword} is not in exec form (a JSON array): ${args}`);
      }
      if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((x) => typeof x === 'string')) fail(`${keyword} is not a JSON array of strings: ${args}`);
    }
  }
  if (!finalStage.some((i) => i.getKeyword() === 'CMD')) fail('the final stage has no CMD');
  const healthchecks = ast.getHEALTHCHECKs();
  if (healthchecks.length !== 1) fail(`expected one HEALTHCHECK, found ${healthchecks.length}`);
  const hc = healthchecks[0]!;
  if (hc.getSubcommand()?.getValue() !== 'CMD') fail('HEALTHCHECK is not HEALTHCHECK ... CMD');
  const hcArgs = (hc.getArgumentsContent() ?? '').replace(/^[\s\S]*?\bCMD\s+/, '');
  try {
    const parsed = JSON.parse(hcArgs) as unknown;
    if (!Array.isArray(parsed)) throw new Error('not an array');
  } catch {
    fail(`HEALTHCHECK CMD is not in exec form: ${hcArgs}`);
  }
  for (const i of instructions.filter((x) => x.getKeyword() === 'ADD')) {
    if (/(https?|git|ssh):\/\/|git@/i.test(i.getArgumentsContent() ?? '')) fail(`ADD of a remote URL: ${i.getTextContent()}`);
  }
  for (const i of instructions.filter((x) => x.getKeyword() === 'ENV' || x.getKeyword() === 'ARG')) {
    const content = i.getArgumentsContent() ?? '';
    const names = content.split(/\s+/).map((p) => p.split('=')[0]!);
    for (const name of names) if (SECRETISH.test(name)) fail(`${i.getKeyword()} ${name} looks like a secret in the image`);
    for (const secret of secretValues) if (content.includes(secret)) fail(`${i.getKeyword()} holds a generated secret`);
  }
}

/** `$` in a compose file: escaped as `$$`, or the one interpolation the file means. */
const COMPOSE_INTERPOLATIONS = ['${NODE_EXTRA_CA_CERTS:-/dev/null}'];

function checkComposeDollars(text: string): void {
  let rest = text.replaceAll('$$', '');
  for (const allowed of COMPOSE_INTERPOLATIONS) rest = rest.replaceAll(allowed, '');
  const at = rest.indexOf('$');
  if (at !== -1) throw new Error(`docker-compose.yml has an unescaped "$" (Compose would interpolate it): ...${rest.slice(Math.max(0, at - 60), at + 40)}...`);
}

/**
 * A script's shape: the script with what cannot change shellcheck's verdict masked, so that
 * scripts differing only in the spec's values share one shellcheck run (every script,
 * values included, still goes through `bash -n`):
 * - comment lines (not shellcheck directives, not the shebang) become one "#";
 * - single-quoted strings without "$" or "`" (bash expands nothing in them) become 'v';
 * - the lines of a heredoc with a quoted delimiter (<<'EOF': bash expands nothing) become "v";
 * - numbers (ports, replicas, sizes: words bash never expands) become 9.
 * A value anywhere else (unquoted, double-quoted, in an expanding heredoc) stays, so its
 * script gets its own shellcheck run.
 */
function scriptShape(text: string): string {
  const out: string[] = [];
  let heredocEnd: string | undefined;
  for (const line of text.split('\n')) {
    if (heredocEnd !== undefined) {
      if (line.trim() === heredocEnd) {
        heredocEnd = undefined;
        out.push(line);
      } else out.push('v');
      continue;
    }
    if (/^\s*#(?!!|\s*shellcheck\b)/.test(line)) {
      if (out[out.length - 1] !== '#') out.push('#');
      continue;
    }
    heredocEnd = /<<-?\s*'([A-Za-z_][A-Za-z0-9_]*)'/.exec(line)?.[1];
    // Numbers (ports, replicas, sizes) are words bash never expands: any number is as good as 9.
    out.push(line.replace(/'[^']*'/g, (quoted) => (/[$`]/.test(quoted) ? quoted : "'v'")).replace(/\b[0-9]+\b/g, '9'));
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------

const stats = {
  specs: 0,
  files: 0,
  composeFiles: new Map<string, string>(),
  yamlDocs: 0,
  scripts: new Map<string, string>(),
  shapes: new Map<string, string>(),
  servers: new Map<string, string>(),
  targets: { registries: new Set<string>(), deploy: new Set<string>() },
  databases: new Set<string>(),
  extraServices: 0,
  locale: [] as Array<{ input: Obj; sample: boolean; hashes: Record<string, string> }>,
};

let validateCompose: ValidateFunction | undefined;
const schemaPath = process.env['WPSN_COMPOSE_SCHEMA'];
let workDir = '';

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `  ${e.instancePath || '(root)'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`).join('\n');
}

beforeAll(() => {
  ensureBuilt();
  workDir = mkdtempSync(join(tmpdir(), 'wpsn-fuzz-'));
  if (schemaPath) {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Obj;
    validateCompose = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  }
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('fuzz: every valid StackSpec gives valid, safe, deterministic output', () => {
  it('the arbitrary covers every field of the spec, registries and deploy targets included', () => {
    // A new field in schema/ without a generator here fails this test: the fuzz must grow with the spec.
    const covered: Record<string, readonly string[]> = {
      '': ['$schema', 'projectName', 'lang', 'app', 'redis', 'database', 'networks', 'registries', 'deploy', 'services', 'extraServices', 'composeFile', 'workshop'],
      app: ['runtime', 'packageManager', 'baseImage', 'port', 'hostPort', 'bind', 'allowPrivilegedPort', 'command', 'healthPath', 'healthCheck', 'buildScript', 'dir', 'environment', 'writableDirs'],
      redis: ['image', 'appPermissions', 'persistence', 'volume'],
      database: ['kind', 'image', 'volume', 'name', 'user'],
      networks: ['frontend', 'backend'],
      registries: ['targets', 'image', 'platforms', 'branch', 'actionRefs', 'updates', 'dockerhub', 'ecr', 'gar', 'acr', 'ghcr', 'registry'],
      deploy: ['targets', 'swarm', 'kubernetes', 'ecs', 'aca'],
    };
    const shapeOf = (schema: unknown): string[] => {
      let s = schema as { shape?: Record<string, unknown>; _zod?: { def?: { in?: unknown; schema?: unknown; innerType?: unknown } } };
      for (let i = 0; i < 10 && !s.shape; i++) {
        const def = s._zod?.def;
        s = (def?.innerType ?? def?.in ?? def?.schema) as typeof s;
        if (!s) return [];
      }
      return Object.keys(s.shape ?? {}).sort();
    };
    expect(shapeOf(StackSpecObject)).toEqual([...covered['']!].sort());
    expect(shapeOf(AppSpec)).toEqual([...covered['app']!].sort());
    expect(shapeOf(RedisSpec)).toEqual([...covered['redis']!].sort());
    expect(shapeOf(DatabaseSpec)).toEqual([...covered['database']!].sort());
    expect(shapeOf(NetworksSpec)).toEqual([...covered['networks']!].sort());
    expect(shapeOf(RegistriesSpec)).toEqual([...covered['registries']!].sort());
    expect(shapeOf(DeploySpec)).toEqual([...covered['deploy']!].sort());
    // One level down: every registry's and every deploy target's settings.
    const nested: Record<string, Record<string, string[]>> = {
      registries: { dockerhub: ['namespace'], ecr: ['region', 'accountId'], gar: ['project', 'location', 'repository'], acr: ['name', 'resourceGroup'], ghcr: ['owner'], registry: ['host', 'namespace'] },
      deploy: {
        swarm: ['appReplicas'],
        kubernetes: ['flavour', 'namespace', 'storageClass', 'storageSize', 'appReplicas'],
        ecs: ['region', 'accountId', 'cluster', 'service', 'cpu', 'memory', 'redis'],
        aca: ['resourceGroup', 'environment', 'appName', 'cpu', 'minReplicas', 'maxReplicas', 'redisStorage'],
      },
    };
    const innerShape = (schema: unknown): Record<string, unknown> => {
      let s = schema as { shape?: Record<string, unknown>; _zod?: { def?: { in?: unknown; schema?: unknown; innerType?: unknown } } };
      for (let i = 0; i < 10 && !s.shape; i++) s = (s._zod?.def?.innerType ?? s._zod?.def?.in ?? s._zod?.def?.schema) as typeof s;
      return s.shape!;
    };
    for (const [name, schema] of [['registries', RegistriesSpec], ['deploy', DeploySpec]] as const) {
      const shape = innerShape(schema);
      for (const [key, keys] of Object.entries(nested[name]!)) expect(shapeOf(shape[key]), `${name}.${key}`).toEqual([...keys].sort());
    }
    // runtime has one value (node) and $schema is ignored: the rest is generated below.
  });

  it(`${RUNS} generated specs (seed ${SEED}): compose schema, YAML 1.1 = 1.2, Dockerfile rules, JSON, scripts, secrets, determinism`, () => {
    const started = performance.now();
    console.info(`fuzz: ${RUNS} runs, seed ${SEED} (re-run with WPSN_FUZZ_SEED=${SEED})`);
    fc.assert(
      fc.property(specInput, sampleApp, (input, sample) => {
        const parsed = StackSpec.safeParse(input);
        if (!parsed.success) throw new Error(`the arbitrary made an invalid spec: ${parsed.error.message}`);
        const first = render(input, sample);
        const again = render(input, sample);
        const reversed = render(reverseKeys(input) as Obj, sample);
        const hashes = (r: Rendered) => Object.fromEntries(r.files.map((f) => [f.path, `${f.kind}:${f.mode ?? ''}:${sha(f.content)}`]));
        const h = hashes(first);
        const differing = (other: Record<string, string>) =>
          [...new Set([...Object.keys(h), ...Object.keys(other)])].filter((p) => h[p] !== other[p]).join(', ');
        if (!isDeepStrictEqual(h, hashes(again))) throw new Error(`two renderings of the same spec differ: ${differing(hashes(again))}`);
        if (!isDeepStrictEqual(h, hashes(reversed))) throw new Error(`the order of the answers' keys changed the output: ${differing(hashes(reversed))}`);

        const paths = first.files.map((f) => f.path);
        if (new Set(paths).size !== paths.length) throw new Error(`a path is rendered twice: ${paths.join(', ')}`);
        if (!isDeepStrictEqual(paths, [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))) throw new Error('files are not sorted by path');
        for (const path of paths) if (!isProjectPath(path)) throw new Error(`${path} is not a plain relative path inside the project`);

        const byPath = new Map(first.files.map((f) => [f.path, f]));
        const spec = parsed.data;
        for (const file of first.files) {
          stats.files++;
          for (const secret of first.secretValues) {
            if (file.content.includes(secret)) throw new Error(`${file.path} holds a generated secret`);
          }
          if (file.content.includes('\r')) throw new Error(`${file.path} has a carriage return`);
          if (isYaml(file.path)) {
            checkYaml(file.path, file.content);
            stats.yamlDocs++;
          }
          if (file.path.endsWith('.json')) JSON.parse(file.content);
          if (file.path.endsWith('.sh')) {
            if (!file.content.startsWith('#!')) throw new Error(`${file.path} has no shebang`);
            if (file.mode !== 0o755) throw new Error(`${file.path} is not executable (mode ${file.mode?.toString(8)})`);
            const key = sha(file.content);
            stats.scripts.set(key, file.content);
            const shape = scriptShape(file.content);
            const shapeKey = `${file.path.replace(/.*\//, '')}:${sha(shape)}`;
            if (!stats.shapes.has(shapeKey)) stats.shapes.set(shapeKey, file.content);
          }
        }
        const composeText = byPath.get(spec.composeFile)?.content;
        if (!composeText) throw new Error('no docker-compose.yml');
        checkComposeDollars(composeText);
        const compose = parseYaml(composeText) as Obj;
        if (validateCompose && !validateCompose(compose)) {
          throw new Error(`docker-compose.yml breaks the Compose Specification schema:\n${formatErrors(validateCompose.errors)}\n${composeText}`);
        }
        stats.composeFiles.set(sha(composeText), composeText);
        // What Compose reads is what the spec said: names, the published port, hardening.
        expect(compose['name']).toBe(spec.projectName);
        expect(Object.keys(compose['networks']).sort()).toEqual([spec.networks.frontend, spec.networks.backend].sort());
        expect(Object.keys(compose['volumes'])).toContain(spec.redis.volume);
        const services = compose['services'] as Obj;
        expect(Object.keys(services).sort()).toEqual(['app', 'redis', ...(spec.database.kind === 'none' ? [] : ['db']), ...spec.services.map((x) => x.kind), ...spec.extraServices.map((x) => x.name)].sort());
        expect(services['app'].ports).toHaveLength(1);
        expect(services['app'].ports[0]).toMatch(new RegExp(`:${spec.app.hostPort}:${spec.app.port}$`));
        for (const [name, service] of Object.entries(services)) {
          if (name !== 'app' && service.ports !== undefined) throw new Error(`${name} publishes a port`);
          if (!(service.security_opt as string[]).includes('no-new-privileges:true')) throw new Error(`${name} lacks no-new-privileges`);
        }
        for (const name of ['app', 'redis']) {
          expect(services[name].read_only, `${name} read_only`).toBe(true);
          expect(services[name].cap_drop, `${name} cap_drop`).toEqual(['ALL']);
          // /tmp, and the app's own run-time folders (app.writableDirs), each under /app.
          expect(services[name].tmpfs, `${name} tmpfs`).toEqual(name === 'app' ? ['/tmp', ...spec.app.writableDirs.map((d) => `/app/${d}`)] : ['/tmp']);
          expect(typeof services[name].pids_limit, `${name} pids_limit`).toBe('number');
          expect(services[name].mem_limit, `${name} mem_limit`).toMatch(/^\d+[mg]$/);
        }
        for (const x of spec.extraServices) {
          if (x.environment) expect(Object.keys(services[x.name].environment ?? {}).sort()).toEqual(Object.keys(x.environment).sort());
          if (x.command) expect(services[x.name].command).toEqual(x.command.map((a) => a.replaceAll('$', '$$$$')));
        }

        const dockerfile = byPath.get('Dockerfile');
        if (!dockerfile) throw new Error('no Dockerfile');
        checkDockerfile(dockerfile.content, first.secretValues);
        const server = byPath.get('server.js');
        if (sample !== (server !== undefined)) throw new Error(`server.js ${sample ? 'missing' : 'rendered'} with sampleApp ${sample}`);
        if (server) stats.servers.set(sha(server.content), server.content);

        stats.specs++;
        spec.registries.targets.forEach((t) => stats.targets.registries.add(t));
        spec.deploy.targets.forEach((t) => stats.targets.deploy.add(t));
        stats.databases.add(spec.database.kind);
        stats.extraServices += spec.extraServices.length;
        if (stats.locale.length < LOCALE_SAMPLE && stats.specs % Math.max(1, Math.floor(RUNS / LOCALE_SAMPLE)) === 0) {
          stats.locale.push({ input, sample, hashes: h });
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const ms = performance.now() - started;
    console.info(
      `fuzz: ${stats.specs} specs, ${stats.files} files (${stats.yamlDocs} YAML files read both ways), ${stats.composeFiles.size} distinct compose files, ` +
        `${stats.scripts.size} distinct scripts in ${stats.shapes.size} shapes, ${stats.servers.size} distinct server.js; ` +
        `registries seen: ${[...stats.targets.registries].sort().join(',')}; deploy targets seen: ${[...stats.targets.deploy].sort().join(',')}; ` +
        `databases: ${[...stats.databases].sort().join(',')}; extra services: ${stats.extraServices}; ${(ms / 1000).toFixed(1)} s`,
    );
    expect(stats.specs).toBeGreaterThanOrEqual(RUNS);
    // The runs reached every target and database kind (or the arbitrary is too narrow).
    if (RUNS >= 100) {
      expect([...stats.targets.registries].sort()).toEqual([...REGISTRY_TARGETS].sort());
      expect([...stats.targets.deploy].sort()).toEqual([...DEPLOY_TARGETS].sort());
      expect([...stats.databases].sort()).toEqual([...DATABASE_KINDS].sort());
    }
  }, 180_000);

  it('the Compose check ran: against the JSON Schema, or docker compose config -q on a sample', () => {
    expect(stats.composeFiles.size).toBeGreaterThan(0);
    if (validateCompose) {
      // Not vacuous: the schema rejects what it must.
      expect(validateCompose({ services: { app: { image: 'x:1', not_a_compose_key: true } } })).toBe(false);
      expect(validateCompose({ services: { app: { image: 'x:1', tmpfs: { path: '/tmp' } } } })).toBe(false);
      return;
    }
    const available = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (available.status !== 0) {
      throw new Error('neither WPSN_COMPOSE_SCHEMA nor `docker compose` is available: no Compose conformance check could run');
    }
    console.info('fuzz: WPSN_COMPOSE_SCHEMA is unset: `docker compose config -q` on a sample of 8 compose files');
    for (const [key, text] of [...stats.composeFiles].slice(0, 8)) {
      const dir = join(workDir, `compose-${key.slice(0, 12)}`);
      mkdirSync(join(dir, 'secrets'), { recursive: true });
      writeFileSync(join(dir, 'docker-compose.yml'), text);
      for (const m of text.matchAll(/file: "\.\/(secrets\/[^"]+)"/g)) writeFileSync(join(dir, m[1]!), 'x\n');
      const r = spawnSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '-q'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `docker compose config -q (${REPLAY}):\n${r.stderr}\n${text}`).toBe(0);
    }
  });

  it('every script passes bash -n, and one script of every shape passes shellcheck (one batched call)', () => {
    expect(stats.scripts.size).toBeGreaterThan(0);
    const dir = join(workDir, 'scripts');
    mkdirSync(dir, { recursive: true });
    const all = [...stats.scripts.entries()].map(([key, text]) => {
      const path = join(dir, `${key.slice(0, 16)}.sh`);
      writeFileSync(path, text);
      return path;
    });
    // bash -n on every distinct script, in one bash process.
    const syntax = spawnSync('bash', ['-c', 'rc=0; for f; do bash -n "$f" 2>&1 || { echo "FAILED: $f"; rc=1; }; done; exit $rc', 'bash', ...all], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(syntax.status, `bash -n (${REPLAY}):\n${syntax.stdout}${syntax.stderr}`).toBe(0);

    const shapes = [...stats.shapes.entries()].map(([key, text]) => {
      const path = join(dir, `shape-${sha(key).slice(0, 16)}.sh`);
      writeFileSync(path, text);
      return path;
    });
    const started = performance.now();
    // Two batches, in parallel: the machine has two cores.
    const batches = [shapes.filter((_, i) => i % 2 === 0), shapes.filter((_, i) => i % 2 === 1)].filter((b) => b.length);
    const script = batches.map((b, i) => `shellcheck --shell=bash --severity=style --norc ${b.map((p) => `'${p}'`).join(' ')} > '${dir}/sc-${i}.out' 2>&1; echo $? > '${dir}/sc-${i}.rc' &`).join('\n');
    const sc = spawnSync('bash', ['-c', `${script}\nwait`], { encoding: 'utf8', timeout: 300_000 });
    expect(sc.error, 'shellcheck must be installed').toBeUndefined();
    for (let i = 0; i < batches.length; i++) {
      const rc = readFileSync(join(dir, `sc-${i}.rc`), 'utf8').trim();
      const out = readFileSync(join(dir, `sc-${i}.out`), 'utf8');
      expect(rc, `shellcheck (${REPLAY}):\n${out}`).toBe('0');
    }
    console.info(`fuzz: bash -n on ${all.length} distinct scripts; shellcheck on ${shapes.length} script shapes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // The check can fail: shellcheck flags a script with an unquoted expansion.
    const bad = join(dir, 'bad.sh');
    writeFileSync(bad, '#!/usr/bin/env bash\nx=$1\nrm -rf $x/*\n');
    expect(spawnSync('shellcheck', ['--shell=bash', bad]).status).not.toBe(0);
  }, 300_000);

  it('the sample app parses as a JavaScript module for every spec', () => {
    expect(stats.servers.size).toBeGreaterThan(0);
    const dir = join(workDir, 'servers');
    mkdirSync(dir, { recursive: true });
    const files = [...stats.servers.entries()].map(([key, text]) => {
      const path = join(dir, `${key.slice(0, 16)}.mjs`);
      writeFileSync(path, text);
      return path;
    });
    const checker = `
      import { readFileSync } from 'node:fs';
      import vm from 'node:vm';
      let bad = 0;
      for (const file of process.argv.slice(1)) {
        try { new vm.SourceTextModule(readFileSync(file, 'utf8'), { identifier: file }); }
        catch (error) { bad++; console.log(file + ': ' + error.message); }
      }
      process.exit(bad ? 1 : 0);`;
    const r = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', '--input-type=module', '-e', checker, ...files], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, `${r.stdout}${r.stderr}\n${files.length} files (${REPLAY})`).toBe(0);
    // Not vacuous: a broken module fails the same check.
    writeFileSync(join(dir, 'broken.mjs'), "const healthPath = '/it's';\n");
    const broken = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', '--input-type=module', '-e', checker, join(dir, 'broken.mjs')], { encoding: 'utf8' });
    expect(broken.status).toBe(1);
  });

  it(`the same bytes under another locale and time zone (LANG=ko_KR.UTF-8 TZ=Asia/Seoul, a sample of ${LOCALE_SAMPLE} specs, by content hash)`, () => {
    expect(stats.locale.length).toBeGreaterThan(0);
    const input = join(workDir, 'locale-input.json');
    writeFileSync(input, JSON.stringify(stats.locale.map(({ input: i, sample }) => ({ input: i, sample }))));
    const dist = (path: string) => JSON.stringify(new URL(`file://${join(REPO_ROOT, 'dist', path)}`).href);
    const child = `
      import { createHash } from 'node:crypto';
      import { readFileSync } from 'node:fs';
      const { resolveSpec } = await import(${dist('core/spec.js')});
      const { deriveModel } = await import(${dist('core/model.js')});
      const { renderAppFiles } = await import(${dist('core/render/files.js')});
      const cases = JSON.parse(readFileSync(process.argv[1], 'utf8'));
      const out = cases.map(({ input, sample }) => {
        const spec = resolveSpec([{ source: 'fuzz', values: input }], { dirName: 'fuzz' });
        const files = renderAppFiles(deriveModel(spec, { sampleApp: sample }));
        return Object.fromEntries(files.map((f) => [f.path, f.kind + ':' + (f.mode ?? '') + ':' + createHash('sha256').update(f.content).digest('hex')]));
      });
      process.stdout.write(JSON.stringify({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone, locale: Intl.DateTimeFormat().resolvedOptions().locale, out }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', child, input], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, LANG: 'ko_KR.UTF-8', LC_ALL: 'ko_KR.UTF-8', LANGUAGE: 'ko', TZ: 'Asia/Seoul' },
    });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { tz: string; locale: string; out: Array<Record<string, string>> };
    expect(result.tz, 'the child really ran in another time zone').toBe('Asia/Seoul');
    expect(result.out).toEqual(stats.locale.map((x) => x.hashes));
  });
});
