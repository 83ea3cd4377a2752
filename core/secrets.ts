// Secret files: random passwords made once and never rewritten, the Redis ACL file
// derived from the Redis password (it holds only a SHA-256 of it), and the files services
// read a password from (a configuration file made of literal text and passwords).
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from './errors.ts';
import type { DerivedPart, SecretModel } from '../services/types.ts';

export const SECRETS_DIR = 'secrets';
/** Inside a 0700 directory, so only the owner reaches them on the host; 0644 so a
 * container's non-root user can read the bind-mounted file whoever owns it. */
export const SECRET_FILE_MODE = 0o644;
export const SECRETS_DIR_MODE = 0o700;

/** The shortest password a secret file may hold (the generated ones have 43 characters). */
export const MIN_SECRET_LENGTH = 16;

export function randomPassword(): string {
  return randomBytes(32).toString('base64url');
}

/** A Redis ACL file: a line per user, each with its password's SHA-256 (never the password) and its rules. */
export function redisAcl(users: ReadonlyArray<{ name: string; password: string; permissions: string }>): string {
  return users.map((u) => `user ${u.name} on #${createHash('sha256').update(u.password).digest('hex')} ${u.permissions}\n`).join('');
}

/** What a `raw` password may hold: it goes into a file as it is, where quotes or `#` would mean something. */
export const RAW_SECRET_RE = /^[A-Za-z0-9._~+/=-]+$/;

/** A derived secret file's text: its literal parts, and each password encoded as the part says. */
export function derivedFile(parts: readonly DerivedPart[], value: (secret: string) => string): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const password = value(part.secret);
      switch (part.encode) {
        case 'raw':
          return password;
        case 'json':
          return JSON.stringify(password);
        case 'sha1-base64':
          return `{SHA}${createHash('sha1').update(password).digest('base64')}`;
      }
    })
    .join('');
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
    if (secret.source.kind === 'random') continue;
    const content =
      secret.source.kind === 'redis-acl'
        ? redisAcl(secret.source.users.map((u) => ({ name: u.name, password: values.get(u.from) ?? '', permissions: u.permissions })))
        : derivedFile(secret.source.parts, (name) => values.get(name) ?? '');
    const existing = read(secret.file);
    const action = existing === undefined ? 'create' : existing === content ? 'unchanged' : 'update';
    plans.push({ path: secret.file, action, content });
  }
  return plans;
}

/** A secret file or the secrets folder whose mode is looser (or tighter) than it must be. */
export interface ModeFix {
  path: string;
  from: number;
  to: number;
}

/** What a run may find wrong with an existing secrets/ folder: refused (problems) or put right (fixes). */
export interface SecretsTrust {
  problems: Problem[];
  fixes: ModeFix[];
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

function statOf(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Checks an existing secrets/ before its passwords are used or new ones are put in it
 * (a cloned or copied project can bring one):
 * - the folder and every file must belong to the user running the generator, or to the
 *   project folder's owner (anyone else could read or replace the passwords): refused,
 *   with the fix;
 * - a password must have at least MIN_SECRET_LENGTH characters and no control characters
 *   (an empty one hashes to a Redis ACL that accepts AUTH ""): refused, with the fix;
 * - modes are put back: the folder 0700 (only its owner gets in), the files 0644 (the
 *   containers' non-root users read them, whoever owns them on the host).
 * `uid` is the user's id (undefined where the platform has none: owners are not checked).
 */
export function inspectSecrets(dir: string, secrets: readonly SecretModel[], uid: number | undefined, read: (path: string) => string | undefined): SecretsTrust {
  const problems: Problem[] = [];
  const fixes: ModeFix[] = [];
  const folder = statOf(join(dir, SECRETS_DIR));
  if (folder === undefined || !folder.isDirectory()) return { problems, fixes };
  // The project folder's owner can replace secrets/ anyway: trusting them too is no loss.
  const projectOwner = statOf(dir)?.uid;
  const owned = (stat: Stats, rel: string, what: string): boolean => {
    if (uid === undefined || stat.uid === uid || stat.uid === projectOwner) return true;
    problems.push({
      field: rel,
      value: join(dir, rel),
      rule: `${what} belongs to uid ${stat.uid}, not to you (uid ${uid}): its owner could read or replace the passwords. Make it yours (chown -R ${uid} ${join(dir, SECRETS_DIR)}), or remove it to have new passwords made`,
    });
    return false;
  };
  if (owned(folder, SECRETS_DIR, 'the secrets folder') && (folder.mode & 0o777) !== SECRETS_DIR_MODE) {
    fixes.push({ path: SECRETS_DIR, from: folder.mode & 0o777, to: SECRETS_DIR_MODE });
  }
  // Passwords a derived file holds as they are (a RabbitMQ conf.d line): only characters that mean nothing there.
  const raw = new Map<string, string>();
  for (const secret of secrets) {
    if (secret.source.kind !== 'derived') continue;
    for (const part of secret.source.parts) if (typeof part !== 'string' && part.encode === 'raw') raw.set(part.secret, secret.file);
  }
  for (const secret of secrets) {
    const stat = statOf(join(dir, secret.file));
    if (stat === undefined || !stat.isFile()) continue;
    if (!owned(stat, secret.file, 'the secret file')) continue;
    if ((stat.mode & 0o777) !== SECRET_FILE_MODE) fixes.push({ path: secret.file, from: stat.mode & 0o777, to: SECRET_FILE_MODE });
    if (secret.source.kind !== 'random') continue;
    const value = (read(secret.file) ?? '').replace(/\r?\n$/, '');
    const control = [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
    if (value.length < MIN_SECRET_LENGTH || control || value.trim() !== value) {
      problems.push({
        field: secret.file,
        value: `(${value.length} characters${control ? ', with control characters' : ''})`,
        rule: `a password must have at least ${MIN_SECRET_LENGTH} characters, no spaces around it and no control characters (an empty or short one is guessed in no time). Put a longer one in it, or delete the file to have one made (then change it wherever the old one is used, such as an existing database volume)`,
      });
    } else if (raw.has(secret.name) && !RAW_SECRET_RE.test(value)) {
      problems.push({
        field: secret.file,
        value: `(${value.length} characters)`,
        rule: `this password is written as it is into ${raw.get(secret.name)} (a configuration file where quotes, spaces or "#" would change its meaning): use only letters, digits and - . _ ~ + / =, or delete the file to have one made`,
      });
    }
  }
  return { problems, fixes };
}

export const describeModeFix = (fix: ModeFix): string => `mode ${octal(fix.from)} -> ${octal(fix.to)}`;
