/**
 * showPersonalData, on the database the suite shares: who sees an application's personal data in
 * full or masked, that each full read (and only a full read) lands in the access log, and that a
 * value under an old kid comes back resealed under the active one.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Identity } from '../../platform/identity';
import { PersonalDataVault } from '../../platform/personal-data';
import { Db } from '../../subgraphs/shared/db';
import { personalDataAccessPage } from '../../subgraphs/cases/personal-data-access.repository';
import { type SealedValue, showPersonalData } from '../../subgraphs/cases/personal-data.service';
import { testPool } from '../support/test-pool';

const RUN = Date.now().toString(36);
const KEY_OLD = randomBytes(32).toString('base64');
const KEY_NEW = randomBytes(32).toString('base64');
const old = PersonalDataVault.fromEnv({ PERSONAL_DATA_KEYS: `old:${KEY_OLD}` });
const vault = PersonalDataVault.fromEnv({ PERSONAL_DATA_KEYS: `old:${KEY_OLD},new:${KEY_NEW}`, PERSONAL_DATA_ACTIVE_KEY: 'new' });
const SSN = '123-45-6789';
const MEDICAL = 'Type 2 diabetes, A1C 6.4';

let pool: pg.Pool;
let db: Db;
let counter = 0;

beforeAll(() => {
  pool = testPool(2);
  db = new Db(pool);
});
afterAll(() => pool.end());

/** One application of agent agt_own, its own id, its SSN under the active kid and medical answer under the old one. */
function application() {
  counter += 1;
  const subject = { kind: 'APPLICATION' as const, id: `app_pds${RUN}_${counter}`, agentId: 'agt_own' };
  const sealed: SealedValue[] = [
    { field: 'insured.ssn', sealed: vault.seal('insured.ssn', SSN), kind: 'SSN' },
    { field: 'insured.medical', sealed: old.seal('insured.medical', MEDICAL) },
  ];
  return { subject, sealed };
}

const logged = async (subjectId: string) =>
  (await personalDataAccessPage(db, { filter: { subjectId } })).edges.map(({ node }) => ({
    actor: node.actor,
    actorRole: node.actorRole,
    field: node.field,
    requestId: node.requestId,
    reason: node.reason,
  }));

describe('showPersonalData', () => {
  it.each<[string, Identity]>([
    ['STAFF', { sub: 'user:pds-staff', role: 'STAFF' }],
    ['ADMIN', { sub: 'user:pds-admin', role: 'ADMIN' }],
    ['the owning agent', { sub: 'agt_own', role: 'AGENT', agentId: 'agt_own' }],
  ])('shows %s the values in full and records each read', async (_, identity) => {
    const { subject, sealed } = application();
    const shown = await showPersonalData({ identity, requestId: `req-${RUN}`, db }, vault, subject, sealed);
    expect(shown.full).toBe(true);
    expect(Object.fromEntries(shown.values)).toEqual({ 'insured.ssn': SSN, 'insured.medical': MEDICAL });
    expect((await logged(subject.id)).sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { actor: identity.sub, actorRole: identity.role, field: 'insured.medical', requestId: `req-${RUN}`, reason: null },
      { actor: identity.sub, actorRole: identity.role, field: 'insured.ssn', requestId: `req-${RUN}`, reason: null },
    ]);
  });

  it.each<[string, Identity]>([
    ['another agent', { sub: 'agt_other', role: 'AGENT', agentId: 'agt_other' }],
    ['a service without a reason', { sub: 'service:cases', role: 'SERVICE' }],
    ['an anonymous caller', { sub: 'anonymous', role: 'ANONYMOUS' }],
  ])('shows %s masks only and records nothing', async (_, identity) => {
    const { subject, sealed } = application();
    const shown = await showPersonalData({ identity, requestId: `req-${RUN}`, db }, vault, subject, sealed);
    expect(shown.full).toBe(false);
    expect(Object.fromEntries(shown.values)).toEqual({ 'insured.ssn': '***-**-6789', 'insured.medical': null });
    expect(await logged(subject.id)).toEqual([]);
  });

  it('shows a service with a reason the values in full and records the reason', async () => {
    const { subject, sealed } = application();
    const identity: Identity = { sub: 'service:cases', role: 'SERVICE' };
    await showPersonalData({ identity, requestId: `req-${RUN}`, db }, vault, subject, sealed, 'carrier submission');
    expect((await logged(subject.id)).map((entry) => entry.reason)).toEqual(['carrier submission', 'carrier submission']);
  });

  it('returns a value under an old kid resealed under the active one, for the caller to store', async () => {
    const { subject, sealed } = application();
    const shown = await showPersonalData(
      { identity: { sub: 'agt_other', role: 'AGENT', agentId: 'agt_other' }, requestId: 'r', db },
      vault,
      subject,
      sealed,
    );
    expect(shown.resealed.map((value) => value.field)).toEqual(['insured.medical']);
    expect(PersonalDataVault.kidOf(shown.resealed[0].sealed)).toBe('new');
    expect(vault.open('insured.medical', shown.resealed[0].sealed)).toEqual({ plaintext: MEDICAL, stale: false });
  });
});
