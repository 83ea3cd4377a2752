// What the deploy targets' spec parts share: the naming rules the deploy scripts check at
// run time, and the zod helpers that check the same rules at generation time.
//
// As in targets/registry/rules.ts, every rule is a POSIX extended regular expression, so
// the very same text is checked by zod here and by the generated scripts' `check` at run
// time. The rules stay one list (not one per target): every deploy script's shared library
// embeds all of them, in this order.
import * as z from 'zod';
import { follows, RULES, type Rule } from '../../schema/registry.ts';

/** Rules the deploy scripts check at run time, in the same form as schema/registry.ts RULES. */
export const DEPLOY_RULES = {
  /** A Docker object name (stack, service, network, secret). */
  stackName: {
    pattern: '[a-zA-Z0-9][a-zA-Z0-9_.-]*',
    min: 1,
    max: 63,
    text: 'a stack name: letters, digits, "_", "." and "-", starting with a letter or digit, at most 63 characters',
  },
  /** An RFC 1123 label: Kubernetes namespaces and most object names. */
  dnsLabel: {
    pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?',
    min: 1,
    max: 63,
    text: 'a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
  },
  /** A kubeconfig context name: anything printable without white space. */
  kubeContext: {
    pattern: '[^[:space:]]+',
    min: 1,
    max: 253,
    text: 'a kubeconfig context name without white space',
  },
  /** ECS cluster, service and task definition family names. */
  ecsName: {
    pattern: '[A-Za-z0-9][A-Za-z0-9_-]*',
    min: 1,
    max: 255,
    text: 'an ECS name: letters, digits, "_" and "-", at most 255 characters',
  },
  /** Container Apps (and their environments') names. */
  acaName: {
    pattern: '[a-z][a-z0-9-]*[a-z0-9]',
    min: 2,
    max: 32,
    text: 'a Container Apps name: lowercase letters, digits and "-", starting with a letter, ending with a letter or digit, 2 to 32 characters',
  },
  /** A full image reference: [host/]repository[:tag][@sha256:digest]. */
  imageRef: {
    pattern: `((${RULES.host.pattern})/)?${RULES.repository.pattern}(:${RULES.tag.pattern})?(@sha256:[a-f0-9]{64})?`,
    min: 1,
    max: 512,
    text: 'an image reference, such as registry.example.com/team/app:1.2.3 (host, repository, then a tag and/or @sha256:digest)',
  },
  /** A Redis URL (ElastiCache endpoints and the like). */
  redisUrl: {
    pattern: 'rediss?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[0-9]{1,2})?',
    min: 10,
    max: 300,
    text: 'a Redis URL without credentials, such as rediss://master.my-cache.abc123.euw1.cache.amazonaws.com:6379',
  },
  /** A database URL without a password (the password comes from secrets/db_password). */
  databaseUrl: {
    pattern: '(postgres|postgresql|mysql|mariadb)://[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9_$-]+',
    min: 12,
    max: 300,
    text: 'a database URL without a password, such as postgres://app@mydb.abc123.eu-west-1.rds.amazonaws.com:5432/app',
  },
  /** A number of seconds. */
  seconds: { pattern: '[1-9][0-9]{0,4}', min: 1, max: 5, text: 'a whole number of seconds from 1 to 99999' },
} as const satisfies Record<string, Rule>;

export type DeployRuleName = keyof typeof DEPLOY_RULES;

/** A string following a rule; the JSON Schema export shows the rule as its keywords. */
export const ruled = (rule: Rule, what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .refine((v) => follows(rule, v), { error: `${what} must be ${rule.text}` })
    .meta({ pattern: `^(${rule.pattern})$`, minLength: rule.min, maxLength: rule.max });

/** A whole number from min to max. */
export const count = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a whole number from ${min} to ${max}` })
    .int({ error: `${what} must be a whole number from ${min} to ${max}` })
    .min(min, { error: `${what} must be from ${min} to ${max}` })
    .max(max, { error: `${what} must be from ${min} to ${max}` });
