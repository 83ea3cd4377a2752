// Kubernetes: a kustomize base and the chosen flavour's overlay under deploy/kubernetes/,
// and scripts/deploy-kubernetes.sh.
import type { DeployTargetModule } from '../module.ts';
import { dnsLabel } from '../shared.ts';
import { renderKubernetesFiles } from './render.ts';
import { FLAVOUR_LABELS, type KubernetesFlavour } from './flavours.ts';
import { kubernetesTarget, type KubernetesSpec } from './schema.ts';
import type { KubernetesModel } from './types.ts';

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

export const kubernetes: DeployTargetModule<'kubernetes', typeof KubernetesSpec, KubernetesModel> = {
  ...kubernetesTarget,
  derive(spec, { m }) {
    const k8sName = dnsLabel(m.projectName);
    const flavour = spec.flavour;
    return {
      flavour,
      flavourLabel: FLAVOUR_LABELS[flavour],
      name: k8sName,
      namespace: spec.namespace ?? k8sName,
      storageClass: spec.storageClass ?? (flavour === 'eks' ? `${dnsLabel(k8sName, 58)}-gp3` : STORAGE_CLASSES[flavour]),
      ownStorageClass: flavour === 'eks' && spec.storageClass === undefined,
      storageSize: spec.storageSize,
      appReplicas: spec.appReplicas,
      serviceType: flavour === 'generic' ? 'ClusterIP' : 'LoadBalancer',
      serviceAnnotations: serviceAnnotations(flavour, m.app.healthPath),
      secretName: `${dnsLabel(k8sName, 55)}-secrets`,
      base: 'deploy/kubernetes/base',
      overlay: `deploy/kubernetes/overlays/${flavour}`,
      imagePlaceholder: m.app.localImage,
      registryHint: REGISTRY_HINTS[flavour],
    };
  },
  sh: (k, _context, q) => ({
    namespace: q(k.namespace),
    overlay: q(k.overlay),
    imagePlaceholder: q(k.imagePlaceholder),
    secretName: q(k.secretName),
  }),
  files: renderKubernetesFiles,
};
