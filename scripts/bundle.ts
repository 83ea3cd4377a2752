// After `tsc`: bundles the entry points users start (the bin, and each Yeoman generator)
// so that starting one loads a few files instead of ~200 modules. zod, yaml and ejs are
// bundled in and tree-shaken (zod's index alone loads 65 locale files that are never
// used); other packages stay imports. The core is shared in one chunk, so every entry
// uses one copy of it.
//
// dist/bin/wpsn-docker.js becomes a small entry that turns on the V8 compile cache
// (module.enableCompileCache, Node 22.1+; NODE_DISABLE_COMPILE_CACHE=1 turns it off) and
// then imports the CLI, which is therefore compiled from the cache on later runs. The
// commands and the interactive path that the CLI imports lazily stay separate: they are
// tsc's own files (bin/commands/*, generators/app/run-interactive.js), which find the
// generators next to themselves.
//
// Without this step (tsc alone) dist/ works the same, only slower to start.
// Usage: node scripts/bundle.ts [--dist DIR]
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isBuiltin } from 'node:module';
import ejs from 'ejs';
import { build, type Plugin } from 'rolldown';
import { EJS_OPTIONS, MODULE_TEMPLATE_ROOTS, templateShownName } from '../core/templates.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { dist: { type: 'string', default: join(ROOT, 'dist') } }, strict: true });
const DIST = resolve(values.dist);

/** Packages bundled in; every other bare import stays an import. */
const INLINE = new Set(['zod', 'yaml', 'ejs']);
const BIN_ENTRY = '\0wpsn-docker-bin-entry';
const BIN_SOURCE = join(ROOT, 'bin/wpsn-docker.ts');
const FAST_RERUN_SOURCE = join(ROOT, 'bin/fast-rerun.ts');
/** Stands for the build's id in the entry until the chunks it digests are written. */
const BUILD_ID_PLACEHOLDER = 'wpsn-build-id-placeholder-0000000000000000';
/** Marks an import of one of tsc's files in dist/ until the chunk it lands in is known. */
const DIST_REF = 'wpsn-dist:';

const packageName = (specifier: string): string =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;

const posix = (path: string): string => path.split(sep).join('/');

function generatorEntries(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(ROOT, 'generators')).sort()) {
    const source = join(ROOT, 'generators', name, 'index.ts');
    if (existsSync(source)) out[`generators/${name}/index`] = source;
  }
  return out;
}

const COMPILED_TEMPLATES_MODULE = join(ROOT, 'core/compiled-templates.ts');

function listTemplates(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listTemplates(path, out);
    else if (name.endsWith('.ejs')) out.push(path);
  }
  return out;
}

/**
 * core/compiled-templates.ts for the bundle: every template compiled by ejs now, with the
 * options core/templates.ts uses at run time. ejs 7 has no "client" output, but with
 * `debug` it prints the exact body it turns into a function: that body is kept.
 */
function compiledTemplatesModule(templatesDir = join(ROOT, 'templates')): string {
  const entries: string[] = [];
  // templates/ by their path in it; the modules' own templates by their path in the package.
  const files = [
    ...listTemplates(templatesDir).map((file) => ({ file, name: posix(relative(templatesDir, file)) })),
    ...MODULE_TEMPLATE_ROOTS.flatMap((root) => (existsSync(join(ROOT, root)) ? listTemplates(join(ROOT, root)) : [])).map((file) => ({ file, name: posix(relative(ROOT, file)) })),
  ];
  for (const { file, name } of files) {
    let body: string | undefined;
    const log = console.log;
    console.log = (text: unknown) => {
      body = String(text);
    };
    try {
      ejs.compile(readFileSync(file, 'utf8'), { ...EJS_OPTIONS, destructuredLocals: [...EJS_OPTIONS.destructuredLocals], filename: templateShownName(name), debug: true });
    } finally {
      console.log = log;
    }
    if (body === undefined) throw new Error(`ejs printed no source for ${name}`);
    // The template's own text, kept by ejs for error messages only: core/templates.ts
    // reads it from templates/ if an error ever needs it, instead of every run loading it.
    const withoutText = body.replace(/\n {2}, __lines = "(?:[^"\\\n]|\\.)*"\n/, '\n  , __lines = undefined\n');
    if (withoutText === body) throw new Error(`no template text found in ejs's source for ${name}`);
    body = withoutText;
    entries.push(`  [${JSON.stringify(name)}, function (${ejs.localsName}, escapeFn, include, rethrow) {\n${body}\n}]`);
  }
  return `// Generated by scripts/bundle.ts from templates/ and the modules' own templates.\nexport const COMPILED_TEMPLATES = new Map([\n${entries.join(',\n')}\n]);\n`;
}

/**
 * Node's built-in modules, imported as ES modules, build a namespace of every export,
 * which runs lazy getters: `import { readFileSync } from 'node:fs'` loads fs/promises,
 * readline and streams (about 30 internal modules, ~10 ms of start-up here), which
 * `require('node:fs')` does not. The chunks' top-level imports of built-ins (as rolldown
 * renders them) become requires of the same names.
 */
function requireBuiltins(code: string): string {
  let used = false;
  const out = code.replace(/^import\s+(?:([\w$]+|\*\s+as\s+[\w$]+)\s*,?\s*)?(?:\{([^}]*)\}\s*)?(?:from\s+)?"([^"]+)";$/gm, (line, head: string | undefined, named: string | undefined, spec: string) => {
    if (!isBuiltin(spec) || spec === 'node:module' || spec === 'module') return line;
    used = true;
    const req = `__wpsnRequire(${JSON.stringify(spec)})`;
    const parts: string[] = [];
    if (head) parts.push(`const ${head.replace(/^\*\s+as\s+/, '')} = ${req};`);
    if (named !== undefined) {
      const names = named
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .map((n) => n.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, '$1: $2'));
      if (names.length) parts.push(`const { ${names.join(', ')} } = ${req};`);
    }
    if (!head && named === undefined) parts.push(`${req};`);
    return parts.join(' ');
  });
  if (!used) return code;
  const header = 'import { createRequire as __wpsnCreateRequire } from "node:module";\nconst __wpsnRequire = __wpsnCreateRequire(import.meta.url);\n';
  // After a hashbang line, if any.
  return out.startsWith('#!') ? out.replace(/^(#![^\n]*\n)/, `$1${header}`) : header + out;
}

const plugin: Plugin = {
  name: 'wpsn-docker-entries',
  resolveId(source, importer, options) {
    if (source === BIN_ENTRY) return source;
    if (!importer) return null;
    if (source.startsWith('node:')) return { id: source, external: true };
    // What the CLI imports lazily stays tsc's file next to where the CLI is compiled to.
    if (options.kind === 'dynamic-import' && source.startsWith('.') && importer !== BIN_ENTRY) {
      const target = resolve(dirname(importer), source);
      return { id: `${DIST_REF}${posix(relative(ROOT, target)).replace(/\.ts$/, '.js')}`, external: true };
    }
    if (!source.startsWith('.') && !source.startsWith('/') && !INLINE.has(packageName(source))) return { id: source, external: true };
    return null;
  },
  renderChunk(code, chunk) {
    // A reference to a file of dist/ becomes a path relative to the chunk that imports it.
    const from = dirname(join(DIST, chunk.fileName));
    let out = code.replace(new RegExp(`(["'])${DIST_REF}([^"']+)\\1`, 'g'), (_, quote: string, path: string) => {
      let rel = posix(relative(from, join(DIST, path)));
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return `${quote}${rel}${quote}`;
    });
    out = requireBuiltins(out);
    return out === code ? null : out;
  },
  load(id) {
    if (id === COMPILED_TEMPLATES_MODULE) return { code: compiledTemplatesModule(), moduleType: 'js' };
    if (id !== BIN_ENTRY) return null;
    return [
      "import module from 'node:module';",
      `import { build, fastRerun } from ${JSON.stringify(FAST_RERUN_SOURCE)};`,
      // Replaced by the digest of the bundled code once it is written (see below).
      `build.id = ${JSON.stringify(BUILD_ID_PLACEHOLDER)};`,
      // A re-run that changes nothing is answered from the project's stamp (bin/fast-rerun.ts).
      'if (!fastRerun(process.argv.slice(2))) {',
      // Compiled code of the CLI chunk is kept in the OS temp dir (Node's default location).
      '  module.enableCompileCache?.();',
      `  await import(${JSON.stringify(BIN_SOURCE)});`,
      '}',
      '',
    ].join('\n');
  },
};

const started = performance.now();
rmSync(join(DIST, 'chunks'), { recursive: true, force: true });
const output = await build({
  input: { 'bin/wpsn-docker': BIN_ENTRY, ...generatorEntries() },
  platform: 'node',
  logLevel: 'warn',
  plugins: [plugin],
  output: {
    dir: DIST,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    banner: (chunk) => (chunk.isEntry && chunk.name === 'bin/wpsn-docker' ? '#!/usr/bin/env node' : ''),
    // ASCII only (a single non-ASCII character makes V8 hold the whole source as UTF-16
    // and decode it slowly), and no comments but licences: less to read and compile.
    charset: 'ascii',
    comments: { legal: true, annotation: true, jsdoc: false },
  },
});

// Every import must be relative (or a package), or the package would only work here.
const files = output.output.filter((o) => o.type === 'chunk');
const bad = files.flatMap((chunk) => [
  ...[...chunk.imports, ...chunk.dynamicImports].filter((i) => i.startsWith('/')).map((i) => `${chunk.fileName} -> ${i}`),
  ...(chunk.code.includes(DIST_REF) ? [`${chunk.fileName} -> an unrewritten ${DIST_REF} import`] : []),
]);
if (bad.length) throw new Error(`imports that only work on this machine left in the bundle:\n${bad.join('\n')}`);
// The build's id, for the re-run stamp (bin/fast-rerun.ts): a digest of every chunk the
// CLI runs and of the version it reports. Any change to the generator's code or templates
// changes it, so a stamp never outlives the build that wrote it.
const binFile = join(DIST, 'bin/wpsn-docker.js');
const digest = createHash('sha256').update(String((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version));
for (const chunk of files.filter((c) => c.fileName.startsWith('chunks/')).sort((a, b) => a.fileName.localeCompare(b.fileName))) digest.update(chunk.fileName).update(chunk.code);
const entry = readFileSync(binFile, 'utf8');
if (!entry.includes(BUILD_ID_PLACEHOLDER)) throw new Error(`the build id placeholder is missing from ${binFile}`);
writeFileSync(binFile, entry.replace(BUILD_ID_PLACEHOLDER, digest.digest('hex').slice(0, 40)));
chmodSync(binFile, 0o755);
const size = files.reduce((n, c) => n + c.code.length, 0);
process.stdout.write(
  `bundled ${files.length} files (${(size / 1024).toFixed(0)} KiB) into ${posix(relative(ROOT, DIST)) || '.'} in ${(performance.now() - started).toFixed(0)} ms:\n` +
    files.map((c) => `  ${c.fileName} ${(c.code.length / 1024).toFixed(0)} KiB`).join('\n') +
    '\n',
);
