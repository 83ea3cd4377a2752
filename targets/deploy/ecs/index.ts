// Amazon ECS on Fargate: deploy/ecs/task-definition.json, and scripts/deploy-ecs.sh.
import type { DeployTargetModule } from '../module.ts';
import { renderEcsTaskDefinition } from './render.ts';
import { ecsTarget, type EcsSpec } from './schema.ts';
import type { EcsModel } from './types.ts';

export const ecs: DeployTargetModule<'ecs', typeof EcsSpec, EcsModel> = {
  ...ecsTarget,
  derive(spec, { m, secrets }) {
    const db = m.database;
    // What the task's containers read: the app's secrets, and Redis's when it runs as a sidecar
    // (a managed database keeps its own administrator password).
    const ecsSecrets = secrets.filter((s) => m.app.secrets.includes(s.name) || (spec.redis === 'sidecar' && m.redis.secrets.includes(s.name)));
    return {
      family: m.projectName,
      cluster: spec.cluster,
      service: spec.service,
      region: spec.region ?? m.spec.registries.ecr.region,
      accountId: spec.accountId ?? m.spec.registries.ecr.accountId,
      cpu: spec.cpu,
      memory: spec.memory,
      redis: spec.redis,
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
        ...(spec.redis === 'elasticache' ? ['REDIS_URL'] : []),
        ...(db ? ['DATABASE_URL'] : []),
      ],
    };
  },
  sh: (e, { m }, q) => ({
    ecsFile: q(e.file),
    ecsFamily: q(e.family),
    ecsSecretPrefix: q(e.secretPrefix),
    ecsCluster: q(e.cluster ?? m.projectName),
    ecsService: q(e.service ?? m.projectName),
    awsRegion: q(e.region),
    awsAccountId: q(e.accountId),
  }),
  files: (m) => [{ path: m.deploy.ecs.file, content: renderEcsTaskDefinition(m), kind: 'generated' }],
};
