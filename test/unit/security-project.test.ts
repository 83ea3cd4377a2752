// Security: what a cloned repository's files (.yo-rc.json above all, which comes with pull
// requests) can make a run do to the project. Each test plants something hostile and
// checks that the run refuses it or leaves the user's files alone.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { isRemovable } from '../../core/producible.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { resolveSpec, type Raw } from '../../core/spec.ts';
import { DEPLOY_TARGETS, KUBERNETES_FLAVOURS } from '../../schema/deploy.ts';
import { REGISTRY_TARGETS } from '../../schema/registry.ts';
import { BIN, cleanEnv, ensureBuilt, runCli } from './helpers/cli.ts';

const roots: string[] = [];
afterAll(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wpsn-sec-project-'));
  roots.push(dir);
  return dir;
}
const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

function filesOf(values: Raw, sampleApp: boolean) {
  const spec = resolveSpec([{ source: 'test', values: { projectName: 'shop', ...values } }], { dirName: 'shop' });
  return renderAppFiles(deriveModel(spec, { sampleApp }));
}

describe('the closed list of files a re-run may remove', () => {
  const variants: Raw[] = [
    {},
    { workshop: true, lang: 'ko', database: { kind: 'postgres' } },
    { registries: { targets: [...REGISTRY_TARGETS] }, deploy: { targets: [...DEPLOY_TARGETS] } },
    ...KUBERNETES_FLAVOURS.map((flavour) => ({ database: { kind: 'mariadb' }, deploy: { targets: ['kubernetes'], kubernetes: { flavour } } })),
  ];
  it.each(variants.map((v) => [JSON.stringify(v), v]))('holds every generated file of %s', (_, values) => {
    for (const file of filesOf(values as Raw, true)) {
      if (file.kind === 'starter') expect(isRemovable(file.path), `${file.path} is the user's once scaffolded`).toBe(false);
      else expect(isRemovable(file.path), `${file.path} is on the closed list`).toBe(true);
    }
  });
  it.each(['src/index.js', 'package.json', 'server.js', 'package-lock.json', '.npmrc', '.git/HEAD', '.git/hooks/pre-commit', 'scripts/push-x.sh', 'deploy/../x', 'secrets/redis_password', 'deploy/kubernetes/base/../../../.git/config'])(
    'does not hold %s',
    (path) => expect(isRemovable(path)).toBe(false),
  );
});

describe('a planted .yo-rc.json', () => {
  it('never makes a re-run remove the user\'s files, .git included', () => {
    ensureBuilt();
    const dir = tempDir();
    const victims: Record<string, string> = {
      'src/index.js': 'console.log("mine")\n',
      'package.json': '{"name":"mine","scripts":{"start":"node src/index.js"}}\n',
      'package-lock.json': '{}\n',
      '.npmrc': '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/hooks/pre-commit': '#!/bin/sh\nexit 0\n',
    };
    for (const [path, text] of Object.entries(victims)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const files = Object.fromEntries(Object.entries(victims).map(([path, text]) => [path, sha(text)]));
    writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify({ 'generator-wpsn-docker': { answers: { projectName: 'mine' }, sampleApp: false, generated: { version: '0.1.0', files } } }));
    const r = runCli(dir, ['--yes', '--command', 'node src/index.js']);
    expect(r.code, r.describe).toBe(0);
    for (const [path, text] of Object.entries(victims)) {
      expect(existsSync(join(dir, path)), `${path} is still there`).toBe(true);
      expect(readFileSync(join(dir, path), 'utf8')).toBe(text);
      expect(r.stdout).toContain(`keep ${path} (recorded in .yo-rc.json, but not a file this generator writes: never removed)`);
    }
    // The claims are dropped: the next run does not report them again.
    const recorded = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-wpsn-docker'].generated.files as Record<string, string>;
    for (const path of Object.keys(victims)) expect(recorded).not.toHaveProperty([path]);
  });
});

describe("the project's .npmrc", () => {
  const render = (buildConfigFiles: string[]) => {
    const spec = resolveSpec([{ source: 'test', values: { projectName: 'shop' } }], { dirName: 'shop' });
    return new Map(renderAppFiles(deriveModel(spec, { sampleApp: false, buildConfigFiles })).map((f) => [f.path, f.content]));
  };
  it('stays out of the build context and reaches every install step as a build secret', () => {
    const files = render(['.npmrc']);
    expect(files.get('.dockerignore')).toMatch(/^\*\*\/\.npmrc$/m);
    const compose = files.get('docker-compose.yml')!;
    expect(compose).toMatch(/secrets:\n\s+- "extra_ca"\n\s+- "npmrc"/);
    expect(compose).toMatch(/npmrc:\n\s+file: "\.\/\.npmrc"/);
    const dockerfile = files.get('Dockerfile')!;
    const installs = dockerfile.split('\nRUN ').filter((step) => /npm ci/.test(step));
    expect(installs.length).toBeGreaterThan(0);
    for (const step of installs) expect(step).toContain('--mount=type=secret,id=npmrc,target=/app/.npmrc');
    expect(dockerfile).not.toMatch(/COPY[^\n]*\.npmrc/);
  });
  it('is not mentioned when the project has none', () => {
    const files = render([]);
    expect(files.get('docker-compose.yml')).not.toContain('npmrc');
    expect(files.get('Dockerfile')).not.toContain('id=npmrc');
  });
});

describe('an existing secrets/ folder', () => {
  const generated = () => {
    ensureBuilt();
    const dir = tempDir();
    const r = runCli(dir, ['--yes']);
    expect(r.code, r.describe).toBe(0);
    return dir;
  };
  const mode = (path: string) => statSync(path).mode & 0o777;

  it.skipIf(process.getuid?.() !== 0)("that belongs to another user is refused with the fix, and nothing is written", () => {
    const dir = generated();
    chownSync(join(dir, 'secrets'), 4321, 4321);
    chownSync(join(dir, 'secrets', 'redis_password'), 4321, 4321);
    rmSync(join(dir, 'Dockerfile'));
    const r = runCli(dir, ['--yes']);
    expect(r.code, r.describe).toBe(2);
    expect(r.stderr).toMatch(/secrets \(|secrets = /);
    expect(r.stderr).toContain('belongs to uid 4321, not to you (uid 0)');
    expect(r.stderr).toContain('chown -R 0');
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['short', 'hunter2\n'],
    ['spaces around', '  correct horse battery staple  \n'],
    ['control characters', 'abcdefghijklmnop\u0007qrst\n'],
  ])('with a planted %s password is refused, naming the file and the rule', (_, password) => {
    const dir = generated();
    writeFileSync(join(dir, 'secrets', 'redis_password'), password);
    const r = runCli(dir, ['--yes']);
    expect(r.code, r.describe).toBe(2);
    expect(r.stderr).toContain('secrets/redis_password');
    expect(r.stderr).toContain('at least 16 characters');
    // The Redis ACL still holds the old password's hash: nothing was rewritten.
    expect(readFileSync(join(dir, 'secrets', 'redis.acl'), 'utf8')).not.toContain(createHash('sha256').update(password.trim()).digest('hex'));
  });

  it('keeps a strong password the user put there, and derives the ACL from it', () => {
    const dir = generated();
    const mine = 'my-own-password-of-decent-length';
    writeFileSync(join(dir, 'secrets', 'redis_password'), `${mine}\n`);
    const r = runCli(dir, ['--yes']);
    expect(r.code, r.describe).toBe(0);
    expect(readFileSync(join(dir, 'secrets', 'redis_password'), 'utf8')).toBe(`${mine}\n`);
    expect(readFileSync(join(dir, 'secrets', 'redis.acl'), 'utf8')).toContain(createHash('sha256').update(mine).digest('hex'));
  });

  it('with loosened modes has them put back (0700, 0644), reported; --dry-run only says so', () => {
    const dir = generated();
    chmodSync(join(dir, 'secrets'), 0o777);
    chmodSync(join(dir, 'secrets', 'redis_password'), 0o666);
    chmodSync(join(dir, 'secrets', 'redis.acl'), 0o600);
    const dry = runCli(dir, ['--dry-run']);
    expect(dry.code, dry.describe).toBe(0);
    expect(dry.stdout).toContain('# secrets: mode 0777 would be put back to 0700');
    expect(mode(join(dir, 'secrets'))).toBe(0o777);
    const r = runCli(dir, ['--yes']);
    expect(r.code, r.describe).toBe(0);
    expect(r.stdout).toMatch(/fix secrets \(mode 0777 -> 0700\)/);
    expect(r.stdout).toMatch(/fix secrets\/redis_password \(mode 0666 -> 0644\)/);
    expect(r.stdout).toMatch(/fix secrets\/redis\.acl \(mode 0600 -> 0644\)/);
    expect(mode(join(dir, 'secrets'))).toBe(0o700);
    expect(mode(join(dir, 'secrets', 'redis_password'))).toBe(0o644);
    expect(mode(join(dir, 'secrets', 'redis.acl'))).toBe(0o644);
    const again = runCli(dir, ['--yes']);
    expect(again.stdout).toContain('up to date: nothing changed');
  });
});

/** The bin, without blocking the event loop, so that many can run at once. */
function spawnCli(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (env['KILL_AFTER'] && stderr.includes(env['KILL_AFTER'])) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('runs at the same time, and runs cut short', () => {
  it('40 simultaneous first runs into one folder: one set of passwords, the ACL matching it, every run exit 0', async () => {
    ensureBuilt();
    const dir = join(tempDir(), 'shop');
    const runs = await Promise.all(Array.from({ length: 40 }, () => spawnCli(tmpdir(), [dir, '--yes'])));
    for (const r of runs) expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    expect(runs.map((r) => r.stderr).join('')).not.toMatch(/invalid input|EEXIST/);
    const password = readFileSync(join(dir, 'secrets', 'redis_password'), 'utf8');
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(readFileSync(join(dir, 'secrets', 'redis.acl'), 'utf8')).toContain(createHash('sha256').update(password.trim()).digest('hex'));
    // Exactly one run made each password; the others found it there.
    expect(runs.filter((r) => /create secrets\/redis_password/.test(r.stdout))).toHaveLength(1);
    expect(existsSync(join(dir, '.wpsn-docker.lock'))).toBe(false);
    const again = runCli(dir, ['--yes']);
    expect(again.stdout).toContain('up to date: nothing changed');
  }, 120_000);

  it.each(['package.json', 'server.js', 'Dockerfile', 'secrets/redis_password'])(
    'a first run killed while it writes %s: the same command again finishes the job (exit 0)',
    async (file) => {
      ensureBuilt();
      const dir = join(tempDir(), 'shop');
      const killed = await spawnCli(tmpdir(), [dir, '--yes'], { WPSN_TEST_WRITE_DELAY_MS: '20', KILL_AFTER: `wpsn-test-write ${join(dir, file)}` });
      expect(killed.signal).toBe('SIGKILL');
      const again = runCli(dir, ['--yes']);
      expect(again.code, again.describe).toBe(0);
      const reference = join(tempDir(), 'shop');
      expect(runCli(tmpdir(), [reference, '--yes']).code).toBe(0);
      const list = (root: string) => readdirSync(root, { recursive: true }).map(String).sort();
      expect(list(dir)).toEqual(list(reference));
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(readFileSync(join(reference, 'Dockerfile'), 'utf8'));
      expect(runCli(dir, ['--yes']).stdout).toContain('up to date: nothing changed');
    },
  );
});

describe('hostile files and values: a clear exit 2, never a crash or a hang', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const cases: Array<[string, (dir: string) => string[], RegExp]> = [
    [
      'an answers file nested 40000 levels deep (within the size limit)',
      (dir) => {
        writeFileSync(join(dir, 'deep.json'), `{"projectName":"shop","x":${nested(40_000)}}`);
        return ['--answers', join(dir, 'deep.json')];
      },
      /x\.a\.a.*nests deeper than 32 levels/,
    ],
    [
      'a .yo-rc.json nested 100000 levels deep',
      (dir) => {
        writeFileSync(join(dir, '.yo-rc.json'), `{"generator-wpsn-docker":{"answers":{"projectName":"shop"}},"other":${nested(100_000)}}`);
        return [];
      },
      /\(\.yo-rc\.json\): nests deeper than 32 levels/,
    ],
    [
      'a __proto__ key in an answers file',
      (dir) => {
        writeFileSync(join(dir, 'a.json'), '{"projectName":"shop","app":{"__proto__":{"port":1}}}');
        return ['--answers', join(dir, 'a.json')];
      },
      /app\.__proto__ \(--answers a\.json\): the key "__proto__" is not allowed/,
    ],
    [
      'a __proto__ key in .yo-rc.json answers',
      (dir) => {
        writeFileSync(join(dir, '.yo-rc.json'), '{"generator-wpsn-docker":{"answers":{"projectName":"shop","__proto__":{"lang":"ko"}}}}');
        return [];
      },
      /generator-wpsn-docker\.answers\.__proto__ \(\.yo-rc\.json\): the key "__proto__" is not allowed/,
    ],
    [
      'a FIFO where .yo-rc.json goes',
      (dir) => {
        spawnSync('mkfifo', [join(dir, '.yo-rc.json')]);
        return [];
      },
      /\.yo-rc\.json.*is a FIFO \(named pipe\) where the generator keeps a file/,
    ],
    [
      'a FIFO where the Dockerfile goes',
      (dir) => {
        spawnSync('mkfifo', [join(dir, 'Dockerfile')]);
        return [];
      },
      /Dockerfile.*is a FIFO \(named pipe\) where the generator keeps a file/,
    ],
    [
      'a file named scripts where the push scripts go',
      (dir) => {
        writeFileSync(join(dir, 'scripts'), 'not a folder\n');
        return ['--registry', 'ghcr'];
      },
      /scripts\/push-ghcr\.sh.*needs the folder scripts, but a file stands there/,
    ],
    [
      'a 300 MB .yo-rc.json',
      (dir) => {
        spawnSync('truncate', ['-s', '300M', join(dir, '.yo-rc.json')]);
        return [];
      },
      /\.yo-rc\.json.*is 314572800 bytes, more than the 8388608 bytes/,
    ],
    ['a bind address with an IPv6 zone', () => ['--bind', 'fe80::1%eth0'], /app\.bind \(--bind\) = "fe80::1%eth0": .*without a zone/],
    ['a base image digest of an algorithm nobody verifies', () => ['--base-image', `node@md5:${'a'.repeat(32)}`], /app\.baseImage.*algorithm "md5"/],
  ];
  it.each(cases)('%s', (_, setup, message) => {
    ensureBuilt();
    const dir = tempDir();
    const args = setup(dir);
    const before = readdirSync(dir).sort();
    const r = runCli(dir, ['--yes', ...args], { timeoutMs: 20_000 });
    expect(r.signal, r.describe).toBeNull();
    expect(r.code, r.describe).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/RangeError|Maximum call stack|ENOTDIR|    at /);
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('deploy scripts take the image from the push script\'s own registry', () => {
  it('an exported REGISTRY_HOST (push-registry.sh\'s setting) never changes the image a cloud target deploys', () => {
    ensureBuilt();
    const dir = join(tempDir(), 'shop');
    const made = runCli(tmpdir(), [dir, '--yes', '--registry', 'ecr', '--ecr-region', 'eu-west-1', '--ecr-account-id', '123456789012', '--deploy', 'swarm']);
    expect(made.code, made.describe).toBe(0);
    const dry = spawnSync('bash', ['scripts/deploy-swarm.sh', '--dry-run'], { cwd: dir, encoding: 'utf8', env: { ...process.env, REGISTRY_HOST: 'evil.example', IMAGE_TAG: 'v1' } });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('app image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:v1');
    expect(`${dry.stdout}${dry.stderr}`).not.toContain('evil.example');
  });
});
