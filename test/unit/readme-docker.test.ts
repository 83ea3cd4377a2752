// README.Docker.md in both languages, rendered through the real pipeline:
// spec layers -> resolveSpec -> deriveModel -> renderAppFiles.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { deriveModel, type StackModel } from '../../core/model.ts';
import { composeObject } from '../../core/render/compose.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { resolveSpec, type Raw } from '../../core/spec.ts';

const HANGUL = /[\uAC00-\uD7A3]/;

interface Rendered {
  model: StackModel;
  readme: string;
}

function render(values: Raw, sampleApp = true): Rendered {
  const spec = resolveSpec([{ source: 'test', values }], { dirName: 'x' });
  const model = deriveModel(spec, { sampleApp });
  const readme = renderAppFiles(model).find((file) => file.path === 'README.Docker.md');
  if (!readme) throw new Error('README.Docker.md was not rendered');
  return { model, readme: readme.content };
}

/** The same answers rendered in English and in Korean. */
function both(values: Raw, sampleApp = true): { en: Rendered; ko: Rendered } {
  return { en: render({ ...values, lang: 'en' }, sampleApp), ko: render({ ...values, lang: 'ko' }, sampleApp) };
}

interface Fence {
  lang: string;
  lines: string[];
}

/** Fenced code blocks; throws on a fence left open. */
function fences(markdown: string): Fence[] {
  const out: Fence[] = [];
  let open: Fence | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^```(.*)$/.exec(line);
    if (!marker) {
      open?.lines.push(line);
      continue;
    }
    if (open) {
      expect(marker[1], 'a closing fence has no info string').toBe('');
      out.push(open);
      open = undefined;
    } else {
      open = { lang: marker[1]!, lines: [] };
    }
  }
  if (open) throw new Error(`unclosed \`\`\`${open.lang} block`);
  return out;
}

function bashLines(markdown: string): Set<string> {
  return new Set(fences(markdown).filter((f) => f.lang === 'bash').flatMap((f) => f.lines));
}

/** Lines outside fenced code. */
function prose(markdown: string): string[] {
  let inFence = false;
  return markdown.split('\n').filter((line) => {
    if (line.startsWith('```')) {
      inFence = !inFence;
      return false;
    }
    return !inFence;
  });
}

const headings = (markdown: string): string[] => prose(markdown).filter((line) => /^#{1,6} /.test(line));

const SHOP_POSTGRES = {
  projectName: 'shop',
  database: { kind: 'postgres', volume: 'pg-store' },
  redis: { volume: 'cache-store' },
  networks: { frontend: 'edge', backend: 'inner' },
  app: { hostPort: 8088 },
};

describe('README.Docker.md', () => {
  const { en, ko } = both(SHOP_POSTGRES);

  it.each([
    ['en', en],
    ['ko', ko],
  ] as const)('%s: names the real project, volumes, networks, URL, secrets and start command', (_lang, { model, readme }) => {
    expect(model.volumes).toEqual(['cache-store', 'pg-store']);
    for (const volume of model.volumes) {
      expect(readme).toContain(`\`${volume}\``);
      expect(readme).toContain(`shop_${volume}`);
      expect(readme).toContain(`docker run --rm -v shop_${volume}:/data:ro -v "$PWD":/backup debian:bookworm-slim tar -C /data -czf /backup/${volume}.tgz .`);
    }
    for (const network of ['edge', 'inner']) {
      expect(readme).toContain(`\`${network}\``);
      expect(readme).toContain(`\`shop_${network}\``);
    }
    // The defaults this spec overrides must not leak in.
    expect(readme).not.toMatch(/redis-data|db-data|frontend`|backend`/);
    for (const line of bashLines(readme)) expect(line).not.toContain(':3000');
    expect(readme.split('\n')[0]).toMatch(/^# shop: /);
    expect(readme).toContain('http://127.0.0.1:8088/');
    expect(readme).toContain('`127.0.0.1:8088:3000`');
    expect(readme).toContain('`shop-app`');
    expect(model.secrets.map((s) => s.file)).toEqual(['secrets/redis_password', 'secrets/redis_admin_password', 'secrets/redis.acl', 'secrets/db_password', 'secrets/db_admin_password']);
    for (const secret of model.secrets) expect(readme).toContain(`\`${secret.file}\``);
    expect(bashLines(readme)).toContain('docker compose up -d --build --wait');
    for (const command of ['docker compose ps', 'docker compose logs -f app', 'docker compose down', 'docker compose down -v', 'docker compose -f docker-compose.yml -f compose.watch.yaml watch', 'docker compose build']) {
      expect(bashLines(readme)).toContain(command);
    }
    expect(readme).toContain('export NODE_EXTRA_CA_CERTS=/path/to/ca-bundle.crt');
    expect(readme).toContain('wpsn-docker --yes');
    expect(readme).toContain('--force');
  });

  it('Korean headings are in Korean, English ones are not', () => {
    const koHeadings = headings(ko.readme);
    expect(koHeadings.length).toBeGreaterThanOrEqual(9);
    for (const heading of koHeadings) expect(heading, heading).toMatch(HANGUL);
    expect(en.readme).not.toMatch(HANGUL);
  });

  it('both languages have the same section outline', () => {
    const outline = (markdown: string) => headings(markdown).map((h) => /^#+/.exec(h)![0]);
    expect(outline(ko.readme)).toEqual(outline(en.readme));
  });

  it.each([
    ['postgres + sample app', SHOP_POSTGRES, true],
    ['no database, pnpm, build script, no sample app', { projectName: 'plain', app: { packageManager: 'pnpm', buildScript: 'build' } }, false],
    ['mariadb, rdb persistence', { projectName: 'maria', database: { kind: 'mariadb' }, redis: { persistence: 'rdb' } }, true],
    ['mysql, no persistence, IPv6 bind', { projectName: 'my', database: { kind: 'mysql' }, redis: { persistence: 'none' }, app: { bind: '::1' } }, true],
  ] as const)('%s: en and ko show the same fenced commands', (_name, values, sampleApp) => {
    const pair = both(values as Raw, sampleApp);
    const enLines = bashLines(pair.en.readme);
    expect(enLines.size).toBeGreaterThan(15);
    expect([...bashLines(pair.ko.readme)].sort()).toEqual([...enLines].sort());
    const langs = (markdown: string) => fences(markdown).map((f) => f.lang);
    expect(langs(pair.ko.readme)).toEqual(langs(pair.en.readme));
  });

  it.each([
    ['postgres', 'postgres'],
    ['mysql', 'mysql'],
    ['mariadb', 'mariadb'],
    ['no database', 'none'],
  ] as const)('%s: every bash block is valid shell (bash -n)', (_name, kind) => {
    const { readme } = render({ projectName: 'sh', database: { kind } });
    for (const fence of fences(readme).filter((f) => f.lang === 'bash')) {
      const check = spawnSync('bash', ['-n'], { input: fence.lines.join('\n'), encoding: 'utf8' });
      expect(check.status, `${check.stderr}\n${fence.lines.join('\n')}`).toBe(0);
    }
  });

  it('the database section appears only when a database is chosen', () => {
    const none = both({ projectName: 'nodb' });
    for (const { model, readme } of [none.en, none.ko]) {
      expect(model.database).toBeUndefined();
      expect(readme).not.toMatch(/DATABASE_URL|DATABASE_PASSWORD_FILE|db_password|pg_dump|`db`/);
      expect(headings(readme).some((h) => /PostgreSQL|MySQL|MariaDB/.test(h))).toBe(false);
    }
    // The database's section and its two subsections (backups, the app's password).
    expect(headings(none.en.readme)).toHaveLength(headings(en.readme).length - 3);

    for (const { readme } of [en, ko]) {
      expect(headings(readme).at(-3)).toMatch(/^## .*\(PostgreSQL\)$/);
      expect(readme).toContain('DATABASE_URL=postgres://app@db:5432/app');
      expect(readme).toContain('DATABASE_PASSWORD_FILE=/run/secrets/db_password');
      expect(readme).toContain('scripts/db-backup.sh');
      expect(readme).toContain('scripts/db-restore.sh backups/app-');
      expect(readme).toContain('docker compose exec db psql -U postgres -d app -v ON_ERROR_STOP=1 --quiet');
      expect(readme).toContain('`postgres:17-trixie`');
      expect(readme).toContain('`/var/lib/postgresql/data`');
    }
  });

  it('MySQL and MariaDB name their own tools and both password files', () => {
    const mysql = render({ projectName: 'my', database: { kind: 'mysql', name: 'orders' } });
    expect(mysql.readme).toContain("docker compose exec db sh -c 'MYSQL_PWD=\"$(cat /run/secrets/db_root_password)\" exec mysql -u root \"$1\"' sh orders");
    expect(mysql.readme).toContain('`secrets/db_root_password`');
    expect(mysql.readme).toContain('## Database (MySQL)');
    const maria = render({ projectName: 'maria', lang: 'ko', database: { kind: 'mariadb' } });
    expect(maria.readme).toContain('exec mariadb -u root "$1"\' sh app');
    expect(maria.readme).toContain('scripts/db-backup.sh');
    expect(maria.readme).not.toContain('mysqldump');
    expect(maria.readme).toContain('## 데이터베이스 (MariaDB)');
  });

  it('follows the model: sample app, watch files, build script, Redis persistence', () => {
    const plain = both({ projectName: 'plain', app: { packageManager: 'yarn', buildScript: 'compile' } }, false);
    for (const { readme } of [plain.en, plain.ko]) {
      expect(readme).not.toContain('"hits"');
      expect(readme).not.toContain('`server.js`, `package.json`');
      expect(readme).toContain('`package.json`');
      expect(readme).toContain('`yarn.lock`');
      expect(readme).not.toContain('package-lock.json');
      expect(readme).toContain('`yarn run compile`');
      expect(readme).toContain('appendonlydir');
    }
    for (const { readme } of [en, ko]) {
      expect(readme).toContain('{"hits":1}');
      expect(readme).toContain('`package-lock.json`');
      expect(readme).not.toContain('run build`');
    }
    expect(render({ projectName: 'r', redis: { persistence: 'rdb' } }).readme).toContain('dump.rdb');
    const volatile = render({ projectName: 'r', redis: { persistence: 'none' } }).readme;
    expect(volatile).toContain('redis.persistence: none');
    expect(volatile).not.toContain('appendonlydir');
  });

  it('states the log rotation and bind address the compose file really uses', () => {
    const wide = render({ projectName: 'wide', app: { bind: '0.0.0.0' } });
    const compose = composeObject(wide.model) as { services: Record<string, { logging: { options: Record<string, string> }; ports?: string[] }> };
    const { options } = compose.services['app']!.logging;
    expect(wide.readme).toContain(`\`max-size: ${options['max-size']}\``);
    expect(wide.readme).toContain(`\`max-file: ${options['max-file']}\``);
    expect(wide.readme).toContain(`\`${compose.services['app']!.ports![0]}\``);
    expect(wide.readme).toContain('`0.0.0.0`');
    expect(wide.readme).toContain('http://127.0.0.1:3000/');
  });

  it('is tidy Markdown: no trailing whitespace, no tabs, no double blank lines, tagged fences', () => {
    const cases = [en, ko, ...Object.values(both({ projectName: 'nodb' }, false)), render({ projectName: 'm', database: { kind: 'mysql' } })];
    for (const { readme } of cases) {
      readme.split('\n').forEach((line, i) => {
        expect(line, `line ${i + 1} has trailing whitespace: ${JSON.stringify(line)}`).not.toMatch(/\s$/);
        expect(line, `line ${i + 1} has a tab`).not.toContain('\t');
      });
      expect(readme).not.toMatch(/\n\n\n/);
      expect(readme.endsWith('\n') && !readme.endsWith('\n\n')).toBe(true);
      for (const fence of fences(readme)) expect(['bash', 'js']).toContain(fence.lang);
      // Every table row has as many cells as its header row, and a separator follows the header.
      let columns: number | undefined;
      let rows = 0;
      for (const [i, line] of prose(readme).entries()) {
        if (!line.startsWith('|')) {
          columns = undefined;
          continue;
        }
        rows += 1;
        const cells = line.replaceAll(/`[^`]*`/g, 'code').split('|').length - 2;
        if (columns === undefined) {
          columns = cells;
          expect(prose(readme)[i + 1]).toBe(`|${' --- |'.repeat(cells)}`);
        }
        expect(cells, line).toBe(columns);
      }
      expect(rows).toBeGreaterThan(20);
    }
  });

  it('renders deterministically', () => {
    expect(render({ ...SHOP_POSTGRES, lang: 'en' }).readme).toBe(en.readme);
    expect(render({ ...SHOP_POSTGRES, lang: 'ko' }).readme).toBe(ko.readme);
    expect(ko.readme).not.toBe(en.readme);
  });

  it('stays a practical length', () => {
    for (const { readme } of [en, ko]) {
      const lines = readme.split('\n').length;
      expect(lines).toBeGreaterThan(150);
      expect(lines).toBeLessThan(400);
    }
  });
});
