/**
 * `node pglite-process.js <dataDir> <port>`: the embedded database (PGlite over the Postgres wire
 * protocol, as `npm start` runs it) as a process of its own, so the chaos run can kill it and start it
 * again on the same port and data, as a PostgreSQL server restarts. Leaves if its parent is gone.
 */
import { startEmbeddedDatabase } from '../../scripts/embedded/pglite-server';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir || !port) {
    console.error('usage: node pglite-process.js <dataDir> <port>');
    process.exit(2);
  }
  const parent = process.ppid;
  const db = await startEmbeddedDatabase({ dataDir, port: Number(port), host: '127.0.0.1' });
  console.log(`pglite listening: ${db.url}`);
  const stop = () => void db.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Re-parented means the chaos run died without us: do not linger.
  setInterval(() => process.ppid !== parent && process.exit(0), 1_000).unref();
  // Keep running (the server holds the loop open).
}

main().catch((error) => {
  console.error(`pglite failed to start: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
