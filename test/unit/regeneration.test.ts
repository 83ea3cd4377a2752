// Regeneration never loses anything. With every registry, deploy target, a database and
// the workshop kit (so that every kind of generated file is there):
// - every generated file, edited, is a conflict in a plan without merge bases (file by
//   file); through the bin, where .yo-rc.json records the bases, the edits merge with the
//   new answers (exit 0, both changes in each file), edits that overlap the new version's
//   changes stop the run (exit 3 naming the file and its hunks, nothing written), and
//   --force rewrites them all, secrets stay;
//   an edited sample file is kept quietly; the .gitignore block conflicts only when the
//   block itself was edited;
// - deleted files are recreated as they were; files the user added are never touched;
// - changing answers (database, registries, deploy targets, language, port) changes
//   exactly the files whose rendering changed, and the run's report names exactly those;
// - removing a target removes only the files the generator made and the user did not
//   change; edited ones are reported, kept, and forgotten (re-adding the target then
//   stops at them instead of overwriting them);
// - secrets are never rotated, by any run;
// - --dry-run (bin and Yeoman generator) prints a unified diff per file that, applied to
//   the old file, gives exactly what the real run writes; secrets are named, never shown;
//   a summary line; exit 0; nothing written.
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readdirSync, readFileSync, realpathSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBlock } from '../../core/block.ts';
import { applyUnifiedDiff, dryRunReport, unifiedDiff } from '../../core/diff.ts';
import { sha256 } from '../../core/hash.ts';
import { deriveModel } from '../../core/model.ts';
import { buildPlan, conflictsOf } from '../../core/plan.ts';
import { renderAppFiles, type RenderedFile } from '../../core/render/files.ts';
import { resolveSpec } from '../../core/spec.ts';
import { ensureBuilt, makeTempDir, read, removeTempDirs, runCli, snapshotTree, type RunResult, type TreeEntry } from './helpers/cli.ts';

type Obj = Record<string, any>;

const ALL = ['--registry', 'dockerhub,ecr,gar,acr,ghcr,registry', '--deploy', 'swarm,kubernetes,ecs,aca', '--database', 'postgres', '--workshop'];
const ALL_SPEC = {
  registries: { targets: ['dockerhub', 'ecr', 'gar', 'acr', 'ghcr', 'registry'] },
  deploy: { targets: ['swarm', 'kubernetes', 'ecs', 'aca'] },
  database: { kind: 'postgres' },
  workshop: true,
};

function expectExit(result: RunResult, code: number): void {
  expect(result.code, result.describe).toBe(code);
}

function scaffold(args: readonly string[] = ALL): string {
  const parent = makeTempDir('wpsn-regen-');
  expectExit(runCli(parent, ['demo', '--yes', ...args]), 0);
  return join(parent, 'demo');
}

/** Every file under root: path -> content (directories left out). */
function contents(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return out;
}

const secretsOf = (tree: Map<string, string>) => new Map([...tree].filter(([p]) => p.startsWith('secrets/')));

/** Every secret that existed before is still there, byte for byte. */
function expectSecretsKept(before: Map<string, string>, after: Map<string, string>, where: string): void {
  for (const [path, content] of secretsOf(before)) expect(after.get(path), `${where}: ${path} was rotated or lost`).toBe(content);
}

/** Paths whose snapshot entry was added, removed or changed. */
function changedPaths(before: Record<string, TreeEntry>, after: Record<string, TreeEntry>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((p) => !p.endsWith('/'))
    .filter((p) => JSON.stringify(before[p]) !== JSON.stringify(after[p]))
    .sort();
}

/** What the core renders for the answers recorded in a project's .yo-rc.json. */
function renderRecorded(dir: string): { files: RenderedFile[]; secrets: string[] } {
  const state = (JSON.parse(read(dir, '.yo-rc.json')) as Obj)['generator-wpsn-docker'] as Obj;
  const spec = resolveSpec([{ source: '.yo-rc.json', values: state.answers as Obj }], { dirName: 'demo' });
  const model = deriveModel(spec, { sampleApp: state.sampleApp === true });
  return { files: renderAppFiles(model), secrets: model.secrets.map((s) => s.file) };
}

/** The comparable content of a rendered file: the block for the managed .gitignore block. */
const comparable = (file: RenderedFile): string => (file.kind === 'block' ? `block:${file.content}` : file.content);

/** The report lines of a bin run: label -> paths. */
function reported(stdout: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of stdout.matchAll(/^\s+(create|update|merge|remove|keep|config|clean) (\S+)/gm)) (out[m[1]!] ??= []).push(m[2]!);
  for (const list of Object.values(out)) list.sort();
  return out;
}

afterAll(() => {
  removeTempDirs();
});

beforeAll(() => {
  ensureBuilt();
});

// ---------------------------------------------------------------------------------

describe('edited files: a conflict without a base; through the bin, merged, or stopped at overlapping edits', () => {
  const spec = resolveSpec([{ source: 'test', values: ALL_SPEC }], { dirName: 'demo' });
  const files = renderAppFiles(deriveModel(spec, { sampleApp: true }));
  const recorded = Object.fromEntries(files.map((f) => [f.path, sha256(f.kind === 'block' ? f.content : f.content)]));
  const onDisk = (edit?: { path: string; content: string }) => {
    const disk = new Map(files.map((f) => [f.path, f.kind === 'block' ? `node_modules/\n# >>> generator-wpsn-docker (managed block; edit outside it)\n${f.content}# <<< generator-wpsn-docker\n` : f.content]));
    if (edit) disk.set(edit.path, edit.content);
    return (path: string) => disk.get(path);
  };

  it('renders every kind of file (generated, starter, block) for the test', () => {
    const kinds = new Set(files.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['block', 'generated', 'starter']);
    expect(files.length).toBeGreaterThanOrEqual(40);
    const untouched = buildPlan(files, [], recorded, onDisk());
    expect(untouched.entries.every((e) => e.action === 'unchanged'), JSON.stringify(untouched.entries.filter((e) => e.action !== 'unchanged'))).toBe(true);
  });

  it.each(files.filter((f) => f.kind === 'generated').map((f) => [f.path, f] as const))('%s edited: a conflict, and only it', (_path, file) => {
    const plan = buildPlan(files, [], recorded, onDisk({ path: file.path, content: `${file.content}# my edit\n` }));
    expect(conflictsOf(plan)).toEqual([file.path]);
    expect(plan.entries.filter((e) => e.action !== 'unchanged').map((e) => e.path)).toEqual([file.path]);
    // The dry run says so, and shows what --force would write.
    const text = dryRunReport(plan.entries, { content: '', changed: false }, onDisk({ path: file.path, content: `${file.content}# my edit\n` })).text;
    expect(text).toContain(`# ${file.path}: edited since it was generated: a --yes run stops here (exit 3)`);
    expect(text).toContain('-# my edit');
  });

  it.each(files.filter((f) => f.kind === 'starter').map((f) => [f.path, f] as const))('%s (the sample app) edited: kept quietly, no conflict', (_path, file) => {
    const plan = buildPlan(files, [], recorded, onDisk({ path: file.path, content: `${file.content}// mine\n` }));
    expect(conflictsOf(plan)).toEqual([]);
    expect(plan.entries.find((e) => e.path === file.path)?.action).toBe('keep');
  });

  it('.gitignore: the user\'s own lines are no conflict; an edited block is', () => {
    const block = files.find((f) => f.kind === 'block')!;
    const mine = buildPlan(files, [], recorded, onDisk({ path: block.path, content: `${onDisk()(block.path)}my-own-line\n` }));
    expect(conflictsOf(mine)).toEqual([]);
    const edited = onDisk()(block.path)!.replace(extractBlock(onDisk()(block.path))!, `${block.content}inside-the-block\n`);
    expect(conflictsOf(buildPlan(files, [], recorded, onDisk({ path: block.path, content: edited })))).toEqual([block.path]);
  });

  it('through the bin: every generated file edited -> merged with the new answers (exit 0, both changes in each); overlapping edits -> exit 3 with the hunks, nothing written; --force rewrites them all, secrets stay', () => {
    const dir = scaffold();
    const state = (JSON.parse(read(dir, '.yo-rc.json')) as Obj)['generator-wpsn-docker'] as Obj;
    const generated = Object.keys(state.generated.files as Obj).filter((p) => files.find((f) => f.path === p)?.kind === 'generated');
    expect(generated.length).toBeGreaterThanOrEqual(35);
    // The merge base of every generated file is recorded with its hash.
    expect(Object.keys(state.generated.base as Obj).sort()).toEqual(Object.keys(state.generated.files as Obj).filter((p) => files.find((f) => f.path === p)?.kind !== 'starter').sort());
    for (const path of generated) appendFileSync(join(dir, path), '# my edit\n');
    const before = contents(dir);
    const merged = runCli(dir, ['--yes', '--host-port', '4000']);
    expectExit(merged, 0);
    const afterMerge = contents(dir);
    const rendered = new Map(renderRecorded(dir).files.map((f) => [f.path, f.content]));
    const lines = reported(merged.stdout);
    for (const path of generated) {
      // The new version with the user's line still at its end.
      expect(afterMerge.get(path), path).toBe(`${rendered.get(path)}# my edit\n`);
      if (afterMerge.get(path) !== before.get(path)) expect(merged.stdout, `${path} reported as merged`).toMatch(new RegExp(`^ +merge ${path.replaceAll('.', '\\.')}$`, 'm'));
    }
    expect(lines['merge']?.length, 'the host port changes some generated files').toBeGreaterThan(0);
    expect(lines['update'] ?? []).toEqual([]);
    expectSecretsKept(before, afterMerge, 'the merge');

    // The user changes the published port by hand where the new answer changes it too: exit 3, the hunk named, nothing written.
    const compose = read(dir, 'docker-compose.yml');
    expect(compose).toContain('127.0.0.1:4000:');
    writeFileSync(join(dir, 'docker-compose.yml'), compose.replace('127.0.0.1:4000:', '127.0.0.1:4100:'));
    const snapshot = snapshotTree(dir);
    const blocked = runCli(dir, ['--yes', '--host-port', '4200']);
    expectExit(blocked, 3);
    expect(blocked.stderr).toMatch(/^  - docker-compose\.yml\n      docker-compose\.yml hunk 1\/1: yours line \d+, generated before line \d+, generated now line \d+$/m);
    expect(blocked.stderr).toContain('Nothing was written.');
    expect(snapshotTree(dir), 'nothing written, not even the merges of the other files').toEqual(snapshot);

    const secrets = secretsOf(contents(dir));
    const forced = runCli(dir, ['--yes', '--force', '--host-port', '4000']);
    expectExit(forced, 0);
    const after = contents(dir);
    for (const path of generated) expect(after.get(path), path).not.toContain('# my edit\n');
    expectSecretsKept(new Map(secrets), after, '--force');
    // Now what the core renders for the new answers, byte for byte.
    for (const file of renderRecorded(dir).files.filter((f) => f.kind === 'generated')) expect(after.get(file.path), file.path).toBe(file.content);
  });
});

describe('deleted files are recreated; files the user added are never touched', () => {
  it('every file deleted (secrets aside) comes back byte for byte, with its mode', () => {
    const dir = scaffold();
    const before = snapshotTree(dir);
    const deleted = Object.keys(before).filter((p) => !p.endsWith('/') && !p.startsWith('secrets/') && p !== '.yo-rc.json');
    for (const path of deleted) unlinkSync(join(dir, path));
    const r = runCli(dir, ['--yes']);
    expectExit(r, 0);
    expect(reported(r.stdout)['create']).toEqual([...deleted].sort());
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a deleted secret is made again (a new password; the ACL follows it); the other secrets stay', () => {
    const dir = scaffold();
    const before = contents(dir);
    unlinkSync(join(dir, 'secrets/redis_password'));
    expectExit(runCli(dir, ['--yes']), 0);
    const after = contents(dir);
    const password = after.get('secrets/redis_password')!;
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(password).not.toBe(before.get('secrets/redis_password'));
    expect(after.get('secrets/redis.acl')).toContain(createHash('sha256').update(password.trim()).digest('hex'));
    expect(after.get('secrets/db_password')).toBe(before.get('secrets/db_password'));
  });

  it('the user\'s own files, anywhere (secrets/, scripts/, deploy/<target>/, .github/workflows/), survive every kind of re-run', () => {
    const dir = scaffold();
    const mine: Record<string, string> = {
      'notes.md': '# my notes\n',
      'scripts/backup.sh': '#!/bin/sh\necho mine\n',
      'secrets/api_key': 'my-api-key\n',
      'deploy/kubernetes/base/my-configmap.yaml': 'kind: ConfigMap\n',
      'deploy/swarm/local.env': 'X=1\n',
      '.github/workflows/ci.yml': 'on: push\n',
    };
    for (const [path, text] of Object.entries(mine)) writeFileSync(join(dir, path), text);
    appendFileSync(join(dir, '.gitignore'), 'my-own-line\n');
    const runs = [
      ['--yes'],
      ['--yes', '--database', 'mysql'],
      ['--yes', '--registry', 'none', '--deploy', 'none'],
      ['--yes', '--force', '--lang', 'ko'],
      ['--yes', ...ALL],
    ];
    for (const args of runs) {
      const r = runCli(dir, args);
      expectExit(r, 0);
      for (const [path, text] of Object.entries(mine)) expect(read(dir, path), `${path} after ${args.join(' ')}`).toBe(text);
      expect(read(dir, '.gitignore'), `.gitignore after ${args.join(' ')}`).toContain('my-own-line\n');
      expect(r.stdout).not.toMatch(/notes\.md|scripts\/backup\.sh|api_key|my-configmap|local\.env|ci\.yml/);
    }
  });
});

describe('changing answers changes exactly the affected files; secrets are never rotated', () => {
  const steps: Array<[string, string[]]> = [
    ['a database', ['--database', 'postgres']],
    ['another database', ['--database', 'mysql']],
    ['registries', ['--registry', 'ecr,ghcr']],
    ['other registries and a deploy target', ['--registry', 'ghcr,registry', '--deploy', 'swarm']],
    ['other deploy targets and the language', ['--deploy', 'kubernetes,aca', '--lang', 'ko']],
    ['the port', ['--port', '8080']],
    ['no database, registry or target', ['--database', 'none', '--registry', 'none', '--deploy', 'none']],
  ];
  let dir = '';
  let secrets = new Map<string, string>();
  beforeAll(() => {
    dir = scaffold([]);
    secrets = secretsOf(contents(dir));
  });

  it.each(steps)('%s: the files that changed on disk are exactly the files whose rendering changed', (_label, args) => {
    const before = snapshotTree(dir);
    const beforeContents = contents(dir);
    const old = renderRecorded(dir);
    const r = runCli(dir, ['--yes', ...args]);
    expectExit(r, 0);
    const neu = renderRecorded(dir);
    const oldBy = new Map(old.files.map((f) => [f.path, comparable(f)]));
    const newBy = new Map(neu.files.map((f) => [f.path, comparable(f)]));
    const expected = new Set<string>(['.yo-rc.json']);
    for (const path of new Set([...oldBy.keys(), ...newBy.keys()])) if (oldBy.get(path) !== newBy.get(path)) expected.add(path);
    for (const secret of neu.secrets) if (!beforeContents.has(secret)) expected.add(secret);
    const actual = changedPaths(before, snapshotTree(dir));
    expect(actual).toEqual([...expected].sort());
    // The report names exactly those files.
    const lines = reported(r.stdout);
    expect([...(lines['create'] ?? []), ...(lines['update'] ?? []), ...(lines['remove'] ?? []), ...(lines['config'] ?? [])].sort()).toEqual(actual);
    // Secrets: never rotated; the new ones are added to what we track.
    const now = contents(dir);
    expectSecretsKept(secrets, now, args.join(' '));
    for (const [path, text] of secretsOf(now)) if (!secrets.has(path)) secrets.set(path, text);
  });

  it('after all the changes, every secret ever made is still there, unchanged (a removed database keeps its password files)', () => {
    expectSecretsKept(secrets, contents(dir), 'the end');
    expect([...secrets.keys()].sort()).toEqual(['secrets/db_admin_password', 'secrets/db_password', 'secrets/db_root_password', 'secrets/redis.acl', 'secrets/redis_admin_password', 'secrets/redis_password']);
  });
});

describe('removing a target removes only what the generator made and the user did not change', () => {
  it('edited files of a removed target are reported and kept (then forgotten); untouched ones go; the user\'s files stay', () => {
    const dir = scaffold(['--registry', 'ecr,ghcr', '--deploy', 'swarm,kubernetes']);
    appendFileSync(join(dir, 'scripts/push-ecr.sh'), '# my edit\n');
    appendFileSync(join(dir, 'deploy/kubernetes/base/app-service.yaml'), '# my edit\n');
    writeFileSync(join(dir, 'deploy/kubernetes/base/mine.yaml'), 'kind: Secret\n');
    const kept = ['scripts/push-ecr.sh', 'deploy/kubernetes/base/app-service.yaml'];
    const before = contents(dir);
    const ecrAndKubernetes = [...before.keys()].filter((p) => /push-ecr|publish-ecr|kubernetes/.test(p) && p !== 'deploy/kubernetes/base/mine.yaml');
    expect(ecrAndKubernetes.length).toBeGreaterThan(kept.length + 3);

    const r = runCli(dir, ['--yes', '--registry', 'ghcr', '--deploy', 'swarm']);
    expectExit(r, 0);
    const lines = reported(r.stdout);
    expect(lines['keep']).toEqual([...kept].sort());
    expect(lines['remove']).toEqual(ecrAndKubernetes.filter((p) => !kept.includes(p)).sort());
    const after = contents(dir);
    for (const path of kept) expect(after.get(path), path).toBe(before.get(path));
    expect(after.get('deploy/kubernetes/base/mine.yaml')).toBe('kind: Secret\n');
    for (const path of lines['remove']!) expect(after.has(path), path).toBe(false);
    expectSecretsKept(before, after, 'removing targets');
    // Forgotten: no longer recorded, so a run without those targets leaves them be...
    const recorded = Object.keys(((JSON.parse(read(dir, '.yo-rc.json')) as Obj)['generator-wpsn-docker'] as Obj).generated.files as Obj);
    for (const path of kept) expect(recorded).not.toContain(path);
    expect(runCli(dir, ['--yes']).stdout).toContain('up to date: nothing changed');
    // ...and bringing ecr back stops at the user's script instead of overwriting it.
    const snapshot = snapshotTree(dir);
    const back = runCli(dir, ['--yes', '--registry', 'ecr,ghcr']);
    expectExit(back, 3);
    expect(back.stderr).toMatch(/^  - scripts\/push-ecr\.sh$/m);
    expect(snapshotTree(dir)).toEqual(snapshot);
  });
});

// ---------------------------------------------------------------------------------

/** Splits a dry-run report into per-file diffs, notes and the summary line. */
function parseDryRun(stdout: string): { diffs: Map<string, string>; notes: string[]; summary: string } {
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const summary = lines.pop() ?? '';
  const diffs = new Map<string, string>();
  const notes: string[] = [];
  let current: { path: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) diffs.set(current.path, `${current.lines.join('\n')}\n`);
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      flush();
      const plus = lines[i + 1]!;
      const path = plus === '+++ /dev/null' ? line.slice('--- a/'.length) : plus.slice('+++ b/'.length);
      current = { path, lines: [line] };
    } else if (line.startsWith('# ') && !/^[ +\-@\\]/.test(line)) {
      flush();
      notes.push(line);
    } else if (current) current.lines.push(line);
    else throw new Error(`an unexpected line in the dry run: ${line}`);
  }
  flush();
  return { diffs, notes, summary };
}

describe('--dry-run prints a diff per file and writes nothing', () => {
  it('unifiedDiff and applyUnifiedDiff agree (created, removed, changed, final newline)', () => {
    const cases: Array<[string | undefined, string | undefined]> = [
      [undefined, 'a\nb\n'],
      ['a\nb\n', undefined],
      ['a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nB\nc\nd\ne\nf\ng\nH\ni\n'],
      ['x', 'x\n'],
      ['x\n', 'x'],
      ['', 'y\n'],
    ];
    for (const [a, b] of cases) expect(applyUnifiedDiff(a, unifiedDiff('f', a, b))).toBe(b);
    expect(unifiedDiff('f', 'same\n', 'same\n')).toBe('');
    expect(unifiedDiff('f', 'a\nb\nc\n', 'a\nB\nc\n')).toBe('--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  });

  it('the bin: the diffs applied to the old files give exactly what the real run writes; secrets named, never shown; nothing written', () => {
    const dir = scaffold();
    const args = ['--yes', '--database', 'mysql', '--lang', 'ko', '--registry', 'ecr,ghcr', '--deploy', 'kubernetes', '--port', '8080'];
    const before = snapshotTree(dir);
    const oldContents = contents(dir);
    const dry = runCli(dir, [...args, '--dry-run']);
    expectExit(dry, 0);
    expect(snapshotTree(dir), 'a dry run writes nothing').toEqual(before);
    const { diffs, summary } = parseDryRun(dry.stdout);

    // The real run, on a copy.
    const copy = join(makeTempDir('wpsn-regen-real-'), 'demo');
    cpSync(dir, copy, { recursive: true });
    const real = runCli(copy, args);
    expectExit(real, 0);
    const after = contents(copy);
    const changed = changedPaths(before, snapshotTree(copy));
    expect([...diffs.keys()].sort(), 'one diff per file the real run changed').toEqual(changed);
    for (const [path, diff] of diffs) {
      if (path.startsWith('secrets/')) {
        expect(diff, path).toMatch(/^\(secret, (created|updated)\)$/m);
        expect(diff.split('\n').filter((l) => /^[+-][^+-]/.test(l)), `${path}: no content shown`).toEqual([]);
        continue;
      }
      expect(applyUnifiedDiff(oldContents.get(path), diff), `${path}: the diff applied to the old file`).toBe(after.get(path));
    }
    for (const [path, text] of secretsOf(oldContents)) expect(dry.stdout, `${path} is shown`).not.toContain(text.trim());
    for (const [path, text] of secretsOf(after)) if (!oldContents.has(path)) expect(dry.stdout, `${path} is shown`).not.toContain(text.trim());
    const lines = reported(real.stdout);
    expect(summary).toBe(
      `dry run: ${lines['create']?.length ?? 0} to create, ${lines['update']?.length ?? 0} to update, ${lines['remove']?.length ?? 0} to remove, 0 edited by you (conflicts), .yo-rc.json to update; nothing was written`,
    );
  });

  it('the bin: edited files are shown merged, or as conflicts with their hunks (what --force would write); still exit 0 and nothing written', () => {
    const dir = scaffold([]);
    appendFileSync(join(dir, 'Dockerfile'), '# my edit\n');
    appendFileSync(join(dir, 'server.js'), '// mine\n');
    const before = snapshotTree(dir);
    const dry = runCli(dir, ['--yes', '--dry-run', '--port', '8080']);
    expectExit(dry, 0);
    expect(snapshotTree(dir)).toEqual(before);
    const { diffs, notes, summary } = parseDryRun(dry.stdout);
    expect(notes).toContain('# Dockerfile: edited since it was generated; the new version merges with your edits (both kept):');
    expect(notes).toContain('# server.js: your edited version is kept');
    expect(diffs.get('Dockerfile')).toContain('+EXPOSE 8080');
    expect(diffs.get('Dockerfile')).not.toContain('-# my edit');
    expect(diffs.has('server.js')).toBe(false);
    expect(summary).toMatch(/, 1 to merge with your edits, 0 to remove, 0 edited by you \(conflicts\)/);
    // What the real run writes, on a copy: the same merge.
    const copy = join(makeTempDir('wpsn-regen-merge-'), 'demo');
    cpSync(dir, copy, { recursive: true });
    const real = runCli(copy, ['--yes', '--port', '8080']);
    expectExit(real, 0);
    expect(real.stdout).toMatch(/^ +merge Dockerfile$/m);
    expect(applyUnifiedDiff(read(dir, 'Dockerfile'), diffs.get('Dockerfile')!)).toBe(read(copy, 'Dockerfile'));

    // An edit of the line the new answer changes: a conflict, its hunk listed.
    writeFileSync(join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace(/^EXPOSE \d+$/m, 'EXPOSE 9999'));
    const conflicted = snapshotTree(dir);
    const dry2 = runCli(dir, ['--yes', '--dry-run', '--port', '8080']);
    expectExit(dry2, 0);
    const second = parseDryRun(dry2.stdout);
    expect(second.notes).toContain('# Dockerfile: edited since it was generated, where the new version changes the same lines: a --yes run stops here (exit 3) and writes nothing, unless --force, which would write:');
    expect(second.notes.some((n) => /^# {3}Dockerfile hunk 1\/1: yours line \d+, generated before line \d+, generated now line \d+$/.test(n)), second.notes.join('\n')).toBe(true);
    expect(second.diffs.get('Dockerfile')).toContain('-EXPOSE 9999');
    expect(second.summary).toMatch(/, 1 edited by you \(conflicts\)/);
    const forced = runCli(dir, ['--yes', '--dry-run', '--force', '--port', '8080']);
    expect(parseDryRun(forced.stdout).notes).toContain('# Dockerfile: edited since it was generated, where the new version changes the same lines; --force overwrites it with:');
    expect(snapshotTree(dir)).toEqual(conflicted);
  });

  it('the bin: a new destination is not created; an up-to-date project says so', () => {
    const parent = makeTempDir('wpsn-regen-dry-');
    const dry = runCli(parent, ['fresh', '--yes', '--dry-run']);
    expectExit(dry, 0);
    expect(snapshotTree(parent)).toEqual({});
    const { diffs, summary } = parseDryRun(dry.stdout);
    expect(diffs.get('secrets/redis_password')).toBe('--- /dev/null\n+++ b/secrets/redis_password\n(secret, created)\n');
    expect(diffs.get('Dockerfile')).toMatch(/^--- \/dev\/null\n\+\+\+ b\/Dockerfile\n@@ -0,0 \+1,\d+ @@\n/);
    expect(summary).toMatch(/^dry run: \d+ to create, 0 to update, 0 to remove, 0 edited by you \(conflicts\), \.yo-rc\.json to update; nothing was written$/);
    const dir = scaffold([]);
    expect(runCli(dir, ['--yes', '--dry-run']).stdout).toBe('dry run: up to date, nothing would change; nothing was written\n');
  });

  it('the Yeoman generator: the same diff, nothing written (yo wpsn-docker --dry-run)', async () => {
    const dir = realpathSync(scaffold([]));
    const before = snapshotTree(dir);
    const mtimes = Object.fromEntries(Object.keys(before).filter((p) => !p.endsWith('/')).map((p) => [p, statSync(join(dir, p)).mtimeMs]));
    const expected = runCli(dir, ['--yes', '--dry-run', '--database', 'postgres']);
    expectExit(expected, 0);
    let logged = '';
    const generator = fileURLToPath(new URL('../../generators/app/index.ts', import.meta.url));
    await helpers
      .run(generator, { namespace: 'wpsn-docker:app', forwardCwd: true }, { force: false } as never)
      .cd(dir)
      .withOptions({ force: false, yes: true, 'dry-run': true, database: 'postgres' } as never)
      .onGenerator((g) => {
        const log = (g as unknown as { log: { write: (text: string) => unknown } }).log;
        const write = log.write.bind(log);
        log.write = (text: string) => {
          logged += text;
          return write(text);
        };
      });
    expect(snapshotTree(dir)).toEqual(before);
    for (const [path, mtime] of Object.entries(mtimes)) expect(statSync(join(dir, path)).mtimeMs, `${path} untouched`).toBe(mtime);
    // The same report as the bin's (the new password file aside: it is only named).
    expect(logged).toBe(expected.stdout);
    expect(logged).toContain('(secret, created)');
    expect(logged).toContain('+++ b/docker-compose.yml');
  });

  it("the Yeoman generator under Yeoman's own dry run (the environment's dryRun, as `yo ... --dry-run` sets it): the same diff, nothing written", async () => {
    const dir = realpathSync(scaffold([]));
    const before = snapshotTree(dir);
    const expected = runCli(dir, ['--yes', '--dry-run', '--lang', 'ko']);
    let logged = '';
    const generator = fileURLToPath(new URL('../../generators/app/index.ts', import.meta.url));
    await helpers
      .run(generator, { namespace: 'wpsn-docker:app', forwardCwd: true }, { force: false, dryRun: true } as never)
      .cd(dir)
      .withOptions({ force: false, yes: true, lang: 'ko' } as never)
      .onGenerator((g) => {
        const log = (g as unknown as { log: { write: (text: string) => unknown } }).log;
        const write = log.write.bind(log);
        log.write = (text: string) => {
          logged += text;
          return write(text);
        };
      });
    expect(snapshotTree(dir)).toEqual(before);
    expect(logged).toBe(expected.stdout);
    expect(logged).toMatch(/^dry run: 0 to create, 1 to update, 0 to remove/m);
  });
});
