// Azure Container Apps: deploy/aca/app.yaml and redis.yaml for `az containerapp create|update
// --yaml`, and scripts/deploy-aca.sh.
import type { DeployTargetModule } from '../module.ts';
import { dnsLabel } from '../shared.ts';
import { renderAcaFiles } from './render.ts';
import { acaTarget, type AcaSpec } from './schema.ts';
import type { AcaModel } from './types.ts';

/** A Container Apps name: starts with a letter, 2 to `max` characters. */
function acaName(name: string, max: number): string {
  let label = dnsLabel(name, max);
  if (!/^[a-z]/.test(label)) label = `a-${label}`.slice(0, max).replace(/-+$/, '');
  return label.length >= 2 ? label : `${label}-app`;
}

export const aca: DeployTargetModule<'aca', typeof AcaSpec, AcaModel> = {
  ...acaTarget,
  derive(spec, { m, secrets }) {
    const db = m.database;
    const appName = spec.appName ?? acaName(m.projectName, 26);
    // The app's and Redis's secrets (the database is a managed service on Container Apps).
    const acaSecrets = secrets.filter((x) => m.app.secrets.includes(x.name) || m.redis.secrets.includes(x.name));
    return {
      resourceGroup: spec.resourceGroup ?? m.spec.registries.acr.resourceGroup,
      environment: spec.environment,
      appName,
      redisName: `${appName.slice(0, 26).replace(/-+$/, '')}-redis`,
      cpu: spec.cpu,
      memory: `${Number(spec.cpu) * 2}Gi`,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      redisStorage: spec.redisStorage,
      storageName: `${appName.slice(0, 26).replace(/-+$/, '')}-redis`,
      appFile: 'deploy/aca/app.yaml',
      redisFile: 'deploy/aca/redis.yaml',
      secrets: acaSecrets,
      appSecrets: acaSecrets.filter((x) => m.app.secrets.includes(x.name)),
      redisSecrets: acaSecrets.filter((x) => m.redis.secrets.includes(x.name)),
      placeholders: {
        app: ['ACA_ENVIRONMENT_ID', 'APP_IMAGE', ...acaSecrets.filter((x) => m.app.secrets.includes(x.name)).map((x) => x.variable), ...(db ? ['DATABASE_URL'] : [])],
        redis: ['ACA_ENVIRONMENT_ID', ...acaSecrets.filter((x) => m.redis.secrets.includes(x.name)).map((x) => x.variable)],
      },
    };
  },
  sh: (a, _context, q) => ({
    acaResourceGroup: q(a.resourceGroup),
    acaEnvironment: q(a.environment),
    acaApp: q(a.appName),
    acaRedis: q(a.redisName),
    acaStorage: q(a.storageName),
  }),
  files: renderAcaFiles,
};
