// Shortcuts taken for start-up speed (see bench/): each must give exactly what the slow,
// obvious way gives.
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';
import ejs from 'ejs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledTemplate } from '../../core/compiled-templates.ts';
import { plainIsAmbiguous, plainReadsBackAsOther } from '../../core/yaml.ts';
import { EJS_OPTIONS, TEMPLATES_DIR, templateRenderer } from '../../core/templates.ts';
import { isIP, isIPv4, isIPv6 } from '../../schema/ip.ts';

const CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'];

function caseVariants(word: string): string[] {
  let out = [''];
  for (const ch of word) out = out.flatMap((prefix) => [...new Set([prefix + ch.toLowerCase(), prefix + ch.toUpperCase()])]);
  return out;
}

describe('plainIsAmbiguous: the pattern agrees with parsing under YAML 1.1 and 1.2', () => {
  const agree = (text: string): void => {
    expect(plainIsAmbiguous(text), JSON.stringify(text)).toBe(plainReadsBackAsOther(text));
  };

  it('on every key of one and two characters of letters, digits, "_" and "-"', () => {
    const keys = [...CHARS, ...CHARS.flatMap((a) => CHARS.map((b) => a + b))];
    expect(keys).toHaveLength(64 + 64 * 64);
    for (const key of keys) agree(key);
  });

  it('on every upper/lower case spelling of the YAML 1.1 booleans and nulls, and near misses', () => {
    const words = ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', 'nul', 'nulls', 'yess', 'offf', 'tru', 'nan', 'inf', 'e', 'yes-', '_yes', 'no_'];
    const spellings = words.flatMap(caseVariants);
    expect(spellings.length).toBeGreaterThan(150);
    for (const word of spellings) agree(word);
    // The ones that matter, spelled out: these must be quoted.
    for (const word of ['yes', 'Yes', 'YES', 'no', 'on', 'OFF', 'y', 'N', 'true', 'False', 'null', 'NULL', 'e5', 'E12', 'e-3']) {
      expect(plainIsAmbiguous(word), word).toBe(true);
    }
    for (const word of ['yES', 'nO', 'oN', 'nULL', 'backend', 'redis-data', 'e', 'e5x', '_e5', 'ex5']) {
      expect(plainIsAmbiguous(word), word).toBe(false);
    }
  });

  it('on YAML 1.1 exponent floats without a mantissa', () => {
    for (const exp of ['e', 'E']) for (const sign of ['', '-', '+']) for (const digits of ['0', '5', '12', '123456']) agree(`${exp}${sign}${digits}`);
  });

  it('on random words, names and other text (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/);
    const yamlish = fc.string({ unit: fc.constantFrom(...'yesnotrufalYESNOTRUFAL0123456789eE_-+.:~ #'.split('')), maxLength: 6 });
    fc.assert(fc.property(fc.oneof(word, yamlish, fc.string({ maxLength: 8 })), (text) => {
      agree(text);
    }), { numRuns: 3000 });
  });

  it('still parses what is not a plain word (digits first, signs, dots, colons, spaces)', () => {
    for (const text of ['22:22', '0x1f', '1e5', '2001-12-14', '-1', '.5', '~', '', 'a b', 'a: b', '- a', '#x', '123', '0o17', '007']) agree(text);
    expect(plainIsAmbiguous('22:22')).toBe(true);
    expect(plainIsAmbiguous('2001-12-14')).toBe(true);
    expect(plainIsAmbiguous('a b')).toBe(false);
  });
});

describe('templates compiled ahead of time (the bundle): errors read like ejs\'s own', () => {
  const escapeXML = (ejs as unknown as { escapeXML: (t: unknown) => string }).escapeXML;

  it('names the file and line and shows the lines around it, exactly as ejs does', () => {
    const text = 'one\ntwo\n<% throw new Error("boom") %>\nfour\nfive\nsix\nseven';
    const file = join(TEMPLATES_DIR, 'app/Dockerfile.ejs');
    let expected = '';
    try {
      ejs.compile(text, { filename: file, ...EJS_OPTIONS, destructuredLocals: [...EJS_OPTIONS.destructuredLocals] })({});
    } catch (error) {
      expected = (error as Error).message;
    }
    expect(expected).toMatch(/boom/);
    const thrower: CompiledTemplate = (_locals, esc, _include, rethrow) => {
      try {
        throw new Error('boom');
      } catch (error) {
        return rethrow(error as Error, text, 'templates/app/Dockerfile.ejs', 3, esc);
      }
    };
    const render = templateRenderer(new Map([['app/Dockerfile.ejs', thrower]]));
    expect(() => render('app/Dockerfile.ejs', {})).toThrow(expected);
  });

  it('reads the template text only when an error needs it', () => {
    const file = join(TEMPLATES_DIR, 'app/README.Docker.en.md.ejs');
    const slurped = readFileSync(file, 'utf8').replace(/[ \t]*<%_/gm, '<%_').replace(/_%>[ \t]*/gm, '_%>');
    const lines = slurped.split('\n');
    const thrower: CompiledTemplate = (_locals, esc, _include, rethrow) => rethrow(new Error('bad'), undefined, 'templates/app/README.Docker.en.md.ejs', 10, esc);
    const render = templateRenderer(new Map([['app/README.Docker.en.md.ejs', thrower]]));
    let message = '';
    try {
      render('app/README.Docker.en.md.ejs', {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.startsWith(`${escapeXML(file)}:10\n`)).toBe(true);
    expect(message).toContain(` >> 10| ${lines[9]}`);
    expect(message).toContain(`    8| ${lines[7]}`);
    expect(message).not.toContain(`    7| `);
    expect(message.endsWith('\n\nbad')).toBe(true);
  });

  it('gives includes the caller\'s data plus their own, resolved next to the including template', () => {
    const seen: Array<Record<string, unknown>> = [];
    const parent: CompiledTemplate = (locals, _esc, include) => `[${String(locals['x'])}|${include('../sample/child.ejs', { y: 2 })}]`;
    const child: CompiledTemplate = (locals) => {
      seen.push({ ...locals });
      return `${String(locals['x'])}${String(locals['y'])}`;
    };
    const render = templateRenderer(new Map([['app/parent.ejs', parent], ['sample/child.ejs', child]]));
    expect(render('app/parent.ejs', { x: 1 })).toBe('[1|12]');
    expect(seen).toEqual([{ x: 1, y: 2 }]);
  });
});

describe('schema/ip.ts decides exactly as node:net does', () => {
  const agree = (text: string): void => {
    expect(isIP(text), JSON.stringify(text)).toBe(net.isIP(text));
    expect(isIPv4(text), JSON.stringify(text)).toBe(net.isIPv4(text));
    expect(isIPv6(text), JSON.stringify(text)).toBe(net.isIPv6(text));
  };

  it('on addresses and near misses', () => {
    const cases = [
      '127.0.0.1', '0.0.0.0', '255.255.255.255', '256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.04', ' 1.2.3.4', '1.2.3.4 ',
      '::', '::1', '::ffff:127.0.0.1', 'fe80::1%eth0', 'fe80::1%', '2001:db8::1', '2001:db8:0:0:0:0:2:1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9',
      '1::2::3', ':1', '1:', 'gggg::1', '[::1]', 'localhost', '', '12345::', '::12345', '1:2:3:4:5:6:1.2.3.4', '::1.2.3.4', '1::1.2.3.4%zone',
    ];
    for (const text of cases) agree(text);
    expect(isIP('127.0.0.1')).toBe(4);
    expect(isIP('::1')).toBe(6);
    expect(isIP('localhost')).toBe(0);
  });

  it('on random addresses and random text (property)', () => {
    const ipish = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFgx.:%-'.split('')), maxLength: 45 });
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), ipish, fc.string({ maxLength: 20 })), (text) => {
        agree(text);
      }),
      { numRuns: 5000 },
    );
  });
});
