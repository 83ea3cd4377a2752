// Kubernetes' part of the deploy model (m.deploy.kubernetes). Types only.
import type { KubernetesFlavour } from './flavours.ts';

export interface KubernetesModel {
  flavour: KubernetesFlavour;
  flavourLabel: string;
  /** Kubernetes-safe project name ("_" becomes "-"). */
  name: string;
  namespace: string;
  storageClass: string | undefined;
  /** A StorageClass object the overlay adds (EKS: gp3 on the EBS CSI driver). */
  ownStorageClass: boolean;
  storageSize: string;
  appReplicas: number;
  serviceType: 'LoadBalancer' | 'ClusterIP';
  serviceAnnotations: Record<string, string>;
  secretName: string;
  base: string;
  overlay: string;
  /** The image name in the base the deploy script replaces (kustomize images). */
  imagePlaceholder: string;
  /** Where the flavour's registry documentation points. */
  registryHint: { en: string; ko: string };
}
