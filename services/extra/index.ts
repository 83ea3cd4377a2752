// extraServices: a service the catalog does not offer (a worker, a tool), as the user
// describes it: a pinned image on the internal backend network only, never published,
// hardened by default (nobody, read-only root, no capabilities, limits), each loosening an
// explicit opt-out. "$" in its command and environment stays literal. Not deployed to the
// cloud targets (README.Docker.md says so).
import type { ServiceModel, ServiceModule, SpecView } from '../types.ts';
import type { ExtraServiceSpec } from './schema.ts';

/** Compose interpolates `$VAR` in most values; `$$` is a literal `$`. */
function literalDollars(text: string): string {
  return text.replaceAll('$', '$$$$');
}

export function deriveExtra(x: ExtraServiceSpec): ServiceModel {
  // Sorted by name (code points, not locale): the same answers give the same bytes
  // whatever order their mapping was written in.
  const environment = Object.fromEntries(
    Object.entries(x.environment ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, literalDollars(v)]),
  );
  return {
    module: 'extra',
    label: x.name,
    service: x.name,
    image: x.image,
    runAs: x.hardening.user === 'image' ? undefined : x.hardening.user,
    command: x.command?.map(literalDollars),
    environment,
    secrets: [],
    volumes: x.volume ? [{ name: x.volume.name, target: x.volume.target }] : [],
    binds: [],
    port: x.port,
    expose: x.port !== undefined,
    healthcheck: x.healthcheck ? { test: x.healthcheck.map(literalDollars), startPeriod: '30s' } : undefined,
    readOnly: x.hardening.readOnly,
    tmpfs: x.hardening.readOnly ? ['/tmp'] : [],
    capAdd: x.hardening.capAdd,
    limits: { mem_limit: x.hardening.memLimit, pids_limit: x.hardening.pidsLimit },
    app: { environment: {}, secrets: [] },
    secretModels: [],
    deploy: undefined,
  };
}

export const extra: ServiceModule<readonly ExtraServiceSpec[]> = {
  id: 'extra',
  label: 'extra services',
  select: (spec: SpecView) => (spec.extraServices.length ? (spec.extraServices as readonly ExtraServiceSpec[]) : undefined),
  derive: (list) => list.map(deriveExtra),
};
