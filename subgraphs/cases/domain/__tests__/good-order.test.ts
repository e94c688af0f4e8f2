import fc from 'fast-check';
import type { Application, Beneficiary } from '../application';
import { type CarrierApplicationRules, financialBandAt, inGoodOrder, missingItems, requiredSigners } from '../good-order';
import { AS_OF, RULES, completeApplication, without } from './application.builders';

/** What is missing, as `path: CODE`, in the function's own order. */
function missing(application: Application, rules: CarrierApplicationRules = RULES, asOf = AS_OF): string[] {
  return missingItems(application, rules, { asOf }).map((item) => `${item.path}: ${item.code}`);
}

/** The complete application with some parts replaced. */
function change(patch: (application: Application) => Application): Application {
  return patch(completeApplication());
}

describe('a complete application', () => {
  it('lacks nothing and is in good order', () => {
    expect(missing(completeApplication())).toEqual([]);
    expect(inGoodOrder(completeApplication(), RULES, { asOf: AS_OF })).toBe(true);
  });

  it('an empty draft lists what is missing, sorted by path, and is not in good order', () => {
    const items = missingItems({}, RULES, { asOf: AS_OF });
    const paths = items.map((item) => item.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toEqual(
      expect.arrayContaining(['insured.ssn', 'coverage.faceAmount', 'beneficiaries.primary', 'forms.APPLICATION_PART_A']),
    );
    expect(inGoodOrder({}, RULES, { asOf: AS_OF })).toBe(false);
  });
});

describe('required fields', () => {
  it('a missing field the carrier requires is REQUIRED at its path; filling it fixes it', () => {
    const draft = without(completeApplication(), 'insured.phone');
    expect(missing(draft)).toEqual(['insured.phone: REQUIRED']);
    expect(missing({ ...draft, insured: { ...draft.insured, phone: '512-555-0100' } })).toEqual([]);
  });

  it('a blank string is missing', () => {
    expect(missing(change((a) => ({ ...a, insured: { ...a.insured, fullName: '  ' } })))).toEqual(['insured.fullName: REQUIRED']);
  });

  it('the product type adds its own fields: a term needs its term, a universal life its guarantee age', () => {
    expect(missing(without(completeApplication(), 'coverage.termYears'))).toEqual(['coverage.termYears: REQUIRED']);
    const ul = change((a) => ({
      ...a,
      coverage: { ...a.coverage, productType: 'UNIVERSAL_LIFE', termYears: undefined },
      forms: [...(a.forms ?? []), { code: 'ILLUSTRATION' }],
      answers: { ...a.answers, AVIATION: { yes: false } },
    }));
    expect(missing(ul)).toEqual(['coverage.guaranteeAge: REQUIRED']);
    expect(missing({ ...ul, coverage: { ...ul.coverage, guaranteeAge: 121 } })).toEqual([]);
  });

  it('removing any required field yields exactly REQUIRED for that path (property)', () => {
    const paths = [...RULES.requiredFields.all, ...(RULES.requiredFields.byProductType?.TERM ?? [])];
    fc.assert(
      fc.property(fc.constantFrom(...paths), (path) => {
        expect(missing(without(completeApplication(), path))).toEqual([`${path}: REQUIRED`]);
      }),
      { numRuns: paths.length * 4 },
    );
  });

  it('stays complete when fields no rule reads change (property)', () => {
    const name = fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value.trim() !== '');
    fc.assert(
      fc.property(
        fc.record({
          fullName: name,
          email: fc.emailAddress(),
          heightInches: fc.integer({ min: 48, max: 90 }),
          weightPounds: fc.integer({ min: 80, max: 400 }),
          gender: fc.constantFrom('MALE' as const, 'FEMALE' as const),
          firstShare: fc.integer({ min: 1, max: 99 }),
          faceAmount: fc.integer({ min: 1, max: 1_000_000 }), // $100,000 income at 40: 30x, and no questionnaire up to $1,000,000
          comments: fc.string(),
          signedDaysAgo: fc.integer({ min: 0, max: 60 }),
        }),
        (changes) => {
          const signedOn = new Date(Date.parse(AS_OF) - changes.signedDaysAgo * 86_400_000).toISOString().slice(0, 10);
          const application = change((a) => ({
            ...a,
            insured: {
              ...a.insured,
              fullName: changes.fullName,
              email: changes.email,
              heightInches: changes.heightInches,
              weightPounds: changes.weightPounds,
              gender: changes.gender,
            },
            beneficiaries: [
              { designation: 'PRIMARY', fullName: changes.fullName, relationship: 'SPOUSE', sharePercent: changes.firstShare },
              { designation: 'PRIMARY', fullName: 'Kit Example', relationship: 'CHILD', sharePercent: 100 - changes.firstShare },
            ],
            coverage: { ...a.coverage, faceAmount: changes.faceAmount },
            agentReport: { ...a.agentReport, comments: changes.comments },
            signatures: (a.signatures ?? []).map((signature) => ({ ...signature, signedOn })),
          }));
          expect(missing(application)).toEqual([]);
        },
      ),
    );
  });
});

describe('identifiers', () => {
  it.each(['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000', '12345'])('insured SSN %s is INVALID_SSN', (ssn) => {
    expect(missing(change((a) => ({ ...a, insured: { ...a.insured, ssn } })))).toEqual(['insured.ssn: INVALID_SSN']);
  });

  it('a birth date that is not YYYY-MM-DD is INVALID_VALUE, and the financial check waits for it', () => {
    const draft = change((a) => ({
      ...a,
      insured: { ...a.insured, birthDate: '01/10/1986' },
      coverage: { ...a.coverage, faceAmount: 900_000 },
    }));
    expect(missing(draft)).toEqual(['insured.birthDate: INVALID_VALUE']);
  });

  it('an ITIN is a valid identifier for the insured', () => {
    expect(missing(change((a) => ({ ...a, insured: { ...a.insured, ssn: '912-70-1234' } })))).toEqual([]);
  });

  it('messages never carry the identifier', () => {
    const items = missingItems(
      change((a) => ({ ...a, insured: { ...a.insured, ssn: '666-12-3456' } })),
      RULES,
      { asOf: AS_OF },
    );
    expect(items[0]?.message).not.toMatch(/666|3456/);
  });
});

describe('beneficiary shares', () => {
  const primaries = (...shares: number[]): Beneficiary[] =>
    shares.map((sharePercent, index) => ({
      designation: 'PRIMARY',
      fullName: `Beneficiary ${index}`,
      relationship: 'CHILD',
      sharePercent,
    }));
  const withBeneficiaries = (beneficiaries: Beneficiary[]) => change((a) => ({ ...a, beneficiaries }));

  it('primaries summing to 100 are in order; 99 and 101 are SHARES_NOT_100', () => {
    expect(missing(withBeneficiaries(primaries(50, 50)))).toEqual([]);
    expect(missing(withBeneficiaries(primaries(100)))).toEqual([]);
    expect(missing(withBeneficiaries(primaries(50, 49)))).toEqual(['beneficiaries.primary: SHARES_NOT_100']);
    expect(missing(withBeneficiaries(primaries(50, 51)))).toEqual(['beneficiaries.primary: SHARES_NOT_100']);
  });

  it('contingents are optional; when present they sum to 100 too', () => {
    const contingent = (sharePercent: number): Beneficiary => ({
      designation: 'CONTINGENT',
      fullName: 'C',
      relationship: 'SIBLING',
      sharePercent,
    });
    expect(missing(withBeneficiaries(primaries(100)))).toEqual([]);
    expect(missing(withBeneficiaries([...primaries(100), contingent(99)]))).toEqual(['beneficiaries.contingent: SHARES_NOT_100']);
    expect(missing(withBeneficiaries([...primaries(100), contingent(60), contingent(40)]))).toEqual([]);
  });

  it('no primary at all is NO_PRIMARY_BENEFICIARY, not a share error', () => {
    expect(missing(withBeneficiaries([]))).toEqual(['beneficiaries.primary: NO_PRIMARY_BENEFICIARY']);
    expect(missing(withBeneficiaries([{ designation: 'CONTINGENT', fullName: 'C', relationship: 'SIBLING', sharePercent: 100 }]))).toEqual([
      'beneficiaries.primary: NO_PRIMARY_BENEFICIARY',
    ]);
  });

  it('a missing or fractional share is reported on the beneficiary, and the sum waits for it', () => {
    expect(missing(withBeneficiaries([{ designation: 'PRIMARY', fullName: 'A', relationship: 'CHILD' }]))).toEqual([
      'beneficiaries.0.sharePercent: REQUIRED',
    ]);
    expect(missing(withBeneficiaries(primaries(50.5, 49.5)))).toEqual([
      'beneficiaries.0.sharePercent: INVALID_VALUE',
      'beneficiaries.1.sharePercent: INVALID_VALUE',
    ]);
  });

  it('each beneficiary needs a name and a relationship', () => {
    expect(missing(withBeneficiaries([{ designation: 'PRIMARY', sharePercent: 100 }]))).toEqual([
      'beneficiaries.0.fullName: REQUIRED',
      'beneficiaries.0.relationship: REQUIRED',
    ]);
  });

  it('any whole-percent split of the primaries that sums to 100 is in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }), (weights) => {
        const total = weights.reduce((sum, weight) => sum + weight, 0);
        const shares = weights.map((weight) => Math.floor((weight * 100) / total));
        shares[0] = (shares[0] as number) + 100 - shares.reduce((sum, share) => sum + share, 0);
        fc.pre(shares.every((share) => share >= 1));
        expect(missing(withBeneficiaries(primaries(...shares)))).toEqual([]);
        expect(missing(withBeneficiaries(primaries(...shares, 1)))).toEqual(['beneficiaries.primary: SHARES_NOT_100']);
      }),
    );
  });
});

describe('owner, payor and beneficiary relations', () => {
  it('the payor defaults to the owner: no payor signature is asked', () => {
    expect(requiredSigners(completeApplication())).toEqual(['INSURED', 'AGENT']);
  });

  it('another person as owner needs who they are, their relation, and signs', () => {
    const draft = change((a) => ({ ...a, owner: { kind: 'PERSON', fullName: 'Pat Owner' } }));
    expect(missing(draft)).toEqual([
      'owner.address: REQUIRED',
      'owner.birthDate: REQUIRED',
      'owner.relationshipToInsured: REQUIRED',
      'owner.ssn: REQUIRED',
      'signatures.OWNER: REQUIRED',
    ]);
    const fixed: Application = {
      ...draft,
      owner: {
        kind: 'PERSON',
        fullName: 'Pat Owner',
        birthDate: '1980-02-02',
        ssn: '234-56-7890',
        address: { line1: '2 Main St' },
        relationshipToInsured: 'SPOUSE',
      },
      signatures: [...(draft.signatures ?? []), { role: 'OWNER', signedOn: '2026-06-10', state: 'TX' }],
    };
    expect(missing(fixed)).toEqual([]);
  });

  it('an owner who is the insured under another name is RELATION_INCONSISTENT', () => {
    const draft = change((a) => ({
      ...a,
      owner: {
        kind: 'PERSON',
        fullName: 'A',
        birthDate: '1986-01-10',
        ssn: '123456789',
        address: { line1: '1 Main St' },
        relationshipToInsured: 'SPOUSE',
      },
      signatures: [...(a.signatures ?? []), { role: 'OWNER', signedOn: '2026-06-10', state: 'TX' }],
    }));
    expect(missing(draft)).toEqual(['owner.kind: RELATION_INCONSISTENT']);
  });

  it('a trust or business owner needs its TIN, and a valid one', () => {
    const trust = (tin?: string): Application =>
      change((a) => ({
        ...a,
        owner: { kind: 'TRUST', name: 'Example Family Trust', tin, address: { line1: '1 Main St' } },
        signatures: [...(a.signatures ?? []), { role: 'OWNER', signedOn: '2026-06-10', state: 'TX' }],
      }));
    expect(missing(trust())).toEqual(['owner.tin: REQUIRED']);
    expect(missing(trust('00-1234567'))).toEqual(['owner.tin: INVALID_TIN']);
    expect(missing(trust('12-3456789'))).toEqual([]);
  });

  it('a payor other than the owner signs when paying by EFT, not by check', () => {
    const payor = { kind: 'BUSINESS' as const, name: 'Example LLC', tin: '12-3456789', address: { line1: '3 Main St' } };
    const eft = change((a) => ({ ...a, payor }));
    expect(missing(eft)).toEqual(['signatures.PAYOR: REQUIRED']);
    expect(missing({ ...eft, coverage: { ...eft.coverage, paymentMethod: 'CHECK' } })).toEqual([]);
    expect(missing({ ...eft, signatures: [...(eft.signatures ?? []), { role: 'PAYOR', signedOn: '2026-06-11', state: 'TX' }] })).toEqual(
      [],
    );
  });

  it('the insured as their own beneficiary, or a person relation on an estate, is RELATION_INCONSISTENT', () => {
    const selfBeneficiary = change((a) => ({
      ...a,
      beneficiaries: [{ designation: 'PRIMARY', fullName: 'A', relationship: 'SELF', sharePercent: 100 }],
    }));
    expect(missing(selfBeneficiary)).toEqual(['beneficiaries.0.relationship: RELATION_INCONSISTENT']);
    const estateAsSpouse = change((a) => ({
      ...a,
      beneficiaries: [{ designation: 'PRIMARY', kind: 'ESTATE', fullName: 'Estate', relationship: 'SPOUSE', sharePercent: 100 }],
    }));
    expect(missing(estateAsSpouse)).toEqual(['beneficiaries.0.relationship: RELATION_INCONSISTENT']);
  });
});

describe('financial justification', () => {
  /** Insured born on 1990-06-15, aged exactly `age` on the day they turn it. */
  const atAge = (age: number, faceAmount: number, annualIncome = 100_000): Application =>
    change((a) => ({
      ...a,
      insured: { ...a.insured, birthDate: `${2026 - age}-06-15` },
      coverage: { ...a.coverage, faceAmount },
      financial: { annualIncome, questionnaireCompleted: true, thirdPartyFinancials: true },
    }));

  it.each([
    [18, 30],
    [40, 30],
    [41, 20],
    [50, 20],
    [51, 15],
    [60, 15],
    [61, 10],
    [65, 10],
    [66, 5],
    [80, 5],
  ])('at %i the face may be up to %ix income, a dollar more is FACE_EXCEEDS_FINANCIAL_LIMIT', (age, multiple) => {
    expect(missing(atAge(age, multiple * 100_000))).toEqual([]);
    expect(missing(atAge(age, multiple * 100_000 + 1))).toEqual(['coverage.faceAmount: FACE_EXCEEDS_FINANCIAL_LIMIT']);
  });

  it('the age is the last birthday: the day before turning 41 still takes 30x', () => {
    const dayBefore = change((a) => ({
      ...a,
      insured: { ...a.insured, birthDate: '1985-06-16' },
      coverage: { ...a.coverage, faceAmount: 3_000_000 },
      financial: { annualIncome: 100_000, questionnaireCompleted: true },
    }));
    expect(missing(dayBefore)).toEqual([]);
    expect(missing(dayBefore, RULES, '2026-06-16')).toEqual(['coverage.faceAmount: FACE_EXCEEDS_FINANCIAL_LIMIT']);
  });

  it('net worth justifies what income does not', () => {
    const draft = change((a) => ({
      ...a,
      coverage: { ...a.coverage, faceAmount: 900_000 },
      financial: { annualIncome: 20_000, netWorth: 900_000 },
    }));
    expect(missing(draft)).toEqual([]);
    expect(missing({ ...draft, financial: { annualIncome: 20_000, netWorth: 899_999 } })).toEqual([
      'coverage.faceAmount: FACE_EXCEEDS_FINANCIAL_LIMIT',
    ]);
  });

  it("a non-working spouse is limited to the working spouse's coverage", () => {
    const spouse = (workingSpouseCoverage?: number) =>
      change((a) => ({
        ...a,
        financial: { annualIncome: 0, nonWorkingSpouse: true, workingSpouseCoverage },
        coverage: { ...a.coverage, faceAmount: 500_000 },
      }));
    expect(missing(spouse())).toEqual(['financial.workingSpouseCoverage: REQUIRED']);
    expect(missing(spouse(499_999))).toEqual(['coverage.faceAmount: FACE_EXCEEDS_FINANCIAL_LIMIT']);
    expect(missing(spouse(500_000))).toEqual([]);
  });

  it('over $1,000,000 a financial questionnaire, over $5,000,000 third-party financials', () => {
    const face = (faceAmount: number, extra = {}) =>
      change((a) => ({ ...a, coverage: { ...a.coverage, faceAmount }, financial: { annualIncome: 1_000_000, ...extra } }));
    expect(missing(face(1_000_000))).toEqual([]);
    expect(missing(face(1_000_001))).toEqual(['financial.questionnaireCompleted: REQUIRED']);
    expect(missing(face(5_000_001, { questionnaireCompleted: true }))).toEqual(['financial.thirdPartyFinancials: REQUIRED']);
    expect(missing(face(5_000_001, { questionnaireCompleted: true, thirdPartyFinancials: true }))).toEqual([]);
  });

  it('the band at an age is the last one it reaches; none below the first', () => {
    expect(financialBandAt(RULES.financialBands, 17)).toBeUndefined();
    expect(financialBandAt(RULES.financialBands, 66)?.incomeMultiple).toBe(5);
  });
});

describe('replacement', () => {
  const replacing = (
    state: Application['state'],
    policy = { carrierName: 'Old Mutual Life', policyNumber: 'OLD-1', disposition: 'SURRENDER' as const },
  ) =>
    change((a) => ({
      ...a,
      state,
      insured: { ...a.insured, address: { ...a.insured?.address, state } },
      existingCoverage: { hasExisting: true, policies: [policy] },
      signatures: (a.signatures ?? []).map((signature) => ({ ...signature, state })),
      forms: (a.forms ?? []).filter((form) => form.code !== 'FRAUD_WARNING' || state === 'TX' || state === 'FL' || state === 'NY'),
    }));

  it("a replacement needs the state's replacement notice and the carrier's replacement form", () => {
    expect(missing(replacing('TX'))).toEqual(['forms.CARRIER_REPLACEMENT_FORM: REQUIRED', 'forms.REPLACEMENT_NOTICE: REQUIRED_IN_STATE']);
    const fixed = replacing('TX');
    expect(
      missing({ ...fixed, forms: [...(fixed.forms ?? []), { code: 'CARRIER_REPLACEMENT_FORM' }, { code: 'REPLACEMENT_NOTICE' }] }),
    ).toEqual([]);
  });

  it('a state without its own notice asks only for the carrier form', () => {
    expect(missing(replacing('OH'))).toEqual(['forms.CARRIER_REPLACEMENT_FORM: REQUIRED']);
  });

  it('the notice is named once even when two catalog entries cover the state', () => {
    const message = missingItems(replacing('NY'), RULES, { asOf: AS_OF }).find((item) => item.path === 'forms.REPLACEMENT_NOTICE')?.message;
    expect(message).toContain('TYP-RN-NY');
    expect(missing(replacing('NY')).filter((item) => item.startsWith('forms.REPLACEMENT_NOTICE'))).toHaveLength(1);
  });

  it('keeping the existing policy is no replacement', () => {
    expect(missing(replacing('TX', { carrierName: 'Old', policyNumber: 'OLD-1', disposition: 'KEEP' as never }))).toEqual([]);
  });

  it.each(['LAPSE', 'SURRENDER', 'REDUCE', 'BORROW'] as const)(
    '%s is a replacement, naming the replaced carrier and policy',
    (disposition) => {
      const draft = change((a) => ({
        ...a,
        existingCoverage: { hasExisting: true, policies: [{ disposition }] },
        forms: [...(a.forms ?? []), { code: 'CARRIER_REPLACEMENT_FORM' }, { code: 'REPLACEMENT_NOTICE' }],
      }));
      expect(missing(draft)).toEqual([
        'existingCoverage.policies.0.carrierName: REQUIRED',
        'existingCoverage.policies.0.policyNumber: REQUIRED',
      ]);
    },
  );

  it('declared existing coverage lists its policies and what happens to each', () => {
    expect(missing(change((a) => ({ ...a, existingCoverage: { hasExisting: true } })))).toEqual(['existingCoverage.policies: REQUIRED']);
    expect(
      missing(change((a) => ({ ...a, existingCoverage: { hasExisting: true, policies: [{ carrierName: 'Old', policyNumber: '1' }] } }))),
    ).toEqual(['existingCoverage.policies.0.disposition: REQUIRED']);
  });
});

describe('forms', () => {
  it('part B is not needed when a phone interview replaces it', () => {
    const draft = change((a) => ({ ...a, forms: (a.forms ?? []).filter((form) => form.code !== 'APPLICATION_PART_B') }));
    expect(missing(draft)).toEqual(['forms.APPLICATION_PART_B: REQUIRED']);
    expect(missing({ ...draft, phoneInterview: true })).toEqual([]);
  });

  it("a state's notice is REQUIRED_IN_STATE there and not asked elsewhere", () => {
    const noFraudWarning = change((a) => ({ ...a, forms: (a.forms ?? []).filter((form) => form.code !== 'FRAUD_WARNING') }));
    expect(missing(noFraudWarning)).toEqual(['forms.FRAUD_WARNING: REQUIRED_IN_STATE']);
    const inOhio: Application = {
      ...noFraudWarning,
      state: 'OH',
      signatures: (noFraudWarning.signatures ?? []).map((signature) => ({ ...signature, state: 'OH' })),
    };
    expect(missing(inOhio)).toEqual([]);
  });

  it('a rider brings its disclosure', () => {
    const draft = change((a) => ({ ...a, coverage: { ...a.coverage, riders: ['WAIVER_OF_PREMIUM'] } }));
    expect(missing(draft)).toEqual(['forms.RIDER_DISCLOSURE_WAIVER: REQUIRED']);
    expect(missing({ ...draft, forms: [...(draft.forms ?? []), { code: 'RIDER_DISCLOSURE_WAIVER' }] })).toEqual([]);
  });

  it("a product's own form is asked of that product only", () => {
    const plus = change((a) => ({ ...a, coverage: { ...a.coverage, productCode: 'TYP-TERM-PLUS' } }));
    expect(missing(plus)).toEqual(['forms.CONVERSION_PRIVILEGE_NOTICE: REQUIRED']);
    expect(missing({ ...plus, forms: [...(plus.forms ?? []), { code: 'CONVERSION_PRIVILEGE_NOTICE' }] })).toEqual([]);
  });

  it('a permanent product needs a signed illustration; a term does not', () => {
    const ul = change((a) => ({ ...a, coverage: { ...a.coverage, productType: 'WHOLE_LIFE' } }));
    expect(missing(ul)).toEqual(['forms.ILLUSTRATION: REQUIRED']);
  });
});

describe('medical questions', () => {
  it('an unanswered question is ANSWER_REQUIRED', () => {
    expect(missing(change((a) => ({ ...a, answers: { HEART: { yes: false } } })))).toEqual(['answers.TOBACCO: ANSWER_REQUIRED']);
  });

  it('a "yes" opens its follow-ups, each needed; a "no" needs none', () => {
    const yes = change((a) => ({ ...a, answers: { ...a.answers, HEART: { yes: true, details: { DIAGNOSIS: 'Arrhythmia' } } } }));
    expect(missing(yes)).toEqual(['answers.HEART.DIAGNOSED_ON: ANSWER_REQUIRED']);
    expect(
      missing({ ...yes, answers: { ...yes.answers, HEART: { yes: true, details: { DIAGNOSIS: 'Arrhythmia', DIAGNOSED_ON: '2019' } } } }),
    ).toEqual([]);
  });

  it('a question for other products is not asked', () => {
    expect(completeApplication().answers?.AVIATION).toBeUndefined();
    expect(missing(completeApplication())).toEqual([]);
  });

  it('messages never carry an answer', () => {
    const items = missingItems(
      change((a) => ({ ...a, answers: { ...a.answers, HEART: { yes: true, details: { DIAGNOSIS: 'Arrhythmia' } } } })),
      RULES,
      { asOf: AS_OF },
    );
    expect(JSON.stringify(items)).not.toContain('Arrhythmia');
  });
});

describe('signatures', () => {
  it('the insured and the agent sign; a missing one, or its date, is REQUIRED', () => {
    expect(missing(change((a) => ({ ...a, signatures: [{ role: 'INSURED', signedOn: '2026-06-10', state: 'TX' }] })))).toEqual([
      'signatures.AGENT: REQUIRED',
    ]);
    expect(
      missing(
        change((a) => ({
          ...a,
          signatures: [
            { role: 'INSURED', state: 'TX' },
            { role: 'AGENT', signedOn: '2026-06-10', state: 'TX' },
          ],
        })),
      ),
    ).toEqual(['signatures.INSURED.signedOn: REQUIRED']);
  });

  it('a signature dated after today is INVALID_VALUE', () => {
    const draft = change((a) => ({
      ...a,
      signatures: [
        { role: 'INSURED', signedOn: '2026-06-16', state: 'TX' },
        { role: 'AGENT', signedOn: '2026-06-15', state: 'TX' },
      ],
    }));
    expect(missing(draft)).toEqual(['signatures.INSURED.signedOn: INVALID_VALUE']);
  });

  it('signing in another state is SIGNED_IN_OTHER_STATE', () => {
    const draft = change((a) => ({
      ...a,
      signatures: [
        { role: 'INSURED', signedOn: '2026-06-10', state: 'OK' },
        { role: 'AGENT', signedOn: '2026-06-10', state: 'TX' },
      ],
    }));
    expect(missing(draft)).toEqual(['signatures.INSURED.state: SIGNED_IN_OTHER_STATE']);
  });

  it('60 days after the first signature is in time, 61 is SIGNATURE_EXPIRED', () => {
    const signedOn = (insured: string) =>
      change((a) => ({
        ...a,
        signatures: [
          { role: 'INSURED', signedOn: insured, state: 'TX' },
          { role: 'AGENT', signedOn: '2026-06-14', state: 'TX' },
        ],
      }));
    expect(missing(signedOn('2026-04-16'))).toEqual([]); // 60 days before 2026-06-15
    expect(missing(signedOn('2026-04-15'))).toEqual(['signatures: SIGNATURE_EXPIRED']);
  });
});

describe('EFT needs the bank account', () => {
  const rules = RULES;
  const eft = (bankAccount: Application['bankAccount']) =>
    missingItems({ ...completeApplication(), bankAccount }, rules, { asOf: AS_OF }).map((item) => `${item.path}: ${item.code}`);
  it('asks for the routing and account numbers', () => {
    expect(eft(undefined)).toEqual(['bankAccount.accountNumber: REQUIRED', 'bankAccount.routingNumber: REQUIRED']);
  });
  it('checks the routing number by its check digit and the account number by its form', () => {
    expect(eft({ routingNumber: '011000016', accountNumber: '12' })).toEqual([
      'bankAccount.accountNumber: INVALID_VALUE',
      'bankAccount.routingNumber: INVALID_VALUE',
    ]);
  });
  it('asks nothing of a check payer', () => {
    const byCheck = { ...completeApplication(), bankAccount: undefined };
    byCheck.coverage = { ...byCheck.coverage, paymentMethod: 'CHECK' };
    expect(missingItems(byCheck, rules, { asOf: AS_OF })).toEqual([]);
  });
});

describe('ready to sign', () => {
  it('leaves the signatures out when asked', () => {
    const unsigned = { ...completeApplication(), signatures: [] };
    expect(missingItems(unsigned, RULES, { asOf: AS_OF }).map((item) => item.path)).toEqual(['signatures.AGENT', 'signatures.INSURED']);
    expect(missingItems(unsigned, RULES, { asOf: AS_OF, signatures: false })).toEqual([]);
  });
});
