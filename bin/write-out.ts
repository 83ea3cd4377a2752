// Writing to standard output or error directly: the same bytes as process.stdout.write,
// without Node setting up a stream for the descriptor (for a pipe that loads node:net and
// the stream modules, several milliseconds of start-up). Writes to pipes and files are
// synchronous on POSIX either way. A non-blocking descriptor that is full falls back to
// the stream. Its own module: the re-run fast path (bin/fast-rerun.ts) uses it too.
import { writeSync } from 'node:fs';

export function writeTo(fd: 1 | 2, text: string): void {
  let rest = Buffer.from(text);
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      (fd === 1 ? process.stdout : process.stderr).write(rest);
      return;
    }
  }
}
