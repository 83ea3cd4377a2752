// Secret files: random passwords made once and never rewritten, and the Redis ACL
// file derived from the Redis password (it holds only a SHA-256 of it).
import { createHash, randomBytes } from 'node:crypto';
import type { SecretModel } from './model.ts';

export const SECRETS_DIR = 'secrets';
/** Inside a 0700 directory, so only the owner reaches them on the host; 0644 so a
 * container's non-root user can read the bind-mounted file whoever owns it. */
export const SECRET_FILE_MODE = 0o644;
export const SECRETS_DIR_MODE = 0o700;

export function randomPassword(): string {
  return randomBytes(32).toString('base64url');
}

/** A Redis ACL file: the default user, allowed everything, with the password's SHA-256. */
export function redisAcl(password: string): string {
  const digest = createHash('sha256').update(password).digest('hex');
  return `user default on #${digest} ~* &* +@all\n`;
}

export interface SecretPlan {
  path: string;
  /** create: the file is missing; keep: it exists and is never rewritten; update: a derived file is stale. */
  action: 'create' | 'keep' | 'update' | 'unchanged';
  content: string;
}

/** Decides every secret file. `read` returns a file's current text, if any. */
export function planSecrets(
  secrets: readonly SecretModel[],
  read: (path: string) => string | undefined,
  makePassword: () => string = randomPassword,
): SecretPlan[] {
  const values = new Map<string, string>();
  const plans: SecretPlan[] = [];
  for (const secret of secrets) {
    if (secret.source.kind !== 'random') continue;
    const existing = read(secret.file);
    if (existing !== undefined) {
      values.set(secret.name, existing.trim());
      plans.push({ path: secret.file, action: 'keep', content: existing });
    } else {
      const value = makePassword();
      values.set(secret.name, value);
      plans.push({ path: secret.file, action: 'create', content: `${value}\n` });
    }
  }
  for (const secret of secrets) {
    if (secret.source.kind !== 'redis-acl') continue;
    const content = redisAcl(values.get(secret.source.from) ?? '');
    const existing = read(secret.file);
    const action = existing === undefined ? 'create' : existing === content ? 'unchanged' : 'update';
    plans.push({ path: secret.file, action, content });
  }
  return plans;
}
