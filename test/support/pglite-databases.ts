/**
 * A database of its own for each test file on PGlite, as on PostgreSQL. PGlite serves one database per
 * instance, so the test run's main process keeps the seeded instance's data directory as a tarball and
 * starts a fresh instance from it for each file that asks (a few hundred milliseconds), on a port of its
 * own, stopped when the file ends. The instances live in the main process, not in the test worker: a
 * PGlite query runs on its host's thread, and the worker's thread is busy with the test.
 *
 * The worker asks over loopback HTTP (BGA_TEST_PGLITE_DATABASES): POST / → { id, url }, DELETE /<id>.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../scripts/embedded/pglite-server';

export interface DatabaseFactory {
  url: string;
  stop(): Promise<void>;
}

export async function serveDatabaseCopies(template: Blob): Promise<DatabaseFactory> {
  const open = new Map<string, EmbeddedDatabase>();
  let next = 0;
  const server: Server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method === 'POST' && req.url === '/') {
      startEmbeddedDatabase({ load: template }).then(
        (db) => {
          const id = String(++next);
          open.set(id, db);
          answer(201, { id, url: db.url });
        },
        (error: Error) => answer(500, { error: error.message }),
      );
      return;
    }
    const id = req.method === 'DELETE' ? req.url?.slice(1) : undefined;
    const db = id ? open.get(id) : undefined;
    if (!id || !db) return answer(404, { error: 'no such database' });
    open.delete(id);
    db.stop().then(
      () => answer(200, { id }),
      (error: Error) => answer(500, { error: error.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Never what keeps the run's main process alive: it serves while the test files run, nothing after.
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.close();
      server.closeAllConnections();
      await Promise.allSettled([...open.values()].map((db) => db.stop()));
      open.clear();
    },
  };
}

/** From a test worker: a fresh copy of the seeded database. */
export async function openDatabaseCopy(factoryUrl: string): Promise<{ id: string; url: string }> {
  const res = await ask('POST', `${factoryUrl}/`);
  if (res.status !== 201) throw new Error(`test database copy failed: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as { id: string; url: string };
}

export async function closeDatabaseCopy(factoryUrl: string, id: string): Promise<void> {
  await ask('DELETE', `${factoryUrl}/${id}`);
}

/**
 * One request on a connection of its own (agent: false). fetch's pool reused a kept-alive socket the
 * main process had just closed (its event loop busy starting a PGlite instance for the other worker)
 * and failed a test file before it ran: "fetch failed" (CI, two workers).
 */
function ask(method: 'POST' | 'DELETE', url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
