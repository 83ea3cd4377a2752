// Deploy targets: which platforms get deploy configs and scripts (deploy/<target>/,
// scripts/deploy-<target>.sh), and the answers that become their defaults.
//
// As in schema/registry.ts, every rule is a POSIX extended regular expression, so the very
// same text is checked by zod here and by the generated scripts' `check` at run time.
import * as z from 'zod';
import { follows, RULES, type Rule } from './registry.ts';

export const DEPLOY_TARGETS = ['swarm', 'kubernetes', 'ecs', 'aca'] as const;
export type DeployTarget = (typeof DEPLOY_TARGETS)[number];

export const DEPLOY_LABELS: Readonly<Record<DeployTarget, string>> = {
  swarm: 'Docker Swarm',
  kubernetes: 'Kubernetes',
  ecs: 'Amazon ECS (Fargate)',
  aca: 'Azure Container Apps',
};

/** Kubernetes flavours: the registry, storage class and load balancer details differ. */
export const KUBERNETES_FLAVOURS = ['gke', 'aks', 'eks', 'generic'] as const;
export type KubernetesFlavour = (typeof KUBERNETES_FLAVOURS)[number];

export const FLAVOUR_LABELS: Readonly<Record<KubernetesFlavour, string>> = {
  gke: 'Google Kubernetes Engine',
  aks: 'Azure Kubernetes Service',
  eks: 'Amazon EKS',
  generic: 'any conformant cluster',
};

/** Where the Redis of an ECS task lives. */
export const ECS_REDIS_MODES = ['sidecar', 'elasticache'] as const;
/** Where the Redis data of Container Apps lives. */
export const ACA_REDIS_STORAGE = ['azurefile', 'ephemeral'] as const;

/** Fargate task sizes: memory (MiB) allowed per CPU value (units of 1/1024 vCPU). */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = (() => {
  const range = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
  return {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
  };
})();

/** Container Apps (consumption) CPU values; the memory is twice the CPU in GiB. */
export const ACA_CPUS = ['0.25', '0.5', '0.75', '1', '1.25', '1.5', '1.75', '2'] as const;

/** Rules the deploy scripts check at run time, in the same form as schema/registry.ts RULES. */
export const DEPLOY_RULES = {
  /** A Docker object name (stack, service, network, secret). */
  stackName: {
    pattern: '[a-zA-Z0-9][a-zA-Z0-9_.-]*',
    min: 1,
    max: 63,
    text: 'a stack name: letters, digits, "_", "." and "-", starting with a letter or digit, at most 63 characters',
  },
  /** An RFC 1123 label: Kubernetes namespaces and most object names. */
  dnsLabel: {
    pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?',
    min: 1,
    max: 63,
    text: 'a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
  },
  /** A kubeconfig context name: anything printable without white space. */
  kubeContext: {
    pattern: '[^[:space:]]+',
    min: 1,
    max: 253,
    text: 'a kubeconfig context name without white space',
  },
  /** ECS cluster, service and task definition family names. */
  ecsName: {
    pattern: '[A-Za-z0-9][A-Za-z0-9_-]*',
    min: 1,
    max: 255,
    text: 'an ECS name: letters, digits, "_" and "-", at most 255 characters',
  },
  /** Container Apps (and their environments') names. */
  acaName: {
    pattern: '[a-z][a-z0-9-]*[a-z0-9]',
    min: 2,
    max: 32,
    text: 'a Container Apps name: lowercase letters, digits and "-", starting with a letter, ending with a letter or digit, 2 to 32 characters',
  },
  /** A full image reference: [host/]repository[:tag][@sha256:digest]. */
  imageRef: {
    pattern: `((${RULES.host.pattern})/)?${RULES.repository.pattern}(:${RULES.tag.pattern})?(@sha256:[a-f0-9]{64})?`,
    min: 1,
    max: 512,
    text: 'an image reference, such as registry.example.com/team/app:1.2.3 (host, repository, then a tag and/or @sha256:digest)',
  },
  /** A Redis URL (ElastiCache endpoints and the like). */
  redisUrl: {
    pattern: 'rediss?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[0-9]{1,2})?',
    min: 10,
    max: 300,
    text: 'a Redis URL without credentials, such as rediss://master.my-cache.abc123.euw1.cache.amazonaws.com:6379',
  },
  /** A database URL without a password (the password comes from secrets/db_password). */
  databaseUrl: {
    pattern: '(postgres|postgresql|mysql|mariadb)://[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9_$-]+',
    min: 12,
    max: 300,
    text: 'a database URL without a password, such as postgres://app@mydb.abc123.eu-west-1.rds.amazonaws.com:5432/app',
  },
  /** A number of seconds. */
  seconds: { pattern: '[1-9][0-9]{0,4}', min: 1, max: 5, text: 'a whole number of seconds from 1 to 99999' },
} as const satisfies Record<string, Rule>;

export type DeployRuleName = keyof typeof DEPLOY_RULES;

const ruled = (rule: Rule, what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .refine((v) => follows(rule, v), { error: `${what} must be ${rule.text}` })
    .meta({ pattern: `^(${rule.pattern})$`, minLength: rule.min, maxLength: rule.max });

const count = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a whole number from ${min} to ${max}` })
    .int({ error: `${what} must be a whole number from ${min} to ${max}` })
    .min(min, { error: `${what} must be from ${min} to ${max}` })
    .max(max, { error: `${what} must be from ${min} to ${max}` });

/** A Kubernetes quantity of bytes, such as 1Gi or 500Mi. */
const StorageSize = z
  .string({ error: 'the storage size must be a string' })
  .regex(/^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/, { error: 'the storage size must be a whole number followed by Mi, Gi or Ti, such as 1Gi' });

const TARGET_INPUTS = DEPLOY_TARGETS as unknown as [string, ...string[]];

/** Targets, each once, in the canonical order. */
export function normaliseDeployTargets(targets: readonly string[]): DeployTarget[] {
  const chosen = new Set(targets);
  return DEPLOY_TARGETS.filter((t) => chosen.has(t));
}

export const DeploySpec = z
  .strictObject({
    targets: z
      .array(z.enum(TARGET_INPUTS, { error: `each deploy target must be one of ${DEPLOY_TARGETS.join(', ')}` }), {
        error: 'the deploy targets must be a list, such as ["swarm", "kubernetes"]',
      })
      .transform(normaliseDeployTargets)
      .default([])
      .meta({ description: `platforms to write deploy configs and scripts for: ${DEPLOY_TARGETS.join(', ')}` }),
    swarm: z
      .strictObject({
        appReplicas: count('the number of app replicas', 1, 100).default(2),
      })
      .prefault({})
      .meta({ description: 'Docker Swarm: deploy/swarm/stack.yml and scripts/deploy-swarm.sh' }),
    kubernetes: z
      .strictObject({
        flavour: z
          .enum(KUBERNETES_FLAVOURS, { error: `the Kubernetes flavour must be one of ${KUBERNETES_FLAVOURS.join(', ')}` })
          .default('generic'),
        namespace: ruled(DEPLOY_RULES.dnsLabel, 'the Kubernetes namespace').optional(),
        storageClass: ruled(DEPLOY_RULES.dnsLabel, 'the storage class').optional(),
        storageSize: StorageSize.default('1Gi'),
        appReplicas: count('the number of app replicas', 1, 100).default(2),
      })
      .prefault({})
      .meta({ description: 'Kubernetes: deploy/kubernetes/ (kustomize base and overlay) and scripts/deploy-kubernetes.sh' }),
    ecs: z
      .strictObject({
        region: ruled(RULES.awsRegion, 'the AWS region').optional(),
        accountId: ruled(RULES.awsAccountId, 'the AWS account ID').optional(),
        cluster: ruled(DEPLOY_RULES.ecsName, 'the ECS cluster').optional(),
        service: ruled(DEPLOY_RULES.ecsName, 'the ECS service').optional(),
        cpu: z
          .number({ error: 'the task CPU must be a number of CPU units' })
          .refine((v) => Object.hasOwn(FARGATE_SIZES, v), { error: `the task CPU must be one of ${Object.keys(FARGATE_SIZES).join(', ')} (CPU units, 1024 = 1 vCPU)` })
          .default(512),
        memory: count('the task memory (MiB)', 512, 122880).default(1024),
        redis: z.enum(ECS_REDIS_MODES, { error: `the ECS Redis must be one of ${ECS_REDIS_MODES.join(', ')}` }).default('sidecar'),
      })
      .superRefine((ecs, ctx) => {
        const allowed = FARGATE_SIZES[ecs.cpu];
        if (allowed && !allowed.includes(ecs.memory)) {
          ctx.addIssue({
            code: 'custom',
            path: ['memory'],
            input: ecs.memory,
            message: `Fargate does not offer ${ecs.memory} MiB with ${ecs.cpu} CPU units: choose one of ${allowed[0]}..${allowed[allowed.length - 1]} (${allowed.length} sizes: ${allowed.join(', ')})`,
          });
        }
      })
      .prefault({})
      .meta({ description: 'Amazon ECS on Fargate: deploy/ecs/task-definition.json and scripts/deploy-ecs.sh' }),
    aca: z
      .strictObject({
        resourceGroup: ruled(RULES.azureResourceGroup, 'the Azure resource group').optional(),
        environment: ruled(DEPLOY_RULES.acaName, 'the Container Apps environment').optional(),
        appName: ruled(DEPLOY_RULES.acaName, 'the Container App name').optional(),
        cpu: z.enum(ACA_CPUS, { error: `the app CPU must be one of ${ACA_CPUS.join(', ')} (the memory is twice as many GiB)` }).default('0.5'),
        minReplicas: count('the minimum number of replicas', 0, 300).default(1),
        maxReplicas: count('the maximum number of replicas', 1, 300).default(3),
        redisStorage: z.enum(ACA_REDIS_STORAGE, { error: `the Redis storage must be one of ${ACA_REDIS_STORAGE.join(', ')}` }).default('azurefile'),
      })
      .superRefine((aca, ctx) => {
        if (aca.minReplicas > aca.maxReplicas) {
          ctx.addIssue({
            code: 'custom',
            path: ['minReplicas'],
            input: aca.minReplicas,
            message: `the minimum number of replicas (${aca.minReplicas}) must not exceed the maximum (${aca.maxReplicas})`,
          });
        }
      })
      .prefault({})
      .meta({ description: 'Azure Container Apps: deploy/aca/ and scripts/deploy-aca.sh' }),
  })
  .meta({
    description:
      'deploy targets (deploy/<target>/, scripts/deploy-<target>.sh) and the defaults baked into them; environment variables override the defaults at run time',
  });

export type DeploySpec = z.output<typeof DeploySpec>;

/** Splits `--deploy` lists: comma or space separated; "none" means no target. */
export function splitDeployTargets(raw: string): string[] {
  const items = raw
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length === 1 && items[0] === 'none' ? [] : items;
}
