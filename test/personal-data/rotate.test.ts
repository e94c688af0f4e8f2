/**
 * Key rotation by command, on a scratch table this file creates: values sealed under an old kid are
 * sealed again under the active one in batches, a second run changes nothing, the table never holds
 * an SSN in clear, and neither the log lines nor the errors carry a key or a plaintext.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type pg from 'pg';
import pino from 'pino';
import { PersonalDataVault } from '../../platform/personal-data';
import { Db } from '../../subgraphs/shared/db';
import { rotatePersonalData, type SealedColumn } from '../../scripts/personal-data/rotate';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
const TABLE = `public.pd_rotate_${RUN}`;
const KEY_OLD = randomBytes(32).toString('base64');
const KEY_NEW = randomBytes(32).toString('base64');
const before = PersonalDataVault.fromEnv({ PERSONAL_DATA_KEYS: `k2025:${KEY_OLD}` });
const after = PersonalDataVault.fromEnv({ PERSONAL_DATA_KEYS: `k2025:${KEY_OLD},k2026:${KEY_NEW}`, PERSONAL_DATA_ACTIVE_KEY: 'k2026' });
const COLUMNS: SealedColumn[] = [
  { table: TABLE, key: 'id', column: 'ssn', field: 'insured.ssn' },
  { table: TABLE, key: 'id', column: 'tin', field: 'owner.tin' },
];
// Eleven SSNs (area 100 to 110, never 000, 666 or 9xx), two in clear forms to look for.
const SSNS = Array.from({ length: 11 }, (_, i) => `${100 + i}-45-${String(6789 - i).padStart(4, '0')}`);
const TIN = '12-3456789';

let pool: pg.Pool;
let db: Db;
const lines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  }),
);

const readTable = async () =>
  (await pool.query(`SELECT id, ssn, tin FROM ${TABLE} ORDER BY id`)).rows as { id: number; ssn: string; tin: string | null }[];

beforeAll(async () => {
  pool = testPool(2);
  db = new Db(pool);
  await pool.query(`CREATE TABLE ${TABLE} (id int PRIMARY KEY, ssn text, tin text)`);
  for (const [i, ssn] of SSNS.entries()) {
    // Most under the old key; a few already under the new one; one row without a TIN.
    const vault = i % 4 === 3 ? after : before;
    await pool.query(`INSERT INTO ${TABLE} (id, ssn, tin) VALUES ($1, $2, $3)`, [
      i + 1,
      vault.seal('insured.ssn', ssn),
      i === 0 ? null : vault.seal('owner.tin', TIN),
    ]);
  }
});

afterAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await pool.end();
});

describe('rotatePersonalData', () => {
  it('reseals every old-kid value under the active kid in batches, and the table never holds an SSN in clear', async () => {
    const stored = JSON.stringify(await readTable());
    for (const ssn of SSNS) {
      expect(stored).not.toContain(ssn);
      expect(stored).not.toContain(ssn.replace(/-/g, ''));
    }
    const counts = await rotatePersonalData(db, after, { columns: COLUMNS, batchSize: 3, logger });
    // 11 SSNs, 2 of them (rows 4 and 8) already under k2026: 9 in three full batches; 10 TINs, the
    // same 2 already moved: 8 in batches of 3, 3 and 2.
    expect(counts).toEqual([
      { table: TABLE, column: 'ssn', resealed: 9, batches: 3 },
      { table: TABLE, column: 'tin', resealed: 8, batches: 3 },
    ]);
    const rows = await readTable();
    for (const [i, row] of rows.entries()) {
      expect(PersonalDataVault.kidOf(row.ssn)).toBe('k2026');
      expect(after.open('insured.ssn', row.ssn)).toEqual({ plaintext: SSNS[i], stale: false });
      if (i === 0) expect(row.tin).toBeNull();
      else expect(after.open('owner.tin', row.tin!)).toEqual({ plaintext: TIN, stale: false });
    }
    const text = JSON.stringify(rows);
    for (const ssn of SSNS) expect(text).not.toContain(ssn.replace(/-/g, ''));
    expect(text).not.toContain(TIN);
  });

  it('is idempotent: a second run reseals nothing and leaves every value as it was', async () => {
    const first = await readTable();
    const counts = await rotatePersonalData(db, after, { columns: COLUMNS, batchSize: 3, logger });
    expect(counts.map((count) => count.resealed)).toEqual([0, 0]);
    expect(await readTable()).toEqual(first);
  });

  it('stops at a value it cannot open, naming the row by its key, never the value or a key', async () => {
    const stranger = PersonalDataVault.fromEnv({ PERSONAL_DATA_KEYS: `k2024:${randomBytes(32).toString('base64')}` });
    await pool.query(`UPDATE ${TABLE} SET ssn = $1 WHERE id = 5`, [stranger.seal('insured.ssn', SSNS[4])]);
    await expect(rotatePersonalData(db, after, { columns: COLUMNS, logger })).rejects.toThrow(
      `${TABLE}.ssn of id 5: the value of insured.ssn is sealed under kid "k2024", which the keyring does not hold`,
    );
  });

  it('logs counts only: no plaintext and no key material in any line', () => {
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(lines[0])).toMatchObject({
      msg: 'personal data resealed',
      table: TABLE,
      column: 'ssn',
      resealed: 9,
      activeKid: 'k2026',
    });
    const output = lines.join('\n');
    for (const secret of [...SSNS, ...SSNS.map((ssn) => ssn.replace(/-/g, '')), TIN, KEY_OLD, KEY_NEW])
      expect(output).not.toContain(secret);
  });
});
