/**
 * The full application in the REST carriers' JSON: every party by role, beneficiaries with their
 * shares, answers, signatures and the signed PDF; a legacy case's body unchanged; and the simulated
 * REST carrier accepts a complete one (201) and answers one not in good order with 422 and a problem
 * list, replayed for the same Idempotency-Key, which the adapter turns into a rejection listing them.
 */
import { createHash } from 'node:crypto';
import { completeApplication, signedApplicationPdf, withoutBeneficiaryShare } from '../../../../../test/support/application-drafts';
import { carrierEndpoint, recordingOptions, testDeps } from '../../../../../test/support/harness';
import { startSimulators, type RunningSimulators } from '../../../../../simulators/simulators';
import type { CarrierAttachment } from '../../../../shared/application';
import type { ApplicationRequest } from '../../carrier-adapter.port';
import { createRestAdapter } from '../rest.adapter';
import { applicationBody } from '../rest.mapper';

const CODE = 'GRANITE';
const TERM = 'prd_granite_peak_term';

let simulators: RunningSimulators;
let pdf: CarrierAttachment;

beforeAll(async () => {
  simulators = await startSimulators();
  pdf = await signedApplicationPdf();
});
afterAll(() => simulators.stop());
beforeEach(() => simulators.control.reset());

function request(reference: string, overrides: Partial<ApplicationRequest> = {}): ApplicationRequest {
  return {
    reference,
    caseId: 'case_restfull',
    productId: TERM,
    insured: { firstName: 'Avery', lastName: 'Example', birthDate: '1986-04-02', gender: 'FEMALE', state: 'TX', tobacco: false },
    faceAmount: 500_000,
    termYears: 20,
    healthClass: 'PREFERRED',
    tableRating: 0,
    paymentMode: 'MONTHLY',
    annualPremiumCents: 41_250,
    agent: { id: 'agt_test', npn: '55512345', writingNumber: null },
    application: completeApplication({ carrierCode: CODE, productCode: 'GPM-TERM', state: 'TX' }),
    attachments: [pdf],
    ...overrides,
  };
}

const body = (application: ApplicationRequest) => {
  const { carrier } = carrierEndpoint(simulators, CODE);
  return JSON.parse(JSON.stringify(applicationBody(carrier, application, '2026-06-15')));
};

describe('the full application in JSON', () => {
  it('names every party by role, the beneficiaries with their shares, the signatures and the signed PDF', () => {
    const json = body(request('r-1'));
    expect(json.application.stateOfApplication).toBe('TX');
    expect(json.application.insured).toMatchObject({ type: 'person', name: 'Avery Example', ssn: '123-45-6789', sex: 'F' });
    expect(json.application.owner).toEqual({ sameAs: 'insured' });
    expect(json.application.payor).toEqual({ sameAs: 'owner' });
    expect(
      json.application.beneficiaries.map((b: Record<string, unknown>) => [b.designation, b.type, b.relationship, b.sharePercent]),
    ).toEqual([
      ['primary', 'person', 'spouse', 60],
      ['primary', 'person', 'child', 40],
      ['contingent', 'estate', 'estate', 100],
    ]);
    expect(json.application.paymentMethod).toBe('eft');
    expect(json.application.signatureMethod).toBe('electronic');
    expect(json.application.signatures).toEqual([
      { signer: 'insured', signedOn: expect.any(String), state: 'TX' },
      { signer: 'agent', signedOn: expect.any(String), state: 'TX' },
    ]);
    expect(json.application.answers.length).toBeGreaterThan(0);
    expect(json.application.answers.every((a: { answer: string }) => a.answer === 'no')).toBe(true);
    const [document] = json.documents;
    expect(document).toMatchObject({ type: 'signed_application', contentType: 'application/pdf', fileName: 'signed-application.pdf' });
    expect(createHash('sha256').update(Buffer.from(document.contentBase64, 'base64')).digest('hex')).toBe(document.sha256);
  });

  it('sends a legacy case exactly as before: no application, no documents', () => {
    const { application: _a, attachments: _b, ...legacy } = request('r-2');
    expect(Object.keys(body(legacy))).toEqual([
      'productCode',
      'applicationDate',
      'externalCaseId',
      'insured',
      'coverage',
      'billing',
      'agent',
    ]);
  });
});

describe('the simulated REST carrier checks the full application', () => {
  const adapter = () => {
    const { carrier, endpoint } = carrierEndpoint(simulators, CODE);
    return createRestAdapter(carrier, endpoint, testDeps());
  };

  it('accepts a complete application (201)', async () => {
    const result = await adapter().submitApplication(request('rest-full-ok'), recordingOptions());
    expect(result).toMatchObject({ accepted: true, carrierReference: expect.stringMatching(/^GRANITE-APP-\d{6}$/) });
  });

  it('answers a missing beneficiary share with 422 and that problem, replayed for the same key; the adapter lists the reason', async () => {
    const base = request('rest-no-share');
    const unshared = { ...base, application: withoutBeneficiaryShare(base.application!) };
    const token = await (
      await fetch(`${simulators.endpoints[CODE]}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: `bga-dev-${CODE.toLowerCase()}`,
          client_secret: `bga-dev-secret-${CODE.toLowerCase()}`,
        }).toString(),
      })
    ).json();
    const post = () =>
      fetch(`${simulators.endpoints[CODE]}/v1/applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}`, 'idempotency-key': 'rest-no-share' },
        body: JSON.stringify(body(unshared)),
      });
    const first = await post();
    expect(first.status).toBe(422);
    const answer = await first.json();
    expect(answer.problems).toEqual([
      { path: 'application.beneficiaries[0].sharePercent', code: 'SHARE_INVALID', message: 'primary beneficiary share is required' },
    ]);
    expect(JSON.stringify(answer)).not.toMatch(/Example|123-45-6789/);
    const again = await post();
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(answer);

    const rejected = await adapter().submitApplication({ ...unshared, reference: 'rest-no-share-2' }, recordingOptions());
    expect(rejected).toEqual({
      accepted: false,
      message: 'application.beneficiaries[0].sharePercent: primary beneficiary share is required',
    });
  });

  it('wants a trust owner to sign, and contingent shares to sum to 100', async () => {
    const base = request('rest-trust');
    const application = structuredClone(base.application!);
    application.owner = { kind: 'TRUST', name: 'Example Family Trust', tin: '12-3456789', establishedOn: '2020-01-01' };
    application.beneficiaries = [...application.beneficiaries!.slice(0, 2), { ...application.beneficiaries![2], sharePercent: 50 }];
    const result = await adapter().submitApplication({ ...base, application }, recordingOptions());
    expect(result).toEqual({
      accepted: false,
      message:
        "application (contingent beneficiaries): contingent beneficiary shares sum to 50, not 100; application.signatures: the owner's signature is missing",
    });
  });
});
