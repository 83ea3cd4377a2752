// The real bin, built and spawned: `node dist/bin/wpsn-docker.js` in temp dirs,
// non-interactive (stdin ignored). Asserts what users see: files, modes, exit codes,
// messages, and that failed runs write nothing.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_OPTIONS, CONTROL_OPTIONS } from '../../core/options.ts';
import {
  DEFAULT_PROJECT_FILES,
  ensureBuilt,
  expectedRedisAcl,
  filesOf,
  makeTempDir,
  read,
  REPO_ROOT,
  removeTempDirs,
  runCli,
  snapshotTree,
  type RunResult,
} from './helpers/cli.ts';

type Obj = Record<string, any>;

beforeAll(() => {
  ensureBuilt();
});
afterAll(() => {
  removeTempDirs();
});

const PASSWORD_RE = /^[A-Za-z0-9_-]{43}\n$/;

function expectExit(result: RunResult, code: number): void {
  expect(result.code, result.describe).toBe(code);
}

/** Scaffolds `name` inside a fresh temp dir; returns the project dir. */
function scaffold(args: readonly string[] = [], name = 'demo', files: Readonly<Record<string, string>> = {}): { parent: string; dir: string; result: RunResult } {
  const parent = makeTempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(parent, name, path)), { recursive: true });
    writeFileSync(join(parent, name, path), text);
  }
  const result = runCli(parent, [name, '--yes', ...args]);
  expectExit(result, 0);
  return { parent, dir: join(parent, name), result };
}

const compose = (dir: string): Obj => parseYaml(read(dir, 'docker-compose.yml')) as Obj;
const answers = (dir: string): Obj => (JSON.parse(read(dir, '.yo-rc.json')) as Obj)['generator-wpsn-docker'].answers as Obj;
const lines = (text: string): string[] => text.split('\n');
const hasHangul = (text: string): boolean => /[\uAC00-\uD7A3]/.test(text);

describe('wpsn-docker demo --yes', () => {
  let parent: string;
  let dir: string;
  let result: RunResult;
  beforeAll(() => {
    ({ parent, dir, result } = scaffold());
  });

  it('creates ./demo with the expected files and reports every one of them', () => {
    const files = filesOf(snapshotTree(dir));
    expect(files).toEqual(expect.arrayContaining([...DEFAULT_PROJECT_FILES]));
    // Nothing half-written is left behind (atomic writes use temp names).
    expect(files.filter((f) => f.includes('wpsn-tmp'))).toEqual([]);
    expect(result.stderr).toBe('');
    // The summary names every file it wrote.
    for (const file of files) {
      const label = file === '.yo-rc.json' ? 'config' : 'create';
      expect(result.stdout, `summary line for ${file}`).toMatch(new RegExp(`^\\s*${label} ${file.replaceAll('.', '\\.')}$`, 'm'));
    }
    expect(result.stdout).toContain('docker compose up');
    expect(result.stdout).toContain('cd demo');
    // Only the project dir was created in the parent.
    expect(filesOf(snapshotTree(parent)).every((f) => f.startsWith('demo/'))).toBe(true);
  });

  it('keeps secrets in a 0700 directory, as 0644 files with 43-char base64url passwords', () => {
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    for (const file of ['redis_password', 'redis_admin_password', 'redis.acl']) {
      expect(statSync(join(dir, 'secrets', file)).mode & 0o777, file).toBe(0o644);
    }
    const password = read(dir, 'secrets/redis_password');
    expect(password).toMatch(PASSWORD_RE);
    const acl = read(dir, 'secrets/redis.acl');
    expect(acl).toBe(expectedRedisAcl(dir));
    expect(acl).not.toContain(password.trim());
    // The password is nowhere in the generated files.
    for (const file of ['docker-compose.yml', 'Dockerfile', '.env.example', '.yo-rc.json', 'README.Docker.md']) {
      expect(read(dir, file), file).not.toContain(password.trim());
    }
  });

  it('ignores secrets, .env and node_modules in git and in the build context', () => {
    const gitignore = lines(read(dir, '.gitignore'));
    for (const line of ['.env', 'secrets/', 'node_modules/']) expect(gitignore, `.gitignore line ${line}`).toContain(line);
    const dockerignore = lines(read(dir, '.dockerignore'));
    for (const line of ['.git', '**/node_modules', '**/.env', '**/.env.*', '**/.npmrc', '**/.aws', '**/.ssh', '**/*.pem', '**/*.key', 'secrets', 'deploy', '.github']) {
      expect(dockerignore, `.dockerignore line ${line}`).toContain(line);
    }
    const gitattributes = lines(read(dir, '.gitattributes'));
    const attrs = (pattern: string) => gitattributes.find((l) => l.split(/\s+/)[0] === pattern)?.split(/\s+/).slice(1) ?? [];
    expect(attrs('*.sh')).toContain('eol=lf');
    expect(attrs('Dockerfile')).toContain('eol=lf');
  });

  it('records the answers with every default filled', () => {
    const a = answers(dir);
    expect(a.projectName).toBe('demo');
    expect(a.app).toMatchObject({ port: 3000, hostPort: 3000, bind: '127.0.0.1', packageManager: 'npm' });
    expect(compose(dir).name).toBe('demo');
    expect(compose(dir).services.app.ports).toEqual(['127.0.0.1:3000:3000']);
  });

  it('runs non-interactively without --yes when stdin is not a terminal', () => {
    const other = makeTempDir();
    const run = runCli(other, ['quiet']);
    expectExit(run, 0);
    expect(existsSync(join(other, 'quiet', 'docker-compose.yml'))).toBe(true);
  });
});

describe('help, version and reserved commands', () => {
  it('--help lists every option of core/options.ts and exits 0', () => {
    const result = runCli(makeTempDir(), ['--help']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^Usage: wpsn-docker/);
    for (const option of [...ANSWER_OPTIONS, ...CONTROL_OPTIONS]) {
      expect(result.stdout, `--help mentions --${option.flag}`).toMatch(new RegExp(`--${option.flag}\\b`));
      expect(result.stdout, `--help describes --${option.flag}`).toContain(option.description);
    }
    for (const option of ANSWER_OPTIONS) {
      for (const choice of option.choices ?? []) expect(result.stdout, `--${option.flag} choice ${choice}`).toContain(choice);
    }
    expect(runCli(makeTempDir(), ['-h']).stdout).toBe(result.stdout);
  });

  it('--version prints the package version', () => {
    const result = runCli(makeTempDir(), ['--version']);
    expectExit(result, 0);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(result.stdout).toBe(`${pkg.version}\n`);
  });

  it.each(['verify', 'registry', 'deploy', 'bundle', 'doctor'])('%s --help exits 0 and writes nothing', (command) => {
    const parent = makeTempDir();
    const result = runCli(parent, [command, '--help']);
    expectExit(result, 0);
    expect(result.stdout).toContain(`wpsn-docker ${command}`);
    expect(snapshotTree(parent)).toEqual({});
  });

  it('a bare reserved word is not a directory: exit 2, points to ./deploy, writes nothing', () => {
    const parent = makeTempDir();
    const result = runCli(parent, ['deploy', '--yes']);
    expectExit(result, 2);
    expect(result.stderr).toContain('./deploy');
    expect(snapshotTree(parent)).toEqual({});
  });

  it('./deploy --yes scaffolds into a directory named deploy', () => {
    const parent = makeTempDir();
    const result = runCli(parent, ['./deploy', '--yes']);
    expectExit(result, 0);
    expect(existsSync(join(parent, 'deploy', 'Dockerfile'))).toBe(true);
    expect(compose(join(parent, 'deploy')).name).toBe('deploy');
  });
});

interface OptionCase {
  args: string[];
  check: (dir: string) => void;
  /** A value `check` looks for in a file: it must not be there without the flag. */
  probe?: { file: string; value: string };
  /**
   * The user's app the option needs, instead of the sample (which has server.js only, no
   * build step and no workspace: core/detect/checks.ts refuses such options for it).
   */
  files?: Record<string, string>;
}

/** An app of the user's, with its lockfile and the files its start commands run. */
const ownApp = (pkg: object, more: Record<string, string> = {}): Record<string, string> => ({
  'package.json': JSON.stringify({ name: 'demo', scripts: { start: 'node server.js' }, ...pkg }),
  'package-lock.json': '{}',
  'server.js': '',
  ...more,
});

const dockerfile = (dir: string) => read(dir, 'Dockerfile');

/**
 * A row asserting that the flag's value lands, parsed, at the option's path in
 * .yo-rc.json, and (when `file` is given) appears in that generated file.
 */
function recorded(flag: string, value: string, expected: unknown, extraArgs: string[] = [], file?: string): OptionCase {
  const option = ANSWER_OPTIONS.find((o) => o.flag === flag);
  return {
    args: [`--${flag}`, value, ...extraArgs],
    check: (dir) => {
      if (!option) throw new Error(`--${flag} is not in core/options.ts`);
      let cur: unknown = answers(dir);
      for (const key of option.path) cur = (cur as Obj | undefined)?.[key];
      expect(cur, `.yo-rc.json answers.${option.path.join('.')}`).toEqual(expected);
      if (file) expect(read(dir, file), `${file} carries ${value}`).toContain(value);
    },
    ...(file ? { probe: { file, value } } : {}),
  };
}

// One row per answer option at least; a new option in core/options.ts without a row fails.
const OPTION_CASES: Record<string, OptionCase[]> = {
  'project-name': [
    {
      args: ['--project-name', 'shop'],
      check: (dir) => {
        expect(read(dir, 'docker-compose.yml')).toMatch(/^name: "shop"$/m);
        expect(answers(dir).projectName).toBe('shop');
        expect(read(dir, '.env.example')).toContain('COMPOSE_PROJECT_NAME=shop');
      },
    },
  ],
  'package-manager': [
    {
      args: ['--package-manager', 'pnpm'],
      check: (dir) => {
        const text = dockerfile(dir);
        expect(text).toContain('--mount=type=bind,source=pnpm-lock.yaml,target=pnpm-lock.yaml');
        expect(text).toContain('pnpm install --frozen-lockfile');
        expect(text).not.toContain('npm ci');
        expect(answers(dir).app.packageManager).toBe('pnpm');
        const watch = compose(dir).services.app.develop.watch as Obj[];
        expect(watch.map((w) => w.path)).toContain('pnpm-lock.yaml');
      },
    },
    {
      args: ['--package-manager', 'yarn'],
      check: (dir) => {
        expect(dockerfile(dir)).toContain('--mount=type=bind,source=yarn.lock,target=yarn.lock');
        expect(answers(dir).app.packageManager).toBe('yarn');
      },
    },
  ],
  'base-image': [
    {
      args: ['--base-image', 'node:22-bookworm-slim'],
      check: (dir) => {
        expect(lines(dockerfile(dir))).toContain('FROM node:22-bookworm-slim AS base');
        expect(answers(dir).app.baseImage).toBe('node:22-bookworm-slim');
      },
    },
  ],
  port: [
    {
      args: ['--port', '8000'],
      check: (dir) => {
        expect(lines(dockerfile(dir))).toContain('EXPOSE 8000');
        expect(dockerfile(dir)).toContain('http://127.0.0.1:8000/healthz');
        const app = compose(dir).services.app;
        expect(app.environment.PORT).toBe('8000');
        expect(app.ports).toEqual(['127.0.0.1:3000:8000']);
        expect(read(dir, 'docker-compose.yml')).toContain('"127.0.0.1:3000:8000"');
      },
    },
  ],
  'host-port': [
    {
      args: ['--host-port', '8080', '--bind', '0.0.0.0'],
      check: (dir) => {
        expect(read(dir, 'docker-compose.yml')).toContain('- "0.0.0.0:8080:3000"');
        expect(answers(dir).app).toMatchObject({ hostPort: 8080, bind: '0.0.0.0' });
      },
    },
  ],
  bind: [
    {
      args: ['--bind', '::1'],
      check: (dir) => {
        expect(compose(dir).services.app.ports).toEqual(['[::1]:3000:3000']);
        expect(answers(dir).app.bind).toBe('::1');
      },
    },
  ],
  'allow-privileged-port': [
    {
      args: ['--allow-privileged-port', '--host-port', '80'],
      check: (dir) => {
        expect(read(dir, 'docker-compose.yml')).toContain('- "127.0.0.1:80:3000"');
        expect(answers(dir).app).toMatchObject({ hostPort: 80, allowPrivilegedPort: true });
      },
    },
  ],
  command: [
    {
      args: ['--command', '["node","dist/main.js"]'],
      files: ownApp({}, { 'dist/main.js': '' }),
      check: (dir) => {
        expect(lines(dockerfile(dir))).toContain('CMD ["node","dist/main.js"]');
        expect(answers(dir).app.command).toEqual(['node', 'dist/main.js']);
      },
    },
    {
      args: ['--command', 'node  --enable-source-maps dist/main.js'],
      files: ownApp({}, { 'dist/main.js': '' }),
      check: (dir) => {
        expect(lines(dockerfile(dir))).toContain('CMD ["node","--enable-source-maps","dist/main.js"]');
      },
    },
  ],
  'health-path': [
    {
      args: ['--health-path', '/health'],
      check: (dir) => {
        expect(compose(dir).services.app.environment.HEALTH_PATH).toBe('/health');
        expect(dockerfile(dir)).toContain('http://127.0.0.1:3000/health');
        expect(dockerfile(dir)).not.toContain('/healthz');
      },
    },
  ],
  'health-check': [
    {
      args: ['--health-check', 'tcp'],
      check: (dir) => {
        const text = dockerfile(dir);
        expect(text).toContain("require('node:net').connect(3000, '127.0.0.1')");
        expect(text).not.toContain("require('node:http')");
        expect(answers(dir).app.healthCheck).toBe('tcp');
      },
    },
    {
      args: ['--health-check', 'status', '--health-path', '/'],
      check: (dir) => {
        const text = dockerfile(dir);
        expect(text).toContain("require('node:http').get('http://127.0.0.1:3000/'");
        expect(text).toContain('r.statusCode < 500');
        expect(compose(dir).services.app.environment.HEALTH_PATH).toBe('/');
      },
    },
  ],
  'app-dir': [
    {
      args: ['--app-dir', 'apps/web'],
      files: ownApp({ workspaces: ['apps/*'], scripts: {} }, { 'apps/web/package.json': JSON.stringify({ name: 'web', scripts: { start: 'node server.js' } }), 'apps/web/server.js': '' }),
      check: (dir) => {
        expect(lines(dockerfile(dir))).toContain('WORKDIR /app/apps/web');
        expect(answers(dir).app.dir).toBe('apps/web');
      },
    },
  ],
  'compose-file': [
    {
      args: ['--compose-file', 'compose.yaml'],
      check: (dir) => {
        expect(existsSync(join(dir, 'compose.yaml'))).toBe(true);
        expect(existsSync(join(dir, 'docker-compose.yml'))).toBe(false);
        expect(read(dir, '.gitattributes')).toContain('compose.yaml text eol=lf');
        expect(answers(dir).composeFile).toBe('compose.yaml');
      },
    },
  ],
  'build-script': [
    {
      args: ['--build-script', 'none'],
      check: (dir) => {
        expect(lines(dockerfile(dir))).not.toContain('FROM base AS build');
        expect(answers(dir).app.buildScript).toBe('');
      },
    },
    {
      args: ['--build-script', 'build'],
      files: ownApp({ scripts: { start: 'node server.js', build: 'tsc' } }),
      check: (dir) => {
        const text = dockerfile(dir);
        expect(lines(text)).toContain('FROM base AS build');
        expect(text).toMatch(/^RUN npm run build\b/m);
        expect(lines(text)).toContain('COPY --from=build /app .');
        expect(answers(dir).app.buildScript).toBe('build');
      },
    },
  ],
  'redis-image': [
    {
      args: ['--redis-image', 'redis:7.4-bookworm'],
      check: (dir) => {
        expect(compose(dir).services.redis.image).toBe('redis:7.4-bookworm');
        expect(read(dir, 'docker-compose.yml')).toContain('image: "redis:7.4-bookworm"');
      },
    },
  ],
  database: (
    [
      ['postgres', 'postgres:17-trixie', '/var/lib/postgresql/data', ['db_password', 'db_admin_password']],
      ['mysql', 'mysql:8.4', '/var/lib/mysql', ['db_password', 'db_root_password']],
      ['mariadb', 'mariadb:11.8', '/var/lib/mysql', ['db_password', 'db_root_password']],
    ] as const
  ).map(([kind, image, dataDir, secrets]) => ({
    args: ['--database', kind],
    check: (dir: string) => {
      const doc = compose(dir);
      const db = doc.services.db;
      expect(db.image).toBe(image);
      // The data on its volume; db/init/ read-only where the image runs first-start scripts.
      expect(db.volumes).toEqual([`db-data:${dataDir}`, './db/init:/docker-entrypoint-initdb.d:ro']);
      expect(read(dir, 'db/init/README.md')).toContain('/docker-entrypoint-initdb.d');
      expect(Object.keys(doc.volumes)).toContain('db-data');
      expect(db.secrets).toEqual([...secrets]);
      expect(db.ports).toBeUndefined();
      expect(db.networks).toEqual(['backend']);
      expect(doc.services.app.depends_on.db).toEqual({ condition: 'service_healthy' });
      for (const secret of secrets) {
        expect(doc.secrets[secret]).toEqual({ file: `./secrets/${secret}` });
        expect(read(dir, `secrets/${secret}`)).toMatch(PASSWORD_RE);
        expect(statSync(join(dir, 'secrets', secret)).mode & 0o777).toBe(0o644);
      }
      // Passwords come from files, never from the environment.
      expect(JSON.stringify(db.environment)).not.toMatch(/PASSWORD"?:"(?!\/run\/secrets\/)/);
      expect(answers(dir).database.kind).toBe(kind);
    },
  })),
  // Registry answers: recorded for the push scripts (they become the scripts' defaults).
  registry: [
    {
      args: ['--registry', 'dockerhub,gcr'],
      check: (dir) => {
        expect(answers(dir).registries.targets).toEqual(['dockerhub', 'gar']);
        for (const script of ['scripts/push-dockerhub.sh', 'scripts/push-gar.sh']) {
          expect(statSync(join(dir, script)).mode & 0o777, script).toBe(0o755);
        }
        expect(existsSync(join(dir, 'scripts/push-gcr.sh'))).toBe(false);
        expect(existsSync(join(dir, 'scripts/push-ecr.sh'))).toBe(false);
      },
    },
  ],
  'registry-image': [recorded('registry-image', 'shopimg', 'shopimg', ['--registry', 'dockerhub'], 'scripts/push-dockerhub.sh')],
  platforms: [recorded('platforms', 'linux/arm64,linux/riscv64', 'linux/arm64,linux/riscv64', ['--registry', 'dockerhub'], 'scripts/push-dockerhub.sh')],
  'publish-branch': [recorded('publish-branch', 'release-x', 'release-x', ['--registry', 'ghcr'], '.github/workflows/publish-ghcr.yml')],
  'action-refs': [
    {
      args: ['--action-refs', 'tag', '--registry', 'ghcr'],
      check: (dir) => {
        expect(answers(dir).registries.actionRefs).toBe('tag');
        expect(read(dir, '.github/workflows/publish-ghcr.yml')).toMatch(/uses: "?actions\/checkout@v\d+"?\n/);
      },
    },
  ],
  'dependency-updates': [
    {
      args: ['--dependency-updates', 'renovate', '--registry', 'ghcr'],
      check: (dir) => {
        expect(answers(dir).registries.updates).toBe('renovate');
        expect(JSON.parse(read(dir, 'renovate.json')).extends).toEqual(['config:recommended']);
        expect(existsSync(join(dir, '.github/dependabot.yml'))).toBe(false);
      },
    },
  ],
  'dockerhub-namespace': [recorded('dockerhub-namespace', 'myorg', 'myorg', ['--registry', 'dockerhub'], 'scripts/push-dockerhub.sh')],
  'ecr-region': [recorded('ecr-region', 'eu-west-3', 'eu-west-3', ['--registry', 'ecr'], 'scripts/push-ecr.sh')],
  'ecr-account-id': [recorded('ecr-account-id', '123456789012', '123456789012', ['--registry', 'ecr'], 'scripts/push-ecr.sh')],
  'gar-project': [recorded('gar-project', 'my-project-1', 'my-project-1', ['--registry', 'gar'], 'scripts/push-gar.sh')],
  'gar-location': [recorded('gar-location', 'asia-northeast3', 'asia-northeast3', ['--registry', 'gar'], 'scripts/push-gar.sh')],
  'gar-repository': [recorded('gar-repository', 'repo1', 'repo1', ['--registry', 'gar'], 'scripts/push-gar.sh')],
  'acr-name': [recorded('acr-name', 'myacr01', 'myacr01', ['--registry', 'acr'], 'scripts/push-acr.sh')],
  'acr-resource-group': [recorded('acr-resource-group', 'rg-1', 'rg-1', ['--registry', 'acr'], 'scripts/push-acr.sh')],
  'ghcr-owner': [recorded('ghcr-owner', 'octo-org', 'octo-org', ['--registry', 'ghcr'], 'scripts/push-ghcr.sh')],
  'registry-host': [recorded('registry-host', 'registry.example.com:5000', 'registry.example.com:5000', ['--registry', 'registry'], 'scripts/push-registry.sh')],
  'registry-namespace': [recorded('registry-namespace', 'team-a', 'team-a', ['--registry', 'registry'], 'scripts/push-registry.sh')],
  // Deploy targets (test/unit/deploy.test.ts covers the files themselves).
  deploy: [
    {
      args: ['--deploy', 'swarm,aca'],
      check: (dir) => {
        expect(answers(dir).deploy.targets).toEqual(['swarm', 'aca']);
        expect(statSync(join(dir, 'scripts/deploy-swarm.sh')).mode & 0o777).toBe(0o755);
        expect(existsSync(join(dir, 'deploy/aca/app.yaml'))).toBe(true);
        expect(existsSync(join(dir, 'deploy/kubernetes'))).toBe(false);
      },
    },
  ],
  'kubernetes-flavour': [
    {
      args: ['--kubernetes-flavour', 'eks', '--deploy', 'kubernetes'],
      check: (dir) => {
        expect(answers(dir).deploy.kubernetes.flavour).toBe('eks');
        expect(existsSync(join(dir, 'deploy/kubernetes/overlays/eks/storageclass.yaml'))).toBe(true);
      },
    },
  ],
  services: [
    {
      args: ['--services', 'valkey,nats'],
      check: (dir: string) => {
        const doc = compose(dir);
        expect(Object.keys(doc.services).sort()).toEqual(['app', 'nats', 'redis', 'valkey']);
        expect(doc.services.app.depends_on.valkey).toEqual({ condition: 'service_healthy' });
        expect(doc.services.app.depends_on.nats).toEqual({ condition: 'service_started' });
        expect(doc.services.app.environment.VALKEY_URL).toBe('redis://valkey:6379');
        expect((answers(dir)['services'] as Array<{ kind: string }>).map((x) => x.kind)).toEqual(['valkey', 'nats']);
      },
    },
    { args: ['--services', 'memcached'], check: (dir: string) => expect(compose(dir).services.memcached.image).toBe('memcached:1.6-trixie') },
  ],
  lang: [
    {
      args: ['--lang', 'ko'],
      check: (dir) => {
        expect(hasHangul(read(dir, 'README.Docker.md'))).toBe(true);
        expect(answers(dir).lang).toBe('ko');
      },
    },
    {
      args: ['--lang', 'en'],
      check: (dir) => {
        expect(hasHangul(read(dir, 'README.Docker.md'))).toBe(false);
      },
    },
  ],
  // The workshop kit (test/unit/workshop.test.ts covers the lesson itself).
  workshop: [
    {
      args: ['--workshop'],
      check: (dir) => {
        expect(answers(dir).workshop).toBe(true);
        expect(read(dir, 'WORKSHOP.md')).toContain('<!-- wpsn-step ');
        expect(statSync(join(dir, 'scripts/offline-load.sh')).mode & 0o777).toBe(0o755);
      },
    },
  ],
};

describe('every answer option given on the command line is reflected in the output', () => {
  it('has a case for every option in core/options.ts', () => {
    expect(Object.keys(OPTION_CASES).sort()).toEqual(ANSWER_OPTIONS.map((o) => o.flag).sort());
  });

  const rows = Object.entries(OPTION_CASES).flatMap(([flag, cases]) => cases.map((c) => ({ flag, ...c })));
  it.each(rows)('--$flag: $args', ({ args, check, files }) => {
    const { dir } = scaffold(args, 'demo', files);
    check(dir);
  });

  it('the default output differs from each option row (the assertions are about the option)', () => {
    const { dir } = scaffold();
    // Registry rows look into the scripts: a project with every script, but default values.
    const { dir: withScripts } = scaffold(['--registry', 'dockerhub,ecr,gar,acr,ghcr,registry']);
    const failures: string[] = [];
    for (const [flag, cases] of Object.entries(OPTION_CASES)) {
      for (const c of cases) {
        if (flag === 'lang' && c.args[1] === 'en') continue; // the default itself
        try {
          c.check(dir);
          failures.push(`--${flag} ${c.args.join(' ')}: its assertions also pass on the default output`);
        } catch {
          /* expected: the default does not satisfy the option's assertions */
        }
        if (c.probe && read(withScripts, c.probe.file).includes(c.probe.value)) {
          failures.push(`--${flag}: ${c.probe.file} holds ${c.probe.value} even without the flag`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('--answers files', () => {
  it('reads a JSON file', () => {
    const parent = makeTempDir();
    writeFileSync(
      join(parent, 'answers.json'),
      JSON.stringify({ projectName: 'shop', app: { port: 8000, hostPort: 8080 }, database: { kind: 'postgres' } }),
    );
    const result = runCli(parent, ['out', '--yes', '--answers', 'answers.json']);
    expectExit(result, 0);
    const doc = compose(join(parent, 'out'));
    expect(doc.name).toBe('shop');
    expect(doc.services.app.ports).toEqual(['127.0.0.1:8080:8000']);
    expect(doc.services.db.image).toBe('postgres:17-trixie');
  });

  it('reads a YAML file, and flags win over it', () => {
    const parent = makeTempDir();
    writeFileSync(
      join(parent, 'answers.yaml'),
      ['# workshop defaults', 'projectName: no', 'lang: ko', 'app:', '  port: 8000', '  hostPort: 8080', '  command: [node, --title=shop, server.js]', 'database:', '  kind: mariadb', ''].join('\n'),
    );
    const result = runCli(parent, ['out', '--yes', '--answers', 'answers.yaml', '--host-port', '9090']);
    expectExit(result, 0);
    const dir = join(parent, 'out');
    const doc = compose(dir);
    // YAML 1.2: "no" is the string "no" where a string is expected, not false.
    expect(doc.name).toBe('no');
    expect(read(dir, 'docker-compose.yml')).toMatch(/^name: "no"$/m);
    expect(doc.services.app.ports).toEqual(['127.0.0.1:9090:8000']);
    expect(doc.services.db.image).toBe('mariadb:11.8');
    expect(lines(dockerfile(dir))).toContain('CMD ["node","--title=shop","server.js"]');
    expect(hasHangul(read(dir, 'README.Docker.md'))).toBe(true);
  });

  it('rejects unknown keys, naming each key and the file; writes nothing', () => {
    const parent = makeTempDir();
    writeFileSync(join(parent, 'answers.json'), JSON.stringify({ projectName: 'shop', foo: 1, app: { bar: 2 } }));
    const result = runCli(parent, ['out', '--yes', '--answers', 'answers.json']);
    expectExit(result, 2);
    const problem = (field: string) => lines(result.stderr).find((l) => l.trim().startsWith(`- ${field} `)) ?? '';
    expect(problem('foo'), result.stderr).toContain('answers.json');
    expect(problem('foo')).toMatch(/unknown key/);
    expect(problem('app.bar'), result.stderr).toContain('answers.json');
    expect(problem('app.bar')).toMatch(/unknown key/);
    expect(existsSync(join(parent, 'out'))).toBe(false);
  });

  it('YAML `lang: no` stays the string "no" and is rejected as not en|ko', () => {
    const parent = makeTempDir();
    writeFileSync(join(parent, 'answers.yaml'), 'lang: no\n');
    const result = runCli(parent, ['out', '--yes', '--answers', 'answers.yaml']);
    expectExit(result, 2);
    const problem = lines(result.stderr).find((l) => l.includes('- lang ')) ?? '';
    expect(problem, result.stderr).toContain('answers.yaml');
    expect(problem).toContain('"no"');
    expect(problem).not.toContain('false');
    expect(problem).toMatch(/one of en, ko/);
    expect(existsSync(join(parent, 'out'))).toBe(false);
  });

  it('names a missing or malformed answers file', () => {
    const parent = makeTempDir();
    const missing = runCli(parent, ['out', '--yes', '--answers', 'nope.yaml']);
    expectExit(missing, 2);
    expect(missing.stderr).toContain('nope.yaml');
    writeFileSync(join(parent, 'broken.json'), '{"projectName": ');
    const broken = runCli(parent, ['out', '--yes', '--answers', 'broken.json']);
    expectExit(broken, 2);
    expect(broken.stderr).toContain('broken.json');
    expect(broken.stderr).toMatch(/not valid JSON/);
    expect(existsSync(join(parent, 'out'))).toBe(false);
  });
});

interface BadCase {
  name: string;
  args: string[];
  /** Strings that must all appear on one problem line of stderr (field, flag, value, rule). */
  expect: string[][];
}

const BAD_CASES: BadCase[] = [
  { name: 'bad project name', args: ['--project-name', 'Bad'], expect: [['projectName', '--project-name', '"Bad"', '^[a-z0-9][a-z0-9_-]*$']] },
  { name: 'port 0', args: ['--port', '0'], expect: [['app.port', '--port', '= 0', 'from 1 to 65535']] },
  { name: 'port 65536', args: ['--port', '65536'], expect: [['app.port', '--port', '= 65536', 'from 1 to 65535']] },
  { name: "port 'abc'", args: ['--port', 'abc'], expect: [['app.port', '--port', '"abc"', 'whole number']] },
  {
    name: 'host port 80 without --allow-privileged-port',
    args: ['--host-port', '80'],
    expect: [['app.hostPort', '--host-port', '= 80', 'privileged', '--allow-privileged-port']],
  },
  { name: 'untagged image', args: ['--base-image', 'node'], expect: [['app.baseImage', '--base-image', '"node"', 'no tag']] },
  { name: 'image :latest', args: ['--base-image', 'node:latest'], expect: [['app.baseImage', '--base-image', '"node:latest"', 'latest', 'pin']] },
  { name: 'uppercase image', args: ['--redis-image', 'Node:24'], expect: [['redis.image', '--redis-image', '"Node:24"', 'uppercase']] },
  { name: 'database oracle', args: ['--database', 'oracle'], expect: [['database.kind', '--database', '"oracle"', 'none, postgres, mysql, mariadb']] },
  { name: 'lang fr', args: ['--lang', 'fr'], expect: [['lang', '--lang', '"fr"', 'en, ko']] },
  { name: 'bind localhost', args: ['--bind', 'localhost'], expect: [['app.bind', '--bind', '"localhost"', 'IPv4 or IPv6 address']] },
  { name: 'bad health path', args: ['--health-path', 'healthz'], expect: [['app.healthPath', '--health-path', '"healthz"', 'starting with "/"']] },
  {
    name: 'several bad flags at once',
    args: ['--port', '0', '--host-port', 'abc', '--lang', 'fr', '--database', 'oracle', '--base-image', 'node:latest'],
    expect: [
      ['app.port', '--port', '= 0'],
      ['app.hostPort', '--host-port', '"abc"'],
      ['lang', '--lang', '"fr"'],
      ['database.kind', '--database', '"oracle"'],
      ['app.baseImage', '--base-image', '"node:latest"'],
    ],
  },
];

function expectProblems(result: RunResult, expected: string[][]): void {
  expectExit(result, 2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain('nothing was written');
  const problemLines = lines(result.stderr).filter((l) => /^\s+- /.test(l));
  expect(problemLines.length, result.stderr).toBe(expected.length);
  if (expected.length > 1) expect(result.stderr).toContain(`invalid input (${expected.length} problems)`);
  for (const parts of expected) {
    const line = problemLines.find((l) => l.trim().startsWith(`- ${parts[0]} `));
    expect(line, `a problem line for ${parts[0]} in:\n${result.stderr}`).toBeDefined();
    for (const part of parts) expect(line, `problem line for ${parts[0]}`).toContain(part);
  }
}

describe('bad input: exit 2, every problem named, nothing written', () => {
  it.each(BAD_CASES)('$name: a new destination is not even created', ({ args, expect: expected }) => {
    const parent = makeTempDir();
    const result = runCli(parent, ['out', '--yes', ...args]);
    expectProblems(result, expected);
    expect(existsSync(join(parent, 'out'))).toBe(false);
    expect(snapshotTree(parent)).toEqual({});
  });

  it.each(BAD_CASES)('$name: an existing project stays byte-identical', ({ args, expect: expected }) => {
    const { dir } = scaffold();
    const before = snapshotTree(dir);
    const result = runCli(dir, ['--yes', ...args]);
    expectProblems(result, expected);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('an unknown flag exits 2 and names it', () => {
    const parent = makeTempDir();
    const result = runCli(parent, ['out', '--yes', '--nope']);
    expectExit(result, 2);
    expect(result.stderr).toContain('--nope');
    expect(result.stderr).toContain('--help');
    expect(snapshotTree(parent)).toEqual({});
  });

  it('two positional directories exit 2 and name both', () => {
    const parent = makeTempDir();
    const result = runCli(parent, ['one', 'two', '--yes']);
    expectExit(result, 2);
    expect(result.stderr).toContain('"one"');
    expect(result.stderr).toContain('"two"');
    expect(snapshotTree(parent)).toEqual({});
  });

  it('a destination that is a regular file exits 2 and leaves it alone', () => {
    const parent = makeTempDir();
    writeFileSync(join(parent, 'taken'), 'not a directory\n');
    const before = snapshotTree(parent);
    const result = runCli(parent, ['taken', '--yes']);
    expectExit(result, 2);
    expect(result.stderr).toContain('"taken"');
    expect(result.stderr).toMatch(/not a directory/);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expect(snapshotTree(parent)).toEqual(before);
  });

  it('a corrupted .yo-rc.json exits 2, names the file, and nothing changes', () => {
    const { dir } = scaffold();
    writeFileSync(join(dir, '.yo-rc.json'), '{"generator-wpsn-docker": {');
    unlinkSync(join(dir, 'Dockerfile')); // would be recreated by a successful run
    const before = snapshotTree(dir);
    const result = runCli(dir, ['--yes']);
    expectExit(result, 2);
    expect(result.stderr).toContain('.yo-rc.json');
    expect(result.stderr).toMatch(/not valid JSON/);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('invalid answers stored in .yo-rc.json are reported with the file as their source', () => {
    const { dir } = scaffold();
    const doc = JSON.parse(read(dir, '.yo-rc.json')) as Obj;
    doc['generator-wpsn-docker'].answers.app.port = 0;
    writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify(doc, null, 2));
    const before = snapshotTree(dir);
    const result = runCli(dir, ['--yes']);
    expectProblems(result, [['app.port', '.yo-rc.json', '= 0']]);
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('re-runs', () => {
  it('a second --yes run changes nothing, byte for byte, and says it is up to date', () => {
    const { dir } = scaffold();
    const before = snapshotTree(dir);
    const result = runCli(dir, ['--yes']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/up to date/);
    expect(result.stdout).not.toMatch(/^\s*(create|update|remove|config) /m);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('an edited Dockerfile merges with a new answer (exit 0); an edit of the lines the answer changes stops a --yes run with exit 3, and nothing changes', () => {
    const { dir } = scaffold();
    writeFileSync(join(dir, 'Dockerfile'), `${read(dir, 'Dockerfile')}# my edit\n`);
    const merged = runCli(dir, ['--yes', '--port', '8000']);
    expectExit(merged, 0);
    expect(merged.stdout).toMatch(/^\s+merge Dockerfile$/m);
    expect(read(dir, 'Dockerfile')).toMatch(/^EXPOSE 8000$/m);
    expect(read(dir, 'Dockerfile').endsWith('# my edit\n')).toBe(true);
    writeFileSync(join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace(/^EXPOSE 8000$/m, 'EXPOSE 8001'));
    unlinkSync(join(dir, '.env.example')); // would be recreated if anything were written
    const before = snapshotTree(dir);
    const result = runCli(dir, ['--yes', '--port', '8002']);
    expectExit(result, 3);
    expect(result.stderr).toMatch(/^\s+- Dockerfile$/m);
    expect(result.stderr).toMatch(/^\s+Dockerfile hunk 1\/1: yours line \d+, generated before line \d+, generated now line \d+$/m);
    expect(result.stderr).toContain('--force');
    expect(result.stderr).not.toMatch(/- docker-compose\.yml/);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('--force regenerates the edited Dockerfile and leaves the secrets untouched', () => {
    const { dir } = scaffold();
    const original = read(dir, 'Dockerfile');
    const secretsBefore = Object.fromEntries(Object.entries(snapshotTree(dir)).filter(([p]) => p.startsWith('secrets/')));
    writeFileSync(join(dir, 'Dockerfile'), `${original}# my edit\n`);
    const result = runCli(dir, ['--yes', '--force']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^\s*update Dockerfile$/m);
    expect(read(dir, 'Dockerfile')).toBe(original);
    const secretsAfter = Object.fromEntries(Object.entries(snapshotTree(dir)).filter(([p]) => p.startsWith('secrets/')));
    expect(secretsAfter).toEqual(secretsBefore);
    // A following plain run is clean again.
    const again = runCli(dir, ['--yes']);
    expectExit(again, 0);
    expect(again.stdout).toMatch(/up to date/);
  });

  it('a deleted generated file is recreated, identical', () => {
    const { dir } = scaffold();
    const before = snapshotTree(dir);
    unlinkSync(join(dir, '.dockerignore'));
    unlinkSync(join(dir, 'docker-compose.yml'));
    const result = runCli(dir, ['--yes']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^\s*create \.dockerignore$/m);
    expect(result.stdout).toMatch(/^\s*create docker-compose\.yml$/m);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('an edited server.js (the sample app) is kept quietly: exit 0, no conflict', () => {
    const { dir } = scaffold();
    const edited = `${read(dir, 'server.js')}\n// my route\n`;
    writeFileSync(join(dir, 'server.js'), edited);
    const before = snapshotTree(dir);
    const result = runCli(dir, ['--yes']);
    expectExit(result, 0);
    expect(result.stderr).toBe('');
    expect(read(dir, 'server.js')).toBe(edited);
    expect(snapshotTree(dir)).toEqual(before);
    // Even when other files change on the same run.
    const withPort = runCli(dir, ['--yes', '--port', '8000']);
    expectExit(withPort, 0);
    expect(read(dir, 'server.js')).toBe(edited);
    expect(lines(dockerfile(dir))).toContain('EXPOSE 8000');
  });

  it('untouched sample files follow the answers', () => {
    const { dir } = scaffold();
    expect(read(dir, 'server.js')).not.toContain('8000');
    const result = runCli(dir, ['--yes', '--port', '8000', '--project-name', 'shop']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^\s*update server\.js$/m);
    expect(result.stdout).toMatch(/^\s*update package\.json$/m);
    expect(read(dir, 'server.js')).toContain('8000');
    expect((JSON.parse(read(dir, 'package.json')) as Obj).name).toBe('shop');
  });

  it('secrets are never rewritten across re-runs, answer changes and --force', () => {
    const { dir } = scaffold(['--database', 'mysql']);
    const secretFiles = ['secrets/redis_password', 'secrets/redis.acl', 'secrets/db_password', 'secrets/db_root_password'];
    const before = Object.fromEntries(secretFiles.map((f) => [f, read(dir, f)]));
    for (const args of [['--yes'], ['--yes', '--port', '8000'], ['--yes', '--force'], ['--yes', '--force', '--redis-image', 'redis:7.4-bookworm']]) {
      const result = runCli(dir, args);
      expectExit(result, 0);
      for (const f of secretFiles) expect(read(dir, f), `${f} after ${args.join(' ')}`).toBe(before[f]);
    }
  });

  it('a pre-existing loose secrets/ directory is tightened to 0700 before passwords go in', () => {
    const parent = makeTempDir();
    mkdirSync(join(parent, 'app', 'secrets'), { recursive: true, mode: 0o755 });
    chmodSync(join(parent, 'app', 'secrets'), 0o755);
    expectExit(runCli(parent, ['app', '--yes']), 0);
    expect(statSync(join(parent, 'app', 'secrets')).mode & 0o777).toBe(0o700);
    // Also when a later run adds a secret to a directory someone loosened.
    chmodSync(join(parent, 'app', 'secrets'), 0o755);
    expectExit(runCli(join(parent, 'app'), ['--yes', '--database', 'postgres']), 0);
    expect(statSync(join(parent, 'app', 'secrets')).mode & 0o777).toBe(0o700);
  });

  it('redis.acl follows a password the user replaced; the password file is kept', () => {
    const { dir } = scaffold();
    const mine = 'my-own-redis-password-0123456789';
    writeFileSync(join(dir, 'secrets/redis_password'), `${mine}\n`);
    const result = runCli(dir, ['--yes']);
    expectExit(result, 0);
    expect(read(dir, 'secrets/redis_password')).toBe(`${mine}\n`);
    expect(read(dir, 'secrets/redis.acl')).toBe(expectedRedisAcl(dir, mine));
  });

  it('adding a database adds its secret and keeps the Redis secrets; the answer is remembered', () => {
    const { dir } = scaffold();
    const redisSecrets = { pw: read(dir, 'secrets/redis_password'), acl: read(dir, 'secrets/redis.acl') };
    const result = runCli(dir, ['--yes', '--database', 'postgres']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^\s*create secrets\/db_password$/m);
    expect(read(dir, 'secrets/db_password')).toMatch(PASSWORD_RE);
    expect(read(dir, 'secrets/redis_password')).toBe(redisSecrets.pw);
    expect(read(dir, 'secrets/redis.acl')).toBe(redisSecrets.acl);
    expect(compose(dir).services.db.image).toBe('postgres:17-trixie');
    // A later run without the flag keeps the database (answers live in .yo-rc.json).
    const before = snapshotTree(dir);
    const again = runCli(dir, ['--yes']);
    expectExit(again, 0);
    expect(snapshotTree(dir)).toEqual(before);
    expect(compose(dir).services.db).toBeDefined();
  });

  it('removing the database updates compose and keeps the secret files', () => {
    const { dir } = scaffold(['--database', 'mariadb']);
    const dbSecrets = { pw: read(dir, 'secrets/db_password'), root: read(dir, 'secrets/db_root_password') };
    const result = runCli(dir, ['--yes', '--database', 'none']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^\s*update docker-compose\.yml$/m);
    const doc = compose(dir);
    expect(doc.services.db).toBeUndefined();
    expect(doc.services.app.depends_on.db).toBeUndefined();
    expect(Object.keys(doc.volumes)).not.toContain('db-data');
    expect(Object.keys(doc.secrets)).not.toContain('db_password');
    expect(read(dir, 'secrets/db_password')).toBe(dbSecrets.pw);
    expect(read(dir, 'secrets/db_root_password')).toBe(dbSecrets.root);
    // And back: the same passwords are used again (the data volume still expects them).
    expectExit(runCli(dir, ['--yes', '--database', 'mariadb']), 0);
    expect(read(dir, 'secrets/db_password')).toBe(dbSecrets.pw);
    expect(compose(dir).services.db.image).toBe('mariadb:11.8');
  });

  it("a user's .gitignore keeps its lines and gains the managed block", () => {
    const parent = makeTempDir();
    const dir = join(parent, 'app');
    mkdirSync(dir);
    const mine = '# my project\n*.log\ncoverage/\n';
    writeFileSync(join(dir, '.gitignore'), mine);
    expectExit(runCli(parent, ['app', '--yes']), 0);
    const text = read(dir, '.gitignore');
    expect(text.startsWith(mine)).toBe(true);
    for (const line of ['.env', 'secrets/', 'node_modules/']) expect(lines(text)).toContain(line);
    // Lines the user adds later, outside the block, survive re-runs too.
    writeFileSync(join(dir, '.gitignore'), `${text}tmp/\n`);
    const before = snapshotTree(dir);
    const again = runCli(dir, ['--yes']);
    expectExit(again, 0);
    expect(snapshotTree(dir)).toEqual(before);
    expect(lines(read(dir, '.gitignore'))).toContain('tmp/');
  });

  it.each([
    ['package-lock.json', 'npm', 'npm ci'],
    ['pnpm-lock.yaml', 'pnpm', 'pnpm install --frozen-lockfile'],
    ['yarn.lock', 'yarn', 'yarn install --frozen-lockfile'],
  ])("an existing app with %s gets no sample app and the %s package manager", (lockfile, manager, install) => {
    const parent = makeTempDir();
    const dir = join(parent, 'app');
    mkdirSync(dir);
    const pkg = '{\n  "name": "my-app",\n  "version": "1.2.3",\n  "scripts": { "start": "node index.js" }\n}\n';
    writeFileSync(join(dir, 'package.json'), pkg);
    writeFileSync(join(dir, 'index.js'), '');
    writeFileSync(join(dir, lockfile), `# ${lockfile} of my-app\n`);
    const result = runCli(parent, ['app', '--yes']);
    expectExit(result, 0);
    expect(existsSync(join(dir, 'server.js'))).toBe(false);
    expect(read(dir, 'package.json')).toBe(pkg);
    expect(read(dir, lockfile)).toBe(`# ${lockfile} of my-app\n`);
    expect(result.stdout).not.toMatch(/package\.json|server\.js/);
    expect(dockerfile(dir)).toContain(`--mount=type=bind,source=${lockfile},target=${lockfile}`);
    expect(dockerfile(dir)).toContain(install);
    const state = (JSON.parse(read(dir, '.yo-rc.json')) as Obj)['generator-wpsn-docker'] as Obj;
    expect(state.answers.app.packageManager).toBe(manager);
    expect(state.sampleApp).toBe(false);
    expect(Object.keys(state.generated.files)).not.toContain('package.json');
  });

  it('an explicit --package-manager wins over the detected one', () => {
    const parent = makeTempDir();
    const dir = join(parent, 'app');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{"name":"my-app","scripts":{"start":"node index.js"}}\n');
    writeFileSync(join(dir, 'index.js'), '');
    writeFileSync(join(dir, 'yarn.lock'), '\n');
    // Refused while npm has no lockfile here (test/unit/package-managers.test.ts); with both, the flag decides.
    expect(runCli(parent, ['app', '--yes', '--package-manager', 'npm']).code).toBe(2);
    writeFileSync(join(dir, 'package-lock.json'), '{}\n');
    expectExit(runCli(parent, ['app', '--yes', '--package-manager', 'npm']), 0);
    expect(dockerfile(dir)).toContain('npm ci');
    expect(dockerfile(dir)).not.toContain('yarn.lock');
  });
});

describe('the output does not depend on the locale or the time zone', () => {
  it('LANG=ko_KR.UTF-8 TZ=Asia/Seoul gives the same bytes as LANG=C TZ=UTC (secrets aside)', () => {
    const runs = [
      { LANG: 'ko_KR.UTF-8', LC_ALL: 'ko_KR.UTF-8', TZ: 'Asia/Seoul' },
      { LANG: 'C', LC_ALL: 'C', TZ: 'UTC' },
    ].map((env) => {
      const parent = makeTempDir();
      const result = runCli(parent, ['demo', '--yes', '--database', 'postgres', '--lang', 'ko'], { env });
      expectExit(result, 0);
      return { tree: snapshotTree(join(parent, 'demo')), stdout: result.stdout };
    });
    const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    const withoutSecretContent = (tree: Record<string, { sha256?: string }>) =>
      Object.fromEntries(Object.entries(tree).map(([p, e]) => [p, p.startsWith('secrets/') ? { ...e, sha256: '(secret)' } : e]));
    expect(withoutSecretContent(a.tree)).toEqual(withoutSecretContent(b.tree));
    expect(a.stdout).toBe(b.stdout);
    // The secrets really are random per project.
    expect(a.tree['secrets/redis_password']!.sha256).not.toBe(b.tree['secrets/redis_password']!.sha256);
  });
});
