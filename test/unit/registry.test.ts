// Registry push targets, what every target shares: the spec and its rules, the push
// scripts (shellcheck, bash -n, the shared library, settings checks, secrets), the publish
// workflows (GitHub's own parser), Dependabot, the README sections, the `wpsn-docker
// registry` command and `yo wpsn-docker:registry`. Each target's own expectations are in
// targets/registry/<id>/<id>.test.ts (through describeRegistryTarget of helpers/registry.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerHooks } from 'node:module';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { flagsLayer, resolveSpec } from '../../core/spec.ts';
import { parseImageReference, PATH_PATTERN, TAG_PATTERN } from '../../schema/image-ref.ts';
import { follows, IMAGE_RULE, RULES } from '../../schema/registry.ts';
import { ACTIONS } from '../../targets/registry/workflow.ts';
import { ACTION_PINS, unpinned } from '../../targets/registry/action-pins.ts';
import { ensureBuilt, filesOf, REPO_ROOT, runCli, snapshotTree, type TreeEntry } from './helpers/cli.ts';
import { UNUSUAL_REGISTRIES } from './helpers/fake-bin.ts';
import { ALL, CLOUD_ENV, envFor, expectRefused, fakeBin, FULL_ENV, model, project, runScript, SECRETS, tempDir, usesOf, workflow, type Env, type Obj } from './helpers/registry.ts';
import { runGenerator } from './helpers/yo.ts';

// @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }`, which
// bundlers accept and Node refuses: supply the attribute for that package's JSON files.
registerHooks({
  load(url, context, nextLoad) {
    if (url.includes('/@actions/workflow-parser/') && url.endsWith('.json')) {
      return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
    }
    return nextLoad(url, context);
  },
});
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import('@actions/workflow-parser');

// -----------------------------------------------------------------------------------------

describe('the registries spec', () => {
  const targetsOf = (values: Obj) => resolveSpec([{ source: 'test', values }], { dirName: 'demo' }).registries.targets;

  it('defaults to no targets, and normalises a list: aliases, duplicates, canonical order', () => {
    expect(targetsOf({})).toEqual([]);
    expect(targetsOf({ registries: { targets: ['registry', 'gcr', 'ecr', 'gar', 'ecr'] } })).toEqual(['ecr', 'gar', 'registry']);
  });

  it('splits --registry on commas (gcr means gar, none means no target)', () => {
    const spec = (flag: string) => resolveSpec([flagsLayer({ registry: flag })], { dirName: 'demo' }).registries.targets;
    expect(spec('dockerhub,ecr, ghcr')).toEqual(['dockerhub', 'ecr', 'ghcr']);
    expect(spec('gcr')).toEqual(['gar']);
    expect(spec('none')).toEqual([]);
  });

  it('rejects unknown targets, naming the field and the flag', () => {
    try {
      resolveSpec([flagsLayer({ registry: 'ecr,quay' })], { dirName: 'demo' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const [problem] = (error as InputError).problems;
      expect(problem).toMatchObject({ field: 'registries.targets.1', source: '--registry', value: 'quay' });
      expect(problem!.rule).toContain('dockerhub, ecr, gar, acr, ghcr, registry');
    }
  });

  // Each target's own refusals are in its test file.
  const bad: Array<[string, Obj, string]> = [
    ['registries.image', { image: 'My_App' }, 'lowercase'],
    ['registries.platforms', { platforms: 'linux/amd64;linux/arm64' }, 'comma-separated platforms'],
    ['registries.branch', { branch: '-main' }, 'branch name'],
  ];
  it.each(bad)('rejects %s = %j', (field, registries, rule) => expectRefused({ registries }, field, rule));

  it('accepts real-world values', () => {
    const registries = UNUSUAL_REGISTRIES;
    expect(resolveSpec([{ source: 'test', values: { registries } }], { dirName: 'demo' }).registries).toMatchObject(registries);
  });

  it('derives the default image name from the project name, valid for every target', () => {
    for (const name of ['demo', 'my_app', 'a--b', 'x', 'app-', 'shop__api']) {
      const image = model({ projectName: name }).registry.image;
      for (const target of ALL) expect(follows(RULES[IMAGE_RULE[target]], image), `${target}: ${name} -> ${image}`).toBe(true);
    }
    expect(new Set(Object.values(IMAGE_RULE)).size).toBeGreaterThan(1);
  });
});

describe('the naming rules agree with the OCI grammar of schema/image-ref.ts', () => {
  const tagRe = new RegExp(`^${TAG_PATTERN}$`);
  const pathRe = new RegExp(`^${PATH_PATTERN}$`);
  const alphabet = fc.constantFrom(...'abcAZ09._-/:[]@'.split(''));
  const strings = fc.array(alphabet, { minLength: 0, maxLength: 20 }).map((a) => a.join(''));

  it('tag: the shell rule and the TypeScript grammar accept the same strings', () => {
    fc.assert(fc.property(strings, (s) => follows(RULES.tag, s) === tagRe.test(s)), { numRuns: 3000 });
    expect(follows(RULES.tag, 'a'.repeat(128))).toBe(true);
    expect(follows(RULES.tag, 'a'.repeat(129))).toBe(false);
  });

  it('repository: the same strings as the OCI path grammar', () => {
    fc.assert(fc.property(strings, (s) => follows(RULES.repository, s) === pathRe.test(s)), { numRuns: 3000 });
  });

  it('host: every accepted host parses as the registry part of a reference', () => {
    fc.assert(
      fc.property(strings, (s) => {
        if (!follows(RULES.host, s)) return true;
        const parsed = parseImageReference(`${s}/team/app:1`);
        return parsed.ok && parsed.ref.domain === s;
      }),
      { numRuns: 3000 },
    );
    for (const host of ['localhost', 'localhost:5000', '127.0.0.1:5000', 'registry.example.com', 'reg:5000', '[::1]:5000']) {
      expect(follows(RULES.host, host), host).toBe(true);
    }
    for (const host of ['registry', 'Registry', 'a_b.com', 'host:port', '.com', 'a..b', '[a]', '[::1]x']) expect(follows(RULES.host, host), host).toBe(false);
  });
});

describe('bash and TypeScript decide every rule the same way', () => {
  it('the scripts\' check() agrees with follows() on random and edge-case values', () => {
    const files = renderAppFiles(model({ registries: { targets: ['registry'] } }));
    const script = files.find((f) => f.path === 'scripts/push-registry.sh')!.content;
    const lib = script.slice(script.indexOf('PROG='), script.indexOf('\nmain() {'));
    const dir = tempDir();
    writeFileSync(join(dir, 'lib.sh'), lib);
    writeFileSync(
      join(dir, 'probe.sh'),
      ['source ./lib.sh', "while IFS=$'\\t' read -r rule value; do", '  PROBLEMS=()', '  V=$value', '  check V "$rule"', '  echo "${#PROBLEMS[@]}"', 'done', ''].join('\n'),
    );
    const names = Object.keys(RULES) as Array<keyof typeof RULES>;
    const alphabet = 'abzAZ0189._-/:[]() @,'.split('');
    const samples = fc.sample(fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }).map((a) => a.join('')), { numRuns: 200, seed: 42 });
    const edge = ['', 'a', 'a'.repeat(12), '1'.repeat(12), 'eu-west-1', 'linux/amd64', 'localhost:5000', '[::1]:5000', 'a'.repeat(129), 'x'.repeat(300), 'ab-cd', 'Abcde'];
    // Ports at and beyond the range's ends, and a host of each registry (and near misses).
    edge.push('reg:1', 'reg:65535', 'reg:65536', 'reg:0', 'reg:05000', 'reg:99999', '[::1]:70000');
    edge.push('docker.io', 'registry-1.docker.io', 'docker.io.evil.example', 'ghcr.io', 'ghcr.io:443', 'xghcr.io', 'europe-west4-docker.pkg.dev', 'us-docker.pkg.dev.evil.example');
    edge.push('myregistry1.azurecr.io', 'myregistry1.azurecr.us', 'myregistry1.azurecr.io.evil.example', '123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    edge.push('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', '123456789012.dkr-ecr.eu-west-1.on.aws', '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', '123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example');
    const cases = names.flatMap((rule) => [...edge, ...samples].map((value) => [rule, value] as const));
    const r = spawnSync('bash', ['probe.sh'], { cwd: dir, input: cases.map(([rule, value]) => `${rule}\t${value}`).join('\n') + '\n', encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const verdicts = r.stdout.trim().split('\n');
    expect(verdicts).toHaveLength(cases.length);
    const disagreements = cases.filter(([rule, value], i) => (verdicts[i] === '0') !== follows(RULES[rule], value));
    expect(disagreements).toEqual([]);
    // Both accept and reject something for every rule (the comparison is not vacuous).
    for (const rule of names) {
      const mine = cases.map((c, i) => [c, verdicts[i]] as const).filter(([c]) => c[0] === rule);
      expect(mine.some(([, v]) => v === '0'), rule).toBe(true);
      expect(mine.some(([, v]) => v !== '0'), rule).toBe(true);
    }
  });
});

// -----------------------------------------------------------------------------------------

/** Option combinations every check below runs over. */
const COMBOS: Array<[string, Obj]> = [
  ['every target, no defaults', { registries: { targets: ALL } }],
  [
    'every target, every default',
    {
      projectName: 'shop',
      registries: {
        targets: ALL,
        image: 'shop-api',
        platforms: 'linux/amd64,linux/arm64',
        branch: 'trunk',
        dockerhub: { namespace: 'acme' },
        ecr: { region: 'cn-north-1', accountId: '123456789012' },
        gar: { project: 'example.com:my-project', location: 'us', repository: 'containers' },
        acr: { name: 'AcmeProd01', resourceGroup: 'rg-prod' },
        ghcr: { owner: 'Acme-Corp' },
        registry: { host: 'registry.example.com', namespace: 'team/apps' },
      },
    },
  ],
  ['Korean docs, a database, two targets', { lang: 'ko', database: { kind: 'postgres' }, registries: { targets: ['gar', 'ghcr'] } }],
  ['Docker Hub only', { projectName: 'a--b', registries: { targets: ['dockerhub'] } }],
];

describe('generated files per target set', () => {
  it('writes nothing registry-related without targets', () => {
    const paths = renderAppFiles(model({})).map((f) => f.path);
    expect(paths.filter((p) => p.startsWith('scripts/') || p.startsWith('.github/'))).toEqual([]);
    expect(model({}).registry.any).toBe(false);
  });

  it.each(COMBOS)('%s: a script (0755), a workflow per target and one Dependabot config', (_name, values) => {
    const files = renderAppFiles(model(values));
    const targets = resolveSpec([{ source: 'test', values }], { dirName: 'demo' }).registries.targets;
    for (const t of ALL) {
      const script = files.find((f) => f.path === `scripts/push-${t}.sh`);
      const workflow = files.find((f) => f.path === `.github/workflows/publish-${t}.yml`);
      expect(Boolean(script), t).toBe(targets.includes(t));
      expect(Boolean(workflow), t).toBe(targets.includes(t));
      if (script) expect(script).toMatchObject({ kind: 'generated', mode: 0o755 });
      if (workflow) expect(workflow.kind).toBe('generated');
    }
    expect(files.filter((f) => f.path === '.github/dependabot.yml')).toHaveLength(1);
  });
});

describe('push scripts: shellcheck and bash -n for every target and option combination', () => {
  it.each(COMBOS)('%s', (_name, values) => {
    const { dir, files } = project(values);
    const scripts = files.filter((f) => f.path.startsWith('scripts/')).map((f) => join(dir, f.path));
    expect(scripts.length).toBeGreaterThan(0);
    const sc = spawnSync('shellcheck', ['--shell=bash', '--severity=style', ...scripts], { encoding: 'utf8' });
    expect(sc.error, 'shellcheck must be installed').toBeUndefined();
    expect(sc.stdout + sc.stderr).toBe('');
    expect(sc.status).toBe(0);
    for (const script of scripts) {
      const syntax = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
      expect(syntax.status, `${script}: ${syntax.stderr}`).toBe(0);
      const text = readFileSync(script, 'utf8');
      expect(text.startsWith('#!/usr/bin/env bash\n'), script).toBe(true);
      expect(text).toContain('\nset -euo pipefail\n');
      expect(text).not.toMatch(/set -[a-z]*x|set -o xtrace/);
    }
  });

  it('shellcheck does fail on a broken script (the check above can fail)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.sh'), '#!/usr/bin/env bash\nrm -rf $1/*\n');
    expect(spawnSync('shellcheck', [join(dir, 'bad.sh')]).status).not.toBe(0);
  });

  it('every script shares one implementation: the library is identical in all six', () => {
    const { dir } = project({ registries: { targets: ALL } });
    const libs = ALL.map((t) => {
      const text = readFileSync(join(dir, `scripts/push-${t}.sh`), 'utf8');
      return text.slice(text.indexOf('# Shared by every scripts/push-*.sh'), text.indexOf('\nmain() {'));
    });
    expect(libs[0]!.length).toBeGreaterThan(2000);
    for (const lib of libs) expect(lib).toBe(libs[0]);
  });

  it('--help prints the header and exits 0, an unknown argument exits 2', () => {
    const { dir } = project({ registries: { targets: ['ecr'] } });
    const help = runScript(dir, 'ecr', ['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: scripts/push-ecr.sh [--dry-run] [--help]');
    expect(help.stdout).toContain('AWS_REGION');
    const bad = runScript(dir, 'ecr', ['--push-it'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown argument --push-it');
    expect(bad.calls).toBe('');
  });
});

describe('--dry-run: the shared library', () => {
  let dir: string;
  beforeAll(() => {
    dir = project({ registries: { targets: ALL } }).dir;
  });

  it('PLATFORMS builds and pushes a multi-platform image in one buildx step', () => {
    const r = runScript(dir, 'registry', ['--dry-run'], { ...FULL_ENV, PLATFORMS: 'linux/amd64,linux/arm64', NODE_EXTRA_CA_CERTS: '/etc/ca.pem' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        `+ printf '%s\\n' "$REGISTRY_PASSWORD" | docker login --username ci --password-stdin registry.example.com:5000`,
        "+ docker buildx build --platform linux/amd64,linux/arm64 --target runtime --secret id=extra_ca,src=/etc/ca.pem --tag registry.example.com:5000/demo:v1.2.3 --tag registry.example.com:5000/demo:latest --metadata-file '$TMPDIR/metadata.json' --push .",
        'would push registry.example.com:5000/demo:v1.2.3',
        'would push registry.example.com:5000/demo:latest',
        '',
      ].join('\n'),
    );
    expect(r.stdout).not.toContain('docker compose');
  });

  it('SKIP_BUILD=1 checks the local image instead of building; PUSH_LATEST=0 pushes one tag', () => {
    const r = runScript(dir, 'ghcr', ['--dry-run'], { ...CLOUD_ENV, SKIP_BUILD: '1', PUSH_LATEST: '0' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("+ docker image inspect --format '{{.Id}}' demo-app\n");
    expect(r.stdout).not.toContain('docker compose');
    expect(r.stdout.match(/^\+ docker push /gm)).toHaveLength(1);
    expect(r.stdout.endsWith('would push ghcr.io/some-org/demo:v1.2.3\n')).toBe(true);
  });

  it('IMAGE_TAG defaults to the git short SHA, or latest outside a git repository', () => {
    const env = { ...CLOUD_ENV, IMAGE_TAG: '' };
    const outside = runScript(dir, 'ghcr', ['-n'], env);
    expect(outside.stdout).toContain('would push ghcr.io/some-org/demo:latest\n');
    expect(outside.stdout.match(/^would push/gm)).toHaveLength(1);
    const repo = project({ registries: { targets: ['ghcr'] } }).dir;
    const git = (...args: string[]) => spawnSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    expect(git('commit', '-qm', 'init').status).toBe(0);
    const sha = git('rev-parse', '--short', 'HEAD').stdout.trim();
    expect(sha).toMatch(/^[0-9a-f]{7,}$/);
    const inside = runScript(repo, 'ghcr', ['-n'], env);
    expect(inside.stdout).toContain(`would push ghcr.io/some-org/demo:${sha}\n`);
    expect(inside.stdout).toContain('would push ghcr.io/some-org/demo:latest\n');
  });
});

describe('bad settings every script checks exit 2 naming the variable, before anything runs', () => {
  let dir: string;
  beforeAll(() => {
    dir = project({ registries: { targets: ['registry'] } }).dir;
  });
  // Through push-registry.sh; each target's own settings are checked in its test file.
  const cases: Array<[Env, string]> = [
    [{ IMAGE: 'My_App' }, 'IMAGE=My_App is not valid'],
    [{ IMAGE: 'app/' }, 'IMAGE=app/ is not valid'],
    [{ IMAGE: `${'a'.repeat(250)}` }, 'IMAGE='],
    [{ IMAGE_TAG: '-v1' }, 'IMAGE_TAG=-v1 is not valid: it must be a tag'],
    [{ IMAGE_TAG: 'x'.repeat(129) }, 'IMAGE_TAG='],
    [{ IMAGE_TAG: 'v1 2' }, "IMAGE_TAG='v1 2' is not valid"],
    [{ PUSH_LATEST: 'yes' }, 'PUSH_LATEST=yes is not valid: it must be 0 or 1'],
    [{ SKIP_BUILD: 'true' }, 'SKIP_BUILD=true is not valid'],
    [{ PLATFORMS: 'linux' }, 'PLATFORMS=linux is not valid'],
    [{ PLATFORMS: 'linux/amd64', SKIP_BUILD: '1' }, 'SKIP_BUILD=1 cannot be used with PLATFORMS'],
  ];
  it.each(cases)('%j', (overrides, message) => {
    const r = runScript(dir, 'registry', [], { ...FULL_ENV, ...overrides });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('push-registry.sh: nothing was run; fix these settings:');
    expect(r.stderr).toContain(`  - ${message}`);
    expect(r.calls).toBe('');
    for (const secret of SECRETS) expect(r.stderr).not.toContain(secret);
  });
});

describe('secrets never reach a command line, the output or a file', () => {
  it('real runs against fake CLIs: tokens only on docker login\'s stdin; the digest is reported', () => {
    const { dir } = project({ registries: { targets: ALL } });
    const fake = fakeBin();
    for (const target of ['dockerhub', 'ghcr', 'registry'] as const) {
      const r = runScript(dir, target, [], envFor(target), fake);
      expect(r.code, r.stderr).toBe(0);
      const secret = { dockerhub: SECRETS[0], ghcr: SECRETS[1], registry: SECRETS[2] }[target]!;
      const argvLines = r.calls.split('\n').filter((l) => !l.startsWith('stdin '));
      expect(argvLines.join('\n')).not.toContain(secret);
      expect(r.calls).toContain(`stdin [${secret}]`);
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.calls).toMatch(/^docker \[compose\] \[--project-name\] \[demo\] \[build\] \[app\]$/m);
      expect(r.stdout).toMatch(new RegExp(`^pushed [^ ]+/demo:v1\\.2\\.3@sha256:${'ab'.repeat(32)}$`, 'm'));
      expect(r.stdout).toMatch(new RegExp(`^pushed [^ ]+/demo:latest@sha256:${'ab'.repeat(32)}$`, 'm'));
    }
  });

  it('without a digest in docker push\'s output, the digest comes from RepoDigests (docker.io names shortened)', () => {
    const { dir } = project({ registries: { targets: ALL } });
    for (const target of ['dockerhub', 'registry'] as const) {
      const r = runScript(dir, target, [], { ...envFor(target), FAKE_PUSH_QUIET: '1' });
      expect(r.code, r.stderr).toBe(0);
      const repo = target === 'dockerhub' ? 'docker.io/bob/demo' : 'registry.example.com:5000/demo';
      expect(r.stdout).toContain(`pushed ${repo}:v1.2.3@sha256:${'cd'.repeat(32)}\n`);
      expect(r.calls).toContain(`docker [image] [inspect] [--format] [{{range .RepoDigests}}{{println .}}{{end}}] [${repo}:v1.2.3]`);
    }
  });

  it('a secret pasted into the wrong variable is masked in every message', () => {
    const { dir } = project({ registries: { targets: ['registry'] } });
    const secret = SECRETS[2]!;
    const dry = runScript(dir, 'registry', ['--dry-run'], { ...FULL_ENV, REGISTRY_NAMESPACE: secret.toLowerCase().replaceAll(/[^a-z0-9]/g, ''), REGISTRY_PASSWORD: secret.toLowerCase().replaceAll(/[^a-z0-9]/g, '') });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('would push registry.example.com:5000/***/demo:v1.2.3\n');
    const bad = runScript(dir, 'registry', [], { ...FULL_ENV, IMAGE_TAG: `.${secret}` });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('  - IMAGE_TAG=.*** is not valid');
    expect(bad.stderr).not.toContain(secret);
  });

  it('the scripts never pass a password as an argument, never write one, never trace', () => {
    const { dir } = project({ registries: { targets: ALL } });
    for (const t of ALL) {
      const text = readFileSync(join(dir, `scripts/push-${t}.sh`), 'utf8');
      expect(text).not.toMatch(/--password(?!-stdin)|\s-p\s|set -x/);
      // Secret variables are only read by the stdin login and the masking helper.
      for (const name of ['DOCKERHUB_TOKEN', 'GITHUB_TOKEN', 'REGISTRY_PASSWORD']) {
        for (const line of text.split('\n').filter((l) => l.includes(`$${name}`) || l.includes(`{${name}`))) {
          throw new Error(`${t}: ${name} used directly: ${line}`);
        }
      }
      expect(text).toContain(`printf '%s\\n' "\${!var}" | docker login --username "$user" --password-stdin "$host"`);
    }
  });
});

// -----------------------------------------------------------------------------------------

async function parseWorkflowText(name: string, content: string) {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const parseErrors = result.context.errors.getErrors().map((e) => e.message);
  const template = result.value ? await convertWorkflowTemplate(result.context, result.value) : undefined;
  const convertErrors = (template?.errors ?? []).map((e: { Message: string }) => e.Message);
  return { errors: [...parseErrors, ...convertErrors], template };
}

describe('publish workflows', () => {
  it.each(COMBOS)('%s: GitHub\'s parser accepts every workflow', async (_name, values) => {
    const files = renderAppFiles(model(values)).filter((f) => f.path.startsWith('.github/workflows/'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const { errors, template } = await parseWorkflowText(f.path, f.content);
      expect(errors, f.path).toEqual([]);
      expect(template?.jobs.length, f.path).toBe(1);
    }
  });

  it('the parser does report a broken workflow (the check above can fail)', async () => {
    const { errors } = await parseWorkflowText('bad.yml', 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: x@v1\n        run: echo\n');
    expect(errors.length).toBeGreaterThan(0);
  });

  it.each(ALL)('%s: triggers, tags, cache, SBOM and provenance', (target) => {
    const wf = workflow(target, { branch: 'trunk' });
    expect(wf.on.push).toEqual({ branches: ['trunk'], tags: ['v*.*.*'] });
    const steps = wf.jobs.publish.steps as Obj[];
    const meta = steps.find((s) => unpinned(s.uses ?? '') === ACTIONS.metadata)!;
    expect(meta.with.tags.split('\n').filter(Boolean)).toEqual([
      'type=sha',
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
      'type=raw,value=latest,enable={{is_default_branch}}',
    ]);
    const push = steps.find((s) => unpinned(s.uses ?? '') === ACTIONS.buildPush)!;
    expect(push.with).toMatchObject({ push: true, target: 'runtime', provenance: 'mode=max', sbom: true, 'cache-from': `type=gha,scope=publish-${target}` });
    expect(usesOf(wf)).toEqual(expect.arrayContaining([ACTIONS.checkout, ACTIONS.qemu, ACTIONS.buildx, ACTIONS.metadata, ACTIONS.buildPush]));
    // No ${{ }} inside a shell script (script injection): values reach run steps through env.
    for (const s of steps) if (s.run) expect(s.run, s.name).not.toContain('${{');
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  it('the workflows\' shell steps pass shellcheck', () => {
    const dir = tempDir();
    let n = 0;
    for (const t of ALL) {
      for (const s of workflow(t).jobs.publish.steps as Obj[]) {
        if (!s.run) continue;
        writeFileSync(join(dir, `step-${n++}.sh`), `#!/usr/bin/env bash\nset -e\n${s.run}`);
      }
    }
    expect(n).toBeGreaterThan(10);
    const sc = spawnSync('shellcheck', ['--shell=bash', ...Array.from({ length: n }, (_, i) => join(dir, `step-${i}.sh`))], { encoding: 'utf8' });
    expect(sc.stdout).toBe('');
    expect(sc.status).toBe(0);
  });

  it('Dependabot watches the base image, the Compose images, the app\'s dependencies and the actions, in files it can read', () => {
    const files = renderAppFiles(model({ registries: { targets: ['ghcr'] } }));
    const byPath = new Map(files.map((f) => [f.path, f.content]));
    const config = parseYaml(byPath.get('.github/dependabot.yml')!) as Obj;
    expect(config.version).toBe(2);
    expect((config.updates as Obj[]).map((u) => [u['package-ecosystem'], u.directory, u.schedule.interval])).toEqual([
      ['docker', '/', 'weekly'],
      ['docker-compose', '/', 'weekly'],
      ['npm', '/', 'weekly'],
      ['github-actions', '/', 'weekly'],
    ]);
    // docker: Dependabot reads FROM lines literally (no ARG substitution): the base image is named there.
    const froms = byPath.get('Dockerfile')!.split('\n').filter((l) => l.startsWith('FROM '));
    expect(froms[0]).toMatch(/^FROM node:[\w.-]+(@sha256:[0-9a-f]{64})? AS base$/);
    expect(byPath.get('Dockerfile')).not.toMatch(/^ARG /m);
    // docker-compose: every image in the Compose file is a literal reference.
    const compose = parseYaml(byPath.get('docker-compose.yml')!) as Obj;
    for (const [name, service] of Object.entries(compose.services as Record<string, Obj>)) {
      if (service.image !== undefined && service.build === undefined) expect(service.image, name).toMatch(/^[a-z0-9][\w./-]*:[\w.-]+(@sha256:[0-9a-f]{64})?$/);
    }
    // npm (npm, pnpm and Yarn alike): the manifest and a lockfile at the root.
    expect(byPath.has('package.json')).toBe(true);
    expect(['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'].some((f) => byPath.has(f))).toBe(true);
  });
});

describe('action references: pinned to verified commit SHAs (the default), or major tags', () => {
  const SHA = /^[0-9a-f]{40}$/;

  it('the table: a 40-hex SHA and a release tag of the same major for each entry; the unverified ones listed', () => {
    for (const [ref, pin] of Object.entries(ACTION_PINS)) {
      expect(ref, ref).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
      if (!pin) continue;
      expect(pin.sha, ref).toMatch(SHA);
      expect(pin.tag.startsWith(`${ref.slice(ref.lastIndexOf('@') + 1)}.`), `${ref}: ${pin.tag}`).toBe(true);
      expect(pin.evidence.length, ref).toBeGreaterThan(20);
    }
    // A change to this list is a decision: an action whose SHA could not be verified stays on its tag.
    expect(Object.entries(ACTION_PINS).filter(([, pin]) => !pin).map(([ref]) => ref)).toEqual(['aws-actions/amazon-ecr-login@v2']);
    // Every action a workflow uses has an entry.
    const used = new Set(Object.values(model({ registries: { targets: ALL } }).registry.actions));
    expect([...used].filter((ref) => !Object.hasOwn(ACTION_PINS, ref))).toEqual([]);
  });

  it.each(ALL)('%s: every uses: is a plain owner/repo@<sha> # <tag> (or the major tag, said so), as Dependabot writes it', (target) => {
    const text = renderAppFiles(model({ registries: { targets: [target] } })).find((f) => f.path === `.github/workflows/publish-${target}.yml`)!.content;
    const lines = text.split('\n').filter((l) => /^\s*(- )?uses: /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      const m = /uses: ([\w.-]+\/[\w.-]+)@(\S+) # (.+)$/.exec(line);
      expect(m, line).not.toBeNull();
      const [, repo, ref, comment] = m!;
      const pin = ACTION_PINS[unpinned(`${repo}@${ref}`)];
      if (pin) expect([ref, comment], line).toEqual([pin.sha, pin.tag]);
      else expect(comment, line).toContain('no verified commit SHA');
    }
    // The parsed workflow names the same actions as the tag form.
    const tagged = workflow(target, { actionRefs: 'tag' });
    expect(usesOf(workflow(target))).toEqual((tagged.jobs.publish.steps as Obj[]).map((s) => s.uses).filter(Boolean));
  });

  it('--action-refs tag: the major tags, no comments', () => {
    const text = renderAppFiles(model({ registries: { targets: ['ecr'], actionRefs: 'tag' } })).find((f) => f.path === '.github/workflows/publish-ecr.yml')!.content;
    const uses = text.split('\n').filter((l) => /uses: /.test(l));
    for (const line of uses) expect(line, line).toMatch(/uses: "?[\w.-]+\/[\w.-]+@v\d+"?$/);
  });
});

describe('Renovate instead of Dependabot (--dependency-updates renovate)', () => {
  it('writes renovate.json and no dependabot.yml; the README says which, and how to switch', () => {
    const files = renderAppFiles(model({ registries: { targets: ['ghcr'], updates: 'renovate' } }));
    const paths = files.map((f) => f.path);
    expect(paths).toContain('renovate.json');
    expect(paths).not.toContain('.github/dependabot.yml');
    const config = JSON.parse(files.find((f) => f.path === 'renovate.json')!.content) as Obj;
    expect(config.extends).toEqual(['config:recommended']);
    const readme = files.find((f) => f.path === 'README.Docker.md')!.content;
    expect(readme).toContain('`renovate.json` (for the Renovate app)');
    expect(readme).toContain('--dependency-updates dependabot');
    const dependabot = renderAppFiles(model({ registries: { targets: ['ghcr'] } }));
    expect(dependabot.map((f) => f.path)).not.toContain('renovate.json');
    expect(dependabot.find((f) => f.path === 'README.Docker.md')!.content).toContain('--dependency-updates renovate');
  });

  it('refuses another bot', () => {
    expectRefused({ registries: { updates: 'greenkeeper' } }, 'registries.updates', 'dependabot or renovate');
    expectRefused({ registries: { actionRefs: 'branch' } }, 'registries.actionRefs', 'sha or tag');
  });
});

describe('README.Docker.md sections', () => {
  it.each([['en'], ['ko']])('%s: one section per chosen target, none without targets', (lang) => {
    const readme = (targets: string[]) => renderAppFiles(model({ lang, registries: { targets } })).find((f) => f.path === 'README.Docker.md')!.content;
    const none = readme([]);
    const two = readme(['ecr', 'ghcr']);
    expect(none).not.toContain('### Amazon ECR');
    expect(two).toContain('### Amazon ECR');
    expect(two).toContain('### GitHub Container Registry');
    expect(two).not.toContain('### Docker Hub');
    expect(two.startsWith(none)).toBe(true);
    expect(two).toContain('scripts/push-ecr.sh --dry-run');
    expect(two).toContain('\nscripts/push-ghcr.sh\n');
    expect(two).toContain('`.github/workflows/publish-ecr.yml`');
  });
});

// -----------------------------------------------------------------------------------------

describe('wpsn-docker registry (the bin)', () => {
  beforeAll(() => ensureBuilt());

  it('--help exits 0 with the usage', () => {
    const r = runCli(tempDir(), ['registry', '--help']);
    expect(r.code, r.describe).toBe(0);
    expect(r.stdout).toContain('Usage: wpsn-docker registry [directory] [--registry LIST] [options]');
    expect(r.stdout).toContain('--ecr-region');
  });

  it('fails with exit 2 outside a generated project, writing nothing', () => {
    const dir = tempDir();
    const r = runCli(dir, ['registry', '--registry', 'ecr']);
    expect(r.code, r.describe).toBe(2);
    expect(r.stderr).toContain('is not a project generated by generator-wpsn-docker');
    expect(filesOf(snapshotTree(dir))).toEqual([]);
    const missing = runCli(dir, ['registry', '--yes', 'nowhere']);
    expect(missing.code, missing.describe).toBe(2);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('rejects a bad value or flag with exit 2', () => {
    const dir = tempDir();
    expect(runCli(dir, ['--yes']).code).toBe(0);
    const bad = runCli(dir, ['registry', '--registry', 'ecr', '--ecr-region', 'Mars']);
    expect(bad.code, bad.describe).toBe(2);
    expect(bad.stderr).toContain('registries.ecr.region');
    expect(bad.stderr).toContain('--ecr-region');
    const unknown = runCli(dir, ['registry', '--port', '80']);
    expect(unknown.code, unknown.describe).toBe(2);
  });

  const isRegistryFile = (p: string) => p.startsWith('scripts/') || p.startsWith('.github/');
  const without = (tree: Record<string, TreeEntry>, paths: (p: string) => boolean) =>
    Object.fromEntries(Object.entries(tree).filter(([p]) => !paths(p)));

  it('adds and removes exactly the matching files; everything else stays byte-identical', () => {
    const dir = tempDir();
    const first = runCli(dir, ['--yes', '--registry', 'ecr,ghcr', '--ecr-region', 'eu-west-1']);
    expect(first.code, first.describe).toBe(0);
    const t0 = snapshotTree(dir);
    expect(filesOf(t0).filter(isRegistryFile)).toEqual([
      '.github/dependabot.yml',
      '.github/workflows/publish-ecr.yml',
      '.github/workflows/publish-ghcr.yml',
      'scripts/push-ecr.sh',
      'scripts/push-ghcr.sh',
    ]);
    expect(t0['scripts/push-ecr.sh']!.mode).toBe('0755');

    const swap = runCli(dir, ['registry', '--registry', 'ecr,registry', '--registry-host', 'registry.example.com']);
    expect(swap.code, swap.describe).toBe(0);
    expect(swap.stdout).toContain('    remove scripts/push-ghcr.sh');
    expect(swap.stdout).toContain('    create scripts/push-registry.sh');
    expect(swap.stdout).toContain('registries: ecr, registry');
    const t1 = snapshotTree(dir);
    expect(filesOf(t1).filter(isRegistryFile)).toEqual([
      '.github/dependabot.yml',
      '.github/workflows/publish-ecr.yml',
      '.github/workflows/publish-registry.yml',
      'scripts/push-ecr.sh',
      'scripts/push-registry.sh',
    ]);
    // Kept targets are byte-identical; only README.Docker.md and .yo-rc.json changed besides.
    for (const p of ['.github/dependabot.yml', '.github/workflows/publish-ecr.yml', 'scripts/push-ecr.sh']) expect(t1[p], p).toEqual(t0[p]);
    const changed = (a: Record<string, TreeEntry>, b: Record<string, TreeEntry>) =>
      [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((p) => JSON.stringify(a[p]) !== JSON.stringify(b[p])).sort();
    expect(changed(without(t0, isRegistryFile), without(t1, isRegistryFile))).toEqual(['.yo-rc.json', 'README.Docker.md']);
    const readme = readFileSync(join(dir, 'README.Docker.md'), 'utf8');
    expect(readme).toContain('### Self-hosted registry');
    expect(readme).not.toContain('### GitHub Container Registry');
    const state = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-wpsn-docker'];
    expect(state.answers.registries).toMatchObject({ targets: ['ecr', 'registry'], ecr: { region: 'eu-west-1' }, registry: { host: 'registry.example.com' } });
    expect(Object.keys(state.generated.files).filter(isRegistryFile).sort()).toEqual(filesOf(t1).filter(isRegistryFile));

    // Back to the first set: byte-identical to the first run, except the remembered host.
    const back = runCli(dir, ['registry', '--registry', 'ecr,ghcr']);
    expect(back.code, back.describe).toBe(0);
    const t2 = snapshotTree(dir);
    expect(changed(t0, t2)).toEqual(['.yo-rc.json']);

    // Again: nothing changes.
    const again = runCli(dir, ['registry', '--yes']);
    expect(again.code, again.describe).toBe(0);
    expect(again.stdout).toContain('up to date: nothing changed');
    expect(snapshotTree(dir)).toEqual(t2);

    // none: every registry file goes, the README loses its section, the rest stays.
    const none = runCli(dir, ['registry', '--registry', 'none']);
    expect(none.code, none.describe).toBe(0);
    const t3 = snapshotTree(dir);
    expect(filesOf(t3).filter(isRegistryFile)).toEqual([]);
    expect(existsSync(join(dir, '.github'))).toBe(true); // empty folders are left
    expect(readFileSync(join(dir, 'README.Docker.md'), 'utf8')).not.toContain('## Push the image to a registry');
    expect(changed(without(t0, isRegistryFile), without(t3, isRegistryFile))).toEqual([
      '.yo-rc.json',
      'README.Docker.md',
    ]);
  });

  it('an edited script stops a --yes run (exit 3) and is kept when its target goes', () => {
    const dir = tempDir();
    expect(runCli(dir, ['--yes', '--registry', 'ecr,ghcr']).code).toBe(0);
    writeFileSync(join(dir, 'scripts/push-ecr.sh'), '#!/usr/bin/env bash\necho mine\n');
    const before = snapshotTree(dir);
    const blocked = runCli(dir, ['registry', '--registry', 'ecr', '--ecr-region', 'eu-west-1']);
    expect(blocked.code, blocked.describe).toBe(3);
    expect(blocked.stderr).toContain('scripts/push-ecr.sh');
    expect(snapshotTree(dir)).toEqual(before);
    const dropped = runCli(dir, ['registry', '--registry', 'ghcr']);
    expect(dropped.code, dropped.describe).toBe(0);
    expect(dropped.stdout).toContain('      keep scripts/push-ecr.sh');
    expect(readFileSync(join(dir, 'scripts/push-ecr.sh'), 'utf8')).toBe('#!/usr/bin/env bash\necho mine\n');
    const forced = runCli(dir, ['registry', '--registry', 'ecr', '--force']);
    expect(forced.code, forced.describe).toBe(0);
    expect(readFileSync(join(dir, 'scripts/push-ecr.sh'), 'utf8')).toContain('set -euo pipefail');
  });
});

describe('yo wpsn-docker:registry (yeoman-test)', () => {
  const GENERATOR = fileURLToPath(new URL('../../generators/registry/index.ts', import.meta.url));
  const run = (cwd: string, options: Obj, answers?: Obj) => {
    const context = runGenerator(GENERATOR, 'wpsn-docker:registry', cwd, options);
    return answers ? context.withAnswers(answers) : context;
  };

  it('asks with a multi-select, then for the chosen targets\' defaults, and re-renders', async () => {
    ensureBuilt();
    const dir = tempDir();
    expect(runCli(dir, ['--yes', '--registry', 'ghcr']).code).toBe(0);
    const before = snapshotTree(dir);
    const result = await run(dir, {}, { targets: ['ecr', 'acr'], 'ecr-region': 'ap-northeast-2', 'ecr-account-id': '', 'acr-name': 'Shop12345', 'acr-resource-group': '' });
    const asked = result.askedQuestions.map((q: { name: string }) => q.name);
    expect(asked).toEqual(['targets', 'ecr-region', 'ecr-account-id', 'acr-name', 'acr-resource-group']);
    const after = snapshotTree(dir);
    expect(filesOf(after).filter((p) => p.startsWith('scripts/'))).toEqual(['scripts/push-acr.sh', 'scripts/push-ecr.sh']);
    expect(after['scripts/push-ecr.sh']!.mode).toBe('0755');
    expect(readFileSync(join(dir, 'scripts/push-ecr.sh'), 'utf8')).toContain("AWS_REGION=${AWS_REGION:-'ap-northeast-2'}");
    const same = Object.keys(before).filter((p) => !p.startsWith('scripts/') && !p.startsWith('.github/') && !['README.Docker.md', '.yo-rc.json'].includes(p));
    for (const p of same) expect(after[p], p).toEqual(before[p]);
    const state = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-wpsn-docker'];
    expect(state.answers.registries.targets).toEqual(['ecr', 'acr']);
    // The bin and the generator agree: a bin re-run finds nothing to do.
    const check = runCli(dir, ['registry', '--yes']);
    expect(check.code, check.describe).toBe(0);
    expect(check.stdout, check.describe).toContain('up to date: nothing changed');
  });

  it('--registry with --yes asks nothing; outside a generated project it fails with code 2', async () => {
    const dir = tempDir();
    expect(runCli(dir, ['--yes']).code).toBe(0);
    const result = await run(dir, { registry: 'registry', 'registry-host': '127.0.0.1:5000', yes: true });
    expect(result.askedQuestions).toEqual([]);
    expect(readFileSync(join(dir, 'scripts/push-registry.sh'), 'utf8')).toContain("REGISTRY_HOST=${REGISTRY_HOST:-'127.0.0.1:5000'}");
    const empty = tempDir();
    let failure: (Error & { code?: unknown }) | undefined;
    try {
      await run(empty, { registry: 'ecr', yes: true });
    } catch (error) {
      failure = error as Error & { code?: unknown };
    }
    expect(failure?.message).toContain('is not a project generated by generator-wpsn-docker');
    expect(failure?.code).toBe(2);
  });
});

describe('every target is one folder', () => {
  it.each(ALL)('%s: its folder holds its module, push script, README sections and tests', (target) => {
    const dir = join(REPO_ROOT, 'targets/registry', target);
    for (const file of ['index.ts', 'push.sh.ejs', 'readme.en.md.ejs', 'readme.ko.md.ejs', `${target}.test.ts`]) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(readFileSync(join(dir, `${target}.test.ts`), 'utf8')).toContain(`describeRegistryTarget('${target}', {`);
  });
});
