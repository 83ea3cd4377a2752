// deploy/aca/: the Container Apps YAML (`az containerapp create|update --yaml`) of the app
// (external HTTP ingress, probes, secrets as files, min/max replicas) and of Redis
// (internal TCP ingress). ${NAME} placeholders are filled in by scripts/deploy-aca.sh
// into a private temporary copy; the committed files never hold a secret.
import type { StackModel } from '../../../core/types.ts';
import { stringifyYaml } from '../../../core/yaml.ts';
import type { RenderedFile } from '../../../core/rendered.ts';
import { ph } from '../shared.ts';
import type { DeploySecret } from '../types.ts';

type Obj = Record<string, unknown>;

const SECRETS_DIR = '/run/secrets';

const appSecrets = (m: StackModel): DeploySecret[] => m.deploy.aca.appSecrets;
const redisSecrets = (m: StackModel): DeploySecret[] => m.deploy.aca.redisSecrets;

const secretValues = (secrets: readonly DeploySecret[]): Obj[] => secrets.map((s) => ({ name: s.dashed, value: ph(s.variable) }));
const secretVolume = (secrets: readonly DeploySecret[]): Obj => ({
  name: 'secrets',
  storageType: 'Secret',
  secrets: secrets.map((s) => ({ secretRef: s.dashed, path: s.name })),
});

export function acaAppObject(m: StackModel): Obj {
  const a = m.deploy.aca;
  const { app } = m;
  const environment: Record<string, string> = { ...app.environment, REDIS_URL: `redis://${a.redisName}:6379` };
  if (m.database) environment['DATABASE_URL'] = ph('DATABASE_URL');
  // An HTTP probe needs a 2xx-3xx answer: a check that accepts any answer below 500 probes the port.
  const probe = (type: string, extra: Obj): Obj =>
    app.healthCheck === 'http' ? { type, httpGet: { path: app.healthPath, port: app.port }, ...extra } : { type, tcpSocket: { port: app.port }, ...extra };
  const secrets = appSecrets(m);
  return {
    properties: {
      managedEnvironmentId: ph('ACA_ENVIRONMENT_ID'),
      configuration: {
        activeRevisionsMode: 'Single',
        ingress: {
          external: true,
          targetPort: app.port,
          transport: 'http',
          allowInsecure: false,
          traffic: [{ latestRevision: true, weight: 100 }],
        },
        secrets: secretValues(secrets),
      },
      template: {
        containers: [
          {
            name: app.service,
            image: ph('APP_IMAGE'),
            env: Object.entries(environment).map(([name, value]) => ({ name, value })),
            resources: { cpu: Number(a.cpu), memory: a.memory },
            probes: [
              probe('Startup', { periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 3 }),
              probe('Readiness', { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 3 }),
              // Liveness only asks whether the process answers: a Redis outage must not restart every replica.
              app.livenessPath
                ? { type: 'Liveness', httpGet: { path: app.livenessPath, port: app.port }, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 3 }
                : { type: 'Liveness', tcpSocket: { port: app.port }, periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 3 },
            ],
            volumeMounts: [{ volumeName: 'secrets', mountPath: SECRETS_DIR }],
          },
        ],
        scale: {
          minReplicas: a.minReplicas,
          maxReplicas: a.maxReplicas,
          rules: [{ name: 'http-requests', http: { metadata: { concurrentRequests: '50' } } }],
        },
        volumes: [secretVolume(secrets)],
      },
    },
  };
}

export function acaRedisObject(m: StackModel): Obj {
  const a = m.deploy.aca;
  const redis = m.deploy.stateful[0]!;
  const secrets = redisSecrets(m);
  const data: Obj =
    a.redisStorage === 'azurefile'
      ? {
          name: 'data',
          storageType: 'AzureFile',
          storageName: a.storageName,
          // SMB has no owners: present the share as the redis user's, without byte-range locks.
          mountOptions: `uid=${redis.uid},gid=${redis.gid},dir_mode=0700,file_mode=0600,nobrl`,
        }
      : { name: 'data', storageType: 'EmptyDir' };
  return {
    properties: {
      managedEnvironmentId: ph('ACA_ENVIRONMENT_ID'),
      configuration: {
        activeRevisionsMode: 'Single',
        // Internal TCP ingress: only apps of the environment reach it (needs a VNet environment).
        ingress: { external: false, transport: 'tcp', targetPort: redis.port, exposedPort: redis.port },
        secrets: secretValues(secrets),
      },
      template: {
        containers: [
          {
            name: redis.service,
            image: redis.image,
            args: redis.args,
            resources: { cpu: 0.25, memory: '0.5Gi' },
            probes: [
              { type: 'Readiness', tcpSocket: { port: redis.port }, periodSeconds: 5, failureThreshold: 3 },
              { type: 'Liveness', tcpSocket: { port: redis.port }, periodSeconds: 15, failureThreshold: 4 },
            ],
            volumeMounts: [
              { volumeName: 'data', mountPath: redis.dataDir },
              { volumeName: 'secrets', mountPath: SECRETS_DIR },
            ],
          },
        ],
        // One Redis: never two processes on one data folder.
        scale: { minReplicas: 1, maxReplicas: 1 },
        volumes: [data, secretVolume(secrets)],
      },
    },
  };
}

export function renderAcaFiles(m: StackModel): RenderedFile[] {
  const a = m.deploy.aca;
  const header = (what: string) =>
    ` Generated by generator-wpsn-docker: ${what} for Azure Container Apps\n` +
    ' (az containerapp create|update --yaml). scripts/deploy-aca.sh fills in the ${...} values\n' +
    ' in a private temporary copy. Set-up and limits: README.Docker.md, "Azure Container Apps".';
  return [
    { path: a.appFile, content: stringifyYaml(acaAppObject(m), header(`the app (${a.appName})`)), kind: 'generated' },
    { path: a.redisFile, content: stringifyYaml(acaRedisObject(m), header(`Redis (${a.redisName})`)), kind: 'generated' },
  ];
}
