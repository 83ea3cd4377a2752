// Loads and renders the EJS templates under templates/. Templates read the derived
// model only; they loop and branch, they do not compute.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { COMPILED_TEMPLATES, type CompiledTemplate } from './compiled-templates.ts';
import { inlineCode } from './markdown.ts';
import { shellWord } from './shell.ts';

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

/**
 * Folders of modules that keep their own templates next to their code (a service's or a
 * target's folder): a template name starting with one of them is a path from the package
 * root; any other name is under templates/.
 */
export const MODULE_TEMPLATE_ROOTS = ['services', 'targets'] as const;

/** The file of a template name (see MODULE_TEMPLATE_ROOTS). */
export function templateFile(name: string): string {
  return MODULE_TEMPLATE_ROOTS.some((root) => name.startsWith(`${root}/`)) ? join(PACKAGE_ROOT, name) : join(TEMPLATES_DIR, name);
}

/** The name ejs's error messages give a template: its path in the package. */
export function templateShownName(name: string): string {
  return MODULE_TEMPLATE_ROOTS.some((root) => name.startsWith(`${root}/`)) ? name : `templates/${name}`;
}

/** How every template is compiled: here on first use, or ahead of time by scripts/bundle.ts. */
export const EJS_OPTIONS = { strict: true, destructuredLocals: ['m', 'json', 'code', 'sh'] } as const;

type Render = (data: Record<string, unknown>) => string;

/** ejs's own error decoration: the template's name and line, with the lines around it. */
function rethrow(error: Error, text: string, filename: string, line: number, esc: (text: unknown) => string): never {
  const lines = text.split('\n');
  const start = Math.max(line - 3, 0);
  const end = Math.min(lines.length, line + 3);
  const name = esc(filename);
  const context = lines
    .slice(start, end)
    .map((l, i) => `${i + start + 1 === line ? ' >> ' : '    '}${i + start + 1}| ${l}`)
    .join('\n');
  Object.assign(error, { path: name });
  error.message = `${name || 'ejs'}:${line}\n${context}\n\n${error.message}`;
  throw error;
}

/**
 * The text ejs keeps for error messages (spaces before `<%_` and after `_%>` slurped).
 * Templates compiled ahead of time leave it out (it is only needed if a template throws).
 */
function templateTextForErrors(file: string): string {
  return readFileSync(file, 'utf8').replace(/[ \t]*<%_/gm, '<%_').replace(/_%>[ \t]*/gm, '_%>');
}

/** rethrow for templates compiled ahead of time: their file named by its path in the package. */
function rethrowAhead(error: Error, text: string | undefined, filename: string, line: number, esc: (text: unknown) => string): never {
  const file = join(PACKAGE_ROOT, filename);
  return rethrow(error, text ?? templateTextForErrors(file), file, line, esc);
}

/**
 * The template an `include(path)` in template <from> names, as ejs resolves it: next to
 * <from>, or, for a path starting with "/", from the package root's templates/ (module
 * templates include the shared ones as "/shared/_sh-lib.sh.ejs"). A template under
 * templates/ reaches a module's folder relatively ("../../targets/registry/readme.en.md.ejs"
 * from app/): that template's name is its path from the package root.
 */
function includedName(from: string, path: string): string {
  let name = path.startsWith('/') ? path.slice(1) : posix.join(posix.dirname(from), path);
  if (MODULE_TEMPLATE_ROOTS.some((root) => name.startsWith(`../${root}/`))) name = name.slice('../'.length);
  return posix.extname(name) ? name : `${name}.ejs`;
}

/**
 * A renderer over templates compiled ahead of time (the bundle's), falling back to
 * compiling templates/<name> with ejs. Calls a compiled template the way ejs's own
 * wrapper does: a copy of the data as locals, includes resolved next to the template and
 * given the caller's data plus their own.
 */
export function templateRenderer(ahead: ReadonlyMap<string, CompiledTemplate>): (name: string, data: Record<string, unknown>) => string {
  const cache = new Map<string, Render>();
  const get = (name: string): Render => {
    let fn = cache.get(name);
    if (fn) return fn;
    const compiled = ahead.get(name);
    if (compiled) {
      fn = (data) => {
        const include = (path: string, includeData?: Record<string, unknown>): string =>
          get(includedName(name, path))(Object.assign(Object.create(null) as Record<string, unknown>, data, includeData));
        return compiled(Object.assign(Object.create(null) as Record<string, unknown>, data), ejs.escapeXML, include, rethrowAhead);
      };
    } else {
      const file = templateFile(name);
      fn = ejs.compile(readFileSync(file, 'utf8'), { filename: file, root: TEMPLATES_DIR, ...EJS_OPTIONS, destructuredLocals: [...EJS_OPTIONS.destructuredLocals] }) as Render;
    }
    cache.set(name, fn);
    return fn;
  };
  return (name, data) => get(name)(data);
}

const render = templateRenderer(COMPILED_TEMPLATES);

/**
 * Renders templates/<name> with the model as `m`; `json` renders exec-form arrays, `code`
 * a value as Markdown inline code (core/markdown.ts), `sh` a value as one shell word
 * (core/shell.ts): every value in a shell block of a document goes through it.
 */
export function renderTemplate(name: string, m: unknown): string {
  return render(name, { m, json: JSON.stringify, code: inlineCode, sh: shellWord });
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
