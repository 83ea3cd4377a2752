// core/secret-env.ts: the preload the image loads with NODE_OPTIONS=--import, run for real
// in a Node process: it completes a URL with the password from its secret file, in that
// process's environment only, percent-encoded so any password survives a URL parser.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { secretEnvModule } from '../../core/secret-env.ts';
import { cleanEnv, makeTempDir, removeTempDirs } from './helpers/cli.ts';

afterAll(() => {
  removeTempDirs();
});

const dir = makeTempDir('wpsn-secret-env-');
let n = 0;

/** Writes the preload for REDIS_URL (and DATABASE_URL) with their secret files, and the files' content when given. */
function preload(secrets: { redis?: string | undefined; database?: string | undefined }): { module: string; redisFile: string; databaseFile: string } {
  n += 1;
  const redisFile = join(dir, `redis_password.${n}`);
  const databaseFile = join(dir, `db_password.${n}`);
  if (secrets.redis !== undefined) writeFileSync(redisFile, secrets.redis);
  if (secrets.database !== undefined) writeFileSync(databaseFile, secrets.database);
  const module = join(dir, `secret-env.${n}.mjs`);
  writeFileSync(
    module,
    secretEnvModule([
      { variable: 'REDIS_URL', file: redisFile },
      { variable: 'DATABASE_URL', file: databaseFile },
    ]),
  );
  return { module, redisFile, databaseFile };
}

/** What the app sees: `node --import=file://<module> -e ...` with these variables. */
function appSees(module: string, env: Record<string, string | undefined>): { REDIS_URL?: string; DATABASE_URL?: string } {
  const result = spawnSync(
    process.execPath,
    [`--import=${pathToFileURL(module).href}`, '-e', 'console.log(JSON.stringify({ REDIS_URL: process.env.REDIS_URL, DATABASE_URL: process.env.DATABASE_URL }))'],
    { env: cleanEnv({ NODE_OPTIONS: undefined, REDIS_URL: undefined, DATABASE_URL: undefined, ...env }), encoding: 'utf8', timeout: 20_000 },
  );
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { REDIS_URL?: string; DATABASE_URL?: string };
}

describe('the secret-env preload', () => {
  it('puts the password into a URL without one (the file\'s trailing newline is no part of it)', () => {
    const { module } = preload({ redis: 'S3cret-pass_word\n', database: 'other\n' });
    const seen = appSees(module, { REDIS_URL: 'redis://redis:6379', DATABASE_URL: 'postgres://app@db:5432/app?sslmode=disable' });
    expect(seen.REDIS_URL).toBe('redis://:S3cret-pass_word@redis:6379');
    // The user name, path and query stay; each variable gets its own file's password.
    const db = new URL(seen.DATABASE_URL!);
    expect([db.username, db.password, db.host, db.pathname, db.search]).toEqual(['app', 'other', 'db:5432', '/app', '?sslmode=disable']);
  });

  it.each([
    ['@ : /', 'p@ss:w/rd'],
    ['%', '100%sure%41'],
    ['? # and a blank', 'a?b#c d'],
    ['every URL-special character', `@:/%?#[]\\^|'"<> ;=&+$,!~*()\``],
  ])('percent-encodes a password with %s, which decodes back', (_, password) => {
    const { module } = preload({ redis: `${password}\n` });
    const seen = appSees(module, { REDIS_URL: 'redis://default@redis:6379/0' });
    const url = new URL(seen.REDIS_URL!);
    // Host, port, user and database are still where a client looks for them.
    expect([url.hostname, url.port, url.username, url.pathname]).toEqual(['redis', '6379', 'default', '/0']);
    expect(decodeURIComponent(url.password)).toBe(password);
    // In the URL: only characters no parser splits on, the rest as %XX.
    expect(url.password).toMatch(/^(?:[A-Za-z0-9\-_.!~*'()]|%[0-9A-F]{2})*$/);
  });

  it('leaves a URL that already has a password as it is', () => {
    const { module } = preload({ redis: 'new\n' });
    expect(appSees(module, { REDIS_URL: 'redis://:mine@redis:6379' }).REDIS_URL).toBe('redis://:mine@redis:6379');
    expect(appSees(module, { REDIS_URL: 'redis://u:mine@redis:6379' }).REDIS_URL).toBe('redis://u:mine@redis:6379');
  });

  it('leaves the variable unchanged when the file is missing or empty, or the URL cannot be parsed', () => {
    const missing = preload({});
    expect(appSees(missing.module, { REDIS_URL: 'redis://redis:6379' }).REDIS_URL).toBe('redis://redis:6379');
    const empty = preload({ redis: '' });
    expect(appSees(empty.module, { REDIS_URL: 'redis://redis:6379' }).REDIS_URL).toBe('redis://redis:6379');
    const newline = preload({ redis: '\n' });
    expect(appSees(newline.module, { REDIS_URL: 'redis://redis:6379' }).REDIS_URL).toBe('redis://redis:6379');
    const good = preload({ redis: 'pw\n' });
    expect(appSees(good.module, { REDIS_URL: 'redis:6379 no url' }).REDIS_URL).toBe('redis:6379 no url');
    expect(appSees(good.module, { REDIS_URL: '/just/a/path' }).REDIS_URL).toBe('/just/a/path');
    // Unset stays unset (not "undefined", not a URL of its own).
    expect(appSees(good.module, {}).REDIS_URL).toBeUndefined();
  });

  it('has no line that is exactly EOF (the Dockerfile holds it in a heredoc ending at EOF)', () => {
    const texts = [
      secretEnvModule([{ variable: 'REDIS_URL', file: '/run/secrets/redis_password' }]),
      secretEnvModule([{ variable: 'EOF', file: 'EOF' }]),
      secretEnvModule([]),
    ];
    for (const text of texts) {
      expect(text.split('\n').filter((line) => line.trim() === 'EOF')).toEqual([]);
    }
    // Names and paths stay string literals inside a line of the list.
    expect(texts[1]).toContain('["EOF", "EOF"],');
  });
});
