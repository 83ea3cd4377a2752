// The catalog as a whole: --services and an answers file's list (shorthand, none, unknown
// kinds, a kind twice), volumes across services, the files derived from passwords (a
// RabbitMQ conf.d file, a TOML or NATS configuration, an htpasswd line) and the rule that a
// password written as it is must mean nothing in its file.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { derivedFile, inspectSecrets, planSecrets, RAW_SECRET_RE } from '../../core/secrets.ts';
import { flagsLayer, resolveSpec } from '../../core/spec.ts';
import { ANSWER_OPTIONS } from '../../core/options.ts';
import { CATALOG_KINDS, CATALOG_MODULES, SERVICE_MODULES } from '../index.ts';
import type { SecretModel } from '../types.ts';

const resolve = (values: Record<string, unknown>, flags: Record<string, unknown> = {}) =>
  resolveSpec([{ source: '.yo-rc.json', values }, flagsLayer(flags)], { dirName: 'demo' });

function problems(values: Record<string, unknown>, flags: Record<string, unknown> = {}) {
  try {
    resolve(values, flags);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('expected a refusal');
}

describe('the catalog list (services/index.ts)', () => {
  it('has the eight services, each a module listed once, its kind its id and Compose service name', () => {
    expect(CATALOG_KINDS).toEqual(['valkey', 'memcached', 'rabbitmq', 'nats', 'mailpit', 'minio', 'meilisearch', 'mongodb']);
    for (const m of CATALOG_MODULES) expect(SERVICE_MODULES.filter((x) => x === m)).toHaveLength(1);
    const option = ANSWER_OPTIONS.find((o) => o.flag === 'services');
    expect(option).toMatchObject({ path: ['services'], kind: 'list', choices: CATALOG_KINDS });
    expect(option?.prompt).toBeDefined();
  });
});

describe('--services and spec.services', () => {
  it('defaults to none; --services keeps the order given and fills each entry\'s defaults', () => {
    expect(resolve({}).services).toEqual([]);
    expect(resolve({}, { services: 'nats, valkey' }).services.map((x) => x.kind)).toEqual(['nats', 'valkey']);
  });

  it('--services none clears a stored list; --services replaces it (an entry\'s options come from an answers file)', () => {
    const stored = { services: [{ kind: 'rabbitmq', ui: true }] };
    expect(resolve(stored, { services: 'none' }).services).toEqual([]);
    expect(resolve(stored, { services: 'rabbitmq' }).services[0]).toMatchObject({ kind: 'rabbitmq', ui: false });
    expect(resolve(stored).services[0]).toMatchObject({ kind: 'rabbitmq', ui: true });
  });

  it('refuses an unknown kind naming every choice, "none" with others, a kind twice, and a list that is not one', () => {
    const unknown = problems({}, { services: 'valkey,kafka' });
    expect(unknown).toEqual([
      { field: 'services.1.kind', source: '--services', value: 'kafka', rule: `the service must be one of ${CATALOG_KINDS.join(', ')} ("none" alone means no service)` },
    ]);
    expect(problems({}, { services: 'none,valkey' }).map((p) => [p.field, p.value])).toEqual([['services.0.kind', 'none']]);
    expect(problems({}, { services: 'nats,valkey,nats' })).toEqual([expect.objectContaining({ field: 'services.2.kind', value: 'nats', rule: 'nats is already in the list: each service at most once' })]);
    expect(problems({ services: 'valkey' }).map((p) => p.field)).toEqual(['services']);
    // Every problem at once: a bad entry does not hide a repeated kind.
    expect(problems({ services: [{ kind: 'valkey', image: 'valkey/valkey:latest' }, 'valkey'] }).map((p) => p.field)).toEqual(['services.0.image', 'services.1.kind']);
  });

  it('refuses two services on one volume, naming whose it was', () => {
    const p = problems({ services: [{ kind: 'valkey', volume: 'shared' }, { kind: 'rabbitmq', volume: 'shared' }] });
    expect(p).toEqual([expect.objectContaining({ field: 'services.1.volume', rule: "the volume shared is already services.0.volume's: each service needs its own volume" })]);
    expect(problems({ database: { kind: 'postgres' }, services: [{ kind: 'minio', volume: 'db-data' }] }).map((x) => x.field)).toEqual(['services.0.volume']);
    expect(problems({ services: ['valkey'], extraServices: [{ name: 'w', image: 'busybox:1.37', volume: { name: 'valkey-data', target: '/data' } }] }).map((x) => x.field)).toEqual(['extraServices.0.volume.name']);
  });
});

describe('files derived from passwords', () => {
  it('writes literal parts as they are, and each password raw, as a JSON string or as an htpasswd {SHA}', () => {
    const value = (name: string) => ({ a: 'pass-word_1', b: 'qu"ote\\back' })[name] ?? '';
    expect(derivedFile(['x = ', { secret: 'a', encode: 'raw' }, '\n'], value)).toBe('x = pass-word_1\n');
    expect(derivedFile(['x = ', { secret: 'b', encode: 'json' }], value)).toBe('x = "qu\\"ote\\\\back"');
    expect(derivedFile(['u:', { secret: 'a', encode: 'sha1-base64' }], value)).toBe(`u:{SHA}${createHash('sha1').update('pass-word_1').digest('base64')}`);
  });

  it('are made after the passwords they hold, and follow them (update when stale)', () => {
    const secrets: SecretModel[] = [
      { name: 'conf', file: 'secrets/x.conf', source: { kind: 'derived', what: { en: 'x', ko: 'x' }, parts: ['p=', { secret: 'pw', encode: 'raw' }, '\n'] } },
      { name: 'pw', file: 'secrets/pw', source: { kind: 'random' } },
    ];
    const fresh = planSecrets(secrets, () => undefined, () => 'Generated-0123456789');
    expect(fresh.map((p) => [p.path, p.action, p.content])).toEqual([
      ['secrets/pw', 'create', 'Generated-0123456789\n'],
      ['secrets/x.conf', 'create', 'p=Generated-0123456789\n'],
    ]);
    const files: Record<string, string> = { 'secrets/pw': 'Changed-by-hand-0123456789\n', 'secrets/x.conf': 'p=Generated-0123456789\n' };
    const again = planSecrets(secrets, (path) => files[path]);
    expect(again.find((p) => p.path === 'secrets/x.conf')).toMatchObject({ action: 'update', content: 'p=Changed-by-hand-0123456789\n' });
  });

  it('refuse a password a file holds as it is when it has characters that mean something there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wpsn-derived-'));
    mkdirSync(join(dir, 'secrets'), { mode: 0o700 });
    const secrets: SecretModel[] = [
      { name: 'pw', file: 'secrets/pw', source: { kind: 'random' } },
      { name: 'conf', file: 'secrets/x.conf', source: { kind: 'derived', what: { en: 'x', ko: 'x' }, parts: [{ secret: 'pw', encode: 'raw' }] } },
    ];
    writeFileSync(join(dir, 'secrets/pw'), 'has a space # and more\n', { mode: 0o644 });
    const read = (path: string) => 'has a space # and more\n';
    const trust = inspectSecrets(dir, secrets, process.getuid?.(), (path) => (path === 'secrets/pw' ? read(path) : undefined));
    expect(trust.problems).toEqual([expect.objectContaining({ field: 'secrets/pw', rule: expect.stringContaining('written as it is into secrets/x.conf') })]);
    expect(RAW_SECRET_RE.test('Generated_base64url-0123456789')).toBe(true);
  });
});
