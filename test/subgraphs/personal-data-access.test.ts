/**
 * The personal data access log through the cases subgraph over real HTTP: entries recorded in one
 * statement are read back by an ADMIN, filtered and paged; STAFF and AGENT are FORBIDDEN; the table
 * refuses updates and deletes. Subject ids are unique to this run (the log is append-only and shared).
 */
import 'reflect-metadata';
import type pg from 'pg';
import { codes, graphql } from '../support/graphql';
import { DEV_IDENTITY_SECRET, readCommonConfig } from '../../platform/config';
import { signIdentity, type Identity } from '../../platform/identity';
import { newStats } from '../../platform/stats';
import { Db } from '../../subgraphs/shared/db';
import { startSubgraph, type RunningSubgraph } from '../../subgraphs/shared/subgraph-server';
import { casesSubgraph } from '../../subgraphs/cases/cases.subgraph';
import { type PersonalDataAccessEntry, recordAccess } from '../../subgraphs/cases/personal-data-access.repository';
import { testPool } from '../support/test-pool';

const ADMIN: Identity = { sub: 'user:test-pda-admin', role: 'ADMIN' };
const STAFF: Identity = { sub: 'user:test-pda-staff', role: 'STAFF' };
const AGENT: Identity = { sub: 'agt_pda', role: 'AGENT', agentId: 'agt_pda' };
const RUN = Date.now().toString(36);
const APPLICATION = `app_pda${RUN}`;
const CASE = `case_pda${RUN}`;

let subgraph: RunningSubgraph;
let pool: pg.Pool;
const ask = (query: string, variables: Record<string, unknown> = {}, identity: Identity | null = ADMIN) =>
  graphql(subgraph.url, query, variables, { headers: identity ? signIdentity(identity, DEV_IDENTITY_SECRET) : {} });

const QUERY = `query($filter: PersonalDataAccessFilter, $first: Int, $after: String) {
  personalDataAccess(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id at actor actorRole subjectKind subjectId field requestId reason } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`;

const entry = (field: string, over: Partial<PersonalDataAccessEntry> = {}): PersonalDataAccessEntry => ({
  actorSub: 'user:test-pda-staff',
  actorRole: 'STAFF',
  subjectKind: 'APPLICATION',
  subjectId: APPLICATION,
  field,
  requestId: `req-${RUN}`,
  ...over,
});

let before: string;
let statements = 0;

beforeAll(async () => {
  subgraph = await startSubgraph(casesSubgraph, readCommonConfig({ DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: 'silent' }), 0);
  pool = testPool(2);
  before = (await pool.query<{ now: string }>('SELECT now() AS now')).rows[0].now;
  const stats = newStats();
  const db = new Db(pool, stats);
  // Five reads in one response: one statement.
  await recordAccess(
    db,
    ['insured.ssn', 'owner.tin', 'payor.bankAccount', 'insured.driversLicense', 'insured.medical'].map((f) => entry(f)),
  );
  statements = stats.sql;
  await recordAccess(db, [
    entry('insured.ssn', {
      actorSub: 'service:cases',
      actorRole: 'SERVICE',
      reason: 'carrier submission',
      subjectKind: 'CASE',
      subjectId: CASE,
    }),
  ]);
  await recordAccess(db, []);
});

afterAll(async () => {
  await subgraph.stop();
  await pool.end();
});

describe('personalDataAccess', () => {
  it('records many entries in one statement and an ADMIN reads them back, newest first', async () => {
    expect(statements).toBe(1);
    const response = await ask(QUERY, { filter: { actor: 'service:cases', subjectId: CASE } });
    expect(response.errors).toBeUndefined();
    const { edges, pageInfo } = response.data!.personalDataAccess;
    expect(edges).toHaveLength(1);
    expect(edges[0].node).toEqual({
      id: expect.any(String),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      actor: 'service:cases',
      actorRole: 'SERVICE',
      subjectKind: 'CASE',
      subjectId: CASE,
      field: 'insured.ssn',
      requestId: `req-${RUN}`,
      reason: 'carrier submission',
    });
    expect(Date.parse(edges[0].node.at)).toBeGreaterThanOrEqual(Date.parse(before) - 1);
    expect(pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('pages through one subject with keyset cursors, entries of one instant included once each', async () => {
    const fields: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response = await ask(QUERY, { filter: { subjectId: APPLICATION }, first: 2, after });
      expect(response.errors).toBeUndefined();
      const { edges, pageInfo } = response.data!.personalDataAccess;
      expect(edges.length).toBeLessThanOrEqual(2);
      expect(pageInfo.hasPreviousPage).toBe(after !== null);
      fields.push(...edges.map((edge: { node: { field: string } }) => edge.node.field));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(fields.sort()).toEqual(['insured.driversLicense', 'insured.medical', 'insured.ssn', 'owner.tin', 'payor.bankAccount']);
  });

  it('filters by time: nothing before the run, everything of the subject from it on', async () => {
    const none = await ask(QUERY, { filter: { subjectId: APPLICATION, to: '2000-01-01T00:00:00.000Z' } });
    expect(none.data!.personalDataAccess.edges).toEqual([]);
    const all = await ask(QUERY, { filter: { subjectId: APPLICATION, from: new Date(Date.parse(before) - 1000).toISOString() } });
    expect(all.data!.personalDataAccess.edges).toHaveLength(5);
  });

  it('is ADMIN only: FORBIDDEN for STAFF and AGENT, UNAUTHENTICATED without a token', async () => {
    expect(codes(await ask(QUERY, {}, STAFF))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(QUERY, {}, AGENT))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(QUERY, {}, { sub: 'anonymous', role: 'ANONYMOUS' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a bad cursor and page size as BAD_USER_INPUT', async () => {
    expect(codes(await ask(QUERY, { after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await ask(QUERY, { first: 201 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('is append-only: the table refuses updates and deletes', async () => {
    await expect(pool.query(`UPDATE cases.personal_data_access SET field = 'x' WHERE subject_id = $1`, [APPLICATION])).rejects.toThrow(
      /append-only/,
    );
    await expect(pool.query('DELETE FROM cases.personal_data_access WHERE subject_id = $1', [APPLICATION])).rejects.toThrow(/append-only/);
  });
});
