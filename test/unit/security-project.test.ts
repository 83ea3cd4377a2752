// Security: what a cloned repository's files (.yo-rc.json above all, which comes with pull
// requests) can make a run do to the project. Each test plants something hostile and
// checks that the run refuses it or leaves the user's files alone.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { isRemovable } from '../../core/producible.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { resolveSpec, type Raw } from '../../core/spec.ts';
import { DEPLOY_TARGETS, KUBERNETES_FLAVOURS } from '../../schema/deploy.ts';
import { REGISTRY_TARGETS } from '../../schema/registry.ts';
import { ensureBuilt, runCli } from './helpers/cli.ts';

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
