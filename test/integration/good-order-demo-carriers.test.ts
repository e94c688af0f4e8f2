/**
 * The demo carriers' application rules (carriers subgraph data, in the shape of
 * subgraphs/shared/application-rules.ts) read by the cases subgraph's good-order check: a complete
 * application is in good order at every demo carrier, for every product, in a few states that
 * differ in their forms.
 */
import type { Application } from '../../subgraphs/cases/domain/application';
import { type CarrierApplicationRules, missingItems } from '../../subgraphs/cases/domain/good-order';
import { applicationRulesFor } from '../../subgraphs/carriers/fixtures/application-rules.fixture';
import { CARRIERS, type ProductFixture, type StateCode } from '../../subgraphs/carriers/fixtures/carriers.fixture';

const AS_OF = '2026-06-15';

/** A complete application for a product in a state, every question answered "no", before its forms. */
function applicationFor(product: ProductFixture, carrierCode: string, state: StateCode, rules: CarrierApplicationRules): Application {
  return {
    state,
    insured: {
      fullName: 'Avery Example',
      birthDate: '1966-01-10', // 60: in every demo product's ages and every carrier's bands
      gender: 'MALE',
      ssn: '123-45-6789',
      address: { line1: '1 Main St', city: 'Springfield', state, zip: '00001' },
      phone: '555-0100',
      driversLicense: { number: 'D1', state },
      citizenship: 'US_CITIZEN',
      heightInches: 70,
      weightPounds: 180,
    },
    owner: { kind: 'INSURED' },
    beneficiaries: [{ designation: 'PRIMARY', kind: 'PERSON', fullName: 'Sam Example', relationship: 'SPOUSE', sharePercent: 100 }],
    coverage: {
      carrierCode,
      productCode: product.code,
      productType: product.type,
      faceAmount: 25_000,
      termYears: 20,
      guaranteeAge: 121,
      healthClassApplied: 'STANDARD',
      paymentMode: 'MONTHLY',
      paymentMethod: 'EFT',
    },
    bankAccount: { routingNumber: '011000015', accountNumber: '123456789', accountType: 'CHECKING' },
    existingCoverage: { hasExisting: false },
    answers: Object.fromEntries(rules.questions.map((question) => [question.code, { yes: false }])),
    financial: { annualIncome: 60_000 },
    agentReport: { agentId: 'agent-1' },
    signatures: [
      { role: 'INSURED', signedOn: '2026-06-01', state },
      { role: 'AGENT', signedOn: '2026-06-01', state },
    ],
  };
}

const STATES: StateCode[] = ['TX', 'NY', 'OH', 'AK', 'CA'];
const CASES = CARRIERS.flatMap((carrier) =>
  carrier.products.flatMap((product) => STATES.map((state) => [carrier.code, product.code, state] as const)),
);

describe('good order at the demo carriers', () => {
  it.each(CASES)(
    '%s %s in %s: only forms are missing from a complete application, and attaching them completes it',
    (carrierCode, productCode, state) => {
      const carrier = CARRIERS.find((candidate) => candidate.code === carrierCode);
      const product = carrier?.products.find((candidate) => candidate.code === productCode) as ProductFixture;
      const rules: CarrierApplicationRules = applicationRulesFor({ code: carrierCode });
      const draft = applicationFor(product, carrierCode, state, rules);
      const items = missingItems(draft, rules, { asOf: AS_OF });
      expect(items.every((item) => item.path.startsWith('forms.'))).toBe(true);
      const forms = items.map((item) => item.path.slice('forms.'.length));
      expect(forms).toContain('APPLICATION_PART_A');
      expect(forms.includes('APPLICATION_PART_B')).toBe(product.type !== 'FINAL_EXPENSE');
      expect(forms.includes('ILLUSTRATION')).toBe(['UNIVERSAL_LIFE', 'INDEXED_UNIVERSAL_LIFE', 'WHOLE_LIFE'].includes(product.type));
      expect(forms.includes('FRAUD_WARNING')).toBe(['TX', 'NY', 'OH'].includes(state));
      expect(missingItems({ ...draft, forms: forms.map((code) => ({ code })) }, rules, { asOf: AS_OF })).toEqual([]);
    },
  );

  it.each(CARRIERS.flatMap((carrier) => carrier.products.map((product) => [carrier.code, product.code] as const)))(
    '%s %s: removing any field the carrier requires yields exactly REQUIRED for it',
    (carrierCode, productCode) => {
      const product = CARRIERS.find((carrier) => carrier.code === carrierCode)?.products.find(
        (candidate) => candidate.code === productCode,
      ) as ProductFixture;
      const rules: CarrierApplicationRules = applicationRulesFor({ code: carrierCode });
      const draft = applicationFor(product, carrierCode, 'TX', rules);
      const complete: Application = {
        ...draft,
        forms: missingItems(draft, rules, { asOf: AS_OF }).map((item) => ({ code: item.path.slice('forms.'.length) })),
      };
      expect(missingItems(complete, rules, { asOf: AS_OF })).toEqual([]);
      for (const path of [...rules.requiredFields.all, ...(rules.requiredFields.byProductType?.[product.type] ?? [])]) {
        const copy = structuredClone(complete) as Record<string, unknown>;
        const keys = path.split('.');
        let parent = copy;
        for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
        delete parent[keys[keys.length - 1] as string];
        expect(missingItems(copy as Application, rules, { asOf: AS_OF }).map((item) => `${item.path}: ${item.code}`)).toEqual([
          `${path}: REQUIRED`,
        ]);
      }
    },
  );

  it("a replacement in New York asks for New York's own disclosure; in Alaska only the carrier's form", () => {
    const rules = applicationRulesFor({ code: 'SUMMIT' });
    const product = CARRIERS[0]?.products[0] as ProductFixture;
    const replacing = (state: StateCode): Application => ({
      ...applicationFor(product, 'SUMMIT', state, rules),
      existingCoverage: { hasExisting: true, policies: [{ carrierName: 'Old Life', policyNumber: 'P-1', disposition: 'LAPSE' }] },
    });
    const ny = missingItems(replacing('NY'), rules, { asOf: AS_OF });
    expect(ny.find((item) => item.path === 'forms.REPLACEMENT_NOTICE')).toMatchObject({
      code: 'REQUIRED_IN_STATE',
      message: expect.stringContaining('SR 500-NY'),
    });
    const ak = missingItems(replacing('AK'), rules, { asOf: AS_OF }).map((item) => item.path);
    expect(ak).toContain('forms.CARRIER_REPLACEMENT_FORM');
    expect(ak).not.toContain('forms.REPLACEMENT_NOTICE');
  });
});
