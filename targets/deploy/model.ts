// The deploy model (m.deploy): what every target shares (the secrets, the services that run
// next to the app, the image), then each target's own part from its module (./index.ts).
// Derived once from the spec and the rest of the model; pure.
import { RULES, type Rule } from '../../schema/registry.ts';
import type { StackModel } from '../../core/types.ts';
import { shellQuote } from '../../core/shell.ts';
import type { ShellRule } from '../registry/types.ts';
import { DEPLOY_MODULES } from './index.ts';
import type { DeployContext } from './module.ts';
import type { DeployModel, DeployTarget, DeployTargetModels } from './models.ts';
import { DEPLOY_RULES } from './rules.ts';
import { dnsLabel } from './shared.ts';
import type { AppImageModel, DeploySecret, DeployTargetModel, Resources, StatefulService } from './types.ts';

export type { DeployModel } from './models.ts';
export { dnsLabel } from './shared.ts';

const resources = (limits: readonly [string, string], requests: readonly [string, string]): Resources => {
  // Kubernetes quantities (500m, 512Mi) -> Swarm's (0.5, 512M).
  const cpus = (q: string) => (q.endsWith('m') ? String(Number(q.slice(0, -1)) / 1000) : q);
  const mem = (q: string) => q.replace(/i$/, '');
  return {
    limits: { cpu: limits[0], memory: limits[1] },
    requests: { cpu: requests[0], memory: requests[1] },
    swarm: { limits: { cpus: cpus(limits[0]), memory: mem(limits[1]) }, reservations: { cpus: cpus(requests[0]), memory: mem(requests[1]) } },
  };
};

/** A Compose healthcheck test as a plain exec command. */
function probeOf(test: readonly string[]): string[] {
  const unescape = (s: string) => s.replaceAll('$$', '$');
  if (test[0] === 'CMD-SHELL') return ['sh', '-c', unescape(test[1] ?? '')];
  return test.slice(1).map(unescape);
}

const secretOf = (name: string, file: string): DeploySecret => ({
  name,
  file,
  dashed: name.replaceAll('_', '-'),
  variable: name.toUpperCase(),
});

function appImage(m: Omit<StackModel, 'deploy'>): AppImageModel {
  const registry = m.registry.targets[0];
  const local = m.app.localImage;
  return {
    registry,
    text: registry ? `${registry.repository}:IMAGE_TAG` : `${local}:latest`,
    local,
    image: m.registry.image,
  };
}

export function deriveDeploy(m: Omit<StackModel, 'deploy'>): DeployModel {
  const spec = m.spec.deploy;
  const byId = {} as Record<DeployTarget, DeployTargetModel<DeployTarget>>;
  for (const t of DEPLOY_MODULES) byId[t.id] = { id: t.id, label: t.label, script: `scripts/deploy-${t.id}.sh`, dir: t.dir };
  const has = Object.fromEntries(DEPLOY_MODULES.map((t) => [t.id, spec.targets.includes(t.id)])) as Record<DeployTarget, boolean>;

  const secrets = m.secrets.filter((s) => !s.localOnly).map((s) => secretOf(s.name, s.file));
  // Every service with a deploy model runs next to the app: one replica, its data on a volume.
  const localOnly = new Set(m.secrets.filter((x) => x.localOnly).map((x) => x.name));
  const stateful: StatefulService[] = m.services.flatMap((x) => {
    const d = x.deploy;
    // A probe the targets can run: its health check, or an HTTP GET (an image with no tools).
    if (!d || !(x.healthcheck || d.httpProbe) || x.port === undefined) return [];
    // A service that keeps no data (Memcached, Mailpit) runs without a volume.
    const volume = x.volumes[0];
    return [
      {
        service: x.service,
        label: x.label,
        image: x.image,
        uid: d.uid,
        gid: d.gid,
        runAsUser: d.runAsUser,
        dropAllCaps: d.dropAllCaps,
        args: d.args,
        environment: d.environment,
        port: x.port,
        volume: volume?.name,
        dataDir: volume ? d.dataDir ?? volume.target : undefined,
        secrets: x.secrets.filter((name) => !localOnly.has(name)),
        secretTargets: Object.fromEntries(Object.entries(x.secretTargets ?? {}).filter(([name]) => !localOnly.has(name))),
        hostname: x.hostname,
        stopSignal: x.stopSignal,
        composeHealthcheck: x.healthcheck?.test,
        startPeriod: x.healthcheck?.startPeriod ?? '10s',
        probe: x.healthcheck ? probeOf(x.healthcheck.test) : [],
        httpProbe: x.healthcheck ? undefined : d.httpProbe,
        readOnlyRoot: d.readOnlyRoot,
        scratch: d.scratch,
        initFiles: x.binds.flatMap((b) => b.files.map((name, i) => ({ key: `${x.service}_init_${i}`, file: `${b.source.replace(/^\.\//, '')}/${name}`, name }))),
        initDir: x.binds[0]?.target,
        initConfigMap: `${dnsLabel(m.projectName, 40)}-${x.service}-init`,
        livenessDelay: d.livenessDelay,
        resources: resources(d.resources.limits, d.resources.requests),
      },
    ];
  });
  const db = m.database;

  // Each target's part, derived whether it is chosen or not (templates and the lesson read them).
  const context: DeployContext = { m, secrets, stateful };
  const parts = {} as Record<DeployTarget, unknown>;
  const targetSh: Record<string, string> = {};
  const q = (v: string | number | undefined) => shellQuote(v === undefined ? '' : String(v));
  for (const t of DEPLOY_MODULES) {
    // Each module derives from its own spec part (the list's types pair them: ./index.ts).
    const module = t as unknown as { id: DeployTarget; derive(spec: unknown, context: DeployContext): unknown; sh(model: unknown, context: DeployContext, quote: typeof q): Record<string, string> };
    const part = module.derive(spec[t.id], context);
    parts[t.id] = part;
    Object.assign(targetSh, module.sh(part, context, q));
  }

  const allRules: Array<[string, Rule]> = [...Object.entries(RULES), ...Object.entries(DEPLOY_RULES)];
  return {
    targets: spec.targets.map((t) => byId[t]),
    byId,
    any: spec.targets.length > 0,
    has,
    projectName: m.projectName,
    image: appImage(m),
    secrets,
    stateful,
    appResources: resources(['500m', '512Mi'], ['100m', '128Mi']),
    appUid: 1000,
    ...(parts as unknown as DeployTargetModels),
    sh: {
      projectName: q(m.projectName),
      localImage: q(m.app.localImage),
      localImageRef: q(`${m.app.localImage}:latest`),
      image: q(m.registry.image),
      databaseUrlHint: q(db ? `the managed database, such as ${db.kind === 'postgres' ? 'postgres' : 'mysql'}://${db.user}@HOST:${db.port}/${db.name}` : ''),
      ...targetSh,
    },
    rules: allRules.map(([name, rule]) => ({
      name: name as ShellRule['name'],
      pattern: shellQuote(rule.pattern),
      min: rule.min,
      max: rule.max,
      text: shellQuote(rule.text),
    })),
  };
}
