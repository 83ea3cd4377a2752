// Registry push targets: which registries the generated scripts and workflows push to,
// the answers that become the scripts' defaults, and the naming rules both sides enforce.
//
// Every rule below is a POSIX extended regular expression (no `(?:`, `\w`, lookaround),
// so the very same text is used by zod here (`new RegExp`) and by bash's `[[ =~ ]]` in
// the generated scripts: the generator and the scripts cannot disagree on what is valid.
import * as z from 'zod';

export const REGISTRY_TARGETS = ['dockerhub', 'ecr', 'gar', 'acr', 'ghcr', 'registry'] as const;
export type RegistryTarget = (typeof REGISTRY_TARGETS)[number];

/** Accepted on input and normalised: Container Registry (gcr.io) is served by Artifact Registry now. */
export const TARGET_ALIASES: Readonly<Record<string, RegistryTarget>> = { gcr: 'gar' };

export const GCR_NOTICE =
  'gcr: Google Container Registry was shut down in 2025 and Artifact Registry now serves gcr.io, so "gcr" means the "gar" target (scripts/push-gar.sh)';

export const TARGET_LABELS: Readonly<Record<RegistryTarget, string>> = {
  dockerhub: 'Docker Hub',
  ecr: 'Amazon ECR',
  gar: 'Google Artifact Registry',
  acr: 'Azure Container Registry',
  ghcr: 'GitHub Container Registry',
  registry: 'Self-hosted registry',
};

export interface Rule {
  /** POSIX ERE, matched against the whole value. */
  pattern: string;
  min: number;
  max: number;
  /** What a valid value looks like, for error messages (schema and scripts). */
  text: string;
}

// Pieces of the OCI reference grammar (github.com/distribution/reference) in ERE form.
const COMPONENT = '[a-z0-9]+(([._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_LABEL = '([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
/** A TCP port, 1 to 65535, without leading zeros (a regex has to spell the range out). */
const PORT = ':(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';
const AWS_REGION = '[a-z]{2}(-[a-z]+)+-[0-9]{1,2}';
const GAR_LOCATION = '[a-z]+(-[a-z]+[0-9]+)?';

export const RULES = {
  /** An OCI tag. */
  tag: {
    pattern: '[A-Za-z0-9_][A-Za-z0-9._-]{0,127}',
    min: 1,
    max: 128,
    text: 'a tag: letters, digits, "_", "." and "-", starting with a letter, digit or "_", at most 128 characters',
  },
  /** An OCI repository path (any registry). */
  repository: {
    pattern: `${COMPONENT}(/${COMPONENT})*`,
    min: 1,
    max: 255,
    text: 'lowercase letters and digits, separated by ".", "_", "__" or "-", in "/"-separated parts, at most 255 characters',
  },
  /** Docker Hub: one path component under the namespace. */
  dockerhubRepository: {
    pattern: COMPONENT,
    min: 2,
    max: 255,
    text: 'a Docker Hub repository name: lowercase letters and digits, separated by ".", "_" or "-", no "/", 2 to 255 characters',
  },
  dockerhubNamespace: {
    pattern: COMPONENT,
    min: 2,
    max: 255,
    text: 'a Docker Hub user or organisation name: lowercase letters and digits (with ".", "_" or "-" between them), no "/"',
  },
  /** Amazon ECR repository names (stricter than OCI: single separators only). */
  ecrRepository: {
    pattern: '([a-z0-9]+([._-][a-z0-9]+)*/)*[a-z0-9]+([._-][a-z0-9]+)*',
    min: 2,
    max: 256,
    text: 'an ECR repository name: lowercase letters and digits, single ".", "_" or "-" between them, "/"-separated parts, 2 to 256 characters',
  },
  /**
   * A registry host with an optional port. It must look like a host to Docker (a ".", a
   * port, or localhost): a bare word such as "registry" would be read as a Docker Hub namespace.
   */
  host: {
    pattern: `localhost(${PORT})?|${DOMAIN_LABEL}(\\.${DOMAIN_LABEL})+(${PORT})?|${DOMAIN_LABEL}${PORT}|\\[[a-fA-F0-9]*:[a-fA-F0-9:]*\\](${PORT})?`,
    min: 1,
    max: 253,
    text: 'a registry host with an optional port from 1 to 65535, such as registry.example.com or 127.0.0.1:5000 (a bare name needs a port or a ".": Docker would read it as a Docker Hub namespace)',
  },
  // The hosts each cloud target sends its credential to (lowercase: scripts lowercase a
  // host before checking it). A per-target override (ECR_REGISTRY_HOST, ...) must follow
  // its target's rule unless the matching _ALLOW_FOREIGN switch is 1.
  dockerhubHost: {
    pattern: 'docker\\.io|registry-1\\.docker\\.io|index\\.docker\\.io',
    min: 9,
    max: 20,
    text: 'a Docker Hub host: docker.io, registry-1.docker.io or index.docker.io',
  },
  ecrHost: {
    pattern: `[0-9]{12}\\.(dkr\\.ecr(-fips)?\\.${AWS_REGION}\\.amazonaws\\.com(\\.cn)?|dkr-ecr(-fips)?\\.${AWS_REGION}\\.on\\.aws)`,
    min: 1,
    max: 253,
    text: 'an Amazon ECR host: ACCOUNT.dkr.ecr.REGION.amazonaws.com (.com.cn in China), ACCOUNT.dkr.ecr-fips.REGION.amazonaws.com (FIPS), or ACCOUNT.dkr-ecr[-fips].REGION.on.aws (dual-stack)',
  },
  garHost: {
    pattern: `${GAR_LOCATION}-docker\\.pkg\\.dev`,
    min: 1,
    max: 253,
    text: 'an Artifact Registry host: LOCATION-docker.pkg.dev, such as europe-west4-docker.pkg.dev',
  },
  acrHost: {
    pattern: '[a-z0-9]{5,50}\\.azurecr\\.(io|cn|us)',
    min: 1,
    max: 253,
    text: 'an Azure Container Registry host: NAME.azurecr.io (NAME.azurecr.cn and NAME.azurecr.us in the China and US Government clouds)',
  },
  ghcrHost: { pattern: 'ghcr\\.io', min: 7, max: 7, text: 'the GitHub Container Registry host: ghcr.io' },
  platforms: {
    pattern: '[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?(,[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?)*',
    min: 1,
    max: 500,
    text: 'comma-separated platforms, such as linux/amd64,linux/arm64',
  },
  switch: { pattern: '0|1', min: 1, max: 1, text: '0 or 1' },
  /** A user name for docker login: anything but white space and ":". */
  username: {
    pattern: '[^[:space:]:]+',
    min: 1,
    max: 256,
    text: 'a user name without white space or ":"',
  },
  awsRegion: {
    pattern: AWS_REGION,
    min: 1,
    max: 32,
    text: 'an AWS region, such as eu-west-1 or us-gov-west-1',
  },
  awsAccountId: { pattern: '[0-9]{12}', min: 12, max: 12, text: 'an AWS account ID: 12 digits' },
  gcpProject: {
    pattern: '([a-z0-9][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]',
    min: 6,
    max: 100,
    text: 'a Google Cloud project ID: 6 to 30 lowercase letters, digits and "-", starting with a letter, not ending with "-" (optionally domain-scoped, such as example.com:my-project)',
  },
  garLocation: {
    pattern: GAR_LOCATION,
    min: 2,
    max: 40,
    text: 'an Artifact Registry location, such as europe-west4, us-central1 or the multi-region us',
  },
  garRepository: {
    pattern: '[a-z]([a-z0-9-]*[a-z0-9])?',
    min: 1,
    max: 63,
    text: 'an Artifact Registry repository ID: lowercase letters, digits and "-", starting with a letter, not ending with "-", at most 63 characters',
  },
  acrName: {
    pattern: '[A-Za-z0-9]{5,50}',
    min: 5,
    max: 50,
    text: 'an Azure Container Registry name: 5 to 50 letters and digits (no "-" or ".")',
  },
  azureResourceGroup: {
    pattern: '[-A-Za-z0-9_.()]*[-A-Za-z0-9_()]',
    min: 1,
    max: 90,
    text: 'an Azure resource group name: 1 to 90 letters, digits, "_", "-", ".", "(" and ")", not ending with "."',
  },
  githubOwner: {
    pattern: '[A-Za-z0-9]+(-[A-Za-z0-9]+)*',
    min: 1,
    max: 39,
    text: 'a GitHub user or organisation name: letters, digits and single "-" between them, at most 39 characters',
  },
  branch: {
    pattern: '[A-Za-z0-9_][A-Za-z0-9._/-]*',
    min: 1,
    max: 200,
    text: 'a branch name: letters, digits, "_", ".", "/" and "-", starting with a letter, digit or "_"',
  },
} as const satisfies Record<string, Rule>;

export type RuleName = keyof typeof RULES;

const compiled = new Map<string, RegExp>();

/** Whether a value follows a rule, exactly as the scripts' `check` decides it. */
export function follows(rule: Rule, value: string): boolean {
  let re = compiled.get(rule.pattern);
  if (!re) {
    // [:space:] is the one POSIX class used; JavaScript spells it \s.
    re = new RegExp(`^(${rule.pattern.replaceAll('[:space:]', '\\s')})$`);
    compiled.set(rule.pattern, re);
  }
  return re.test(value) && value.length >= rule.min && value.length <= rule.max;
}

/**
 * Why a value breaks a rule, for the schema's message. A host that is fine but for its
 * port gets a message about the port (the rule's text would bury it).
 */
export function ruleMessage(name: RuleName, what: string, value: unknown): string {
  if (name === 'host' && typeof value === 'string') {
    const port = /:([0-9]+)$/.exec(value)?.[1];
    if (port !== undefined && follows(RULES.host, `${value.slice(0, -port.length - 1)}:1`)) {
      return `${what} must have a port from 1 to 65535, written without leading zeros (${port} is not one)`;
    }
  }
  return `${what} must be ${RULES[name].text}`;
}

const ruled = (name: RuleName, what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .refine((v) => follows(RULES[name], v), { error: (issue) => ruleMessage(name, what, issue.input) })
    // For editors (the JSON Schema export): the same rule as JSON Schema keywords.
    .meta({ pattern: `^(${RULES[name].pattern})$`, minLength: RULES[name].min, maxLength: RULES[name].max });

/** Splits comma or space separated target lists (flags, prompts); "none" means no target. */
export function splitTargets(raw: string): string[] {
  const items = raw
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length === 1 && items[0] === 'none' ? [] : items;
}

const TARGET_INPUTS = [...REGISTRY_TARGETS, ...Object.keys(TARGET_ALIASES)] as [string, ...string[]];

/** Targets, aliases resolved, each once, in the canonical order. */
export function normaliseTargets(targets: readonly string[]): RegistryTarget[] {
  const chosen = new Set(targets.map((t) => TARGET_ALIASES[t] ?? t));
  return REGISTRY_TARGETS.filter((t) => chosen.has(t));
}

export const RegistriesSpec = z
  .strictObject({
    targets: z
      .array(z.enum(TARGET_INPUTS, { error: `each registry target must be one of ${REGISTRY_TARGETS.join(', ')} (gcr means gar)` }), {
        error: `the registry targets must be a list, such as ["ecr", "ghcr"]`,
      })
      .transform(normaliseTargets)
      .default([])
      .meta({ description: `registries to push the app image to: ${REGISTRY_TARGETS.join(', ')} ("gcr" is accepted and means "gar")` }),
    image: ruled('repository', 'the image name').optional(),
    platforms: ruled('platforms', 'the platforms').optional(),
    branch: ruled('branch', 'the publish branch').default('main'),
    dockerhub: z
      .strictObject({ namespace: ruled('dockerhubNamespace', 'the Docker Hub namespace').optional() })
      .prefault({})
      .meta({ description: 'Docker Hub defaults for scripts/push-dockerhub.sh' }),
    ecr: z
      .strictObject({
        region: ruled('awsRegion', 'the AWS region').optional(),
        accountId: ruled('awsAccountId', 'the AWS account ID').optional(),
      })
      .prefault({})
      .meta({ description: 'Amazon ECR defaults for scripts/push-ecr.sh' }),
    gar: z
      .strictObject({
        project: ruled('gcpProject', 'the Google Cloud project').optional(),
        location: ruled('garLocation', 'the Artifact Registry location').optional(),
        repository: ruled('garRepository', 'the Artifact Registry repository').optional(),
      })
      .prefault({})
      .meta({ description: 'Google Artifact Registry defaults for scripts/push-gar.sh' }),
    acr: z
      .strictObject({
        name: ruled('acrName', 'the ACR name').optional(),
        resourceGroup: ruled('azureResourceGroup', 'the Azure resource group').optional(),
      })
      .prefault({})
      .meta({ description: 'Azure Container Registry defaults for scripts/push-acr.sh' }),
    ghcr: z
      .strictObject({ owner: ruled('githubOwner', 'the GHCR owner').optional() })
      .prefault({})
      .meta({ description: 'GitHub Container Registry defaults for scripts/push-ghcr.sh' }),
    registry: z
      .strictObject({
        host: ruled('host', 'the registry host').optional(),
        namespace: ruled('repository', 'the registry namespace').optional(),
      })
      .prefault({})
      .meta({ description: 'self-hosted registry defaults for scripts/push-registry.sh' }),
  })
  .superRefine((spec, ctx) => {
    // The image name must suit every chosen registry (the scripts check the same per target).
    if (spec.image === undefined || !follows(RULES.repository, spec.image)) return;
    for (const target of spec.targets) {
      const rule = IMAGE_RULE[target];
      if (rule !== 'repository' && !follows(RULES[rule], spec.image)) {
        ctx.addIssue({
          code: 'custom',
          path: ['image'],
          input: spec.image,
          message: `the image name must be ${RULES[rule].text} (for ${TARGET_LABELS[target]})`,
        });
      }
    }
  })
  .meta({
    description:
      'registry push targets (scripts/push-<target>.sh, .github/workflows/publish-<target>.yml) and the defaults baked into them; environment variables override the defaults at run time',
  });

export type RegistriesSpec = z.output<typeof RegistriesSpec>;

/** The rule each target applies to IMAGE. */
export const IMAGE_RULE: Readonly<Record<RegistryTarget, RuleName>> = {
  dockerhub: 'dockerhubRepository',
  ecr: 'ecrRepository',
  gar: 'repository',
  acr: 'repository',
  ghcr: 'repository',
  registry: 'repository',
};

/**
 * The notices a set of raw answer layers calls for: one line when "gcr" was asked for.
 * (The spec itself only ever holds "gar".)
 */
export function registryNotices(layers: ReadonlyArray<{ values: unknown }>): string[] {
  for (const layer of layers) {
    const registries = (layer.values as { registries?: { targets?: unknown } } | undefined)?.registries;
    const targets = registries?.targets;
    if (Array.isArray(targets) && targets.some((t) => typeof t === 'string' && TARGET_ALIASES[t] === 'gar' && t !== 'gar')) {
      return [GCR_NOTICE];
    }
  }
  return [];
}

/** The default image name from the project name: OCI and ECR both accept it. */
export function defaultImageName(projectName: string): string {
  const name = projectName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '');
  return name.length >= 2 ? name : `${name || 'app'}-app`;
}
