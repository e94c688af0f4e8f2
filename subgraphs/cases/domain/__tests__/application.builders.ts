/**
 * A carrier's application rules and a complete application for them, written out here, independently
 * of the demo carriers' data, so the good-order tests read as the domain rules say.
 */
import type { Application } from '../application';
import type { CarrierApplicationRules } from '../good-order';

export const AS_OF = '2026-06-15';

/** The typical carrier: docs/domain.md's multiples, a 60-day window, the usual forms and questions. */
export const RULES: CarrierApplicationRules = {
  carrierCode: 'TYPICAL',
  requiredFields: {
    all: [
      'state',
      'insured.fullName',
      'insured.birthDate',
      'insured.gender',
      'insured.ssn',
      'insured.address.line1',
      'insured.address.city',
      'insured.address.state',
      'insured.address.zip',
      'insured.phone',
      'insured.citizenship',
      'insured.heightInches',
      'insured.weightPounds',
      'owner',
      'coverage.carrierCode',
      'coverage.productCode',
      'coverage.productType',
      'coverage.faceAmount',
      'coverage.healthClassApplied',
      'coverage.paymentMode',
      'coverage.paymentMethod',
      'existingCoverage.hasExisting',
      'agentReport.agentId',
    ],
    byProductType: {
      TERM: ['coverage.termYears', 'insured.driversLicense.number', 'financial.annualIncome'],
      UNIVERSAL_LIFE: ['coverage.guaranteeAge', 'financial.annualIncome'],
    },
  },
  financialBands: [
    { minAge: 18, incomeMultiple: 30, netWorthMultiple: 1 },
    { minAge: 41, incomeMultiple: 20, netWorthMultiple: 1 },
    { minAge: 51, incomeMultiple: 15, netWorthMultiple: 1 },
    { minAge: 61, incomeMultiple: 10, netWorthMultiple: 1 },
    { minAge: 66, incomeMultiple: 5, netWorthMultiple: 1 },
  ],
  financialQuestionnaireOver: 1_000_000,
  thirdPartyFinancialsOver: 5_000_000,
  forms: [
    { code: 'APPLICATION_PART_A', formNumber: 'TYP-100', when: 'ALWAYS' },
    { code: 'APPLICATION_PART_B', formNumber: 'TYP-200', when: 'NO_PHONE_INTERVIEW' },
    { code: 'HIPAA_AUTHORIZATION', formNumber: 'TYP-300', when: 'ALWAYS' },
    { code: 'FRAUD_WARNING', formNumber: 'TYP-FW', states: ['TX', 'FL', 'NY'], when: 'ALWAYS' },
    { code: 'REPLACEMENT_NOTICE', formNumber: 'TYP-RN-NY', states: ['NY'], when: 'REPLACEMENT' },
    { code: 'REPLACEMENT_NOTICE', formNumber: 'TYP-RN', states: ['TX', 'FL', 'CA'], when: 'REPLACEMENT' },
    { code: 'CARRIER_REPLACEMENT_FORM', formNumber: 'TYP-400', when: 'REPLACEMENT' },
    { code: 'ILLUSTRATION', formNumber: 'TYP-ILL', when: 'PERMANENT_PRODUCT' },
    { code: 'CONVERSION_PRIVILEGE_NOTICE', formNumber: 'TYP-CNV', productCodes: ['TYP-TERM-PLUS'], when: 'ALWAYS' },
    { code: 'RIDER_DISCLOSURE_WAIVER', formNumber: 'TYP-WP', when: 'ALWAYS', rider: 'WAIVER_OF_PREMIUM' },
  ],
  questions: [
    {
      code: 'HEART',
      text: 'Heart disease or chest pain?',
      followUps: [
        { code: 'DIAGNOSIS', text: 'Diagnosis' },
        { code: 'DIAGNOSED_ON', text: 'When' },
      ],
    },
    { code: 'TOBACCO', text: 'Tobacco or nicotine in the last 5 years?', followUps: [{ code: 'PRODUCT', text: 'Which product' }] },
    { code: 'AVIATION', text: 'Private aviation?', productTypes: ['UNIVERSAL_LIFE'], followUps: [{ code: 'HOURS', text: 'Hours a year' }] },
  ],
  submissionWindowDays: 60,
};

/** A complete TERM application in Texas, insured aged 40 on AS_OF, owner and payor the insured. */
export function completeApplication(): Application {
  return {
    id: 'app-1',
    status: 'DRAFT',
    state: 'TX',
    insured: {
      fullName: 'Avery Example',
      birthDate: '1986-01-10',
      gender: 'FEMALE',
      ssn: '123-45-6789',
      address: { line1: '1 Main St', city: 'Austin', state: 'TX', zip: '78701' },
      phone: '512-555-0100',
      email: 'avery@example.com',
      driversLicense: { number: 'D1234567', state: 'TX' },
      citizenship: 'US_CITIZEN',
      heightInches: 66,
      weightPounds: 140,
    },
    owner: { kind: 'INSURED' },
    beneficiaries: [
      { designation: 'PRIMARY', kind: 'PERSON', fullName: 'Sam Example', relationship: 'SPOUSE', sharePercent: 60 },
      { designation: 'PRIMARY', kind: 'PERSON', fullName: 'Kit Example', relationship: 'CHILD', sharePercent: 40 },
      { designation: 'CONTINGENT', kind: 'ESTATE', fullName: 'Estate of the insured', relationship: 'ESTATE', sharePercent: 100 },
    ],
    coverage: {
      carrierCode: 'TYPICAL',
      productCode: 'TYP-TERM',
      productType: 'TERM',
      faceAmount: 500_000,
      termYears: 20,
      healthClassApplied: 'PREFERRED',
      riders: [],
      paymentMode: 'MONTHLY',
      paymentMethod: 'EFT',
    },
    existingCoverage: { hasExisting: false },
    answers: { HEART: { yes: false }, TOBACCO: { yes: false } },
    financial: { annualIncome: 100_000 },
    agentReport: { agentId: 'agent-1', knowsOfReplacement: false, relatedToInsured: false },
    hipaaAuthorized: true,
    bankAccount: { routingNumber: '011000015', accountNumber: '123456789', accountType: 'CHECKING' },
    signatures: [
      { role: 'INSURED', signedOn: '2026-06-10', state: 'TX' },
      { role: 'AGENT', signedOn: '2026-06-10', state: 'TX' },
    ],
    forms: [{ code: 'APPLICATION_PART_A' }, { code: 'APPLICATION_PART_B' }, { code: 'HIPAA_AUTHORIZATION' }, { code: 'FRAUD_WARNING' }],
  };
}

/** A deep copy with `path` removed (dotted, as missing items name it). */
export function without(application: Application, path: string): Application {
  const copy = structuredClone(application) as Record<string, unknown>;
  const keys = path.split('.');
  let parent: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  delete parent[keys[keys.length - 1] as string];
  return copy as Application;
}
