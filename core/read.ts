// Reading a file of the project (or one named on the command line) that the run does not
// trust to be what its name says: a FIFO would block the run forever, a device or a huge
// file would exhaust it. Such a file is an input error naming it, before anything is read.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from './errors.ts';

/** Far larger than anything the generator writes or reads; a guard, not a budget. */
export const READ_MAX_BYTES = 8 * 1024 * 1024;

function kindOf(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * The text of a regular file, or undefined when it is missing. Throws an InputError (naming
 * `shown`, the path as the user knows it) for anything that is not a regular file, or that
 * is larger than `maxBytes`.
 */
export function readRegularFile(path: string, shown: string = path, maxBytes = READ_MAX_BYTES): string | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') {
      throw new InputError([{ field: shown, value: path, rule: 'a file stands where the generator needs a folder on the way to it: move that file away' }]);
    }
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputError([{ field: shown, value: path, rule: `is ${kindOf(stat)} where the generator keeps or reads a regular file: move it away` }]);
    if (stat.size > maxBytes) throw new InputError([{ field: shown, value: path, rule: `is ${stat.size} bytes, more than the ${maxBytes} bytes the generator reads: it is not a file the generator wrote; move it away` }]);
    const buffer = Buffer.alloc(stat.size);
    let offset = 0;
    while (offset < buffer.length) {
      const n = readSync(fd, buffer, offset, buffer.length - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return buffer.subarray(0, offset).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
