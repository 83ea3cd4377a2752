// wpsn-docker bundle: every image a generated project's stack needs, saved into one
// compressed archive for machines that cannot pull (a workshop room's network).
//
//   offline/images.tar.gz   docker save of every image, gzip
//   offline/images.txt      one line per image: reference, image ID, platform, size in bytes
//   offline/SHA256SUMS      sha256sum lines for both (other bundles' lines in the folder are kept)
//
// It also prints the archive's SHA-256 for the workshop leader to publish apart from the
// archive: SHA256SUMS travels with it, so it only shows a copy is not damaged; the published
// value (scripts/offline-load.sh --expect-sha256) shows who made it.
//
// The images: every service image of docker-compose.yml (Redis, the database, extra services),
// the images Compose builds (the app, built first when missing), and the base images their
// Dockerfiles start FROM. scripts/offline-load.sh (generated with --workshop) checks and loads
// the archive with no arguments. Exit codes: 0 written, 1 an engine, build, pull or save
// failure, 2 usage or not a generated project.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { OFFLINE_ARCHIVE, OFFLINE_LOAD_SCRIPT } from '../../core/render/workshop.ts';
import { shellQuote, shellWord } from '../../core/shell.ts';
import { parseCommandLine } from '../args.ts';
import { cliEnv, findEngine, type Engine } from './engine.ts';

const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

export const BUNDLE_HELP = `Usage: wpsn-docker bundle [directory] [options]

Saves every image the stack of a generated project needs into one compressed archive, for
machines that cannot pull images (a workshop room's network), and writes its image list
and checksums next to it:

  ${OFFLINE_ARCHIVE}   docker save of every image, gzip-compressed
  offline/images.txt      reference, image ID, platform and size of each image
  offline/SHA256SUMS      checksums of both (sha256sum -c format)

The images: the service images of docker-compose.yml (Redis, the database, extra services),
the images Compose builds (the app: built first with docker compose build when missing),
and the base images their Dockerfiles start FROM. Missing service and base images are
pulled first. On each machine, copy the offline/ folder into the project and run
${OFFLINE_LOAD_SCRIPT} (generated with --workshop): it checks the checksums, refuses an
archive that would tag images the list does not name, and loads it.

It prints the archive's SHA-256 last: publish that value apart from the archive (the
workshop page, the board, a chat message), and have each machine run
${OFFLINE_LOAD_SCRIPT} --expect-sha256 <that value>. SHA256SUMS travels with the
archive, so on its own it shows that a copy is not damaged, not who made it.

Options:
  --output <file.tar.gz>   where to write the archive (default: ${OFFLINE_ARCHIVE} in the
                           project); the image list and SHA256SUMS go next to it
  --level <1-9>            gzip level: 1 is fastest, 9 smallest (default: 6)
  --build                  rebuild the images Compose builds even when they exist
  -h, --help               show this help

The engine: DOCKER_HOST when set; otherwise the first of /var/run/docker.sock, Docker
Desktop's, Colima's and Podman's sockets that answers.

Exit codes: 0 written, 1 no engine, or a build, pull or save failed, 2 invalid usage or
not a generated project.`;

class BundleUsageError extends Error {
  override name = 'BundleUsageError';
}

class BundleError extends Error {
  override name = 'BundleError';
}

export interface BundleOptions {
  dir: string;
  output: string;
  level: number;
  build: boolean;
}

export function parseBundleArgs(argv: string[]): BundleOptions | 'help' {
  let parsed;
  try {
    parsed = parseCommandLine(argv, { output: { type: 'string' }, level: { type: 'string' }, build: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  } catch (error) {
    throw new BundleUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length > 1) throw new BundleUsageError(`one directory at most, got ${positionals.map((p) => JSON.stringify(p)).join(', ')}`);
  const dir = resolve(positionals[0] ?? '.');
  const output = values.output === undefined ? join(dir, OFFLINE_ARCHIVE) : resolve(values.output);
  if (!output.endsWith('.tar.gz') || basename(output) === '.tar.gz') {
    throw new BundleUsageError(`--output must name a .tar.gz file, such as ${OFFLINE_ARCHIVE}, got ${JSON.stringify(values.output)}`);
  }
  let level = 6;
  if (values.level !== undefined) {
    if (!/^[1-9]$/.test(values.level.trim())) throw new BundleUsageError(`--level must be a gzip level from 1 (fastest) to 9 (smallest), got ${JSON.stringify(values.level)}`);
    level = Number(values.level);
  }
  return { dir, output, level, build: values.build ?? false };
}

// ---------------------------------------------------------------------------------------
// Pure parts

/**
 * The images a Dockerfile starts FROM, in order: global ARG defaults (overridden by the
 * build arguments) substituted, earlier stages and `scratch` left out.
 */
export function baseImagesOf(dockerfile: string, buildArgs: Record<string, string | null | undefined> = {}): string[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of dockerfile.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (current === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (/\\\s*$/.test(raw)) {
      current += `${raw.replace(/\\\s*$/, '')} `;
      continue;
    }
    // A comment line inside a continued instruction is dropped, as BuildKit does.
    if (trimmed.startsWith('#')) continue;
    logical.push(`${current}${raw}`.trim());
    current = '';
  }
  if (current.trim() !== '') logical.push(current.trim());

  const args = new Map<string, string>();
  const stages = new Set<string>();
  const images: string[] = [];
  let seenFrom = false;
  const substitute = (text: string): string =>
    text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare) as string;
      const value = args.get(name);
      if (op === ':-') return value ? value : (word ?? '');
      if (op === '-') return value !== undefined ? value : (word ?? '');
      if (op === ':+') return value ? (word ?? '') : '';
      if (op === '+') return value !== undefined ? (word ?? '') : '';
      return value ?? '';
    });
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const upper = keyword.toUpperCase();
    if (upper === 'ARG' && !seenFrom) {
      for (const item of rest) {
        const eq = item.indexOf('=');
        const name = eq < 0 ? item : item.slice(0, eq);
        let value: string | undefined = eq < 0 ? undefined : item.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
        const given = buildArgs[name];
        if (given !== undefined && given !== null) value = given;
        if (value !== undefined) args.set(name, value);
      }
    } else if (upper === 'FROM') {
      seenFrom = true;
      const words = rest.filter((w) => !w.startsWith('--'));
      const image = substitute(words[0] ?? '');
      const as = words.findIndex((w) => w.toLowerCase() === 'as');
      if (image !== '' && image.toLowerCase() !== 'scratch' && !stages.has(image.toLowerCase()) && !images.includes(image)) images.push(image);
      if (as >= 0 && words[as + 1]) stages.add((words[as + 1] as string).toLowerCase());
    }
  }
  return images;
}

/** `name` -> `name:latest` (docker save of a bare name would save every tag of it). */
export function withTag(ref: string): string {
  if (ref.includes('@')) return ref;
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return last.includes(':') ? ref : `${ref}:latest`;
}

export interface ComposeImages {
  project: string;
  /** Images Compose builds, by service. */
  built: Array<{ service: string; image: string; dockerfile: string; args: Record<string, string> }>;
  /** Images services run as they are. */
  pulled: Array<{ service: string; image: string }>;
}

/** The images of `docker compose config --format json` output. */
export function composeImages(config: unknown): ComposeImages {
  const doc = (config ?? {}) as { name?: unknown; services?: Record<string, { image?: unknown; build?: { context?: unknown; dockerfile?: unknown; args?: unknown } }> };
  const project = typeof doc.name === 'string' ? doc.name : '';
  const built: ComposeImages['built'] = [];
  const pulled: ComposeImages['pulled'] = [];
  for (const [service, s] of Object.entries(doc.services ?? {})) {
    if (s.build) {
      const context = typeof s.build.context === 'string' ? s.build.context : '.';
      const file = typeof s.build.dockerfile === 'string' ? s.build.dockerfile : 'Dockerfile';
      const args: Record<string, string> = {};
      if (s.build.args && typeof s.build.args === 'object') {
        for (const [k, v] of Object.entries(s.build.args as Record<string, unknown>)) if (typeof v === 'string') args[k] = v;
      }
      built.push({ service, image: withTag(typeof s.image === 'string' ? s.image : `${project}-${service}`), dockerfile: isAbsolute(file) ? file : join(context, file), args });
    } else if (typeof s.image === 'string') {
      pulled.push({ service, image: withTag(s.image) });
    }
  }
  return { project, built, pulled };
}

/** SHA256SUMS text: `lines` for our files replace theirs, other files' lines stay, sorted by name. */
export function mergeSums(existing: string | undefined, ours: Record<string, string>): string {
  const byName = new Map<string, string>();
  for (const line of (existing ?? '').split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (m?.[1] && m[2]) byName.set(m[2], m[1]);
  }
  for (const [name, hash] of Object.entries(ours)) byName.set(name, hash);
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, hash]) => `${hash}  ${name}\n`)
    .join('');
}

/**
 * What the leader does next: copy the folder, and publish the archive's SHA-256 apart from it
 * (SHA256SUMS travels with the archive: it shows a copy is not damaged, not who made it).
 * The last line is the SHA-256 alone, for scripts.
 */
export function nextSteps(o: { archive: string; dir: string; sha256: string; loadScript: boolean }): string[] {
  const name = basename(o.archive);
  const lines = [`Next: copy ${o.dir}/ into this project on each machine, and publish the archive's SHA-256 apart from it`];
  lines.push('(the workshop page, the board, a chat message): SHA256SUMS travels with the archive, so it only shows');
  lines.push('that a copy is not damaged; the published value shows who made it. On each machine:');
  if (o.loadScript) {
    lines.push(`  ${OFFLINE_LOAD_SCRIPT} --expect-sha256 ${o.sha256}`);
  } else {
    lines.push(
      `  (cd ${shellWord(o.dir)} && echo ${shellQuote(`${o.sha256}  ${name}`)} | sha256sum -c - && sha256sum -c SHA256SUMS) && docker load -i ${shellWord(o.archive)}`,
      `(re-run the generator with --workshop to get ${OFFLINE_LOAD_SCRIPT}, which does that, loads only the listed images and checks each one.)`,
    );
  }
  lines.push(`sha256 of ${o.archive}: ${o.sha256}`);
  return lines;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

// ---------------------------------------------------------------------------------------
// Doing it

const log = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

function docker(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; capture?: boolean }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    // Progress of builds and pulls goes to stderr: stdout carries only the summary.
    const child = spawn('docker', args, { cwd: options.cwd, env: options.env, stdio: ['ignore', options.capture ? 'pipe' : 2, options.capture ? 'pipe' : 2] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new BundleError(`cannot run docker ${args[0] ?? ''}: ${e.message} (is the docker CLI installed?)`)));
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

interface ImageFacts {
  ref: string;
  id: string;
  platform: string;
  size: number;
}

async function inspect(engine: Engine, ref: string): Promise<ImageFacts | undefined> {
  try {
    const info = await engine.docker.getImage(ref).inspect();
    const platform = [info.Os || 'linux', info.Architecture || 'unknown', (info as { Variant?: string }).Variant].filter(Boolean).join('/');
    return { ref, id: info.Id, platform, size: info.Size };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw new BundleError(`the engine did not inspect ${ref}: ${(error as Error).message}`);
  }
}

export async function runBundle(argv: string[]): Promise<number> {
  let options: BundleOptions | 'help';
  try {
    options = parseBundleArgs(argv);
  } catch (error) {
    process.stderr.write(`wpsn-docker bundle: ${(error as Error).message}\nRun wpsn-docker bundle --help for the options.\n`);
    return EXIT.usage;
  }
  if (options === 'help') {
    process.stdout.write(`${BUNDLE_HELP}\n`);
    return EXIT.ok;
  }
  try {
    return await bundle(options);
  } catch (error) {
    if (error instanceof BundleUsageError) {
      process.stderr.write(`wpsn-docker bundle: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof BundleError) {
      process.stderr.write(`wpsn-docker bundle: ${error.message}\n`);
      return EXIT.failure;
    }
    throw error;
  }
}

async function bundle(options: BundleOptions): Promise<number> {
  const started = performance.now();
  const { dir } = options;
  if (!COMPOSE_FILES.some((f) => existsSync(join(dir, f)))) {
    throw new BundleUsageError(`${dir} is not a generated project (no docker-compose.yml): run bundle inside one, or give its directory`);
  }
  const { engine, tried } = await findEngine(process.env);
  if (!engine) {
    const detail = tried.length ? tried.map((t) => `${t.description}: ${t.error}`).join('; ') : 'no Docker socket found';
    throw new BundleError(`no Docker Engine answers (${detail}): start Docker, or set DOCKER_HOST (wpsn-docker doctor says more)`);
  }
  const env = cliEnv(process.env, engine);

  // What the stack runs, as Compose itself reads the project (the user's .env included).
  const config = await docker(['compose', 'config', '--format', 'json'], { cwd: dir, env, capture: true });
  if (config.code !== 0) throw new BundleError(`docker compose config failed in ${dir}:\n${config.stderr.trim()}`);
  let images: ComposeImages;
  try {
    images = composeImages(JSON.parse(config.stdout));
  } catch (error) {
    throw new BundleError(`docker compose config printed no JSON: ${(error as Error).message}`);
  }

  // The images Compose builds: built now when missing (or with --build).
  const toBuild: string[] = [];
  for (const b of images.built) if (options.build || !(await inspect(engine, b.image))) toBuild.push(b.service);
  if (toBuild.length) {
    log(`building ${toBuild.join(', ')} (docker compose build)`);
    const r = await docker(['compose', 'build', ...toBuild], { cwd: dir, env });
    if (r.code !== 0) throw new BundleError(`docker compose build ${toBuild.join(' ')} failed (exit ${r.code}): see its output above`);
  }

  // Base images first (they share layers with the built ones), then the services'.
  const refs: string[] = [];
  const add = (ref: string) => {
    const tagged = withTag(ref);
    if (!refs.includes(tagged)) refs.push(tagged);
  };
  for (const b of images.built) {
    let text: string;
    try {
      text = readFileSync(b.dockerfile, 'utf8');
    } catch (error) {
      throw new BundleError(`cannot read the Dockerfile of ${b.service} (${b.dockerfile}): ${(error as Error).message}`);
    }
    for (const base of baseImagesOf(text, b.args)) add(base);
  }
  for (const p of images.pulled) add(p.image);
  for (const b of images.built) add(b.image);

  const facts: ImageFacts[] = [];
  for (const ref of refs) {
    let f = await inspect(engine, ref);
    if (!f) {
      log(`pulling ${ref} (not on this machine)`);
      const r = await docker(['pull', ref], { cwd: dir, env });
      if (r.code !== 0) throw new BundleError(`${ref} is not on this machine and docker pull failed (exit ${r.code}): make the bundle on a machine that can pull it`);
      f = await inspect(engine, ref);
      if (!f) throw new BundleError(`${ref} is still missing after docker pull`);
    }
    if (ref.includes('@')) log(`warning: ${ref} is pinned by digest; docker load restores image IDs and tags, not registry digests, so Compose may still try to pull it. Pin it by tag for offline use.`);
    facts.push(f);
  }

  // docker save of all of them at once (shared layers stored once), gzip, sha256, atomically.
  const output = options.output;
  const outDir = dirname(output);
  mkdirSync(outDir, { recursive: true });
  const partial = `${output}.partial-${process.pid}`;
  const hash = createHash('sha256');
  let bytes = 0;
  let saved = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      saved += chunk.length;
      callback(null, chunk);
    },
  });
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  log(`saving ${facts.length} images: ${facts.map((f) => f.ref).join(', ')}`);
  const saveStarted = performance.now();
  try {
    // GET /images/get?names=A&names=B (dockerode has it; its type definitions do not).
    const getImages = (engine.docker as unknown as { getImages(opts: { names: string[] }): Promise<NodeJS.ReadableStream> }).getImages.bind(engine.docker);
    const stream = await getImages({ names: facts.map((f) => f.ref) });
    await pipeline(stream, count, createGzip({ level: options.level }), tee, createWriteStream(partial, { mode: 0o644 }));
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BundleError(`saving the images failed: ${(error as Error).message}`);
  }
  renameSync(partial, output);
  const saveMs = performance.now() - saveStarted;

  const manifestName = `${basename(output).slice(0, -'.tar.gz'.length)}.txt`;
  const manifest = [
    `# Images in ${basename(output)}, made by wpsn-docker bundle for the Compose project ${images.project}.`,
    '# reference, image ID, platform, size in bytes (scripts/offline-load.sh checks each after loading)',
    ...facts.map((f) => `${f.ref} ${f.id} ${f.platform} ${f.size}`),
    '',
  ].join('\n');
  writeFileSync(join(outDir, manifestName), manifest);
  const sumsPath = join(outDir, 'SHA256SUMS');
  const existing = existsSync(sumsPath) ? readFileSync(sumsPath, 'utf8') : undefined;
  const archiveSha256 = hash.digest('hex');
  writeFileSync(sumsPath, mergeSums(existing, { [basename(output)]: archiveSha256, [manifestName]: createHash('sha256').update(manifest).digest('hex') }));

  const show = (path: string) => {
    const rel = relative(dir, path);
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  const out: string[] = [];
  for (const f of facts) out.push(`  ${f.ref.padEnd(40)} ${f.platform.padEnd(12)} ${formatBytes(f.size)}`);
  out.push(
    '',
    `wrote ${show(output)}: ${formatBytes(bytes)} (docker save wrote ${formatBytes(saved)}, shared layers once; gzip level ${options.level}; ${(saveMs / 1000).toFixed(1)} s)`,
    `      ${show(join(outDir, manifestName))}, ${show(sumsPath)}`,
    `done in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    '',
    ...nextSteps({ archive: show(output), dir: show(outDir), sha256: archiveSha256, loadScript: existsSync(join(dir, OFFLINE_LOAD_SCRIPT)) }),
  );
  process.stdout.write(`${out.join('\n')}\n`);
  // `bytes` counted the compressed stream; the file must hold all of it.
  if (statSync(output).size !== bytes) throw new BundleError(`${output} has ${statSync(output).size} bytes, expected ${bytes}`);
  return EXIT.ok;
}

