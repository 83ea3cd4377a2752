// extraServices: anything the catalog does not offer, as a pinned image with optional
// command, environment, port, health check and volume, hardened by default.
import * as z from 'zod';
import { CommandArg, EnvName, EnvValue, PinnedImage, port, resourceName, ServiceHardeningSpec } from '../../schema/fields.ts';

/** A Compose health check test: ["CMD", program, args...] or ["CMD-SHELL", one shell command]. */
const HealthcheckTest = z
  .array(CommandArg, { error: 'the health check must be a list, such as ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:8080/health"]' })
  .refine((test) => (test[0] === 'CMD' && test.length >= 2) || (test[0] === 'CMD-SHELL' && test.length === 2), {
    error: 'the health check must be Compose\'s test form: ["CMD", "program", "arg", ...] or ["CMD-SHELL", "shell command"]',
  });

/**
 * One more service next to the app and Redis (a worker, a mail catcher, a search engine):
 * a pinned image on the internal backend network only, never published, hardened like
 * the others (a non-root user, read-only root, no capabilities, memory and process limits;
 * each an explicit opt-out in `hardening`). `$` in its command and environment is literal.
 */
export const ExtraServiceSpec = z
  .strictObject({
    name: resourceName('the service name').meta({ description: 'Compose service name and host name on the backend network; not app, redis or db' }),
    image: PinnedImage.meta({ description: 'image, pinned to a tag or digest (not latest)' }),
    command: z
      .array(CommandArg, { error: 'the command must be a list of arguments, such as ["worker", "--queue", "mail"]' })
      .min(1, { error: 'the command must have at least one argument' })
      .optional()
      .meta({ description: 'command, as a list of arguments (default: the image\'s); "$" is literal' }),
    environment: z
      .record(EnvName, EnvValue, { error: 'the environment must be a mapping of variable names to strings' })
      .optional()
      .meta({ description: 'environment variables; "$" is literal' }),
    port: port('the internal port').optional().meta({ description: 'port it listens on, for the other services (Compose expose); never published' }),
    healthcheck: HealthcheckTest.optional().meta({
      description: 'health check, in Compose\'s test form: ["CMD", "program", "arg", ...] or ["CMD-SHELL", "shell command"]; "$" is literal; the app then waits for it to be healthy',
    }),
    volume: z
      .strictObject({
        name: resourceName('the volume name'),
        target: z
          .string({ error: 'the volume target must be a string' })
          .regex(/^\/[^\0\r\n:]*[^/\0\r\n:]$/, { error: 'the volume target must be an absolute folder path in the container, not "/", without ":", such as /data' }),
      })
      .optional()
      .meta({ description: 'a named volume and where it is mounted, such as { name: worker-data, target: /data } (the service\'s user must be able to write there)' }),
    hardening: ServiceHardeningSpec.prefault({}),
  })
  .meta({ description: 'a service on the internal backend network only, never published, hardened like the others' });

/**
 * The list of extra services; `reserved` are the service names the stack's own modules use
 * (app, redis, db, the catalog's), which an extra service must not take.
 */
export function extraServicesSpec(reserved: readonly string[]) {
  return z
    .array(ExtraServiceSpec, { error: 'extraServices must be a list of services ({ name, image, command?, environment?, port? })' })
    .superRefine(
      (list, ctx) => {
        const seen = new Set<string>();
        list.forEach((service, i) => {
          const name = (service as { name?: unknown } | undefined)?.name;
          if (typeof name !== 'string') return;
          if (reserved.includes(name)) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'name'],
              input: name,
              message: `the service name must not be one of ${reserved.join(', ')} (the services the generator runs itself)`,
            });
          } else if (seen.has(name)) {
            ctx.addIssue({ code: 'custom', path: [i, 'name'], input: name, message: 'extra service names must be unique' });
          }
          seen.add(name);
        });
      },
      {
        // Runs while other fields of an item are wrong, so a bad image and a duplicate name
        // are reported together; not when the list itself or a name is malformed.
        when: (payload: z.core.ParsePayload): boolean =>
          !payload.issues.some((issue) => issue.code !== 'unrecognized_keys' && ((issue.path?.length ?? 0) < 2 || issue.path?.[1] === 'name')),
      },
    );
}

export type ExtraServiceSpec = z.output<typeof ExtraServiceSpec>;
