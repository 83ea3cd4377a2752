// Loads and renders the EJS templates under templates/. Templates read the derived
// model only; they loop and branch, they do not compute.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';

/** The package root: the nearest folder above this module that holds templates/. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'templates')) && existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('generator-wpsn-docker: cannot find its templates/ folder');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

const cache = new Map<string, ejs.TemplateFunction>();

/** Renders templates/<name> with the model as `m`; `json` renders exec-form arrays. */
export function renderTemplate(name: string, m: unknown): string {
  let fn = cache.get(name);
  if (!fn) {
    const file = join(TEMPLATES_DIR, name);
    fn = ejs.compile(readFileSync(file, 'utf8'), { filename: file, strict: true, destructuredLocals: ['m', 'json'] }) as ejs.TemplateFunction;
    cache.set(name, fn);
  }
  return fn({ m, json: JSON.stringify });
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
