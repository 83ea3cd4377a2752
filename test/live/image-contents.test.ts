// Security, live: what a developer keeps in the project folder (an .npmrc with a token,
// cloud credentials, SSH and TLS keys, .env files, backups, the repository's tooling)
// never reaches the app image, while the project's .npmrc still reaches the dependency
// install (as a build secret). Proven on a real build: the image's files, and every
// layer of `docker save`, searched for the planted token.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildDistLocked } from '../unit/helpers/build.ts';
import { describeWithoutEngine, liveGate } from './helpers/engine.ts';
import { describeRun, run } from './helpers/run.ts';
import { composeEnv } from './helpers/stack.ts';

const TOKEN = `npm_wpsnPlantedToken${Date.now()}`;
const PLANTED: Record<string, string> = {
  '.npmrc': `//npm.pkg.github.com/:_authToken=${TOKEN}\nfund=false\n`,
  '.aws/credentials': `[default]\naws_secret_access_key=${TOKEN}\n`,
  '.ssh/id_ed25519': `-----BEGIN OPENSSH PRIVATE KEY-----\n${TOKEN}\n`,
  'certs/server.key': `${TOKEN}\n`,
  'deploy-key.pem': `${TOKEN}\n`,
  '.env': `SECRET=${TOKEN}\n`,
  '.env.local': `SECRET=${TOKEN}\n`,
  'config/.env.production': `SECRET=${TOKEN}\n`,
  'server.js.bak': `// ${TOKEN}\n`,
  'gcp/service-account-prod.json': `{"private_key":"${TOKEN}"}\n`,
  '.docker/config.json': `{"auths":{"x":{"auth":"${TOKEN}"}}}\n`,
  '.github/workflows/extra.yml': 'on: push\n',
  'deploy/notes.yaml': 'x: 1\n',
  'WORKSHOP.md': '# lesson\n',
};

const gate = liveGate();
if (!gate.ready) {
  describeWithoutEngine('live: what the app image holds', gate);
} else {
  describe('live: what the app image holds', () => {
    let dir = '';
    const project = `wpsnimg-${process.pid}`;
    const env = composeEnv();
    const image = `${project}-app`;

    beforeAll(async () => {
      buildDistLocked();
      dir = mkdtempSync(join(tmpdir(), 'wpsnimg-'));
      // The sample app first (it needs an empty folder), then the planted files, then a
      // re-run so the generator sees the project's .npmrc.
      const first = await run(process.execPath, [BIN, dir, '--yes', '--project-name', project], { env, timeoutMs: 60_000 });
      if (first.code !== 0) throw new Error(describeRun(first));
      for (const [path, text] of Object.entries(PLANTED)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const again = await run(process.execPath, [BIN, dir, '--yes'], { env, timeoutMs: 60_000 });
      if (again.code !== 0) throw new Error(describeRun(again));
    });

    afterAll(async () => {
      spawnSync('docker', ['image', 'rm', '-f', image], { encoding: 'utf8' });
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('builds with the project .npmrc mounted for the install, and no planted file is in the image or any layer', async () => {
      const build = await run('docker', ['compose', '--ansi', 'never', 'build', 'app'], { cwd: dir, env, timeoutMs: 600_000 });
      expect(build.code, describeRun(build)).toBe(0);
      const files = spawnSync('docker', ['run', '--rm', '--entrypoint', 'find', image, '/app', '-path', '/app/node_modules', '-prune', '-o', '-print'], { encoding: 'utf8' });
      expect(files.status, files.stderr).toBe(0);
      const listed = files.stdout.split('\n').filter(Boolean);
      expect(listed).toContain('/app/server.js');
      for (const path of Object.keys(PLANTED)) expect(listed, `${path} is not in the image`).not.toContain(`/app/${path}`);
      for (const tooling of ['/app/scripts', '/app/deploy', '/app/.github', '/app/secrets', '/app/.yo-rc.json', '/app/Dockerfile', '/app/docker-compose.yml']) {
        expect(listed, `${tooling} is not in the image`).not.toContain(tooling);
      }
      // Every byte of every layer and of the image config: the token is nowhere.
      const saved = spawnSync('sh', ['-c', `docker save ${image} | tar -xO --wildcards '*' 2>/dev/null | grep -a -c ${TOKEN} || true`], { encoding: 'utf8', maxBuffer: 1 << 30 });
      expect(saved.stdout.trim(), 'occurrences of the planted token in docker save').toBe('0');
    });

    it('the .npmrc really reaches the install: a registry that does not answer makes the build fail', async () => {
      writeFileSync(join(dir, '.npmrc'), 'registry=http://127.0.0.1:9/\nfetch-retries=0\nprefer-online=true\n');
      const build = await run('docker', ['compose', '--ansi', 'never', 'build', '--no-cache', 'app'], { cwd: dir, env, timeoutMs: 600_000 });
      expect(build.code, describeRun(build)).not.toBe(0);
      expect(`${build.stdout}${build.stderr}`).toMatch(/127\.0\.0\.1:9|ECONNREFUSED/);
    });
  });
}
