// Makes the sample app's lockfiles (templates/app/sample/locks/<client>/<lockfile>.ejs):
// for each set of clients the sample can use (Redis alone, with pg for PostgreSQL, with
// mysql2 for MySQL and MariaDB) and each package manager, the package manager itself
// resolves the sample's package.json from the npm registry. Run it when a client version
// moves (it needs the npm registry); the generator then writes them offline.
//
// Usage: node scripts/sample-lockfiles.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_CLIENTS, SAMPLE_PACKAGE_MANAGERS, samplePackageJson } from '../core/sample-app.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAME = 'wpsn-sample-lock';
const run = (cwd: string, file: string, args: string[]) => execFileSync(file, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });

for (const [client] of Object.entries(SAMPLE_CLIENTS)) {
  for (const [pm, pin] of Object.entries(SAMPLE_PACKAGE_MANAGERS)) {
    const dir = mkdtempSync(join(tmpdir(), 'wpsn-lock-'));
    try {
      writeFileSync(join(dir, 'package.json'), samplePackageJson(NAME, client, pm === 'npm' ? undefined : pin.packageManager));
      let lockfile: string;
      if (pm === 'npm') {
        run(dir, 'npm', ['install', '--package-lock-only', '--ignore-scripts', '--omit-lockfile-registry-resolved']);
        lockfile = 'package-lock.json';
      } else if (pm === 'pnpm') {
        run(dir, 'npx', ['--yes', pin.packageManager, 'install', '--lockfile-only', '--ignore-scripts']);
        lockfile = 'pnpm-lock.yaml';
      } else {
        run(dir, 'npx', ['--yes', pin.packageManager, 'install', '--ignore-scripts', '--non-interactive']);
        lockfile = 'yarn.lock';
      }
      let text = readFileSync(join(dir, lockfile), 'utf8');
      // The project's name goes where the package manager wrote the sample's.
      text = text.replaceAll(`"${NAME}"`, '"<%- m.projectName %>"');
      // YAML 1.1 reads a bare "." as a float (pnpm writes it bare; both read the quoted one alike).
      if (pm === 'pnpm') text = text.replace(/^ {2}\.:$/m, "  '.':");
      const out = join(ROOT, 'templates/app/sample/locks', client, `${lockfile}.ejs`);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, text);
      console.log(`wrote ${out}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
