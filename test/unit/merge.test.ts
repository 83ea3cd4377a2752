// Three-way merge of edited generated files (core/merge.ts, core/plan.ts), against an
// in-memory disk: the base recorded in .yo-rc.json (core/state.ts), the user's edit, the
// new version. Merged when the edits do not overlap, a conflict with its hunks when they
// do; a base is only trusted when it hashes to what was recorded; --force, "keep mine" and
// conflict markers; a sub-command's scope; the dry-run report.
import { describe, expect, it } from 'vitest';
import { mergeBlock } from '../../core/block.ts';
import { dryRunReport } from '../../core/diff.ts';
import { ConflictError, InputError } from '../../core/errors.ts';
import { sha256 } from '../../core/hash.ts';
import { describeHunks, MARKERS, threeWayMerge } from '../../core/merge.ts';
import { buildPlan, conflictError, conflictsOf, forcePlan, mergesOf, resolveConflict, scopePlan, type Plan, type PlanEntry } from '../../core/plan.ts';
import type { RenderedFile } from '../../core/rendered.ts';
import { baseLines, baseText, GENERATOR_KEY, parseYoRc, renderYoRc } from '../../core/state.ts';

const BASE = ['FROM node:24-bookworm-slim', 'WORKDIR /app', 'COPY package.json ./', 'RUN npm ci', 'COPY . .', 'USER node', 'EXPOSE 3000', 'CMD ["node", "server.js"]', ''].join('\n');
const withTz = BASE.replace('WORKDIR /app\n', 'WORKDIR /app\nENV TZ=Europe/Berlin\n');
const newPort = BASE.replace('EXPOSE 3000', 'EXPOSE 8080');

const gen = (path: string, content: string): RenderedFile => ({ path, content, kind: 'generated' });

function entry(plan: Plan, path: string): PlanEntry {
  const found = plan.entries.find((e) => e.path === path);
  expect(found, `no plan entry for ${path}`).toBeDefined();
  return found!;
}

/** A plan of one file: generated as `base` last time (hash and base recorded), `disk` on disk now, `next` rendered now. */
function planOf(base: string, disk: string, next: string, options: { recordBase?: string; path?: string } = {}): Plan {
  const path = options.path ?? 'Dockerfile';
  const stored = options.recordBase ?? base;
  return buildPlan([gen(path, next)], [], { [path]: sha256(base) }, (p) => (p === path ? disk : undefined), {}, (p) => (p === path ? stored : undefined));
}

describe('threeWayMerge (node-diff3, line by line)', () => {
  it('merges an edit and a change to other lines: both are in the result', () => {
    const merged = threeWayMerge(BASE, withTz, newPort);
    expect(merged).toEqual({ clean: true, content: withTz.replace('EXPOSE 3000', 'EXPOSE 8080') });
  });

  it('takes either side when the other did not change, and agrees when both made the same change', () => {
    expect(threeWayMerge(BASE, BASE, newPort)).toEqual({ clean: true, content: newPort });
    expect(threeWayMerge(BASE, withTz, BASE)).toEqual({ clean: true, content: withTz });
    expect(threeWayMerge(BASE, newPort, newPort)).toEqual({ clean: true, content: newPort });
  });

  it('keeps a missing final newline, and the final newline is a line like the others', () => {
    const mine = `${withTz.trimEnd()}`;
    const merged = threeWayMerge(BASE, mine, newPort);
    expect(merged?.clean).toBe(true);
    if (merged?.clean) expect(merged.content).toBe(mine.replace('EXPOSE 3000', 'EXPOSE 8080'));
  });

  it('overlapping changes: a conflict, its hunks in the three versions, and the file with diff3 markers', () => {
    const mine = BASE.replace('EXPOSE 3000', 'EXPOSE 5000');
    const merged = threeWayMerge(BASE, mine, newPort);
    expect(merged?.clean).toBe(false);
    if (!merged || merged.clean) return;
    expect(merged.hunks).toEqual([{ mine: { start: 7, length: 1 }, base: { start: 7, length: 1 }, theirs: { start: 7, length: 1 } }]);
    expect(merged.markers).toBe(BASE.replace('EXPOSE 3000\n', `${MARKERS.mine}\nEXPOSE 5000\n${MARKERS.base}\nEXPOSE 3000\n${MARKERS.split}\nEXPOSE 8080\n${MARKERS.theirs}\n`));
    expect(describeHunks('Dockerfile', merged.hunks)).toEqual(['Dockerfile hunk 1/1: yours line 7, generated before line 7, generated now line 7']);
  });

  it('lines the three share at both ends are left out of the merge; hunks still count from the file\'s first line', () => {
    const pad = (text: string) => `${'shared\n'.repeat(50)}${text}${'end\n'.repeat(50)}`;
    const merged = threeWayMerge(pad(BASE), pad(BASE.replace('EXPOSE 3000', 'EXPOSE 5000')), pad(newPort));
    expect(merged?.clean).toBe(false);
    if (merged && !merged.clean) {
      expect(merged.hunks).toEqual([{ mine: { start: 57, length: 1 }, base: { start: 57, length: 1 }, theirs: { start: 57, length: 1 } }]);
      expect(merged.markers.startsWith('shared\n'.repeat(50))).toBe(true);
      expect(merged.markers.endsWith('end\n'.repeat(50))).toBe(true);
    }
    expect(threeWayMerge(pad(BASE), pad(withTz), pad(newPort))).toEqual({ clean: true, content: pad(withTz.replace('EXPOSE 3000', 'EXPOSE 8080')) });
  });

  it('a merge that would take too long (a planted base of 5,000 identical lines) is refused at once: undefined, a conflict in the plan', () => {
    const base = 'x\n'.repeat(5000);
    const started = performance.now();
    expect(threeWayMerge(base, `y\n${base}`, `${base}z\n`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
    const plan = buildPlan([gen('Dockerfile', `${base}z\n`)], [], { Dockerfile: sha256(base) }, () => `y\n${base}`, {}, () => base);
    expect(entry(plan, 'Dockerfile')).toMatchObject({ action: 'conflict', note: 'too large or repetitive to merge line by line' });
    expect(conflictError(plan).message).toContain('Dockerfile: too large or repetitive to merge line by line');
  });

  it('an insertion next to a changed line overlaps it (as in diff3 and git)', () => {
    const mine = BASE.replace('EXPOSE 3000\n', 'EXPOSE 3000\nEXPOSE 9229\n');
    const merged = threeWayMerge(BASE, mine, newPort);
    expect(merged?.clean).toBe(false);
  });
});

describe('the plan merges a file the user edited', () => {
  it('edit + a new version elsewhere: `merge`, with both changes; the new version is recorded as generated', () => {
    const plan = planOf(BASE, withTz, newPort);
    const e = entry(plan, 'Dockerfile');
    expect(e.action).toBe('merge');
    expect(e.content).toBe(withTz.replace('EXPOSE 3000', 'EXPOSE 8080'));
    expect(e.generated).toBe(newPort);
    expect(e.hash).toBe(sha256(newPort));
    expect(plan.recorded['Dockerfile']).toBe(sha256(newPort));
    expect(plan.bases?.['Dockerfile']).toBe(newPort);
    expect(mergesOf(plan)).toEqual(['Dockerfile']);
    expect(conflictsOf(plan)).toEqual([]);
  });

  it('the next run, nothing new: the edit is kept (no conflict, nothing written)', () => {
    const merged = withTz.replace('EXPOSE 3000', 'EXPOSE 8080');
    const plan = planOf(newPort, merged, newPort);
    const e = entry(plan, 'Dockerfile');
    expect(e.action).toBe('keep');
    expect(e.content).toBe(merged);
    expect(conflictsOf(plan)).toEqual([]);
  });

  it('overlapping edits: a conflict with its hunks; what --force or "take the new version" writes is the new version', () => {
    const mine = BASE.replace('EXPOSE 3000', 'EXPOSE 5000');
    const plan = planOf(BASE, mine, newPort);
    const e = entry(plan, 'Dockerfile');
    expect(e.action).toBe('conflict');
    expect(e.overlap?.hunks).toHaveLength(1);
    expect(e.content).toBe(newPort);
    const error = conflictError(plan);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.files).toEqual(['Dockerfile']);
    expect(error.message).toContain('  - Dockerfile\n      Dockerfile hunk 1/1: yours line 7, generated before line 7, generated now line 7');
    expect(error.message).toContain('Nothing was written.');
  });

  it('a recorded base that does not hash to the recorded hash is not trusted: a conflict without hunks (the old behaviour)', () => {
    const plan = planOf(BASE, withTz, newPort, { recordBase: BASE.replace('USER node', 'USER root') });
    const e = entry(plan, 'Dockerfile');
    expect(e.action).toBe('conflict');
    expect(e.overlap).toBeUndefined();
  });

  it('no base recorded (a project generated before bases were kept): a conflict, as before', () => {
    const plan = buildPlan([gen('Dockerfile', newPort)], [], { Dockerfile: sha256(BASE) }, () => withTz);
    expect(entry(plan, 'Dockerfile').action).toBe('conflict');
  });

  it('a file the generator never wrote is never merged (no base): a conflict noted "not written by wpsn-docker"', () => {
    const plan = buildPlan([gen('Dockerfile', newPort)], [], {}, () => withTz, {}, () => BASE);
    expect(entry(plan, 'Dockerfile')).toMatchObject({ action: 'conflict', note: 'not written by wpsn-docker' });
  });

  it('the managed block: the user\'s edit inside the block merges with the new block; their lines around it stay', () => {
    const oldBlock = 'secrets/\nbackups/\n';
    const newBlock = 'secrets/\nbackups/\noffline/\n';
    const mineBlock = 'my-tmp/\nsecrets/\nbackups/\n';
    const disk = `node_modules/\n\n${mergeBlock(undefined, mineBlock)}`;
    const plan = buildPlan([{ path: '.gitignore', content: newBlock, kind: 'block' }], [], { '.gitignore': sha256(oldBlock) }, () => disk, {}, () => oldBlock);
    const e = entry(plan, '.gitignore');
    expect(e.action).toBe('merge');
    expect(e.content).toBe(`node_modules/\n\n${mergeBlock(undefined, 'my-tmp/\nsecrets/\nbackups/\noffline/\n')}`);
    expect(plan.bases?.['.gitignore']).toBe(newBlock);
  });

  it('starter files (the sample app) are never merged: kept quietly, and no base is recorded for them', () => {
    const plan = buildPlan([{ path: 'server.js', content: 'new\n', kind: 'starter' }], [], { 'server.js': sha256('old\n') }, () => 'mine\n', {}, () => 'old\n');
    expect(entry(plan, 'server.js').action).toBe('keep');
    expect(plan.bases).toEqual({});
  });
});

describe('settling edited files', () => {
  const mine = BASE.replace('EXPOSE 3000', 'EXPOSE 5000');

  it('keep mine: nothing written, the new version recorded (the next run merges against it)', () => {
    const plan = planOf(BASE, mine, newPort);
    resolveConflict(entry(plan, 'Dockerfile'), 'keep');
    expect(entry(plan, 'Dockerfile').action).toBe('keep');
    expect(plan.recorded['Dockerfile']).toBe(sha256(newPort));
  });

  it('take the new version: an update to the new version', () => {
    const plan = planOf(BASE, mine, newPort);
    resolveConflict(entry(plan, 'Dockerfile'), 'update');
    expect(entry(plan, 'Dockerfile')).toMatchObject({ action: 'update', content: newPort });
  });

  it('conflict markers: the merged file with each overlapping hunk marked', () => {
    const plan = planOf(BASE, mine, newPort);
    resolveConflict(entry(plan, 'Dockerfile'), 'markers');
    const e = entry(plan, 'Dockerfile');
    expect(e.action).toBe('merge');
    expect(e.content).toContain(`${MARKERS.mine}\nEXPOSE 5000\n${MARKERS.base}\nEXPOSE 3000\n${MARKERS.split}\nEXPOSE 8080\n${MARKERS.theirs}\n`);
    expect(e.note).toMatch(/1 conflict marked/);
  });

  it('--force: every edited file takes the new version, clean merges and edits with nothing new included', () => {
    const files = [gen('a', newPort), gen('b', newPort), gen('c', newPort)];
    const disk: Record<string, string> = { a: withTz, b: mine, c: withTz };
    const recorded = { a: sha256(BASE), b: sha256(BASE), c: sha256(newPort) };
    const bases: Record<string, string> = { a: BASE, b: BASE, c: newPort };
    const plan = buildPlan(files, [], recorded, (p) => disk[p], {}, (p) => bases[p]);
    expect(plan.entries.map((e) => e.action)).toEqual(['merge', 'conflict', 'keep']);
    forcePlan(plan);
    expect(plan.entries.map((e) => [e.action, e.content])).toEqual([
      ['update', newPort],
      ['update', newPort],
      ['update', newPort],
    ]);
  });
});

describe('a sub-command\'s scope (core/plan.ts scopePlan)', () => {
  it('an edit outside the scope is neither planned, asked about, forced, nor forgotten', () => {
    const files = [gen('Dockerfile', newPort), gen('scripts/push-ghcr.sh', 'push\n')];
    const recorded = { Dockerfile: sha256(BASE) };
    const full = buildPlan(files, [], recorded, (p) => (p === 'Dockerfile' ? BASE.replace('EXPOSE 3000', 'EXPOSE 5000') : undefined), {}, () => BASE);
    expect(conflictsOf(full)).toEqual(['Dockerfile']);
    const scoped = scopePlan(full, (p) => p.startsWith('scripts/'), recorded);
    expect(scoped.entries.map((e) => e.path)).toEqual(['scripts/push-ghcr.sh']);
    expect(conflictsOf(scoped)).toEqual([]);
    forcePlan(scoped);
    expect(scoped.entries.map((e) => e.path)).toEqual(['scripts/push-ghcr.sh']);
    // The Dockerfile keeps the hash it had: the next full run still sees the user's edit.
    expect(scoped.recorded).toEqual({ Dockerfile: sha256(BASE), 'scripts/push-ghcr.sh': sha256('push\n') });
  });
});

describe('.yo-rc.json keeps the bases as lines', () => {
  const state = (base: unknown) => JSON.stringify({ [GENERATOR_KEY]: { answers: {}, generated: { version: '1.0.0', files: { Dockerfile: sha256(BASE) }, base } } });

  it('round-trips a base exactly, final newline or not', () => {
    for (const text of [BASE, BASE.trimEnd(), '', '\n\n']) expect(baseText(baseLines(text))).toBe(text);
    const rendered = renderYoRc({}, { answers: {}, sampleApp: false, generated: { version: '1.0.0', files: { Dockerfile: sha256(BASE) }, base: { Dockerfile: baseLines(BASE) } } });
    expect(rendered).toContain('"FROM node:24-bookworm-slim",\n');
    const parsed = parseYoRc(rendered).state?.generated?.base?.['Dockerfile'];
    expect(baseText(parsed!)).toBe(BASE);
  });

  it('refuses a base of another shape, naming the field (exit 2 through InputError)', () => {
    expect(() => parseYoRc(state({ Dockerfile: 'FROM x' }))).toThrow(InputError);
    expect(() => parseYoRc(state({ Dockerfile: 'FROM x' }))).toThrow(/generator-wpsn-docker\.generated\.base\.Dockerfile .* must be the file's lines/);
    expect(() => parseYoRc(state({ '../etc/passwd': ['x'] }))).toThrow(/relative path inside the project/);
    expect(() => parseYoRc(state([]))).toThrow(/must be \{ path: \[lines\] \}/);
  });
});

describe('the dry run shows merges and conflicts', () => {
  it('a merge: the diff from the user\'s file to the merged one, counted as a merge; a conflict: its hunks', () => {
    const mine = BASE.replace('EXPOSE 3000', 'EXPOSE 5000');
    const disk: Record<string, string> = { a: withTz, b: mine };
    const plan = buildPlan([gen('a', newPort), gen('b', newPort)], [], { a: sha256(BASE), b: sha256(BASE) }, (p) => disk[p], {}, () => BASE);
    const { text, counts } = dryRunReport(plan.entries, { content: '', changed: false }, (p) => disk[p]);
    expect(counts).toMatchObject({ merge: 1, conflict: 1 });
    expect(text).toContain('# a: edited since it was generated; the new version merges with your edits (both kept):\n--- a/a\n+++ b/a\n');
    expect(text).toContain('-EXPOSE 3000\n+EXPOSE 8080\n');
    expect(text).toContain('# b: edited since it was generated, where the new version changes the same lines: a --yes run stops here (exit 3) and writes nothing, unless --force, which would write:\n#   b hunk 1/1: yours line 7, generated before line 7, generated now line 7\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe('dry run: 0 to create, 0 to update, 1 to merge with your edits, 0 to remove, 1 edited by you (conflicts); nothing was written');
    const forced = dryRunReport(plan.entries, { content: '', changed: false }, (p) => disk[p], { force: true });
    expect(forced.text).toContain('# a: edited since it was generated; --force overwrites it with:');
    expect(forced.counts).toMatchObject({ merge: 0, update: 1, conflict: 1 });
  });
});
