// Security: no value the generator puts into a generated script (scripts/push-*.sh,
// scripts/deploy-*.sh, scripts/offline-load.sh) or into a shell block of README.Docker.md
// ever runs as a command.
//
// Two sets of values, each rendered through the real pipeline, then every script checked
// by shellcheck and bash -n and run (--help, --dry-run) with fake CLIs, and every README
// shell block run by bash with nothing on PATH:
//   - hostile but schema-valid: "$(...)", backticks, quotes and ";" where the schema allows
//     them (commands and environment values of the app and extra services), parentheses in
//     Azure resource groups, ":" in Google Cloud projects, IPv6 registry hosts;
//   - values that bypass the schema (a spec bent after validation), so that a later, wider
//     alphabet cannot turn a value into a command either.
// A value that ran would append to a marker file with bash's own echo (no PATH needed).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveModel, type StackModel } from '../../core/model.ts';
import { renderAppFiles, type RenderedFile } from '../../core/render/files.ts';
import { resolveSpec } from '../../core/spec.ts';
import { renderTemplate } from '../../core/templates.ts';
import { REGISTRY_TARGETS } from '../../schema/registry.ts';
import { PUSH_SETTINGS, runWithFakes, UNUSUAL_REGISTRIES, writeRegistryFakes } from './helpers/fake-bin.ts';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
function tempDir(prefix = 'wpsn-sec-shell-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  roots.push(dir);
  return dir;
}

/** Where a value that ran leaves its mark. */
const MARKS = tempDir('wpsn-sec-marks-');
/** A value that, run by bash in any of three ways, appends to MARKS/<tag>-N. */
const evil = (tag: string) => `$(echo pwned >>${MARKS}/${tag}-1)\`echo pwned >>${MARKS}/${tag}-2\`;echo pwned >>${MARKS}/${tag}-3;'"\\`;
const marks = () => readdirSync(MARKS);

const DEPLOY_TARGETS = ['swarm', 'kubernetes', 'ecs', 'aca'];

/** The files of a spec (bent after validation when `bend` is given), written into a project with its secrets. */
function project(values: Record<string, unknown>, bend?: (spec: any) => void): { dir: string; files: RenderedFile[]; model: StackModel } {
  const spec = resolveSpec([{ source: 'test', values }], { dirName: 'shop' });
  bend?.(spec);
  const model = deriveModel(spec, { sampleApp: true });
  const files = renderAppFiles(model);
  const dir = tempDir();
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    if (f.mode !== undefined) chmodSync(path, f.mode);
  }
  mkdirSync(join(dir, 'secrets'), { recursive: true });
  for (const s of model.secrets) writeFileSync(join(dir, s.file), 'not-a-real-secret\n');
  return { dir, files, model };
}

const scriptsOf = (files: readonly RenderedFile[]) => files.filter((f) => f.path.startsWith('scripts/') && f.path.endsWith('.sh')).map((f) => f.path);

/** Settings under which every push and deploy script gets past its checks in a dry run. */
const RUN_ENV: Record<string, string> = {
  ...PUSH_SETTINGS,
  APP_IMAGE: 'registry.example.com/shop:1',
  ECS_CLUSTER: 'cluster-1',
  ECS_SERVICE: 'service-1',
  AZURE_RESOURCE_GROUP: 'rg-1',
  ACA_ENVIRONMENT: 'env-1',
  ACA_APP: 'app-1',
  K8S_NAMESPACE: 'ns-1',
  STACK_NAME: 'stack1',
  REDIS_URL: 'rediss://cache.example.com:6379',
  DATABASE_URL: 'postgres://app@db.example.com:5432/app',
};

/**
 * Runs each script with --help and --dry-run; none may call a CLI. Every dry run must get
 * through, except that `refusable` ones may stop at their settings checks (exit 2).
 */
function runAll(dir: string, scripts: readonly string[], env: Record<string, string> = {}, refusable: readonly string[] = []): void {
  const fake = writeRegistryFakes(tempDir('wpsn-sec-fakes-'));
  for (const name of ['kubectl']) writeFileSync(join(fake.bin, name), '#!/bin/sh\necho "unexpected $0" >&2\nexit 97\n', { mode: 0o755 });
  for (const script of scripts) {
    const help = runWithFakes(join(dir, script), ['--help'], fake, dir, { HOME: dir, ...RUN_ENV, ...env });
    expect(help.code, `${script} --help: ${help.stderr}`).toBe(0);
    if (script.endsWith('offline-load.sh')) continue;
    // db-restore.sh takes the dump to restore (a file it only checks in a dry run).
    const file = script.endsWith('db-restore.sh') ? [join(dir, 'README.Docker.md')] : [];
    const dry = runWithFakes(join(dir, script), ['--dry-run', ...file], fake, dir, { HOME: dir, ...RUN_ENV, ...env });
    expect(refusable.includes(script) ? [0, 2] : [0], `${script} --dry-run:\n${dry.stderr}`).toContain(dry.code);
    expect(dry.calls, script).toBe('');
  }
}

/** README.Docker.md's bash blocks, each run by bash in an empty folder with nothing on PATH. */
function runReadmeBlocks(readme: string): number {
  const blocks = [...readme.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  const cwd = tempDir('wpsn-sec-readme-');
  const empty = tempDir('wpsn-sec-path-');
  for (const block of blocks) {
    expect(spawnSync('bash', ['-n'], { input: block }).status, block).toBe(0);
    // Every command is "not found" (and ignored): only expansions could run anything.
    spawnSync('bash', ['-c', `command_not_found_handle() { return 0; }\n${block}`], { cwd, env: { PATH: empty, HOME: cwd }, input: '', timeout: 10_000 });
  }
  return blocks.length;
}

function shellcheck(dir: string, scripts: readonly string[], severity: 'style' | 'warning'): string {
  const r = spawnSync('shellcheck', ['--shell=bash', `--severity=${severity}`, ...scripts.map((s) => join(dir, s))], { encoding: 'utf8' });
  expect(r.error, 'shellcheck is installed (scripts/test-env.sh)').toBeUndefined();
  return r.stdout + r.stderr;
}

describe('hostile values the schema accepts', () => {
  const values = {
    projectName: 'shop',
    workshop: true,
    app: { command: ['node', 'server.js', evil('app-cmd'), "it's", '${HOME}', '*'], healthPath: '/a%24b~c_d.e' },
    database: { kind: 'postgres', name: '_db_1', user: '_u' },
    extraServices: [{ name: 'worker', image: 'busybox:1.36', command: ['sh', '-c', evil('x-cmd')], environment: { EVIL: evil('x-env'), QUOTE: "it's \"x\"" } }],
    // Parentheses in the resource group, ":" in the project, an IPv6 registry host.
    registries: UNUSUAL_REGISTRIES,
    deploy: {
      targets: DEPLOY_TARGETS,
      kubernetes: { flavour: 'eks', namespace: 'n-1' },
      ecs: { cluster: 'C_1-x', service: 'S-1', redis: 'elasticache' },
      aca: { resourceGroup: 'rg-(x)_(y)', environment: 'env-1', appName: 'app-1' },
    },
  };

  it('every script is shellcheck-clean (style) and parses; --help and --dry-run run nothing a value holds', () => {
    const { dir, files } = project(values);
    const scripts = scriptsOf(files);
    // Push, deploy, offline-load, and the database's backup and restore scripts.
    expect(scripts.length).toBe(13);
    expect(shellcheck(dir, scripts, 'style')).toBe('');
    for (const s of scripts) expect(spawnSync('bash', ['-n', join(dir, s)]).status, s).toBe(0);
    // Without the settings, every dry run also takes its defaults from the generated values.
    runAll(dir, scripts);
    runAll(dir, scripts, { AZURE_RESOURCE_GROUP: '', ECS_CLUSTER: '', ECS_SERVICE: '', K8S_NAMESPACE: '' });
    expect(marks()).toEqual([]);
  });

  it('README.Docker.md: every bash block parses, and running them runs no value', () => {
    for (const lang of ['en', 'ko']) {
      const { files } = project({ ...values, lang });
      const readme = files.find((f) => f.path === 'README.Docker.md')!.content;
      expect(runReadmeBlocks(readme)).toBeGreaterThan(10);
    }
    expect(marks()).toEqual([]);
  });
});

describe('values that bypass the schema', () => {
  const hostile = evil('bent');
  const bend = (spec: any): void => {
    spec.projectName = `shop${hostile}`;
    spec.registries.acr.resourceGroup = `rg${hostile}`;
    spec.registries.registry.namespace = `team${hostile}`;
    spec.deploy.aca.resourceGroup = `rg${hostile}`;
    spec.database.name = `db${hostile}`;
    spec.database.user = `u${hostile}`;
  };
  const values = { workshop: true, database: { kind: 'postgres' }, registries: { targets: [...REGISTRY_TARGETS] }, deploy: { targets: DEPLOY_TARGETS, ecs: { redis: 'sidecar' } } };

  it('every script still parses, shellcheck finds no error or warning, and no run executes a value', () => {
    const { dir, files, model } = project(values, bend);
    expect(model.projectName).toBe(`shop${hostile}`);
    const scripts = scriptsOf(files);
    // Push, deploy, offline-load, and the database's backup and restore scripts.
    expect(scripts.length).toBe(13);
    // Single-quoted "$(...)" is what quoting is for (SC2016 is information only).
    expect(shellcheck(dir, scripts, 'warning')).toBe('');
    for (const s of scripts) expect(spawnSync('bash', ['-n', join(dir, s)]).status, s).toBe(0);
    // The runtime checks refuse some of these defaults (a second defence): those scripts may
    // stop there. The deploy scripts get past theirs, into the code that uses the values.
    runAll(dir, scripts, {}, scripts.filter((s) => s.includes('/push-')));
    // The values really reached the scripts' code, not only their comments.
    expect(readFileSync(join(dir, 'scripts/deploy-ecs.sh'), 'utf8')).toContain("local prefix='shop$(echo pwned");
    expect(readFileSync(join(dir, 'scripts/deploy-kubernetes.sh'), 'utf8')).toContain("placeholder='shop$(echo pwned");
    expect(marks()).toEqual([]);
  });

  it('README.Docker.md, the registry and deploy sections: running every bash block runs no value', () => {
    for (const lang of ['en', 'ko'] as const) {
      const { model } = project({ ...values, lang }, bend);
      const sections = ['targets/registry', 'targets/deploy'].map((t) => renderTemplate(`${t}/readme.${lang}.md.ejs`, { ...model, lang })).join('\n');
      expect(sections).toContain('pwned');
      expect(runReadmeBlocks(sections)).toBeGreaterThan(8);
    }
    expect(marks()).toEqual([]);
  });

  it('a value with a line break never reaches a push script\'s comment header: rendering stops', () => {
    expect(() => project({ registries: { targets: ['ghcr'] } }, (spec) => (spec.projectName = `shop\necho pwned >>${MARKS}/newline`))).toThrow(
      /scripts\/push-ghcr\.sh has a line outside its comment header/,
    );
  });
});
