// Registry push targets: the derived model (m.registry), the push scripts (EJS, one shared
// shell library), the publish workflows (typed objects serialised with `yaml`) and the
// Dependabot config. Pure: no file system access besides reading templates.
import { Scalar } from 'yaml';
import type { StackSpec } from '../../schema/stack.ts';
import {
  defaultImageName,
  IMAGE_RULE,
  REGISTRY_TARGETS,
  RULES,
  TARGET_LABELS,
  type RegistryTarget,
  type RuleName,
} from '../../schema/registry.ts';
import { InputError } from '../errors.ts';
import type { StackModel } from '../model.ts';
import { ANSWER_OPTIONS, type AnswerOption } from '../options.ts';
import type { Inputs } from '../project.ts';
import { shellQuote } from '../shell.ts';
import { renderTemplate } from '../templates.ts';
import { stringifyYaml } from '../yaml.ts';
import type { RenderedFile } from '../rendered.ts';

/** The Dockerfile stage Compose builds for the app (build.target in docker-compose.yml). */
const BUILD_TARGET = 'runtime';

/** Action majors the workflows use; Dependabot keeps them current afterwards. */
export const ACTIONS = {
  checkout: 'actions/checkout@v7',
  qemu: 'docker/setup-qemu-action@v4',
  buildx: 'docker/setup-buildx-action@v4',
  login: 'docker/login-action@v4',
  metadata: 'docker/metadata-action@v6',
  buildPush: 'docker/build-push-action@v7',
  aws: 'aws-actions/configure-aws-credentials@v6',
  ecrLogin: 'aws-actions/amazon-ecr-login@v2',
  gcpAuth: 'google-github-actions/auth@v3',
  gcloud: 'google-github-actions/setup-gcloud@v3',
  azure: 'azure/login@v3',
} as const;

export interface Text {
  en: string;
  ko: string;
}

export interface RegistryVariable {
  name: string;
  description: Text;
  /** The generation-time default, when one was given. */
  value?: string;
  /** How the script fills it when neither the environment nor a generation-time answer does. */
  fallback?: Text;
  required: boolean;
  secret: boolean;
  /** A sample value for the README's commands. */
  example?: string;
}

/** A repository variable or secret the publish workflow reads. */
export interface CiSetting {
  name: string;
  secret: boolean;
  required: boolean;
  description: Text;
  /** The generation-time default the workflow falls back to. */
  value?: string;
}

export interface RegistryTargetModel {
  id: RegistryTarget;
  label: string;
  script: string;
  workflow: string;
  /** The repository the script pushes, generation-time values filled in, the rest as <VARIABLE>. */
  repository: string;
  /** Target-specific settings, in the order the script reads them. */
  variables: RegistryVariable[];
  /** Shell-quoted: the generation-time default per variable ('' when none), and imageRule. */
  sh: Record<string, string>;
  /** The rule the target applies to IMAGE. */
  imageRule: RuleName;
  /** Shell lines for the README: export what is needed, then the one command that pushes. */
  commands: { en: string[]; ko: string[] };
  /** Cloud targets: the setting that names another host of the same registry (none for `registry`). */
  hostOverride: HostOverride | undefined;
  /** What the publish workflow reads from the repository's variables and secrets. */
  ci: CiSetting[];
}

/**
 * A cloud target's host override: VARIABLE names another host of the same registry (a FIPS
 * or dual-stack endpoint, ...); a host outside the registry's domain needs ALLOW=1, because
 * the target's credential is sent to whatever host the script logs in to.
 */
export interface HostOverride {
  variable: string;
  allow: string;
  /** The rule the host must follow (lowercased first). */
  rule: RuleName;
  /** What the script sends to the host, for the warning and the refusal. */
  credential: Text;
  /** The arguments of the shell library's host_override, each shell-quoted, joined by spaces. */
  args: string;
}

/** A naming rule as the shell library embeds it: pattern and text already shell-quoted. */
export interface ShellRule {
  name: RuleName;
  pattern: string;
  min: number;
  max: number;
  text: string;
}

export interface RegistryModel {
  /** Targets chosen, in the canonical order. */
  targets: RegistryTargetModel[];
  /** Every target (chosen or not), for templates that name one. */
  byId: Record<RegistryTarget, RegistryTargetModel>;
  any: boolean;
  /** The repository name pushed (IMAGE's default). */
  image: string;
  localImage: string;
  service: string;
  projectName: string;
  buildTarget: string;
  platforms: string | undefined;
  branch: string;
  /** Settings every script reads. */
  common: RegistryVariable[];
  /** Shell-quoted values the shared library embeds. */
  sh: Record<string, string>;
  /** The naming rules, shell-quoted, for the shared library. */
  rules: ShellRule[];
  /** Action references the workflows use. */
  actions: typeof ACTIONS;
}

// One quoting function for every generated script (core/shell.ts); deploy's model imports it from here.
export { shellQuote };

const t = (en: string, ko: string): Text => ({ en, ko });

function variable(
  name: string,
  description: Text,
  options: { value?: string | undefined; fallback?: Text; required?: boolean; secret?: boolean; example?: string } = {},
): RegistryVariable {
  const v: RegistryVariable = { name, description, required: options.required ?? false, secret: options.secret ?? false };
  if (options.value !== undefined) v.value = options.value;
  if (options.fallback) v.fallback = options.fallback;
  if (options.example !== undefined) v.example = options.example;
  return v;
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

function ciSettings(spec: StackSpec['registries'], id: RegistryTarget): CiSetting[] {
  const c = (name: string, description: Text, options: { secret?: boolean; required?: boolean; value?: string | undefined } = {}): CiSetting => {
    const setting: CiSetting = { name, description, secret: options.secret ?? false, required: options.required ?? true };
    if (options.value !== undefined) setting.value = options.value;
    if (setting.value !== undefined) setting.required = false;
    return setting;
  };
  switch (id) {
    case 'dockerhub':
      return [
        c('DOCKERHUB_USERNAME', t('your Docker Hub user name', 'Docker Hub 사용자 이름')),
        c('DOCKERHUB_TOKEN', t('the access token', '액세스 토큰'), { secret: true }),
        c('DOCKERHUB_NAMESPACE', t('user or organisation; DOCKERHUB_USERNAME when unset', '사용자 또는 조직; 비어 있으면 DOCKERHUB_USERNAME'), {
          required: false,
          value: spec.dockerhub.namespace,
        }),
      ];
    case 'ecr':
      return [
        c('AWS_ROLE_ARN', t('the IAM role the workflow assumes through OIDC', '워크플로가 OIDC로 맡을 IAM 역할')),
        c('AWS_REGION', t('the region of the registry', '레지스트리 리전'), { value: spec.ecr.region }),
      ];
    case 'gar':
      return [
        c('GCP_WORKLOAD_IDENTITY_PROVIDER', t('projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER', 'projects/번호/locations/global/workloadIdentityPools/풀/providers/공급자')),
        c('GCP_SERVICE_ACCOUNT', t('the service account to impersonate (leave unset for direct federation)', '가장할 서비스 계정 (직접 페더레이션이면 비워 둠)'), { required: false }),
        c('GOOGLE_CLOUD_PROJECT', t('the project ID', '프로젝트 ID'), { value: spec.gar.project }),
        c('GAR_LOCATION', t('the repository location', '저장소 위치'), { value: spec.gar.location }),
        c('GAR_REPOSITORY', t('the repository', '저장소'), { value: spec.gar.repository }),
      ];
    case 'acr':
      return [
        c('AZURE_CLIENT_ID', t('the app registration or managed identity with a federated credential for this repository', '이 저장소용 페더레이션 자격 증명이 있는 앱 등록 또는 관리 ID')),
        c('AZURE_TENANT_ID', t('the Microsoft Entra tenant', 'Microsoft Entra 테넌트')),
        c('AZURE_SUBSCRIPTION_ID', t('the subscription of the registry', '레지스트리가 있는 구독')),
        c('ACR_NAME', t('the registry name', '레지스트리 이름'), { value: spec.acr.name }),
        c('AZURE_RESOURCE_GROUP', t('only to create the registry when it is missing', '레지스트리가 없을 때 만들기 위해서만'), { required: false, value: spec.acr.resourceGroup }),
      ];
    case 'ghcr':
      return [
        c('GHCR_OWNER', t('the owner; the repository owner when unset', '소유자; 비어 있으면 저장소 소유자'), { required: false, value: spec.ghcr.owner }),
      ];
    case 'registry':
      return [
        c('REGISTRY_HOST', t('host[:port] of the registry', '레지스트리의 host[:port]'), { value: spec.registry.host }),
        c('REGISTRY_NAMESPACE', t('path prefix inside the registry', '레지스트리 안의 경로 접두사'), { required: false, value: spec.registry.namespace }),
        c('REGISTRY_USERNAME', t('the user name', '사용자 이름')),
        c('REGISTRY_PASSWORD', t('the password or token', '비밀번호 또는 토큰'), { secret: true }),
      ];
  }
}

type CloudTarget = Exclude<RegistryTarget, 'registry'>;

/**
 * Per cloud target: the prefix of its host override (PREFIX_REGISTRY_HOST), the rule its
 * hosts follow, the host the script computes, and the credential that goes to the host.
 */
const HOST_OVERRIDES: Readonly<Record<CloudTarget, { prefix: string; rule: RuleName; computed: Text; example: Text; credential: Text }>> = {
  dockerhub: {
    prefix: 'DOCKERHUB',
    rule: 'dockerhubHost',
    computed: t('docker.io', 'docker.io'),
    example: t('registry-1.docker.io', 'registry-1.docker.io'),
    credential: t('DOCKERHUB_TOKEN', 'DOCKERHUB_TOKEN'),
  },
  ecr: {
    prefix: 'ECR',
    rule: 'ecrHost',
    computed: t('ACCOUNT.dkr.ecr.REGION.amazonaws.com', 'ACCOUNT.dkr.ecr.REGION.amazonaws.com'),
    example: t('a FIPS or dual-stack endpoint', 'FIPS 또는 듀얼 스택 엔드포인트'),
    credential: t('the ECR login token (aws ecr get-login-password)', 'ECR 로그인 토큰 (aws ecr get-login-password)'),
  },
  gar: {
    prefix: 'GAR',
    rule: 'garHost',
    computed: t('GAR_LOCATION-docker.pkg.dev', 'GAR_LOCATION-docker.pkg.dev'),
    example: t('another location, such as us-docker.pkg.dev', '다른 위치 (예: us-docker.pkg.dev)'),
    credential: t('your Google Cloud access token (gcloud auth print-access-token)', 'Google Cloud 액세스 토큰 (gcloud auth print-access-token)'),
  },
  acr: {
    prefix: 'ACR',
    rule: 'acrHost',
    computed: t('the login server az acr show reports (NAME.azurecr.io)', 'az acr show가 알려 주는 로그인 서버 (NAME.azurecr.io)'),
    example: t('NAME.azurecr.cn or NAME.azurecr.us in a sovereign cloud', '국가별 클라우드의 NAME.azurecr.cn, NAME.azurecr.us'),
    credential: t('the registry token of az acr login --expose-token', 'az acr login --expose-token의 레지스트리 토큰'),
  },
  ghcr: {
    prefix: 'GHCR',
    rule: 'ghcrHost',
    computed: t('ghcr.io', 'ghcr.io'),
    example: t('only ghcr.io itself', 'ghcr.io 자신뿐'),
    credential: t('GITHUB_TOKEN', 'GITHUB_TOKEN'),
  },
};

function hostOverride(id: RegistryTarget): HostOverride | undefined {
  if (id === 'registry') return undefined;
  const o = HOST_OVERRIDES[id];
  const variable = `${o.prefix}_REGISTRY_HOST`;
  const credential = o.credential;
  const args = [variable, o.rule, TARGET_LABELS[id], credential.en].map(shellQuote).join(' ');
  return { variable, allow: `${variable}_ALLOW_FOREIGN`, rule: o.rule, credential, args };
}

/** The two settings of a cloud target's host override, for its help, README and model. */
function hostOverrideVariables(id: RegistryTarget): RegistryVariable[] {
  const h = hostOverride(id);
  if (!h || id === 'registry') return [];
  const o = HOST_OVERRIDES[id];
  const label = TARGET_LABELS[id];
  return [
    variable(h.variable, t(`push to this host of ${label} instead (${o.example.en}); a host of another domain is refused`, `이 ${label} 호스트로 대신 푸시 (${o.example.ko}); 다른 도메인의 호스트는 거부`), {
      fallback: o.computed,
    }),
    variable(h.allow, t(`1: let ${h.variable} name a host outside ${label} (a mirror, a test registry); ${h.credential.en} is then sent there`, `1: ${h.variable}에 ${label} 밖의 호스트도 허용 (미러, 테스트 레지스트리); 그러면 ${h.credential.ko}이(가) 그 호스트로 전송됨`), {
      value: '0',
    }),
  ];
}

function targetVariables(spec: StackSpec['registries'], id: RegistryTarget): RegistryVariable[] {
  return [...ownVariables(spec, id), ...hostOverrideVariables(id)];
}

function ownVariables(spec: StackSpec['registries'], id: RegistryTarget): RegistryVariable[] {
  switch (id) {
    case 'dockerhub':
      return [
        variable('DOCKERHUB_USERNAME', t('your Docker Hub user name', 'Docker Hub 사용자 이름'), { required: true, example: 'your-name' }),
        variable('DOCKERHUB_TOKEN', t('a Docker Hub personal access token with Read & Write scope', '읽기/쓰기 권한이 있는 Docker Hub 개인 액세스 토큰'), { required: true, secret: true }),
        variable('DOCKERHUB_NAMESPACE', t('the user or organisation the repository belongs to', '저장소가 속한 사용자 또는 조직'), {
          value: spec.dockerhub.namespace,
          fallback: t('DOCKERHUB_USERNAME, lowercased', 'DOCKERHUB_USERNAME (소문자로)'),
        }),
      ];
    case 'ecr':
      return [
        variable('AWS_REGION', t('the AWS region of the registry', '레지스트리의 AWS 리전'), { value: spec.ecr.region, required: true, example: 'eu-west-1' }),
        variable('AWS_ACCOUNT_ID', t('the 12-digit AWS account ID that owns the registry', '레지스트리를 소유한 12자리 AWS 계정 ID'), {
          value: spec.ecr.accountId,
          fallback: t('`aws sts get-caller-identity`', '`aws sts get-caller-identity`의 결과'),
        }),
      ];
    case 'gar':
      return [
        variable('GOOGLE_CLOUD_PROJECT', t('the Google Cloud project ID', 'Google Cloud 프로젝트 ID'), { value: spec.gar.project, required: true, example: 'my-project' }),
        variable('GAR_LOCATION', t('the repository location, such as europe-west4', '저장소 위치 (예: asia-northeast3)'), { value: spec.gar.location, required: true, example: 'europe-west4' }),
        variable('GAR_REPOSITORY', t('the Artifact Registry repository (created when missing)', 'Artifact Registry 저장소 (없으면 생성)'), {
          value: spec.gar.repository,
          required: true,
          example: 'containers',
        }),
      ];
    case 'acr':
      return [
        variable('ACR_NAME', t('the registry name (5-50 letters and digits)', '레지스트리 이름 (영문자와 숫자 5-50자)'), { value: spec.acr.name, required: true, example: 'myregistry123' }),
        variable('AZURE_RESOURCE_GROUP', t('only to create the registry when it is missing', '레지스트리가 없을 때 만들 리소스 그룹 (생성할 때만 필요)'), {
          value: spec.acr.resourceGroup,
        }),
      ];
    case 'ghcr':
      return [
        variable('GHCR_OWNER', t('the user or organisation that owns the package (lowercased in the reference)', '패키지를 소유한 사용자 또는 조직 (참조에서는 소문자)'), {
          value: spec.ghcr.owner,
          fallback: t('GITHUB_REPOSITORY_OWNER', 'GITHUB_REPOSITORY_OWNER'),
          required: true,
          example: 'your-org',
        }),
        variable('GITHUB_ACTOR', t('the GitHub user name to log in with', '로그인할 GitHub 사용자 이름'), { required: true, example: 'your-name' }),
        variable('GITHUB_TOKEN', t('a token with the write:packages scope (in Actions: secrets.GITHUB_TOKEN)', 'write:packages 권한이 있는 토큰 (Actions에서는 secrets.GITHUB_TOKEN)'), {
          required: true,
          secret: true,
        }),
      ];
    case 'registry':
      return [
        variable('REGISTRY_HOST', t('host[:port] of the registry', '레지스트리의 host[:port]'), { value: spec.registry.host, required: true, example: 'registry.example.com' }),
        variable('REGISTRY_NAMESPACE', t('optional path prefix inside the registry', '레지스트리 안의 경로 접두사 (선택)'), { value: spec.registry.namespace }),
        variable('REGISTRY_USERNAME', t('the user name to log in with', '로그인할 사용자 이름'), { required: true, example: 'ci' }),
        variable('REGISTRY_PASSWORD', t('the password or token', '비밀번호 또는 토큰'), { required: true, secret: true }),
      ];
  }
}

/** The repository a target pushes to, with <VARIABLE> where only run time knows. */
function repositoryOf(spec: StackSpec['registries'], id: RegistryTarget, image: string): string {
  const or = (value: string | undefined, name: string): string => value ?? `<${name}>`;
  switch (id) {
    case 'dockerhub':
      return `docker.io/${or(spec.dockerhub.namespace, 'DOCKERHUB_NAMESPACE')}/${image}`;
    case 'ecr': {
      const region = spec.ecr.region;
      const domain = region?.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
      return `${or(spec.ecr.accountId, 'AWS_ACCOUNT_ID')}.dkr.ecr.${or(region, 'AWS_REGION')}.${domain}/${image}`;
    }
    case 'gar':
      return `${or(spec.gar.location, 'GAR_LOCATION')}-docker.pkg.dev/${or(spec.gar.project?.replace(':', '/'), 'GOOGLE_CLOUD_PROJECT')}/${or(spec.gar.repository, 'GAR_REPOSITORY')}/${image}`;
    case 'acr':
      return `${spec.acr.name ? spec.acr.name.toLowerCase() : '<ACR_NAME>'}.azurecr.io/${image}`;
    case 'ghcr':
      return `ghcr.io/${spec.ghcr.owner ? spec.ghcr.owner.toLowerCase() : '<GHCR_OWNER>'}/${image}`;
    case 'registry':
      return `${or(spec.registry.host, 'REGISTRY_HOST')}/${spec.registry.namespace ? `${spec.registry.namespace}/` : ''}${image}`;
  }
}

export function deriveRegistry(spec: StackSpec, app: { localImage: string; service: string }): RegistryModel {
  const r = spec.registries;
  const image = r.image ?? defaultImageName(spec.projectName);
  const byId = {} as Record<RegistryTarget, RegistryTargetModel>;
  for (const id of REGISTRY_TARGETS) {
    const variables = targetVariables(r, id);
    byId[id] = {
      id,
      label: TARGET_LABELS[id],
      script: `scripts/push-${id}.sh`,
      workflow: `.github/workflows/publish-${id}.yml`,
      repository: repositoryOf(r, id, image),
      variables,
      // Shell-quoted: each variable's generation-time default, and the rule IMAGE follows.
      sh: { ...Object.fromEntries(variables.map((v) => [v.name, shellQuote(v.value ?? '')])), imageRule: shellQuote(IMAGE_RULE[id]) },
      imageRule: IMAGE_RULE[id],
      commands: commandsFor(`scripts/push-${id}.sh`, variables),
      hostOverride: hostOverride(id),
      ci: ciSettings(r, id),
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
  const localImageName = app.localImage;
  return {
    targets: r.targets.map((id) => byId[id]),
    byId,
    any: r.targets.length > 0,
    image,
    localImage: localImageName,
    service: app.service,
    projectName: spec.projectName,
    buildTarget: BUILD_TARGET,
    platforms: r.platforms,
    branch: r.branch,
    common,
    sh: {
      projectName: shellQuote(spec.projectName),
      service: shellQuote(app.service),
      localImage: shellQuote(localImageName),
      buildTarget: shellQuote(BUILD_TARGET),
      image: shellQuote(image),
      platforms: shellQuote(r.platforms ?? ''),
    },
    rules: (Object.keys(RULES) as RuleName[]).map((name) => {
      const rule = RULES[name];
      return { name, pattern: shellQuote(rule.pattern), min: rule.min, max: rule.max, text: shellQuote(rule.text) };
    }),
    actions: ACTIONS,
  };
}

// ---------------------------------------------------------------------------------------
// Workflows

type Obj = Record<string, unknown>;

/** A multi-line string written as a YAML literal block (`|`), as people write `run:` scripts. */
function block(lines: readonly string[]): Scalar {
  const node = new Scalar(`${lines.join('\n')}\n`);
  node.type = Scalar.BLOCK_LITERAL;
  return node;
}

const expr = (inner: string): string => `\${{ ${inner} }}`;
/** `vars.NAME`, falling back to a generation-time default when there is one. */
const varOr = (name: string, fallback: string | undefined): string =>
  expr(fallback === undefined ? `vars.${name}` : `vars.${name} || '${fallback.replaceAll("'", "''")}'`);

/** A step that fails early, naming each repository variable or secret that is not set. */
function checkStep(required: ReadonlyArray<[string, string]>): Obj {
  const env: Obj = {};
  for (const [name, source] of required) env[name] = expr(source);
  return {
    name: 'Check the settings',
    env,
    run: block([
      'missing=0',
      `for name in ${required.map(([name]) => name).join(' ')}; do`,
      '  if [ -z "${!name}" ]; then',
      '    echo "::error::$name is not set: add it under Settings > Secrets and variables > Actions (see README.Docker.md)"',
      '    missing=1',
      '  fi',
      'done',
      'exit "$missing"',
    ]),
  };
}

function tagSteps(images: string, target: RegistryTarget): Obj[] {
  return [
    {
      name: 'Image tags',
      id: 'meta',
      uses: ACTIONS.metadata,
      with: {
        images,
        tags: block([
          'type=sha',
          'type=semver,pattern={{version}}',
          'type=semver,pattern={{major}}.{{minor}}',
          'type=raw,value=latest,enable={{is_default_branch}}',
        ]),
        flavor: 'latest=false',
      },
    },
    {
      name: 'Build and push',
      id: 'push',
      uses: ACTIONS.buildPush,
      with: {
        context: '.',
        target: BUILD_TARGET,
        platforms: expr('env.PLATFORMS'),
        push: true,
        tags: expr('steps.meta.outputs.tags'),
        labels: expr('steps.meta.outputs.labels'),
        annotations: expr('steps.meta.outputs.annotations'),
        'cache-from': `type=gha,scope=publish-${target}`,
        'cache-to': `type=gha,mode=max,scope=publish-${target}`,
        provenance: 'mode=max',
        sbom: true,
      },
    },
    {
      name: 'Summary',
      env: { DIGEST: expr('steps.push.outputs.digest'), TAGS: expr('steps.meta.outputs.tags') },
      run: block([
        '{',
        '  echo "### Pushed"',
        '  echo',
        '  echo "$TAGS" | while read -r ref; do [ -n "$ref" ] && echo "- \\`$ref@$DIGEST\\`"; done',
        '} >> "$GITHUB_STEP_SUMMARY"',
      ]),
    },
  ];
}

function targetJob(model: RegistryModel, target: RegistryTargetModel): { permissions: Obj; env: Obj; steps: Obj[] } {
  const v = (name: string): string | undefined => target.variables.find((x) => x.name === name)?.value;
  const env: Obj = { IMAGE: varOr('IMAGE', model.image), PLATFORMS: varOr('PLATFORMS', model.platforms ?? 'linux/amd64') };
  const permissions: Obj = { contents: 'read' };
  const steps: Obj[] = [];
  switch (target.id) {
    case 'dockerhub': {
      env['DOCKERHUB_NAMESPACE'] = expr(v('DOCKERHUB_NAMESPACE') === undefined ? 'vars.DOCKERHUB_NAMESPACE || vars.DOCKERHUB_USERNAME' : `vars.DOCKERHUB_NAMESPACE || '${v('DOCKERHUB_NAMESPACE')}'`);
      steps.push(checkStep([['DOCKERHUB_USERNAME', 'vars.DOCKERHUB_USERNAME'], ['DOCKERHUB_TOKEN', 'secrets.DOCKERHUB_TOKEN']]));
      steps.push(...setupSteps());
      steps.push({
        name: 'Log in to Docker Hub',
        uses: ACTIONS.login,
        with: { username: expr('vars.DOCKERHUB_USERNAME'), password: expr('secrets.DOCKERHUB_TOKEN') },
      });
      steps.push(...tagSteps(expr("format('docker.io/{0}/{1}', env.DOCKERHUB_NAMESPACE, env.IMAGE)"), target.id));
      break;
    }
    case 'ecr': {
      permissions['id-token'] = 'write';
      env['AWS_REGION'] = varOr('AWS_REGION', v('AWS_REGION'));
      steps.push(checkStep([['AWS_ROLE_ARN', 'vars.AWS_ROLE_ARN'], ['AWS_REGION', 'env.AWS_REGION']]));
      steps.push(...setupSteps());
      steps.push({
        name: 'Sign in to AWS (OIDC, no stored keys)',
        uses: ACTIONS.aws,
        with: { 'role-to-assume': expr('vars.AWS_ROLE_ARN'), 'aws-region': expr('env.AWS_REGION') },
      });
      steps.push({ name: 'Log in to Amazon ECR', id: 'ecr', uses: ACTIONS.ecrLogin });
      steps.push({
        name: 'Create the repository if missing',
        run: block([
          'aws ecr describe-repositories --repository-names "$IMAGE" >/dev/null 2>&1 ||',
          '  aws ecr create-repository --repository-name "$IMAGE" --image-scanning-configuration scanOnPush=true >/dev/null',
        ]),
      });
      steps.push(...tagSteps(expr("format('{0}/{1}', steps.ecr.outputs.registry, env.IMAGE)"), target.id));
      break;
    }
    case 'gar': {
      permissions['id-token'] = 'write';
      env['GOOGLE_CLOUD_PROJECT'] = varOr('GOOGLE_CLOUD_PROJECT', v('GOOGLE_CLOUD_PROJECT'));
      env['GAR_LOCATION'] = varOr('GAR_LOCATION', v('GAR_LOCATION'));
      env['GAR_REPOSITORY'] = varOr('GAR_REPOSITORY', v('GAR_REPOSITORY'));
      steps.push(
        checkStep([
          ['GCP_WORKLOAD_IDENTITY_PROVIDER', 'vars.GCP_WORKLOAD_IDENTITY_PROVIDER'],
          ['GOOGLE_CLOUD_PROJECT', 'env.GOOGLE_CLOUD_PROJECT'],
          ['GAR_LOCATION', 'env.GAR_LOCATION'],
          ['GAR_REPOSITORY', 'env.GAR_REPOSITORY'],
        ]),
      );
      steps.push(...setupSteps());
      steps.push({
        name: 'Sign in to Google Cloud (Workload Identity Federation, no stored keys)',
        uses: ACTIONS.gcpAuth,
        with: {
          workload_identity_provider: expr('vars.GCP_WORKLOAD_IDENTITY_PROVIDER'),
          service_account: expr('vars.GCP_SERVICE_ACCOUNT'),
          project_id: expr('env.GOOGLE_CLOUD_PROJECT'),
        },
      });
      steps.push({ name: 'Set up gcloud', uses: ACTIONS.gcloud });
      steps.push({
        name: 'Create the repository if missing, log Docker in',
        id: 'gar',
        run: block([
          'gcloud artifacts repositories describe "$GAR_REPOSITORY" --project "$GOOGLE_CLOUD_PROJECT" --location "$GAR_LOCATION" >/dev/null 2>&1 ||',
          '  gcloud artifacts repositories create "$GAR_REPOSITORY" --project "$GOOGLE_CLOUD_PROJECT" --location "$GAR_LOCATION" --repository-format docker',
          'gcloud auth configure-docker "$GAR_LOCATION-docker.pkg.dev" --quiet',
          'echo "repository=$GAR_LOCATION-docker.pkg.dev/${GOOGLE_CLOUD_PROJECT/://}/$GAR_REPOSITORY" >> "$GITHUB_OUTPUT"',
        ]),
      });
      steps.push(...tagSteps(expr("format('{0}/{1}', steps.gar.outputs.repository, env.IMAGE)"), target.id));
      break;
    }
    case 'acr': {
      permissions['id-token'] = 'write';
      env['ACR_NAME'] = varOr('ACR_NAME', v('ACR_NAME'));
      env['AZURE_RESOURCE_GROUP'] = varOr('AZURE_RESOURCE_GROUP', v('AZURE_RESOURCE_GROUP'));
      steps.push(
        checkStep([
          ['AZURE_CLIENT_ID', 'vars.AZURE_CLIENT_ID'],
          ['AZURE_TENANT_ID', 'vars.AZURE_TENANT_ID'],
          ['AZURE_SUBSCRIPTION_ID', 'vars.AZURE_SUBSCRIPTION_ID'],
          ['ACR_NAME', 'env.ACR_NAME'],
        ]),
      );
      steps.push(...setupSteps());
      steps.push({
        name: 'Sign in to Azure (OIDC, no stored secrets)',
        uses: ACTIONS.azure,
        with: {
          'client-id': expr('vars.AZURE_CLIENT_ID'),
          'tenant-id': expr('vars.AZURE_TENANT_ID'),
          'subscription-id': expr('vars.AZURE_SUBSCRIPTION_ID'),
        },
      });
      steps.push({
        name: 'Create the registry if missing, log Docker in',
        id: 'acr',
        run: block([
          'if ! az acr show --name "$ACR_NAME" --output none 2>/dev/null; then',
          '  if [ -z "$AZURE_RESOURCE_GROUP" ]; then',
          '    echo "::error::the registry $ACR_NAME does not exist: set AZURE_RESOURCE_GROUP to create it"',
          '    exit 1',
          '  fi',
          '  az acr create --name "$ACR_NAME" --resource-group "$AZURE_RESOURCE_GROUP" --sku Basic --output none',
          'fi',
          'az acr login --name "$ACR_NAME"',
          'echo "server=$(az acr show --name "$ACR_NAME" --query loginServer --output tsv)" >> "$GITHUB_OUTPUT"',
        ]),
      });
      steps.push(...tagSteps(expr("format('{0}/{1}', steps.acr.outputs.server, env.IMAGE)"), target.id));
      break;
    }
    case 'ghcr': {
      permissions['packages'] = 'write';
      // Empty when neither is set: the next step falls back to the repository owner.
      env['GHCR_OWNER'] = varOr('GHCR_OWNER', v('GHCR_OWNER'));
      steps.push(...setupSteps());
      steps.push({
        name: 'Owner, lowercased',
        id: 'owner',
        run: block(['owner="${GHCR_OWNER:-$GITHUB_REPOSITORY_OWNER}"', 'echo "owner=${owner,,}" >> "$GITHUB_OUTPUT"']),
      });
      steps.push({
        name: 'Log in to GitHub Container Registry',
        uses: ACTIONS.login,
        with: { registry: 'ghcr.io', username: expr('github.actor'), password: expr('secrets.GITHUB_TOKEN') },
      });
      steps.push(...tagSteps(expr("format('ghcr.io/{0}/{1}', steps.owner.outputs.owner, env.IMAGE)"), target.id));
      break;
    }
    case 'registry': {
      env['REGISTRY_HOST'] = varOr('REGISTRY_HOST', v('REGISTRY_HOST'));
      env['REGISTRY_NAMESPACE'] = varOr('REGISTRY_NAMESPACE', v('REGISTRY_NAMESPACE'));
      steps.push(
        checkStep([
          ['REGISTRY_HOST', 'env.REGISTRY_HOST'],
          ['REGISTRY_USERNAME', 'vars.REGISTRY_USERNAME'],
          ['REGISTRY_PASSWORD', 'secrets.REGISTRY_PASSWORD'],
        ]),
      );
      steps.push(...setupSteps());
      steps.push({
        name: 'Log in to the registry',
        uses: ACTIONS.login,
        with: { registry: expr('env.REGISTRY_HOST'), username: expr('vars.REGISTRY_USERNAME'), password: expr('secrets.REGISTRY_PASSWORD') },
      });
      steps.push({
        name: 'Repository',
        id: 'repo',
        run: block(['echo "repository=$REGISTRY_HOST/${REGISTRY_NAMESPACE:+$REGISTRY_NAMESPACE/}$IMAGE" >> "$GITHUB_OUTPUT"']),
      });
      steps.push(...tagSteps(expr('steps.repo.outputs.repository'), target.id));
      break;
    }
  }
  return { permissions, env, steps };
}

function setupSteps(): Obj[] {
  return [
    { name: 'Check out', uses: ACTIONS.checkout, with: { 'persist-credentials': false } },
    { name: 'Set up QEMU (for other platforms)', uses: ACTIONS.qemu },
    { name: 'Set up Buildx', uses: ACTIONS.buildx },
  ];
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

export function renderWorkflow(model: RegistryModel, target: RegistryTargetModel): string {
  return stringifyYaml(
    workflowObject(model, target),
    ` Generated by generator-wpsn-docker: builds the app image and pushes it to ${target.label}\n` +
      ` (${target.repository}). One-time set-up and the variables it reads: README.Docker.md.\n` +
      ` Same steps by hand: ${target.script}`,
  );
}

export function dependabotObject(): Obj {
  return {
    version: 2,
    updates: [
      { 'package-ecosystem': 'docker', directory: '/', schedule: { interval: 'weekly' } },
      {
        'package-ecosystem': 'github-actions',
        directory: '/',
        schedule: { interval: 'weekly' },
        groups: { actions: { patterns: ['*'] } },
      },
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

/** Scripts, workflows and the Dependabot config for the chosen targets (none when no target). */
export function renderRegistryFiles(model: StackModel): RenderedFile[] {
  const registry = model.registry;
  const files: RenderedFile[] = [];
  for (const target of registry.targets) {
    const script = commentedHeader(target.script, renderTemplate(`registry/push-${target.id}.sh.ejs`, model));
    files.push({ path: target.script, content: script, kind: 'generated', mode: 0o755 });
    files.push({ path: target.workflow, content: renderWorkflow(registry, target), kind: 'generated' });
  }
  if (registry.any) {
    files.push({
      path: '.github/dependabot.yml',
      content: stringifyYaml(
        dependabotObject(),
        ' Generated by generator-wpsn-docker: keeps the Dockerfile base image and the publish\n workflows\' actions current (weekly pull requests).',
      ),
      kind: 'generated',
    });
  }
  return files;
}

// ---------------------------------------------------------------------------------------
// Shared by `wpsn-docker registry` (bin/commands/registry.ts) and `yo wpsn-docker:registry`.

/** The answer options the registry command takes: the ones under `registries`. */
export function registryOptions(): AnswerOption[] {
  return ANSWER_OPTIONS.filter((o) => o.path[0] === 'registries');
}

/** Only the registry options of a parsed option set (other answers stay as .yo-rc.json has them). */
export function pickRegistryFlags(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of registryOptions()) if (options[o.flag] !== undefined) out[o.flag] = options[o.flag];
  return out;
}

/** The registry command edits a generated project: .yo-rc.json must hold its answers. */
export function requireGeneratedProject(inputs: Inputs, shown: string): void {
  if (!inputs.yoRc.state) {
    throw new InputError([
      {
        field: 'directory',
        value: shown,
        rule: 'is not a project generated by generator-wpsn-docker (no .yo-rc.json with its answers): run wpsn-docker (or yo wpsn-docker) there first',
      },
    ]);
  }
}
