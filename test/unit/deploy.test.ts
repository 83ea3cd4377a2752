// Deploy targets, what they share: the spec, every target rendered for every Kubernetes
// flavour and every registry, the README sections, the scripts (shellcheck, bash -n, exact
// --dry-run output, APP_IMAGE, bad settings), `wpsn-docker deploy` and `yo wpsn-docker:deploy`.
// Each target's own checks (its objects against the platform's schemas, real runs against a
// fake CLI that records every call) are in targets/deploy/<id>/<id>.test.ts.
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { FARGATE_SIZES, KUBERNETES_FLAVOURS, splitDeployTargets } from '../../schema/deploy.ts';
import { REGISTRY_TARGETS } from '../../schema/registry.ts';
import { ensureBuilt, filesOf, runCli, snapshotTree, type TreeEntry } from './helpers/cli.ts';
import { runGenerator } from './helpers/yo.ts';
import { type Obj, type Env, tempDir, spec, model, project, ALL_TARGETS, runDeployScript, FULL } from './helpers/deploy.ts';

// -----------------------------------------------------------------------------------------

describe('the deploy spec', () => {
  it('defaults to no target, generic Kubernetes, two replicas, a Fargate 512/1024 task, a Redis sidecar', () => {
    const d = spec({}).deploy;
    expect(d.targets).toEqual([]);
    expect(d.kubernetes).toEqual({ flavour: 'generic', storageSize: '1Gi', appReplicas: 2 });
    expect(d.swarm).toEqual({ appReplicas: 2 });
    expect(d.ecs).toMatchObject({ cpu: 512, memory: 1024, redis: 'sidecar' });
    expect(d.aca).toMatchObject({ cpu: '0.5', minReplicas: 1, maxReplicas: 3, redisStorage: 'azurefile' });
  });

  it('normalises the target list (each once, canonical order) and splits --deploy', () => {
    expect(spec({ deploy: { targets: ['aca', 'swarm', 'aca', 'kubernetes'] } }).deploy.targets).toEqual(['swarm', 'kubernetes', 'aca']);
    expect(splitDeployTargets('ecs, swarm kubernetes')).toEqual(['ecs', 'swarm', 'kubernetes']);
    expect(splitDeployTargets('none')).toEqual([]);
  });

  const bad: Array<[string, Obj, RegExp]> = [
    ['deploy.targets.0', { targets: ['heroku'] }, /each deploy target must be one of swarm, kubernetes, ecs, aca/],
    ['deploy.kubernetes.flavour', { kubernetes: { flavour: 'openshift' } }, /flavour must be one of gke, aks, eks, generic/],
    ['deploy.kubernetes.namespace', { kubernetes: { namespace: 'My_NS' } }, /DNS label/],
    ['deploy.kubernetes.storageSize', { kubernetes: { storageSize: '1GB' } }, /Mi, Gi or Ti/],
    ['deploy.swarm.appReplicas', { swarm: { appReplicas: 0 } }, /from 1 to 100/],
    ['deploy.ecs.cpu', { ecs: { cpu: 300 } }, /one of 256, 512, 1024/],
    ['deploy.ecs.memory', { ecs: { cpu: 256, memory: 4096 } }, /Fargate does not offer 4096 MiB with 256 CPU units/],
    ['deploy.ecs.region', { ecs: { region: 'Mars-1' } }, /AWS region/],
    ['deploy.ecs.redis', { ecs: { redis: 'memcached' } }, /sidecar, elasticache/],
    ['deploy.aca.appName', { aca: { appName: '1app' } }, /Container Apps name/],
    ['deploy.aca.minReplicas', { aca: { minReplicas: 5, maxReplicas: 2 } }, /must not exceed the maximum/],
    ['deploy.aca.cpu', { aca: { cpu: '3' } }, /0.25, 0.5/],
    ['deploy.extra', { extra: true }, /unknown key/],
  ];
  it.each(bad)('rejects %s', (field, deploy, rule) => {
    let error: unknown;
    try {
      spec({ deploy });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const problem = (error as InputError).problems.find((p) => p.field === field);
    expect(problem, (error as Error).message).toBeDefined();
    expect(problem!.rule).toMatch(rule);
  });

  it('accepts every Fargate size the documentation lists, and only those', () => {
    for (const [cpu, memories] of Object.entries(FARGATE_SIZES)) {
      for (const memory of memories) expect(spec({ deploy: { ecs: { cpu: Number(cpu), memory } } }).deploy.ecs.memory).toBe(memory);
    }
    expect(FARGATE_SIZES[512]).toEqual([1024, 2048, 3072, 4096]);
    expect(FARGATE_SIZES[8192]).toEqual([16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440]);
  });
});

// -----------------------------------------------------------------------------------------

/** The files each target adds, for the default (Redis only) stack. */
function filesFor(target: string, flavour = 'generic'): string[] {
  switch (target) {
    case 'swarm':
      return ['deploy/swarm/stack.yml', 'scripts/deploy-swarm.sh'];
    case 'kubernetes':
      return [
        ...['app-deployment', 'app-networkpolicy', 'app-service', 'kustomization', 'namespace', 'redis-networkpolicy', 'redis-service', 'redis-statefulset'].map(
          (f) => `deploy/kubernetes/base/${f}.yaml`,
        ),
        `deploy/kubernetes/overlays/${flavour}/kustomization.yaml`,
        ...(flavour === 'eks' ? ['deploy/kubernetes/overlays/eks/storageclass.yaml'] : []),
        'scripts/deploy-kubernetes.sh',
      ];
    case 'ecs':
      return ['deploy/ecs/task-definition.json', 'scripts/deploy-ecs.sh'];
    default:
      return ['deploy/aca/app.yaml', 'deploy/aca/redis.yaml', 'scripts/deploy-aca.sh'];
  }
}

const isDeployFile = (p: string) => p.startsWith('deploy/') || p.startsWith('scripts/deploy-');

describe('every target renders, for every flavour and every registry', () => {
  it('writes nothing deploy-related without targets', () => {
    const files = renderAppFiles(model({})).map((f) => f.path);
    expect(files.filter(isDeployFile)).toEqual([]);
    expect(renderAppFiles(model({})).find((f) => f.path === 'README.Docker.md')!.content).not.toContain('## Deploy');
  });

  const rows = KUBERNETES_FLAVOURS.flatMap((flavour) => [undefined, ...REGISTRY_TARGETS].map((registry) => ({ flavour, registry: registry ?? 'none' })));
  it.each(rows)('all four targets, $flavour, registry $registry: exactly the expected files, scripts 0755', ({ flavour, registry }) => {
    const files = renderAppFiles(
      model({ deploy: { targets: ALL_TARGETS, kubernetes: { flavour } }, registries: { targets: registry === 'none' ? [] : [registry] } }),
    );
    const paths = files.map((f) => f.path).filter(isDeployFile);
    expect(paths).toEqual(ALL_TARGETS.flatMap((t) => filesFor(t, flavour)).sort());
    for (const f of files.filter((x) => x.path.startsWith('scripts/deploy-'))) expect(f.mode, f.path).toBe(0o755);
    for (const f of files.filter((x) => x.path.startsWith('deploy/'))) expect(f.kind, f.path).toBe('generated');
  });

  it.each(ALL_TARGETS)('%s alone adds only its own files', (target) => {
    const paths = renderAppFiles(model({ deploy: { targets: [target] } })).map((f) => f.path).filter(isDeployFile);
    expect(paths).toEqual(filesFor(target).sort());
  });

  it('README.Docker.md has one section per chosen target, in English and in Korean', () => {
    const readme = (lang: string, targets: string[]) =>
      renderAppFiles(model({ lang, deploy: { targets } })).find((f) => f.path === 'README.Docker.md')!.content;
    const en = readme('en', ALL_TARGETS);
    for (const heading of ['## Deploy', '### Docker Swarm', '### Kubernetes (any conformant cluster)', '### Amazon ECS (Fargate)', '### Azure Container Apps']) {
      expect(en).toContain(heading);
    }
    expect(en).toContain('schema-checked, not deployed');
    expect(en).toContain('every interface');
    expect(en).toContain('`linux/amd64`');
    expect(en).toContain('Azure Files');
    expect(en).toContain('needs a registry');
    const ko = readme('ko', ALL_TARGETS);
    for (const heading of ['## 배포', '### Docker Swarm', '### Kubernetes', '### Amazon ECS (Fargate)', '### Azure Container Apps']) expect(ko).toContain(heading);
    expect(ko).toContain('스키마 검사만 하고 배포하지는 않습니다');
    expect(ko).toContain('모든 인터페이스');
    const swarmOnly = readme('en', ['swarm']);
    expect(swarmOnly).toContain('### Docker Swarm');
    expect(swarmOnly).not.toContain('### Kubernetes');
    expect(swarmOnly).not.toContain('### Amazon ECS');
  });
});

// -----------------------------------------------------------------------------------------

describe('deploy scripts: shellcheck and bash -n for every target, registry and option combination', () => {
  const combos: Array<[string, Obj]> = [
    ...[undefined, ...REGISTRY_TARGETS].map((r): [string, Obj] => [`registry ${r ?? 'none'}`, { registries: { targets: r ? [r] : [] } }]),
    ['postgres, ElastiCache, ephemeral Redis on ACA, eks', { database: { kind: 'postgres' }, deploy: { ecs: { redis: 'elasticache' }, aca: { redisStorage: 'ephemeral' }, kubernetes: { flavour: 'eks' } } }],
    ['mysql, every generation-time default', { database: { kind: 'mysql' }, deploy: { ecs: { region: 'eu-west-1', accountId: '123456789012', cluster: 'c1', service: 's1' }, aca: { resourceGroup: 'rg', environment: 'env-1' } } }],
  ];
  it.each(combos)('%s', (_name, values) => {
    const v = structuredClone(values);
    v['deploy'] = { ...(v['deploy'] ?? {}), targets: ALL_TARGETS };
    const dir = project(v);
    const scripts = ALL_TARGETS.map((t) => join(dir, `scripts/deploy-${t}.sh`));
    const sc = spawnSync('shellcheck', ['--severity=style', ...scripts], { encoding: 'utf8' });
    expect(sc.status, sc.stdout + sc.stderr).toBe(0);
    for (const s of scripts) {
      const n = spawnSync('bash', ['-n', s], { encoding: 'utf8' });
      expect(n.status, `${s}: ${n.stderr}`).toBe(0);
    }
  });

  it('every script shares one implementation: the library is identical in all four', () => {
    const dir = project({ deploy: { targets: ALL_TARGETS } });
    const libs = ALL_TARGETS.map((t) => {
      const text = readFileSync(join(dir, `scripts/deploy-${t}.sh`), 'utf8');
      return text.slice(text.indexOf('# Shared by every scripts/deploy-*.sh'), text.indexOf('\nimage_settings() {'));
    });
    expect(libs[0]!.length).toBeGreaterThan(3000);
    for (const lib of libs) expect(lib).toBe(libs[0]);
  });

  it('--help prints the header and exits 0; an unknown argument exits 2', () => {
    const dir = project({ deploy: { targets: ALL_TARGETS } });
    for (const t of ALL_TARGETS) {
      const help = spawnSync('bash', [`scripts/deploy-${t}.sh`, '--help'], { cwd: dir, encoding: 'utf8' });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`Usage: scripts/deploy-${t}.sh [--dry-run] [--help]`);
      expect(help.stdout).toContain('APP_IMAGE');
      const bad = spawnSync('bash', [`scripts/deploy-${t}.sh`, '--go'], { cwd: dir, encoding: 'utf8' });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('unknown argument --go');
    }
  });
});

describe('--dry-run: every command printed, none run, no secret shown', () => {
  let dir: string;
  let passwords: string[];
  beforeAll(() => {
    dir = project(FULL);
    passwords = ['redis_password', 'redis.acl'].map((f) => readFileSync(join(dir, 'secrets', f), 'utf8').trim());
  });

  const expected: Record<string, string> = {
    swarm: [
      'app image: registry.example.com:5000/team/shop:v1',
      "+ docker info --format '{{.Swarm.LocalNodeState}}/{{.Swarm.ControlAvailable}}'",
      '+ docker stack deploy --with-registry-auth --detach=true --compose-file deploy/swarm/stack.yml shop',
      "+ docker stack services shop --format '{{.Name}} {{.Replicas}}'",
      'would wait up to 300s until every service of shop runs all its replicas',
    ].join('\n'),
    kubernetes: [
      'app image: registry.example.com:5000/team/shop:v1',
      '+ kubectl get namespace shop',
      '+ kubectl create namespace shop   # only when the lookup above fails',
      '+ kubectl create secret generic shop-secrets --namespace shop --from-file=redis_password=secrets/redis_password --from-file=redis_acl=secrets/redis.acl --dry-run=client --output yaml | kubectl apply --namespace shop --filename -',
      '+ cat > $WORK/kustomization.yaml <<EOF',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: shop',
      'resources:',
      '  - ../overlays/gke',
      'images:',
      '  - name: shop-app',
      '    newName: registry.example.com:5000/team/shop',
      '    newTag: "v1"',
      'EOF',
      "+ kubectl apply --kustomize '$WORK'",
      '+ kubectl rollout status statefulset/redis --namespace shop --timeout 300s',
      '+ kubectl rollout status deployment/app --namespace shop --timeout 300s',
      'deployed registry.example.com:5000/team/shop:v1 to namespace shop',
    ].join('\n'),
    ecs: [
      'app image: registry.example.com:5000/team/shop:v1',
      '+ aws sts get-caller-identity --query Account --output text',
      '+ aws secretsmanager describe-secret --region eu-west-1 --secret-id shop/redis_password --query ARN --output text',
      '+ aws secretsmanager create-secret --region eu-west-1 --name shop/redis_password --secret-string file://secrets/redis_password --query ARN --output text',
      '+ aws secretsmanager describe-secret --region eu-west-1 --secret-id shop/redis_acl --query ARN --output text',
      '+ aws secretsmanager create-secret --region eu-west-1 --name shop/redis_acl --secret-string file://secrets/redis.acl --query ARN --output text',
      '+ fill deploy/ecs/task-definition.json > $WORK/task-definition.json (APP_IMAGE AWS_REGION AWS_ACCOUNT_ID REDIS_PASSWORD_ARN REDIS_ACL_ARN)',
      "+ aws ecs register-task-definition --region eu-west-1 --cli-input-json 'file://$WORK/task-definition.json' --query taskDefinition.taskDefinitionArn --output text",
      `+ aws ecs describe-services --region eu-west-1 --cluster shop --services shop --query 'services[?status=='\\''ACTIVE'\\''].serviceName' --output text`,
      "+ aws ecs update-service --region eu-west-1 --cluster shop --service shop --task-definition '<TASK_DEFINITION_ARN>' --force-new-deployment --query service.serviceArn --output text",
      '+ aws ecs wait services-stable --region eu-west-1 --cluster shop --services shop',
      'deployed <TASK_DEFINITION_ARN> to shop/shop',
    ].join('\n'),
    aca: [
      'app image: registry.example.com:5000/team/shop:v1',
      '+ az containerapp env show --name shop-env --resource-group rg-shop --query id --output tsv',
      '+ az containerapp env storage show --name shop-env --resource-group rg-shop --storage-name shop-redis --output none',
      '+ fill deploy/aca/redis.yaml > $WORK/redis.yaml (ACA_ENVIRONMENT_ID REDIS_PASSWORD REDIS_ACL)',
      '+ az containerapp show --name shop-redis --resource-group rg-shop --output none',
      "+ az containerapp create --name shop-redis --resource-group rg-shop --yaml '$WORK/redis.yaml' --output none",
      '+ fill deploy/aca/app.yaml > $WORK/app.yaml (ACA_ENVIRONMENT_ID APP_IMAGE REDIS_PASSWORD)',
      '+ az containerapp show --name shop --resource-group rg-shop --output none',
      "+ az containerapp create --name shop --resource-group rg-shop --yaml '$WORK/app.yaml' --output none",
      '+ az containerapp show --name shop --resource-group rg-shop --query properties.configuration.ingress.fqdn --output tsv',
      'deployed registry.example.com:5000/team/shop:v1: https://<FQDN>',
    ].join('\n'),
  };

  it.each(ALL_TARGETS)('%s: the exact commands; no tool run, no secret, nothing written', (target) => {
    const before = snapshotTree(dir);
    const r = runDeployScript(dir, target, ['--dry-run'], { IMAGE_TAG: 'v1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${expected[target]}\n`);
    expect(r.calls).toBe('');
    for (const p of passwords) expect(r.stdout + r.stderr).not.toContain(p);
    expect(snapshotTree(dir)).toEqual(before);
    if (target === 'swarm') expect(r.stderr).toContain('on every interface of every node');
  });

  it('without a registry, APP_IMAGE defaults to the local image and the scripts warn that multi-node deploys need one', () => {
    const local = project({ deploy: { targets: ALL_TARGETS, ecs: { region: 'eu-west-1', accountId: '123456789012' }, aca: { resourceGroup: 'rg', environment: 'env-1' } } });
    for (const t of ALL_TARGETS) {
      const r = runDeployScript(local, t, ['--dry-run'], {});
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('app image: shop-app:latest');
      expect(r.stderr).toContain('a multi-node deploy needs a registry');
    }
  });
});

describe('APP_IMAGE defaults to exactly what the first registry script pushes', () => {
  const PUSH_ENV: Env = {
    IMAGE_TAG: 'rel-7',
    DOCKERHUB_USERNAME: 'Bob',
    DOCKERHUB_TOKEN: 'hub-secret-1',
    AWS_REGION: 'eu-west-1',
    AWS_ACCOUNT_ID: '123456789012',
    GOOGLE_CLOUD_PROJECT: 'my-proj-42',
    GAR_LOCATION: 'europe-west4',
    GAR_REPOSITORY: 'apps',
    ACR_NAME: 'MyRegistry1',
    GITHUB_REPOSITORY_OWNER: 'Some-Org',
    GITHUB_ACTOR: 'octocat',
    GITHUB_TOKEN: 'gh-secret-1',
    REGISTRY_HOST: 'registry.example.com:5000',
    REGISTRY_USERNAME: 'ci',
    REGISTRY_PASSWORD: 'reg-secret-1',
  };
  const pushed = (dir: string, target: string, env: Env): string => {
    const r = spawnSync('bash', [join(dir, `scripts/push-${target}.sh`), '--dry-run'], { env: { PATH: '/usr/bin:/bin', HOME: dir, ...env }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return /^would push (\S+)$/m.exec(r.stdout)![1]!;
  };
  it.each([...REGISTRY_TARGETS])('%s (the first of two registries)', (target) => {
    // A second registry after it in the canonical order must not matter.
    const second = REGISTRY_TARGETS.find((t) => REGISTRY_TARGETS.indexOf(t) > REGISTRY_TARGETS.indexOf(target));
    const dir = project({ registries: { targets: second ? [target, second] : [target] }, deploy: { targets: ['kubernetes'] } });
    const env = target === 'registry' ? PUSH_ENV : Object.fromEntries(Object.entries(PUSH_ENV).filter(([k]) => k !== 'REGISTRY_HOST'));
    const ref = pushed(dir, target, env);
    const r = runDeployScript(dir, 'kubernetes', ['--dry-run'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`app image: ${ref}`);
  });

  it('generation-time answers are the defaults; APP_IMAGE set wins; a missing setting exits 2 naming it', () => {
    const dir = project({ registries: { targets: ['ecr'], ecr: { region: 'ap-northeast-2', accountId: '210987654321' } }, deploy: { targets: ['swarm'] } });
    const r = runDeployScript(dir, 'swarm', ['--dry-run'], { IMAGE_TAG: 't1' });
    expect(r.stdout.split('\n')[0]).toBe('app image: 210987654321.dkr.ecr.ap-northeast-2.amazonaws.com/shop:t1');
    const set = runDeployScript(dir, 'swarm', ['--dry-run'], { APP_IMAGE: 'example.org/x/y@sha256:' + 'a'.repeat(64) });
    expect(set.stdout.split('\n')[0]).toBe(`app image: example.org/x/y@sha256:${'a'.repeat(64)}`);
    const hosted = project({ registries: { targets: ['registry'] }, deploy: { targets: ['swarm'] } });
    const missing = runDeployScript(hosted, 'swarm', ['--dry-run'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('APP_IMAGE is not set, and its default (what scripts/push-registry.sh pushes) needs REGISTRY_HOST');
    const bad = runDeployScript(hosted, 'swarm', ['--dry-run'], { APP_IMAGE: 'Not An Image' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("APP_IMAGE='Not An Image' is not valid");
  });
});

describe('bad settings exit 2 naming the variable, before anything runs', () => {
  const cases: Array<[string, Env, string]> = [
    ['swarm', { STACK_NAME: '-x' }, 'STACK_NAME=-x is not valid'],
    ['swarm', { STACK_NAME: 'a'.repeat(40) }, 'is too long: at most 36 characters'],
    ['swarm', { DEPLOY_TIMEOUT: 'soon' }, 'DEPLOY_TIMEOUT=soon is not valid'],
    ['swarm', { STACK_FILE: 'nope.yml' }, 'STACK_FILE=nope.yml is not a file'],
    ['kubernetes', { K8S_NAMESPACE: 'Prod_1' }, 'K8S_NAMESPACE=Prod_1 is not valid'],
    ['ecs', { AWS_REGION: '' }, 'AWS_REGION is required and not set'],
    ['ecs', { AWS_REGION: 'eu-west-1', ECS_CLUSTER: 'a b' }, "ECS_CLUSTER='a b' is not valid"],
    ['aca', { AZURE_RESOURCE_GROUP: 'rg', ACA_ENVIRONMENT: 'Env' }, 'ACA_ENVIRONMENT=Env is not valid'],
    ['aca', { ACA_ENVIRONMENT: 'env-1' }, 'AZURE_RESOURCE_GROUP is required and not set'],
  ];
  it.each(cases)('%s with %j', (target, env, message) => {
    const dir = project({ deploy: { targets: [target] } });
    const r = runDeployScript(dir, target, [], { APP_IMAGE: 'example.org/shop:1', ...env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.calls).toBe('');
  });

  it('a missing secret file stops every script with exit 2', () => {
    const dir = project({ deploy: { targets: ALL_TARGETS, ecs: { region: 'eu-west-1' }, aca: { resourceGroup: 'rg', environment: 'env-1' } } });
    rmSync(join(dir, 'secrets/redis_password'));
    for (const t of ALL_TARGETS) {
      const r = runDeployScript(dir, t, [], { APP_IMAGE: 'example.org/shop:1' });
      expect(r.code, `${t}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('secrets/redis_password is missing or empty');
      expect(r.calls).toBe('');
    }
  });

  it('ElastiCache needs REDIS_URL, a database needs DATABASE_URL (no password in it)', () => {
    const dir = project({ database: { kind: 'postgres' }, deploy: { targets: ['ecs', 'aca'], ecs: { region: 'eu-west-1', redis: 'elasticache' }, aca: { resourceGroup: 'rg', environment: 'env-1' } } });
    const r = runDeployScript(dir, 'ecs', [], { APP_IMAGE: 'example.org/shop:1', DATABASE_URL: 'postgres://app:pw@db.example.com:5432/app' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('REDIS_URL is required and not set');
    expect(r.stderr).toContain('DATABASE_URL=postgres://app:pw@db.example.com:5432/app is not valid');
    const aca = runDeployScript(dir, 'aca', [], { APP_IMAGE: 'example.org/shop:1' });
    expect(aca.code).toBe(2);
    expect(aca.stderr).toContain('DATABASE_URL is required and not set');
  });
});

// -----------------------------------------------------------------------------------------

describe('wpsn-docker deploy (the bin)', () => {
  beforeAll(() => ensureBuilt());

  it('--help exits 0 with the usage', () => {
    const r = runCli(tempDir(), ['deploy', '--help']);
    expect(r.code, r.describe).toBe(0);
    expect(r.stdout).toContain('Usage: wpsn-docker deploy [directory] [--deploy LIST] [--kubernetes-flavour F] [options]');
    expect(r.stdout).toContain('gke, aks, eks, generic');
  });

  it('fails with exit 2 outside a generated project, writing nothing', () => {
    const dir = tempDir();
    const r = runCli(dir, ['deploy', '--deploy', 'swarm']);
    expect(r.code, r.describe).toBe(2);
    expect(r.stderr).toContain('is not a project generated by generator-wpsn-docker');
    expect(filesOf(snapshotTree(dir))).toEqual([]);
    const bad = runCli(dir, ['deploy', '--deploy', 'heroku']);
    expect(bad.code).toBe(2);
  });

  const without = (tree: Record<string, TreeEntry>, paths: (p: string) => boolean) => Object.fromEntries(Object.entries(tree).filter(([p]) => !paths(p)));
  const changed = (a: Record<string, TreeEntry>, b: Record<string, TreeEntry>) =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((p) => JSON.stringify(a[p]) !== JSON.stringify(b[p])).sort();
  const deployFiles = (tree: Record<string, TreeEntry>) => filesOf(tree).filter(isDeployFile);

  it('adds and removes exactly one target\'s files; everything else stays byte-identical', () => {
    const dir = tempDir();
    const first = runCli(dir, ['--yes', '--deploy', 'swarm', '--registry', 'ghcr']);
    expect(first.code, first.describe).toBe(0);
    const t0 = snapshotTree(dir);
    expect(deployFiles(t0)).toEqual(filesFor('swarm'));
    expect(t0['scripts/deploy-swarm.sh']!.mode).toBe('0755');

    const add = runCli(dir, ['deploy', '--deploy', 'swarm,ecs']);
    expect(add.code, add.describe).toBe(0);
    expect(add.stdout).toContain('    create deploy/ecs/task-definition.json');
    expect(add.stdout).toContain('deploy targets: swarm, ecs');
    const t1 = snapshotTree(dir);
    expect(deployFiles(t1)).toEqual([...filesFor('swarm'), ...filesFor('ecs')].sort());
    for (const p of filesFor('swarm')) expect(t1[p], p).toEqual(t0[p]);
    expect(changed(without(t0, isDeployFile), without(t1, isDeployFile))).toEqual(['.yo-rc.json', 'README.Docker.md']);
    expect(readFileSync(join(dir, 'README.Docker.md'), 'utf8')).toContain('### Amazon ECS (Fargate)');

    // Back: byte-identical to the first run (the empty deploy/ecs/ folder stays).
    const back = runCli(dir, ['deploy', '--deploy', 'swarm']);
    expect(back.code, back.describe).toBe(0);
    expect(back.stdout).toContain('    remove deploy/ecs/task-definition.json');
    const t2 = snapshotTree(dir);
    expect(changed(t0, t2)).toEqual(['deploy/ecs/']);

    const again = runCli(dir, ['deploy', '--yes']);
    expect(again.stdout).toContain('up to date: nothing changed');
    expect(snapshotTree(dir)).toEqual(t2);

    // A flavour switch swaps one overlay and the script; the base stays.
    expect(runCli(dir, ['deploy', '--deploy', 'kubernetes', '--kubernetes-flavour', 'gke']).code).toBe(0);
    const k1 = snapshotTree(dir);
    const swap = runCli(dir, ['deploy', '--deploy', 'kubernetes', '--kubernetes-flavour', 'eks']);
    expect(swap.code, swap.describe).toBe(0);
    const k2 = snapshotTree(dir);
    expect(changed(k1, k2).filter((p) => !p.endsWith('/'))).toEqual([
      '.yo-rc.json',
      'README.Docker.md',
      'deploy/kubernetes/overlays/eks/kustomization.yaml',
      'deploy/kubernetes/overlays/eks/storageclass.yaml',
      'deploy/kubernetes/overlays/gke/kustomization.yaml',
      'scripts/deploy-kubernetes.sh',
    ]);
    const state = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-wpsn-docker'];
    expect(state.answers.deploy).toMatchObject({ targets: ['kubernetes'], kubernetes: { flavour: 'eks' } });
    expect(state.answers.registries.targets).toEqual(['ghcr']);

    // none: every deploy file goes, the rest stays as the first run made it.
    const none = runCli(dir, ['deploy', '--deploy', 'none']);
    expect(none.code, none.describe).toBe(0);
    const t3 = snapshotTree(dir);
    expect(deployFiles(t3)).toEqual([]);
    expect(changed(without(t0, isDeployFile), without(t3, isDeployFile)).filter((p) => !p.startsWith('deploy/'))).toEqual(['.yo-rc.json', 'README.Docker.md']);
    expect(readFileSync(join(dir, 'README.Docker.md'), 'utf8')).not.toContain('## Deploy');
  });

  it('an edit elsewhere (ENV TZ in the Dockerfile) never blocks a deploy run nor meets its --force; edited deploy files merge, overlapping edits stop a --yes run (exit 3), and an edited config is kept when its target goes', () => {
    const dir = tempDir();
    expect(runCli(dir, ['--yes', '--deploy', 'swarm,kubernetes', '--kubernetes-flavour', 'gke']).code).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8').replace('WORKDIR /app\n', 'WORKDIR /app\nENV TZ=Europe/Berlin\n');
    writeFileSync(join(dir, 'Dockerfile'), dockerfile);
    appendFileSync(join(dir, 'deploy/swarm/stack.yml'), '# my note\n');
    // The overlay line of the script, which a flavour switch changes too.
    const script = readFileSync(join(dir, 'scripts/deploy-kubernetes.sh'), 'utf8');
    expect(script).toContain('  - ../overlays/gke\n');
    writeFileSync(join(dir, 'scripts/deploy-kubernetes.sh'), script.replace('  - ../overlays/gke\n', '  - ../overlays/gke-mine\n'));
    const before = snapshotTree(dir);
    const blocked = runCli(dir, ['deploy', '--deploy', 'swarm,kubernetes', '--kubernetes-flavour', 'eks']);
    expect(blocked.code, blocked.describe).toBe(3);
    expect(blocked.stderr).toMatch(/^ {2}- scripts\/deploy-kubernetes\.sh\n {6}scripts\/deploy-kubernetes\.sh hunk 1\/1: /m);
    expect(blocked.stderr).not.toContain('Dockerfile');
    expect(blocked.stderr).not.toContain('stack.yml');
    expect(snapshotTree(dir)).toEqual(before);

    // Another target: the README merges nothing of the user's, the edits stay where they are.
    const added = runCli(dir, ['deploy', '--deploy', 'swarm,kubernetes,aca']);
    expect(added.code, added.describe).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(dockerfile);
    expect(readFileSync(join(dir, 'deploy/swarm/stack.yml'), 'utf8')).toContain('# my note\n');
    expect(readFileSync(join(dir, 'scripts/deploy-kubernetes.sh'), 'utf8')).toContain('../overlays/gke-mine');

    const dropped = runCli(dir, ['deploy', '--deploy', 'kubernetes,aca']);
    expect(dropped.code, dropped.describe).toBe(0);
    expect(dropped.stdout).toContain('      keep deploy/swarm/stack.yml');
    expect(readFileSync(join(dir, 'deploy/swarm/stack.yml'), 'utf8')).toContain('# my note\n');

    // --force: the deploy files take the new version; the Dockerfile is outside its reach.
    const forced = runCli(dir, ['deploy', '--deploy', 'kubernetes,aca', '--kubernetes-flavour', 'eks', '--force']);
    expect(forced.code, forced.describe).toBe(0);
    expect(readFileSync(join(dir, 'scripts/deploy-kubernetes.sh'), 'utf8')).toContain('  - ../overlays/eks\n');
    expect(forced.stdout).not.toContain('Dockerfile');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(dockerfile);
    // The app generator still sees the edited Dockerfile as the user's: nothing new for it, kept.
    const app = runCli(dir, ['--yes']);
    expect(app.code, app.describe).toBe(0);
    expect(app.stdout).toMatch(/^ +keep Dockerfile \(/m);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(dockerfile);
  });
});

describe('yo wpsn-docker:deploy (yeoman-test)', () => {
  const GENERATOR = fileURLToPath(new URL('../../generators/deploy/index.ts', import.meta.url));
  const run = (cwd: string, options: Obj, answers?: Obj) => {
    const context = runGenerator(GENERATOR, 'wpsn-docker:deploy', cwd, options);
    return answers ? context.withAnswers(answers) : context;
  };

  it('asks with a multi-select, then the flavour for Kubernetes, and adds exactly those files', async () => {
    ensureBuilt();
    const dir = tempDir();
    expect(runCli(dir, ['--yes', '--deploy', 'swarm']).code).toBe(0);
    const before = snapshotTree(dir);
    const result = await run(dir, {}, { targets: ['swarm', 'kubernetes'], 'kubernetes-flavour': 'aks' });
    expect(result.askedQuestions.map((q: { name: string }) => q.name)).toEqual(['targets', 'kubernetes-flavour']);
    const after = snapshotTree(dir);
    expect(filesOf(after).filter(isDeployFile)).toEqual([...filesFor('swarm'), ...filesFor('kubernetes', 'aks')].sort());
    expect(after['scripts/deploy-kubernetes.sh']!.mode).toBe('0755');
    for (const p of Object.keys(before).filter((p) => !isDeployFile(p) && !['README.Docker.md', '.yo-rc.json'].includes(p))) expect(after[p], p).toEqual(before[p]);
    const state = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-wpsn-docker'];
    expect(state.answers.deploy).toMatchObject({ targets: ['swarm', 'kubernetes'], kubernetes: { flavour: 'aks' } });
    // The bin and the generator agree: a bin re-run finds nothing to do.
    expect(runCli(dir, ['deploy', '--yes']).stdout).toContain('up to date: nothing changed');
  });

  it('--deploy with --yes asks nothing; outside a generated project it fails with code 2', async () => {
    const dir = tempDir();
    expect(runCli(dir, ['--yes']).code).toBe(0);
    const result = await run(dir, { deploy: 'ecs', yes: true });
    expect(result.askedQuestions).toEqual([]);
    expect(statSync(join(dir, 'scripts/deploy-ecs.sh')).mode & 0o777).toBe(0o755);
    const empty = tempDir();
    let failure: (Error & { code?: unknown }) | undefined;
    try {
      await run(empty, { deploy: 'ecs', yes: true });
    } catch (error) {
      failure = error as Error & { code?: unknown };
    }
    expect(failure?.message).toContain('is not a project generated by generator-wpsn-docker');
    expect(failure?.code).toBe(2);
  });
});

describe('the database\'s first-start files (db/init/) on the deploy targets', () => {
  const files = (values: Obj) => new Map(renderAppFiles(model(values)).map((f) => [f.path, f.content]));
  it('ECS and Container Apps use a managed database: the local administrator password never goes there', () => {
    const m = model({ database: { kind: 'postgres' }, deploy: { targets: ['ecs', 'aca'] } });
    expect(m.deploy.ecs.secrets.map((s) => s.name)).not.toContain('db_admin_password');
    expect(m.deploy.aca.secrets.map((s) => s.name)).not.toContain('db_admin_password');
    expect(m.deploy.ecs.secrets.map((s) => s.name)).toContain('db_password');
  });
});
