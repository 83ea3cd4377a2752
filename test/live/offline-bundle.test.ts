// Live: the offline round trip of `wpsn-docker bundle` and scripts/offline-load.sh.
//
// The project runs its own copies of the base and Redis images, made for this test with
// `docker export | docker import` (the same files and settings, but layers of their own), so
// that the test can delete every image the stack needs (the app's included) without touching
// the shared stand-ins other suites use. Then: bundle, remove the images for real, check that
// doctor names the load script as the fix, load with no arguments, `docker compose up -d
// --wait` with no registry reachable, and the stack answers and is healthy. The load takes
// the SHA-256 bundle printed (as a workshop leader publishes it) and refuses another one; an
// archive that would tag one image more than images.txt lists is refused before loading.
// Figures (archive size, bundle and load times) are printed as "figure: ..." lines.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE } from '../../schema/defaults.ts';
import { BIN, buildDistLocked } from '../unit/helpers/build.ts';
import { banner, imageAvailable } from './helpers/engine.ts';
import { describeRun, freePort, run } from './helpers/run.ts';
import { composeEnv, get } from './helpers/stack.ts';

const HEX = randomBytes(3).toString('hex');
const PROJECT = `wpsnbundle-${HEX}`;
const BASE = `wpsnbundle-base:${HEX}`;
const REDIS = `wpsnbundle-redis:${HEX}`;
const APP = `${PROJECT}-app:latest`;
/** A tag a tampered archive carries on top of the listed ones. */
const EVIL = `wpsnbundle-evil:${HEX}`;

const figure = (text: string): void => console.log(`figure: [offline bundle] ${text}`);

let root: string | undefined;
let dir = '';
let hostPort = 0;
const env = composeEnv();
delete env['DOCKER_HOST'];
/** The images the archive should hold, with the IDs they had when bundled. */
const bundled = new Map<string, string>();
/** The archive's SHA-256 as `wpsn-docker bundle` printed it (what the leader publishes). */
let published = '';

function docker(args: string[], timeout = 180_000) {
  return spawnSync('docker', args, { encoding: 'utf8', env, timeout });
}

function imageId(ref: string): string | undefined {
  const r = docker(['image', 'inspect', '--format', '{{.Id}}', ref]);
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** `dst`: the file system and settings of `src`, as a new image whose one layer is its own. */
async function ownCopy(src: string, dst: string): Promise<void> {
  const config = JSON.parse(docker(['image', 'inspect', '--format', '{{json .Config}}', src]).stdout) as {
    Env?: string[] | null;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    User?: string;
    ExposedPorts?: Record<string, unknown> | null;
  };
  const changes: string[] = [];
  for (const e of config.Env ?? []) {
    const eq = e.indexOf('=');
    changes.push(`ENV ${e.slice(0, eq)}=${JSON.stringify(e.slice(eq + 1))}`);
  }
  if (config.Entrypoint?.length) changes.push(`ENTRYPOINT ${JSON.stringify(config.Entrypoint)}`);
  if (config.Cmd?.length) changes.push(`CMD ${JSON.stringify(config.Cmd)}`);
  if (config.WorkingDir) changes.push(`WORKDIR ${config.WorkingDir}`);
  if (config.User) changes.push(`USER ${config.User}`);
  for (const port of Object.keys(config.ExposedPorts ?? {})) changes.push(`EXPOSE ${port}`);
  const container = `${PROJECT}-copy-${randomBytes(2).toString('hex')}`;
  const created = docker(['create', '--name', container, src, 'true']);
  expect(created.status, created.stderr).toBe(0);
  try {
    await new Promise<void>((resolvePromise, reject) => {
      const exp = spawn('docker', ['export', container], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      const imp = spawn('docker', ['import', ...changes.flatMap((c) => ['--change', c]), '-', dst], { env, stdio: ['pipe', 'ignore', 'inherit'] });
      exp.stdout.pipe(imp.stdin);
      let exported: number | null = null;
      exp.on('close', (code) => (exported = code));
      imp.on('error', reject);
      imp.on('close', (code) => (code === 0 && exported === 0 ? resolvePromise() : reject(new Error(`docker export ${src} | docker import - ${dst}: exit ${exported}/${code}`))));
    });
  } finally {
    docker(['rm', '-f', container]);
  }
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  buildDistLocked();
  for (const image of [DEFAULT_NODE_IMAGE, DEFAULT_REDIS_IMAGE]) {
    const a = imageAvailable(image);
    if (!a.available) throw new Error(`the image ${image} is not available (${a.how}): run bash scripts/test-env.sh`);
  }
  await ownCopy(DEFAULT_NODE_IMAGE, BASE);
  await ownCopy(DEFAULT_REDIS_IMAGE, REDIS);
  root = mkdtempSync(join(realpathSync(tmpdir()), 'wpsn-bundle-'));
  dir = join(root, PROJECT);
  hostPort = await freePort();
  const gen = await run(process.execPath, [BIN, dir, '--yes', '--workshop', '--project-name', PROJECT, '--host-port', String(hostPort), '--base-image', BASE, '--redis-image', REDIS], { env, timeoutMs: 60_000 });
  if (gen.code !== 0) throw new Error(`generating the project failed:\n${describeRun(gen)}`);
});

afterAll(async () => {
  if (root && existsSync(dir)) {
    const down = await run('docker', ['compose', 'down', '-v', '--remove-orphans', '--rmi', 'local', '--timeout', '5'], { cwd: dir, env, timeoutMs: 180_000 });
    if (down.code !== 0) console.warn(banner(`clean-up of ${PROJECT} failed:\n${describeRun(down)}`));
  }
  const built = docker(['image', 'ls', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`]);
  const ids = [...new Set(`${built.stdout}`.split('\n').filter(Boolean))];
  docker(['image', 'rm', '-f', APP, BASE, REDIS, EVIL, ...ids]);
  if (root) rmSync(root, { recursive: true, force: true });
});

describe(`live: offline bundle round trip (${PROJECT}, its own base and Redis images)`, () => {
  it('1. wpsn-docker bundle builds the app and saves base, Redis and app into offline/, with checksums and the image list', async () => {
    const r = await run(process.execPath, [BIN, 'bundle'], { cwd: dir, env, timeoutMs: 600_000 });
    expect(r.code, describeRun(r)).toBe(0);
    const archive = join(dir, 'offline/images.tar.gz');
    expect(r.stdout).toContain('wrote offline/images.tar.gz');
    figure(`wpsn-docker bundle (includes docker compose build of the app): ${(r.ms / 1000).toFixed(1)} s`);
    figure(`archive: ${(statSync(archive).size / 1024 ** 2).toFixed(1)} MiB (${r.stdout.match(/docker save wrote ([^,]+),/)?.[1] ?? '?'} before gzip)`);

    // The list: exactly the three images, with the IDs the engine has for them now.
    const manifest = readFileSync(join(dir, 'offline/images.txt'), 'utf8');
    const rows = manifest.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(' '));
    expect(rows.map((row) => row[0])).toEqual([BASE, REDIS, APP]);
    for (const [ref, id, platform, size] of rows) {
      expect(id, ref).toBe(imageId(ref!));
      expect(platform).toMatch(/^linux\/[a-z0-9]+/);
      expect(Number(size)).toBeGreaterThan(1_000_000);
      bundled.set(ref!, id!);
    }
    // The checksums are those of the files, in sha256sum's format, and sha256sum agrees.
    expect(readFileSync(join(dir, 'offline/SHA256SUMS'), 'utf8')).toBe(`${sha256(archive)}  images.tar.gz\n${sha256(join(dir, 'offline/images.txt'))}  images.txt\n`);
    const check = spawnSync('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: join(dir, 'offline'), encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    // A gzip-compressed docker save archive whose manifest tags all three.
    expect(readFileSync(archive).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const tarManifest = spawnSync('tar', ['-xzOf', archive, 'manifest.json'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(tarManifest.status, tarManifest.stderr).toBe(0);
    const tags = (JSON.parse(tarManifest.stdout) as Array<{ RepoTags: string[] }>).flatMap((e) => e.RepoTags);
    expect(tags.sort()).toEqual([APP, BASE, REDIS].sort());
    // The value to publish apart from the archive, and the command each machine runs with it.
    published = sha256(archive);
    expect(r.stdout).toContain(`  scripts/offline-load.sh --expect-sha256 ${published}\n`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`sha256 of offline/images.tar.gz: ${published}`);
  });

  it('2. with every image removed, doctor fails on the missing images and names the load script as the fix', async () => {
    expect(bundled.size, 'step 1 bundled the images').toBe(3);
    for (const ref of [APP, BASE, REDIS]) {
      const rm = docker(['image', 'rm', ref]);
      expect(rm.status, `docker image rm ${ref}: ${rm.stderr}`).toBe(0);
      expect(imageId(ref), `${ref} is gone`).toBeUndefined();
    }
    // The images' own layers are gone too: nothing else used them.
    for (const id of bundled.values()) expect(docker(['image', 'inspect', id]).status, id).not.toBe(0);

    const d = await run(process.execPath, [BIN, 'doctor', '--json'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(d.code, describeRun(d)).toBe(1);
    const report = JSON.parse(d.stdout) as { ok: boolean; checks: Array<{ id: string; status: string; detail: string; fix?: string }> };
    const images = report.checks.filter((c) => c.id === 'images');
    expect(images.map((c) => c.status)).toEqual(['fail', 'fail']);
    for (const c of images) expect(c.fix).toContain('scripts/offline-load.sh');
    expect(images.map((c) => c.detail).join('\n')).toContain(BASE);
  });

  it('3. scripts/offline-load.sh refuses another published SHA-256, then with the one bundle printed verifies and loads every image with its ID', async () => {
    const other = await run('bash', [join(dir, 'scripts/offline-load.sh'), '--expect-sha256', 'f'.repeat(64)], { cwd: dir, env, timeoutMs: 600_000 });
    expect(other.code, describeRun(other)).toBe(1);
    expect(other.stderr).toContain(`has the SHA-256 ${published}, not the published ${'f'.repeat(64)}`);
    for (const ref of [APP, BASE, REDIS]) expect(imageId(ref), `${ref} was not loaded`).toBeUndefined();

    const r = await run('bash', [join(dir, 'scripts/offline-load.sh'), '--expect-sha256', published], { cwd: dir, env, timeoutMs: 600_000 });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toContain(`images.tar.gz: the published SHA-256 (${published})`);
    expect(r.stdout).toContain('images.tar.gz: OK');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/loaded 3 images in \d+s/);
    figure(`scripts/offline-load.sh (sha256sum + docker load of 3 images, nothing cached): ${(r.ms / 1000).toFixed(1)} s`);
    for (const [ref, id] of bundled) expect(imageId(ref), ref).toBe(id);
    const d = await run(process.execPath, [BIN, 'doctor', '--json', '--no-pull'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(d.code, describeRun(d)).toBe(0);
  });

  it('4. docker compose up -d --wait with no registry reachable: the loaded images run, healthy, and answer', async () => {
    // Nothing can be pulled for these names: whatever runs was loaded from the bundle.
    const pull = docker(['pull', REDIS], 60_000);
    expect(pull.status, 'pulling the test-only Redis copy fails (no registry has it)').not.toBe(0);
    const up = await run('docker', ['compose', 'up', '-d', '--wait', '--wait-timeout', '180'], { cwd: dir, env, timeoutMs: 300_000 });
    expect(up.code, describeRun(up)).toBe(0);
    figure(`docker compose up -d --wait from the loaded images: ${(up.ms / 1000).toFixed(1)} s`);
    for (const [service, ref] of [['app', APP], ['redis', REDIS]] as const) {
      const ps = docker(['compose', '--file', join(dir, 'docker-compose.yml'), 'ps', '-q', service]);
      const id = ps.stdout.trim();
      expect(id, `${service} container`).not.toBe('');
      expect(docker(['inspect', '--format', '{{.Image}}', id]).stdout.trim(), `${service} runs the bundled ${ref}`).toBe(bundled.get(ref));
    }
    const first = await get(`http://127.0.0.1:${hostPort}/`);
    const second = await get(`http://127.0.0.1:${hostPort}/`);
    expect(first.status, first.body).toBe(200);
    expect((second.json as { hits: number }).hits).toBe((first.json as { hits: number }).hits + 1);
    expect((await get(`http://127.0.0.1:${hostPort}/healthz`)).status).toBe(200);
    const verify = await run(process.execPath, [BIN, 'verify', '--dir', dir], { cwd: dir, env, timeoutMs: 120_000 });
    expect(verify.code, describeRun(verify)).toBe(0);
  });

  it('5. an archive that would tag one image more than images.txt lists is refused before loading, sums and all', async () => {
    // The attacker's copy: the same three images plus EVIL, the image list unchanged, and a
    // SHA256SUMS to match (it travels with the archive, so whoever made the archive made it).
    expect(docker(['tag', BASE, EVIL]).status).toBe(0);
    const evilDir = join(root!, 'offline-evil');
    const made = spawnSync('bash', ['-c', `mkdir -p "$1" && docker save "$2" "$3" "$4" "$5" | gzip -1 >"$1/images.tar.gz" && cp "$6" "$1/images.txt" && cd "$1" && sha256sum images.tar.gz images.txt >SHA256SUMS`, 'make', evilDir, APP, BASE, REDIS, EVIL, join(dir, 'offline/images.txt')], { encoding: 'utf8', env, timeout: 300_000 });
    expect(made.status, made.stderr).toBe(0);
    expect(docker(['image', 'rm', EVIL]).status).toBe(0);

    const r = await run('bash', [join(dir, 'scripts/offline-load.sh'), evilDir], { cwd: dir, env, timeoutMs: 600_000 });
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.stdout).toContain('images.tar.gz: OK');
    expect(r.stderr).toContain(`would also tag ${EVIL}, which images.txt does not list: refusing it (nothing was loaded)`);
    expect(r.stdout).not.toContain('Loaded image');
    expect(imageId(EVIL), `${EVIL} was not loaded`).toBeUndefined();
    // With the published value it does not even get that far.
    const pinned = await run('bash', [join(dir, 'scripts/offline-load.sh'), evilDir, '--expect-sha256', published], { cwd: dir, env, timeoutMs: 600_000 });
    expect(pinned.code, describeRun(pinned)).toBe(1);
    expect(pinned.stderr).toContain(`not the published ${published}: it is not the bundle the workshop leader made`);
  });
});
