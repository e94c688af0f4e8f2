/**
 * Case changes after submission, through the gateway, with the simulated carriers (one ACORD, one
 * REST): the case's agent asks for a face-amount increase, the change worker sends it once (SENT,
 * then the carrier's decision), the carrier asks for a signed amendment and an AMENDMENT requirement
 * appears with its events; a payment mode change needs none; a retry with the same key is the same
 * change and never a second call to the carrier; another branch's agent, a closed case, a case the
 * carrier has not accepted yet and bad beneficiary shares are refused; the carrier's own refusal is
 * recorded with its message; beneficiary names are sealed in the database; a carrier that is down
 * loses no change (the worker resends with the same reference).
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

const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }`;
const CHANGE = `mutation($caseId: ID!, $change: CaseChangeInput!, $key: String!) {
  requestCaseChange(caseId: $caseId, change: $change, idempotencyKey: $key) { id caseId kinds status requestedBy carrierMessage amendmentRequired }
}`;
const CASE = `query($id: ID!) { case(id: $id) {
  status carrierReference
  changes { id kinds status requestedAt requestedBy carrierMessage amendmentRequired }
  requirements { code status }
  events { type requirementCode actor note }
} }`;

interface Target {
  code: string;
  agentId: string;
  input: (key: string) => Record<string, unknown>;
}

/** An eligible agent at a carrier of this protocol, with a TERM product offered in that state (as new-business.test.ts). */
async function eligible(protocol: string): Promise<Target> {
  const carrierIds = CARRIERS.filter((c) => c.protocol === protocol).map((c) => c.id);
  const [row] = (
    await pool.query(
      `SELECT a.id AS "agentId", p.carrier_id AS "carrierId", p.state, pr.id AS "productId"
         FROM agents.agent a
         JOIN agents.appointment p ON p.agent_id = a.id AND p.status = 'ACTIVE' AND p.carrier_id = ANY($1)
         JOIN agents.license l ON l.agent_id = a.id AND l.state = p.state AND l.resident = (l.state = a.resident_state)
              AND 'LIFE' = ANY(l.lines_of_authority) AND l.expires_on >= current_date AND l.effective_on <= current_date AND NOT l.revoked
         JOIN carriers.product pr ON pr.carrier_id = p.carrier_id AND pr.type = 'TERM' AND p.state = ANY(pr.available_states)
              AND pr.min_face_amount <= 500000 AND pr.max_face_amount >= 750000 AND pr.max_face_amount < 50000000
              AND 'PREFERRED' = ANY(pr.health_classes) AND pr.terms @> '[{"years": 20}]'
        WHERE a.status = 'ACTIVE' AND a.eo_expires_on >= current_date
        ORDER BY a.id, pr.id LIMIT 1`,
      [carrierIds],
    )
  ).rows;
  const carrier = CARRIERS.find((c) => c.id === row.carrierId)!;
  return {
    code: carrier.code,
    agentId: row.agentId,
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
const change = (caseId: string, body: Record<string, unknown>, key: string, token: string) =>
  graphql(stack.url, CHANGE, { caseId, change: body, key }, { token });
const changeOf = async (caseId: string, changeId: string) =>
  (await readCase(caseId)).changes.find((c: { id: string }) => c.id === changeId) as { status: string; [k: string]: unknown };
const decided = (caseId: string, changeId: string) =>
  until('the carrier to decide', async () => {
    const found = await changeOf(caseId, changeId);
    return found.status === 'ACCEPTED' || found.status === 'REJECTED' ? found : undefined;
  });

/** A case its carrier has accepted. */
async function caseAtCarrier(target: Target, key: string): Promise<{ id: string; reference: string }> {
  const submitted = await graphql(stack.url, SUBMIT, { input: target.input(key) }, { token: staff });
  expect(submitted.errors).toBeUndefined();
  const { id } = submitted.data!.submitCase;
  const reference = await until('the carrier to accept the application', async () => (await readCase(id)).carrierReference ?? undefined);
  return { id, reference };
}

/** An active agent who is neither the case's agent nor one of their uplines: outside the case's scope. */
async function agentOfAnotherBranch(agentId: string): Promise<string> {
  const { rows } = await pool.query(
    `WITH RECURSIVE up AS (SELECT id, upline_id FROM agents.agent WHERE id = $1
                            UNION SELECT a.id, a.upline_id FROM agents.agent a JOIN up ON a.id = up.upline_id)
     SELECT id FROM agents.agent WHERE status = 'ACTIVE' AND id NOT IN (SELECT id FROM up) ORDER BY id LIMIT 1`,
    [agentId],
  );
  return rows[0].id;
}

beforeAll(async () => {
  // A generous carrier deadline: the counts of change calls below must not include a resend after a timeout on a loaded machine.
  stack = await startStack({ env: { OUTBOX_POLL_MS: '200', CARRIER_RETRIES: '0', CARRIER_TIMEOUT_MS: '15000' } });
  pool = testPool(1);
  staff = await stack.token('STAFF');
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

afterEach(() => {
  stack.simulators.control.reset();
});

describe.each(['ACORD', 'REST'])('case changes at a %s carrier', (protocol) => {
  it('sends a face increase once (SENT, then ACCEPTED) with an AMENDMENT; a payment mode change needs none; retries are the same change', async () => {
    const target = await eligible(protocol);
    const { id, reference } = await caseAtCarrier(target, `chg-${protocol}-${Date.now()}`);
    const agent = await stack.agentToken(target.agentId);
    stack.simulators.control.resetCounts(target.code);
    // The carrier answers slowly: the change is seen SENT while the carrier holds it.
    stack.simulators.control.setLatency(target.code, { fixedMs: 1_000 });

    const key = `face-${protocol}-${Date.now()}`;
    const face = { faceAmount: 750_000, reason: 'new mortgage' };
    const requested = await change(id, face, key, agent);
    expect(requested.errors).toBeUndefined();
    const created = requested.data!.requestCaseChange;
    expect(created).toMatchObject({ caseId: id, kinds: ['FACE_AMOUNT'], requestedBy: `user:${target.agentId}`, amendmentRequired: null });
    expect(['REQUESTED', 'SENT']).toContain(created.status);
    await until('the change to be SENT', async () => ((await changeOf(id, created.id)).status === 'SENT' ? true : undefined));

    // A retry while the carrier is answering: the same change, nothing written or sent again.
    const retried = await change(id, face, key, agent);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.requestCaseChange.id).toBe(created.id);

    const done = await decided(id, created.id);
    expect(done).toMatchObject({ status: 'ACCEPTED', amendmentRequired: true, carrierMessage: expect.any(String) });
    stack.simulators.control.setLatency(target.code, { fixedMs: 0 });
    // And a retry after the decision: still the same change, still one call at the carrier.
    expect((await change(id, face, key, agent)).data!.requestCaseChange).toMatchObject({ id: created.id, status: 'ACCEPTED' });
    expect(stack.simulators.control.counts(target.code).change).toBe(1);
    expect(stack.simulators.control.application(target.code, reference)!.faceAmount).toBe(750_000);
    expect(codes(await change(id, { faceAmount: 800_000 }, key, agent))).toEqual(['CONFLICT']);

    let current = await readCase(id);
    expect(current.requirements.filter((r: { code: string }) => r.code === 'AMENDMENT')).toEqual([
      { code: 'AMENDMENT', status: 'ORDERED' },
    ]);
    const types = current.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['CHANGE_REQUESTED', 'CHANGE_ACCEPTED', 'REQUIREMENT_ORDERED']));
    expect(types.indexOf('CHANGE_REQUESTED')).toBeLessThan(types.indexOf('CHANGE_ACCEPTED'));
    // The grid's requirements were ordered at submission too: the amendment's event is the carrier's.
    expect(
      current.events.find(
        (e: { type: string; requirementCode: string }) => e.type === 'REQUIREMENT_ORDERED' && e.requirementCode === 'AMENDMENT',
      ),
    ).toMatchObject({
      requirementCode: 'AMENDMENT',
      actor: expect.stringMatching(/^carrier:car_/),
    });
    expect(current.events.find((e: { type: string }) => e.type === 'CHANGE_REQUESTED')).toMatchObject({
      actor: `user:${target.agentId}`,
      note: 'FACE_AMOUNT',
    });

    // Payment mode: accepted without an amendment.
    const mode = await change(id, { paymentMode: 'ANNUAL' }, `mode-${protocol}-${Date.now()}`, staff);
    expect(mode.errors).toBeUndefined();
    expect(await decided(id, mode.data!.requestCaseChange.id)).toMatchObject({ status: 'ACCEPTED', amendmentRequired: false });
    current = await readCase(id);
    expect(current.requirements.filter((r: { code: string }) => r.code === 'AMENDMENT')).toHaveLength(1);
    expect(current.changes.map((c: { kinds: string[] }) => c.kinds)).toEqual([['FACE_AMOUNT'], ['PAYMENT_MODE']]);

    // Riders need the client's signature too, on the amendment already outstanding: one form to sign, one requirement.
    const riders = await change(id, { riders: ['WAIVER_OF_PREMIUM'] }, `riders-${protocol}-${Date.now()}`, staff);
    expect(await decided(id, riders.data!.requestCaseChange.id)).toMatchObject({ status: 'ACCEPTED', amendmentRequired: true });
    current = await readCase(id);
    expect(current.requirements.filter((r: { code: string }) => r.code === 'AMENDMENT')).toHaveLength(1);

    // Beyond the carrier's limit for the product: the carrier's refusal, recorded with its message, no amendment.
    const big = await change(id, { faceAmount: 60_000_000 }, `big-${protocol}-${Date.now()}`, staff);
    expect(big.errors).toBeUndefined();
    const refused = await decided(id, big.data!.requestCaseChange.id);
    expect(refused).toMatchObject({ status: 'REJECTED', amendmentRequired: null, carrierMessage: expect.stringContaining('limit') });
    current = await readCase(id);
    expect(current.events.find((e: { type: string }) => e.type === 'CHANGE_REJECTED').note).toContain('limit');
    expect(current.requirements.filter((r: { code: string }) => r.code === 'AMENDMENT')).toHaveLength(1);

    // Exactly one change call per change at the carrier, whatever the retries.
    expect(stack.simulators.control.counts(target.code).change).toBe(4);
  });

  it('refuses bad shares, seals beneficiary names, and refuses another branch and a closed case', async () => {
    const target = await eligible(protocol);
    const { id } = await caseAtCarrier(target, `chg2-${protocol}-${Date.now()}`);
    const agent = await stack.agentToken(target.agentId);
    stack.simulators.control.resetCounts(target.code);

    const badShares = await change(
      id,
      {
        beneficiaries: [
          { designation: 'PRIMARY', fullName: 'Avery Quillfeather', relationship: 'SPOUSE', sharePercent: 60 },
          { designation: 'PRIMARY', fullName: 'Blake Quillfeather', relationship: 'CHILD', sharePercent: 30 },
        ],
      },
      `bad-${protocol}-${Date.now()}`,
      agent,
    );
    expect(codes(badShares)).toEqual(['BAD_USER_INPUT']);
    expect(badShares.errors![0].message).toContain('sum to 100');
    expect(JSON.stringify(badShares.errors)).not.toContain('Quillfeather');
    expect(codes(await change(id, {}, `empty-${protocol}-${Date.now()}`, agent))).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await change(id, { owner: { entity: { name: 'Quillfeather Family Trust', tin: '00-1234567' } } }, `tin-${protocol}`, agent)),
    ).toEqual(['BAD_USER_INPUT']);

    const beneKey = `bene-${protocol}-${Date.now()}`;
    const good = await change(
      id,
      {
        beneficiaries: [
          { designation: 'PRIMARY', fullName: 'Avery Quillfeather', relationship: 'SPOUSE', sharePercent: 70 },
          { designation: 'PRIMARY', fullName: 'Blake Quillfeather', relationship: 'CHILD', sharePercent: 30 },
        ],
        owner: { entity: { name: 'Quillfeather Family Trust', tin: '12-3456789' } },
      },
      beneKey,
      agent,
    );
    expect(good.errors).toBeUndefined();
    expect(good.data!.requestCaseChange.kinds).toEqual(['BENEFICIARIES', 'OWNER']);
    // The same key with another beneficiary name is another change: the sealed names are compared, not hashed.
    const goodKey = good.data!.requestCaseChange.id;
    const renamed = (name: string) => ({
      beneficiaries: [
        { designation: 'PRIMARY', fullName: name, relationship: 'SPOUSE', sharePercent: 70 },
        { designation: 'PRIMARY', fullName: 'Blake Quillfeather', relationship: 'CHILD', sharePercent: 30 },
      ],
      owner: { entity: { name: 'Quillfeather Family Trust', tin: '12-3456789' } },
    });
    expect(codes(await change(id, renamed('Avery Quillfeather-Lee'), beneKey, agent))).toEqual(['CONFLICT']);
    expect((await change(id, renamed(' Avery Quillfeather '), beneKey, agent)).data!.requestCaseChange.id).toBe(goodKey);
    expect(await decided(id, good.data!.requestCaseChange.id)).toMatchObject({ status: 'ACCEPTED', amendmentRequired: true });
    // The database holds no beneficiary name nor TIN in clear: the personal parts are one sealed value.
    const { rows } = await pool.query(`SELECT c::text AS row, personal FROM cases.case_change c WHERE id = $1`, [
      good.data!.requestCaseChange.id,
    ]);
    expect(rows[0].personal).toMatch(/^pd1\./);
    expect(rows[0].row).not.toContain('Quillfeather');
    expect(rows[0].row).not.toContain('123456789');
    const events = (await pool.query(`SELECT string_agg(coalesce(note, ''), ' ') AS notes FROM cases.case_event WHERE case_id = $1`, [id]))
      .rows[0];
    expect(events.notes).not.toContain('Quillfeather');

    // Concurrent duplicates (a client retrying in a hurry): one change, one row, one event.
    const hurriedKey = `hurry-${protocol}-${Date.now()}`;
    const hurried = await Promise.all(Array.from({ length: 5 }, () => change(id, { termYears: 30 }, hurriedKey, agent)));
    expect(hurried.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(new Set(hurried.map((r) => r.data!.requestCaseChange.id)).size).toBe(1);
    await decided(id, hurried[0].data!.requestCaseChange.id);
    const requestedEvents = (
      await pool.query(`SELECT count(*)::int AS n FROM cases.case_event WHERE case_id = $1 AND type = 'CHANGE_REQUESTED'`, [id])
    ).rows[0].n;
    expect(requestedEvents).toBe(2);

    // Another branch's agent: the case does not exist for them; nothing is written or sent.
    const stranger = await stack.agentToken(await agentOfAnotherBranch(target.agentId));
    expect(codes(await change(id, { paymentMode: 'QUARTERLY' }, `stranger-${protocol}-${Date.now()}`, stranger))).toEqual(['NOT_FOUND']);

    // A closed case takes no change.
    const withdrawn = await graphql(
      stack.url,
      'mutation($id: ID!) { updateCaseStatus(id: $id, change: { status: WITHDRAWN, note: "client withdrew" }) { status } }',
      { id },
      { token: staff },
    );
    expect(withdrawn.data!.updateCaseStatus.status).toBe('WITHDRAWN');
    const closed = await change(id, { paymentMode: 'QUARTERLY' }, `closed-${protocol}-${Date.now()}`, staff);
    expect(codes(closed)).toEqual(['FAILED_PRECONDITION']);
    expect(closed.errors![0].message).toContain('WITHDRAWN');

    const { rows: count } = await pool.query(`SELECT count(*)::int AS n FROM cases.case_change WHERE case_id = $1`, [id]);
    expect(count[0].n).toBe(2);
    expect(stack.simulators.control.counts(target.code).change).toBe(2);
  });
});

it('refuses a change before the carrier has accepted the application (FAILED_PRECONDITION)', async () => {
  const target = await eligible('ACORD');
  stack.simulators.control.setFault(target.code, '5xx', { kinds: ['submit'] });
  const submitted = await graphql(stack.url, SUBMIT, { input: target.input(`early-${Date.now()}`) }, { token: staff });
  const { id } = submitted.data!.submitCase;
  const early = await change(id, { faceAmount: 600_000 }, `early-${Date.now()}`, staff);
  expect(codes(early)).toEqual(['FAILED_PRECONDITION']);
  expect(early.errors![0].message).toContain('has not accepted the application yet');
  expect((await readCase(id)).changes).toEqual([]);
});

it('loses no change while the carrier is down: the worker resends with the same reference until the carrier decides, once', async () => {
  const target = await eligible('REST');
  const { id, reference } = await caseAtCarrier(target, `down-${Date.now()}`);
  stack.simulators.control.resetCounts(target.code);
  stack.simulators.control.setFault(target.code, '5xx', { kinds: ['change'], times: 1 });
  const requested = await change(id, { faceAmount: 650_000 }, `down-${Date.now()}`, staff);
  expect(requested.errors).toBeUndefined();
  const changeId = requested.data!.requestCaseChange.id;
  // The failed attempt is recorded on the change, which stays SENT: the carrier may have it.
  const failure = await until(
    'a failed attempt',
    async () => (await pool.query(`SELECT last_error FROM cases.case_change WHERE id = $1`, [changeId])).rows[0].last_error ?? undefined,
  );
  expect(failure).toContain('CARRIER.HTTP_ERROR');
  expect((await changeOf(id, changeId)).status).toBe('SENT');
  // Backoff is seconds: let the change come due now rather than wait.
  await pool.query(`UPDATE cases.case_change SET next_attempt_at = now() WHERE id = $1`, [changeId]);
  expect(await decided(id, changeId)).toMatchObject({ status: 'ACCEPTED', amendmentRequired: true });
  const [row] = (await pool.query(`SELECT attempts, last_error FROM cases.case_change WHERE id = $1`, [changeId])).rows;
  expect(row).toEqual({ attempts: 2, last_error: null });
  expect(stack.simulators.control.counts(target.code).change).toBe(2);
  expect(stack.simulators.control.application(target.code, reference)!.faceAmount).toBe(650_000);
  expect((await readCase(id)).requirements.filter((r: { code: string }) => r.code === 'AMENDMENT')).toHaveLength(1);
});
