// Whether the app's base image provides `node`: the Dockerfile installs, builds, checks
// health and starts with it, and an image without it fails the build with exit 127. Decided
// from the image's local metadata when the engine has the image (the official Node images,
// and images built FROM them, set NODE_VERSION), else from its name: a Node image's name
// says so (node, nodejs); the official images of operating systems, languages and servers
// that ship no Node are refused; any other name gets a warning.
import { DEFAULT_NODE_IMAGE } from '../schema/defaults.ts';
import { parseImageReference } from '../schema/image-ref.ts';

/** What the engine says about a local image (docker image inspect's Config), or undefined. */
export interface ImageConfig {
  Env?: string[] | null;
  Labels?: Record<string, string> | null;
}

export type NodeVerdict =
  | { provides: 'yes'; reason: string }
  | { provides: 'no'; reason: string }
  | { provides: 'unknown'; reason: string };

/** Repositories (Docker Hub's official images, and common distroless ones) known to ship no Node. */
const WITHOUT_NODE = new Set([
  'debian', 'ubuntu', 'alpine', 'busybox', 'fedora', 'centos', 'rockylinux', 'almalinux', 'amazonlinux', 'archlinux', 'oraclelinux',
  'opensuse/leap', 'opensuse/tumbleweed', 'photon', 'clearlinux', 'scratch',
  'ubi8', 'ubi9', 'ubi8-minimal', 'ubi9-minimal', 'ubi10', 'ubi10-minimal', 'redhat/ubi8', 'redhat/ubi9', 'redhat/ubi8-minimal', 'redhat/ubi9-minimal',
  'python', 'golang', 'ruby', 'php', 'perl', 'rust', 'openjdk', 'eclipse-temurin', 'amazoncorretto', 'gcc', 'buildpack-deps', 'bash', 'haskell', 'elixir', 'erlang',
  'nginx', 'httpd', 'caddy', 'traefik', 'haproxy', 'redis', 'valkey/valkey', 'postgres', 'mysql', 'mariadb', 'mongo', 'memcached', 'rabbitmq', 'nats',
  'distroless/static', 'distroless/static-debian12', 'distroless/base', 'distroless/base-debian12', 'distroless/cc', 'distroless/cc-debian12',
  'distroless/java17-debian12', 'distroless/java21-debian12', 'distroless/python3-debian12',
]);

/** Repositories whose own name says Node: node, nodejs, nodejs22, distroless/nodejs22-debian12, ubi9/nodejs-22, chainguard/node. */
const NODE_NAME = /(^|\/)node(js)?([-_.]?\d+)?([-_.][a-z0-9]+)*$/;

/** The verdict for an image reference, from its metadata when given, else its name. */
export function nodeVerdict(image: string, config: ImageConfig | undefined): NodeVerdict {
  const env = config?.Env ?? [];
  const nodeVersion = env.find((e) => e.startsWith('NODE_VERSION='));
  if (nodeVersion) return { provides: 'yes', reason: `its local image sets ${nodeVersion}` };
  const parsed = parseImageReference(image);
  if (!parsed.ok) return { provides: 'unknown', reason: 'its name is not a valid image reference' };
  const domain = parsed.ref.domain;
  // Docker Hub's names, and the same repositories on the registries that mirror them or
  // publish the distroless and UBI images.
  const path = parsed.ref.path.replace(/^(docker\/)?library\//, '');
  const hub = domain === undefined || ['docker.io', 'index.docker.io', 'mirror.gcr.io', 'public.ecr.aws', 'gcr.io', 'registry.access.redhat.com'].includes(domain);
  if (NODE_NAME.test(path)) return { provides: 'yes', reason: 'its name says Node' };
  if (hub && WITHOUT_NODE.has(path)) {
    return { provides: 'no', reason: `${config ? 'the local image sets no NODE_VERSION, and ' : ''}${path} is an image that ships no Node` };
  }
  return {
    provides: 'unknown',
    reason: config ? 'its local image sets no NODE_VERSION (the official Node images and images built FROM them do)' : 'its name does not say Node, and the engine has no local copy to look at',
  };
}

const configs = new Map<string, ImageConfig | undefined>();

/** Whether this process asked the engine about an image: then a re-run may answer differently (the re-run stamp is not written). */
export function engineConsulted(): boolean {
  return configs.size > 0 && process.env['WPSN_NO_IMAGE_INSPECT'] !== '1';
}

/**
 * `docker image inspect`'s Config for a local image, or undefined (no docker CLI, no
 * engine, no such image). Asked once per image and process, within 3 seconds; never pulls.
 * WPSN_NO_IMAGE_INSPECT=1 skips it (the name alone decides).
 */
export function localImageConfig(image: string): ImageConfig | undefined {
  if (configs.has(image)) return configs.get(image);
  let config: ImageConfig | undefined;
  if (process.env['WPSN_NO_IMAGE_INSPECT'] !== '1') {
    try {
      // Loaded here, not at the top: node:child_process costs every run about 3 ms to load.
      const { spawnSync } = process.getBuiltinModule('node:child_process') as typeof import('node:child_process');
      const r = spawnSync('docker', ['image', 'inspect', '--format', '{{json .Config}}', image], { encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] });
      if (r.status === 0) config = (JSON.parse(r.stdout) as ImageConfig | null) ?? undefined;
    } catch {
      config = undefined;
    }
  }
  configs.set(image, config);
  return config;
}

/** The verdict for the base image: its name first (a Node name needs no engine), then its local metadata. */
export function baseImageVerdict(image: string, inspect: (image: string) => ImageConfig | undefined = localImageConfig): NodeVerdict {
  const byName = nodeVerdict(image, undefined);
  if (byName.provides === 'yes') return byName;
  return nodeVerdict(image, inspect(image));
}

/** The refusal's rule for a base image without Node. */
export function withoutNodeRule(verdict: NodeVerdict): string {
  return `the base image must provide node (the Dockerfile installs, builds, checks health and starts with it; without it the build fails with exit 127): ${verdict.reason}. Use a Node image such as ${DEFAULT_NODE_IMAGE}, or an image built FROM one`;
}

/** The warning for a base image that may lack Node. */
export function unknownNodeWarning(image: string, verdict: NodeVerdict): string {
  return `the base image ${image} may not provide node: ${verdict.reason}. The Dockerfile runs node to install, build, check health and start; without it the build fails with exit 127. A Node image (such as ${DEFAULT_NODE_IMAGE}) or one built FROM it is safe`;
}
