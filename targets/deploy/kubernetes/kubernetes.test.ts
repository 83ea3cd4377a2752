// Kubernetes: every object of the base and each flavour's overlay against the API schemas
// (kubernetes-models) and their declared fields, kustomize's own build, the database's
// first-start files as a ConfigMap, and scripts/deploy-kubernetes.sh against a fake kubectl.
// What every target shares (files, scripts, --dry-run, settings): test/unit/deploy.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { Secret } from 'kubernetes-models/v1/Secret';
import type { StackModel } from '../../../core/model.ts';
import { renderAppFiles } from '../../../core/render/files.ts';
import { CATALOG_KINDS } from '../../../services/index.ts';
import { KUBERNETES_FLAVOURS } from '../../../schema/deploy.ts';
import { kubernetesBase, kubernetesOverlay, type PatchOp } from './render.ts';
import { type Obj, spec, model, project, fakeBin, runDeployScript, argLines, realRunProject } from '../../../test/unit/helpers/deploy.ts';
import { declarationCount, rootType, unknownFields } from '../../../test/unit/helpers/kube-strict.ts';

/** Applies the JSON 6902 operations a kustomize overlay patches with (add, replace). */
function applyOps(target: Obj, ops: readonly PatchOp[]): Obj {
  const out = structuredClone(target);
  for (const op of ops) {
    const keys = op.path.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    let cur: any = out;
    for (const key of keys.slice(0, -1)) {
      if (cur[key] === undefined) throw new Error(`${op.op} ${op.path}: ${key} does not exist`);
      cur = cur[key];
    }
    const last = keys[keys.length - 1]!;
    if (op.op === 'replace' && cur[last] === undefined) throw new Error(`replace ${op.path}: nothing to replace`);
    cur[last] = structuredClone(op.value);
  }
  return out;
}

/** The base's objects, typed loosely for asserts. */
const kbase = (m: StackModel) => kubernetesBase(m).map((f) => ({ ...f, object: f.object as Obj }));

const VALIDATORS: Record<string, (o: Obj) => { validate(): void }> = {
  Namespace: (o) => new Namespace(o as never),
  Service: (o) => new Service(o as never),
  Deployment: (o) => new Deployment(o as never),
  StatefulSet: (o) => new StatefulSet(o as never),
  NetworkPolicy: (o) => new NetworkPolicy(o as never),
  StorageClass: (o) => new StorageClass(o as never),
};

/** Validates one object: the API schema (kubernetes-models) and no undeclared fields. */
function validateKube(o: Obj, where: string): void {
  const make = VALIDATORS[o['kind']];
  expect(make, `${where}: unexpected kind ${o['kind']}`).toBeDefined();
  expect(() => make!(o).validate(), where).not.toThrow();
  expect(unknownFields(o, rootType(o['apiVersion'], o['kind'])), where).toEqual([]);
}

/** The overlay as kustomize builds it: the base, the flavour's patches, its own objects, the namespace. */
function built(m: StackModel): Obj[] {
  const { patches, extra } = kubernetesOverlay(m);
  return [...kbase(m), ...extra].map((f) => {
    let o = f.object as Obj;
    for (const p of patches) if (p.target.kind === o['kind'] && p.target.name === o['metadata'].name) o = applyOps(o, p.ops);
    return o;
  });
}

describe('Kubernetes: every object valid against the API schemas, per flavour', () => {
  it('the strict field check reads the declarations, and does catch a misspelt field', () => {
    expect(declarationCount()).toBeGreaterThan(500);
    const m = model({ deploy: { targets: ['kubernetes'] } });
    const deployment = structuredClone(kbase(m).find((f) => f.object['kind'] === 'Deployment')!.object);
    deployment['spec'].template.spec.containers[0].securityContext.readOnlyRootFileSystem = true;
    expect(unknownFields(deployment, rootType('apps/v1', 'Deployment'))).toEqual([
      '/spec/template/spec/containers/0/securityContext/readOnlyRootFileSystem: not a field of IIoK8sApiCoreV1SecurityContext',
    ]);
    deployment['spec'].template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new Deployment(deployment as never).validate()).toThrow(/containerPort must be integer/);
  });

  const rows = KUBERNETES_FLAVOURS.flatMap((flavour) => (['none', 'postgres', 'mysql', 'mariadb'] as const).map((database) => ({ flavour, database })));
  it.each(rows)('$flavour with database $database: base and overlay objects, and the files say the same', ({ flavour, database }) => {
    const m = model({ deploy: { targets: ['kubernetes'], kubernetes: { flavour } }, database: { kind: database } });
    const files = renderAppFiles(m);
    const base = kbase(m);
    for (const f of base) {
      validateKube(f.object, f.path);
      // The file holds exactly the object (every string quoted, so nothing changes type).
      expect(parseYaml(files.find((x) => x.path === f.path)!.content), f.path).toEqual(f.object);
    }
    for (const o of built(m)) validateKube(o, `${flavour} overlay: ${o['kind']}/${o['metadata'].name}`);
    const kinds = base.map((f) => `${f.object['kind']}/${f.object['metadata'].name}`).sort();
    const stateful = database === 'none' ? ['redis'] : ['db', 'redis'];
    expect(kinds).toEqual(
      ['Deployment/app', 'Namespace/shop', 'NetworkPolicy/app', 'Service/app', ...stateful.flatMap((s) => [`NetworkPolicy/${s}`, `Service/${s}`, `StatefulSet/${s}`])].sort(),
    );
    // Never a Secret in the files: the script makes it from secrets/.
    for (const f of files.filter((x) => x.path.startsWith('deploy/kubernetes/'))) expect(f.content, f.path).not.toMatch(/kind: "?Secret"?\n/);
    const kustomization = parseYaml(files.find((x) => x.path === 'deploy/kubernetes/base/kustomization.yaml')!.content) as Obj;
    expect(kustomization['resources'].sort()).toEqual(base.map((f) => f.path.split('/').pop()).sort());
    expect(kustomization['namespace']).toBe('shop');
  });

  it.each([...KUBERNETES_FLAVOURS])('%s with every catalog service: valid objects; a PersistentVolumeClaim only where a service keeps data; conf.d files mounted alone', (flavour) => {
    const m = model({ deploy: { targets: ['kubernetes'], kubernetes: { flavour } }, services: [...CATALOG_KINDS] });
    for (const f of kbase(m)) validateKube(f.object, f.path);
    for (const o of built(m)) validateKube(o, `${flavour} overlay: ${o['kind']}/${o['metadata'].name}`);
    const sets = new Map(kbase(m).filter((f) => f.object['kind'] === 'StatefulSet').map((f) => [f.object['metadata'].name as string, f.object]));
    expect([...sets.keys()].sort()).toEqual(['redis', ...CATALOG_KINDS].sort());
    for (const kind of ['memcached', 'mailpit']) expect(sets.get(kind)!['spec'].volumeClaimTemplates, kind).toBeUndefined();
    for (const kind of ['valkey', 'rabbitmq', 'nats', 'minio', 'meilisearch', 'mongodb']) expect(sets.get(kind)!['spec'].volumeClaimTemplates, kind).toHaveLength(1);
    const rabbit = sets.get('rabbitmq')!['spec'].template.spec.containers[0];
    expect(rabbit.volumeMounts).toContainEqual({ name: 'secrets', mountPath: '/etc/rabbitmq/conf.d/90-wpsn-credentials.conf', subPath: 'rabbitmq_conf', readOnly: true });
    for (const [name, set] of sets) expect(set['spec'].template.spec.securityContext.runAsNonRoot, name).toBe(true);
  });

  it('targeted: probes on the health path, non-root, read-only root, resources, the Secret mounted as files', () => {
    const m = model({ app: { healthPath: '/ready', port: 8080 }, deploy: { targets: ['kubernetes'], kubernetes: { appReplicas: 3 } } });
    const objects = Object.fromEntries(kbase(m).map((f) => [`${f.object['kind']}/${f.object['metadata'].name}`, f.object]));
    const app = objects['Deployment/app']!['spec'];
    expect(app.replicas).toBe(3);
    const c = app.template.spec.containers[0];
    expect(c.image).toBe('shop-app');
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    // Liveness asks only the process (the sample app's /livez), never Redis: an outage must not restart every replica.
    expect(c.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(app.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.resources.requests).toBeDefined();
    expect(c.resources.limits).toBeDefined();
    expect(c.env).toContainEqual({ name: 'REDIS_PASSWORD_FILE', value: '/run/secrets/redis_password' });
    expect(c.env).toContainEqual({ name: 'REDIS_URL', value: 'redis://redis:6379' });
    expect(app.template.spec.volumes[0].secret).toEqual({ secretName: 'shop-secrets', defaultMode: 0o444, items: [{ key: 'redis_password', path: 'redis_password' }] });
    const redis = objects['StatefulSet/redis']!['spec'];
    expect(redis.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999 });
    expect(redis.template.spec.containers[0].args).toEqual(m.redis.command);
    expect(redis.template.spec.containers[0].readinessProbe.exec.command).toEqual([
      'sh',
      '-c',
      'REDISCLI_AUTH="$(cat /run/secrets/redis_password)" redis-cli --no-auth-warning ping | grep -q PONG',
    ]);
    expect(redis.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect(objects['Service/redis']!['spec'].clusterIP).toBe('None');
    // The internal backend network: only the app in, nothing out.
    const policy = objects['NetworkPolicy/redis']!['spec'];
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.egress).toEqual([]);
    expect(policy.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/component': 'app' } } }], ports: [{ protocol: 'TCP', port: 6379 }] }]);
    expect(objects['Namespace/shop']!['metadata'].labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  const flavourRows: Array<[string, string, string | undefined, Record<string, string>]> = [
    ['gke', 'LoadBalancer', 'standard-rwo', {}],
    ['aks', 'LoadBalancer', 'managed-csi', { 'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path': '/healthz' }],
    ['eks', 'LoadBalancer', 'shop-gp3', { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' }],
    ['generic', 'ClusterIP', undefined, {}],
  ];
  it.each(flavourRows)('%s: Service %s, storage class %s, load balancer annotations', (flavour, type, storageClass, annotations) => {
    const objects = built(model({ deploy: { targets: ['kubernetes'], kubernetes: { flavour } } }));
    const service = objects.find((o) => o['kind'] === 'Service' && o['metadata'].name === 'app')!;
    expect(service['spec'].type).toBe(type);
    expect(service['metadata'].annotations ?? {}).toMatchObject(annotations);
    const redis = objects.find((o) => o['kind'] === 'StatefulSet')!;
    expect(redis['spec'].volumeClaimTemplates[0].spec.storageClassName).toBe(storageClass);
    expect(objects.some((o) => o['kind'] === 'StorageClass')).toBe(flavour === 'eks');
  });

  it('an explicit storage class and namespace win over the flavour defaults', () => {
    const m = model({ deploy: { targets: ['kubernetes'], kubernetes: { flavour: 'eks', storageClass: 'fast', namespace: 'prod' } } });
    const objects = built(m);
    expect(objects.some((o) => o['kind'] === 'StorageClass')).toBe(false);
    expect(objects.find((o) => o['kind'] === 'StatefulSet')!['spec'].volumeClaimTemplates[0].spec.storageClassName).toBe('fast');
    expect(objects.find((o) => o['kind'] === 'Namespace')!['metadata'].name).toBe('prod');
  });

  // A cross-check with kustomize itself where kubectl is installed (it is on the machines
  // this project is built on; the checks above do not need it).
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  it(`kubectl kustomize builds every overlay into the same objects${kubectl ? '' : ' (kubectl missing: the TypeScript build above stands alone)'}`, () => {
    if (!kubectl) {
      expect(existsSync('/usr/bin/kubectl')).toBe(false);
      return;
    }
    for (const flavour of KUBERNETES_FLAVOURS) {
      const dir = project({ deploy: { targets: ['kubernetes'], kubernetes: { flavour } }, database: { kind: 'postgres' } });
      const r = spawnSync('kubectl', ['kustomize', `deploy/kubernetes/overlays/${flavour}`], { cwd: dir, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const docs = r.stdout.split(/^---$/m).map((d) => parseYaml(d) as Obj);
      const m = model({ deploy: { targets: ['kubernetes'], kubernetes: { flavour } }, database: { kind: 'postgres' } });
      const key = (o: Obj) => `${o['kind']}/${o['metadata'].name}`;
      const ours = built(m).map((o) => {
        const copy = structuredClone(o);
        if (!['Namespace', 'StorageClass'].includes(o['kind'])) copy['metadata'].namespace = 'shop';
        return copy;
      });
      expect(docs.map(key).sort()).toEqual(ours.map(key).sort());
      for (const o of ours) expect(docs.find((d) => key(d) === key(o)), `${flavour} ${key(o)}`).toEqual(o);
    }
  });
});

describe('kubernetes: real runs against a fake kubectl, the exact calls', () => {
  let dir: string;
  let password: string;
  let acl: string;
  beforeAll(() => {
    ({ dir, password, acl } = realRunProject());
  });

  it('kubernetes: namespace, the Secret on stdin only, the overlay with the image, every rollout; the temporary folder is gone', () => {
    const fake = fakeBin();
    const r = runDeployScript(dir, 'kubernetes', [], { IMAGE_TAG: 'v1', KUBE_CONTEXT: 'gke_proj_zone_c1' }, fake);
    expect(r.code, r.stderr).toBe(0);
    expect(argLines(r.calls)).toEqual([
      'kubectl [--context] [gke_proj_zone_c1] [get] [namespace] [shop]',
      'kubectl [--context] [gke_proj_zone_c1] [create] [namespace] [shop]',
      'kubectl [--context] [gke_proj_zone_c1] [create] [secret] [generic] [shop-secrets] [--namespace] [shop] [--from-file=redis_password=secrets/redis_password] [--from-file=redis_acl=secrets/redis.acl] [--dry-run=client] [--output] [yaml]',
      'kubectl [--context] [gke_proj_zone_c1] [apply] [--namespace] [shop] [--filename] [-]',
      expect.stringMatching(/^kubectl \[--context\] \[gke_proj_zone_c1\] \[apply\] \[--kustomize\] \[\/.*\/deploy\/kubernetes\/\.wpsn-deploy\.\w+\]$/),
      'kubectl [--context] [gke_proj_zone_c1] [rollout] [status] [statefulset/redis] [--namespace] [shop] [--timeout] [300s]',
      'kubectl [--context] [gke_proj_zone_c1] [rollout] [status] [deployment/app] [--namespace] [shop] [--timeout] [300s]',
    ]);
    // The Secret went to kubectl apply on stdin, made from the files.
    const secret = parseYaml(/stdin \{\n([\s\S]*?)\n\}/.exec(r.calls)![1]!) as Obj;
    expect(() => new Secret(secret as never).validate()).not.toThrow();
    expect(Buffer.from(secret['data'].redis_password, 'base64').toString().trim()).toBe(password);
    expect(Buffer.from(secret['data'].redis_acl, 'base64').toString().trim()).toBe(acl);
    for (const line of argLines(r.calls)) expect(line).not.toContain(password);
    expect(r.stdout + r.stderr).not.toContain(password);
    const kustomization = parseYaml(/kustomization \{\n([\s\S]*?)\}\n/.exec(r.calls)![1]!) as Obj;
    expect(kustomization).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'shop',
      resources: ['../overlays/gke'],
      images: [{ name: 'shop-app', newName: 'registry.example.com:5000/team/shop', newTag: 'v1' }],
    });
    expect(existsSync(readFileSync(join(fake.state, 'kdir'), 'utf8').trim())).toBe(false);
    expect(readdirSync(join(dir, 'deploy/kubernetes')).sort()).toEqual(['base', 'overlays']);
  });

  it('kubernetes: a digest reference becomes a kustomize digest', () => {
    const r = runDeployScript(dir, 'kubernetes', [], { APP_IMAGE: `registry.example.com:5000/team/shop:v2@sha256:${'b'.repeat(64)}` });
    expect(r.code, r.stderr).toBe(0);
    const kustomization = parseYaml(/kustomization \{\n([\s\S]*?)\}\n/.exec(r.calls)![1]!) as Obj;
    expect(kustomization['images']).toEqual([{ name: 'shop-app', newName: 'registry.example.com:5000/team/shop', newTag: 'v2', digest: `sha256:${'b'.repeat(64)}` }]);
  });
});

describe('the database\'s first-start files (db/init/) on Kubernetes', () => {
  const files = (values: Obj) => new Map(renderAppFiles(model(values)).map((f) => [f.path, f.content]));
  it('Kubernetes: a ConfigMap the script makes from db/init, mounted read-only at /docker-entrypoint-initdb.d', () => {
    const all = files({ projectName: 'shop', database: { kind: 'postgres' }, deploy: { targets: ['kubernetes'] } });
    const set = parseYaml(all.get('deploy/kubernetes/base/db-statefulset.yaml')!) as Obj;
    const pod = set['spec'].template.spec;
    expect(pod.volumes.find((v: Obj) => v.name === 'init')).toEqual({
      name: 'init',
      configMap: { name: 'shop-db-init', items: [{ key: '00-app-user.sh', path: '00-app-user.sh', mode: 0o555 }, { key: '10-sample-hits.sql', path: '10-sample-hits.sql', mode: 0o444 }] },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'init', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
    expect(() => new StatefulSet(set as never).validate()).not.toThrow();
    expect(all.get('scripts/deploy-kubernetes.sh')).toContain('create configmap shop-db-init --namespace "$K8S_NAMESPACE" \\\n    --from-file=00-app-user.sh=db/init/00-app-user.sh');
  });
});
