// Security: what the generator prints and writes is read as the text it is. Keys and paths
// from a cloned .yo-rc.json or an answers file reach the terminal with their control
// characters escaped (no terminal escape sequences), and a value in README.Docker.md's
// inline code stays inside its code span.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, describe, expect, it } from 'vitest';
import { printable } from '../../core/errors.ts';
import { inlineCode } from '../../core/markdown.ts';
import { ensureBuilt, read, runCli } from './helpers/cli.ts';

const roots: string[] = [];
afterAll(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wpsn-sec-output-'));
  roots.push(dir);
  return dir;
}
const ESC = '\u001b';
const md = new MarkdownIt();
/** The text of every inline code span of a Markdown text, as a renderer reads them. */
function codeSpans(text: string): string[] {
  const spans: string[] = [];
  for (const token of md.parse(text, {})) {
    for (const child of token.children ?? []) if (child.type === 'code_inline') spans.push(child.content);
  }
  return spans;
}

describe('terminal output', () => {
  it('escapes control characters and bidirectional overrides', () => {
    expect(printable(`a${ESC}[2Jb\u009b\u202ec\u0007`)).toBe('a\\u001b[2Jb\\u009b\\u202ec\\u0007');
    expect(printable('plain/path.txt')).toBe('plain/path.txt');
  });

  it('an unknown key with an escape sequence in an answers file is reported escaped', () => {
    ensureBuilt();
    const dir = tempDir();
    writeFileSync(join(dir, 'answers.json'), JSON.stringify({ projectName: 'shop', [`x${ESC}]0;owned${'\u0007'}`]: 1 }));
    const r = runCli(dir, ['--yes', '--answers', join(dir, 'answers.json')]);
    expect(r.code, r.describe).toBe(2);
    expect(r.stderr).not.toContain(ESC);
    expect(r.stderr).toContain('x\\u001b]0;owned\\u0007');
  });

  it('a .yo-rc.json path with an escape sequence is reported escaped', () => {
    ensureBuilt();
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"name":"mine"}\n');
    const path = `docs/${ESC}[31mred.md`;
    writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify({ 'generator-wpsn-docker': { answers: { projectName: 'mine' }, generated: { version: '0.1.0', files: { [path]: 'nope' } } } }));
    const r = runCli(dir, ['--yes']);
    expect(r.code, r.describe).toBe(2);
    expect(`${r.stdout}${r.stderr}`).not.toContain(ESC);
    expect(r.stderr).toContain('\\u001b[31mred.md');
  });
});

describe('Markdown inline code', () => {
  it.each(['node server.js', 'a`b', '``x``', '`lead', 'trail`', 'a|b', ' x ', '```'])('%j reads back as the same code span', (text) => {
    expect(codeSpans(`see ${inlineCode(text)} here`)).toEqual([text]);
  });

  it('a start command with backticks and pipes stays inside its code span in README.Docker.md', () => {
    ensureBuilt();
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"name":"mine","scripts":{"start":"node index.js"}}\n');
    writeFileSync(join(dir, 'index.js'), '\n');
    writeFileSync(join(dir, 'package-lock.json'), '{}\n');
    const command = ['node', 'index.js', '`rm -rf ~`', 'a|b', '**bold**'];
    const r = runCli(dir, ['--yes', '--command', JSON.stringify(command)]);
    expect(r.code, r.describe).toBe(0);
    const readme = read(dir, 'README.Docker.md');
    expect(codeSpans(readme)).toContain(`CMD ${JSON.stringify(command)}`);
    // Nothing of it turned into formatting.
    expect(md.render(readme)).not.toContain('<strong>bold</strong>');
    expect(readdirSync(dir)).toContain('README.Docker.md');
  });
});
