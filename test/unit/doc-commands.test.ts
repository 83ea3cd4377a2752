// Every command the docs show works from where they show it (issue 14): the README, and
// the README.Docker.md and WORKSHOP.md a run generates. Each shell block is read as bash
// reads it (quotes, continuation lines, heredocs, && ; | and parentheses), and each simple
// command's program must resolve there: `npx wpsn-docker` only in the repository root (where
// npm runs this checkout's own bin; anywhere else npm would fetch a stranger's package named
// wpsn-docker), `npx -p generator-wpsn-docker wpsn-docker` anywhere, the bare `wpsn-docker`
// and `yo wpsn-docker[:name]` only in a document that says how to install them, a script
// only where it exists, and everything else a program the docs can assume.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandTypo } from '../../bin/args.ts';
import { deriveModel } from '../../core/model.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { resolveSpec, type Raw } from '../../core/spec.ts';
import { ensureBuilt, REPO_ROOT } from './helpers/cli.ts';

const COMMANDS = ['verify', 'registry', 'deploy', 'bundle', 'doctor'];

/** Programs a reader of these docs has or is told to install (Docker, the clouds' CLIs) and shell builtins. */
const ASSUMED = new Set([
  'docker', 'kubectl', 'aws', 'gcloud', 'az', 'curl', 'git', 'node', 'npm', 'openssl', 'tar', 'sha256sum',
  'cd', 'export', 'exit', 'echo', 'printf', 'read', 'date', 'wc', 'cat', 'ls', 'mkdir', 'cp', 'rm', 'mv', 'chmod', 'sleep', 'test', 'grep', 'head', 'tail', 'true', 'false', 'set', 'unset',
]);

/** The simple commands of a shell block, each as its words (quotes removed). */
function simpleCommands(block: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const heredocs: string[] = [];
  const endWord = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  const lines = block.split('\n');
  for (let l = 0; l < lines.length; l++) {
    let line = lines[l]!;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '\\' && i === line.length - 1) {
        // A continuation line: the command goes on.
        line = line.slice(0, -1) + ' ' + (lines[++l] ?? '');
        i--;
        continue;
      }
      if (c === "'" || c === '"') {
        let text = '';
        let j = i + 1;
        for (;;) {
          if (j >= line.length) {
            // The quote goes on over the next line.
            if (l + 1 >= lines.length) break;
            line = line + '\n' + lines[++l]!;
            continue;
          }
          const d = line[j]!;
          if (d === c) break;
          if (c === '"' && d === '\\' && j + 1 < line.length) {
            text += line[j + 1];
            j += 2;
            continue;
          }
          text += d;
          j++;
        }
        word = (word ?? '') + text;
        i = j;
        continue;
      }
      if (c === '#' && word === undefined) break; // a comment
      if (c === ' ' || c === '\t') {
        endWord();
        continue;
      }
      if (c === '$' && line[i + 1] === '(') {
        // Command substitution: part of the word; its inside is not followed.
        let depth = 0;
        let j = i + 1;
        for (; j < line.length; j++) {
          if (line[j] === '(') depth++;
          if (line[j] === ')' && --depth === 0) break;
        }
        word = (word ?? '') + line.slice(i, j + 1);
        i = j;
        continue;
      }
      if (c === '<' && line[i + 1] === '<' && line[i + 2] !== '<') {
        const m = /^<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line.slice(i));
        if (m) {
          heredocs.push(m[2]!);
          endWord();
          i += m[0].length - 1;
          continue;
        }
      }
      const two = line.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        endCommand();
        i++;
        continue;
      }
      if (c === '&' && line[i - 1] === '>') {
        word = (word ?? '') + c;
        continue;
      }
      if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
        endCommand();
        continue;
      }
      word = (word ?? '') + c;
    }
    endCommand();
    // A heredoc's body is text, not commands.
    while (heredocs.length) {
      const end = heredocs.shift()!;
      while (l + 1 < lines.length && lines[l + 1]!.trim() !== end) l++;
      l++;
    }
  }
  return commands;
}

/** The program of a simple command, after variable assignments and `sudo`, with its arguments. */
function programOf(words: readonly string[]): string[] {
  let i = 0;
  while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || ['sudo', 'exec', 'time', 'command', '!'].includes(words[i]!))) i++;
  return words.slice(i);
}

interface Doc {
  name: string;
  text: string;
  /** Which shell blocks run in the repository root (the README's "From a clone"). */
  inRepoRoot: (blockStart: number) => boolean;
  /** Whether a script path exists where the document shows it. */
  scriptExists: (path: string) => boolean;
}

/** The shell blocks of a Markdown document, each with where it starts. */
function shellBlocks(markdown: string): Array<{ start: number; body: string }> {
  const out: Array<{ start: number; body: string }> = [];
  const fence = /^```(bash|sh|shell)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) out.push({ start: m.index, body: m[2]! });
  return out;
}

const INSTALL = /npm install (?:-g|--global) (?:yo )?generator-wpsn-docker/;
const INSTALL_YO = /npm install (?:-g|--global) yo generator-wpsn-docker/;

/** What is wrong with one simple command of a document (undefined: it resolves). */
function problemOf(doc: Doc, inRoot: boolean, command: readonly string[]): string | undefined {
  const [program, ...args] = programOf(command);
  if (program === undefined) return undefined;
  const shown = command.join(' ');
  if (program === 'npx') {
    let i = 0;
    let pkg: string | undefined;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-p' || a === '--package') pkg = args[++i];
      else if (a.startsWith('--package=')) pkg = a.slice('--package='.length);
      else if (!a.startsWith('-')) break;
    }
    const bin = args[i];
    if (pkg !== undefined) return pkg === 'generator-wpsn-docker' && bin === 'wpsn-docker' ? undefined : `${shown}: npx -p runs only generator-wpsn-docker's wpsn-docker here`;
    if (bin === 'wpsn-docker') return inRoot ? undefined : `${shown}: outside the repository root npx would fetch a package named wpsn-docker; write npx -p generator-wpsn-docker wpsn-docker`;
    return `${shown}: npx ${bin ?? ''} does not resolve to a known package`;
  }
  if (program === 'wpsn-docker') {
    if (!INSTALL.test(doc.text)) return `${shown}: the document never says how to install wpsn-docker (npm install --global generator-wpsn-docker)`;
    const first = args.find((a) => !a.startsWith('-'));
    if (first !== undefined && !COMMANDS.includes(first) && commandTypo(first, COMMANDS) !== undefined) return `${shown}: ${first} is close to a command but none`;
    return undefined;
  }
  if (program === 'yo') {
    if (!INSTALL_YO.test(doc.text)) return `${shown}: the document never says how to install yo and the generator (npm install --global yo generator-wpsn-docker)`;
    const generator = args[0] ?? '';
    const m = /^wpsn-docker(?::([a-z]+))?$/.exec(generator);
    if (!m) return `${shown}: ${generator} is not this package's generator`;
    return existsSync(join(REPO_ROOT, 'generators', m[1] ?? 'app', 'index.ts')) && m[1] !== 'shared' ? undefined : `${shown}: no generator ${generator}`;
  }
  if (program === 'source' || program === '.') return doc.scriptExists(args[0] ?? '') ? undefined : `${shown}: ${args[0]} does not exist`;
  if (program.includes('/')) return doc.scriptExists(program) ? undefined : `${shown}: ${program} does not exist`;
  return ASSUMED.has(program) ? undefined : `${shown}: ${program} is not a program these docs can assume`;
}

function problemsOf(doc: Doc): string[] {
  const problems: string[] = [];
  for (const block of shellBlocks(doc.text)) {
    for (const command of simpleCommands(block.body)) {
      const problem = problemOf(doc, doc.inRepoRoot(block.start), command);
      if (problem) problems.push(`${doc.name}: ${problem}`);
    }
  }
  return problems;
}

function rendered(values: Raw, sampleApp = true): Map<string, string> {
  const spec = resolveSpec([{ source: 'test', values }], { dirName: 'shop' });
  return new Map(renderAppFiles(deriveModel(spec, { sampleApp })).map((f) => [f.path, f.content]));
}

const FULL: Raw = { workshop: true, database: { kind: 'postgres' }, registries: { targets: ['dockerhub', 'ecr', 'gar', 'acr', 'ghcr', 'registry'] }, deploy: { targets: ['swarm', 'kubernetes', 'ecs', 'aca'] } };

function generatedDocs(): Doc[] {
  const docs: Doc[] = [];
  for (const [label, values, sampleApp] of [
    ['default', {}, true],
    ['full', FULL, true],
    ['own app', { ...FULL, app: { command: ['node', 'index.js'] } }, false],
  ] as const) {
    for (const lang of ['en', 'ko'] as const) {
      const files = rendered({ ...values, lang }, sampleApp);
      for (const path of ['README.Docker.md', 'WORKSHOP.md']) {
        const text = files.get(path);
        if (text === undefined) continue;
        docs.push({ name: `${path} (${label}, ${lang})`, text, inRepoRoot: () => false, scriptExists: (p) => files.has(p.replace(/^\.\//, '')) });
      }
    }
  }
  return docs;
}

function readmeDoc(): Doc {
  const text = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const clone = text.indexOf('\n## From a clone');
  const after = text.indexOf('\n## ', clone + 1);
  const generated = rendered(FULL);
  return {
    name: 'README.md',
    text,
    inRepoRoot: (start) => start > clone && start < after,
    // The repository's own scripts, and those a generated project has.
    scriptExists: (p) => existsSync(join(REPO_ROOT, p)) || generated.has(p.replace(/^\.\//, '')),
  };
}

describe('the shell reader', () => {
  it('splits on && || ; | and parentheses, keeps quotes, skips comments, heredocs and substitutions', () => {
    expect(simpleCommands('source a.sh && npx x demo --yes && (cd demo && docker compose up -d)   # start\n')).toEqual([
      ['source', 'a.sh'],
      ['npx', 'x', 'demo', '--yes'],
      ['cd', 'demo'],
      ['docker', 'compose', 'up', '-d'],
    ]);
    expect(simpleCommands("docker run --rm \\\n  -e 'A B' img | tail -1; X=1 curl \"http://x/\" 2>&1")).toEqual([
      ['docker', 'run', '--rm', '-e', 'A B', 'img'],
      ['tail', '-1'],
      ['X=1', 'curl', 'http://x/', '2>&1'],
    ]);
    expect(simpleCommands("cat > f <<'EOF'\nFROM node\nRUN x && y\nEOF\necho $(date +%s) done")).toEqual([
      ['cat', '>', 'f'],
      ['echo', '$(date +%s)', 'done'],
    ]);
    expect(simpleCommands("node -e 'a;\nb' && ls")).toEqual([['node', '-e', 'a;\nb'], ['ls']]);
  });

  it('finds the commands that would not resolve', () => {
    const doc: Doc = { name: 'x', text: '', inRepoRoot: () => false, scriptExists: () => false };
    expect(problemOf(doc, false, ['npx', 'wpsn-docker', 'verify'])).toBe(
      'npx wpsn-docker verify: outside the repository root npx would fetch a package named wpsn-docker; write npx -p generator-wpsn-docker wpsn-docker',
    );
    expect(problemOf(doc, true, ['npx', 'wpsn-docker', 'verify'])).toBeUndefined();
    expect(problemOf(doc, false, ['npx', '-p', 'generator-wpsn-docker', 'wpsn-docker', 'verify'])).toBeUndefined();
    expect(problemOf(doc, false, ['wpsn-docker', 'verify'])).toBe('wpsn-docker verify: the document never says how to install wpsn-docker (npm install --global generator-wpsn-docker)');
    const installed = { ...doc, text: 'npm install --global yo generator-wpsn-docker' };
    expect(problemOf(installed, false, ['wpsn-docker', 'verfiy'])).toBe('wpsn-docker verfiy: verfiy is close to a command but none');
    expect(problemOf(installed, false, ['yo', 'wpsn-docker:deploy'])).toBeUndefined();
    expect(problemOf(installed, false, ['yo', 'wpsn-docker:shared'])).toBe('yo wpsn-docker:shared: no generator wpsn-docker:shared');
    expect(problemOf(doc, false, ['scripts/push-ecr.sh'])).toBe('scripts/push-ecr.sh: scripts/push-ecr.sh does not exist');
    expect(problemOf(doc, false, ['frobnicate'])).toBe('frobnicate: frobnicate is not a program these docs can assume');
  });
});

describe('every command the docs show resolves where they show it', () => {
  it('README.md', () => {
    const doc = readmeDoc();
    expect(problemsOf(doc)).toEqual([]);
    // What the reader types first really runs this checkout's bin in the repository root.
    const clone = shellBlocks(doc.text).filter((b) => doc.inRepoRoot(b.start));
    expect(clone.flatMap((b) => simpleCommands(b.body)).map((c) => c.slice(0, 3).join(' '))).toContain('npx wpsn-docker verify');
  });

  it.each(generatedDocs().map((d) => [d.name, d] as const))('%s', (_name, doc) => {
    expect(problemsOf(doc)).toEqual([]);
  });

  it('npx wpsn-docker in the repository root is this checkout\'s bin', () => {
    ensureBuilt();
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
    expect(pkg.name).toBe('generator-wpsn-docker');
    expect(Object.keys(pkg.bin)).toEqual(['wpsn-docker']);
    const r = spawnSync('npx', ['--no-install', 'wpsn-docker', '--version'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
