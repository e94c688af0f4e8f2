/**
 * The node:http floor of `npm run bench:gateway`'s cacheable cell: a process that reads each request
 * in full and answers every POST with the same bytes and headers our gateway sends from its response
 * cache, and does nothing else (no authentication, rate limit, cache key or metrics). What one Node
 * process answering from memory can reach on this machine under the same load: the most any gateway
 * process with a response cache could serve here, and so the scale for "≥ 20× stock".
 *
 * Usage: BENCH_FLOOR_ANSWER=<file with {"status","headers","body"}> PORT=<port> node dist/bench/gateway/http-floor.js
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { listen } from '../../platform/http';

interface Answer {
  status: number;
  /** Flat name, value, name, value… as node:http's writeHead takes them. */
  headers: string[];
  body: string;
}

async function main(): Promise<void> {
  const answer = JSON.parse(readFileSync(process.env.BENCH_FLOOR_ANSWER!, 'utf8')) as Answer;
  const body = Buffer.from(answer.body);
  const server = createServer((req, res) => {
    // The body is read as a gateway must before it can key its cache on it.
    req
      .on('data', () => undefined)
      .on('end', () => {
        res.writeHead(answer.status, answer.headers);
        res.end(body);
      });
  });
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, Number(process.env.PORT ?? 0), '127.0.0.1');
  console.log(`listening http://127.0.0.1:${port}/graphql`);
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) void main();
