/**
 * Carrier status as carriers send it, through the whole graph with a real simulated ACORD carrier
 * and no periodic sync (SYNC_INTERVAL_MS=0): the application lists the requirements we ordered and
 * the carrier adopts our ids (carrier sync then matches by identity: no duplicate rows); the
 * carrier's signed push moves the case within seconds; a counter offer re-prices the case to the cent
 * from the carrier's rates; a free-look cancellation takes a placed case out of the placed count; a
 * push with a bad or stale signature is 401 and changes nothing.
 */
import type pg from 'pg';
import { createHmac } from 'node:crypto';
import { DEV_CARRIER_PUSH_SECRET } from '../../platform/config';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { issueAge } from '../../subgraphs/carriers/domain/premium';
import { expectedQuote } from '../support/harness';
import { graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { until } from '../support/wait';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;
let staff: string;

const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id annualPremium } }`;
const BIRTH_DATE = '1986-04-02';

async function eligibleAcord() {
  const carrierIds = CARRIERS.filter((c) => c.protocol === 'ACORD').map((c) => c.id);
  const [row] = (
    await pool.query(
      `SELECT a.id AS "agentId", p.carrier_id AS "carrierId", p.state, pr.id AS "productId"
         FROM agents.agent a
         JOIN agents.appointment p ON p.agent_id = a.id AND p.status = 'ACTIVE' AND p.carrier_id = ANY($1)
         JOIN agents.license l ON l.agent_id = a.id AND l.state = p.state AND l.resident = (l.state = a.resident_state)
              AND 'LIFE' = ANY(l.lines_of_authority) AND l.expires_on >= current_date AND l.effective_on <= current_date AND NOT l.revoked
         JOIN carriers.product pr ON pr.carrier_id = p.carrier_id AND pr.type = 'TERM' AND p.state = ANY(pr.available_states)
              AND pr.min_face_amount <= 400000 AND pr.max_face_amount >= 500000 AND 'PREFERRED' = ANY(pr.health_classes)
              AND pr.fully_underwritten AND 20 = ANY(SELECT (t->>'years')::int FROM jsonb_array_elements(pr.terms) t)
        WHERE a.status = 'ACTIVE' AND a.eo_expires_on >= current_date
        -- The last eligible one: other tests take the first.
        ORDER BY p.carrier_id DESC, a.id, pr.id LIMIT 1`,
      [carrierIds],
    )
  ).rows;
  const carrier = CARRIERS.find((c) => c.id === row.carrierId)!;
  return { carrier, productId: row.productId as string, agentId: row.agentId as string, state: row.state as string };
}

const caseRow = async (id: string) =>
  (
    await pool.query(
      `SELECT status, carrier_reference AS "carrierReference", annual_premium_cents AS "annual", modal_premium_cents AS "modal",
              table_rating AS "table", flat_extra_per_thousand_cents AS "flatExtra", flat_extra_years AS "flatExtraYears",
              approved_face_amount AS "approvedFace", placed_at AS "placedAt", (SELECT count(*)::int FROM cases.case_event e WHERE e.case_id = c.id) AS events
         FROM cases."case" c WHERE id = $1`,
      [id],
    )
  ).rows[0];

let target: Awaited<ReturnType<typeof eligibleAcord>>;
let caseId: string;
let reference: string;
let pushUrl: string;

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '200', SYNC_INTERVAL_MS: '0', CARRIER_RETRIES: '0' } });
  pool = testPool(1);
  staff = await stack.token('STAFF');
  target = await eligibleAcord();
  const submitted = await graphql(
    stack.url,
    SUBMIT,
    {
      input: {
        idempotencyKey: `carrier-status-${Date.now()}`,
        agentId: target.agentId,
        carrierId: target.carrier.id,
        productId: target.productId,
        insured: { firstName: 'Robin', lastName: 'Example', birthDate: BIRTH_DATE, gender: 'FEMALE', state: target.state, tobacco: false },
        faceAmount: 500_000,
        termYears: 20,
        healthClass: 'PREFERRED',
        paymentMode: 'MONTHLY',
      },
    },
    { token: staff },
  );
  expect(submitted.errors).toBeUndefined();
  caseId = submitted.data!.submitCase.id;
  reference = await until('the carrier to accept', async () => (await caseRow(caseId)).carrierReference ?? undefined);
  pushUrl = `${stack.subgraphs.cases.url.replace(/\/graphql$/, '')}/webhooks/carriers/${target.carrier.id}`;
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

describe('carrier status as carriers send it', () => {
  it('lists our ordered requirements on the application: the carrier adopts our ids and the sync links them, no duplicates', async () => {
    const ours = (await pool.query(`SELECT id, code FROM cases.requirement WHERE case_id = $1 ORDER BY id`, [caseId])).rows;
    expect(ours.length).toBeGreaterThan(0);
    const atCarrier = stack.simulators.control.application(target.carrier.code, reference)!;
    expect(atCarrier.requirements.filter((c) => c.reference).length).toBeGreaterThan(0);
    for (const requirement of ours.filter((r) => atCarrier.requirements.some((c) => c.code === r.code)))
      expect(atCarrier.requirements.find((c) => c.code === requirement.code)).toMatchObject({ reference: requirement.id });
    const synced = await graphql(
      stack.url,
      'mutation($id: ID!) { syncCaseFromCarrier(id: $id) { status } }',
      { id: caseId },
      { token: staff },
    );
    expect(synced.errors).toBeUndefined();
    const rows = (
      await pool.query(`SELECT id, code, carrier_requirement_id AS "carrierId" FROM cases.requirement WHERE case_id = $1`, [caseId])
    ).rows;
    // One row per carrier requirement, ours among them with the carrier's id recorded.
    expect(new Set(rows.map((r) => r.carrierId)).size).toBe(rows.length);
    for (const requirement of atCarrier.requirements) {
      const mine = rows.filter((r) => r.carrierId === requirement.id);
      expect(mine).toHaveLength(1);
      if (requirement.reference) expect(mine[0].id).toBe(requirement.reference);
    }
  });

  it('refuses a push with a bad or stale signature (401) and changes nothing', async () => {
    const before = await caseRow(caseId);
    const body = JSON.stringify({ application: { applicationId: reference } });
    const post = (timestamp: string, signature: string) =>
      fetch(pushUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-carrier-timestamp': timestamp, 'x-carrier-signature': signature },
        body,
      });
    const now = String(Math.floor(Date.now() / 1000));
    const sign = (t: string, secret = DEV_CARRIER_PUSH_SECRET) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    stack.simulators.control.advance(target.carrier.code, reference, { status: 'IN_UNDERWRITING' });
    const calls = stack.simulators.control.counts(target.carrier.code).status;
    expect((await post(now, sign(now, 'not-the-secret'))).status).toBe(401);
    const stale = String(Number(now) - 3600);
    expect((await post(stale, sign(stale))).status).toBe(401);
    expect((await post(now, 'ab'.repeat(32))).status).toBe(401);
    // Nothing asked of the carrier, nothing written.
    expect(stack.simulators.control.counts(target.carrier.code).status).toBe(calls);
    expect(await caseRow(caseId)).toEqual(before);
    // Signed right: the case moves.
    const ok = await post(now, sign(now));
    expect(ok.status).toBe(200);
    expect((await ok.json()).caseIds).toContain(caseId);
    expect((await caseRow(caseId)).status).toBe('IN_UNDERWRITING');
  });

  it("moves the case within seconds of the carrier's signed push, and re-prices a counter offer to the cent from its rates", async () => {
    stack.simulators.control.setPush(target.carrier.code, { url: pushUrl });
    const terms = { healthClass: null, tableRating: 2, flatExtraPerThousandCents: 250, flatExtraYears: 5, faceAmount: 400_000 };
    stack.simulators.control.advance(target.carrier.code, reference, { status: 'APPROVED_OTHER_THAN_APPLIED', approvedTerms: terms });
    const moved = await until('the push to move the case', async () => {
      const row = await caseRow(caseId);
      return row.status === 'APPROVED_OTHER_THAN_APPLIED' && row.table === 2 ? row : undefined;
    });
    // The carrier's rates: Standard with table 2, the flat extra, $400,000, 20 years, this insured's age at this carrier.
    const expected = expectedQuote(target.carrier, target.productId, {
      productType: 'TERM',
      state: target.state as never,
      issueAge: issueAge(target.carrier.ageBasis, BIRTH_DATE, new Date().toISOString().slice(0, 10)),
      gender: 'FEMALE',
      tobacco: false,
      healthClass: 'STANDARD',
      tableRating: 2,
      flatExtraPerThousandCents: 250,
      flatExtraYears: 5,
      faceAmount: 400_000,
      termYears: 20,
      productIds: [target.productId],
    })!;
    expect(moved).toMatchObject({
      annual: expected.annualPremiumCents,
      modal: expected.modalPremiumsCents.MONTHLY,
      flatExtra: 250,
      flatExtraYears: 5,
      approvedFace: 400_000,
    });
    // Through the API: the approved terms and the premium as re-priced.
    const read = await graphql(
      stack.url,
      'query($id: ID!) { case(id: $id) { status tableRating flatExtraPerThousand flatExtraYears approvedFaceAmount annualPremium } }',
      { id: caseId },
      { token: staff },
    );
    expect(read.data!.case).toEqual({
      status: 'APPROVED_OTHER_THAN_APPLIED',
      tableRating: 2,
      flatExtraPerThousand: '2.50',
      flatExtraYears: 5,
      approvedFaceAmount: 400_000,
      annualPremium: `${Math.floor(expected.annualPremiumCents / 100)}.${String(expected.annualPremiumCents % 100).padStart(2, '0')}`,
    });
    const notes = (
      await pool.query(`SELECT note FROM cases.case_event WHERE case_id = $1 AND type = 'CARRIER_SYNC' ORDER BY id`, [caseId])
    ).rows.map((r) => r.note as string);
    expect(notes).toContain('carrier status 26: counter offer: approved other than applied');
    expect(
      notes.some((n) => n.startsWith('approved terms: rated, table 2, flat extra $2.50 per $1,000 for 5 years, $400,000; re-priced')),
    ).toBe(true);
    expect(stack.simulators.control.pushes(target.carrier.code).at(-1)).toMatchObject({ carrierReference: reference, status: 200 });
  });

  it('takes a free-look cancellation (50) out of the placed count, on the push', async () => {
    stack.simulators.control.advance(target.carrier.code, reference, { status: 'PLACED', policyNumber: 'SR-FREELOOK-1' });
    await until('placed', async () => ((await caseRow(caseId)).status === 'PLACED' ? true : undefined));
    expect((await caseRow(caseId)).placedAt).not.toBeNull();
    stack.simulators.control.advance(target.carrier.code, reference, { status: 'NOT_TAKEN', carrierStatusCode: '50' });
    const row = await until('not taken', async () => {
      const r = await caseRow(caseId);
      return r.status === 'NOT_TAKEN' ? r : undefined;
    });
    expect(row.placedAt).toBeNull();
    await stack.simulators.control.settlePushes();
  });
});
