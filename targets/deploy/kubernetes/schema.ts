// Kubernetes' part of the spec: deploy.kubernetes.
import * as z from 'zod';
import { count, DEPLOY_RULES, ruled } from '../rules.ts';
import { KUBERNETES_FLAVOURS } from './flavours.ts';
import { deployTarget } from '../shared.ts';
import type { KubernetesModel } from './types.ts';

/** A Kubernetes quantity of bytes, such as 1Gi or 500Mi. */
const StorageSize = z
  .string({ error: 'the storage size must be a string' })
  .regex(/^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/, { error: 'the storage size must be a whole number followed by Mi, Gi or Ti, such as 1Gi' });

export const KubernetesSpec = z
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
  .meta({ description: 'Kubernetes: deploy/kubernetes/ (kustomize base and overlay) and scripts/deploy-kubernetes.sh' });

export type KubernetesSpec = z.output<typeof KubernetesSpec>;

/** Its place in the spec and the model (./index.ts adds the rest of the module). */
export const kubernetesTarget = deployTarget<KubernetesModel>()('kubernetes', 'Kubernetes', KubernetesSpec);
