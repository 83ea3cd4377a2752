// Shared by the registry tests: test/unit/registry.test.ts (what every target shares) and
// each target's targets/registry/<id>/<id>.test.ts, which calls describeRegistryTarget with
// its own expectations: the spec values it refuses, its script's exact --dry-run, its
// generation-time defaults, the settings it refuses, its host and credential, its workflow.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.ts';
import { deriveModel, type StackModel } from '../../../core/model.ts';
import { renderAppFiles, type RenderedFile } from '../../../core/render/files.ts';
import { resolveSpec } from '../../../core/spec.ts';
import { REGISTRY_TARGETS, RULES, TARGET_LABELS, type RegistryTarget, type RuleName } from '../../../schema/registry.ts';
import { PUSH_SECRETS, PUSH_SETTINGS, runWithFakes, writeRegistryFakes, type ScriptRun } from './fake-bin.ts';
import { tempDirMaker } from './yo.ts';
import { unpinned } from '../../../targets/registry/action-pins.ts';

export type Obj = Record<string, any>;
export type Env = Record<string, string>;

/** Temp dirs of the importing test file (imported at its top level: removed after its tests). */
export const tempDir = tempDirMaker('wpsn-reg-');

export const ALL = [...REGISTRY_TARGETS];
export const SECRETS: readonly string[] = PUSH_SECRETS;

export function model(values: Obj, dirName = 'demo'): StackModel {
  return deriveModel(resolveSpec([{ source: 'test', values }], { dirName }), { sampleApp: true });
}

function writeFiles(dir: string, files: readonly RenderedFile[]): void {
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content, f.mode === undefined ? undefined : { mode: f.mode });
    if (f.mode !== undefined) chmodSync(path, f.mode);
  }
}

/** A project rendered by the core into a fresh temp dir. */
export function project(values: Obj): { dir: string; files: RenderedFile[] } {
  const files = renderAppFiles(model(values));
  const dir = tempDir();
  writeFiles(dir, files);
  return { dir, files };
}

/** A bin dir with the fake docker, aws, gcloud and az of ./fake-bin.ts. */
export function fakeBin(): { bin: string; log: string } {
  return writeRegistryFakes(tempDir('wpsn-fakebin-'));
}

export function runScript(dir: string, target: string, args: string[], env: Env, fake = fakeBin()): ScriptRun {
  return runWithFakes(join(dir, 'scripts', `push-${target}.sh`), args, fake, tempDir('wpsn-cwd-'), { HOME: dir, ...env });
}

/** Settings under which every target's script has what it needs (tests override some). */
export const FULL_ENV: Env = { ...PUSH_SETTINGS };
/** FULL_ENV without REGISTRY_HOST: push-registry.sh's setting, which the cloud scripts would say they ignore. */
export const CLOUD_ENV: Env = Object.fromEntries(Object.entries(FULL_ENV).filter(([k]) => k !== 'REGISTRY_HOST'));
export const envFor = (target: string): Env => (target === 'registry' ? FULL_ENV : CLOUD_ENV);

/** Resolving these answers fails, and one of the problems is about `field`, its rule containing `rule`. */
export function expectRefused(values: Obj, field: string, rule: string): void {
  try {
    resolveSpec([{ source: 'answers.yaml', values }], { dirName: 'demo' });
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.find((p) => p.field === field)!.rule).toContain(rule);
  }
}

/** The publish workflow of one target, parsed. */
export function workflow(target: RegistryTarget, values: Obj = {}): Obj {
  const file = renderAppFiles(model({ registries: { targets: [target], ...values } })).find((f) => f.path === `.github/workflows/publish-${target}.yml`)!;
  return parseYaml(file.content) as Obj;
}

/** Each step's action as its major reference (owner/repo@vN), whether the workflow pins it to a SHA or not. */
export const usesOf = (wf: Obj): string[] => (wf.jobs.publish.steps as Obj[]).map((s) => s.uses).filter(Boolean).map(unpinned);

/** Each `docker login` of a run: the host it named and what it read on stdin. */
export const loginsOf = (calls: string): Array<{ argv: string; stdin: string }> => {
  const lines = calls.split('\n');
  return lines.flatMap((line, i) => (line.startsWith('docker [login]') ? [{ argv: line, stdin: lines[i + 1] ?? '' }] : []));
};

export const pushesOf = (calls: string): string[] => calls.split('\n').filter((l) => l.startsWith('docker [push]'));

/** What a target's test states about it; describeRegistryTarget checks each against the generated files. */
export interface TargetExpectations {
  /** Answers under registries it refuses: [field, registries, part of the rule]. */
  refused: Array<[string, Obj, string]>;
  /** Its script's output under FULL_ENV (CLOUD_ENV for a cloud target) with --dry-run, line by line. */
  dryRun: string[];
  /** Generation-time answers (registries.<id>) and the repository they give the image shop-api. */
  defaults: { settings: Obj; repository: string };
  /** Settings that stop the script with exit 2 before anything runs: [environment, message]. */
  badSettings: Array<[Env, string]>;
  /** The variables the script names, in order, when none is set. */
  missing: string[];
  /** A cloud target's credential: where it logs in, as whom, what it sends, its own host setting and rule. */
  credential?: {
    host: string;
    user: string;
    secret: string;
    variable: string;
    rule: RuleName;
    credential: string;
    /** Other hosts of its own registry, set in its own variable: [environment, repository pushed]. */
    otherHosts: Array<[Env, string]>;
  };
  /** Its publish workflow: the job's permissions, actions it uses, whether it reads repository secrets. */
  workflow: { permissions: Obj; uses: string[]; secrets: boolean };
}

/** The checks every target's script and workflow pass, with that target's expectations. */
export function describeRegistryTarget(target: RegistryTarget, e: TargetExpectations): void {
  describe(`${target}: the spec`, () => {
    it.each(e.refused)('rejects %s = %j', (field, registries, rule) => expectRefused({ registries }, field, rule));
  });

  describe(`${target}: scripts/push-${target}.sh`, () => {
    let dir: string;
    beforeAll(() => {
      dir = project({ registries: { targets: [target] } }).dir;
    });

    it('--dry-run: the exact commands and reference; no docker, cloud CLI or secret', () => {
      const r = runScript(dir, target, ['--dry-run'], envFor(target));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${e.dryRun.join('\n')}\n`);
      expect(r.calls).toBe('');
      for (const secret of SECRETS) expect(r.stdout + r.stderr).not.toContain(secret);
    });

    it('generation-time answers are its defaults', () => {
      const shop = project({ projectName: 'shop', registries: { targets: [target], image: 'shop-api', [target]: e.defaults.settings } }).dir;
      const secrets: Env = { IMAGE_TAG: '7', DOCKERHUB_USERNAME: 'bob', DOCKERHUB_TOKEN: 'x', GITHUB_ACTOR: 'me', GITHUB_TOKEN: 'x', REGISTRY_USERNAME: 'u', REGISTRY_PASSWORD: 'x' };
      const r = runScript(shop, target, ['-n'], secrets);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`would push ${e.defaults.repository}:7\n`);
      expect(r.stdout).toContain('+ docker compose --project-name shop build app\n+ docker tag shop-app ');
    });

    it.each(e.badSettings)('bad settings exit 2 naming the variable, before anything runs: %j', (overrides, message) => {
      const r = runScript(dir, target, [], { ...envFor(target), ...overrides });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`push-${target}.sh: nothing was run; fix these settings:`);
      expect(r.stderr).toContain(`  - ${message}`);
      expect(r.calls).toBe('');
      for (const secret of SECRETS) expect(r.stderr).not.toContain(secret);
    });

    it('without settings: exit 2 listing each missing variable', () => {
      for (const args of [[], ['--dry-run']]) {
        const r = runScript(dir, target, args, {});
        expect(r.code).toBe(2);
        const listed = r.stderr.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4).split(' ')[0]);
        expect(listed).toEqual(e.missing);
        for (const name of e.missing) expect(r.stderr).toContain(`  - ${name} is required and not set`);
        expect(r.calls).toBe('');
      }
    });
  });

  const own = e.credential;
  if (own) {
    describe(`${target}: its credential only ever goes to its own registry's host (real runs against fake CLIs)`, () => {
      let dir: string;
      beforeAll(() => {
        dir = project({ registries: { targets: [target] } }).dir;
      });
      const label = TARGET_LABELS[target];

      it('takes another host of its own registry from its own variable, with no warning', () => {
        expect(own.otherHosts.length).toBeGreaterThan(0);
        for (const [env, repo] of own.otherHosts) {
          const r = runScript(dir, target, ['-n'], { ...CLOUD_ENV, ...env });
          expect(r.code, r.stderr).toBe(0);
          expect(r.stderr).toBe('');
          expect(r.stdout).toContain(`would push ${repo}:v1.2.3\n`);
          expect(r.stdout).toContain(`--password-stdin ${repo.slice(0, repo.indexOf('/'))}\n`);
        }
      });

      it('with REGISTRY_HOST=evil.example exported: logs in and pushes to its own host only, and says it ignores REGISTRY_HOST', () => {
        const r = runScript(dir, target, [], { ...CLOUD_ENV, REGISTRY_HOST: 'evil.example' });
        expect(r.code, r.stderr).toBe(0);
        expect(loginsOf(r.calls)).toEqual([{ argv: `docker [login] [--username] [${own.user}] [--password-stdin] [${own.host}]`, stdin: `stdin [${own.secret}]` }]);
        const pushes = pushesOf(r.calls);
        expect(pushes).toHaveLength(2);
        for (const p of pushes) expect(p.startsWith(`docker [push] [${own.host}/`), p).toBe(true);
        expect(r.calls + r.stdout).not.toContain('evil.example');
        expect(r.stderr).toBe(
          `push-${target}.sh: REGISTRY_HOST=evil.example is ignored: it is the setting of push-registry.sh; this script logs in to ${label} only (set ${own.variable} for another ${label} host)\n`,
        );
      });

      it('a host of another domain in its own variable exits 2 naming the variable, the value and the rule; nothing runs', () => {
        // A stranger, and a look-alike that only ends differently.
        for (const foreign of ['evil.example', `${own.host}.evil.example`, '127.0.0.1:5000']) {
          for (const args of [[], ['--dry-run']]) {
            const r = runScript(dir, target, args, { ...CLOUD_ENV, [own.variable]: foreign });
            expect(r.code, r.stderr).toBe(2);
            expect(r.calls).toBe('');
            expect(r.stdout).toBe('');
            expect(r.stderr).toContain(
              `  - ${own.variable}=${foreign} is not valid: it must be ${RULES[own.rule].text}, because ${own.credential} is sent to it (set ${own.variable}_ALLOW_FOREIGN=1 to send it to this host anyway)\n`,
            );
          }
        }
      });

      it('with its _ALLOW_FOREIGN=1 a foreign host is used, after a warning naming the credential', () => {
        const mirror = 'mirror.example.com:5000';
        const r = runScript(dir, target, [], { ...CLOUD_ENV, [own.variable]: mirror, [`${own.variable}_ALLOW_FOREIGN`]: '1' });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toBe(
          `push-${target}.sh: warning: ${own.variable}=${mirror} is not a host of ${label}, accepted because ${own.variable}_ALLOW_FOREIGN=1: ${own.credential} goes to ${mirror}\n`,
        );
        expect(loginsOf(r.calls)).toEqual([{ argv: `docker [login] [--username] [${own.user}] [--password-stdin] [${mirror}]`, stdin: `stdin [${own.secret}]` }]);
        for (const p of pushesOf(r.calls)) expect(p.startsWith(`docker [push] [${mirror}/`), p).toBe(true);
        // The switch only opens the target's own variable: REGISTRY_HOST stays ignored.
        const generic = runScript(dir, target, ['-n'], { ...CLOUD_ENV, REGISTRY_HOST: mirror, [`${own.variable}_ALLOW_FOREIGN`]: '1' });
        expect(generic.code, generic.stderr).toBe(0);
        expect(generic.stdout).toContain(`--password-stdin ${own.host}\n`);
        expect(generic.stdout).not.toContain(mirror);
      });
    });
  }

  describe(`${target}: .github/workflows/publish-${target}.yml`, () => {
    it(e.workflow.secrets ? 'signs in with a repository secret' : 'signs in through OIDC: no stored secret', () => {
      const wf = workflow(target);
      expect(wf.jobs.publish.permissions).toEqual(e.workflow.permissions);
      expect(usesOf(wf)).toEqual(expect.arrayContaining(e.workflow.uses));
      expect(JSON.stringify(wf).includes('secrets.')).toBe(e.workflow.secrets);
    });
  });
}
