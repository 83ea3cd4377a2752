// Security: scripts/offline-load.sh loads only what the workshop leader bundled.
//
// The archive, its image list and SHA256SUMS travel together (a USB stick, a file share),
// so the sums only show that a copy is not damaged. Two defences, each tested here against
// a fake `docker` that records its calls: --expect-sha256 (a value published apart from
// the archive) proves who made it, and the archive may tag nothing images.txt does not
// list: refused before loading when its manifest says so (real tar archives built here,
// with the tricks a JSON parser would fall for), taken back after loading otherwise.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { resolveSpec } from '../../core/spec.ts';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const APP = 'shop-app:latest';
const BASE = 'node:24-bookworm-slim';
const IDS: Record<string, string> = { [BASE]: `sha256:${'a'.repeat(64)}`, [APP]: `sha256:${'b'.repeat(64)}` };
const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

const SCRIPT = (() => {
  const spec = resolveSpec([{ source: 'test', values: { projectName: 'shop', workshop: true } }], { dirName: 'shop' });
  return renderAppFiles(deriveModel(spec, { sampleApp: true })).find((f) => f.path === 'scripts/offline-load.sh')!.content;
})();

/** A gzip-compressed tar of these files, made by tar itself (as docker save's output is one). */
function tarGz(dir: string, files: Record<string, string>): Buffer {
  const src = join(dir, 'archive-src');
  mkdirSync(src, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(src, name), text);
  const out = join(dir, 'archive.tar.gz');
  const r = spawnSync('tar', ['-czf', out, '-C', src, ...Object.keys(files)], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  rmSync(src, { recursive: true, force: true });
  return readFileSync(out);
}

/** What docker save writes for these tags, as far as the script reads it. */
function dockerSave(tags: string[], extra: Record<string, string> = {}): Record<string, string> {
  return {
    'manifest.json': JSON.stringify([{ Config: `blobs/sha256/${'c'.repeat(64)}`, RepoTags: tags, Layers: [`blobs/sha256/${'d'.repeat(64)}`] }]),
    'index.json': JSON.stringify({
      schemaVersion: 2,
      manifests: tags.map((t) => ({ digest: `sha256:${'e'.repeat(64)}`, annotations: { 'io.containerd.image.name': `docker.io/library/${t}`, 'org.opencontainers.image.ref.name': t.split(':')[1] } })),
    }),
    repositories: JSON.stringify(Object.fromEntries(tags.map((t) => [t.split(':')[0], { [t.split(':')[1]!]: 'f'.repeat(64) }]))),
    ...extra,
  };
}

interface Setup {
  project: string;
  /** The archive's SHA-256 (what the leader publishes). */
  hash: string;
  run(args?: string[], env?: Record<string, string>): { code: number | null; stdout: string; stderr: string; calls: string[] };
}

/**
 * A project with the script and an offline/ bundle whose SHA256SUMS matches (the sums
 * travel with it: whoever made the archive made them too), and a fake docker: `load` marks
 * the engine loaded; `images` prints engine-before.txt, or engine-after.txt once loaded;
 * `image inspect` answers the listed IDs.
 */
function setup(archive: Buffer | string, engine: { before?: string; after?: string } = {}, list: string[] = [BASE, APP]): Setup {
  const root = mkdtempSync(join(tmpdir(), 'wpsn-sec-offline-'));
  roots.push(root);
  const project = join(root, 'shop');
  mkdirSync(join(project, 'scripts'), { recursive: true });
  mkdirSync(join(project, 'offline'));
  writeFileSync(join(project, 'scripts/offline-load.sh'), SCRIPT, { mode: 0o755 });
  const manifest = ['# images', ...list.map((ref) => `${ref} ${IDS[ref] ?? 'sha256:0'} linux/amd64 1000`), ''].join('\n');
  writeFileSync(join(project, 'offline/images.tar.gz'), archive);
  writeFileSync(join(project, 'offline/images.txt'), manifest);
  writeFileSync(join(project, 'offline/SHA256SUMS'), `${sha256(archive)}  images.tar.gz\n${sha256(manifest)}  images.txt\n`);
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const calls = join(root, 'calls.log');
  writeFileSync(join(root, 'engine-before.txt'), engine.before ?? '');
  writeFileSync(join(root, 'engine-after.txt'), engine.after ?? engine.before ?? '');
  writeFileSync(
    join(bin, 'docker'),
    `#!/usr/bin/env bash
printf '%s\\n' "$*" >> ${JSON.stringify(calls)}
ROOT=${JSON.stringify(root)}
case "$1" in
  info) ;;
  load) touch "$ROOT/loaded"; echo "Loaded image: ${APP}" ;;
  images) if [ -e "$ROOT/loaded" ]; then cat "$ROOT/engine-after.txt"; else cat "$ROOT/engine-before.txt"; fi ;;
  image)
    case "$2" in
      inspect)
        case "\${@: -1}" in
${Object.entries(IDS)
  .map(([ref, id]) => `          ${JSON.stringify(ref)}) echo ${id} ;;`)
  .join('\n')}
          *) exit 1 ;;
        esac ;;
      rm) echo "Untagged: $3" ;;
      *) exit 1 ;;
    esac ;;
  tag) ;;
  *) exit 1 ;;
esac
`,
  );
  chmodSync(join(bin, 'docker'), 0o755);
  return {
    project,
    hash: sha256(archive),
    run(args = [], env = {}) {
      writeFileSync(calls, '');
      const r = spawnSync('bash', [join(project, 'scripts/offline-load.sh'), ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { PATH: `${bin}:/usr/bin:/bin`, HOME: root, ...env },
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls: readFileSync(calls, 'utf8').split('\n').filter(Boolean) };
    },
  };
}

const loaded = (calls: string[]) => calls.some((c) => c.startsWith('load '));
const GOOD = () => tarGz(mkdtempSync(join(tmpdir(), 'wpsn-sec-tar-')), dockerSave([BASE, APP]));

describe('--expect-sha256: the archive the leader published, or nothing', () => {
  it('the published SHA-256 (flag, flag=, or OFFLINE_BUNDLE_SHA256; any case) loads the bundle', () => {
    const s = setup(GOOD());
    for (const [args, env] of [
      [['--expect-sha256', s.hash], {}],
      [[`--expect-sha256=${s.hash.toUpperCase()}`], {}],
      [[], { OFFLINE_BUNDLE_SHA256: s.hash }],
    ] as Array<[string[], Record<string, string>]>) {
      const r = s.run(args, env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`images.tar.gz: the published SHA-256 (${s.hash})\n`);
      expect(r.stdout).toContain('images.tar.gz: OK');
      expect(r.stdout).toMatch(/loaded 2 images in \d+s/);
      expect(r.stderr).toBe('');
      expect(loaded(r.calls)).toBe(true);
    }
  });

  it('another archive, with SHA256SUMS to match it, is refused before anything is loaded (exit 1)', () => {
    const s = setup(GOOD());
    const published = sha256('the archive the leader really made');
    const r = s.run(['--expect-sha256', published]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`has the SHA-256 ${s.hash}, not the published ${published}: it is not the bundle the workshop leader made (or it is damaged); nothing was loaded`);
    expect(loaded(r.calls)).toBe(false);
    expect(r.stdout).not.toContain('images.tar.gz: OK');
  });

  it('a value that is not a SHA-256 is a usage error (exit 2)', () => {
    const s = setup(GOOD());
    for (const args of [['--expect-sha256', 'abc'], ['--expect-sha256'], [`--expect-sha256=${'g'.repeat(64)}`]]) {
      const r = s.run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('--expect-sha256');
      expect(loaded(r.calls)).toBe(false);
    }
  });

  it('without it: loads, and says the sums show a copy is not damaged, not who made it', () => {
    const s = setup(GOOD());
    const r = s.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      "offline-load.sh: no --expect-sha256: SHA256SUMS travels with the archive, so its check below shows that the copy is not damaged, not who made it. Ask the workshop leader for the archive's SHA-256 (wpsn-docker bundle prints it) and run: scripts/offline-load.sh --expect-sha256 HEX\n",
    );
    expect(s.run(['--help']).stdout).toContain('--expect-sha256 HEX  the archive\'s SHA-256 as the workshop leader published it');
  });
});

describe('only the images images.txt lists: refused before loading', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'wpsn-sec-tar-'));
  const manifestWith = (json: string) => tarGz(dir(), { 'manifest.json': json });
  const entry = (tags: string) => `[{"Config":"blobs/sha256/${'c'.repeat(64)}",${tags},"Layers":[]}]`;
  const cases: Array<[string, Buffer, string]> = [
    ['an extra tag in RepoTags (and index.json, repositories)', tarGz(dir(), dockerSave([BASE, APP, 'alpine:3.22'])), 'would also tag alpine:3.22'],
    ['a look-alike registry name', tarGz(dir(), dockerSave([BASE, APP, 'docker.io/library/node:24-bookworm-slim-evil'])), 'node:24-bookworm-slim-evil'],
    ['the field name in another case (JSON parsers match field names in any case)', manifestWith(entry(`"repotags":["${APP}","evil:1"]`)), 'would also tag evil:1'],
    ['a "]" inside the list', manifestWith(entry(`"RepoTags":["${APP}","]","evil:1"]`)), 'evil:1'],
    ['a second RepoTags (the last one wins in Go)', manifestWith(entry(`"RepoTags":["${APP}"],"RepoTags":["evil:1"]`)), 'would also tag evil:1'],
    ['only in index.json (OCI)', tarGz(dir(), { 'manifest.json': entry(`"RepoTags":["${APP}"]`), 'index.json': '{"manifests":[{"annotations":{"io.containerd.image.name":"docker.io/library/evil:1"}}]}' }), 'would also tag evil:1'],
    ['only in repositories (the old format)', tarGz(dir(), { 'manifest.json': entry(`"RepoTags":["${APP}"]`), repositories: '{"evil":{"1":"abc"}}' }), 'would also tag evil:1'],
  ];
  it.each(cases)('%s: exit 1 naming the tag, and docker load never runs', (_name, archive, message) => {
    const s = setup(archive);
    const r = s.run(['--expect-sha256', s.hash]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('which images.txt does not list: refusing it (nothing was loaded)');
    expect(loaded(r.calls)).toBe(false);
  });

  it.each([
    ['an escaped field name', manifestWith(entry(`"Repo\\u0054ags":["evil:1"],"RepoTags":["${APP}"]`))],
    ['a non-ASCII field name that folds to RepoTags', manifestWith(entry(`"RepoTag\u017f":["evil:1"],"RepoTags":["${APP}"]`))],
    ['no manifest.json', tarGz(dir(), { repositories: '{"evil":{"1":"abc"}}' })],
    ['an unterminated string', manifestWith(`[{"RepoTags":["${APP}]}]`)],
  ])('%s: not what docker save writes, refused (exit 1)', (_name, archive) => {
    const s = setup(archive);
    const r = s.run();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('is not an archive docker save writes');
    expect(loaded(r.calls)).toBe(false);
  });

  it('an image list line that is not a reference (an option, say) refuses the bundle', () => {
    const s = setup(GOOD(), {}, [BASE, '--output=/tmp/x']);
    const r = s.run();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("lists '--output=/tmp/x', which is not an image reference");
    expect(loaded(r.calls)).toBe(false);
  });

  it('the listed images alone load (the tags index.json gives as bare tags included)', () => {
    const s = setup(GOOD());
    const r = s.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.calls.filter((c) => /^(image rm|tag) /.test(c))).toEqual([]);
  });
});

describe('an archive it cannot read beforehand: tags the load added or moved are taken back', () => {
  it('a new unlisted tag is removed, a moved one put back, a listed one kept; exit 1', () => {
    const old = `sha256:${'1'.repeat(64)}`;
    const evil = `sha256:${'9'.repeat(64)}`;
    const before = [`alpine:3.22 ${old}`, `redis:7 ${old}`, ''].join('\n');
    const after = [`alpine:3.22 ${evil}`, `evil:1 ${evil}`, `${APP} ${IDS[APP]}`, `${BASE} ${IDS[BASE]}`, `redis:7 ${old}`, `<none>:<none> ${evil}`, ''].join('\n');
    const s = setup('not a tar archive: tar cannot read it, a real engine would refuse it', { before, after });
    const r = s.run();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("cannot read the image list inside images.tar.gz before loading: checking the engine's tags after loading instead");
    expect(loaded(r.calls)).toBe(true);
    expect(r.calls.filter((c) => /^(image rm|tag) /.test(c))).toEqual([`tag ${old} alpine:3.22`, 'image rm evil:1']);
    expect(r.stderr).toContain('the archive also tagged alpine:3.22 evil:1, which images.txt does not list: taken back');
    expect(r.stdout).not.toMatch(/loaded \d+ images/);
  });

  it('nothing unlisted: loads as before', () => {
    const before = `redis:7 sha256:${'1'.repeat(64)}\n`;
    const after = `${before}${APP} ${IDS[APP]}\n${BASE} ${IDS[BASE]}\n`;
    const s = setup('not a tar archive either', { before, after });
    const r = s.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/loaded 2 images in \d+s/);
    expect(existsSync(s.project)).toBe(true);
  });
});

describe('the script itself', () => {
  it('is shellcheck-clean and parses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wpsn-sec-sc-'));
    roots.push(dir);
    writeFileSync(join(dir, 'offline-load.sh'), SCRIPT);
    const sc = spawnSync('shellcheck', ['--shell=bash', '--severity=style', join(dir, 'offline-load.sh')], { encoding: 'utf8' });
    expect(sc.error).toBeUndefined();
    expect(sc.stdout + sc.stderr).toBe('');
    expect(spawnSync('bash', ['-n', join(dir, 'offline-load.sh')]).status).toBe(0);
  });
});
