/**
 * The full application at a rate-book carrier: the draft and its PDF go as they are; the simulated
 * carrier accepts a complete one and rejects one not in good order with every reason (one per
 * problem, paths and no values), the same answer for a resend; a legacy case's body is unchanged.
 */
import { completeApplication, signedApplicationPdf, withoutBeneficiaryShare } from '../../../../../test/support/application-drafts';
import { carrierEndpoint, recordingOptions, testDeps } from '../../../../../test/support/harness';
import { startSimulators, type RunningSimulators } from '../../../../../simulators/simulators';
import type { CarrierAttachment } from '../../../../shared/application';
import type { ApplicationRequest } from '../../carrier-adapter.port';
import { createRatebookAdapter } from '../ratebook.adapter';
import { submissionBody } from '../ratebook.mapper';

const CODE = 'LANTERN';
const TERM = 'prd_lanternfield_term';

let simulators: RunningSimulators;
let pdf: CarrierAttachment;

beforeAll(async () => {
  simulators = await startSimulators();
  pdf = await signedApplicationPdf();
});
afterAll(() => simulators.stop());
beforeEach(() => simulators.control.reset());

function request(reference: string, overrides: Partial<ApplicationRequest> = {}): ApplicationRequest {
  const { carrier } = carrierEndpoint(simulators, CODE);
  const productCode = carrier.products.find((p) => p.id === TERM)!.code;
  return {
    reference,
    caseId: 'case_ratebookfull',
    productId: TERM,
    insured: { firstName: 'Avery', lastName: 'Example', birthDate: '1986-04-02', gender: 'FEMALE', state: 'OH', tobacco: false },
    faceAmount: 500_000,
    termYears: 20,
    healthClass: 'PREFERRED',
    tableRating: 0,
    paymentMode: 'MONTHLY',
    annualPremiumCents: 41_250,
    agent: { id: 'agt_test', npn: '55512345', writingNumber: null },
    application: completeApplication({ carrierCode: CODE, productCode, state: 'OH' }),
    attachments: [pdf],
    ...overrides,
  };
}

const adapter = () => {
  const { carrier, endpoint } = carrierEndpoint(simulators, CODE);
  return createRatebookAdapter(carrier, endpoint, testDeps());
};

it('sends the draft and its PDF as they are, and a legacy case exactly as before', () => {
  const { carrier } = carrierEndpoint(simulators, CODE);
  const full = request('rb-1');
  expect(submissionBody(carrier, full, '2026-06-15')).toMatchObject({ application: full.application, attachments: [pdf] });
  const { application: _a, attachments: _b, ...legacy } = full;
  const body = submissionBody(carrier, legacy, '2026-06-15');
  expect('application' in body || 'attachments' in body).toBe(false);
});

it('accepts a complete application and rejects one without a beneficiary share with that reason, the same for a resend', async () => {
  expect(await adapter().submitApplication(request('rb-ok'), recordingOptions())).toMatchObject({ accepted: true });
  const base = request('rb-no-share');
  const unshared = { ...base, application: withoutBeneficiaryShare(base.application!) };
  const expected = { accepted: false, message: 'application.beneficiaries[0].sharePercent: primary beneficiary share is required' };
  expect(await adapter().submitApplication(unshared, recordingOptions())).toEqual(expected);
  expect(await adapter().submitApplication(unshared, recordingOptions())).toEqual(expected);
  expect(simulators.control.applications(CODE).filter((a) => a.reference === 'rb-no-share')).toHaveLength(0);
});
