// Amazon ECS: deploy/ecs/task-definition.json against the documented shape of
// RegisterTaskDefinition, and scripts/deploy-ecs.sh against a fake aws. What every target
// shares (files, scripts, --dry-run, settings): test/unit/deploy.test.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderAppFiles } from '../../../core/render/files.ts';
import { FARGATE_SIZES } from '../../../schema/deploy.ts';
import { type Obj, model, fakeBin, runDeployScript, argLines, realRunProject } from '../../../test/unit/helpers/deploy.ts';
import { ecsTaskDefinition } from './render.ts';

// Amazon ECS: the documented constraints of RegisterTaskDefinition for the fields we emit.

const ecsName = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/);
const KeyValue = z.strictObject({ name: z.string().min(1), value: z.string() });
const EcsSecret = z.strictObject({ name: z.string().min(1), valueFrom: z.string().min(1) });
const ContainerDefinition = z.strictObject({
  name: ecsName,
  image: z.string().min(1).max(255),
  essential: z.boolean(),
  user: z.string().optional(),
  command: z.array(z.string()).optional(),
  entryPoint: z.array(z.string()).optional(),
  portMappings: z
    .array(z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), containerPort: z.number().int().min(1).max(65535), protocol: z.enum(['tcp', 'udp']), appProtocol: z.enum(['http', 'http2', 'grpc']) }))
    .optional(),
  environment: z.array(KeyValue).optional(),
  secrets: z.array(EcsSecret).optional(),
  dependsOn: z.array(z.strictObject({ containerName: z.string(), condition: z.enum(['START', 'COMPLETE', 'SUCCESS', 'HEALTHY']) })).optional(),
  mountPoints: z.array(z.strictObject({ sourceVolume: z.string(), containerPath: z.string().startsWith('/'), readOnly: z.boolean() })).optional(),
  readonlyRootFilesystem: z.boolean().optional(),
  linuxParameters: z.strictObject({ initProcessEnabled: z.boolean().optional(), capabilities: z.strictObject({ drop: z.array(z.string()) }).optional() }).optional(),
  healthCheck: z
    .strictObject({
      command: z.array(z.string()).min(2).refine((c) => c[0] === 'CMD' || c[0] === 'CMD-SHELL', 'starts with CMD or CMD-SHELL'),
      interval: z.number().int().min(5).max(300),
      timeout: z.number().int().min(2).max(60),
      retries: z.number().int().min(1).max(10),
      startPeriod: z.number().int().min(0).max(300),
    })
    .optional(),
  logConfiguration: z.strictObject({ logDriver: z.enum(['awslogs', 'awsfirelens', 'splunk']), options: z.record(z.string(), z.string()) }),
});
const TaskDefinition = z
  .strictObject({
    family: ecsName,
    requiresCompatibilities: z.tuple([z.literal('FARGATE')]),
    networkMode: z.literal('awsvpc'),
    cpu: z.string().regex(/^\d+$/),
    memory: z.string().regex(/^\d+$/),
    runtimePlatform: z.strictObject({ cpuArchitecture: z.enum(['X86_64', 'ARM64']), operatingSystemFamily: z.literal('LINUX') }),
    executionRoleArn: z.string().regex(/^arn:aws:iam::(\d{12}|\$\{AWS_ACCOUNT_ID\}):role\/[\w+=,.@-]+$/),
    taskRoleArn: z.string().regex(/^arn:aws:iam::(\d{12}|\$\{AWS_ACCOUNT_ID\}):role\/[\w+=,.@-]+$/),
    containerDefinitions: z.array(ContainerDefinition).min(1).max(10),
    volumes: z.array(z.strictObject({ name: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/) })),
  })
  .superRefine((td, ctx) => {
    const sizes = FARGATE_SIZES[Number(td.cpu)];
    if (!sizes?.includes(Number(td.memory))) ctx.addIssue({ code: 'custom', message: `no Fargate size ${td.cpu}/${td.memory}` });
    const names = td.containerDefinitions.map((c) => c.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', message: 'container names must be unique' });
    if (!td.containerDefinitions.some((c) => c.essential)) ctx.addIssue({ code: 'custom', message: 'at least one essential container' });
    for (const c of td.containerDefinitions) {
      for (const dep of c.dependsOn ?? []) {
        const other = td.containerDefinitions.find((x) => x.name === dep.containerName);
        if (!other) ctx.addIssue({ code: 'custom', message: `${c.name} depends on a missing container ${dep.containerName}` });
        else if (dep.condition === 'HEALTHY' && !other.healthCheck) ctx.addIssue({ code: 'custom', message: `${c.name} waits for ${other.name} to be HEALTHY, which has no health check` });
        else if ((dep.condition === 'SUCCESS' || dep.condition === 'COMPLETE') && other.essential) {
          ctx.addIssue({ code: 'custom', message: `${c.name} waits for ${other.name} to exit, but it is essential` });
        }
      }
      for (const mp of c.mountPoints ?? []) {
        if (!td.volumes.some((v) => v.name === mp.sourceVolume)) ctx.addIssue({ code: 'custom', message: `${c.name} mounts a missing volume ${mp.sourceVolume}` });
      }
    }
  });

const ecsOf = (values: Obj): Obj => JSON.parse(renderAppFiles(model(values)).find((f) => f.path === 'deploy/ecs/task-definition.json')!.content) as Obj;

describe('ecs: a read-only root filesystem with writable task storage', () => {
  it('mounts /tmp and each writable folder from a volume without a host path (Fargate ephemeral storage)', () => {
    const td = ecsTaskDefinition(model({ app: { command: ['node', 'server.js'], writableDirs: ['.next/cache'] }, deploy: { targets: ['ecs'] } }));
    const app = (td['containerDefinitions'] as Obj[]).find((c) => c['name'] === 'app')!;
    expect(app['readonlyRootFilesystem']).toBe(true);
    expect(app['mountPoints']).toEqual(
      expect.arrayContaining([
        { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
        { sourceVolume: 'writable-1', containerPath: '/app/.next/cache', readOnly: false },
      ]),
    );
    const volumes = td['volumes'] as Obj[];
    for (const name of ['tmp', 'writable-1']) expect(volumes).toContainEqual({ name });
    // The container check is liveness: the process answers, whatever Redis does.
    expect(JSON.stringify(app['healthCheck'])).not.toContain('/healthz');
    expect(JSON.stringify(ecsTaskDefinition(model({ deploy: { targets: ['ecs'] } })))).toContain('/livez');
    // No host path, no EFS: what Fargate allows for task storage.
    for (const v of volumes) expect(Object.keys(v)).toEqual(['name']);
  });
});

describe('Amazon ECS: the task definition has the shape of RegisterTaskDefinition', () => {
  const variants: Array<[string, Obj]> = [
    ['default (Redis sidecar)', {}],
    ['ElastiCache', { redis: 'elasticache' }],
    ['a bigger task', { cpu: 2048, memory: 8192 }],
  ];
  it.each(variants)('%s', (_name, ecs) => {
    for (const database of ['none', 'postgres']) {
      const td = ecsOf({ deploy: { targets: ['ecs'], ecs }, database: { kind: database } });
      const parsed = TaskDefinition.safeParse(td);
      expect(parsed.success, JSON.stringify(parsed.error?.issues, null, 1)).toBe(true);
    }
  });

  it('the schema does reject what ECS rejects (the check above can fail)', () => {
    const td = ecsOf({ deploy: { targets: ['ecs'] } });
    expect(TaskDefinition.safeParse({ ...td, memory: '4096', cpu: '256' }).success).toBe(false);
    expect(TaskDefinition.safeParse({ ...td, networkMode: 'bridge' }).success).toBe(false);
    const noHealth = structuredClone(td);
    delete noHealth['containerDefinitions'][2].healthCheck;
    expect(TaskDefinition.safeParse(noHealth).success).toBe(false);
    const typo = structuredClone(td);
    typo['containerDefinitions'][1].readOnlyRootFilesystem = true;
    expect(TaskDefinition.safeParse(typo).success).toBe(false);
  });

  it('targeted: Fargate, the app waits for the secrets and a healthy Redis, logs, ARNs only', () => {
    const td = ecsOf({ deploy: { targets: ['ecs'] } });
    expect(td['requiresCompatibilities']).toEqual(['FARGATE']);
    expect(td['networkMode']).toBe('awsvpc');
    expect([td['cpu'], td['memory']]).toEqual(['512', '1024']);
    expect(td['executionRoleArn']).toBe('arn:aws:iam::${AWS_ACCOUNT_ID}:role/shop-ecs-execution');
    expect(td['taskRoleArn']).toBe('arn:aws:iam::${AWS_ACCOUNT_ID}:role/shop-ecs-task');
    const [init, app, redis] = td['containerDefinitions'];
    expect(init.name).toBe('init');
    expect(init.essential).toBe(false);
    expect(init.secrets).toEqual([
      { name: 'SECRET_REDIS_PASSWORD', valueFrom: '${REDIS_PASSWORD_ARN}' },
      { name: 'SECRET_REDIS_ACL', valueFrom: '${REDIS_ACL_ARN}' },
    ]);
    expect(app.image).toBe('${APP_IMAGE}');
    expect(app.portMappings).toEqual([{ name: 'http', containerPort: 3000, protocol: 'tcp', appProtocol: 'http' }]);
    expect(app.dependsOn).toEqual([{ containerName: 'init', condition: 'SUCCESS' }, { containerName: 'redis', condition: 'HEALTHY' }]);
    expect(app.healthCheck.command.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(app.environment).toContainEqual({ name: 'REDIS_URL', value: 'redis://127.0.0.1:6379' });
    expect(app.environment).toContainEqual({ name: 'REDIS_PASSWORD_FILE', value: '/run/secrets/redis_password' });
    expect(app.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/shop', 'awslogs-region': '${AWS_REGION}', 'awslogs-stream-prefix': 'app', 'awslogs-create-group': 'true' },
    });
    expect(redis.name).toBe('redis');
    expect(redis.user).toBe('999:999');
    expect(redis.healthCheck.command[0]).toBe('CMD-SHELL');
    // The init script writes each secret file, then hands the Redis folder to its user.
    const script = init.entryPoint[2] as string;
    expect(script).toContain('["redis_password","redis_acl"]');
    expect(script).toContain("fs.chownSync('/redis-data', 999, 999)");
    const elasti = ecsOf({ deploy: { targets: ['ecs'], ecs: { redis: 'elasticache' } } });
    expect(elasti['containerDefinitions'].map((c: Obj) => c.name)).toEqual(['init', 'app']);
    expect(elasti['containerDefinitions'][1].environment).toContainEqual({ name: 'REDIS_URL', value: '${REDIS_URL}' });
    expect(elasti['volumes']).toEqual([{ name: 'secrets' }, { name: 'tmp' }]);
  });
});

describe('ecs: real runs against a fake aws, the exact calls', () => {
  let dir: string;
  let password: string;
  beforeAll(() => {
    ({ dir, password } = realRunProject());
  });

  it('ecs: secrets stored once from the files, the filled-in task definition registered, the service updated and waited for', () => {
    const fake = fakeBin();
    writeFileSync(join(fake.state, 'redis_acl'), ''); // this one exists already
    const r = runDeployScript(dir, 'ecs', [], { IMAGE_TAG: 'v1' }, fake);
    expect(r.code, r.stderr).toBe(0);
    expect(argLines(r.calls)).toEqual([
      'aws [sts] [get-caller-identity] [--query] [Account] [--output] [text]',
      'aws [secretsmanager] [describe-secret] [--region] [eu-west-1] [--secret-id] [shop/redis_password] [--query] [ARN] [--output] [text]',
      'aws [secretsmanager] [create-secret] [--region] [eu-west-1] [--name] [shop/redis_password] [--secret-string] [file://secrets/redis_password] [--query] [ARN] [--output] [text]',
      'aws [secretsmanager] [describe-secret] [--region] [eu-west-1] [--secret-id] [shop/redis_acl] [--query] [ARN] [--output] [text]',
      expect.stringMatching(/^aws \[ecs\] \[register-task-definition\] \[--region\] \[eu-west-1\] \[--cli-input-json\] \[file:\/\/.*\/task-definition\.json\] \[--query\] \[taskDefinition\.taskDefinitionArn\] \[--output\] \[text\]$/),
      "aws [ecs] [describe-services] [--region] [eu-west-1] [--cluster] [shop] [--services] [shop] [--query] [services[?status=='ACTIVE'].serviceName] [--output] [text]",
      'aws [ecs] [update-service] [--region] [eu-west-1] [--cluster] [shop] [--service] [shop] [--task-definition] [arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:7] [--force-new-deployment] [--query] [service.serviceArn] [--output] [text]',
      'aws [ecs] [wait] [services-stable] [--region] [eu-west-1] [--cluster] [shop] [--services] [shop]',
    ]);
    expect(r.calls).toContain('mode 600\n');
    const td = JSON.parse(readFileSync(join(fake.state, 'task-definition.json'), 'utf8')) as Obj;
    const parsed = TaskDefinition.safeParse(td);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(JSON.stringify(td)).not.toContain('${');
    expect(JSON.stringify(td)).not.toContain(password);
    expect(td['executionRoleArn']).toBe('arn:aws:iam::123456789012:role/shop-ecs-execution');
    const [init, app] = td['containerDefinitions'];
    expect(app.image).toBe('registry.example.com:5000/team/shop:v1');
    expect(init.image).toBe('registry.example.com:5000/team/shop:v1');
    expect(init.secrets).toEqual([
      { name: 'SECRET_REDIS_PASSWORD', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/redis_password-XyZ123' },
      { name: 'SECRET_REDIS_ACL', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/redis_acl-AbCdEf' },
    ]);
    expect(app.logConfiguration.options['awslogs-region']).toBe('eu-west-1');
    expect(r.stdout).toContain('deployed arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:7 to shop/shop');
  });

  it('ecs: without the service it registers the revision, says what to do, and stops', () => {
    const fake = fakeBin();
    writeFileSync(join(fake.state, 'no-service'), '');
    const r = runDeployScript(dir, 'ecs', [], { IMAGE_TAG: 'v1', AWS_ACCOUNT_ID: '123456789012' }, fake);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no active service shop: create it once');
    expect(r.calls).not.toContain('update-service');
  });
});
