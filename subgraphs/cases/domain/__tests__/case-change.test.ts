import { changeKinds, changeProblems, changeRefusal, type ChangeableCase, normalizeChange } from '../case-change';

const pending: ChangeableCase = {
  status: 'IN_UNDERWRITING',
  carrierReference: 'SUMMIT-APP-000001',
  faceAmount: 500_000,
  productId: 'prd_summit_term',
  termYears: 20,
  paymentMode: 'MONTHLY',
};

describe('changeRefusal', () => {
  it('lets an open case the carrier accepted take a change', () => {
    for (const status of [
      'SUBMITTED',
      'IN_UNDERWRITING',
      'REQUIREMENTS_OUTSTANDING',
      'APPROVED',
      'ISSUED',
      'DELIVERY_REQUIREMENTS',
    ] as const)
      expect(changeRefusal({ ...pending, status })).toBeNull();
  });

  it('refuses a closed case, and a submitted case the carrier has not accepted yet', () => {
    for (const status of ['PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN'] as const)
      expect(changeRefusal({ ...pending, status })).toContain(`the case is ${status}`);
    expect(changeRefusal({ ...pending, status: 'SUBMITTED', carrierReference: null })).toContain('has not accepted the application yet');
  });
});

describe('changeKinds and changeProblems', () => {
  it('names the kinds a change holds, in a fixed order', () => {
    expect(changeKinds({ paymentMode: 'ANNUAL', faceAmount: 600_000, reason: 'x' })).toEqual(['FACE_AMOUNT', 'PAYMENT_MODE']);
    expect(changeKinds({ owner: { kind: 'ENTITY', name: 'T', tin: '123456789' }, riders: [] })).toEqual(['RIDERS', 'OWNER']);
  });

  it('needs at least one change; a reason alone is none', () => {
    expect(changeProblems({ reason: 'because' }, pending)).toEqual([expect.stringContaining('at least one of')]);
  });

  it('checks the face amount, term and what the case already has', () => {
    expect(changeProblems({ faceAmount: 0 }, pending)).toEqual([expect.stringContaining('change.faceAmount must be')]);
    expect(changeProblems({ faceAmount: 100_000_001 }, pending)).toEqual([expect.stringContaining('change.faceAmount must be')]);
    expect(changeProblems({ faceAmount: 500_000 }, pending)).toEqual(['change.faceAmount is the face amount the case already has']);
    expect(changeProblems({ termYears: 12 }, pending)).toEqual(['change.termYears must be 10, 15, 20, 25 or 30']);
    expect(changeProblems({ paymentMode: 'MONTHLY' }, pending)).toEqual(['change.paymentMode is the payment mode the case already has']);
    expect(changeProblems({ faceAmount: 750_000, termYears: 30, paymentMode: 'ANNUAL' }, pending)).toEqual([]);
  });

  it('applies the beneficiary rule of good order: shares per designation sum to 100, a primary is needed', () => {
    const spouse = { designation: 'PRIMARY' as const, fullName: 'A B', relationship: 'SPOUSE', sharePercent: 60 };
    expect(changeProblems({ beneficiaries: [spouse] }, pending)).toEqual([
      'change.beneficiaries.primary: Primary beneficiary shares must sum to 100%.',
    ]);
    expect(changeProblems({ beneficiaries: [{ ...spouse, sharePercent: 100 }] }, pending)).toEqual([]);
    expect(changeProblems({ beneficiaries: [{ ...spouse, designation: 'CONTINGENT', sharePercent: 100 }] }, pending)).toEqual([
      'change.beneficiaries.primary: At least one primary beneficiary is required.',
    ]);
    expect(changeProblems({ beneficiaries: [{ ...spouse, sharePercent: 100, relationship: 'COUSIN' }] }, pending)).toEqual([
      expect.stringContaining('change.beneficiaries.0.relationship must be one of'),
    ]);
  });

  it('checks a new owner: a person with a relation to the insured, or an entity with a TIN in form', () => {
    expect(changeProblems({ owner: { kind: 'PERSON', fullName: 'C D', relationship: 'PARENT' } }, pending)).toEqual([]);
    expect(changeProblems({ owner: { kind: 'PERSON', fullName: ' ', relationship: 'SELF' } }, pending)).toHaveLength(2);
    expect(changeProblems({ owner: { kind: 'ENTITY', name: 'Trust', tin: '12-3456789' } }, pending)).toEqual([]);
    expect(changeProblems({ owner: { kind: 'ENTITY', name: 'Trust', tin: '00-3456789' } }, pending)).toEqual([
      'change.owner.tin is not a valid TIN (nine digits, not starting 00)',
    ]);
  });

  it('never echoes a value back in a problem (they may be personal data)', () => {
    const problems = changeProblems(
      { beneficiaries: [{ designation: 'PRIMARY', fullName: 'Zed Quillfeather', relationship: 'NEIGHBOUR', sharePercent: 10 }] },
      pending,
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join(' ')).not.toContain('Quillfeather');
  });
});

describe('normalizeChange', () => {
  it('trims names, keeps a TIN as digits and sorts riders, so equal requests hash alike', () => {
    expect(
      normalizeChange({
        riders: ['WAIVER_OF_PREMIUM', 'ACCIDENTAL_DEATH'],
        owner: { kind: 'ENTITY', name: ' Trust ', tin: '12-345 6789' },
      }),
    ).toEqual({
      faceAmount: null,
      productId: null,
      termYears: null,
      riders: ['ACCIDENTAL_DEATH', 'WAIVER_OF_PREMIUM'],
      beneficiaries: null,
      paymentMode: null,
      owner: { kind: 'ENTITY', name: 'Trust', tin: '123456789' },
      reason: null,
    });
  });
});
