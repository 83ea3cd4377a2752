// The plan (core/plan.ts) with the managed block (core/block.ts), secrets
// (core/secrets.ts) and the recorded state (core/state.ts), against an in-memory disk.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractBlock, mergeBlock } from '../../core/block.ts';
import { InputError } from '../../core/errors.ts';
import { sha256 } from '../../core/hash.ts';
import { deriveModel, type SecretModel } from '../../core/model.ts';
import { buildPlan, conflictsOf, type Plan, type PlanEntry } from '../../core/plan.ts';
import type { RenderedFile } from '../../core/render/files.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { planSecrets, randomPassword, redisAcl, type SecretPlan } from '../../core/secrets.ts';
import { resolveSpec } from '../../core/spec.ts';
import { GENERATOR_KEY, parseYoRc, renderYoRc, YO_RC } from '../../core/state.ts';
import { DEFAULT_REDIS_APP_PERMISSIONS } from '../../schema/stack.ts';

const BEGIN = '# >>> generator-wpsn-docker (managed block; edit outside it)';
const END = '# <<< generator-wpsn-docker';

/** An in-memory destination: path -> text. */
function disk(files: Record<string, string> = {}): { files: Map<string, string>; read: (path: string) => string | undefined } {
  const map = new Map(Object.entries(files));
  return { files: map, read: (path) => map.get(path) };
}

const gen = (path: string, content: string, mode?: number): RenderedFile =>
  mode === undefined ? { path, content, kind: 'generated' } : { path, content, kind: 'generated', mode };
const starter = (path: string, content: string): RenderedFile => ({ path, content, kind: 'starter' });
const block = (path: string, content: string): RenderedFile => ({ path, content, kind: 'block' });

function entry(plan: Plan, path: string): PlanEntry {
  const found = plan.entries.find((e) => e.path === path);
  expect(found, `no plan entry for ${path}`).toBeDefined();
  return found!;
}

/** Carries out a plan on the in-memory disk, the way core/write.ts does on a real one. */
function apply(files: Map<string, string>, plan: Plan): void {
  for (const e of plan.entries) {
    if (e.action === 'create' || e.action === 'update') files.set(e.path, e.content ?? '');
    else if (e.action === 'remove') files.delete(e.path);
  }
}

describe('generated files', () => {
  it('creates a missing file and records its hash', () => {
    const { read } = disk();
    const plan = buildPlan([gen('Dockerfile', 'FROM x\n'), gen('scripts/push.sh', '#!/bin/sh\n', 0o755)], [], {}, read);
    expect(entry(plan, 'Dockerfile')).toEqual({ path: 'Dockerfile', kind: 'generated', action: 'create', content: 'FROM x\n', hash: sha256('FROM x\n') });
    expect(entry(plan, 'scripts/push.sh')).toMatchObject({ action: 'create', mode: 0o755 });
    expect(plan.recorded).toEqual({ Dockerfile: sha256('FROM x\n'), 'scripts/push.sh': sha256('#!/bin/sh\n') });
    expect(conflictsOf(plan)).toEqual([]);
  });

  it('leaves an identical file unchanged, recorded or not', () => {
    const { read } = disk({ Dockerfile: 'FROM x\n' });
    expect(entry(buildPlan([gen('Dockerfile', 'FROM x\n')], [], {}, read), 'Dockerfile').action).toBe('unchanged');
    expect(entry(buildPlan([gen('Dockerfile', 'FROM x\n')], [], { Dockerfile: sha256('FROM x\n') }, read), 'Dockerfile').action).toBe('unchanged');
  });

  it('updates a file whose disk hash equals the recorded one', () => {
    const { read } = disk({ Dockerfile: 'FROM old\n' });
    const plan = buildPlan([gen('Dockerfile', 'FROM new\n')], [], { Dockerfile: sha256('FROM old\n') }, read);
    expect(entry(plan, 'Dockerfile')).toMatchObject({ action: 'update', content: 'FROM new\n', hash: sha256('FROM new\n') });
    expect(plan.recorded['Dockerfile']).toBe(sha256('FROM new\n'));
  });

  it('is a conflict when the user edited the file', () => {
    const { read } = disk({ Dockerfile: 'FROM old\n# mine\n' });
    const plan = buildPlan([gen('Dockerfile', 'FROM new\n')], [], { Dockerfile: sha256('FROM old\n') }, read);
    expect(entry(plan, 'Dockerfile').action).toBe('conflict');
    expect(conflictsOf(plan)).toEqual(['Dockerfile']);
  });

  it('is a conflict when the file exists but was never recorded (not ours)', () => {
    const { read } = disk({ Dockerfile: 'FROM theirs\n' });
    const plan = buildPlan([gen('Dockerfile', 'FROM ours\n'), gen('.dockerignore', 'x\n')], [], {}, read);
    expect(entry(plan, 'Dockerfile').action).toBe('conflict');
    expect(entry(plan, '.dockerignore').action).toBe('create');
    expect(conflictsOf(plan)).toEqual(['Dockerfile']);
  });
});

describe('starter files (the sample app)', () => {
  it('are created when missing and updated when untouched', () => {
    expect(entry(buildPlan([starter('server.js', 'a')], [], {}, disk().read), 'server.js').action).toBe('create');
    const { read } = disk({ 'server.js': 'old' });
    expect(entry(buildPlan([starter('server.js', 'new')], [], { 'server.js': sha256('old') }, read), 'server.js').action).toBe('update');
  });

  it('are kept quietly when edited, or when they were never ours: never a conflict', () => {
    const edited = disk({ 'server.js': 'my app' });
    const plan = buildPlan([starter('server.js', 'new')], [], { 'server.js': sha256('old') }, edited.read);
    expect(entry(plan, 'server.js').action).toBe('keep');
    expect(conflictsOf(plan)).toEqual([]);
    expect(entry(buildPlan([starter('server.js', 'new')], [], {}, edited.read), 'server.js').action).toBe('keep');
  });
});

describe('the managed block in .gitignore', () => {
  const BLOCK = '.env\nsecrets/\nnode_modules/\n';
  const wrapped = (body: string) => `${BEGIN}\n${body}${END}\n`;

  it('creates the file with only the block when it is missing', () => {
    const plan = buildPlan([block('.gitignore', BLOCK)], [], {}, disk().read);
    expect(entry(plan, '.gitignore')).toMatchObject({ action: 'create', content: wrapped(BLOCK), hash: sha256(BLOCK) });
    expect(extractBlock(entry(plan, '.gitignore').content)).toBe(BLOCK);
  });

  it('appends the block to a user .gitignore, keeping every user line', () => {
    for (const user of ['dist/\n*.log\n', 'dist/\n*.log', '']) {
      const plan = buildPlan([block('.gitignore', BLOCK)], [], {}, disk({ '.gitignore': user }).read);
      const e = entry(plan, '.gitignore');
      expect(e.action).toBe('update');
      expect(e.content!.startsWith(user)).toBe(true);
      expect(e.content!.endsWith(wrapped(BLOCK))).toBe(true);
      expect(extractBlock(e.content)).toBe(BLOCK);
      if (user) expect(e.content).toBe(`dist/\n*.log\n\n${wrapped(BLOCK)}`);
    }
  });

  it('is unchanged when the block is current, whatever the user wrote around it', () => {
    const text = `dist/\n\n${wrapped(BLOCK)}coverage/\n`;
    const e = entry(buildPlan([block('.gitignore', BLOCK)], [], { '.gitignore': sha256(BLOCK) }, disk({ '.gitignore': text }).read), '.gitignore');
    expect(e.action).toBe('unchanged');
    expect(e.content).toBe(text);
  });

  it('replaces only the block when it is untouched, keeping the lines before and after', () => {
    const OLD = '.env\n';
    const text = `dist/\n\n${wrapped(OLD)}coverage/\n# end\n`;
    const e = entry(buildPlan([block('.gitignore', BLOCK)], [], { '.gitignore': sha256(OLD) }, disk({ '.gitignore': text }).read), '.gitignore');
    expect(e.action).toBe('update');
    expect(e.content).toBe(`dist/\n\n${wrapped(BLOCK)}coverage/\n# end\n`);
    expect(e.hash).toBe(sha256(BLOCK));
  });

  it('is a conflict when the user edited inside the block', () => {
    const OLD = '.env\n';
    const text = `dist/\n${wrapped('.env\n!important.env\n')}`;
    const plan = buildPlan([block('.gitignore', BLOCK)], [], { '.gitignore': sha256(OLD) }, disk({ '.gitignore': text }).read);
    expect(entry(plan, '.gitignore').action).toBe('conflict');
    expect(conflictsOf(plan)).toEqual(['.gitignore']);
    // Merging anyway (--force) would still keep the user's own lines outside the block.
    expect(entry(plan, '.gitignore').content).toBe(`dist/\n${wrapped(BLOCK)}`);
  });

  it('merges the same way twice (idempotent) and never duplicates the block', () => {
    const once = mergeBlock('dist/\n', BLOCK);
    const twice = mergeBlock(once, BLOCK);
    expect(twice).toBe(once);
    expect(twice.split(BEGIN)).toHaveLength(2);
    expect(extractBlock('no block here\n')).toBeUndefined();
    expect(extractBlock(`${BEGIN}\nunterminated\n`)).toBeUndefined();
    expect(extractBlock(undefined)).toBeUndefined();
  });
});

describe('secrets', () => {
  const spec = resolveSpec([], { dirName: 'demo' });
  const model = deriveModel(spec, { sampleApp: true });
  let n = 0;
  const passwords = () => `pw-${++n}-${'x'.repeat(20)}`;
  const byPath = (plans: SecretPlan[]) => Object.fromEntries(plans.map((p) => [p.path, p]));

  /** The ACL the generator derives from the app's and the admin's passwords. */
  const aclOf = (app: string, admin: string) =>
    redisAcl([
      { name: 'default', password: app, permissions: DEFAULT_REDIS_APP_PERMISSIONS },
      { name: 'admin', password: admin, permissions: '~* &* +@all' },
    ]);

  it('creates the Redis passwords once, and an ACL that holds their SHA-256, never a password', () => {
    const made = ['correct-horse-battery', 'admin-staple-battery'];
    const plans = byPath(planSecrets(model.secrets, disk().read, () => made.shift()!));
    expect(plans['secrets/redis_password']).toEqual({ path: 'secrets/redis_password', action: 'create', content: 'correct-horse-battery\n' });
    expect(plans['secrets/redis_admin_password']).toEqual({ path: 'secrets/redis_admin_password', action: 'create', content: 'admin-staple-battery\n' });
    const acl = plans['secrets/redis.acl']!;
    expect(acl.action).toBe('create');
    const digest = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(acl.content).toBe(
      `user default on #${digest('correct-horse-battery')} ${DEFAULT_REDIS_APP_PERMISSIONS}\nuser admin on #${digest('admin-staple-battery')} ~* &* +@all\n`,
    );
    expect(acl.content).not.toContain('correct-horse-battery');
    expect(acl.content).not.toContain('admin-staple-battery');
    expect(aclOf('correct-horse-battery', 'admin-staple-battery')).toBe(acl.content);
  });

  it('gives the app every command but the administering ones; the admin everything', () => {
    expect(DEFAULT_REDIS_APP_PERMISSIONS).toContain('-@dangerous');
    const acl = byPath(planSecrets(model.secrets, disk().read, passwords))['secrets/redis.acl']!.content;
    const [app, admin] = acl.trimEnd().split('\n');
    expect(app).toMatch(/^user default on #[0-9a-f]{64} ~\* &\* \+@all -@dangerous /);
    expect(admin).toMatch(/^user admin on #[0-9a-f]{64} ~\* &\* \+@all$/);
  });

  it('keeps an existing password byte for byte (never rewritten) and derives the ACL from its trimmed text', () => {
    const existing = '  s3cret-from-disk  \n\n';
    let called = 0;
    const plans = byPath(planSecrets(model.secrets, disk({ 'secrets/redis_password': existing, 'secrets/redis_admin_password': 'admin\n' }).read, () => `new-${++called}`));
    expect(plans['secrets/redis_password']).toEqual({ path: 'secrets/redis_password', action: 'keep', content: existing });
    expect(called).toBe(0);
    expect(plans['secrets/redis.acl']!.content).toBe(aclOf('s3cret-from-disk', 'admin'));
  });

  it('leaves a current ACL unchanged, and updates it when a password file changed', () => {
    const current = disk({ 'secrets/redis_password': 'one\n', 'secrets/redis_admin_password': 'adm\n', 'secrets/redis.acl': aclOf('one', 'adm') });
    expect(byPath(planSecrets(model.secrets, current.read))['secrets/redis.acl']!.action).toBe('unchanged');
    current.files.set('secrets/redis_password', 'two\n');
    const acl = byPath(planSecrets(model.secrets, current.read))['secrets/redis.acl']!;
    expect(acl).toEqual({ path: 'secrets/redis.acl', action: 'update', content: aclOf('two', 'adm') });
  });

  it('makes one distinct password per database secret', () => {
    for (const [kind, names] of [
      ['postgres', ['db_password', 'db_admin_password']],
      ['mysql', ['db_password', 'db_root_password']],
      ['mariadb', ['db_password', 'db_root_password']],
    ] as const) {
      const m = deriveModel(resolveSpec([{ source: 't', values: { database: { kind } } }], { dirName: 'demo' }), { sampleApp: false });
      const plans = planSecrets(m.secrets, disk().read, passwords);
      expect(plans.map((p) => p.path).sort()).toEqual(['secrets/redis.acl', 'secrets/redis_admin_password', 'secrets/redis_password', ...names.map((x) => `secrets/${x}`)].sort());
      const values = plans.filter((p) => p.path !== 'secrets/redis.acl').map((p) => p.content);
      expect(new Set(values).size).toBe(values.length);
      expect(plans.every((p) => p.action === 'create')).toBe(true);
    }
  });

  it('makes strong random passwords by default', () => {
    const a = randomPassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomPassword()).not.toBe(a);
  });

  it('puts secrets in the plan without recording them, so --force never rewrites them', () => {
    const secretModels: SecretModel[] = model.secrets;
    const d = disk({ 'secrets/redis_password': 'kept\n' });
    const plan = buildPlan([gen('Dockerfile', 'x')], planSecrets(secretModels, d.read), {}, d.read);
    expect(entry(plan, 'secrets/redis_password')).toEqual({ path: 'secrets/redis_password', kind: 'secret', action: 'keep', content: 'kept\n' });
    expect(entry(plan, 'secrets/redis.acl')).toMatchObject({ kind: 'secret', action: 'create' });
    expect(Object.keys(plan.recorded)).toEqual(['Dockerfile']);
  });
});

describe('files no longer rendered', () => {
  it('removes an untouched recorded file, keeps an edited one, skips a deleted one', () => {
    const d = disk({ 'scripts/push-ecr.sh': 'old\n', 'scripts/push-ghcr.sh': 'mine\n' });
    const recorded = { 'scripts/push-ecr.sh': sha256('old\n'), 'scripts/push-ghcr.sh': sha256('generated\n'), 'scripts/push-gar.sh': sha256('x') };
    const plan = buildPlan([gen('Dockerfile', 'x')], [], recorded, d.read);
    expect(entry(plan, 'scripts/push-ecr.sh')).toEqual({ path: 'scripts/push-ecr.sh', kind: 'removed', action: 'remove' });
    expect(entry(plan, 'scripts/push-ghcr.sh')).toEqual({ path: 'scripts/push-ghcr.sh', kind: 'removed', action: 'keep-removed' });
    expect(plan.entries.find((e) => e.path === 'scripts/push-gar.sh')).toBeUndefined();
    expect(plan.recorded).toEqual({ Dockerfile: sha256('x') });
  });

  it('never removes a recorded file that is not one the generator writes, untouched or not', () => {
    const d = disk({ 'src/index.js': 'mine\n', '.git/HEAD': 'ref\n' });
    const plan = buildPlan([], [], { 'src/index.js': sha256('mine\n'), '.git/HEAD': sha256('ref\n') }, d.read);
    for (const path of ['src/index.js', '.git/HEAD']) {
      expect(entry(plan, path)).toMatchObject({ path, action: 'keep-removed', note: expect.stringContaining('not a file this generator writes') });
    }
  });

  it('never deletes a block file that holds the user\'s own lines', () => {
    const BODY = '.env\n';
    const only = disk({ '.gitignore': `${BEGIN}\n${BODY}${END}\n` });
    expect(entry(buildPlan([], [], { '.gitignore': sha256(BODY) }, only.read), '.gitignore').action).toBe('remove');
    const shared = disk({ '.gitignore': `dist/\n\n${BEGIN}\n${BODY}${END}\n` });
    expect(entry(buildPlan([], [], { '.gitignore': sha256(BODY) }, shared.read), '.gitignore').action).toBe('keep-removed');
  });
});

describe('a real project across runs', () => {
  const specOf = (values: Record<string, unknown>) => resolveSpec([{ source: 't', values }], { dirName: 'demo' });
  const run = (files: Map<string, string>, recorded: Record<string, string>, values: Record<string, unknown> = {}): Plan => {
    const model = deriveModel(specOf(values), { sampleApp: true });
    const read = (p: string) => files.get(p);
    return buildPlan(renderAppFiles(model), planSecrets(model.secrets, read), recorded, read);
  };

  it('creates everything, then changes nothing, then updates only what the answers change', () => {
    const files = new Map<string, string>();
    const first = run(files, {});
    expect(new Set(first.entries.map((e) => e.action))).toEqual(new Set(['create']));
    apply(files, first);
    const password = files.get('secrets/redis_password');

    const second = run(files, first.recorded);
    for (const e of second.entries) expect([e.path, e.action]).toEqual([e.path, e.kind === 'secret' && /_password$/.test(e.path) ? 'keep' : 'unchanged']);
    expect(second.recorded).toEqual(first.recorded);

    const third = run(files, second.recorded, { app: { hostPort: 8080 } });
    const changed = third.entries.filter((e) => e.action !== 'unchanged' && e.action !== 'keep').map((e) => e.path);
    expect(changed).toContain('docker-compose.yml');
    expect(changed).not.toContain('Dockerfile');
    expect(third.entries.every((e) => e.action !== 'conflict')).toBe(true);
    apply(files, third);
    expect(files.get('secrets/redis_password')).toBe(password);
    expect(files.get('docker-compose.yml')).toContain('"127.0.0.1:8080:3000"');
  });

  it('stops at an edited generated file and keeps an edited sample app', () => {
    const files = new Map<string, string>();
    const first = run(files, {});
    apply(files, first);
    files.set('docker-compose.yml', `${files.get('docker-compose.yml')}# my edit\n`);
    files.set('server.js', '// my app\n');
    const next = run(files, first.recorded, { app: { hostPort: 8080 } });
    expect(conflictsOf(next)).toEqual(['docker-compose.yml']);
    expect(entry(next, 'server.js').action).toBe('keep');
  });
});

describe('.yo-rc.json', () => {
  const HASH = sha256('x');

  function yoRcProblems(text: string) {
    try {
      parseYoRc(text);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toContain(YO_RC);
      return (error as InputError).problems;
    }
    throw new Error(`expected an InputError for ${text}`);
  }

  it('is absent: no state', () => {
    expect(parseYoRc(undefined)).toEqual({ document: {}, state: undefined, text: undefined });
    const other = '{"generator-other": {"a": 1}}';
    expect(parseYoRc(other)).toEqual({ document: { 'generator-other': { a: 1 } }, state: undefined, text: other });
  });

  it('reads answers, sampleApp and the recorded hashes', () => {
    const doc = { [GENERATOR_KEY]: { answers: { lang: 'ko' }, sampleApp: false, generated: { version: '0.1.0', files: { Dockerfile: HASH } } } };
    expect(parseYoRc(JSON.stringify(doc)).state).toEqual({ answers: { lang: 'ko' }, sampleApp: false, generated: { version: '0.1.0', files: { Dockerfile: HASH } } });
    expect(parseYoRc(JSON.stringify({ [GENERATOR_KEY]: {} })).state).toEqual({ answers: {} });
  });

  const BAD: Array<[string, string, string, RegExp]> = [
    ['invalid JSON', '{"generator-wpsn-docker": ', '(file)', /not valid JSON.*fix or delete it/],
    ['a list', '[]', '(root)', /must be a JSON object/],
    ['our key not an object', JSON.stringify({ [GENERATOR_KEY]: 'x' }), GENERATOR_KEY, /must be an object/],
    ['answers not an object', JSON.stringify({ [GENERATOR_KEY]: { answers: [1] } }), `${GENERATOR_KEY}.answers`, /object of answers/],
    ['sampleApp not a boolean', JSON.stringify({ [GENERATOR_KEY]: { sampleApp: 'yes' } }), `${GENERATOR_KEY}.sampleApp`, /true or false/],
    ['generated without files', JSON.stringify({ [GENERATOR_KEY]: { generated: { version: '1' } } }), `${GENERATOR_KEY}.generated`, /version: string, files/],
    ['a version that is a number', JSON.stringify({ [GENERATOR_KEY]: { generated: { version: 1, files: {} } } }), `${GENERATOR_KEY}.generated`, /version: string/],
    ['a bad hash', JSON.stringify({ [GENERATOR_KEY]: { generated: { version: '1', files: { Dockerfile: 'md5:abc' } } } }), `${GENERATOR_KEY}.generated.files.Dockerfile`, /sha256:<64 hex digits>/],
    ['an uppercase hash', JSON.stringify({ [GENERATOR_KEY]: { generated: { version: '1', files: { a: HASH.toUpperCase() } } } }), `${GENERATOR_KEY}.generated.files.a`, /sha256/],
  ];
  it.each(BAD)('rejects %s, naming .yo-rc.json and the field', (_label, text, field, rule) => {
    const problems = yoRcProblems(text);
    const problem = problems.find((p) => p.field === field);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem!.source).toBe(YO_RC);
    expect(problem!.rule).toMatch(rule);
  });

  it('reports every broken field of our section at once, with the values', () => {
    const problems = yoRcProblems(JSON.stringify({ [GENERATOR_KEY]: { answers: 5, sampleApp: 1, generated: { version: '1', files: { a: 'bad', b: HASH } } } }));
    expect(problems.map((p) => [p.field, p.value])).toEqual([
      [`${GENERATOR_KEY}.answers`, 5],
      [`${GENERATOR_KEY}.sampleApp`, 1],
      [`${GENERATOR_KEY}.generated.files.a`, 'bad'],
    ]);
  });

  it('renders back keeping other generators\' keys, with sorted file keys, deterministically', () => {
    const document = { 'generator-other': { keep: true }, [GENERATOR_KEY]: { answers: { old: 1 }, extra: 'dropped' } };
    const state = { answers: { lang: 'ko' }, sampleApp: true, generated: { version: '0.1.0', files: { 'b.txt': HASH, '.gitignore': HASH, Dockerfile: HASH, 'a/b': HASH } } };
    const text = renderYoRc(document, state);
    const parsed = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(parsed['generator-other']).toEqual({ keep: true });
    expect(parsed[GENERATOR_KEY]).toEqual(state);
    expect(Object.keys((parsed[GENERATOR_KEY]!['generated'] as { files: object }).files)).toEqual(['.gitignore', 'Dockerfile', 'a/b', 'b.txt']);
    expect(text).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    // Same state in another insertion order: same bytes.
    const shuffled = { ...state, generated: { version: '0.1.0', files: { 'a/b': HASH, Dockerfile: HASH, 'b.txt': HASH, '.gitignore': HASH } } };
    expect(renderYoRc(document, shuffled)).toBe(text);
    // The input document is not modified, and what is written parses back to the state.
    expect(document[GENERATOR_KEY]).toEqual({ answers: { old: 1 }, extra: 'dropped' });
    expect(parseYoRc(text).state).toEqual(state);
  });
});
