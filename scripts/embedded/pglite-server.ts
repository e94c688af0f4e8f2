import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { SyncGroupedQueue } from './pglite-queue';

export interface EmbeddedDatabase {
  url: string;
  /** The whole data directory as a tarball: another startEmbeddedDatabase({ load }) starts from it. */
  dump(): Promise<Blob>;
  stop(): Promise<void>;
}

/**
 * Postgres in WebAssembly, served over the Postgres wire protocol so every service uses `pg`
 * exactly as in production. One Postgres session serves every connection: tables are
 * schema-qualified everywhere and transactions stay short. `dataDir` undefined keeps it in memory.
 */
export async function startEmbeddedDatabase(
  options: { dataDir?: string; port?: number; host?: string; load?: Blob } = {},
): Promise<EmbeddedDatabase> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.load ? { loadDataDir: options.load } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  const server = new PGLiteSocketServer({ db, port: options.port ?? 0, host, maxConnections: 200 });
  // Before any connection: each handler takes the server's queue when it is created.
  (server as unknown as { queryQueue: SyncGroupedQueue }).queryQueue = new SyncGroupedQueue(db);
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres?sslmode=disable`,
    dump: () => db.dumpDataDir('none'),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
