// Registry push targets, rendered from the list of target modules (./index.ts): the model
// (m.registry), the push scripts (each target's push.sh.ejs with the shared header and
// shell library), the publish workflows (typed objects serialised with `yaml`) and the
// Dependabot config. Pure: no file system access besides reading templates.
import type { RenderedFile } from '../../core/rendered.ts';
import { shellQuote } from '../../core/shell.ts';
import { renderTemplate } from '../../core/templates.ts';
import { stringifyYaml } from '../../core/yaml.ts';
import { defaultImageName, REGISTRY_TARGETS, RULES, type RegistriesSpec, type RegistryTarget, type RuleName } from '../../schema/registry.ts';
import { REGISTRY_MODULES } from './index.ts';
import { t, variable } from './shared.ts';
import type { HostOverride, Obj, RegistryModel, RegistryTargetModel, RegistryTargetModule, RegistryVariable, TargetSettings } from './types.ts';
import { Scalar } from 'yaml';
import { usesRef } from './action-pins.ts';
import { ACTIONS, checkStep, expr, setupSteps, tagSteps, varOr } from './workflow.ts';

export type { CiSetting, HostOverride, RegistryModel, RegistryTargetModel, RegistryVariable, ShellRule, Text } from './types.ts';

/** The Dockerfile stage Compose builds for the app (build.target in docker-compose.yml). */
const BUILD_TARGET = 'runtime';

type Module = RegistryTargetModule<RegistryTarget, TargetSettings>;

const MODULES = new Map<string, Module>(REGISTRY_MODULES.map((m) => [m.id, m as unknown as Module]));

function moduleOf(id: string): Module {
  const module = MODULES.get(id);
  if (!module) throw new Error(`internal error: no registry target ${id}`);
  return module;
}

/** README lines: export each required setting that has no default, read secrets unechoed, push. */
function commandsFor(script: string, variables: readonly RegistryVariable[]): { en: string[]; ko: string[] } {
  const lines = (pasteIt: string, dryRun: string): string[] => {
    const out: string[] = [];
    for (const v of variables) {
      if (v.secret) out.push(`read -rs ${v.name} && export ${v.name}   # ${pasteIt}`);
      else if (v.required && v.value === undefined) out.push(`export ${v.name}=${shellQuote(v.example ?? '...')}`);
    }
    out.push(`${script} --dry-run   # ${dryRun}`, script);
    return out;
  };
  return {
    en: lines('paste it: not echoed, not in the shell history', 'every command it would run; runs none'),
    ko: lines('붙여 넣기: 화면과 셸 기록에 남지 않음', '실행할 명령만 출력하고 실행하지 않음'),
  };
}

function hostOverride(module: Module): HostOverride | undefined {
  const o = module.hostOverride;
  if (!o) return undefined;
  const variable = `${o.prefix}_REGISTRY_HOST`;
  const args = [variable, o.rule, module.label, o.credential.en].map(shellQuote).join(' ');
  return { variable, allow: `${variable}_ALLOW_FOREIGN`, rule: o.rule, credential: o.credential, args };
}

/** The two settings of a cloud target's host override, for its help, README and model. */
function hostOverrideVariables(module: Module, h: HostOverride | undefined): RegistryVariable[] {
  const o = module.hostOverride;
  if (!h || !o) return [];
  const label = module.label;
  return [
    variable(h.variable, t(`push to this host of ${label} instead (${o.example.en}); a host of another domain is refused`, `이 ${label} 호스트로 대신 푸시 (${o.example.ko}); 다른 도메인의 호스트는 거부`), {
      fallback: o.computed,
    }),
    variable(h.allow, t(`1: let ${h.variable} name a host outside ${label} (a mirror, a test registry); ${h.credential.en} is then sent there`, `1: ${h.variable}에 ${label} 밖의 호스트도 허용 (미러, 테스트 레지스트리); 그러면 ${h.credential.ko}이(가) 그 호스트로 전송됨`), {
      value: '0',
    }),
  ];
}

/** The registry model (m.registry): every target's, and the chosen ones in the canonical order. */
export function deriveRegistry(spec: { projectName: string; registries: RegistriesSpec }, app: { localImage: string; service: string }): RegistryModel<RegistryTarget> {
  const r = spec.registries;
  const image = r.image ?? defaultImageName(spec.projectName);
  const byId = {} as Record<RegistryTarget, RegistryTargetModel<RegistryTarget>>;
  for (const id of REGISTRY_TARGETS) {
    const module = moduleOf(id);
    const settings = r[id] as TargetSettings;
    const override = hostOverride(module);
    const variables = [...module.variables(settings), ...hostOverrideVariables(module, override)];
    byId[id] = {
      id,
      label: module.label,
      script: `scripts/push-${id}.sh`,
      workflow: `.github/workflows/publish-${id}.yml`,
      repository: module.repository(settings, image),
      variables,
      // Shell-quoted: each variable's generation-time default, and the rule IMAGE follows.
      sh: { ...Object.fromEntries(variables.map((v) => [v.name, shellQuote(v.value ?? '')])), imageRule: shellQuote(module.imageRule) },
      imageRule: module.imageRule,
      commands: commandsFor(`scripts/push-${id}.sh`, variables),
      hostOverride: override,
      ci: module.ci(settings),
    };
  }
  const common = [
    variable('IMAGE', t('the repository name', '저장소(이미지) 이름'), { value: image }),
    variable('IMAGE_TAG', t('the tag pushed', '푸시할 태그'), {
      fallback: t('the git short SHA, or latest outside a git repository', 'git 짧은 SHA (git 저장소가 아니면 latest)'),
    }),
    variable('PUSH_LATEST', t('also push the tag latest: 1 or 0', 'latest 태그도 푸시할지: 1 또는 0'), { value: '1' }),
    variable('PLATFORMS', t('build and push a multi-platform image with buildx, such as linux/amd64,linux/arm64', 'buildx로 멀티 플랫폼 이미지를 빌드해 푸시 (예: linux/amd64,linux/arm64)'), {
      value: r.platforms,
      fallback: t('none: the platform of the local build', '없음: 로컬 빌드의 플랫폼'),
    }),
    variable('SKIP_BUILD', t(`1: push the existing local image ${app.localImage} instead of building it`, `1: 빌드하지 않고 기존 로컬 이미지 ${app.localImage}를 푸시`), { value: '0' }),
  ];
  return {
    targets: r.targets.map((id) => byId[id]),
    byId,
    any: r.targets.length > 0,
    image,
    localImage: app.localImage,
    service: app.service,
    projectName: spec.projectName,
    buildTarget: BUILD_TARGET,
    platforms: r.platforms,
    branch: r.branch,
    common,
    sh: {
      projectName: shellQuote(spec.projectName),
      service: shellQuote(app.service),
      localImage: shellQuote(app.localImage),
      buildTarget: shellQuote(BUILD_TARGET),
      image: shellQuote(image),
      platforms: shellQuote(r.platforms ?? ''),
    },
    rules: (Object.keys(RULES) as RuleName[]).map((name) => {
      const rule = RULES[name];
      return { name, pattern: shellQuote(rule.pattern), min: rule.min, max: rule.max, text: shellQuote(rule.text) };
    }),
    actions: Object.assign({}, ACTIONS, ...REGISTRY_MODULES.map((m) => ('actions' in m ? m.actions : {}))) as Readonly<Record<string, string>>,
    actionRefs: r.actionRefs,
    updates: r.updates,
  };
}

// ---------------------------------------------------------------------------------------
// Workflows

/** The publish job: [check the settings], check out and set up Buildx, the target's own steps, tag, build and push. */
function targetJob(model: RegistryModel, target: RegistryTargetModel): { permissions: Obj; env: Obj; steps: Obj[] } {
  const part = moduleOf(target.id).workflow((name) => target.variables.find((x) => x.name === name)?.value);
  return {
    permissions: { contents: 'read', ...part.permissions },
    env: { IMAGE: varOr('IMAGE', model.image), PLATFORMS: varOr('PLATFORMS', model.platforms ?? 'linux/amd64'), ...part.env },
    steps: [...(part.check ? [checkStep(part.check)] : []), ...setupSteps(), ...part.steps, ...tagSteps(part.images, target.id, model.buildTarget)],
  };
}

export function workflowObject(model: RegistryModel, target: RegistryTargetModel): Obj {
  const job = targetJob(model, target);
  return {
    name: `Publish to ${target.label}`,
    on: {
      push: { branches: [model.branch], tags: ['v*.*.*'] },
      workflow_dispatch: {},
    },
    permissions: { contents: 'read' },
    concurrency: { group: `publish-${target.id}-${expr('github.ref')}`, 'cancel-in-progress': false },
    jobs: {
      publish: {
        name: `Build and push to ${target.label}`,
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 60,
        permissions: job.permissions,
        env: job.env,
        steps: job.steps,
      },
    },
  };
}

/**
 * The workflow with every step's `uses:` as the model asks: a plain (unquoted) reference
 * pinned to its commit SHA with the tag as a trailing comment, as Dependabot and Renovate
 * write and update it, or the major tag.
 */
export function pinnedWorkflowObject(model: RegistryModel, target: RegistryTargetModel): Obj {
  const workflow = workflowObject(model, target);
  for (const job of Object.values(workflow['jobs'] as Record<string, { steps: Obj[] }>)) {
    job.steps = job.steps.map((step) => {
      if (typeof step['uses'] !== 'string') return step;
      const { ref, comment } = usesRef(step['uses'], model.actionRefs);
      const node = new Scalar(ref);
      node.type = Scalar.PLAIN;
      if (comment) node.comment = ` ${comment}`;
      return { ...step, uses: node };
    });
  }
  return workflow;
}

export function renderWorkflow(model: RegistryModel, target: RegistryTargetModel): string {
  return stringifyYaml(
    pinnedWorkflowObject(model, target),
    ` Generated by generator-wpsn-docker: builds the app image and pushes it to ${target.label}\n` +
      ` (${target.repository}). One-time set-up and the variables it reads: README.Docker.md.\n` +
      ` Same steps by hand: ${target.script}`,
  );
}

/**
 * `.github/dependabot.yml`: the Dockerfile's base image (its literal FROM: Dependabot reads no
 * ARG), the images of the Compose file (its own `docker-compose` ecosystem), the app's
 * dependencies (`npm` covers npm, pnpm and Yarn lockfiles) and the workflows' actions.
 * Minor and patch updates come grouped, one pull request per ecosystem and week.
 */
export function dependabotObject(): Obj {
  const weekly = { interval: 'weekly' };
  return {
    version: 2,
    updates: [
      { 'package-ecosystem': 'docker', directory: '/', schedule: weekly },
      { 'package-ecosystem': 'docker-compose', directory: '/', schedule: weekly },
      {
        'package-ecosystem': 'npm',
        directory: '/',
        schedule: weekly,
        groups: { dependencies: { 'update-types': ['minor', 'patch'] } },
      },
      {
        'package-ecosystem': 'github-actions',
        directory: '/',
        schedule: weekly,
        groups: { actions: { patterns: ['*'] } },
      },
    ],
  };
}

/**
 * `renovate.json` (registries.updates "renovate"), Renovate's counterpart of dependabot.yml:
 * its recommended preset reads the same files (the Dockerfile's FROM, the Compose images,
 * package.json and its lockfile, the workflows' `uses:`, SHA pins and their tag comments
 * included); minor and patch updates of the app's dependencies, and the actions, come grouped,
 * weekly.
 */
export function renovateObject(): Obj {
  return {
    $schema: 'https://docs.renovatebot.com/renovate-schema.json',
    description: [
      'Generated by generator-wpsn-docker: keeps the Dockerfile base image, the Compose images, the app\'s dependencies and the publish workflows\' actions current.',
    ],
    extends: ['config:recommended'],
    schedule: ['before 6am on monday'],
    packageRules: [
      {
        description: "The app's dependencies: minor and patch updates in one pull request",
        matchManagers: ['npm'],
        matchUpdateTypes: ['minor', 'patch'],
        groupName: 'app dependencies (minor and patch)',
      },
      { description: "The publish workflows' actions in one pull request", matchManagers: ['github-actions'], groupName: 'GitHub Actions' },
    ],
  };
}

/**
 * A generated script whose header (its help text) is comments only, up to `set -euo pipefail`.
 * The header names values (the repository, the defaults): one with a line break would turn
 * the rest of its line into a command. The schema allows none; this makes sure of it.
 */
export function commentedHeader(path: string, script: string): string {
  const lines = script.split('\n');
  const end = lines.findIndex((line) => !line.startsWith('#'));
  if (lines[end] !== 'set -euo pipefail') {
    throw new Error(`internal error: ${path} has a line outside its comment header (a value with a line break?): ${JSON.stringify(lines[end])}`);
  }
  return script;
}

/** Scripts, workflows and the Dependabot (or Renovate) config for the chosen targets (none when no target). */
export function renderRegistryFiles(model: { registry: RegistryModel }): RenderedFile[] {
  const registry = model.registry;
  const files: RenderedFile[] = [];
  for (const target of registry.targets) {
    const script = commentedHeader(target.script, renderTemplate(`targets/registry/${target.id}/push.sh.ejs`, model));
    files.push({ path: target.script, content: script, kind: 'generated', mode: 0o755 });
    files.push({ path: target.workflow, content: renderWorkflow(registry, target), kind: 'generated' });
  }
  if (registry.any && registry.updates === 'renovate') {
    files.push({ path: 'renovate.json', content: `${JSON.stringify(renovateObject(), null, 2)}\n`, kind: 'generated' });
  } else if (registry.any) {
    files.push({
      path: '.github/dependabot.yml',
      content: stringifyYaml(
        dependabotObject(),
        ' Generated by generator-wpsn-docker: keeps the Dockerfile base image, the Compose images,\n the app\'s dependencies and the publish workflows\' actions current (weekly pull requests).',
      ),
      kind: 'generated',
    });
  }
  return files;
}
