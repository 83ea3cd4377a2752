// The deploy model (m.deploy): names, defaults and per-target values the deploy renderers
// and templates read. Derived once from the spec and the rest of the model; pure.
import {
  DEPLOY_LABELS,
  DEPLOY_RULES,
  DEPLOY_TARGETS,
  FLAVOUR_LABELS,
  type DeployTarget,
  type KubernetesFlavour,
} from '../../../schema/deploy.ts';
import { RULES, type Rule } from '../../../schema/registry.ts';
import type { StackModel } from '../../types.ts';
import { shellQuote } from '../../shell.ts';
import type { ShellRule } from '../../../targets/registry/types.ts';
import type { AcaModel, AppImageModel, DeployModel, DeploySecret, DeployTargetModel, EcsModel, KubernetesModel, Resources, StatefulService, SwarmModel } from './types.ts';

export type { AcaModel, AppImageModel, DeployModel, DeploySecret, DeployTargetModel, EcsModel, KubernetesModel, Resources, StatefulService, SwarmModel } from './types.ts';

const resources = (limits: readonly [string, string], requests: readonly [string, string]): Resources => {
  // Kubernetes quantities (500m, 512Mi) -> Swarm's (0.5, 512M).
  const cpus = (q: string) => (q.endsWith('m') ? String(Number(q.slice(0, -1)) / 1000) : q);
  const mem = (q: string) => q.replace(/i$/, '');
  return {
    limits: { cpu: limits[0], memory: limits[1] },
    requests: { cpu: requests[0], memory: requests[1] },
    swarm: { limits: { cpus: cpus(limits[0]), memory: mem(limits[1]) }, reservations: { cpus: cpus(requests[0]), memory: mem(requests[1]) } },
  };
};

/** A Compose healthcheck test as a plain exec command. */
function probeOf(test: readonly string[]): string[] {
  const unescape = (s: string) => s.replaceAll('$$', '$');
  if (test[0] === 'CMD-SHELL') return ['sh', '-c', unescape(test[1] ?? '')];
  return test.slice(1).map(unescape);
}

/** A Kubernetes-safe DNS label from a project name ("_" is not allowed there). */
export function dnsLabel(name: string, max = 63): string {
  const label = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, max).replace(/^-+|-+$/g, '');
  return label || 'app';
}

/** A Container Apps name: starts with a letter, 2 to `max` characters. */
function acaName(name: string, max: number): string {
  let label = dnsLabel(name, max);
  if (!/^[a-z]/.test(label)) label = `a-${label}`.slice(0, max).replace(/-+$/, '');
  return label.length >= 2 ? label : `${label}-app`;
}

const secretOf = (name: string, file: string): DeploySecret => ({
  name,
  file,
  dashed: name.replaceAll('_', '-'),
  variable: name.toUpperCase(),
});

const STORAGE_CLASSES: Record<KubernetesFlavour, string | undefined> = {
  gke: 'standard-rwo',
  aks: 'managed-csi',
  eks: undefined, // the overlay's own gp3 class (named after the project)
  generic: undefined, // the cluster's default class
};

const REGISTRY_HINTS: Record<KubernetesFlavour, { en: string; ko: string }> = {
  gke: {
    en: 'Artifact Registry in the same project: the nodes\' service account needs roles/artifactregistry.reader (the default compute service account usually has it).',
    ko: '같은 프로젝트의 Artifact Registry: 노드의 서비스 계정에 roles/artifactregistry.reader가 필요합니다 (기본 Compute 서비스 계정에는 보통 있습니다).',
  },
  aks: {
    en: 'Azure Container Registry: attach it once with az aks update --name CLUSTER --resource-group RG --attach-acr ACR_NAME.',
    ko: 'Azure Container Registry: az aks update --name CLUSTER --resource-group RG --attach-acr ACR_NAME 으로 한 번 연결합니다.',
  },
  eks: {
    en: 'Amazon ECR: the node role needs the AmazonEC2ContainerRegistryReadOnly policy (managed node groups have it).',
    ko: 'Amazon ECR: 노드 역할에 AmazonEC2ContainerRegistryReadOnly 정책이 필요합니다 (관리형 노드 그룹에는 있습니다).',
  },
  generic: {
    en: 'any registry the nodes can pull from; a private one needs an image pull secret (kubectl create secret docker-registry) added to the Deployment.',
    ko: '노드가 pull할 수 있는 레지스트리면 됩니다. 비공개 레지스트리는 image pull secret(kubectl create secret docker-registry)을 Deployment에 추가해야 합니다.',
  },
};

function serviceAnnotations(flavour: KubernetesFlavour, healthPath: string): Record<string, string> {
  switch (flavour) {
    case 'aks':
      return { 'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path': healthPath };
    case 'eks':
      // The AWS Load Balancer Controller: a Network Load Balancer straight to the pods.
      return {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
        'service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol': 'http',
        'service.beta.kubernetes.io/aws-load-balancer-healthcheck-path': healthPath,
      };
    default:
      return {};
  }
}

function appImage(m: Omit<StackModel, 'deploy'>): AppImageModel {
  const registry = m.registry.targets[0];
  const local = m.app.localImage;
  return {
    registry,
    text: registry ? `${registry.repository}:IMAGE_TAG` : `${local}:latest`,
    local,
    image: m.registry.image,
  };
}

export function deriveDeploy(m: Omit<StackModel, 'deploy'>): DeployModel {
  const spec = m.spec.deploy;
  const byId = {} as Record<DeployTarget, DeployTargetModel>;
  const dirs: Record<DeployTarget, string> = { swarm: 'deploy/swarm', kubernetes: 'deploy/kubernetes', ecs: 'deploy/ecs', aca: 'deploy/aca' };
  for (const id of DEPLOY_TARGETS) byId[id] = { id, label: DEPLOY_LABELS[id], script: `scripts/deploy-${id}.sh`, dir: dirs[id] };
  const has = Object.fromEntries(DEPLOY_TARGETS.map((t) => [t, spec.targets.includes(t)])) as Record<DeployTarget, boolean>;

  const secrets = m.secrets.filter((s) => !s.localOnly).map((s) => secretOf(s.name, s.file));
  // Every service with a deploy model runs next to the app: one replica, its data on a volume.
  const localOnly = new Set(m.secrets.filter((x) => x.localOnly).map((x) => x.name));
  const stateful: StatefulService[] = m.services.flatMap((x) => {
    const d = x.deploy;
    // A probe the targets can run: its health check, or an HTTP GET (an image with no tools).
    if (!d || !(x.healthcheck || d.httpProbe) || x.port === undefined) return [];
    // A service that keeps no data (Memcached, Mailpit) runs without a volume.
    const volume = x.volumes[0];
    return [
      {
        service: x.service,
        label: x.label,
        image: x.image,
        uid: d.uid,
        gid: d.gid,
        runAsUser: d.runAsUser,
        dropAllCaps: d.dropAllCaps,
        args: d.args,
        environment: d.environment,
        port: x.port,
        volume: volume?.name,
        dataDir: volume ? d.dataDir ?? volume.target : undefined,
        secrets: x.secrets.filter((name) => !localOnly.has(name)),
        secretTargets: Object.fromEntries(Object.entries(x.secretTargets ?? {}).filter(([name]) => !localOnly.has(name))),
        hostname: x.hostname,
        stopSignal: x.stopSignal,
        composeHealthcheck: x.healthcheck?.test,
        startPeriod: x.healthcheck?.startPeriod ?? '10s',
        probe: x.healthcheck ? probeOf(x.healthcheck.test) : [],
        httpProbe: x.healthcheck ? undefined : d.httpProbe,
        readOnlyRoot: d.readOnlyRoot,
        scratch: d.scratch,
        initFiles: x.binds.flatMap((b) => b.files.map((name, i) => ({ key: `${x.service}_init_${i}`, file: `${b.source.replace(/^\.\//, '')}/${name}`, name }))),
        initDir: x.binds[0]?.target,
        initConfigMap: `${dnsLabel(m.projectName, 40)}-${x.service}-init`,
        livenessDelay: d.livenessDelay,
        resources: resources(d.resources.limits, d.resources.requests),
      },
    ];
  });
  const db = m.database;

  const k8sName = dnsLabel(m.projectName);
  const flavour = spec.kubernetes.flavour;
  const kubernetes: KubernetesModel = {
    flavour,
    flavourLabel: FLAVOUR_LABELS[flavour],
    name: k8sName,
    namespace: spec.kubernetes.namespace ?? k8sName,
    storageClass: spec.kubernetes.storageClass ?? (flavour === 'eks' ? `${dnsLabel(k8sName, 58)}-gp3` : STORAGE_CLASSES[flavour]),
    ownStorageClass: flavour === 'eks' && spec.kubernetes.storageClass === undefined,
    storageSize: spec.kubernetes.storageSize,
    appReplicas: spec.kubernetes.appReplicas,
    serviceType: flavour === 'generic' ? 'ClusterIP' : 'LoadBalancer',
    serviceAnnotations: serviceAnnotations(flavour, m.app.healthPath),
    secretName: `${dnsLabel(k8sName, 55)}-secrets`,
    base: 'deploy/kubernetes/base',
    overlay: `deploy/kubernetes/overlays/${flavour}`,
    imagePlaceholder: m.app.localImage,
    registryHint: REGISTRY_HINTS[flavour],
  };

  // What the task's containers read: the app's secrets, and Redis's when it runs as a sidecar
  // (a managed database keeps its own administrator password).
  const ecsSecrets = secrets.filter((s) => m.app.secrets.includes(s.name) || (spec.ecs.redis === 'sidecar' && m.redis.secrets.includes(s.name)));
  const ecs: EcsModel = {
    family: m.projectName,
    cluster: spec.ecs.cluster,
    service: spec.ecs.service,
    region: spec.ecs.region ?? m.spec.registries.ecr.region,
    accountId: spec.ecs.accountId ?? m.spec.registries.ecr.accountId,
    cpu: spec.ecs.cpu,
    memory: spec.ecs.memory,
    redis: spec.ecs.redis,
    logGroup: `/ecs/${m.projectName}`,
    secretPrefix: m.projectName,
    executionRole: `${m.projectName}-ecs-execution`,
    taskRole: `${m.projectName}-ecs-task`,
    file: 'deploy/ecs/task-definition.json',
    secrets: ecsSecrets,
    placeholders: [
      'APP_IMAGE',
      'AWS_REGION',
      'AWS_ACCOUNT_ID',
      ...ecsSecrets.map((x) => `${x.variable}_ARN`),
      ...(spec.ecs.redis === 'elasticache' ? ['REDIS_URL'] : []),
      ...(db ? ['DATABASE_URL'] : []),
    ],
  };

  const appName = spec.aca.appName ?? acaName(m.projectName, 26);
  // The app's and Redis's secrets (the database is a managed service on Container Apps).
  const acaSecrets = secrets.filter((x) => m.app.secrets.includes(x.name) || m.redis.secrets.includes(x.name));
  const aca: AcaModel = {
    resourceGroup: spec.aca.resourceGroup ?? m.spec.registries.acr.resourceGroup,
    environment: spec.aca.environment,
    appName,
    redisName: `${appName.slice(0, 26).replace(/-+$/, '')}-redis`,
    cpu: spec.aca.cpu,
    memory: `${Number(spec.aca.cpu) * 2}Gi`,
    minReplicas: spec.aca.minReplicas,
    maxReplicas: spec.aca.maxReplicas,
    redisStorage: spec.aca.redisStorage,
    storageName: `${appName.slice(0, 26).replace(/-+$/, '')}-redis`,
    appFile: 'deploy/aca/app.yaml',
    redisFile: 'deploy/aca/redis.yaml',
    secrets: acaSecrets,
    appSecrets: acaSecrets.filter((x) => m.app.secrets.includes(x.name)),
    redisSecrets: acaSecrets.filter((x) => m.redis.secrets.includes(x.name)),
    placeholders: {
      app: ['ACA_ENVIRONMENT_ID', 'APP_IMAGE', ...acaSecrets.filter((x) => m.app.secrets.includes(x.name)).map((x) => x.variable), ...(db ? ['DATABASE_URL'] : [])],
      redis: ['ACA_ENVIRONMENT_ID', ...acaSecrets.filter((x) => m.redis.secrets.includes(x.name)).map((x) => x.variable)],
    },
  };

  const configFiles = stateful.flatMap((x) => x.initFiles);
  const maxStackName = 64 - 2 - 12 - Math.max(...secrets.map((x) => x.name.length), ...configFiles.map((x) => x.key.length));
  const swarm: SwarmModel = {
    file: 'deploy/swarm/stack.yml',
    stackName: m.projectName.slice(0, maxStackName).replace(/[-_.]+$/, ''),
    appReplicas: spec.swarm.appReplicas,
    placement: 'node.role == manager',
    maxStackName,
    configFiles: configFiles.map((x) => x.file),
  };

  const allRules: Array<[string, Rule]> = [...Object.entries(RULES), ...Object.entries(DEPLOY_RULES)];
  const q = (v: string | number | undefined) => shellQuote(v === undefined ? '' : String(v));
  return {
    targets: spec.targets.map((t) => byId[t]),
    byId,
    any: spec.targets.length > 0,
    has,
    projectName: m.projectName,
    image: appImage(m),
    secrets,
    stateful,
    appResources: resources(['500m', '512Mi'], ['100m', '128Mi']),
    appUid: 1000,
    swarm,
    kubernetes,
    ecs,
    aca,
    sh: {
      projectName: q(m.projectName),
      localImage: q(m.app.localImage),
      localImageRef: q(`${m.app.localImage}:latest`),
      image: q(m.registry.image),
      stackName: q(swarm.stackName),
      stackFile: q(swarm.file),
      namespace: q(kubernetes.namespace),
      overlay: q(kubernetes.overlay),
      imagePlaceholder: q(kubernetes.imagePlaceholder),
      secretName: q(kubernetes.secretName),
      ecsFile: q(ecs.file),
      ecsFamily: q(ecs.family),
      ecsSecretPrefix: q(ecs.secretPrefix),
      databaseUrlHint: q(db ? `the managed database, such as ${db.kind === 'postgres' ? 'postgres' : 'mysql'}://${db.user}@HOST:${db.port}/${db.name}` : ''),
      ecsCluster: q(ecs.cluster ?? m.projectName),
      ecsService: q(ecs.service ?? m.projectName),
      awsRegion: q(ecs.region),
      awsAccountId: q(ecs.accountId),
      acaResourceGroup: q(aca.resourceGroup),
      acaEnvironment: q(aca.environment),
      acaApp: q(aca.appName),
      acaRedis: q(aca.redisName),
      acaStorage: q(aca.storageName),
    },
    rules: allRules.map(([name, rule]) => ({
      name: name as ShellRule['name'],
      pattern: shellQuote(rule.pattern),
      min: rule.min,
      max: rule.max,
      text: shellQuote(rule.text),
    })),
  };
}
