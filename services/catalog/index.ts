// What the catalog's service modules share when they derive their model: finding their
// entry in spec.services, the hardening Compose gets from it, a published development UI,
// and their secrets. Each catalog service is one folder (services/<id>/) and one line in
// services/index.ts; this file only saves them repeating the same few lines.
import type { CatalogModule, SecretModel, ServiceDeployModel, ServiceModel, SpecView } from '../types.ts';
import type { CatalogHardening } from './schema.ts';

/** The entry of spec.services of this kind, or undefined when it is not chosen. */
export function selectKind<S>(kind: string): (spec: SpecView) => S | undefined {
  return (spec) => spec.services?.find((s) => s.kind === kind) as S | undefined;
}

/** Compose's read-only root, tmpfs, capabilities and limits from the entry's hardening. */
export function hardened(h: CatalogHardening, tmpfs: readonly string[] = ['/tmp']): Pick<ServiceModel, 'readOnly' | 'tmpfs' | 'capAdd' | 'limits'> {
  return {
    readOnly: h.readOnly,
    tmpfs: h.readOnly ? [...tmpfs] : [],
    capAdd: [...h.capAdd],
    limits: { mem_limit: h.memLimit, pids_limit: h.pidsLimit },
  };
}

/** A development UI the user asked for (`ui: true`), published on 127.0.0.1 only. */
export function uiPublish(spec: { ui: boolean; uiHostPort: number }, port: number, what: string): Pick<ServiceModel, 'publish'> {
  return spec.ui ? { publish: [{ address: '127.0.0.1', hostPort: spec.uiHostPort, port, what }] } : {};
}

/** A random password in secrets/<name>, made once. */
export function randomSecret(name: string, localOnly = false): SecretModel {
  return { name, file: `secrets/${name}`, source: { kind: 'random' }, ...(localOnly ? { localOnly } : {}) };
}

/** A catalog module: chosen by an entry of spec.services whose kind is its id; one service each. */
export function catalogModule<S extends { kind: string }>(
  m: Omit<CatalogModule<S>, 'select' | 'derive'> & { derive(spec: S): ServiceModel },
): CatalogModule<S> {
  return { ...m, select: selectKind<S>(m.id), derive: (spec) => [m.derive(spec)] };
}

/**
 * How the deploy targets run a catalog service, with the catalog's defaults: the uid's own
 * group, run as that user, the image's command, a read-only root, every capability dropped.
 */
export function catalogDeploy(
  d: Pick<ServiceDeployModel, 'uid' | 'resources' | 'livenessDelay'> & Partial<ServiceDeployModel>,
): ServiceDeployModel {
  return { gid: d.uid, runAsUser: true, args: undefined, environment: {}, readOnlyRoot: true, scratch: [], dropAllCaps: true, ...d };
}
