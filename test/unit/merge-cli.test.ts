// Three-way merge through the bin (issue 14): a sub-command plans only its own files (an
// edit elsewhere never blocks it, its --force never reaches it), and a generator upgrade
// (changed templates) merges the user's edits the same way as changed answers, from a
// project recorded as an older version wrote it (test/fixtures/upgrade/); a first run's
// report through Yeoman never says `force`.
import { appendFileSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, makeTempDir, read, removeTempDirs, runCli, snapshotTree, type RunResult } from './helpers/cli.ts';
import { runGenerator } from './helpers/yo.ts';

type Obj = Record<string, any>;

const expectExit = (result: RunResult, code: number): void => {
  expect(result.code, result.describe).toBe(code);
};

beforeAll(() => {
  ensureBuilt();
});

afterAll(() => {
  removeTempDirs();
});

const TZ = 'ENV TZ=Europe/Berlin\n';
const withTz = (dockerfile: string): string => dockerfile.replace('ENV NODE_ENV=production\n', `ENV NODE_ENV=production\n${TZ}`);

describe('wpsn-docker registry: only its own files', () => {
  it('an ENV TZ line in the Dockerfile never blocks it, nor does its --force touch the Dockerfile; an edited push script merges or stops at overlapping hunks', () => {
    const dir = join(makeTempDir('wpsn-merge-registry-'), 'demo');
    expectExit(runCli(join(dir, '..'), ['demo', '--yes', '--registry', 'ecr']), 0);
    const dockerfile = withTz(read(dir, 'Dockerfile'));
    expect(dockerfile).toContain(TZ);
    writeFileSync(join(dir, 'Dockerfile'), dockerfile);

    const added = runCli(dir, ['registry', '--registry', 'ecr,ghcr']);
    expectExit(added, 0);
    expect(added.stdout).toContain('    create scripts/push-ghcr.sh');
    expect(added.stdout).not.toContain('Dockerfile');
    expect(read(dir, 'Dockerfile')).toBe(dockerfile);

    // The user's line at the end of the ECR script merges with a new region.
    appendFileSync(join(dir, 'scripts/push-ecr.sh'), '# my note\n');
    const region = runCli(dir, ['registry', '--registry', 'ecr,ghcr', '--ecr-region', 'eu-west-1']);
    expectExit(region, 0);
    expect(region.stdout).toMatch(/^ +merge scripts\/push-ecr\.sh$/m);
    const script = read(dir, 'scripts/push-ecr.sh');
    expect(script).toContain("'eu-west-1'");
    expect(script.endsWith('# my note\n')).toBe(true);

    // The user's own region line against another new one: exit 3, the hunk named, nothing written.
    writeFileSync(join(dir, 'scripts/push-ecr.sh'), script.replace("'eu-west-1'", "'eu-north-1'"));
    const before = snapshotTree(dir);
    const blocked = runCli(dir, ['registry', '--registry', 'ecr,ghcr', '--ecr-region', 'eu-central-1']);
    expectExit(blocked, 3);
    expect(blocked.stderr).toMatch(/^ {2}- scripts\/push-ecr\.sh\n {6}scripts\/push-ecr\.sh hunk 1\/1: yours line \d+, generated before line \d+, generated now line \d+$/m);
    expect(blocked.stderr).not.toContain('Dockerfile');
    expect(snapshotTree(dir)).toEqual(before);

    // --force: the registry's files take the new version; the Dockerfile is outside its reach.
    const forced = runCli(dir, ['registry', '--registry', 'ecr,ghcr', '--ecr-region', 'eu-central-1', '--force']);
    expectExit(forced, 0);
    expect(read(dir, 'scripts/push-ecr.sh')).toContain("'eu-central-1'");
    expect(read(dir, 'scripts/push-ecr.sh')).not.toContain('# my note');
    expect(read(dir, 'Dockerfile')).toBe(dockerfile);

    // The app's own run still sees the edit, and keeps it: nothing new for it.
    const app = runCli(dir, ['--yes']);
    expectExit(app, 0);
    expect(app.stdout).toMatch(/^ +keep Dockerfile \(edited by you; the generated version has nothing new for it\)$/m);
    expect(read(dir, 'Dockerfile')).toBe(dockerfile);
  });
});

describe('a generator upgrade merges like changed answers', () => {
  /** A project as generator-wpsn-docker at commit 4296cdf wrote it (ARG BASE_IMAGE, then FROM ${BASE_IMAGE}), with merge bases recorded. */
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/upgrade/project-4296cdf.json', import.meta.url), 'utf8')) as { files: Record<string, string> };

  function oldProject(): string {
    const dir = join(makeTempDir('wpsn-merge-upgrade-'), 'demo');
    mkdirSync(dir);
    for (const [path, content] of Object.entries(fixture.files)) writeFileSync(join(dir, path), content);
    return dir;
  }

  /** What this version writes for the same answers, on a fresh project. */
  function current(path: string): string {
    const parent = makeTempDir('wpsn-merge-current-');
    expectExit(runCli(parent, ['demo', '--yes']), 0);
    return read(join(parent, 'demo'), path);
  }

  it('the recorded older Dockerfile differs from this version\'s where the base image is named', () => {
    expect(fixture.files['Dockerfile']).toContain('ARG BASE_IMAGE=node:24-bookworm-slim\n\nFROM ${BASE_IMAGE} AS base\n');
    expect(current('Dockerfile')).toContain('FROM node:24-bookworm-slim AS base\n');
  });

  it('an ENV TZ line added to the older Dockerfile is kept in the new one (merge, exit 0 with --yes); untouched files are updated', () => {
    const dir = oldProject();
    writeFileSync(join(dir, 'Dockerfile'), withTz(read(dir, 'Dockerfile')));
    const r = runCli(dir, ['--yes']);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^ +merge Dockerfile$/m);
    expect(read(dir, 'Dockerfile')).toBe(withTz(current('Dockerfile')));
    // Untouched generated files are this version's now.
    expect(read(dir, 'README.Docker.md')).toBe(current('README.Docker.md'));
    // The new base is what this version generated: the next run has nothing new, and keeps the edit.
    const state = (JSON.parse(read(dir, '.yo-rc.json')) as Obj)['generator-wpsn-docker'] as Obj;
    expect((state.generated.base.Dockerfile as string[]).join('\n')).toBe(current('Dockerfile'));
    const again = runCli(dir, ['--yes']);
    expectExit(again, 0);
    expect(again.stdout).toMatch(/^ +keep Dockerfile \(/m);
    expect(read(dir, 'Dockerfile')).toBe(withTz(current('Dockerfile')));
  });

  it('an edit of the lines the upgrade rewrote (the ARG default) stops a --yes run: exit 3 with the hunk, the tree byte-identical; --dry-run shows the same', () => {
    const dir = oldProject();
    writeFileSync(join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace('ARG BASE_IMAGE=node:24-bookworm-slim', 'ARG BASE_IMAGE=node:24.11-bookworm-slim'));
    const before = snapshotTree(dir);
    const dry = runCli(dir, ['--yes', '--dry-run']);
    expectExit(dry, 0);
    expect(dry.stdout).toContain('# Dockerfile: edited since it was generated, where the new version changes the same lines: a --yes run stops here (exit 3)');
    expect(dry.stdout).toMatch(/^# {3}Dockerfile hunk 1\/1: yours lines \d+-\d+, generated before lines \d+-\d+, generated now lines? \d+/m);
    const blocked = runCli(dir, ['--yes']);
    expectExit(blocked, 3);
    expect(blocked.stderr).toMatch(/^ {2}- Dockerfile\n {6}Dockerfile hunk 1\/1: /m);
    expect(blocked.stderr).toContain('Nothing was written.');
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('the report of a first run through Yeoman', () => {
  it('says create (or update, for a .gitignore of the user\'s) and config, never force: nothing goes through Yeoman\'s conflicter', async () => {
    const dir = realpathSync(makeTempDir('wpsn-merge-yo-'));
    writeFileSync(join(dir, '.gitignore'), 'dist/\n');
    let logged = '';
    await runGenerator(fileURLToPath(new URL('../../generators/app/index.ts', import.meta.url)), 'wpsn-docker:app', dir, { yes: true }).onGenerator((g) => {
      const log = (g as unknown as { log: { writeln: (text: string) => unknown } }).log;
      const writeln = log.writeln.bind(log);
      log.writeln = (text: string) => {
        logged += `${text}\n`;
        return writeln(text);
      };
    });
    expect(logged).toMatch(/^ +update \.gitignore$/m);
    expect(logged).toMatch(/^ +create Dockerfile$/m);
    expect(logged).toMatch(/^ +config \.yo-rc\.json$/m);
    expect(logged).not.toMatch(/\bforce\b/);
    expect(read(dir, '.gitignore').startsWith('dist/\n')).toBe(true);
  });
});

describe('.yo-resolve never decides for the user', () => {
  it('a remembered "force" for the Dockerfile neither overwrites it under --yes (exit 3, nothing written) nor skips the question interactively', async () => {
    const dir = realpathSync(makeTempDir('wpsn-merge-resolve-'));
    expectExit(runCli(dir, ['--yes']), 0);
    writeFileSync(join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace(/^EXPOSE \d+$/m, 'EXPOSE 9999'));
    // What Yeoman's conflicter writes when one answers "force" and asks it to remember.
    writeFileSync(join(dir, '.yo-resolve'), 'Dockerfile force\n');
    const generator = fileURLToPath(new URL('../../generators/app/index.ts', import.meta.url));
    const before = snapshotTree(dir);
    let failure: (Error & { code?: unknown }) | undefined;
    try {
      await runGenerator(generator, 'wpsn-docker:app', dir, { yes: true, port: '8080' });
    } catch (error) {
      failure = error as Error & { code?: unknown };
    }
    expect(failure?.name).toBe('ConflictError');
    expect(failure?.code).toBe(3);
    expect(snapshotTree(dir)).toEqual(before);
    // The bin, the same.
    expectExit(runCli(dir, ['--yes', '--port', '8080']), 3);
    expect(snapshotTree(dir)).toEqual(before);
    // Interactively the question is still asked, and the answer is what happens.
    const result = await runGenerator(generator, 'wpsn-docker:app', dir, { port: '8080' }).withAnswers({ choice: 'keep' });
    expect(result.askedQuestions.map((q: { name: string }) => q.name)).toEqual(['choice']);
    expect(read(dir, 'Dockerfile')).toMatch(/^EXPOSE 9999$/m);
  });
});
