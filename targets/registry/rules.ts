// The naming rules of registry targets: what a rule is, how a value is checked against it,
// and the rules every target shares (a target's own rules live in its folder).
//
// Every rule is a POSIX extended regular expression (no `(?:`, `\w`, lookaround), so the
// very same text is used by zod (`new RegExp`) and by bash's `[[ =~ ]]` in the generated
// scripts: the generator and the scripts cannot disagree on what is valid.
import * as z from 'zod';

export interface Rule {
  /** POSIX ERE, matched against the whole value. */
  pattern: string;
  min: number;
  max: number;
  /** What a valid value looks like, for error messages (schema and scripts). */
  text: string;
}

// Pieces of the OCI reference grammar (github.com/distribution/reference) in ERE form.
export const COMPONENT = '[a-z0-9]+(([._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_LABEL = '([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
/** A TCP port, 1 to 65535, without leading zeros (a regex has to spell the range out). */
const PORT = ':(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';

/** An OCI tag. */
const tag = {
  pattern: '[A-Za-z0-9_][A-Za-z0-9._-]{0,127}',
  min: 1,
  max: 128,
  text: 'a tag: letters, digits, "_", "." and "-", starting with a letter, digit or "_", at most 128 characters',
} as const satisfies Rule;

/** An OCI repository path (any registry). */
const repository = {
  pattern: `${COMPONENT}(/${COMPONENT})*`,
  min: 1,
  max: 255,
  text: 'lowercase letters and digits, separated by ".", "_", "__" or "-", in "/"-separated parts, at most 255 characters',
} as const satisfies Rule;

/**
 * A registry host with an optional port. It must look like a host to Docker (a ".", a
 * port, or localhost): a bare word such as "registry" would be read as a Docker Hub namespace.
 */
const host = {
  pattern: `localhost(${PORT})?|${DOMAIN_LABEL}(\\.${DOMAIN_LABEL})+(${PORT})?|${DOMAIN_LABEL}${PORT}|\\[[a-fA-F0-9]*:[a-fA-F0-9:]*\\](${PORT})?`,
  min: 1,
  max: 253,
  text: 'a registry host with an optional port from 1 to 65535, such as registry.example.com or 127.0.0.1:5000 (a bare name needs a port or a ".": Docker would read it as a Docker Hub namespace)',
} as const satisfies Rule;

/**
 * The rules every target shares, in four groups. The generated scripts list every rule
 * (these and the targets' own, see RegistryTargetRules in ./types.ts) in the order
 * schema/registry.ts composes them: names, target names, host, target hosts, settings,
 * target settings, then the tail.
 */
export const SHARED_RULES = {
  names: { tag, repository },
  host: { host },
  settings: {
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
  },
  tail: {
    branch: {
      pattern: '[A-Za-z0-9_][A-Za-z0-9._/-]*',
      min: 1,
      max: 200,
      text: 'a branch name: letters, digits, "_", ".", "/" and "-", starting with a letter, digit or "_"',
    },
  },
} as const satisfies Record<string, Record<string, Rule>>;

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
export function ruleMessage(rule: Rule, what: string, value: unknown): string {
  if (rule === host && typeof value === 'string') {
    const port = /:([0-9]+)$/.exec(value)?.[1];
    if (port !== undefined && follows(host, `${value.slice(0, -port.length - 1)}:1`)) {
      return `${what} must have a port from 1 to 65535, written without leading zeros (${port} is not one)`;
    }
  }
  return `${what} must be ${rule.text}`;
}

/** A string setting that must follow a rule; the JSON Schema export gets the rule as keywords. */
export const ruled = (rule: Rule, what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .refine((v) => follows(rule, v), { error: (issue) => ruleMessage(rule, what, issue.input) })
    // For editors (the JSON Schema export): the same rule as JSON Schema keywords.
    .meta({ pattern: `^(${rule.pattern})$`, minLength: rule.min, maxLength: rule.max });
