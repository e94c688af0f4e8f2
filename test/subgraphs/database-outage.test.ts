/**
 * A database that goes away and comes back (found by test:chaos): the subgraphs' pool must not kill
 * the process when the connection of a client checked out by a transaction dies (pg emits 'error' on
 * that client, and nobody listened), statements must fail at once as SERVICE_UNAVAILABLE rather than
 * INTERNAL_SERVER_ERROR, and the same pool must work again once the database is back. The outage is
 * a TCP proxy in front of the test database that drops every connection and stops listening.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { GraphQLError } from 'graphql';
import { createPool, Db, isDatabaseUnavailable } from '../../subgraphs/shared/db';

class Outage {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }

  /** Every connection dropped at once, and nobody listening: the database is gone. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

const code = (error: unknown) =>
  error instanceof GraphQLError ? error.extensions.code : `not a GraphQLError: ${(error as Error)?.message}`;

describe('the database going away and coming back', () => {
  let outage: Outage;
  let pool: ReturnType<typeof createPool>;

  beforeAll(async () => {
    const url = new URL(process.env.DATABASE_URL!);
    outage = new Outage({ host: url.hostname, port: Number(url.port || 5432) });
    await outage.up();
    url.host = `127.0.0.1:${outage.port}`;
    pool = createPool(url.toString(), 3);
  });

  afterAll(async () => {
    await pool?.end().catch(() => undefined);
    await outage?.down().catch(() => undefined);
  });

  it('fails a transaction whose connection dies as SERVICE_UNAVAILABLE, without an unheard error event, and recovers', async () => {
    const db = new Db(pool);
    // An 'error' emitted on a client nobody listens to throws: in a service that ends the process,
    // here jest fails the test with "Unhandled error. (Error: Connection terminated unexpectedly".
    let inside!: () => void;
    const reached = new Promise<void>((resolve) => (inside = resolve));
    const held = db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      inside();
      // No statement in flight while the database goes: the error reaches the client itself.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx.query('SELECT 2');
    });
    await reached;
    await outage.down();
    const failure = await held.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(code(failure)).toBe('SERVICE_UNAVAILABLE');
    expect((failure as Error).message).toBe('the database is unavailable; try again shortly');

    // While it is down: an immediate, coded refusal, for plain statements and transactions alike.
    const started = Date.now();
    expect(code(await db.query('SELECT 1').catch((error: unknown) => error))).toBe('SERVICE_UNAVAILABLE');
    expect(code(await db.transaction((tx) => tx.query('SELECT 1')).catch((error: unknown) => error))).toBe('SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(2_000);

    // Back on the same port: the same pool answers again, nothing restarted.
    await outage.up();
    expect(await db.query<{ n: number }>('SELECT 3::int AS n')).toEqual([{ n: 3 }]);
    expect(await db.transaction((tx) => tx.one<{ n: number }>('SELECT 4::int AS n'))).toEqual({ n: 4 });
  });

  it('tells an unreachable database from a bad statement', async () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' }))).toBe(false);
    // A bad statement stays what it is (masked and logged as a bug by the server).
    const db = new Db(pool);
    const error = await db.query('SELEC 1').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(GraphQLError);
    expect((error as { code?: string }).code).toBe('42601');
  });
});
