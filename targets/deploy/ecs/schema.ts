// Amazon ECS's part of the spec: deploy.ecs, and the task sizes Fargate offers.
import * as z from 'zod';
import { RULES } from '../../../schema/registry.ts';
import { count, DEPLOY_RULES, ruled } from '../rules.ts';
import { deployTarget } from '../shared.ts';
import type { EcsModel } from './types.ts';

/** Where the Redis of an ECS task lives. */
export const ECS_REDIS_MODES = ['sidecar', 'elasticache'] as const;

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

export const EcsSpec = z
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
  .meta({ description: 'Amazon ECS on Fargate: deploy/ecs/task-definition.json and scripts/deploy-ecs.sh' });

export type EcsSpec = z.output<typeof EcsSpec>;

/** Its place in the spec and the model (./index.ts adds the rest of the module). */
export const ecsTarget = deployTarget<EcsModel>()('ecs', 'Amazon ECS (Fargate)', EcsSpec);
