// Field schemas shared by the stack spec and the services' own spec parts: names, ports,
// pinned images, commands, environment, and the hardening every extra or catalog service
// can loosen explicitly.
import * as z from 'zod';
import { parseImageReference, pinProblem } from './image-ref.ts';
import { DNS_LABEL_MAX, RESOURCE_NAME_RE } from './names.ts';

export const NAME_RULE = `lowercase letters, digits, "-" and "_", starting with a letter or digit, at most ${DNS_LABEL_MAX} characters`;

/**
 * Runs a cross-field rule whenever the fields it reads parsed cleanly, even when other
 * fields did not (zod skips refinements after any failure by default), so that one run
 * reports every problem. Unknown keys do not make a field's value unreliable.
 */
export const whenClean = (...paths: readonly (readonly string[])[]) => ({
  when: (payload: z.core.ParsePayload): boolean =>
    !payload.issues.some(
      (issue) =>
        issue.code !== 'unrecognized_keys' &&
        paths.some((path) => {
          // A raw issue may have no path yet: then it is about the object itself.
          const at = issue.path ?? [];
          return path.slice(0, Math.min(path.length, at.length)).every((key, i) => at[i] === key);
        }),
    ),
});

export const resourceName = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .max(DNS_LABEL_MAX, { error: `${what} must be at most ${DNS_LABEL_MAX} characters (a DNS label)` })
    .regex(RESOURCE_NAME_RE, { error: `${what} must use ${NAME_RULE}` });

export const port = (what: string) =>
  z
    .number({ error: `${what} must be a whole number from 1 to 65535` })
    .int({ error: `${what} must be a whole number from 1 to 65535` })
    .min(1, { error: `${what} must be from 1 to 65535` })
    .max(65535, { error: `${what} must be from 1 to 65535` });

/**
 * An image reference that parses under the OCI grammar and is pinned. An unpinned one is
 * refused with a pinned example right for the field: `examples` (the field's defaults) when
 * one is of the same repository, the first of them when `only` (the app's base image must be
 * a Node image, whatever was given), else the given repository with a version tag.
 */
export const pinnedImage = (examples: readonly string[] = [], options: { only?: boolean } = {}) =>
  z.string({ error: 'an image reference must be a string' }).superRefine((value, ctx) => {
    const parsed = parseImageReference(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: `not a valid image reference: it ${parsed.reason}`, input: value });
      return;
    }
    const given = parsed.ref;
    const same = examples.find((e) => {
      const ref = parseImageReference(e);
      return ref.ok && ref.ref.path === given.path && ref.ref.domain === given.domain;
    });
    const problem = pinProblem(given, same ?? (options.only ? examples[0] : undefined));
    if (problem) ctx.addIssue({ code: 'custom', message: `the image ${problem}`, input: value });
  });

/** An image reference that parses under the OCI grammar and is pinned. */
export const PinnedImage = pinnedImage();

export const CommandArg = z
  .string({ error: 'each command argument must be a string' })
  .min(1, { error: 'command arguments must not be empty' })
  .regex(/^[^\0\r\n]*$/, { error: 'command arguments must not contain newlines or NUL characters' });

export const EnvName = z
  .string({ error: 'environment variable names must be strings' })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'environment variable names must be letters, digits and "_", not starting with a digit' })
  .max(256, { error: 'environment variable names must be at most 256 characters' });

export const EnvValue = z
  .string({ error: 'environment values must be strings (quote numbers and booleans)' })
  .regex(/^[^\0]*$/, { error: 'environment values must not contain NUL characters' });

/** Linux capabilities a hardened service may get back (cap_add), without the "CAP_" prefix. */
export const CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT', 'IPC_LOCK', 'SYS_NICE', 'SYS_RESOURCE',
] as const;

/** The user an extra service runs as unless it opts out: nobody, no home, no rights. */
export const UNPRIVILEGED_USER = '65534:65534';

export const MemSize = z
  .string({ error: 'a memory size must be a string such as "256m" or "1g"' })
  .regex(/^[1-9][0-9]{0,5}[kmg]$/, { error: 'a memory size must be a whole number followed by k, m or g, such as "256m" or "1g"' });

/**
 * How an extra service is hardened: every field defaults to the safe choice, and each is
 * an explicit, per-service opt-out (README.Docker.md "Extra services").
 */
export const ServiceHardeningSpec = z
  .strictObject({
    user: z
      .string({ error: 'the user must be a string: "uid:gid", a user name, or "image" for the image\'s own user' })
      .regex(/^(?:image|[0-9]{1,10}(?::[0-9]{1,10})?|[a-z_][a-z0-9_-]{0,31}(?::[a-z_][a-z0-9_-]{0,31})?)$/, {
        error: 'the user must be "uid:gid" (such as 1000:1000), a user name, or "image" to keep the image\'s own user (often root)',
      })
      .default(UNPRIVILEGED_USER)
      .meta({ description: `user the service runs as (default ${UNPRIVILEGED_USER}, nobody); "image" keeps the image's own USER` }),
    readOnly: z.boolean({ error: 'readOnly must be true or false' }).default(true).meta({ description: 'read-only root file system with a tmpfs /tmp (default true)' }),
    capAdd: z
      .array(z.enum(CAPABILITIES, { error: `each capability must be one of ${CAPABILITIES.join(', ')}` }), { error: 'capAdd must be a list of capabilities' })
      .default([])
      .meta({ description: 'capabilities given back after dropping all (default none)' }),
    memLimit: MemSize.default('256m').meta({ description: 'memory limit (default 256m)' }),
    pidsLimit: z.number({ error: 'pidsLimit must be a whole number from 16 to 65536' }).int({ error: 'pidsLimit must be a whole number from 16 to 65536' }).min(16, { error: 'pidsLimit must be from 16 to 65536' }).max(65536, { error: 'pidsLimit must be from 16 to 65536' }).default(128).meta({ description: 'most processes and threads (default 128)' }),
  })
  .meta({ description: 'hardening, each field an explicit opt-out (defaults: nobody, read-only root, no capabilities, 256m, 128 processes)' });
