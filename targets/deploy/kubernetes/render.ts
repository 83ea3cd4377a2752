// deploy/kubernetes/: a kustomize base (the app's Deployment and Service, a StatefulSet,
// headless Service and volume claim for Redis and the database, NetworkPolicies that
// mirror the internal backend network) and the chosen flavour's overlay. Objects are
// built as plain data and serialised with `yaml`; the Secret is made by the deploy script
// from the project's secret files and never written here.
import { Scalar, stringify } from 'yaml';
import type { StackModel } from '../../../core/types.ts';
import { stringifyYaml } from '../../../core/yaml.ts';
import type { RenderedFile } from '../../../core/rendered.ts';
import type { Resources, StatefulService } from '../types.ts';

type Obj = Record<string, unknown>;

export interface KubeFile {
  path: string;
  object: Obj;
  /** A header comment. */
  comment: string;
}

/** A JSON 6902 operation, as a kustomize overlay patches with. */
export interface PatchOp {
  op: 'add' | 'replace';
  path: string;
  value: unknown;
}

export interface OverlayPatch {
  target: { kind: string; name: string };
  ops: PatchOp[];
}

const SECRETS_DIR = '/run/secrets';

function labels(m: StackModel, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': m.deploy.kubernetes.name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': m.deploy.kubernetes.name,
  };
}

function selector(m: StackModel, component: string): Record<string, string> {
  const all = labels(m, component);
  return { 'app.kubernetes.io/name': all['app.kubernetes.io/name']!, 'app.kubernetes.io/component': component };
}

const metadata = (m: StackModel, name: string, component: string): Obj => ({ name, labels: labels(m, component) });

const kubeResources = (r: Resources): Obj => ({ requests: { ...r.requests }, limits: { ...r.limits } });

/** What the restricted Pod Security Standard asks of every container. */
const containerSecurity = (readOnlyRoot: boolean): Obj => ({
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: readOnlyRoot,
  capabilities: { drop: ['ALL'] },
});

const podSecurity = (uid: number, gid: number, fsGroup?: number): Obj => ({
  runAsNonRoot: true,
  runAsUser: uid,
  runAsGroup: gid,
  ...(fsGroup === undefined ? {} : { fsGroup }),
  seccompProfile: { type: 'RuntimeDefault' },
});

/** The Secret's keys are the Compose secret names; each pod mounts only its own. */
function secretVolume(m: StackModel, names: readonly string[]): Obj {
  return {
    name: 'secrets',
    secret: { secretName: m.deploy.kubernetes.secretName, defaultMode: 0o444, items: names.map((key) => ({ key, path: key })) },
  };
}

/** Kubernetes expands `$(VAR)` in env values; `$$(` keeps it literal. */
function env(values: Record<string, string>): Obj[] {
  return Object.entries(values).map(([name, value]) => ({ name, value: value.replaceAll('$(', '$$$$(') }));
}

function appDeployment(m: StackModel): Obj {
  const k = m.deploy.kubernetes;
  const { app } = m;
  // An HTTP probe needs a 2xx-3xx answer: for a check that accepts any answer below 500
  // (an app without a health endpoint) the port accepting a connection is what is probed.
  const probe: Obj = app.healthCheck === 'http' ? { httpGet: { path: app.healthPath, port: 'http' } } : { tcpSocket: { port: 'http' } };
  // Readiness checks the dependencies (traffic stops while Redis is away); liveness only the
  // process (a Redis outage must not restart every replica).
  const liveness: Obj = app.livenessPath ? { httpGet: { path: app.livenessPath, port: 'http' } } : { tcpSocket: { port: 'http' } };
  // /tmp and the app's run-time folders (Next.js's .next/cache): the root file system is read-only.
  const writable = app.tmpfs.map((path, i) => ({ name: i === 0 ? 'tmp' : `writable-${i}`, path, size: i === 0 ? '64Mi' : '256Mi' }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(m, app.service, app.service),
    spec: {
      replicas: k.appReplicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector(m, app.service) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: labels(m, app.service) },
        spec: {
          automountServiceAccountToken: false,
          securityContext: podSecurity(m.deploy.appUid, m.deploy.appUid),
          terminationGracePeriodSeconds: 30,
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector(m, app.service) } },
          ],
          containers: [
            {
              name: app.service,
              // Replaced with APP_IMAGE by scripts/deploy-kubernetes.sh (kustomize images).
              image: k.imagePlaceholder,
              ports: [{ name: 'http', containerPort: app.port, protocol: 'TCP' }],
              env: env(app.environment),
              readinessProbe: { ...probe, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
              livenessProbe: { ...liveness, initialDelaySeconds: 10, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 },
              resources: kubeResources(m.deploy.appResources),
              securityContext: containerSecurity(true),
              volumeMounts: [{ name: 'secrets', mountPath: SECRETS_DIR, readOnly: true }, ...writable.map((w) => ({ name: w.name, mountPath: w.path }))],
            },
          ],
          volumes: [secretVolume(m, app.secrets), ...writable.map((w) => ({ name: w.name, emptyDir: { sizeLimit: w.size } }))],
        },
      },
    },
  };
}

function appService(m: StackModel): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(m, m.app.service, m.app.service),
    spec: {
      // The flavour's overlay makes it a LoadBalancer; generic clusters reach it through an
      // Ingress or kubectl port-forward.
      type: 'ClusterIP',
      selector: selector(m, m.app.service),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

function statefulSet(m: StackModel, s: StatefulService): Obj {
  const k = m.deploy.kubernetes;
  // Its health command, or an HTTP GET where the image can run none (NATS: /healthz).
  const probe = s.httpProbe ? { httpGet: { path: s.httpProbe.path, port: s.httpProbe.port } } : { exec: { command: s.probe } };
  // Secrets with a target of their own (a conf.d file): each mounted alone (subPath).
  const ownTargets = s.secrets.filter((name) => s.secretTargets[name]);
  const scratch = s.scratch.map((path, i) => ({ name: `scratch-${i}`, path }));
  const container: Obj = {
    name: s.service,
    image: s.image,
    ...(s.args ? { args: s.args } : {}),
    ...(Object.keys(s.environment).length ? { env: env(s.environment) } : {}),
    ports: [{ name: 'tcp', containerPort: s.port, protocol: 'TCP' }],
    readinessProbe: { ...probe, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
    livenessProbe: { ...probe, initialDelaySeconds: s.livenessDelay, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 },
    resources: kubeResources(s.resources),
    securityContext: containerSecurity(s.readOnlyRoot),
    volumeMounts: [
      ...(s.volume ? [{ name: 'data', mountPath: s.dataDir }] : []),
      { name: 'secrets', mountPath: SECRETS_DIR, readOnly: true },
      ...ownTargets.map((name) => ({ name: 'secrets', mountPath: s.secretTargets[name], subPath: name, readOnly: true })),
      ...(s.initFiles.length ? [{ name: 'init', mountPath: s.initDir, readOnly: true }] : []),
      ...scratch.map((v) => ({ name: v.name, mountPath: v.path })),
    ],
  };
  // First-start files (db/init/): the ConfigMap scripts/deploy-kubernetes.sh makes from them.
  const init = s.initFiles.length
    ? [{ name: 'init', configMap: { name: s.initConfigMap, items: s.initFiles.map((f) => ({ key: f.name, path: f.name, mode: f.name.endsWith('.sh') ? 0o555 : 0o444 })) } }]
    : [];
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata(m, s.service, s.service),
    spec: {
      serviceName: s.service,
      replicas: 1,
      selector: { matchLabels: selector(m, s.service) },
      template: {
        metadata: { labels: labels(m, s.service) },
        spec: {
          automountServiceAccountToken: false,
          securityContext: podSecurity(s.uid, s.gid, s.gid),
          terminationGracePeriodSeconds: 30,
          containers: [container],
          volumes: [secretVolume(m, s.secrets), ...init, ...scratch.map((v) => ({ name: v.name, emptyDir: {} }))],
        },
      },
      // One PersistentVolumeClaim (data-<name>-0); the overlay sets its storage class. None
      // for a service that keeps no data.
      ...(s.volume
        ? {
            volumeClaimTemplates: [
              {
                metadata: { name: 'data', labels: labels(m, s.service) },
                spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k.storageSize } } },
              },
            ],
          }
        : {}),
    },
  };
}

function headlessService(m: StackModel, s: StatefulService): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(m, s.service, s.service),
    spec: { clusterIP: 'None', selector: selector(m, s.service), ports: [{ name: 'tcp', port: s.port, targetPort: 'tcp', protocol: 'TCP' }] },
  };
}

/** The backend network is internal: only the app reaches Redis and the database, and they reach nothing. */
function backendPolicy(m: StackModel, s: StatefulService): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(m, s.service, s.service),
    spec: {
      podSelector: { matchLabels: selector(m, s.service) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: selector(m, m.app.service) } }], ports: [{ protocol: 'TCP', port: s.port }] }],
      egress: [],
    },
  };
}

/** The frontend network: the app's HTTP port is open, nothing else of it. */
function appPolicy(m: StackModel): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(m, m.app.service, m.app.service),
    spec: {
      podSelector: { matchLabels: selector(m, m.app.service) },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: m.app.port }] }],
    },
  };
}

function namespace(m: StackModel): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: m.deploy.kubernetes.namespace,
      labels: {
        ...labels(m, 'namespace'),
        // Every pod here meets the restricted Pod Security Standard.
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  };
}

/** EKS: a gp3 class on the EBS CSI driver (EKS has no default class on new clusters). */
function eksStorageClass(m: StackModel): Obj {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: m.deploy.kubernetes.storageClass, labels: labels(m, 'storage') },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3', encrypted: 'true' },
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
    reclaimPolicy: 'Retain',
  };
}

/** Every object of the base, by file. */
export function kubernetesBase(m: StackModel): KubeFile[] {
  const base = m.deploy.kubernetes.base;
  const files: KubeFile[] = [
    { path: `${base}/namespace.yaml`, object: namespace(m), comment: 'The namespace (kustomization.yaml sets it on every object).' },
    { path: `${base}/app-deployment.yaml`, object: appDeployment(m), comment: 'The app: probes on the health path, non-root, read-only root file system.' },
    { path: `${base}/app-service.yaml`, object: appService(m), comment: 'The app\'s Service (the overlay chooses its type).' },
    { path: `${base}/app-networkpolicy.yaml`, object: appPolicy(m), comment: 'Only the app\'s HTTP port is reachable.' },
  ];
  for (const s of m.deploy.stateful) {
    files.push(
      { path: `${base}/${s.service}-statefulset.yaml`, object: statefulSet(m, s), comment: `${s.label}: one replica, ${s.volume ? 'its data on a PersistentVolumeClaim' : 'no volume (it keeps no data)'}.` },
      { path: `${base}/${s.service}-service.yaml`, object: headlessService(m, s), comment: `${s.label}'s headless Service: the app reaches it as ${s.service}:${s.port}.` },
      { path: `${base}/${s.service}-networkpolicy.yaml`, object: backendPolicy(m, s), comment: `The internal backend network: only the app reaches ${s.label}, and ${s.label} reaches nothing.` },
    );
  }
  return files;
}

/** The chosen flavour's overlay: patches on the base, and objects of its own. */
export function kubernetesOverlay(m: StackModel): { patches: OverlayPatch[]; extra: KubeFile[] } {
  const k = m.deploy.kubernetes;
  const patches: OverlayPatch[] = [];
  const service: PatchOp[] = [];
  if (k.serviceType !== 'ClusterIP') service.push({ op: 'replace', path: '/spec/type', value: k.serviceType });
  if (Object.keys(k.serviceAnnotations).length) service.push({ op: 'add', path: '/metadata/annotations', value: k.serviceAnnotations });
  if (service.length) patches.push({ target: { kind: 'Service', name: m.app.service }, ops: service });
  if (k.storageClass) {
    for (const s of m.deploy.stateful.filter((x) => x.volume)) {
      patches.push({
        target: { kind: 'StatefulSet', name: s.service },
        ops: [{ op: 'add', path: '/spec/volumeClaimTemplates/0/spec/storageClassName', value: k.storageClass }],
      });
    }
  }
  const extra: KubeFile[] = k.ownStorageClass
    ? [{ path: `${k.overlay}/storageclass.yaml`, object: eksStorageClass(m), comment: 'gp3 volumes through the EBS CSI driver (the aws-ebs-csi-driver add-on).' }]
    : [];
  return { patches, extra };
}

function literal(text: string): Scalar {
  const node = new Scalar(text);
  node.type = Scalar.BLOCK_LITERAL;
  return node;
}

export function renderKubernetesFiles(m: StackModel): RenderedFile[] {
  const k = m.deploy.kubernetes;
  const base = kubernetesBase(m);
  const { patches, extra } = kubernetesOverlay(m);
  const header = (comment: string) => ` Generated by generator-wpsn-docker. ${comment}\n Deploy with scripts/deploy-kubernetes.sh; see README.Docker.md, "Kubernetes".`;
  const files: RenderedFile[] = [...base, ...extra].map((f) => ({ path: f.path, content: stringifyYaml(f.object, header(f.comment)), kind: 'generated' as const }));
  files.push({
    path: `${k.base}/kustomization.yaml`,
    content: stringifyYaml(
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        namespace: k.namespace,
        resources: base.map((f) => f.path.slice(k.base.length + 1)),
      },
      header('The base every flavour builds on. The Secret is not here: the deploy\n script makes it from secrets/ (kustomize refuses files outside this folder).'),
    ),
    kind: 'generated',
  });
  const overlay: Obj = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: ['../../base', ...extra.map((f) => f.path.slice(k.overlay.length + 1))],
  };
  if (patches.length) {
    overlay['patches'] = patches.map((p) => ({ target: p.target, patch: literal(stringify(p.ops, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' })) }));
  }
  files.push({
    path: `${k.overlay}/kustomization.yaml`,
    content: stringifyYaml(overlay, header(`The ${k.flavourLabel} overlay (${k.flavour}): Service type, load balancer\n annotations and the storage class.`)),
    kind: 'generated',
  });
  return files;
}
