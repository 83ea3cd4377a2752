// What the catalog services' live tests (services/<id>/<id>.live.test.ts) share: a project
// generated with --services, a companion Node script run in a throw-away container on the
// project's backend network (its client installed from npm on the host at test time, the
// project's secret files mounted as Compose mounts them, the app's variables given as
// Compose gives them), and the checks that a service is not published, not reachable from
// the frontend network or the host, and that no container shows a password.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_NODE_IMAGE } from '../../../schema/defaults.ts';
import { BIN } from '../../unit/helpers/build.ts';
import { projectContainers } from './docker.ts';
import { banner, describeWithoutEngine, imageAvailable, liveGate } from './engine.ts';
import { describeRun, freePort, run, type Ran } from './run.ts';
import { compose, composeEnv, removeStack, step, type Stack } from './stack.ts';

type Obj = Record<string, any>;

/** Scaffolds a stack with these catalog services (or the answers file's, if given), under a unique project name. */
export async function generateCatalogStack(name: string, services: readonly string[], answers?: Obj): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'wpsnlive-'));
  const project = `wpsnlive-${name}-${randomBytes(4).toString('hex')}`;
  const hostPort = await freePort();
  const env = composeEnv();
  const args = [BIN, dir, '--yes', '--project-name', project, '--host-port', String(hostPort)];
  // --services would replace an answers file's list (and the options of its entries).
  const answersDir = answers ? mkdtempSync(join(tmpdir(), 'wpsnlive-answers-')) : undefined;
  if (!answersDir) args.push('--services', services.join(','));
  else {
    writeFileSync(join(answersDir, 'answers.json'), JSON.stringify(answers));
    args.push('--answers', join(answersDir, 'answers.json'));
  }
  const r = await run(process.execPath, args, { env, timeoutMs: 60_000 });
  if (answersDir) rmSync(answersDir, { recursive: true, force: true });
  if (r.code !== 0) throw new Error(`generating the stack failed:\n${describeRun(r)}`);
  const passwords = new Map<string, string>();
  for (const file of readdirSync(join(dir, 'secrets'))) {
    // Derived files (ACLs, configuration) hold hashes or the passwords themselves: the passwords are what count.
    if (/\.(acl|conf|toml|htpasswd)$/.test(file)) continue;
    passwords.set(file, readFileSync(join(dir, 'secrets', file), 'utf8').trim());
  }
  return { dir, project, hostPort, baseUrl: `http://127.0.0.1:${hostPort}`, env, passwords };
}

/**
 * A folder with these npm packages installed (once per set, from the registry, on the
 * host), for a companion script to import.
 */
export async function companionPackages(packages: readonly string[]): Promise<string> {
  const key = createHash('sha256').update(packages.join(' ')).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `wpsn-companion-${key}`);
  if (existsSync(join(dir, 'node_modules', '.wpsn-done'))) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'wpsn-companion', private: true, type: 'module' }));
  const r = await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', ...packages], { cwd: dir, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`npm install ${packages.join(' ')} failed:\n${describeRun(r)}`);
  writeFileSync(join(dir, 'node_modules', '.wpsn-done'), '');
  return dir;
}

/** The app's environment and secrets as docker-compose.yml gives them to the app service. */
function appFacts(stack: Stack): { environment: Record<string, string>; secrets: Array<{ name: string; file: string }> } {
  const compose = parseYaml(readFileSync(join(stack.dir, 'docker-compose.yml'), 'utf8')) as Obj;
  const app = compose['services']['app'] as Obj;
  const secrets = ((app['secrets'] ?? []) as string[]).map((name) => ({ name, file: join(stack.dir, String(compose['secrets'][name]['file'])) }));
  return { environment: app['environment'] as Record<string, string>, secrets };
}

/**
 * Runs `script` (an ES module) with Node in a throw-away container on the project's backend
 * network, as the app would: the app's variables named in `variables` (from the compose
 * file), the app's secret files mounted read-only at /run/secrets/<name>, and `packages` (a
 * folder from companionPackages) as its node_modules. Prints what the script prints.
 */
export async function runCompanion(
  stack: Stack,
  options: { packages: string; script: string; variables: readonly string[]; args?: readonly string[]; network?: string; timeoutMs?: number },
): Promise<Ran> {
  const facts = appFacts(stack);
  const dir = mkdtempSync(join(tmpdir(), 'wpsn-companion-run-'));
  // Readable by the container's uid 1000 (mkdtemp makes it 0700).
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'client.mjs'), options.script, { mode: 0o644 });
  // Named, so that a script that hangs is removed with its timeout (the CLI's exit alone leaves it running).
  const name = `wpsn-companion-${randomBytes(6).toString('hex')}`;
  const args = ['run', '--rm', '--name', name, '--network', options.network ?? `${stack.project}_backend`, '--read-only', '--cap-drop', 'ALL', '--user', '1000:1000'];
  // Node finds /node_modules from /t/client.mjs (a folder above it).
  args.push('-v', `${dir}:/t:ro`, '-v', `${join(options.packages, 'node_modules')}:/node_modules:ro`);
  for (const s of facts.secrets) args.push('-v', `${s.file}:/run/secrets/${s.name}:ro`);
  for (const name of options.variables) {
    const value = facts.environment[name];
    if (value === undefined) throw new Error(`the app gets no ${name} in docker-compose.yml`);
    args.push('-e', `${name}=${value}`);
  }
  args.push(DEFAULT_NODE_IMAGE, 'node', '/t/client.mjs', ...(options.args ?? []));
  const r = await run('docker', args, { timeoutMs: options.timeoutMs ?? 120_000 });
  if (r.timedOut) await run('docker', ['rm', '-f', name], { timeoutMs: 60_000 });
  rmSync(dir, { recursive: true, force: true });
  return r;
}

/** Runs the companion and returns its last output line parsed as JSON; throws with the whole run otherwise. */
export async function companionJson(stack: Stack, options: Parameters<typeof runCompanion>[1]): Promise<Obj> {
  const r = await runCompanion(stack, options);
  if (r.code !== 0) throw new Error(`the companion script failed:\n${describeRun(r)}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Obj;
  } catch {
    throw new Error(`the companion script printed no JSON:\n${describeRun(r)}`);
  }
}

/** The service publishes no host port (but the UI ports given) and is only on the backend network (and the given ones). */
export async function expectUnpublished(stack: Stack, service: string, networks: readonly string[] = ['backend'], uiPorts: readonly string[] = []): Promise<void> {
  const info = (await projectContainers(stack.project)).get(service)?.[0];
  expect(info, `${service} has a container`).toBeDefined();
  const published = Object.entries(info!.NetworkSettings.Ports ?? {}).filter(([, b]) => b && b.length > 0);
  expect(published.map(([port]) => port), `${service} publishes a host port`).toEqual([...uiPorts]);
  for (const [, bindings] of published) for (const b of bindings ?? []) expect(b.HostIp, `${service} publishes on ${b.HostIp}`).toBe('127.0.0.1');
  expect(Object.keys(info!.HostConfig.PortBindings ?? {}), `${service} port bindings`).toEqual([...uiPorts]);
  expect(Object.keys(info!.NetworkSettings.Networks).sort(), `${service} networks`).toEqual(networks.map((n) => `${stack.project}_${n}`).sort());
}

/** From the frontend network the service's name does not even resolve; on the host nothing answers on its port. */
export async function expectUnreachable(stack: Stack, service: string, port: number): Promise<void> {
  const probe = `require('node:net').connect(${port}, ${JSON.stringify(service)}).on('error', (e) => { console.log(e.code); process.exit(0); }).on('connect', () => { console.log('CONNECTED'); process.exit(1); })`;
  const r = await run('docker', ['run', '--rm', '--network', `${stack.project}_frontend`, DEFAULT_NODE_IMAGE, 'node', '-e', probe], { timeoutMs: 60_000 });
  expect(r.code, describeRun(r)).toBe(0);
  expect(r.stdout.trim()).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
  const host = await new Promise<string>((resolvePromise) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(3000);
    socket.on('connect', () => {
      socket.destroy();
      resolvePromise('CONNECTED');
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolvePromise('TIMEOUT');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolvePromise(e.code ?? e.message));
  });
  expect(host, `127.0.0.1:${port} on the host`).toBe('ECONNREFUSED');
}

/** No password of secrets/ in any container's environment, command, entrypoint, health check or labels. */
export async function expectNoPasswordShown(stack: Stack): Promise<void> {
  const all = await projectContainers(stack.project);
  expect(stack.passwords.size).toBeGreaterThan(0);
  for (const [service, list] of all) {
    for (const info of list) {
      const shown = { Env: info.Config.Env, Cmd: info.Config.Cmd, Entrypoint: info.Config.Entrypoint, Healthcheck: info.Config.Healthcheck, Labels: info.Config.Labels, Args: info.Args };
      const text = JSON.stringify(shown);
      for (const [file, password] of stack.passwords) expect(text.includes(password), `${service}'s Env/Cmd/... contain the password of secrets/${file}`).toBe(false);
    }
  }
}

/**
 * The live test of a catalog service no stand-in exists for here (Mailpit, MinIO,
 * Meilisearch, MongoDB: no Debian package, so nothing honest to build): when its official
 * image can be had (a machine that reaches the registry), a stack with it must come up
 * healthy, unpublished, showing no password; otherwise the test says, loudly, that nothing
 * was proven here and why.
 */
export function describeUnprovenService(kind: string, image: string, why: string): void {
  const gate = liveGate();
  if (!gate.ready) {
    describeWithoutEngine(`live: ${kind} (catalog service)`, gate);
    return;
  }
  describe(`live: ${kind} (catalog service)`, () => {
    it(`comes up healthy, unpublished and showing no password, where ${image} can be had; otherwise: not proven here (${why})`, async () => {
      const available = imageAvailable(image, 60_000);
      if (!available.available) {
        console.warn(banner(`${kind}: NOT PROVEN HERE. ${image} is not available (${available.how}): ${why}. Its compose file is checked by docker compose config -q and the Compose Specification schema (services/${kind}/${kind}.test.ts).`));
        console.log(`figure: [${kind}] not proven live here: ${why}`);
        return;
      }
      const stack = await generateCatalogStack(kind, [kind]);
      try {
        await step(stack, ['app', 'redis', kind], async () => {
          const up = await compose(stack, ['up', '-d', '--build', '--wait', '--wait-timeout', '300'], 600_000);
          expect(up.code, describeRun(up)).toBe(0);
          await expectUnpublished(stack, kind);
          await expectNoPasswordShown(stack);
        });
      } finally {
        await removeStack(stack);
      }
    });
  });
}
