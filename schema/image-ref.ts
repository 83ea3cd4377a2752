// The OCI / Docker image reference grammar (github.com/distribution/reference),
// written as regular expressions so that the schema, the renderers and the
// generated shell scripts all agree on what a valid reference is.

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const host = `(?:${domainName}|${ipv6})`;
const domain = `${host}(?::[0-9]+)?`;

export const TAG_PATTERN = '[\\w][\\w.-]{0,127}';
export const DIGEST_PATTERN = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
export const PATH_PATTERN = `${pathComponent}(?:/${pathComponent})*`;

const tagRe = new RegExp(`^${TAG_PATTERN}$`);
const digestRe = new RegExp(`^${DIGEST_PATTERN}$`);
const pathRe = new RegExp(`^${PATH_PATTERN}$`);
const domainRe = new RegExp(`^${domain}$`);

/** The longest repository name (domain and path together) the grammar allows. */
export const NAME_MAX_LENGTH = 255;

export interface ImageReference {
  /** Registry host with optional port, when the reference names one. */
  domain?: string;
  /** Repository path, such as `library/node` or `node`. */
  path: string;
  tag?: string;
  digest?: string;
}

export type ParseResult = { ok: true; ref: ImageReference } | { ok: false; reason: string };

/** Splits and checks a reference; the reason, when it fails, names the broken part. */
export function parseImageReference(input: string): ParseResult {
  if (input.length === 0) return { ok: false, reason: 'is empty' };
  if (/\s/.test(input)) return { ok: false, reason: 'contains white space' };
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestRe.test(digest)) {
      return { ok: false, reason: `has an invalid digest "${digest}" (expected algorithm:hex, such as sha256: and 64 hex digits)` };
    }
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      return { ok: false, reason: `has an invalid sha256 digest "${digest}" (expected 64 lowercase hex digits)` };
    }
    if (digest.startsWith('sha512:') && !/^sha512:[a-f0-9]{128}$/.test(digest)) {
      return { ok: false, reason: `has an invalid sha512 digest "${digest}" (expected 128 lowercase hex digits)` };
    }
    // The OCI grammar allows any algorithm name; registries and engines verify only
    // these two (Docker: sha256), so another one would fail at pull time.
    if (!digest.startsWith('sha256:') && !digest.startsWith('sha512:')) {
      return { ok: false, reason: `has a digest with the algorithm "${digest.split(':')[0]}", which engines and registries do not verify: use sha256: (or sha512:)` };
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!tagRe.test(tag)) {
      return { ok: false, reason: `has an invalid tag "${tag}" (tags match [A-Za-z0-9_][A-Za-z0-9._-]{0,127})` };
    }
  }
  if (rest.length === 0) return { ok: false, reason: 'has no repository name' };
  if (rest.length > NAME_MAX_LENGTH) return { ok: false, reason: `has a repository name longer than ${NAME_MAX_LENGTH} characters` };
  let domainPart: string | undefined;
  let path = rest;
  const firstSlash = rest.indexOf('/');
  if (firstSlash !== -1) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domainPart = first;
      path = rest.slice(firstSlash + 1);
      if (!domainRe.test(domainPart)) return { ok: false, reason: `has an invalid registry host "${domainPart}"` };
    }
  }
  if (!pathRe.test(path)) {
    if (path !== path.toLowerCase()) {
      return { ok: false, reason: `has uppercase letters in the repository "${path}" (repositories are lowercase)` };
    }
    return {
      ok: false,
      reason: `has an invalid repository "${path}" (lowercase letters and digits, separated by ".", "_", "__" or "-", in "/"-separated parts)`,
    };
  }
  const ref: ImageReference = { path };
  if (domainPart !== undefined) ref.domain = domainPart;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return { ok: true, ref };
}

/**
 * A reference is pinned when it has a digest, or a tag other than `latest`. `example`: the
 * pinned image the message suggests (the field's own default); by default the same
 * repository with a version tag.
 */
export function pinProblem(ref: ImageReference, example?: string): string | undefined {
  if (ref.digest) return undefined;
  const such = example ?? `${ref.domain ? `${ref.domain}/` : ''}${ref.path}:<version>`;
  if (!ref.tag) return `has no tag: pin it to a version, such as ${such} (or a digest)`;
  if (ref.tag === 'latest') return `uses the moving tag "latest": pin it to a version, such as ${such} (or a digest)`;
  return undefined;
}

/** The last path component, such as `node` for `docker.io/library/node:24`. */
export function repositoryBaseName(ref: ImageReference): string {
  const parts = ref.path.split('/');
  return parts[parts.length - 1] ?? ref.path;
}
