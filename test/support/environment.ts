/**
 * The test environment: Node's, plus a world of its own for each test file.
 * - On PostgreSQL (global-setup.ts made a seeded template database), the file gets its own copy
 *   (CREATE DATABASE ... TEMPLATE, a file copy: tens of milliseconds), dropped when the file ends.
 *   Every stack runs the background workers (outbox, case changes, carrier sync): on one shared
 *   database a file's workers would claim the rows another file left due, and send them to this
 *   file's simulated carriers.
 * - With Redis, the file's keys carry a prefix of their own (REDIS_KEY_PREFIX), so cached answers
 *   of one file's database never answer another's.
 * - On PGlite, a file that uses a database gets a fresh instance started from the seeded data
 *   (pglite-databases.ts), stopped when the file ends: the same isolation, for the same reason.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';
import pg from 'pg';
import { closeDatabaseCopy, openDatabaseCopy } from './pglite-databases';

/** Where the file's settings go: the sandbox's process.env, and the worker's own for child processes started without an env. */
type Env = Record<string, string | undefined>;

export default class BgaTestEnvironment extends TestEnvironment {
  private database: string | undefined;
  private pgliteCopy: string | undefined;
  private readonly testPath: string;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.testPath = context.testPath;
  }
  private readonly saved: Env = {};

  override async setup(): Promise<void> {
    await super.setup();
    const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
    this.set('REDIS_KEY_PREFIX', `bga-test-${tag}:`);
    const copies = process.env.BGA_TEST_PGLITE_DATABASES;
    if (copies && usesDatabase(this.testPath)) {
      const copy = await openDatabaseCopy(copies);
      this.pgliteCopy = copy.id;
      this.set('DATABASE_URL', copy.url);
      return;
    }
    const template = process.env.BGA_TEST_TEMPLATE_DATABASE;
    const admin = process.env.BGA_ADMIN_DATABASE_URL;
    if (!template || !admin) return;
    const name = `${template}_f${tag}`;
    await withAdmin(admin, async (client) => {
      // Two copies of one template at once are fine; a copy while something is connected to the
      // template is not (no one is, but retry once if a straggler from setup is still leaving).
      for (let attempt = 0; ; attempt++) {
        try {
          await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
          break;
        } catch (error) {
          if (attempt >= 20 || (error as { code?: string }).code !== '55006') throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    });
    this.database = name;
    const url = new URL(admin);
    url.pathname = `/${name}`;
    this.set('DATABASE_URL', url.toString());
  }

  override async teardown(): Promise<void> {
    for (const [key, value] of Object.entries(this.saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    const copies = process.env.BGA_TEST_PGLITE_DATABASES;
    if (this.pgliteCopy && copies) await closeDatabaseCopy(copies, this.pgliteCopy);
    const admin = process.env.BGA_ADMIN_DATABASE_URL;
    if (this.database && admin) {
      const name = this.database;
      // FORCE: a pool the file forgot to end must not keep its database alive.
      await withAdmin(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
    await super.teardown();
  }

  private set(key: string, value: string): void {
    if (!(key in this.saved)) this.saved[key] = process.env[key];
    process.env[key] = value;
    (this.global.process.env as Env)[key] = value;
  }
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Whether a test file needs a database of its own: every file under test/, and a unit test beside
 * the code that reaches a database. Starting a PGlite instance costs a second or so, and most unit
 * tests need none: they keep the seeded instance's URL, which no test writes to.
 */
function usesDatabase(testPath: string): boolean {
  if (/[\\/]test[\\/]/.test(testPath) && !/[\\/]__tests__[\\/]/.test(testPath)) return true;
  return /DATABASE_URL|startStack|pg\.Pool|new Pool\(/.test(readFileSync(testPath, 'utf8'));
}
