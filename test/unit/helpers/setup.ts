// Set up before every unit test file (vitest.config.ts setupFiles).
import { Duplex } from 'node:stream';

// @yeoman/adapter 5.0.0's TestAdapter (every yeoman-test run makes one) gives its prompt
// module a stand-in output stream, Duplex.from(async () => {}), that nobody writes to. On
// Node 24.22 such a stream errors with an AbortError as soon as its function resolves, and
// nothing listens: vitest counts one unhandled error per run and fails the suite. The
// stream is never used, so its error is dropped here (only for streams made from functions).
const duplexFrom = Duplex.from.bind(Duplex);
Duplex.from = ((body: Parameters<typeof Duplex.from>[0]) => {
  const stream = duplexFrom(body);
  if (typeof body === 'function') stream.on('error', () => {});
  return stream;
}) as typeof Duplex.from;
