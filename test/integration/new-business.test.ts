/**
 * A case's life through the gateway, with the simulated carriers: submit for an eligible agent, the
 * outbox sends it to the carrier (once, whatever the retries), the carrier moves it and orders
 * requirements, a sync brings that back as CARRIER_SYNC events, and the case manager receives the
 * requirements, approves, issues and places it — every step in the case's history. Also: concurrent
 * duplicate submissions make one case, and a carrier that is down loses nothing.
 */
import type pg from 'pg';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { until } from '../support/wait';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;
let staff: string;

const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id caseNumber status annualPremium modalPremium } }`;
const CASE = `query($id: ID!) { case(id: $id) { status carrierReference policyNumber requirements { id code status } events { type fromStatus toStatus requirementCode actor } } }`;

/** An eligible agent at a carrier, with a TERM product offered in that state, of the given protocol. */
async function eligible(protocol: string) {
  const carrierIds = CARRIERS.filter((c) => c.protocol === protocol).map((c) => c.id);
  const [row] = (
    await pool.query(
      `SELECT a.id AS "agentId", p.carrier_id AS "carrierId", p.state, pr.id AS "productId"
         FROM agents.agent a
         JOIN agents.appointment p ON p.agent_id = a.id AND p.status = 'ACTIVE' AND p.carrier_id = ANY($1)
         JOIN agents.license l ON l.agent_id = a.id AND l.state = p.state AND l.resident = (l.state = a.resident_state)
              AND 'LIFE' = ANY(l.lines_of_authority) AND l.expires_on >= current_date AND l.effective_on <= current_date AND NOT l.revoked
         JOIN carriers.product pr ON pr.carrier_id = p.carrier_id AND pr.type = 'TERM' AND p.state = ANY(pr.available_states)
              AND pr.min_face_amount <= 500000 AND pr.max_face_amount >= 500000 AND 'PREFERRED' = ANY(pr.health_classes)
        WHERE a.status = 'ACTIVE' AND a.eo_expires_on >= current_date
        ORDER BY a.id, pr.id LIMIT 1`,
      [carrierIds],
    )
  ).rows;
  const carrier = CARRIERS.find((c) => c.id === row.carrierId)!;
  return {
    code: carrier.code,
    input: (key: string) => ({
      idempotencyKey: key,
      agentId: row.agentId,
      carrierId: row.carrierId,
      productId: row.productId,
      insured: { firstName: 'Robin', lastName: 'Example', birthDate: '1986-04-02', gender: 'FEMALE', state: row.state, tobacco: false },
      faceAmount: 500_000,
      termYears: 20,
      healthClass: 'PREFERRED',
      paymentMode: 'MONTHLY',
    }),
  };
}

const readCase = async (id: string) => (await graphql(stack.url, CASE, { id }, { token: staff })).data!.case;

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '200', CARRIER_RETRIES: '0' } });
  pool = testPool(1);
  staff = await stack.token('STAFF');
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

describe('new business, end to end', () => {
  it('submits, reaches the carrier, syncs its answer, and is worked to placement', async () => {
    const target = await eligible('ACORD');
    const submitted = await graphql(stack.url, SUBMIT, { input: target.input(`life-${Date.now()}`) }, { token: staff });
    expect(submitted.errors).toBeUndefined();
    const { id, annualPremium } = submitted.data!.submitCase;
    expect(submitted.data!.submitCase.status).toBe('SUBMITTED');
    expect(annualPremium).toMatch(/^\d+\.\d{2}$/);

    const reference = await until('the carrier to accept', async () => (await readCase(id)).carrierReference ?? undefined);
    const atCarrier = stack.simulators.control.applications(target.code).filter((a) => a.carrierReference === reference);
    expect(atCarrier).toHaveLength(1);
    // The live view from the carrier (resolved by the carriers subgraph), then the same from its cache.
    const live = `query($id: ID!) { case(id: $id) { carrierStatus { status carrierStatusCode cached requirements { code carrierCode } } } }`;
    const first = (await graphql(stack.url, live, { id }, { token: staff })).data!.case.carrierStatus;
    expect(first).toMatchObject({ carrierStatusCode: expect.any(String), cached: false });
    expect((await graphql(stack.url, live, { id }, { token: staff })).data!.case.carrierStatus.cached).toBe(true);

    stack.simulators.control.advance(target.code, reference, {
      status: 'REQUIREMENTS_OUTSTANDING',
      requirements: [
        { code: 'PARAMED_EXAM', status: 'ORDERED', requestedOn: '2026-01-02' },
        { code: 'MIB', status: 'RECEIVED', requestedOn: '2026-01-02', fulfilledOn: '2026-01-02' },
      ],
    });
    const synced = await graphql(stack.url, 'mutation($id: ID!) { syncCaseFromCarrier(id: $id) { status } }', { id }, { token: staff });
    expect(synced.errors).toBeUndefined();
    // ACORD PolicyStatus 8 is "pending": accepted and under review (docs/domain.md "Carrier status as carriers send it").
    expect(synced.data!.syncCaseFromCarrier.status).toBe('IN_UNDERWRITING');

    stack.simulators.control.advance(target.code, reference, {
      status: 'IN_UNDERWRITING',
      requirements: [{ code: 'PARAMED_EXAM', status: 'RECEIVED', fulfilledOn: '2026-01-09' }],
    });
    await graphql(stack.url, 'mutation($id: ID!) { syncCaseFromCarrier(id: $id) { status } }', { id }, { token: staff });
    let current = await readCase(id);
    expect(current.status).toBe('IN_UNDERWRITING');
    const requirement = (code: string) => current.requirements.find((r: { code: string }) => r.code === code);
    expect(requirement('MIB').status).toBe('RECEIVED');
    expect(requirement('PARAMED_EXAM').status).toBe('RECEIVED');
    // Whatever else the carrier ordered at submission, the case manager receives before approving.
    const outstanding = current.requirements.filter((r: { status: string }) => r.status === 'ORDERED');
    for (const r of outstanding) {
      const received = await graphql(
        stack.url,
        'mutation($r: ID!) { receiveRequirement(requirementId: $r) { status } }',
        { r: r.id },
        { token: staff },
      );
      expect(received.data!.receiveRequirement.status).toBe('RECEIVED');
    }

    const move = (change: Record<string, unknown>) =>
      graphql(
        stack.url,
        'mutation($id: ID!, $c: CaseStatusChangeInput!) { updateCaseStatus(id: $id, change: $c) { status } }',
        { id, c: change },
        { token: staff },
      );
    expect((await move({ status: 'APPROVED' })).data!.updateCaseStatus.status).toBe('APPROVED');
    expect((await move({ status: 'ISSUED', policyNumber: 'POL-42' })).data!.updateCaseStatus.status).toBe('ISSUED');
    const delivery = await graphql(
      stack.url,
      'mutation($id: ID!) { orderRequirement(caseId: $id, code: DELIVERY_RECEIPT) { id } }',
      { id },
      { token: staff },
    );
    expect(codes(await move({ status: 'PLACED' }))).toEqual(['CONFLICT']);
    await graphql(
      stack.url,
      'mutation($r: ID!) { receiveRequirement(requirementId: $r) { status } }',
      { r: delivery.data!.orderRequirement.id },
      { token: staff },
    );
    expect((await move({ status: 'PLACED' })).data!.updateCaseStatus.status).toBe('PLACED');

    current = await readCase(id);
    const story = current.events.map(
      (e: { type: string; toStatus: string | null; requirementCode: string | null }) =>
        `${e.type}:${e.toStatus ?? e.requirementCode ?? ''}`,
    );
    // Every step, in order (the carrier's own requirements and their receipts sit in between).
    const steps = [
      'STATUS_CHANGED:SUBMITTED',
      'SUBMITTED_TO_CARRIER:',
      'CARRIER_SYNC:IN_UNDERWRITING',
      'CARRIER_SYNC:PARAMED_EXAM',
      'CARRIER_SYNC:PARAMED_EXAM',
      'STATUS_CHANGED:APPROVED',
      'STATUS_CHANGED:ISSUED',
      'REQUIREMENT_ORDERED:DELIVERY_RECEIPT',
      'REQUIREMENT_RECEIVED:DELIVERY_RECEIPT',
      'STATUS_CHANGED:PLACED',
    ];
    let at = 0;
    for (const step of story) if (step === steps[at]) at++;
    expect({ story, found: at }).toEqual({ story, found: steps.length });
    expect(story.at(-1)).toBe('STATUS_CHANGED:PLACED');
    expect(story).toContain('CARRIER_SYNC:MIB');
    expect(
      current.events
        .filter((e: { type: string }) => e.type === 'CARRIER_SYNC')
        .every((e: { actor: string }) => e.actor.startsWith('carrier:car_')),
    ).toBe(true);
  });

  it('makes exactly one case of concurrent duplicates, and CONFLICT of a reused key', async () => {
    const target = await eligible('REST');
    const key = `dup-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => graphql(stack.url, SUBMIT, { input: target.input(key) }, { token: staff })),
    );
    const ids = new Set(answers.map((a) => a.data?.submitCase?.id));
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(ids.size).toBe(1);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM cases."case" WHERE idempotency_key = $1`, [key]);
    expect(rows[0].n).toBe(1);
    const other = await graphql(stack.url, SUBMIT, { input: { ...target.input(key), faceAmount: 600_000 } }, { token: staff });
    expect(codes(other)).toEqual(['CONFLICT']);
  });

  it('loses nothing while the carrier is down: the outbox retries with the same reference until it gets through', async () => {
    const target = await eligible('ACORD');
    // The carrier still quotes, but fails every submission for a while.
    stack.simulators.control.setFault(target.code, '5xx', { kinds: ['submit'] });
    const submitted = await graphql(stack.url, SUBMIT, { input: target.input(`down-${Date.now()}`) }, { token: staff });
    expect(submitted.errors).toBeUndefined();
    const { id } = submitted.data!.submitCase;
    // Wait until a failure is recorded (not merely claimed: the send may still be on its way).
    const failure = await until(
      'a failed attempt',
      async () => (await pool.query(`SELECT last_error FROM cases.outbox WHERE case_id = $1`, [id])).rows[0].last_error ?? undefined,
    );
    expect(failure).toContain('CARRIER.HTTP_ERROR');
    expect((await readCase(id)).carrierReference).toBeNull();
    stack.simulators.control.clearFaults();
    // Backoff is seconds: let the row come due now rather than wait.
    await pool.query(`UPDATE cases.outbox SET next_attempt_at = now() WHERE case_id = $1`, [id]);
    const reference = await until(
      'the carrier to accept after it recovers',
      async () => (await readCase(id)).carrierReference ?? undefined,
      15_000,
    );
    expect(stack.simulators.control.applications(target.code).filter((a) => a.carrierReference === reference)).toHaveLength(1);
    const [outbox] = (await pool.query(`SELECT attempts, sent_at IS NOT NULL AS sent FROM cases.outbox WHERE case_id = $1`, [id])).rows;
    expect(outbox.sent).toBe(true);
    expect(outbox.attempts).toBeGreaterThanOrEqual(2);
  });
});
