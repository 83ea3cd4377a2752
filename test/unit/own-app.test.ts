// The user's own app through the built bin (`node dist/bin/wpsn-docker.js <dir> --yes`):
// what is detected ends in the Dockerfile and Compose file; what cannot be derived stops the
// run; files the user already has (Dockerfile, Compose files, .gitattributes, .env.example)
// are never silently replaced; a pnpm workspace's app package is built and run in its folder.
// Then the health check and writable folders on Kubernetes and Container Apps, and doctor's
// warning about two Compose files.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBlock, mergeBlock } from '../../core/block.ts';
import { deriveModel, type StackModel } from '../../core/model.ts';
import { acaAppObject } from '../../targets/deploy/aca/render.ts';
import { kubernetesBase } from '../../targets/deploy/kubernetes/render.ts';
import { composeObject } from '../../core/render/compose.ts';
import { resolveSpec } from '../../core/spec.ts';
import { ensureBuilt, makeTempDir, read, removeTempDirs, runCli, sha256, snapshotTree, type RunResult } from './helpers/cli.ts';

type Obj = Record<string, any>;

beforeAll(() => {
  ensureBuilt();
});
afterAll(() => {
  removeTempDirs();
});

const json = (value: object): string => `${JSON.stringify(value, null, 2)}\n`;

/** A project folder "app" holding these files, in a fresh temp dir; returns its path. */
function project(files: Record<string, string>): string {
  const dir = join(makeTempDir('wpsn-own-'), 'app');
  mkdirSync(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
const wpsn = (dir: string, ...args: string[]): RunResult => runCli(dirname(dir), ['app', '--yes', ...args]);
function expectExit(result: RunResult, code: number): void {
  expect(result.code, result.describe).toBe(code);
}
const lines = (text: string): string[] => text.split('\n');
const dockerfile = (dir: string): string => read(dir, 'Dockerfile');
const answers = (dir: string): Obj => (JSON.parse(read(dir, '.yo-rc.json')) as Obj)['generator-wpsn-docker'];

const OWN_APP = {
  'package.json': json({ name: 'shop', version: '1.0.0', scripts: { start: 'node src/index.js', build: 'tsc' } }),
  'package-lock.json': json({ name: 'shop', lockfileVersion: 3, requires: true, packages: {} }),
  'src/index.ts': 'app.listen(process.env.PORT || 3000);\n',
};

describe('an existing app: run as its start script says, built as its build script says', () => {
  let dir: string;
  let result: RunResult;
  beforeAll(() => {
    dir = project(OWN_APP);
    result = wpsn(dir);
    expectExit(result, 0);
  });

  it('CMD is the start script as an exec-form command (node, never npm)', () => {
    expect(lines(dockerfile(dir))).toContain('CMD ["node","src/index.js"]');
    expect(dockerfile(dir)).toContain('# Exec form: the app itself is the process that receives SIGTERM');
    expect(answers(dir).answers.app.command).toEqual(['node', 'src/index.js']);
  });

  it('a build stage installs every dependency and runs npm run build; the runtime takes the build\'s files', () => {
    const text = lines(dockerfile(dir));
    const build = text.indexOf('FROM base AS build');
    const runtime = text.indexOf('FROM base AS runtime');
    expect(build).toBeGreaterThan(0);
    expect(runtime).toBeGreaterThan(build);
    const stage = text.slice(build, runtime);
    expect(stage.some((l) => l.trim() === 'npm ci --include=dev --no-audit --no-fund')).toBe(true);
    expect(stage.some((l) => l.startsWith('RUN npm run build && rm -rf node_modules'))).toBe(true);
    expect(text.slice(runtime)).toContain('COPY --from=build /app .');
  });

  it('an app without a known health endpoint is healthy while GET / answers below 500', () => {
    const healthcheck = lines(dockerfile(dir)).find((l) => l.trim().startsWith('CMD ["node","-e","require(\'node:http\')'))!;
    expect(healthcheck).toContain("get('http://127.0.0.1:3000/', { timeout: 2500 }");
    expect(healthcheck).toContain('r.statusCode < 500');
    const app = (parseYaml(read(dir, 'docker-compose.yml')) as Obj).services.app;
    expect(app.environment.HEALTH_PATH).toBe('/');
    expect(app.environment.HOST).toBe('0.0.0.0');
    expect(answers(dir).answers.app).toMatchObject({ healthCheck: 'status', healthPath: '/', buildScript: 'build' });
  });

  it('the user\'s package.json stays, no sample app is added, and the run says what it detected and where from', () => {
    expect(read(dir, 'package.json')).toBe(OWN_APP['package.json']);
    expect(Object.keys(snapshotTree(dir))).not.toContain('server.js');
    expect(answers(dir).sampleApp).toBe(false);
    expect(result.stderr).toContain('start: node src/index.js (from package.json scripts.start)');
    expect(result.stderr).toContain('build: npm run build (from package.json scripts.build)');
  });

  it('a re-run changes nothing and does not repeat what it detected', () => {
    const before = snapshotTree(dir);
    const again = wpsn(dir);
    expectExit(again, 0);
    expect(again.stderr).not.toContain('as detected');
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('what stops the run, and what the user is told', () => {
  it('no derivable start command: exit 2 naming app.command and the way out, nothing written', () => {
    const dir = project({ 'package.json': json({ name: 'x', scripts: { dev: 'nodemon src/index.js' } }) });
    const before = snapshotTree(dirname(dir));
    const result = wpsn(dir);
    expectExit(result, 2);
    expect(result.stderr).toMatch(/^ {2}- app\.command \(package\.json\): the start command could not be derived from your app: .*--command/m);
    expect(result.stderr).toContain('nothing was written');
    expect(snapshotTree(dirname(dir))).toEqual(before);
  });

  it('a dev-tool start script: exit 2 saying why it is refused', () => {
    const dir = project({ 'package.json': json({ name: 'x', scripts: { start: 'ts-node src/index.ts' } }) });
    const result = wpsn(dir);
    expectExit(result, 2);
    expect(result.stderr).toMatch(/app\.command \(package\.json scripts\.start\): .*runs ts-node, a development tool/);
  });

  it('--command "npm start": a warning that npm does not forward SIGTERM, which the Dockerfile says too', () => {
    const dir = project(OWN_APP);
    const result = wpsn(dir, '--command', 'npm start');
    expectExit(result, 0);
    expect(result.stderr).toMatch(/^wpsn-docker: the start command runs npm \(npm start\), which does not forward SIGTERM to the app/m);
    const text = dockerfile(dir);
    expect(lines(text)).toContain('CMD ["npm","start"]');
    expect(text).toContain('# Exec form, but the process is npm, which does not forward SIGTERM to the app:');
    expect(text).not.toContain('the app itself is the process that receives SIGTERM');
  });

  it('a Dockerfile of the user\'s own: exit 3 "not written by wpsn-docker", nothing written; --force replaces it', () => {
    const mine = 'FROM node:22\nCOPY . .\nCMD ["node", "src/index.js"]\n';
    const dir = project({ ...OWN_APP, Dockerfile: mine });
    const before = snapshotTree(dir);
    const result = wpsn(dir);
    expectExit(result, 3);
    expect(result.stderr).toMatch(/not written by wpsn-docker:\n {2}- Dockerfile\n/);
    expect(result.stderr).toContain('--force');
    expect(snapshotTree(dir)).toEqual(before);
    const forced = wpsn(dir, '--force');
    expectExit(forced, 0);
    expect(dockerfile(dir)).not.toBe(mine);
    expect(lines(dockerfile(dir))).toContain('CMD ["node","src/index.js"]');
    expect(answers(dir).generated.files['Dockerfile']).toBe(`sha256:${sha256(dockerfile(dir))}`);
  });

  it('an existing compose.yaml: the stack is written to it (never a second file), so it is a conflict until --force', () => {
    const theirs = 'services:\n  web:\n    image: nginx:1.27\n';
    const dir = project({ ...OWN_APP, 'compose.yaml': theirs });
    const result = wpsn(dir);
    expectExit(result, 3);
    expect(result.stderr).toMatch(/not written by wpsn-docker:\n {2}- compose\.yaml\n/);
    expect(read(dir, 'compose.yaml')).toBe(theirs);
    expect(Object.keys(snapshotTree(dir)).sort()).toEqual([...Object.keys(OWN_APP), 'compose.yaml', 'src/'].sort());
    const forced = wpsn(dir, '--force');
    expectExit(forced, 0);
    const tree = Object.keys(snapshotTree(dir));
    expect(tree).not.toContain('docker-compose.yml');
    expect((parseYaml(read(dir, 'compose.yaml')) as Obj).services.app.build.target).toBe('runtime');
    expect(answers(dir).answers.composeFile).toBe('compose.yaml');
    // The files that name the Compose file name this one.
    expect(read(dir, '.gitattributes')).toContain('compose.yaml text eol=lf');
    expect(dockerfile(dir)).toContain('(see compose.yaml)');
    expect(forced.stdout).toMatch(/^ +(create|update|force) compose\.yaml$/m);
  });

  it('compose.yaml and docker-compose.yml both here: exit 3 naming both and --compose-file, nothing written', () => {
    const dir = project({ ...OWN_APP, 'compose.yaml': 'services: {}\n', 'docker-compose.yml': 'services: {}\n' });
    const before = snapshotTree(dir);
    const result = wpsn(dir);
    expectExit(result, 3);
    expect(result.stderr).toContain('compose.yaml is here as well as docker-compose.yml, which this run writes: docker compose reads only compose.yaml');
    expect(result.stderr).toContain('--compose-file compose.yaml');
    expect(result.stderr).toContain('Nothing was written');
    expect(snapshotTree(dir)).toEqual(before);
    // --force does not make the shadowing go away.
    expectExit(wpsn(dir, '--force'), 3);
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('a workspace with several servers', () => {
  it('without --app-dir: exit 2 naming the packages and --app-dir; with it: that package runs', () => {
    const dir = project({
      'package.json': json({ name: 'mono', private: true, workspaces: ['apps/*'] }),
      'package-lock.json': json({ lockfileVersion: 3 }),
      'apps/web/package.json': json({ name: 'web', scripts: { start: 'node web.js', build: 'tsc' } }),
      'apps/api/package.json': json({ name: 'api', scripts: { start: 'node api.js' } }),
    });
    const result = wpsn(dir);
    expectExit(result, 2);
    expect(result.stderr).toContain('several packages with a start script (apps/api, apps/web): choose one with --app-dir');
    expectExit(wpsn(dir, '--app-dir', 'apps/web'), 0);
    const text = lines(dockerfile(dir));
    expect(text).toContain('CMD ["node","web.js"]');
    expect(text).toContain('WORKDIR /app/apps/web');
    // npm has no --filter: the build runs in the package's folder.
    expect(text).toContain('RUN cd apps/web && npm run build && rm -rf node_modules apps/api/node_modules apps/web/node_modules');
  });
});

describe('.gitattributes and .env.example: managed blocks in the user\'s own files', () => {
  it('the user\'s lines stay, first; the block is appended', () => {
    const gitattributes = '*.png binary\n*.ts text eol=lf\n';
    const envExample = 'DATABASE_URL=postgres://localhost/dev\nSTRIPE_KEY=\n';
    const dir = project({ ...OWN_APP, '.gitattributes': gitattributes, '.env.example': envExample });
    const result = wpsn(dir);
    expectExit(result, 0);
    for (const [file, mine] of [['.gitattributes', gitattributes], ['.env.example', envExample]] as const) {
      const text = read(dir, file);
      expect(text.startsWith(`${mine}\n# >>> generator-wpsn-docker`), file).toBe(true);
      expect(extractBlock(text), file).toBeDefined();
      expect(result.stdout, file).toMatch(new RegExp(`^ +update ${file.replace('.', '\\.')}$`, 'm'));
    }
    expect(extractBlock(read(dir, '.gitattributes'))).toContain('Dockerfile text eol=lf');
  });

  it('a whole file an earlier version generated (its hash recorded) is replaced by the block, not appended to', () => {
    const dir = project(OWN_APP);
    expectExit(wpsn(dir), 0);
    const yoRcPath = join(dir, '.yo-rc.json');
    const state = JSON.parse(readFileSync(yoRcPath, 'utf8')) as Obj;
    const files = state['generator-wpsn-docker'].generated.files as Record<string, string>;
    for (const file of ['.gitattributes', '.env.example']) {
      // What the earlier version wrote: the same lines as a whole file, without markers.
      const whole = extractBlock(read(dir, file))!;
      writeFileSync(join(dir, file), whole);
      files[file] = `sha256:${sha256(whole)}`;
    }
    writeFileSync(yoRcPath, JSON.stringify(state, null, 2));
    expectExit(wpsn(dir), 0);
    for (const file of ['.gitattributes', '.env.example']) {
      const text = read(dir, file);
      expect(text, file).toBe(mergeBlock(undefined, extractBlock(text)!));
      // Each of its lines once, not the old file and the block.
      const first = lines(extractBlock(text)!)[0]!;
      expect(text.split(first).length - 1, file).toBe(1);
    }
  });

  it('the same lines without a recorded hash are the user\'s: kept, with the block after them', () => {
    const dir = project(OWN_APP);
    expectExit(wpsn(dir), 0);
    const yoRcPath = join(dir, '.yo-rc.json');
    const state = JSON.parse(readFileSync(yoRcPath, 'utf8')) as Obj;
    const whole = extractBlock(read(dir, '.gitattributes'))!;
    writeFileSync(join(dir, '.gitattributes'), whole);
    delete state['generator-wpsn-docker'].generated.files['.gitattributes'];
    writeFileSync(yoRcPath, JSON.stringify(state, null, 2));
    expectExit(wpsn(dir), 0);
    expect(read(dir, '.gitattributes')).toBe(mergeBlock(whole, whole));
  });
});

describe('a pnpm workspace: the app package is installed, built and run in its folder', () => {
  let dir: string;
  let text: string;
  let result: RunResult;
  beforeAll(() => {
    dir = project({
      'package.json': json({ name: 'mono', private: true, packageManager: 'pnpm@9.15.0+sha512.76e2379760a4328ec4415815bcd6628dee727af3779aaa4c914e3944156c4299' }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n',
      'apps/web/package.json': json({ name: 'web', scripts: { start: 'node server.js', build: 'tsc -b' }, dependencies: { ui: 'workspace:*' } }),
      'apps/web/server.js': 'app.listen(process.env.PORT || 4321);\n',
      'packages/ui/package.json': json({ name: 'ui' }),
    });
    result = wpsn(dir);
    expectExit(result, 0);
    text = dockerfile(dir);
  });

  it('installs the pinned pnpm, without the pin\'s hash', () => {
    expect(lines(text)).toContain('    npm install --global --no-audit --no-fund pnpm@9.15.0');
    expect(result.stderr).toContain('pnpm@9.15.0 installed in the image');
  });

  it('binds pnpm-workspace.yaml and every package\'s manifest into both installs', () => {
    for (const file of ['pnpm-workspace.yaml', 'apps/web/package.json', 'packages/ui/package.json']) {
      const mount = `--mount=type=bind,source=${file},target=${file} \\`;
      expect(lines(text).filter((l) => l.trim() === mount), file).toHaveLength(2);
    }
  });

  it('makes every node_modules folder (a package without dependencies has none) and copies each from deps', () => {
    expect(text).toContain('pnpm install --frozen-lockfile --prod --config.pm-on-fail=ignore && mkdir -p node_modules apps/web/node_modules packages/ui/node_modules\n');
    for (const nm of ['node_modules', 'apps/web/node_modules', 'packages/ui/node_modules']) {
      expect(lines(text), nm).toContain(`COPY --from=deps /app/${nm} ./${nm}`);
    }
  });

  it('builds the package and its workspace dependencies with pnpm --filter, and runs it in its folder', () => {
    expect(lines(text)).toContain("RUN pnpm --filter '{./apps/web}...' run build && rm -rf node_modules apps/web/node_modules packages/ui/node_modules");
    const all = lines(text);
    const workdir = all.indexOf('WORKDIR /app/apps/web');
    expect(workdir).toBeGreaterThan(all.indexOf('COPY --from=build /app .'));
    expect(workdir).toBeLessThan(all.indexOf('CMD ["node","server.js"]'));
    expect(all).toContain('EXPOSE 4321');
    expect(answers(dir).answers.app).toMatchObject({ dir: 'apps/web', packageManager: 'pnpm', port: 4321, buildScript: 'build' });
  });
});

// ---------------------------------------------------------------------------------------

describe('Kubernetes and Container Apps: the health check and the writable folders', () => {
  const model = (app: Obj): StackModel =>
    deriveModel(resolveSpec([{ source: 'test', values: { app: { command: ['node', 'server.js'], ...app }, deploy: { targets: ['kubernetes', 'aca'] } } }], { dirName: 'shop' }), {
      sampleApp: false,
    });
  const container = (m: StackModel): Obj => {
    const deployment = kubernetesBase(m).find((f) => (f.object as Obj)['kind'] === 'Deployment')!.object as Obj;
    return { pod: deployment['spec'].template.spec, app: deployment['spec'].template.spec.containers[0] };
  };
  const acaProbes = (m: StackModel): Obj[] => acaAppObject(m)['properties'].template.containers[0].probes;

  it.each(['status', 'tcp'] as const)('%s: the port is probed (an HTTP probe would need 2xx/3xx)', (healthCheck) => {
    const m = model({ healthCheck, healthPath: '/', port: 8080 });
    const { app } = container(m);
    for (const probe of [app.readinessProbe, app.livenessProbe]) {
      expect(probe.tcpSocket).toEqual({ port: 'http' });
      expect(probe.httpGet).toBeUndefined();
    }
    expect(app.ports[0]).toMatchObject({ name: 'http', containerPort: 8080 });
    for (const probe of acaProbes(m)) {
      expect(probe.tcpSocket).toEqual({ port: 8080 });
      expect(probe.httpGet).toBeUndefined();
    }
    expect(acaProbes(m).map((p) => p.type)).toEqual(['Startup', 'Readiness', 'Liveness']);
  });

  it('http: GET the health path', () => {
    const m = model({ healthCheck: 'http', healthPath: '/healthz', port: 8080 });
    const { app } = container(m);
    expect(app.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    // Liveness of the user's app probes the port: its health path may check Redis or a database,
    // and a failing liveness probe restarts the container.
    expect(app.livenessProbe).toMatchObject({ tcpSocket: { port: 'http' } });
    expect(app.livenessProbe.httpGet).toBeUndefined();
    expect(app.readinessProbe.tcpSocket).toBeUndefined();
    const [startup, readiness, liveness] = acaProbes(m);
    for (const probe of [startup, readiness]) expect(probe!.httpGet).toEqual({ path: '/healthz', port: 8080 });
    expect(liveness).toMatchObject({ type: 'Liveness', tcpSocket: { port: 8080 } });
  });

  it('each writable folder is an emptyDir at /app/<folder> on Kubernetes, and a tmpfs in Compose', () => {
    const m = model({ writableDirs: ['.next/cache', 'apps/web/uploads'] });
    const { pod, app } = container(m);
    const mounts = Object.fromEntries((app.volumeMounts as Obj[]).map((v) => [v.mountPath, v.name]));
    expect(mounts['/tmp']).toBe('tmp');
    const cache = mounts['/app/.next/cache'];
    const uploads = mounts['/app/apps/web/uploads'];
    expect(cache).toBeDefined();
    expect(uploads).toBeDefined();
    expect(new Set([cache, uploads, 'tmp']).size).toBe(3);
    const volumes = Object.fromEntries((pod.volumes as Obj[]).map((v) => [v.name, v]));
    for (const name of [cache, uploads, 'tmp']) expect(volumes[name]?.emptyDir, name).toBeDefined();
    // The root file system stays read-only: only these are writable.
    expect(app.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(composeObject(m)['services'].app.tmpfs).toEqual(['/tmp', '/app/.next/cache', '/app/apps/web/uploads']);
  });

  it('no writable folders: only /tmp', () => {
    const { pod, app } = container(model({}));
    expect((app.volumeMounts as Obj[]).filter((v) => v.name !== 'secrets').map((v) => v.mountPath)).toEqual(['/tmp']);
    expect((pod.volumes as Obj[]).filter((v) => v.emptyDir).map((v) => v.name)).toEqual(['tmp']);
  });
});

describe('doctor: several Compose files', () => {
  /** doctor without an engine or a docker CLI: the other checks are skipped or fail fast. */
  function doctor(dir: string): Obj[] {
    const emptyBin = makeTempDir('wpsn-own-bin-');
    const result = runCli(dirname(dir), ['doctor', dir, '--json', '--no-pull'], { env: { DOCKER_HOST: 'unix:///nonexistent/wpsn/docker.sock', PATH: emptyBin } });
    expect(result.code, result.describe).not.toBe(2);
    return (JSON.parse(result.stdout) as Obj)['checks'] as Obj[];
  }

  it('warns naming both, which one Compose reads, and which one is the stack', () => {
    const dir = project(OWN_APP);
    expectExit(wpsn(dir), 0);
    expect(doctor(dir).filter((c) => c['id'] === 'config' && c['status'] === 'warn')).toEqual([]);
    writeFileSync(join(dir, 'compose.yaml'), 'services: {}\n');
    const warn = doctor(dir).filter((c) => c['id'] === 'config' && c['status'] === 'warn');
    expect(warn).toHaveLength(1);
    expect(warn[0]!['detail']).toBe('several Compose files are here (compose.yaml, docker-compose.yml): docker compose reads only compose.yaml and ignores the others, silently');
    expect(warn[0]!['fix']).toContain('the stack is docker-compose.yml');
    rmSync(join(dir, 'compose.yaml'));
  });
});
