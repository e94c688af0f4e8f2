/**
 * New business v2 end to end through the gateway (issue #14), on one ACORD and one REST carrier:
 * quote → start an application → fill it in over several updates with `missing` shrinking to
 * nothing → request signatures → the signers sign at the e-signature simulator (their own links) →
 * its signed webhook makes the application SIGNED → submit → the carrier accepts the whole
 * application and its signed PDF → the grid's requirements are on the case → a face-amount change →
 * AMENDMENT. And the carrier's own check: an application whose stored beneficiary share went missing
 * after signing is rejected by the carrier and the case closes INCOMPLETE with its reason.
 */
import type pg from 'pg';
import { PersonalDataVault } from '../../platform/personal-data';
import { PERSONAL_FIELD } from '../../subgraphs/cases/application.service';
import { codes, graphql } from '../support/graphql';
import { fillingIn, lastSteps, READ, START, startInput, UPDATE, type WritingAgent, writingAgent } from '../support/applications';
import { signedApplicationPdf } from '../support/application-drafts';
import { startStack, type Stack } from '../support/stack';
import { until } from '../support/wait';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;
let staff: string;

beforeAll(async () => {
  // A generous carrier deadline: this is about the flow, not timing (a loaded machine must not turn a send into a resend).
  stack = await startStack({ env: { OUTBOX_POLL_MS: '100', CARRIER_RETRIES: '0', CARRIER_TIMEOUT_MS: '15000' } });
  pool = testPool(2);
  staff = await stack.token('STAFF');
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

const REQUEST = `mutation($id: ID!) { requestSignatures(applicationId: $id) { envelopeId status signers { role status signingUrl } } }`;
const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id status } }`;
const CASE = `query($id: ID!) { case(id: $id) {
  status carrierReference requirements { code status } documents { type sha256 }
  events { type toStatus requirementCode actor note } changes { status amendmentRequired carrierMessage } } }`;
const CHANGE = `mutation($caseId: ID!, $change: CaseChangeInput!, $key: String!) {
  requestCaseChange(caseId: $caseId, change: $change, idempotencyKey: $key) { id status } }`;

/** A signed application: quoted, filled in, sent for signature, signed by each signer through their own link. */
async function signedApplication(target: WritingAgent, token: string, key: string): Promise<{ id: string; missingSeen: number[] }> {
  const quoted = await graphql(
    stack.url,
    `query($input: QuoteInput!) { compareQuotes(input: $input) { quotes { product { id } expectedRequirements } } }`,
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
    { token },
  );
  expect(quoted.data!.compareQuotes.quotes.map((q: { product: { id: string } }) => q.product.id)).toContain(target.productId);

  const started = await graphql(stack.url, START, { input: startInput(target, { idempotencyKey: key }) }, { token });
  expect(started.errors).toBeUndefined();
  const id = started.data!.startApplication.id as string;
  const missingSeen = [started.data!.startApplication.missing.length];
  // Not in good order yet: no envelope, and the answer says what is missing.
  const early = await graphql(stack.url, REQUEST, { id }, { token });
  expect(codes(early)).toEqual(['FAILED_PRECONDITION']);
  expect(early.errors![0].extensions!.missing.length).toBeGreaterThan(0);

  let application = started.data!.startApplication;
  for (const patch of [...fillingIn(target), lastSteps(application)]) {
    const updated = await graphql(stack.url, UPDATE, { id, patch }, { token });
    expect(updated.errors).toBeUndefined();
    application = updated.data!.updateApplication;
    missingSeen.push(application.missing.length);
  }
  expect(application.inGoodOrder).toBe(true);

  const requested = await graphql(stack.url, REQUEST, { id }, { token });
  expect(requested.errors).toBeUndefined();
  const request = requested.data!.requestSignatures;
  expect(request.status).toBe('SENT');
  expect(request.signers.map((s: { role: string }) => s.role)).toEqual(['INSURED', 'AGENT']);
  // Out for signature: the draft no longer changes under its signers.
  expect(codes(await graphql(stack.url, UPDATE, { id, patch: { hipaaAuthorized: true } }, { token }))).toEqual(['FAILED_PRECONDITION']);
  // Each signer signs through their own link, as a browser would post the page's form.
  for (const signer of request.signers) {
    const signed = await fetch(`${signer.signingUrl}/sign`, { method: 'POST' });
    expect(signed.status).toBeLessThan(400);
  }
  // The provider's signed webhook brings the completion back: SIGNED, checked now for submission.
  const signedApp = await until('the application to be signed', async () => {
    const read = (await graphql(stack.url, READ, { id }, { token })).data!.application;
    return read.status === 'SIGNED' ? read : undefined;
  });
  expect(signedApp.missing).toEqual([]);
  expect(signedApp.inGoodOrder).toBe(true);
  return { id, missingSeen };
}

describe.each(['ACORD', 'REST'] as const)('new business v2 at a %s carrier', (protocol) => {
  it('quote → application → signatures → submission → accepted with the grid requirements → a face change → AMENDMENT', async () => {
    const target = await writingAgent(pool, protocol);
    const agent = await stack.agentToken(target.agentId);
    const { id, missingSeen } = await signedApplication(target, agent, `e2e-${protocol}-${Date.now()}`);
    // `missing` shrank with every update, to nothing.
    for (let i = 1; i < missingSeen.length; i++) expect(missingSeen[i]).toBeLessThan(missingSeen[i - 1]);
    expect(missingSeen.at(-1)).toBe(0);

    const key = `submit-${id}`;
    const submitted = await graphql(stack.url, SUBMIT, { input: { applicationId: id, idempotencyKey: key } }, { token: agent });
    expect(submitted.errors).toBeUndefined();
    const caseId = submitted.data!.submitCase.id;
    // A retry answers the same case; the application is SUBMITTED and names it.
    const again = await graphql(stack.url, SUBMIT, { input: { applicationId: id, idempotencyKey: key } }, { token: agent });
    expect(again.data!.submitCase.id).toBe(caseId);
    const other = await graphql(stack.url, SUBMIT, { input: { applicationId: id, idempotencyKey: `${key}-other` } }, { token: agent });
    expect(codes(other)).toEqual(['FAILED_PRECONDITION']);

    const accepted = await until('the carrier to accept', async () => {
      const read = (await graphql(stack.url, CASE, { id: caseId }, { token: staff })).data!.case;
      return read.carrierReference ? read : undefined;
    });
    expect(accepted.status).toBe('SUBMITTED');
    expect(accepted.events.map((e: { type: string }) => e.type)).toContain('SUBMITTED_TO_CARRIER');
    // The grid's requirements were ordered with the case; the signed PDF is the case's document.
    expect(accepted.requirements.length).toBeGreaterThan(0);
    expect(accepted.requirements.every((r: { status: string }) => r.status === 'ORDERED')).toBe(true);
    expect(accepted.documents.map((d: { type: string }) => d.type)).toEqual(['SIGNED_APPLICATION']);
    expect(
      stack.simulators.control.applications(target.carrierCode).filter((a) => a.carrierReference === accepted.carrierReference),
    ).toHaveLength(1);

    const change = await graphql(
      stack.url,
      CHANGE,
      { caseId, change: { faceAmount: 600_000, reason: 'client wants more cover' }, key: `face-${caseId}` },
      { token: agent },
    );
    expect(change.errors).toBeUndefined();
    await until('the carrier to decide the change', async () => {
      const read = (await graphql(stack.url, CASE, { id: caseId }, { token: staff })).data!.case;
      return ['ACCEPTED', 'REJECTED'].includes(read.changes[0]?.status) ? read : undefined;
    });
    // Read again once decided: one read of a case is several statements (changes, requirements), not
    // one snapshot, so the read that first saw the decision may have read the requirements just before.
    const amended = (await graphql(stack.url, CASE, { id: caseId }, { token: staff })).data!.case;
    expect(amended.changes[0]).toMatchObject({ status: 'ACCEPTED', amendmentRequired: true });
    expect(amended.requirements.filter((r: { code: string }) => r.code === 'AMENDMENT')).toEqual([
      { code: 'AMENDMENT', status: 'ORDERED' },
    ]);
  });

  it('takes a paper application: staff attach the signed scan and record its signatures, then it is submitted like an e-signed one', async () => {
    const target = await writingAgent(pool, protocol, 2);
    const started = await graphql(stack.url, START, { input: startInput(target) }, { token: staff });
    const id = started.data!.startApplication.id;
    let application = started.data!.startApplication;
    for (const patch of [...fillingIn(target), lastSteps(application)])
      application = (await graphql(stack.url, UPDATE, { id, patch }, { token: staff })).data!.updateApplication;
    expect(application.inGoodOrder).toBe(true);
    const RECORD = `mutation($id: ID!, $input: PaperSignaturesInput!) { recordPaperSignatures(applicationId: $id, input: $input) { status inGoodOrder missing { path code } } }`;
    const today = new Date().toISOString().slice(0, 10);
    const signatures = ['INSURED', 'AGENT'].map((role) => ({ role, signedOn: today, state: target.state }));
    // No scan attached yet: refused; an agent may not record paper signatures at all.
    const noScan = await graphql(stack.url, RECORD, { id, input: { documentId: 'doc_missing', signatures } }, { token: staff });
    expect(codes(noScan)).toEqual(['FAILED_PRECONDITION']);
    const scan = await signedApplicationPdf('Signed paper application (scan)');
    const uploaded = await graphql(
      stack.url,
      `mutation($input: UploadDocumentInput!) { uploadDocument(input: $input) { id sha256 } }`,
      {
        input: { ownerKind: 'APPLICATION', ownerId: id, type: 'APPLICATION_SCAN', fileName: 'scan.pdf', contentBase64: scan.contentBase64 },
      },
      { token: staff },
    );
    expect(uploaded.errors).toBeUndefined();
    expect(uploaded.data!.uploadDocument.sha256).toBe(scan.sha256);
    const documentId = uploaded.data!.uploadDocument.id;
    const byAgent = await graphql(
      stack.url,
      RECORD,
      { id, input: { documentId, signatures } },
      { token: await stack.agentToken(target.agentId) },
    );
    expect(codes(byAgent)).toEqual(['FORBIDDEN']);
    const recorded = await graphql(stack.url, RECORD, { id, input: { documentId, signatures } }, { token: staff });
    expect(recorded.data!.recordPaperSignatures).toEqual({ status: 'SIGNED', inGoodOrder: true, missing: [] });

    const submitted = await graphql(stack.url, SUBMIT, { input: { applicationId: id, idempotencyKey: `paper-${id}` } }, { token: staff });
    expect(submitted.errors).toBeUndefined();
    const accepted = await until('the carrier to accept', async () => {
      const read = (await graphql(stack.url, CASE, { id: submitted.data!.submitCase.id }, { token: staff })).data!.case;
      return read.carrierReference ? read : undefined;
    });
    // The scan went to the carrier as the signed application, and is the case's document.
    expect(accepted.documents).toEqual([{ type: 'APPLICATION_SCAN', sha256: scan.sha256 }]);
  });

  it("is rejected by the carrier's own check when a beneficiary share is missing: INCOMPLETE with the carrier's reason", async () => {
    const target = await writingAgent(pool, protocol, 1);
    const agent = await stack.agentToken(target.agentId);
    const { id } = await signedApplication(target, agent, `e2e-nigo-${protocol}-${Date.now()}`);
    // What our check would never let through, done behind its back: the stored draft loses a share
    // after signing (a bug, a bad migration, a tampered row). The carrier checks for itself.
    const vault = PersonalDataVault.fromEnv(process.env);
    const { rows } = await pool.query(`SELECT personal FROM cases.application WHERE id = $1`, [id]);
    const personal = JSON.parse(vault.open(PERSONAL_FIELD, rows[0].personal).plaintext);
    delete personal.beneficiaries[0].sharePercent;
    await pool.query(`UPDATE cases.application SET personal = $2 WHERE id = $1`, [
      id,
      vault.seal(PERSONAL_FIELD, JSON.stringify(personal)),
    ]);
    // Our own check now says so too: the submission is refused before anything is written.
    const refused = await graphql(stack.url, SUBMIT, { input: { applicationId: id, idempotencyKey: `nigo-${id}` } }, { token: agent });
    expect(codes(refused)).toEqual(['FAILED_PRECONDITION']);
    expect(refused.errors![0].extensions!.missing).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'beneficiaries.0.sharePercent', code: 'REQUIRED' })]),
    );
    // The loss after submission instead (what a bug or a tampered row could do between submission
    // and sending): submitted whole while the carrier is briefly down, the share lost before the
    // outbox's retry. The carrier checks for itself and refuses it.
    await pool.query(`UPDATE cases.application SET personal = $2 WHERE id = $1`, [id, rows[0].personal]);
    stack.simulators.control.setFault(target.carrierCode, '5xx', { kinds: ['submit'] });
    const submitted = await graphql(stack.url, SUBMIT, { input: { applicationId: id, idempotencyKey: `nigo-${id}` } }, { token: agent });
    expect(submitted.errors).toBeUndefined();
    await until('the first send to fail', async () =>
      (await pool.query(`SELECT 1 FROM cases.outbox WHERE case_id = $1 AND last_error IS NOT NULL`, [submitted.data!.submitCase.id]))
        .rowCount
        ? true
        : undefined,
    );
    await pool.query(`UPDATE cases.application SET personal = $2 WHERE id = $1`, [
      id,
      vault.seal(PERSONAL_FIELD, JSON.stringify(personal)),
    ]);
    stack.simulators.control.setFault(target.carrierCode, null);
    const caseId = submitted.data!.submitCase.id;
    const closed = await until('the carrier to reject', async () => {
      const read = (await graphql(stack.url, CASE, { id: caseId }, { token: staff })).data!.case;
      return read.status === 'INCOMPLETE' ? read : undefined;
    });
    const rejection = closed.events.find((e: { type: string }) => e.type === 'SUBMISSION_REJECTED');
    expect(rejection.note).toMatch(/share/i);
    expect(rejection.note).not.toMatch(/Sam Example|Robin/);
  });
});
