/**
 * E-applications through the gateway (issue #14): start from a quote, fill in over several updates
 * with `missing` shrinking to nothing, personal data sealed in the database, masked per role, every
 * full read logged; bad input refused with nothing written.
 */
import type pg from 'pg';
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import {
  fillingIn,
  INSURED_SSN,
  lastSteps,
  READ,
  START,
  startInput,
  UPDATE,
  type WritingAgent,
  writingAgent,
} from '../support/applications';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;
let staff: string;
let target: WritingAgent;
let agent: string;

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0' } });
  pool = testPool(1);
  staff = await stack.token('STAFF');
  target = await writingAgent(pool, 'ACORD');
  agent = await stack.agentToken(target.agentId);
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

const paths = (application: { missing: { path: string }[] }) => application.missing.map((item) => item.path);

describe('an application, filled in over several updates', () => {
  let id: string;

  it('starts from a quoted product with everything still missing', async () => {
    const quote = await graphql(
      stack.url,
      `query($input: QuoteInput!) { compareQuotes(input: $input) { quotes { product { id } } } }`,
      {
        input: {
          state: target.state,
          birthDate: '1986-04-02',
          gender: 'FEMALE',
          tobacco: false,
          healthClass: 'PREFERRED',
          faceAmount: 500_000,
          termYears: 20,
          carrierIds: [target.carrierId],
        },
      },
      { token: agent },
    );
    expect(quote.data!.compareQuotes.quotes.map((q: { product: { id: string } }) => q.product.id)).toContain(target.productId);
    const started = await graphql(stack.url, START, { input: startInput(target) }, { token: agent });
    expect(started.errors).toBeUndefined();
    const application = started.data!.startApplication;
    id = application.id;
    expect(application).toMatchObject({ status: 'DRAFT', inGoodOrder: false, state: target.state, insured: null });
    expect(application.coverage).toMatchObject({ faceAmount: 500_000, termYears: 20, healthClass: 'PREFERRED', paymentMode: 'MONTHLY' });
    expect(paths(application)).toEqual(
      expect.arrayContaining(['insured.ssn', 'insured.fullName', 'beneficiaries.primary', 'coverage.paymentMethod']),
    );
    // A draft is checked for signing: the signatures are not yet missing.
    expect(paths(application).some((path) => path.startsWith('signatures'))).toBe(false);
    expect(application.forms.map((form: { code: string }) => form.code)).toEqual(
      expect.arrayContaining(['APPLICATION_PART_A', 'HIPAA_AUTHORIZATION']),
    );
  });

  it('shrinks `missing` with each update, to nothing', async () => {
    let before = Number.POSITIVE_INFINITY;
    let application = { missing: [] as { path: string }[], questions: [] as { code: string }[], forms: [] as { code: string }[] };
    const steps = fillingIn(target);
    for (const patch of steps) {
      const updated = await graphql(stack.url, UPDATE, { id, patch }, { token: agent });
      expect(updated.errors).toBeUndefined();
      application = updated.data!.updateApplication;
      expect(application.missing.length).toBeLessThan(before);
      before = application.missing.length;
    }
    // What is left: the carrier's questions and the forms.
    expect(new Set(paths(application).map((path) => path.split('.')[0]))).toEqual(new Set(['answers', 'forms']));
    const done = await graphql(stack.url, UPDATE, { id, patch: lastSteps(application) }, { token: agent });
    expect(done.errors).toBeUndefined();
    expect(done.data!.updateApplication.missing).toEqual([]);
    expect(done.data!.updateApplication.inGoodOrder).toBe(true);
  });

  it('says exactly what a change breaks: a share, an SSN, a state replacement form', async () => {
    const patch = {
      beneficiaries: [{ designation: 'PRIMARY', fullName: 'Sam Example', relationship: 'SPOUSE', sharePercent: 60 }],
      insured: { ssn: '666-12-3456' },
      replacement: { hasExisting: true, policies: [{ carrierName: 'Old Life', policyNumber: 'P-1', disposition: 'LAPSE' }] },
    };
    const updated = (await graphql(stack.url, UPDATE, { id, patch }, { token: agent })).data!.updateApplication;
    const items = updated.missing.map((item: { path: string; code: string }) => `${item.path}: ${item.code}`);
    expect(items).toEqual(expect.arrayContaining(['beneficiaries.primary: SHARES_NOT_100', 'insured.ssn: INVALID_SSN']));
    expect(
      items.some((item: string) => /^forms\.(REPLACEMENT_NOTICE: REQUIRED_IN_STATE|CARRIER_REPLACEMENT_FORM: REQUIRED)$/.test(item)),
    ).toBe(true);
    expect(updated.inGoodOrder).toBe(false);
    // No value in a message.
    expect(JSON.stringify(updated.missing)).not.toMatch(/666|Sam Example|Old Life/);
    // Put it back in good order for the tests that follow.
    const restored = await graphql(
      stack.url,
      UPDATE,
      { id, patch: { ...fillingIn(target)[2], insured: { ssn: INSURED_SSN }, replacement: { hasExisting: false } } },
      { token: agent },
    );
    expect(restored.data!.updateApplication.missing).toEqual([]);
  });

  it('keeps personal data sealed in the database: no SSN, name or answer in clear', async () => {
    const { rows } = await pool.query(`SELECT to_jsonb(a)::text AS row FROM cases.application a WHERE id = $1`, [id]);
    expect(rows).toHaveLength(1);
    for (const clear of ['6789', 'Robin', 'Sam Example', 'D1234567', '123456789', '1986-04-02']) expect(rows[0].row).not.toContain(clear);
  });

  it('shows identifiers in full to the writing agent and staff, masked to the upline, and logs every full read', async () => {
    const own = (await graphql(stack.url, READ, { id }, { token: agent })).data!.application;
    expect(own.insured.ssn).toBe(INSURED_SSN);
    expect(own.bankAccount.accountNumber).toBe('123456789');
    expect(own.answers.length).toBeGreaterThan(0);
    expect(own.personalDataInFull).toBe(true);
    const byStaff = (await graphql(stack.url, READ, { id }, { token: staff })).data!.application;
    expect(byStaff.insured.ssn).toBe(INSURED_SSN);

    const upline = (await pool.query(`SELECT upline_id FROM agents.agent WHERE id = $1`, [target.agentId])).rows[0]?.upline_id;
    expect(upline).toEqual(expect.stringMatching(/^agt_/));
    const masked = (await graphql(stack.url, READ, { id }, { token: await stack.agentToken(upline) })).data!.application;
    expect(masked.insured.ssn).toBe('***-**-6789');
    expect(masked.insured.driversLicense.number).toBe('****67');
    expect(masked.bankAccount.accountNumber).toBe('****6789');
    expect(masked.answers).toBeNull();
    expect(masked.personalDataInFull).toBe(false);

    const admin = await stack.token('ADMIN');
    const log = await graphql(
      stack.url,
      `query($filter: PersonalDataAccessFilter) { personalDataAccess(filter: $filter, first: 100) { edges { node { actor field subjectKind } } } }`,
      { filter: { subjectId: id } },
      { token: admin },
    );
    const reads = log.data!.personalDataAccess.edges.map(
      (edge: { node: { actor: string; field: string } }) => `${edge.node.actor} ${edge.node.field}`,
    );
    expect(reads).toEqual(
      expect.arrayContaining([
        `user:${target.agentId} insured.ssn`,
        `user:${target.agentId} answers`,
        `user:${target.agentId} bankAccount.accountNumber`,
        'user:test-staff insured.ssn',
      ]),
    );
    // The upline's masked reads are not full reads.
    expect(reads.filter((read: string) => read.startsWith(`user:${upline} `))).toEqual([]);
  });

  it('hides the application from an agent of another branch', async () => {
    const other = (
      await pool.query(
        `SELECT id FROM agents.agent WHERE id <> $1 AND upline_id IS NULL AND id <> (SELECT COALESCE(upline_id, '') FROM agents.agent WHERE id = $1) LIMIT 1`,
        [target.agentId],
      )
    ).rows[0].id;
    const token = await stack.agentToken(other);
    expect((await graphql(stack.url, READ, { id }, { token })).data!.application).toBeNull();
    const change = await graphql(stack.url, UPDATE, { id, patch: { hipaaAuthorized: true } }, { token });
    expect(codes(change)).toEqual(['NOT_FOUND']);
    const list = await graphql(stack.url, `{ applications(first: 200) { edges { node { id } } } }`, {}, { token });
    expect(list.data!.applications.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(id);
    const mine = await graphql(stack.url, `{ applications(first: 200) { edges { node { id status } } } }`, {}, { token: agent });
    expect(mine.data!.applications.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(id);
  });
});

describe('bad input', () => {
  let id: string;
  beforeAll(async () => {
    id = (await graphql(stack.url, START, { input: startInput(target) }, { token: agent })).data!.startApplication.id;
  });

  const refused = async (patch: Record<string, unknown>, code = 'BAD_USER_INPUT') => {
    const before = (await pool.query(`SELECT updated_at, personal FROM cases.application WHERE id = $1`, [id])).rows[0];
    const response = await graphql(stack.url, UPDATE, { id, patch }, { token: agent });
    expect(codes(response)).toEqual([code]);
    const after = (await pool.query(`SELECT updated_at, personal FROM cases.application WHERE id = $1`, [id])).rows[0];
    expect(after).toEqual(before);
    return response.errors![0];
  };

  it('refuses beneficiaries over 100 percent, a birth date in the future, unknown questions and forms, an empty patch', async () => {
    const over = await refused({
      beneficiaries: [
        { designation: 'PRIMARY', fullName: 'A B', sharePercent: 70 },
        { designation: 'PRIMARY', fullName: 'C D', sharePercent: 40 },
      ],
    });
    expect(over.message).toMatch(/more than 100 percent/);
    expect(over.message).not.toMatch(/A B|C D/);
    await refused({ insured: { birthDate: '2999-01-01' } });
    await refused({ answers: [{ code: 'NOT_A_QUESTION', yes: false }] });
    await refused({ forms: [{ code: 'NOT_A_FORM' }] });
    await refused({});
    await refused({ coverage: { termYears: 13 } });
  });

  it('refuses unknown fields and wrong types before anything runs', async () => {
    const unknown = await graphql(stack.url, UPDATE, { id, patch: { insured: { shoeSize: 9 } } }, { token: agent });
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    const wrongType = await graphql(stack.url, UPDATE, { id, patch: { insured: { heightInches: 'tall' } } }, { token: agent });
    expect(codes(wrongType)).toEqual(['BAD_USER_INPUT']);
  });

  it('starts once per idempotency key, and refuses the key for another start', async () => {
    const key = `start-${Date.now()}`;
    const first = await graphql(stack.url, START, { input: startInput(target, { idempotencyKey: key }) }, { token: agent });
    const again = await graphql(stack.url, START, { input: startInput(target, { idempotencyKey: key }) }, { token: agent });
    expect(again.data!.startApplication.id).toBe(first.data!.startApplication.id);
    const other = await graphql(
      stack.url,
      START,
      { input: startInput(target, { idempotencyKey: key, faceAmount: 600_000 }) },
      { token: agent },
    );
    expect(codes(other)).toEqual(['CONFLICT']);
  });

  it("refuses a product the carrier does not sell there, and another carrier's product", async () => {
    const elsewhere = await graphql(stack.url, START, { input: startInput(target, { termYears: 13 }) }, { token: agent });
    expect(codes(elsewhere)).toEqual(['BAD_USER_INPUT']);
    const other = await writingAgent(pool, 'REST');
    const mismatched = await graphql(stack.url, START, { input: startInput(target, { productId: other.productId }) }, { token: agent });
    expect(codes(mismatched)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers NOT_FOUND for an unknown application and BAD_USER_INPUT for a malformed id', async () => {
    expect(codes(await graphql(stack.url, UPDATE, { id: 'app_nothere', patch: { hipaaAuthorized: true } }, { token: agent }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await graphql(stack.url, UPDATE, { id: 'case_1', patch: { hipaaAuthorized: true } }, { token: agent }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});
