// Naming rules shared by the schema and the renderers.

/** Compose project names: lowercase, digits, "-" and "_", starting with a letter or digit. */
export const PROJECT_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;
/** A DNS label: the project name becomes part of container and network host names. */
export const DNS_LABEL_MAX = 63;

/**
 * Service, volume and network names. Compose itself allows upper case and dots, but both
 * break in places the stack reaches (DNS names, Kubernetes objects, registry paths),
 * so the generator keeps to the project-name rule.
 */
export const RESOURCE_NAME_RE = PROJECT_NAME_RE;

export const RESERVED_NETWORK_NAMES = ['default', 'host', 'none', 'bridge', 'ingress'] as const;

/**
 * Turns a directory name into a project name the way `docker compose` does, but
 * stricter: lowercase, invalid characters become "-", leading separators dropped.
 * Returns undefined when nothing usable is left (for example an all-unicode name).
 */
export function normaliseProjectName(dirName: string): string | undefined {
  const name = dirName
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, DNS_LABEL_MAX)
    .replace(/[-_]+$/, '');
  return PROJECT_NAME_RE.test(name) ? name : undefined;
}
