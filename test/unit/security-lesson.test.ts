// Security: values never become commands in the lesson's shell blocks (WORKSHOP.md).
// A planted .yo-rc.json once turned "healthPath": "/healthz;./pwn" into a second command
// in a block attendees paste. Two defences, each tested on its own: the schema narrows the
// health path to a URL path's characters, and every value in a block is quoted for the
// shell whatever its schema allows (proven by running every block, built from values that
// bypass the schema, under bash with every command stubbed).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveModel, type StackModel } from '../../core/model.ts';
import { deriveWorkshop, parseLesson } from '../../core/render/workshop.ts';
import { renderTemplate } from '../../core/templates.ts';
import { resolveSpec } from '../../core/spec.ts';
import { shellQuote, shellWord } from '../../core/shell.ts';
import { ensureBuilt, runCli } from './helpers/cli.ts';

const roots: string[] = [];
afterAll(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wpsn-sec-lesson-'));
  roots.push(dir);
  return dir;
}

describe('shellWord and shellQuote', () => {
  const run = (script: string) => spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  it.each([
    'plain',
    '/healthz;touch PWNED',
    '$(touch PWNED)',
    '`touch PWNED`',
    "it's",
    'a b',
    '*',
    '[::1]',
    '~root',
    '=x',
    '',
    'a\nb',
    '--flag',
    '!x',
    '{a,b}',
  ])('%j reaches a command as exactly one argument, unchanged', (value) => {
    const dir = tempDir();
    for (const quote of [shellWord, shellQuote]) {
      const out = run(`cd ${shellQuote(dir)} && printf '%s\\0' ${quote(value)}`);
      expect(out.status).toBe(0);
      expect(out.stdout).toBe(`${value}\0`);
      expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    }
  });
  it('leaves inert words readable', () => {
    expect(shellWord('http://127.0.0.1:3000/healthz')).toBe('http://127.0.0.1:3000/healthz');
    expect(shellWord('node:24-bookworm-slim')).toBe('node:24-bookworm-slim');
    expect(shellWord('http://[::1]:3000/')).toBe("'http://[::1]:3000/'");
  });
  it.each(['do', 'done', 'then', 'fi', 'esac', 'in', 'time'])('quotes the reserved word %s, which shellcheck flags even as an argument', (word) => {
    expect(shellWord(word)).toBe(`'${word}'`);
    expect(shellWord(`${word}s`)).toBe(`${word}s`);
  });
});

/** The model of a lesson for values the schema accepts, then bent to values it would refuse. */
function hostileModel(): StackModel {
  const spec = resolveSpec(
    [{ source: 'test', values: { projectName: 'shop', workshop: true, app: { bind: '::1' }, registries: { targets: ['registry'] }, deploy: { targets: ['swarm', 'ecs'] } } }],
    { dirName: 'shop' },
  );
  const model = deriveModel(spec, { sampleApp: false });
  const evil = '$(touch PWNED1);touch PWNED2`touch PWNED3`';
  const bent = {
    ...model,
    app: { ...model.app, healthPath: `/healthz;touch PWNED0 ${evil}`, localImage: `shop-app${evil}`, baseImage: `node:24${evil}`, localUrl: `http://[::1]:3000${evil}` },
    redis: { ...model.redis, image: `redis:7${evil}` },
  } as StackModel;
  return { ...bent, workshop: deriveWorkshop(bent) };
}

describe('WORKSHOP.md shell blocks with hostile values', () => {
  it('a planted .yo-rc.json with a health path that is a command is refused (exit 2), nothing written', () => {
    ensureBuilt();
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"name":"mine","scripts":{"start":"node index.js"}}\n');
    writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify({ 'generator-wpsn-docker': { answers: { projectName: 'mine', workshop: true, app: { healthPath: '/healthz;./pwn' } } } }));
    const before = readdirSync(dir).sort();
    const r = runCli(dir, ['--yes']);
    expect(r.code, r.describe).toBe(2);
    expect(r.stderr).toContain('app.healthPath (.yo-rc.json) = "/healthz;./pwn"');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('every block, run by bash with every command stubbed, passes each value as one argument and runs nothing else', () => {
    const model = hostileModel();
    for (const lang of ['en', 'ko'] as const) {
      const text = renderTemplate(`workshop/WORKSHOP.${lang}.md.ejs`, { ...model, lang });
      const blocks = parseLesson(text);
      expect(blocks.length).toBeGreaterThan(30);
      const dir = tempDir();
      const stubs = join(dir, '.stubs');
      mkdirSync(stubs);
      const log = join(dir, 'argv.log');
      const stub = `#!/bin/bash\n{ printf '%s' "\${0##*/}"; printf ' <%s>' "$@"; printf '\\n'; } >> ${shellQuote(log)}\n`;
      for (const name of ['docker', 'curl', 'wpsn-docker', 'read']) {
        writeFileSync(join(stubs, name), stub);
        chmodSync(join(stubs, name), 0o755);
      }
      // The project's own scripts the blocks call.
      for (const script of ['scripts/offline-load.sh', 'scripts/push-registry.sh', 'scripts/deploy-swarm.sh', 'scripts/deploy-ecs.sh']) {
        mkdirSync(dirname(join(dir, script)), { recursive: true });
        writeFileSync(join(dir, script), stub);
        chmodSync(join(dir, script), 0o755);
      }
      for (const block of blocks) {
        // Interactive forms read from a terminal; the stubbed docker returns at once.
        const r = spawnSync('bash', ['-c', block.text], { cwd: dir, encoding: 'utf8', env: { PATH: `${stubs}:/usr/bin:/bin`, HOME: dir }, input: '' });
        expect(r.stderr, `block ${block.id}: ${block.text}`).not.toMatch(/syntax error|command not found/);
      }
      const leaked = readdirSync(dir).filter((f) => f.startsWith('PWNED'));
      expect(leaked, `${lang}: a value ran as a command`).toEqual([]);
      const calls = readFileSync(log, 'utf8');
      // The hostile URL reached curl whole, as one argument.
      expect(calls).toContain(`curl <-s> <-o> </dev/null> <-w> <%{http_code}\\n> <${model.app.localUrl}${model.app.healthPath}>`);
      expect(calls).toContain(`<${model.app.baseImage}>`);
    }
  });
});
