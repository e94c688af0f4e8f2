/**
 * The full application from submission to the carrier, through the stack: submitCase orders the
 * requirements the carrier's grid names (the price answer's), in the case's transaction, each with
 * its event; the outbox, given a `loadApplication` (as the lead's application store will give it),
 * sends the whole draft and its signed PDF; on one ACORD and one REST carrier a complete application
 * is accepted and one whose beneficiary has no share is closed INCOMPLETE with the carrier's reason.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createCache } from '../../platform/cache';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import type { Application, CarrierAttachment } from '../../subgraphs/cases/domain/application';
import { OutboxWorker } from '../../subgraphs/cases/outbox.worker';
import { AgentsGraphqlAdapter } from '../../subgraphs/cases/ports/graphql/agents.adapter';
import { CarriersGraphqlAdapter } from '../../subgraphs/cases/ports/graphql/carriers.adapter';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { SubgraphClient } from '../../subgraphs/shared/subgraph-client';
import { applicationLoader, completeApplication, signedApplicationPdf, withoutBeneficiaryShare } from '../support/application-drafts';
import { signIdentity } from '../../platform/identity';
import { codes, graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;
let staff: string;

const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }`;
const CASE = `query($id: ID!) { case(id: $id) {
  status carrierReference
  requirements { code status }
  events { type fromStatus toStatus requirementCode actor note } } }`;
const PRICE = `query($i: QuoteInput!) { compareQuotes(input: $i) { quotes { product { id } expectedRequirements acceleratedUnderwriting } } }`;

const INSURED = { firstName: 'Avery', lastName: 'Example', birthDate: '1986-04-02', gender: 'FEMALE' };

/** An eligible agent at a carrier of this protocol, with a TERM product in that state taking $500,000 PREFERRED. */
async function target(protocol: 'ACORD' | 'REST') {
  const carrierIds = CARRIERS.filter((c) => c.protocol === protocol).map((c) => c.id);
  const [row] = (
    await pool.query(
      `SELECT a.id AS "agentId", p.carrier_id AS "carrierId", p.state, pr.id AS "productId", pr.code AS "productCode"
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
  return { ...row, carrierCode: CARRIERS.find((c) => c.id === row.carrierId)!.code } as {
    agentId: string;
    carrierId: string;
    carrierCode: string;
    productId: string;
    productCode: string;
    state: string;
  };
}

beforeAll(async () => {
  // The stack's own outbox is off: the worker below, with its application loader, is the only sender.
  // A generous carrier deadline: a send that timed out under load would be resent (the carrier dedupes it, but the test counts sends).
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0', CARRIER_TIMEOUT_MS: '15000' } });
  pool = testPool(2);
  staff = await stack.token('STAFF');
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

const caseOf = async (id: string) => (await graphql(stack.url, CASE, { id }, { token: staff })).data!.case;

it.each(['ACORD', 'REST'] as const)(
  '%s: grid requirements at submitCase; a complete application is accepted, one without a beneficiary share closes INCOMPLETE with the reason',
  async (protocol) => {
    const t = await target(protocol);
    const input = (key: string) => ({
      idempotencyKey: key,
      agentId: t.agentId,
      carrierId: t.carrierId,
      productId: t.productId,
      insured: { ...INSURED, state: t.state, tobacco: false },
      faceAmount: 500_000,
      termYears: 20,
      healthClass: 'PREFERRED',
      paymentMode: 'MONTHLY',
    });
    const ids: string[] = [];
    for (const key of [`full-ok-${protocol}`, `full-no-share-${protocol}`]) {
      const response = await graphql(stack.url, SUBMIT, { input: input(key) }, { token: staff });
      expect(response.errors).toBeUndefined();
      ids.push(response.data!.submitCase.id);
    }
    const [complete, unshared] = ids;

    // The grid's requirements, as the carrier's quote for the same insured and amount names them, ordered with the case.
    const quote = (
      await graphql(
        stack.url,
        PRICE,
        {
          i: {
            state: t.state,
            birthDate: INSURED.birthDate,
            gender: INSURED.gender,
            tobacco: false,
            healthClass: 'PREFERRED',
            faceAmount: 500_000,
            termYears: 20,
            carrierIds: [t.carrierId],
          },
        },
        { token: staff },
      )
    ).data!.compareQuotes.quotes.find((q: { product: { id: string } }) => q.product.id === t.productId);
    expect(quote.expectedRequirements).toEqual(expect.arrayContaining(['MIB', 'RX_CHECK', 'MVR']));
    const submitted = await caseOf(complete);
    expect(submitted.requirements.map((r: { code: string }) => r.code).sort()).toEqual([...quote.expectedRequirements].sort());
    expect(submitted.requirements.every((r: { status: string }) => r.status === 'ORDERED')).toBe(true);
    const ordered = submitted.events.filter((e: { type: string }) => e.type === 'REQUIREMENT_ORDERED');
    expect(ordered.map((e: { requirementCode: string }) => e.requirementCode).sort()).toEqual([...quote.expectedRequirements].sort());
    expect(ordered.every((e: { actor: string }) => e.actor === 'system:requirements-grid')).toBe(true);

    const application = completeApplication({
      carrierCode: t.carrierCode,
      productCode: t.productCode,
      state: t.state,
      insured: { fullName: 'Avery Example', birthDate: INSURED.birthDate, gender: 'FEMALE' },
      agentId: t.agentId,
    });
    const pdf = await signedApplicationPdf();
    const drafts = new Map<string, { application: Application; attachments: CarrierAttachment[] }>([
      [complete, { application, attachments: [pdf] }],
      [unshared, { application: withoutBeneficiaryShare(application), attachments: [pdf] }],
    ]);
    const loadApplication = applicationLoader(drafts);
    const client = (target: 'agents' | 'carriers') =>
      new SubgraphClient({ service: 'cases', target, url: stack.subgraphs[target].url, identitySecret: DEV_IDENTITY_SECRET });
    const worker = new OutboxWorker({
      pool,
      cache: createCache({}),
      logger: createLogger('test', 'silent'),
      agents: new AgentsGraphqlAdapter(client('agents')),
      carriers: new CarriersGraphqlAdapter(client('carriers')),
      pollMs: 60_000,
      loadApplication,
    });
    const submitsBefore = stack.simulators.control.counts(t.carrierCode).submit;
    await worker.runOnce();
    expect(loadApplication.asked).toEqual(expect.arrayContaining(ids));
    // One send per case, each with its full application.
    expect(stack.simulators.control.counts(t.carrierCode).submit - submitsBefore).toBe(2);

    const accepted = await caseOf(complete);
    expect(accepted.status).toBe('SUBMITTED');
    expect(accepted.carrierReference).toMatch(new RegExp(`^${t.carrierCode}-APP-\\d{6}$`));
    expect(accepted.events.map((e: { type: string }) => e.type)).toContain('SUBMITTED_TO_CARRIER');

    const closed = await caseOf(unshared);
    expect(closed.status).toBe('INCOMPLETE');
    expect(closed.carrierReference).toBeNull();
    const rejection = closed.events.find((e: { type: string }) => e.type === 'SUBMISSION_REJECTED');
    expect(rejection).toMatchObject({ fromStatus: 'SUBMITTED', toStatus: 'INCOMPLETE', actor: `carrier:${t.carrierId}` });
    const path = protocol === 'ACORD' ? "Relation[@id='Relation_4']/InterestPercent" : 'application.beneficiaries[0].sharePercent';
    expect(rejection.note).toBe(`${path}: primary beneficiary share is required`);
    expect(rejection.note).not.toContain('Example');
  },
);

it('a signed PDF of several megabytes reaches the carrier (the subgraphs take bodies up to SUBGRAPH_MAX_BODY_BYTES)', async () => {
  const t = await target('ACORD');
  const response = await graphql(
    stack.url,
    SUBMIT,
    {
      input: {
        idempotencyKey: 'full-big-pdf',
        agentId: t.agentId,
        carrierId: t.carrierId,
        productId: t.productId,
        insured: { ...INSURED, state: t.state, tobacco: false },
        faceAmount: 500_000,
        termYears: 20,
        healthClass: 'PREFERRED',
        paymentMode: 'MONTHLY',
      },
    },
    { token: staff },
  );
  const caseId = response.data!.submitCase.id as string;
  // 3 MB of scanned pages: 4 MB in base64, far over the gateway's 1 MiB.
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3 * 1024 * 1024)]);
  const big: CarrierAttachment = {
    type: 'SIGNED_APPLICATION',
    fileName: 'signed-application.pdf',
    contentType: 'application/pdf',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    contentBase64: bytes.toString('base64'),
  };
  const application = completeApplication({ carrierCode: t.carrierCode, productCode: t.productCode, state: t.state, agentId: t.agentId });
  const worker = new OutboxWorker({
    pool,
    cache: createCache({}),
    logger: createLogger('test', 'silent'),
    agents: new AgentsGraphqlAdapter(
      new SubgraphClient({ service: 'cases', target: 'agents', url: stack.subgraphs.agents.url, identitySecret: DEV_IDENTITY_SECRET }),
    ),
    carriers: new CarriersGraphqlAdapter(
      new SubgraphClient({ service: 'cases', target: 'carriers', url: stack.subgraphs.carriers.url, identitySecret: DEV_IDENTITY_SECRET }),
    ),
    pollMs: 60_000,
    loadApplication: applicationLoader(new Map([[caseId, { application, attachments: [big] }]])),
  });
  await worker.runOnce();
  const sent = await caseOf(caseId);
  expect(sent.carrierReference).toMatch(new RegExp(`^${t.carrierCode}-APP-\\d{6}$`));
});

it('the carriers subgraph refuses a fullApplication it cannot read with BAD_USER_INPUT naming the field, never a value', async () => {
  const t = await target('ACORD');
  const send = (fullApplication: string) =>
    graphql(
      stack.subgraphs.carriers.url,
      'mutation($input: CarrierApplicationInput!) { submitApplicationToCarrier(input: $input) { accepted } }',
      {
        input: {
          reference: `full-bad-${Date.now()}`,
          caseId: 'case_full_bad',
          carrierId: t.carrierId,
          productId: t.productId,
          insured: { ...INSURED, state: t.state, tobacco: false },
          faceAmount: 500_000,
          termYears: 20,
          healthClass: 'PREFERRED',
          paymentMode: 'MONTHLY',
          annualPremium: '400.00',
          agent: { id: t.agentId, npn: '1234567', writingNumber: null },
          fullApplication,
        },
      },
      { headers: signIdentity({ sub: 'service:cases', role: 'SERVICE' }, DEV_IDENTITY_SECRET), debugStats: false },
    );
  const submitsBefore = stack.simulators.control.counts(t.carrierCode).submit;
  const notJson = await send('{"application": {"insured": {"ssn": "123-45-6789"');
  expect(codes(notJson)).toEqual(['BAD_USER_INPUT']);
  expect(notJson.errors![0].message).toBe('fullApplication must be JSON');
  const badPdf = await send(
    JSON.stringify({
      application: { state: 'TX' },
      attachments: [
        { type: 'SIGNED_APPLICATION', fileName: 'a.pdf', contentType: 'application/pdf', sha256: 'nope', contentBase64: 'JVBERi0=' },
      ],
    }),
  );
  expect(codes(badPdf)).toEqual(['BAD_USER_INPUT']);
  expect(badPdf.errors![0].extensions!.reasons).toEqual([
    'fullApplication.attachments[0] needs type, fileName, contentType, sha256 (hex) and contentBase64',
  ]);
  expect(JSON.stringify([notJson, badPdf])).not.toContain('123-45-6789');
  expect(stack.simulators.control.counts(t.carrierCode).submit).toBe(submitsBefore);
});
