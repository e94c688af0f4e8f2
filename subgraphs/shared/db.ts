import pg from 'pg';
import { coded } from '../../platform/errors';
import type { RequestStats } from '../../platform/stats';

// DATE columns stay 'YYYY-MM-DD' strings: pg would otherwise make local-midnight JS Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// TIMESTAMPTZ stays an ISO string too: resolvers hand it straight to the DateTime scalar.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value) => new Date(value).toISOString());
// int8 (counts, cents): a JS number while it is exact; money sums beyond 2^53 cents are not a v1 concern.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} exceeds the safe integer range`);
  return n;
});
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export type Pool = pg.Pool;

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => undefined);
  // Nor may a client that is checked out (a transaction, migrations): the pool listens for 'error'
  // only on idle clients and pool.query's own, so a database that goes away while a transaction
  // holds its client emitted an unheard 'error' and killed the process (found by test:chaos). The
  // statement in flight still fails, and the pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

// SQLSTATE classes 08 (connection exception) and 57P (shutting down, starting up), too many
// connections, and the socket errors of a server that is not there.
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '53300']);
const UNREACHABLE_MESSAGES = /Connection terminated|not queryable|timeout exceeded when trying to connect/i;

/** True when the error says the database cannot be reached now, rather than that a statement is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('57P'))) return true;
  return typeof message === 'string' && UNREACHABLE_MESSAGES.test(message);
}

/** Postgres unique_violation: a concurrent or repeated write hit a unique index. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/**
 * A database that is down (restarting, unreachable) is SERVICE_UNAVAILABLE for the caller, at once:
 * a coded error the client can retry on, instead of INTERNAL_SERVER_ERROR "internal error" and an
 * error log line per request. Any other failure is left as it is (a bug stays masked and logged).
 */
function unavailable(error: unknown): unknown {
  return isDatabaseUnavailable(error) ? coded('SERVICE_UNAVAILABLE', 'the database is unavailable; try again shortly') : error;
}

/**
 * The one way services talk SQL: every statement is counted into the request's stats, so tests can
 * assert "one statement per table" rather than guess. Tables are always schema-qualified in SQL
 * (agents.agent, cases.case): under the embedded PGlite server every connection shares one session.
 */
export class Db {
  constructor(
    private readonly target: Queryable,
    private readonly stats?: RequestStats,
    private readonly inTransaction = false,
  ) {}

  async query<T extends object = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.stats) this.stats.sql++;
    try {
      const result = await this.target.query(sql, params);
      return result.rows as T[];
    } catch (error) {
      throw unavailable(error);
    }
  }

  async one<T extends object = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.query<T>(sql, params))[0];
  }

  /**
   * Runs fn in one transaction on one connection; rolls back on any throw. Keep fn free of network
   * calls other than this database: an open transaction holds the embedded database for everyone.
   */
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this); // nested: join the transaction already open
    const client = await (this.target as pg.Pool).connect().catch((error: unknown) => Promise.reject(unavailable(error)));
    const tx = new Db(client, this.stats, true);
    try {
      await tx.query('BEGIN');
      const result = await fn(tx);
      await tx.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
