/**
 * The carrier-side application store on its own: exactly-once on the submission reference, control
 * updates, and the scripted progression (driven by a fake clock, so no test waits).
 */
import { carrierByCode } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { ApplicationStore, type ApplicationTerms, type UnderwritingDecision } from '../carrier-store';

const carrier = carrierByCode('HARBOR')!;
const terms: ApplicationTerms = {
  productCode: 'HML-T',
  faceAmount: 400_000,
  termYears: 20,
  healthClass: 'PREFERRED',
  tableRating: 0,
  paymentMode: 'MONTHLY',
  issueAge: 40,
  annualPremiumCents: 41_000,
};
const accept = (): UnderwritingDecision => ({ accepted: true, terms });
const DAY = 86_400_000;

function store(autoProgressMs = 0) {
  let now = Date.UTC(2025, 0, 6, 12);
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  return { store: new ApplicationStore(carrier, { autoProgressMs, now: clock.now }), clock };
}

describe('submissions', () => {
  it('underwrites a reference once; every resend gets the first outcome', () => {
    const { store: carrierSide } = store();
    const underwrite = jest.fn(accept);
    const first = carrierSide.submit('ref-1', underwrite);
    const again = carrierSide.submit('ref-1', underwrite);
    expect(underwrite).toHaveBeenCalledTimes(1);
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ outcome: first.outcome, replayed: true });
    expect(carrierSide.all()).toHaveLength(1);
  });

  it('remembers a rejection too, so a resend cannot sneak a second decision in', () => {
    const { store: carrierSide } = store();
    carrierSide.submit('ref-2', () => ({ accepted: false, message: 'face amount too large' }));
    const resend = carrierSide.submit('ref-2', accept);
    expect(resend).toEqual({ outcome: { accepted: false, message: 'face amount too large' }, replayed: true });
    expect(carrierSide.all()).toHaveLength(0);
  });

  it('starts an application SUBMITTED with HIPAA received and the database checks ordered', () => {
    const { store: carrierSide } = store();
    const { outcome } = carrierSide.submit('ref-3', accept);
    if (!outcome.accepted) throw new Error('expected accepted');
    expect(outcome.application).toMatchObject({ carrierReference: 'HARBOR-APP-000001', status: 'SUBMITTED', policyNumber: null });
    expect(outcome.application.requirements.map((r) => [r.code, r.status])).toEqual([
      ['HIPAA_AUTHORIZATION', 'RECEIVED'],
      ['MIB', 'ORDERED'],
      ['RX_CHECK', 'ORDERED'],
    ]);
  });
});

describe('advance', () => {
  it('upserts requirements by code, stamps dates, and numbers the policy when it is issued', () => {
    const { store: carrierSide, clock } = store();
    carrierSide.submit('ref-4', accept);
    clock.advance(3 * DAY);
    const moved = carrierSide.advance('HARBOR-APP-000001', {
      status: 'ISSUED',
      requirements: [
        { code: 'MIB', status: 'RECEIVED' },
        { code: 'APS', status: 'ORDERED', requestedOn: '2025-01-07' },
      ],
    });
    expect(moved.status).toBe('ISSUED');
    expect(moved.policyNumber).toMatch(/^HAR\d{6}L$/);
    expect(moved.requirements.find((r) => r.code === 'MIB')).toMatchObject({
      status: 'RECEIVED',
      requestedOn: '2025-01-06',
      fulfilledOn: '2025-01-09',
    });
    expect(moved.requirements.find((r) => r.code === 'APS')).toMatchObject({
      status: 'ORDERED',
      requestedOn: '2025-01-07',
      fulfilledOn: null,
    });
    expect(carrierSide.advance('HARBOR-APP-000001', { policyNumber: 'HML-1' }).policyNumber).toBe('HML-1');
  });

  it('refuses what no carrier would say', () => {
    const { store: carrierSide } = store();
    carrierSide.submit('ref-5', accept);
    expect(() => carrierSide.advance('HARBOR-APP-000009', { status: 'APPROVED' })).toThrow('has no application');
    expect(() => carrierSide.advance('HARBOR-APP-000001', { status: 'ALMOST' as never })).toThrow('unknown status ALMOST');
    expect(() => carrierSide.advance('HARBOR-APP-000001', { requirements: [{ code: 'X_RAY' as never }] })).toThrow(
      'unknown requirement X_RAY',
    );
  });
});

describe('scripted progression', () => {
  it('moves one step per autoProgressMs, read lazily, until the case closes', () => {
    const { store: carrierSide, clock } = store(DAY);
    carrierSide.submit('ref-6', accept);
    const ref = 'HARBOR-APP-000001';
    expect(carrierSide.find(ref)!.status).toBe('SUBMITTED');
    clock.advance(DAY);
    const second = carrierSide.find(ref)!;
    expect(second.status).toBe('IN_UNDERWRITING');
    expect(second.requirements.find((r) => r.code === 'MIB')).toMatchObject({ status: 'RECEIVED', fulfilledOn: '2025-01-07' });
    clock.advance(30 * DAY);
    const end = carrierSide.find(ref)!;
    expect(['PLACED', 'DECLINED', 'POSTPONED', 'NOT_TAKEN']).toContain(end.status);
  });

  it('places most cases, with a policy number and nothing outstanding; some end otherwise or meet carrier-only codes', () => {
    const { store: carrierSide, clock } = store(1_000);
    for (let i = 0; i < 60; i++) carrierSide.submit(`ref-${i}`, accept);
    const midway = new Set<string>();
    for (let step = 0; step < 8; step++) {
      clock.advance(1_000);
      for (const application of carrierSide.all()) {
        midway.add(application.status);
        for (const requirement of application.requirements) midway.add(requirement.code);
      }
    }
    const finals = carrierSide.all();
    const placed = finals.filter((a) => a.status === 'PLACED');
    expect(placed.length).toBeGreaterThan(finals.length / 2);
    expect(placed.every((a) => a.policyNumber && a.requirements.every((r) => r.status !== 'ORDERED'))).toBe(true);
    expect(finals.some((a) => a.status !== 'PLACED')).toBe(true);
    expect([...midway]).toEqual(expect.arrayContaining(['REINSURANCE_REVIEW', 'FINANCIAL_QUESTIONNAIRE', 'APS', 'DELIVERY_REQUIREMENTS']));
  });

  it('stops scripting an application once the control API moves it', () => {
    const { store: carrierSide, clock } = store(1_000);
    carrierSide.submit('ref-7', accept);
    carrierSide.advance('HARBOR-APP-000001', { status: 'REQUIREMENTS_OUTSTANDING' });
    clock.advance(20_000);
    expect(carrierSide.find('HARBOR-APP-000001')!.status).toBe('REQUIREMENTS_OUTSTANDING');
  });
});

describe('requirements with identity', () => {
  it("gives every requirement the carrier's own stable id, and adopts our ids for the codes the application listed", () => {
    const { store: carrierSide } = store();
    carrierSide.submit('ref-8', accept, [
      { id: 'req_mib', code: 'MIB' },
      { id: 'req_aps_1', code: 'APS' },
      { id: 'req_aps_2', code: 'APS' },
    ]);
    const ref = 'HARBOR-APP-000001';
    expect(carrierSide.find(ref)!.requirements.map((r) => [r.id, r.code, r.reference])).toEqual([
      [`RQ-${ref}-1`, 'HIPAA_AUTHORIZATION', null],
      [`RQ-${ref}-2`, 'MIB', 'req_mib'],
      [`RQ-${ref}-3`, 'RX_CHECK', null],
    ]);
    const moved = carrierSide.advance(ref, {
      requirements: [
        { code: 'APS', add: true },
        { code: 'APS', add: true },
        { code: 'APS', add: true, reference: null, description: 'APS from a second cardiologist' },
      ],
    });
    expect(moved.requirements.filter((r) => r.code === 'APS').map((r) => [r.id, r.reference, r.description])).toEqual([
      [`RQ-${ref}-4`, 'req_aps_1', "Attending physician's statement"],
      [`RQ-${ref}-5`, 'req_aps_2', "Attending physician's statement"],
      [`RQ-${ref}-6`, null, 'APS from a second cardiologist'],
    ]);
    // By id, one moves; by code alone, several of that code are ambiguous.
    carrierSide.advance(ref, { requirements: [{ id: `RQ-${ref}-5`, status: 'RECEIVED' }] });
    expect(carrierSide.find(ref)!.requirements.map((r) => r.status)).toEqual([
      'RECEIVED',
      'ORDERED',
      'ORDERED',
      'ORDERED',
      'RECEIVED',
      'ORDERED',
    ]);
    expect(() => carrierSide.advance(ref, { requirements: [{ code: 'APS', status: 'RECEIVED' }] })).toThrow('name one by id');
    expect(() => carrierSide.advance(ref, { requirements: [{ id: 'RQ-nope', status: 'RECEIVED' }] })).toThrow('has no requirement RQ-nope');
  });

  it("receives a vendor's results by the carrier's id, else our reference, else as a new requirement with our reference", () => {
    const { store: carrierSide } = store();
    carrierSide.submit('ref-9', accept, [{ id: 'req_exam', code: 'PARAMED_EXAM' }]);
    const ref = 'HARBOR-APP-000001';
    carrierSide.advance(ref, { requirements: [{ code: 'PARAMED_EXAM' }, { code: 'APS' }] });
    const heard: string[] = [];
    carrierSide.onChange = (application) => heard.push(application.carrierReference);
    const base = { policyReference: ref, vendor: 'PULSE', orderId: 'PX-1', completedOn: '2025-01-20' };
    expect(carrierSide.vendorResults({ ...base, requirementId: null, reference: 'req_exam', code: 'PARAMED_EXAM' })).toMatchObject({
      id: `RQ-${ref}-4`,
      status: 'RECEIVED',
      fulfilledOn: '2025-01-20',
    });
    expect(carrierSide.vendorResults({ ...base, requirementId: `RQ-${ref}-5`, reference: 'req_aps', code: 'APS' })).toMatchObject({
      id: `RQ-${ref}-5`,
      reference: 'req_aps',
      status: 'RECEIVED',
    });
    expect(carrierSide.vendorResults({ ...base, requirementId: null, reference: 'req_aps_2', code: 'APS' })).toMatchObject({
      id: `RQ-${ref}-6`,
      reference: 'req_aps_2',
      status: 'RECEIVED',
    });
    expect(carrierSide.find(ref)!.requirements).toHaveLength(6);
    // Each delivery is a change the carrier pushes.
    expect(heard).toEqual([ref, ref, ref]);
  });
});
