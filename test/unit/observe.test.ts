// core/observe.ts: what a run records of a path, and the re-run stamp's check that it still
// holds. A write the change time cannot show (the same tick of the file system's clock, the
// same size) is caught by the bytes check; everything else by the record's head.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesCheck, see, stillSees } from '../../core/observe.ts';

const dir = mkdtempSync(join(tmpdir(), 'wpsn-observe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('core/observe.ts', () => {
  it('a file: mode, owner, size, inode, change time and the bytes check; it still holds until something changes', () => {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'hello\n');
    const record = see(file);
    expect(record).toMatch(/^file \d+ \d+ 6 \d+:\d+ \d+ crc32:[0-9a-f]{8}$/);
    expect(record.endsWith(` ${bytesCheck('hello\n')}`)).toBe(true);
    expect(stillSees(file, record)).toBe(true);
    writeFileSync(file, 'hellO\n');
    expect(stillSees(file, record)).toBe(false);
  });

  it('the same head with other bytes (a write in the same clock tick that keeps the size) does not hold', () => {
    const file = join(dir, 'b.txt');
    writeFileSync(file, 'one\n');
    const record = see(file);
    const otherBytes = record.replace(/crc32:[0-9a-f]{8}$/, bytesCheck('two\n'));
    expect(otherBytes).not.toBe(record);
    expect(stillSees(file, otherBytes)).toBe(false);
  });

  it('a mode change, a folder, a link and a missing path are recorded apart', () => {
    const file = join(dir, 'c.txt');
    writeFileSync(file, 'x');
    const record = see(file);
    chmodSync(file, 0o600);
    expect(stillSees(file, record)).toBe(false);
    mkdirSync(join(dir, 'sub'));
    expect(see(join(dir, 'sub'))).toMatch(/^dir \d+ \d+$/);
    symlinkSync('c.txt', join(dir, 'link'));
    expect(see(join(dir, 'link'))).toBe('link c.txt leads');
    expect(see(join(dir, 'nothing'))).toBe('missing');
    expect(stillSees(join(dir, 'nothing'), 'missing')).toBe(true);
    expect(stillSees(join(dir, 'sub'), 'missing')).toBe(false);
  });

  it('the bytes check is the same for a string and its UTF-8 bytes, and differs for one byte', () => {
    expect(bytesCheck('é\n')).toBe(bytesCheck(Buffer.from('é\n')));
    expect(bytesCheck('a')).not.toBe(bytesCheck('b'));
  });
});
