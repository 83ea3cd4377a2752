// deploy/ecs/task-definition.json: the input of `aws ecs register-task-definition` for
// Fargate. ${NAME} placeholders (account, region, image, secret ARNs) are filled in by
// scripts/deploy-ecs.sh; passwords never appear here, only Secrets Manager ARNs.
import type { StackModel } from '../../../core/types.ts';
import { ph } from '../shared.ts';
import type { DeploySecret } from '../types.ts';

type Obj = Record<string, unknown>;

/** The placeholder holding a secret's ARN. */
export const arnVariable = (s: DeploySecret): string => `${s.variable}_ARN`;

const SECRETS_DIR = '/run/secrets';
/** The container that writes the secret files, then exits. */
export const INIT = 'init';
const REDIS_INIT_DIR = '/redis-data';

/**
 * Fargate injects secrets as environment variables; the app and Redis read files. A
 * short-lived container (the app image, as root) writes each one into a task-local
 * volume, read-only for the others, and exits before they start.
 */
function initContainer(m: StackModel): Obj {
  const e = m.deploy.ecs;
  const names = e.secrets.map((s) => s.name);
  const redis = m.deploy.stateful[0]!;
  const sidecar = e.redis === 'sidecar';
  const script =
    `const fs = require('node:fs');` +
    `for (const name of ${JSON.stringify(names)}) ` +
    `fs.writeFileSync('${SECRETS_DIR}/' + name, process.env['SECRET_' + name.toUpperCase()] ?? '', { mode: 0o444 });` +
    // Task storage starts out owned by root: hand the Redis folder to the redis user.
    (sidecar ? ` fs.chownSync('${REDIS_INIT_DIR}', ${redis.uid}, ${redis.gid});` : '');
  return {
    name: INIT,
    image: ph('APP_IMAGE'),
    essential: false,
    user: '0',
    entryPoint: ['node', '-e', script],
    secrets: e.secrets.map((s) => ({ name: `SECRET_${s.variable}`, valueFrom: ph(arnVariable(s)) })),
    mountPoints: [
      { sourceVolume: 'secrets', containerPath: SECRETS_DIR, readOnly: false },
      ...(sidecar ? [{ sourceVolume: 'redis-data', containerPath: REDIS_INIT_DIR, readOnly: false }] : []),
    ],
    readonlyRootFilesystem: true,
    logConfiguration: logs(m, INIT),
  };
}

function logs(m: StackModel, prefix: string): Obj {
  return {
    logDriver: 'awslogs',
    options: {
      'awslogs-group': m.deploy.ecs.logGroup,
      'awslogs-region': ph('AWS_REGION'),
      'awslogs-stream-prefix': prefix,
      'awslogs-create-group': 'true',
    },
  };
}

/** The task volume of the app's i-th writable folder (app.tmpfs: /tmp first). */
const writableVolume = (i: number): string => (i === 0 ? 'tmp' : `writable-${i}`);

export function ecsTaskDefinition(m: StackModel): Obj {
  const e = m.deploy.ecs;
  const { app } = m;
  const sidecar = e.redis === 'sidecar';
  const redisModel = m.deploy.stateful[0]!;
  const environment: Record<string, string> = { ...app.environment };
  // awsvpc: the containers of a task share one network namespace.
  environment['REDIS_URL'] = sidecar ? 'redis://127.0.0.1:6379' : ph('REDIS_URL');
  if (m.database) environment['DATABASE_URL'] = ph('DATABASE_URL');
  const appDependsOn: Obj[] = [{ containerName: INIT, condition: 'SUCCESS' }];
  if (sidecar) appDependsOn.push({ containerName: redisModel.service, condition: 'HEALTHY' });

  const containers: Obj[] = [
    initContainer(m),
    {
      name: app.service,
      image: ph('APP_IMAGE'),
      essential: true,
      portMappings: [{ name: 'http', containerPort: app.port, protocol: 'tcp', appProtocol: 'http' }],
      environment: Object.entries(environment).map(([name, value]) => ({ name, value })),
      dependsOn: appDependsOn,
      // The root filesystem is read-only: /tmp and the app's writable folders are task storage
      // (bind-mount volumes without a host path: Fargate's ephemeral storage), as Compose's tmpfs.
      mountPoints: [
        { sourceVolume: 'secrets', containerPath: SECRETS_DIR, readOnly: true },
        ...app.tmpfs.map((path, i) => ({ sourceVolume: writableVolume(i), containerPath: path, readOnly: false })),
      ],
      readonlyRootFilesystem: true,
      linuxParameters: { initProcessEnabled: true, capabilities: { drop: ['ALL'] } },
      // ECS replaces a task whose container check fails: it checks liveness only (the process
      // answers), never Redis; the load balancer's target group checks readiness (README.Docker.md).
      healthCheck: { command: ['CMD', ...app.livenesscheck], interval: 10, timeout: 5, retries: 3, startPeriod: 30 },
      logConfiguration: logs(m, app.service),
    },
  ];
  if (sidecar) {
    containers.push({
      name: redisModel.service,
      image: redisModel.image,
      essential: true,
      user: `${redisModel.uid}:${redisModel.gid}`,
      command: redisModel.args,
      dependsOn: [{ containerName: INIT, condition: 'SUCCESS' }],
      mountPoints: [
        { sourceVolume: 'secrets', containerPath: SECRETS_DIR, readOnly: true },
        // Task storage: it lives as long as the task. For data that outlives tasks, switch
        // to ElastiCache (README.Docker.md, "Amazon ECS").
        { sourceVolume: 'redis-data', containerPath: redisModel.dataDir, readOnly: false },
      ],
      readonlyRootFilesystem: true,
      linuxParameters: { initProcessEnabled: true, capabilities: { drop: ['ALL'] } },
      healthCheck: { command: ['CMD-SHELL', redisModel.probe[2] ?? ''], interval: 10, timeout: 5, retries: 5, startPeriod: 10 },
      logConfiguration: logs(m, redisModel.service),
    });
  }
  const account = ph('AWS_ACCOUNT_ID');
  return {
    family: e.family,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: String(e.cpu),
    memory: String(e.memory),
    runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    executionRoleArn: `arn:aws:iam::${account}:role/${e.executionRole}`,
    taskRoleArn: `arn:aws:iam::${account}:role/${e.taskRole}`,
    containerDefinitions: containers,
    volumes: [{ name: 'secrets' }, ...(sidecar ? [{ name: 'redis-data' }] : []), ...app.tmpfs.map((_, i) => ({ name: writableVolume(i) }))],
  };
}

export function renderEcsTaskDefinition(m: StackModel): string {
  return `${JSON.stringify(ecsTaskDefinition(m), null, 2)}\n`;
}
