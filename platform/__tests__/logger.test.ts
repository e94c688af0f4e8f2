/** Errors are logged with their stack (pino's err serializer), whichever key names them. */
import { Writable } from 'node:stream';
import { createLogger } from '../logger';

it('logs err and error with type, message and stack', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('test', 'info', sink);
  logger.error({ err: new TypeError('boom') }, 'failed');
  logger.warn({ error: new Error('bang') }, 'failed too');
  const [first, second] = lines.map((line) => JSON.parse(line));
  expect(first.err).toMatchObject({ type: 'TypeError', message: 'boom' });
  expect(first.err.stack).toMatch(/TypeError: boom\n\s+at /);
  expect(second.error.stack).toMatch(/Error: bang\n\s+at /);
});
