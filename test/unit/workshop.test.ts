// The workshop kit without an engine: WORKSHOP.md in both languages (the same runnable
// command blocks, every block marked, the original workshop's commands in its order),
// scripts/offline-load.sh against a fake `docker`, and the pure parts of `wpsn-docker bundle`
// and `wpsn-docker doctor` (Dockerfile base images, checksum lists, the message catalogue,
// version and architecture parsing, where the engine is looked for).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseImagesOf, composeImages, mergeSums, parseBundleArgs, withTag } from '../../bin/commands/bundle.ts';
import {
  binfmtNames,
  clockSkewMs,
  displayWidth,
  MESSAGES,
  normaliseArch,
  overall,
  parseBuildxVersion,
  parseDoctorArgs,
  parseManifest,
  parseVersion,
  renderChecklist,
  versionAtLeast,
  type Catalogue,
} from '../../bin/commands/doctor.ts';
import { cliEnv, engineCandidates, type Engine } from '../../bin/commands/engine.ts';
import { deriveModel, type StackModel } from '../../core/model.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { checkExpect, parseLesson, stepMarkdown, type ParsedBlock } from '../../core/render/workshop.ts';
import { resolveSpec, type Raw } from '../../core/spec.ts';

const HANGUL = /[\uAC00-\uD7A3]/;

function render(values: Raw, sampleApp = true): { model: StackModel; files: Map<string, string> } {
  const spec = resolveSpec([{ source: 'test', values: { projectName: 'shop', workshop: true, ...values } }], { dirName: 'shop' });
  const model = deriveModel(spec, { sampleApp });
  return { model, files: new Map(renderAppFiles(model).map((f) => [f.path, f.content])) };
}

function lesson(values: Raw = {}, sampleApp = true): { model: StackModel; text: string; blocks: ParsedBlock[] } {
  const { model, files } = render(values, sampleApp);
  const text = files.get('WORKSHOP.md');
  if (text === undefined) throw new Error('WORKSHOP.md was not rendered');
  return { model, text, blocks: parseLesson(text) };
}

const runnable = (blocks: ParsedBlock[]) => blocks.filter((b) => b.kind === 'step');

const VARIANTS: Array<[string, Raw]> = [
  ['default', {}],
  ['registry + every deploy target', { registries: { targets: ['registry'] }, deploy: { targets: ['swarm', 'kubernetes', 'ecs', 'aca'] } }],
  ['postgres, ghcr, another port', { database: { kind: 'postgres' }, registries: { targets: ['ghcr'] }, app: { hostPort: 8080 } }],
];

describe('WORKSHOP.md', () => {
  it('is written only with --workshop, with scripts/offline-load.sh, and the README points to it', () => {
    const off = render({ workshop: false });
    expect(off.files.has('WORKSHOP.md')).toBe(false);
    expect(off.files.has('scripts/offline-load.sh')).toBe(false);
    expect(off.files.get('README.Docker.md')).not.toContain('WORKSHOP.md');
    const on = render({});
    expect(on.files.has('WORKSHOP.md')).toBe(true);
    expect(on.files.has('scripts/offline-load.sh')).toBe(true);
    expect(on.files.get('README.Docker.md')).toContain('`WORKSHOP.md`');
    expect(render({ lang: 'ko' }).files.get('README.Docker.md')).toMatch(/## 워크숍/);
  });

  it.each(VARIANTS)('%s: English and Korean have the same runnable blocks, in the same order, with the same expectations', (_, values) => {
    const en = lesson({ ...values, lang: 'en' });
    const ko = lesson({ ...values, lang: 'ko' });
    const strip = (b: ParsedBlock) => ({ id: b.id, text: b.text, expect: b.expect });
    expect(runnable(ko.blocks).map(strip)).toEqual(runnable(en.blocks).map(strip));
    // Shown blocks: the same commands; only their comments are in the lesson's language.
    const commands = (b: ParsedBlock) => ({ id: b.id, lines: b.text.split('\n').filter((l) => !l.startsWith('#')) });
    expect(ko.blocks.filter((b) => b.kind === 'show').map(commands)).toEqual(en.blocks.filter((b) => b.kind === 'show').map(commands));
    // The runnable blocks are the model's steps, all of them.
    expect(runnable(en.blocks).map((b) => b.id)).toEqual(en.model.workshop!.steps.map((s) => s.id));
    // Prose in the language asked for.
    const prose = (text: string) => text.split('\n').filter((l) => !l.startsWith('<!--') && !l.startsWith('```')).join('\n');
    expect(HANGUL.test(prose(ko.text))).toBe(true);
    expect(HANGUL.test(prose(en.text))).toBe(false);
  });

  it.each(VARIANTS)('%s: every bash block is a step or marked as shown; an interactive one has its non-interactive step, labelled', (_, values) => {
    for (const lang of ['en', 'ko'] as const) {
      const { blocks, text } = lesson({ ...values, lang });
      expect(blocks.filter((b) => b.kind === 'unmarked').map((b) => `line ${b.line}: ${b.text}`)).toEqual([]);
      const ids = runnable(blocks).map((b) => b.id);
      expect(new Set(ids).size, 'step ids are unique').toBe(ids.length);
      for (const b of blocks.filter((x) => x.kind === 'show')) {
        expect(b.interactive || b.reason !== undefined, `shown block ${b.id} says why it is not run`).toBe(true);
        if (b.interactive) {
          const i = blocks.indexOf(b);
          const next = blocks.slice(i + 1).find((x) => x.kind === 'step');
          expect(next?.id, `the interactive block ${b.id} is followed by its non-interactive step`).toMatch(new RegExp(`^${b.id}`));
        }
      }
      const label = lang === 'en' ? 'Non-interactive form (what the tests run):' : '비대화형 형태 (테스트가 실행하는 명령):';
      const interactive = blocks.filter((b) => b.kind === 'show' && b.interactive && b.id !== 'push').length;
      expect(text.split(label).length - 1, `"${label}" labels each interactive block`).toBeGreaterThanOrEqual(interactive);
    }
  });

  it("teaches the original workshop's commands, in its order, spelled as it spelled them", () => {
    const { blocks, text } = lesson({ registries: { targets: ['registry'] }, deploy: { targets: ['swarm'] } });
    const all = blocks.map((b) => b.text).join('\n');
    const order = [
      'docker run -it',
      'docker ps -a',
      'docker start -ia',
      'docker rm -f',
      'docker run --rm',
      'docker commit',
      'docker images',
      'docker rmi',
      'docker run -d --name shop-redis-tryout',
      'docker logs -f',
      ' -P ',
      ' -p 127.0.0.1:',
      'docker stop',
      'docker kill',
      'docker build -t shop-app',
      'scripts/push-registry.sh',
      'docker compose up',
      'docker volume ls',
      'docker network ls',
      'scripts/deploy-swarm.sh --dry-run',
    ];
    let at = -1;
    for (const command of order) {
      const i = all.indexOf(command, at + 1);
      expect(i, `${command} comes after the previous step`).toBeGreaterThan(at);
      at = i;
    }
    // The newer spellings are mentioned alongside.
    for (const newer of ['docker image ls', 'docker image rm', 'docker container ls -a']) expect(text).toContain(newer);
  });

  it('uses the project\'s names and images: practice containers and images are prefixed with the project name', () => {
    const { blocks, model } = lesson({ redis: { image: 'redis:7.4-bookworm' }, app: { baseImage: 'node:22-bookworm-slim' } });
    const all = blocks.map((b) => b.text).join('\n');
    for (const m of all.matchAll(/--name (\S+)/g)) expect(m[1]).toMatch(/^shop-/);
    expect(all).toContain('docker run -d --name shop-redis-tryout redis:7.4-bookworm redis-server');
    expect(all).toContain('node:22-bookworm-slim bash');
    expect(all).toContain(`-p 127.0.0.1:${model.workshop!.tryPort}:8080`);
    expect(model.workshop!.tryPort).toBe(model.app.hostPort + 1);
    expect(all).toContain('docker commit shop-tryout shop-tryout-image:v1');
  });

  it('follows the model: an Alpine base gets sh, no registry shows how to add one, no sample app checks the health path', () => {
    const alpine = lesson({ app: { baseImage: 'node:24-alpine3.22' } });
    expect(alpine.model.workshop!.shell).toBe('sh');
    expect(runnable(alpine.blocks).find((b) => b.id === 'run')!.text).toContain('node:24-alpine3.22 sh -c');
    const plain = lesson({});
    expect(runnable(plain.blocks).some((b) => b.id.startsWith('push'))).toBe(false);
    expect(plain.blocks.find((b) => b.id === 'push')).toMatchObject({ kind: 'show', reason: expect.stringContaining('registry') });
    expect(plain.blocks.find((b) => b.id === 'deploy')).toMatchObject({ kind: 'show', text: 'wpsn-docker deploy --deploy swarm' });
    const own = lesson({}, false);
    expect(runnable(own.blocks).find((b) => b.id === 'hit')!.text).toContain("-w '%{http_code}\\n' http://127.0.0.1:3000/healthz");
    const cloud = lesson({ deploy: { targets: ['ecs', 'aca'] } });
    expect(runnable(cloud.blocks).find((b) => b.id === 'deploy-ecs')!.text).toBe('AWS_REGION=eu-west-1 scripts/deploy-ecs.sh --dry-run');
    const set = lesson({ deploy: { targets: ['ecs'], ecs: { region: 'ap-northeast-2' } } });
    expect(runnable(set.blocks).find((b) => b.id === 'deploy-ecs')!.text).toBe('scripts/deploy-ecs.sh --dry-run');
  });

  it('marker comments never hold "--" (which ends an HTML comment) and read back exactly', () => {
    const step = { id: 'x', run: 'docker ps -a', expect: { output: ['--rm -- here'], absent: ['a--b'] } };
    const md = stepMarkdown(step);
    const comment = md.split('\n')[0]!;
    expect(comment.slice(4, -3)).not.toContain('--');
    expect(parseLesson(md)).toEqual([{ kind: 'step', id: 'x', text: 'docker ps -a', expect: step.expect, interactive: false, reason: undefined, line: 2 }]);
  });

  it('checkExpect holds each kind of promise', () => {
    const ok = { code: 0, stdout: 'NAME STATUS\nshop-web: Exited (137)\n', stderr: 'Untagged: x\n' };
    expect(checkExpect({ line: [['shop-web:', 'Exited (137)']], output: ['Untagged: x'] }, ok)).toEqual([]);
    expect(checkExpect({ line: [['shop-web:', 'Exited (0)']] }, ok)).toHaveLength(1);
    expect(checkExpect({ noLine: [['shop-web:', 'Exited']] }, ok)).toHaveLength(1);
    expect(checkExpect({ exit: 2 }, ok)).toEqual(['exit status 0, expected 2']);
    expect(checkExpect({ stdoutIs: 'PONG' }, { code: 0, stdout: 'PONG\n', stderr: '' })).toEqual([]);
    expect(checkExpect({ match: '^[0-9a-f]{64}$' }, { code: 0, stdout: 'abc\n', stderr: '' })).toHaveLength(1);
    expect(checkExpect({ absent: ['[fail]'] }, { code: 0, stdout: '[fail] x', stderr: '' })).toHaveLength(1);
    expect(checkExpect({ files: ['a', 'b'] }, ok, (f) => f === 'a')).toEqual(['b does not exist']);
  });
});

// ---------------------------------------------------------------------------------------

describe('scripts/offline-load.sh (against a fake docker)', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  /** A project with the script, an offline/ bundle of fake bytes, and a fake docker on PATH. */
  function setup(ids: Record<string, string> = { 'node:24-bookworm-slim': 'sha256:aaa', 'shop-app:latest': 'sha256:bbb' }) {
    const root = mkdtempSync(join(tmpdir(), 'wpsn-offline-'));
    roots.push(root);
    const project = join(root, 'shop');
    mkdirSync(join(project, 'scripts'), { recursive: true });
    mkdirSync(join(project, 'offline'));
    writeFileSync(join(project, 'scripts/offline-load.sh'), render({}).files.get('scripts/offline-load.sh')!, { mode: 0o755 });
    const archive = Buffer.from('not really a gzip, the fake docker does not care');
    const manifest = ['# images', ...Object.keys(ids).map((ref) => `${ref} ${ids[ref]} linux/amd64 1000`), ''].join('\n');
    writeFileSync(join(project, 'offline/images.tar.gz'), archive);
    writeFileSync(join(project, 'offline/images.txt'), manifest);
    const sum = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    writeFileSync(join(project, 'offline/SHA256SUMS'), `${sum(archive)}  images.tar.gz\n${sum(manifest)}  images.txt\n${'0'.repeat(64)}  other-bundle.tar.gz\n`);
    const bin = join(root, 'bin');
    mkdirSync(bin);
    const calls = join(root, 'calls.log');
    writeFileSync(
      join(bin, 'docker'),
      `#!/usr/bin/env bash
printf '%s\\n' "$*" >> ${JSON.stringify(calls)}
case "$1" in
  info) if [ -n "\${FAKE_NO_ENGINE:-}" ]; then echo 'Cannot connect to the Docker daemon' >&2; exit 1; fi ;;
  load) echo "Loaded image: fake"; exit 0 ;;
  image)
    ref=\${@: -1}
    case "$ref" in
${Object.entries(ids)
  .map(([ref, id]) => `      ${JSON.stringify(ref)}) echo ${JSON.stringify(id)} ;;`)
  .join('\n')}
      *) exit 1 ;;
    esac ;;
esac
`,
    );
    chmodSync(join(bin, 'docker'), 0o755);
    const run = (args: string[] = [], env: Record<string, string> = {}) => {
      const r = spawnSync('bash', [join(project, 'scripts/offline-load.sh'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env['PATH']}`, ...env } });
      return { code: r.status, out: `${r.stdout}${r.stderr}`, calls: existsSync(calls) ? readFileSync(calls, 'utf8') : '' };
    };
    return { project, run };
  }

  it('is shellcheck-clean', () => {
    const { project } = setup();
    const r = spawnSync('shellcheck', ['--severity=style', join(project, 'scripts/offline-load.sh')], { encoding: 'utf8' });
    expect(r.error, 'shellcheck is installed (scripts/test-env.sh)').toBeUndefined();
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('with no arguments: checks the sums, loads offline/images.tar.gz, checks each image ID', () => {
    const { project, run } = setup();
    const r = run();
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('images.tar.gz: OK');
    expect(r.out).toMatch(/loaded 2 images in \d+s/);
    expect(r.calls).toContain(`load --input ${join(project, 'offline')}/images.tar.gz`);
    expect(r.calls).toContain('image inspect --format {{.Id}} shop-app:latest');
    // The other bundle's line in SHA256SUMS (a missing file) is none of its business.
    expect(r.out).not.toContain('other-bundle');
  });

  it('a damaged archive: exit 1, and nothing is loaded', () => {
    const { project, run } = setup();
    writeFileSync(join(project, 'offline/images.tar.gz'), 'damaged');
    const r = run();
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain('the checksums do not match');
    expect(r.calls).not.toContain('load');
  });

  it('an image with another ID after loading: exit 1 naming it', () => {
    const { project, run } = setup();
    // The manifest promises sha256:ccc for the app, the engine has sha256:bbb.
    const manifest = readFileSync(join(project, 'offline/images.txt'), 'utf8').replace('sha256:bbb', 'sha256:ccc');
    writeFileSync(join(project, 'offline/images.txt'), manifest);
    const sums = readFileSync(join(project, 'offline/SHA256SUMS'), 'utf8').replace(/^\S+(  images\.txt)$/m, `${createHash('sha256').update(manifest).digest('hex')}$1`);
    writeFileSync(join(project, 'offline/SHA256SUMS'), sums);
    const r = run();
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain('shop-app:latest is sha256:bbb, but the bundle saved sha256:ccc');
  });

  it('no bundle, or no engine: exit 2 with what to do; --help prints the header', () => {
    const { project, run } = setup();
    rmSync(join(project, 'offline/SHA256SUMS'));
    const missing = run();
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('SHA256SUMS is missing: make the bundle with wpsn-docker bundle');
    const other = setup();
    const noEngine = other.run([], { FAKE_NO_ENGINE: '1' });
    expect(noEngine.code, noEngine.out).toBe(2);
    expect(noEngine.out).toContain('no Docker Engine answers');
    expect(noEngine.calls).not.toContain('load');
    const help = other.run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: scripts/offline-load.sh [ARCHIVE]');
  });
});

// ---------------------------------------------------------------------------------------

describe('wpsn-docker bundle: pure parts', () => {
  it('finds the base images a Dockerfile starts FROM', () => {
    const dockerfile = [
      '# a comment',
      'ARG BASE_IMAGE=node:24-bookworm-slim',
      'ARG TOOLS="debian:bookworm-slim"',
      'FROM ${BASE_IMAGE} AS base',
      'FROM base AS deps',
      'RUN echo \\',
      '  FROM not-an-image',
      'FROM --platform=$BUILDPLATFORM ${TOOLS} AS tools',
      'FROM scratch AS empty',
      'FROM $BASE_IMAGE',
      'FROM ${MISSING:-alpine:3.22}',
    ].join('\n');
    expect(baseImagesOf(dockerfile)).toEqual(['node:24-bookworm-slim', 'debian:bookworm-slim', 'alpine:3.22']);
    expect(baseImagesOf(dockerfile, { BASE_IMAGE: 'node:22-bookworm-slim' })[0]).toBe('node:22-bookworm-slim');
    // The generated Dockerfile.
    const { files } = render({ app: { baseImage: 'wpsnbundle-base:test' } });
    expect(baseImagesOf(files.get('Dockerfile')!)).toEqual(['wpsnbundle-base:test']);
  });

  it('reads the images of docker compose config, tagging bare names', () => {
    expect(withTag('shop-app')).toBe('shop-app:latest');
    expect(withTag('localhost:5000/team/app')).toBe('localhost:5000/team/app:latest');
    expect(withTag('redis:7-bookworm')).toBe('redis:7-bookworm');
    expect(withTag('redis@sha256:abc')).toBe('redis@sha256:abc');
    const images = composeImages({
      name: 'shop',
      services: {
        app: { build: { context: '/p', dockerfile: 'Dockerfile', args: { BASE_IMAGE: 'x:1' } } },
        worker: { image: 'registry.example.com/w', build: { context: '/p/w', dockerfile: '/abs/Dockerfile' } },
        redis: { image: 'redis:7-bookworm' },
      },
    });
    expect(images).toEqual({
      project: 'shop',
      built: [
        { service: 'app', image: 'shop-app:latest', dockerfile: '/p/Dockerfile', args: { BASE_IMAGE: 'x:1' } },
        { service: 'worker', image: 'registry.example.com/w:latest', dockerfile: '/abs/Dockerfile', args: {} },
      ],
      pulled: [{ service: 'redis', image: 'redis:7-bookworm' }],
    });
  });

  it('keeps the other bundles in SHA256SUMS and replaces its own lines', () => {
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    const c = 'c'.repeat(64);
    expect(mergeSums(`${a}  old.tar.gz\n${a}  images.tar.gz\ngarbage\n`, { 'images.tar.gz': b, 'images.txt': c })).toBe(`${b}  images.tar.gz\n${c}  images.txt\n${a}  old.tar.gz\n`);
  });

  it('checks its arguments', () => {
    expect(parseBundleArgs(['/p'])).toEqual({ dir: '/p', output: '/p/offline/images.tar.gz', level: 6, build: false });
    expect(parseBundleArgs(['/p', '--output', '/x/room.tar.gz', '--level', '1', '--build'])).toMatchObject({ output: '/x/room.tar.gz', level: 1, build: true });
    expect(() => parseBundleArgs(['--output', 'x.tar'])).toThrow(/\.tar\.gz/);
    expect(() => parseBundleArgs(['--level', '0'])).toThrow(/gzip level/);
    expect(() => parseBundleArgs(['a', 'b'])).toThrow(/one directory/);
    expect(parseBundleArgs(['-h'])).toBe('help');
  });
});

// ---------------------------------------------------------------------------------------

describe('wpsn-docker doctor: pure parts', () => {
  /** Calls every message with a parameter object whose every field is "<field>". */
  function sample(catalogue: Catalogue): Record<string, string> {
    const params = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? `<${key}>` : undefined) });
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(catalogue)) {
      if (typeof value === 'function') out[key] = (value as (p: unknown) => string)(params);
      else if (typeof value === 'string') out[key] = value;
      else for (const [k, v] of Object.entries(value as Record<string, string>)) out[`${key}.${k}`] = v;
    }
    return out;
  }

  it('the message catalogue is complete in English and Korean, with the same placeholders', () => {
    const en = sample(MESSAGES.en);
    const ko = sample(MESSAGES.ko);
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    const placeholders = (text: string) => [...text.matchAll(/<([a-zA-Z]+)>/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en)) {
      expect(en[key]!.trim(), `en ${key}`).not.toBe('');
      expect(ko[key]!.trim(), `ko ${key}`).not.toBe('');
      expect(HANGUL.test(en[key]!), `en ${key} has no Hangul`).toBe(false);
      expect(new Set(placeholders(ko[key]!)), `ko ${key} uses the same values as en`).toEqual(new Set(placeholders(en[key]!)));
      // Product and command names may stay as they are; every sentence is translated.
      if (!key.startsWith('titles.') && !['engineOk', 'composeOk'].includes(key) && /\s/.test(en[key]!)) {
        expect(HANGUL.test(ko[key]!), `ko ${key} is in Korean: ${ko[key]}`).toBe(true);
      }
    }
  });

  it('parses Compose and Buildx versions as Debian, Docker and Docker Desktop print them', () => {
    expect(parseVersion('2.26.1-4\n')).toEqual([2, 26, 1]);
    expect(parseVersion('v2.29.7-desktop.1')).toEqual([2, 29, 7]);
    expect(parseVersion('1.29.2')).toEqual([1, 29, 2]);
    expect(parseVersion('garbage')).toBeUndefined();
    expect(versionAtLeast([2, 26, 1], [2, 22, 0])).toBe(true);
    expect(versionAtLeast([2, 21, 9], [2, 22, 0])).toBe(false);
    expect(versionAtLeast([2, 22, 0], [2, 22, 0])).toBe(true);
    expect(parseBuildxVersion('github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3\n')).toBe('0.13.1+ds1');
    expect(parseBuildxVersion('github.com/docker/buildx v0.17.1-desktop.1 257815a6fb95c2d2a7c8d4a4a0b1f6ccb7d17f7e')).toBe('0.17.1-desktop.1');
    expect(parseBuildxVersion('docker: unknown command: docker buildx')).toBeUndefined();
  });

  it('names architectures as OCI does, and knows the binfmt handlers that emulate them', () => {
    expect(['x64', 'x86_64', 'amd64'].map(normaliseArch)).toEqual(['amd64', 'amd64', 'amd64']);
    expect(['arm64', 'aarch64'].map(normaliseArch)).toEqual(['arm64', 'arm64']);
    expect(binfmtNames('arm64')).toEqual(['qemu-aarch64']);
    expect(binfmtNames('amd64')).toEqual(['qemu-x86_64', 'rosetta']);
  });

  it('measures clock skew against the middle of the request', () => {
    expect(clockSkewMs('2026-01-01T00:00:10.500999999Z', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:01Z'))).toBe(10_000);
    expect(clockSkewMs('not a time', 0, 0)).toBeUndefined();
  });

  it('reads an offline bundle list; the checklist prints a fix under each problem only', () => {
    expect(parseManifest('# c\nredis:7 sha256:a linux/amd64 88\n\n')).toEqual(new Map([['redis:7', { id: 'sha256:a', platform: 'linux/amd64', size: 88 }]]));
    const results = [
      { id: 'engine' as const, status: 'ok' as const, detail: 'fine', fix: 'never shown' },
      { id: 'ports' as const, status: 'fail' as const, detail: '127.0.0.1:3000 busy', fix: 'stop it' },
      { id: 'clock' as const, status: 'warn' as const, detail: 'off', fix: 'sync' },
    ];
    const text = renderChecklist(results, MESSAGES.en);
    expect(text).toMatch(/^\[ok\] {3}Docker Engine +fine$/m);
    expect(text).toMatch(/^ +fix: stop it$/m);
    expect(text).not.toContain('never shown');
    const ko = renderChecklist(results, MESSAGES.ko);
    expect(ko).toMatch(/^ +해결: stop it$/m);
    // Columns line up in a terminal: the details start at the same display column.
    const starts = ko.split('\n').filter((l) => l.startsWith('[')).map((l) => displayWidth(l.slice(0, l.indexOf(l.includes('fine') ? 'fine' : l.includes('busy') ? '127' : 'off'))));
    expect(new Set(starts).size).toBe(1);
    expect(displayWidth('호스트 포트')).toBe(11);
    expect(overall(results)).toEqual({ ok: false, failed: 1, warnings: 1 });
  });

  it('an explicit DOCKER_HOST wins; otherwise the system, Docker Desktop, Colima and Podman sockets, in order', () => {
    const all = () => true;
    expect(engineCandidates({ DOCKER_HOST: 'unix:///custom.sock' }, all, '/home/u').map((c) => [c.source, c.description])).toEqual([['DOCKER_HOST', 'unix:///custom.sock']]);
    expect(engineCandidates({ XDG_RUNTIME_DIR: '/run/user/1000' }, all, '/home/u').map((c) => c.socketPath)).toEqual([
      '/var/run/docker.sock',
      '/home/u/.docker/run/docker.sock',
      '/home/u/.colima/default/docker.sock',
      '/home/u/.colima/docker.sock',
      '/run/user/1000/podman/podman.sock',
      '/run/podman/podman.sock',
    ]);
    expect(engineCandidates({}, (p) => p.includes('colima/default'), '/home/u').map((c) => c.source)).toEqual(['Colima']);
    // The CLI children follow the engine found, unless it is the CLI's own default.
    const found = (socketPath: string) => ({ target: { socketPath, source: 'Colima', description: '', options: {} } }) as unknown as Engine;
    expect(cliEnv({}, found('/home/u/.colima/default/docker.sock'))['DOCKER_HOST']).toBe('unix:///home/u/.colima/default/docker.sock');
    expect(cliEnv({}, found('/var/run/docker.sock'))['DOCKER_HOST']).toBeUndefined();
  });

  it('checks its arguments', () => {
    expect(parseDoctorArgs([])).toEqual({ dir: '.', json: false, pull: true, pullTimeoutMs: 30_000, lang: undefined });
    expect(parseDoctorArgs(['p', '--json', '--no-pull', '--pull-timeout', '5', '--lang', 'ko'])).toEqual({ dir: 'p', json: true, pull: false, pullTimeoutMs: 5000, lang: 'ko' });
    expect(() => parseDoctorArgs(['--lang', 'fr'])).toThrow(/en or ko/);
    expect(() => parseDoctorArgs(['--pull-timeout', 'x'])).toThrow(/seconds/);
  });
});
