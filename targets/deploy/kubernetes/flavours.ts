// Kubernetes flavours: what the spec (./schema.ts) offers and the model (./types.ts) holds.

/** Kubernetes flavours: the registry, storage class and load balancer details differ. */
export const KUBERNETES_FLAVOURS = ['gke', 'aks', 'eks', 'generic'] as const;
export type KubernetesFlavour = (typeof KUBERNETES_FLAVOURS)[number];

export const FLAVOUR_LABELS: Readonly<Record<KubernetesFlavour, string>> = {
  gke: 'Google Kubernetes Engine',
  aks: 'Azure Kubernetes Service',
  eks: 'Amazon EKS',
  generic: 'any conformant cluster',
};
