// Azure Container Apps' part of the spec: deploy.aca, and the sizes Container Apps offers.
import * as z from 'zod';
import { RULES } from '../../../schema/registry.ts';
import { count, DEPLOY_RULES, ruled } from '../rules.ts';
import { deployTarget } from '../shared.ts';
import type { AcaModel } from './types.ts';

/** Where the Redis data of Container Apps lives. */
export const ACA_REDIS_STORAGE = ['azurefile', 'ephemeral'] as const;

/** Container Apps (consumption) CPU values; the memory is twice the CPU in GiB. */
export const ACA_CPUS = ['0.25', '0.5', '0.75', '1', '1.25', '1.5', '1.75', '2'] as const;

export const AcaSpec = z
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
  .meta({ description: 'Azure Container Apps: deploy/aca/ and scripts/deploy-aca.sh' });

export type AcaSpec = z.output<typeof AcaSpec>;

/** Its place in the spec and the model (./index.ts adds the rest of the module). */
export const acaTarget = deployTarget<AcaModel>()('aca', 'Azure Container Apps', AcaSpec);
