import fc from 'fast-check';
import { REQUIREMENT_CODES } from '../../../shared/vocabulary';
import { acceleratedRules, requirementGrid, TYPICAL, type GridParameters } from '../../fixtures/requirement-grids.fixture';
import {
  acceleratedEligibility,
  expectedRequirements,
  quoteRequirements,
  type AcceleratedRules,
  type HealthFacts,
  type RequirementGrid,
} from '../requirements-grid';

// docs/domain.md's typical grid and program: 18–60, up to $1,000,000, no DUI in 5 years.
const GRID = requirementGrid(TYPICAL);
const RULES = acceleratedRules(TYPICAL);
const CLEAN: HealthFacts = { majorCondition: false, buildWithinStandard: true, duiYearsAgo: null };

const full = (issueAge: number, faceAmount: number, treated = false) =>
  expectedRequirements(GRID, { issueAge, faceAmount, accelerated: false, treated });
const accelerated = (issueAge: number, faceAmount: number) => expectedRequirements(GRID, { issueAge, faceAmount, accelerated: true });

describe('expectedRequirements: the typical grid at its age and amount boundaries', () => {
  it('always orders MIB, Rx check and MVR, sorted', () => {
    expect(accelerated(30, 250_000)).toEqual(['MIB', 'MVR', 'RX_CHECK']);
  });

  it('ages 18–40: paramed and blood/urine at any amount, none when accelerated-eligible', () => {
    expect(full(18, 100_000)).toEqual(['BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK']);
    expect(full(40, 1_000_000)).toEqual(['BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK']);
    expect(accelerated(40, 1_000_000)).toEqual(['MIB', 'MVR', 'RX_CHECK']);
  });

  it('over $3,000,000 adds the inspection report and financial questionnaire (3,000,000 itself is not over)', () => {
    expect(full(35, 3_000_000)).not.toContain('INSPECTION_REPORT');
    expect(full(35, 3_000_001)).toEqual([
      'BLOOD_URINE',
      'FINANCIAL_QUESTIONNAIRE',
      'INSPECTION_REPORT',
      'MIB',
      'MVR',
      'PARAMED_EXAM',
      'RX_CHECK',
    ]);
    expect(full(55, 3_000_001)).toContain('FINANCIAL_QUESTIONNAIRE');
  });

  it('ages 41–50: no exam up to $250,000, paramed and fluids over it; APS over $1,000,000 only if treated', () => {
    expect(full(41, 250_000)).toEqual(['MIB', 'MVR', 'RX_CHECK']);
    expect(full(41, 250_001)).toEqual(['BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK']);
    expect(full(50, 250_001)).toContain('PARAMED_EXAM');
    expect(full(50, 1_000_000, true)).not.toContain('APS');
    expect(full(50, 1_000_001, true)).toContain('APS');
    expect(full(50, 1_000_001, false)).not.toContain('APS');
    // Age 40 at a small amount still has its exam: the 41–50 threshold starts at 41.
    expect(full(40, 200_000)).toContain('PARAMED_EXAM');
  });

  it('ages 51–60: paramed and fluids over $100,000, APS over $1,000,000, EKG over $2,000,000', () => {
    expect(full(51, 100_000)).toEqual(['MIB', 'MVR', 'RX_CHECK']);
    expect(full(51, 100_001)).toEqual(['BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK']);
    expect(full(60, 1_000_000)).not.toContain('APS');
    expect(full(60, 1_000_001)).toEqual(['APS', 'BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK']);
    expect(full(60, 2_000_000)).not.toContain('EKG');
    expect(full(60, 2_000_001)).toEqual(['APS', 'BLOOD_URINE', 'EKG', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK']);
    // Accelerated drops the exam, the fluids and the EKG taken at the exam; never the APS.
    expect(accelerated(60, 2_000_001)).toEqual(['APS', 'MIB', 'MVR', 'RX_CHECK']);
  });

  it('ages 61+: APS over $250,000, cognitive screen from 70', () => {
    expect(full(61, 250_000)).toEqual(['BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK']);
    expect(full(61, 250_001)).toContain('APS');
    expect(full(69, 50_000)).toEqual(['MIB', 'MVR', 'RX_CHECK']);
    expect(full(70, 50_000)).toEqual(['COGNITIVE_SCREEN', 'MIB', 'MVR', 'RX_CHECK']);
    expect(full(85, 500_000)).toEqual(['APS', 'BLOOD_URINE', 'COGNITIVE_SCREEN', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK']);
  });
});

describe('acceleratedEligibility at its boundaries', () => {
  it('takes ages 18 to 60 and faces up to $1,000,000, inclusive', () => {
    for (const [age, face] of [
      [18, 1_000_000],
      [60, 1_000_000],
      [60, 1],
    ])
      expect(acceleratedEligibility(RULES, { issueAge: age, faceAmount: face })).toEqual({ eligible: true, reasons: [] });
    expect(acceleratedEligibility(RULES, { issueAge: 17, faceAmount: 500_000 })).toEqual({
      eligible: false,
      reasons: ["issue age 17 is under the accelerated program's minimum of 18"],
    });
    expect(acceleratedEligibility(RULES, { issueAge: 61, faceAmount: 500_000 })).toEqual({
      eligible: false,
      reasons: ["issue age 61 is over the accelerated program's maximum of 60"],
    });
    expect(acceleratedEligibility(RULES, { issueAge: 45, faceAmount: 1_000_001 })).toEqual({
      eligible: false,
      reasons: ["face amount $1,000,001 is over the accelerated program's maximum of $1,000,000"],
    });
  });

  it('a program to 50 and $3,000,000 moves both boundaries', () => {
    const rules = acceleratedRules({ ...TYPICAL, accelerated: { maxAge: 50, maxFace: 3_000_000, noDuiWithinYears: 5 } });
    expect(acceleratedEligibility(rules, { issueAge: 50, faceAmount: 3_000_000 }).eligible).toBe(true);
    expect(acceleratedEligibility(rules, { issueAge: 51, faceAmount: 3_000_000 }).eligible).toBe(false);
    expect(acceleratedEligibility(rules, { issueAge: 50, faceAmount: 3_000_001 }).eligible).toBe(false);
  });

  it('with health facts: no major condition, build within Standard, no DUI within 5 years (5 years ago is fine)', () => {
    const at = (health: Partial<HealthFacts>) =>
      acceleratedEligibility(RULES, { issueAge: 40, faceAmount: 500_000, health: { ...CLEAN, ...health } });
    expect(at({})).toEqual({ eligible: true, reasons: [] });
    expect(at({ duiYearsAgo: 5 }).eligible).toBe(true);
    expect(at({ duiYearsAgo: 4 })).toEqual({ eligible: false, reasons: ['a DUI within 5 years needs full underwriting'] });
    expect(at({ majorCondition: true })).toEqual({ eligible: false, reasons: ['a major condition needs full underwriting'] });
    expect(at({ buildWithinStandard: false })).toEqual({ eligible: false, reasons: ['build outside Standard needs full underwriting'] });
  });

  it('lists every reason at once, and never names a health fact it was not given', () => {
    const verdict = acceleratedEligibility(RULES, {
      issueAge: 61,
      faceAmount: 2_000_000,
      health: { majorCondition: true, buildWithinStandard: false, duiYearsAgo: 1 },
    });
    expect(verdict.reasons).toHaveLength(5);
    expect(acceleratedEligibility(RULES, { issueAge: 61, faceAmount: 2_000_000 }).reasons).toHaveLength(2);
  });
});

describe('quoteRequirements', () => {
  const UNDERWRITING = { requirementGrid: GRID, acceleratedRules: RULES };

  it('a 35-year-old at $1,000,000 is accelerated: no exam; at $1,000,001 the exam is back', () => {
    expect(quoteRequirements(UNDERWRITING, { issueAge: 35, faceAmount: 1_000_000, productType: 'TERM' })).toEqual({
      expectedRequirements: ['MIB', 'MVR', 'RX_CHECK'],
      acceleratedUnderwriting: true,
      acceleratedReasons: [],
    });
    expect(quoteRequirements(UNDERWRITING, { issueAge: 35, faceAmount: 1_000_001, productType: 'TERM' })).toMatchObject({
      expectedRequirements: ['BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK'],
      acceleratedUnderwriting: false,
    });
  });

  it('a major condition sends an otherwise eligible case to the exam', () => {
    const health = { ...CLEAN, majorCondition: true };
    expect(quoteRequirements(UNDERWRITING, { issueAge: 35, faceAmount: 500_000, productType: 'TERM', health })).toEqual({
      expectedRequirements: ['BLOOD_URINE', 'MIB', 'MVR', 'PARAMED_EXAM', 'RX_CHECK'],
      acceleratedUnderwriting: false,
      acceleratedReasons: ['a major condition needs full underwriting'],
    });
  });

  it('simplified issue and final expense: database checks only at any age and amount, never accelerated', () => {
    for (const input of [{ productType: 'FINAL_EXPENSE' as const }, { productType: 'TERM' as const, fullyUnderwritten: false }]) {
      expect(quoteRequirements(UNDERWRITING, { ...input, issueAge: 75, faceAmount: 25_000 })).toEqual({
        expectedRequirements: ['MIB', 'MVR', 'RX_CHECK'],
        acceleratedUnderwriting: false,
        acceleratedReasons: ['simplified issue: the product asks no exam and no fluids at any age'],
      });
    }
  });

  it('a carrier without a grid answers an empty list, not accelerated, and says why', () => {
    expect(quoteRequirements(undefined, { issueAge: 35, faceAmount: 500_000, productType: 'TERM' })).toEqual({
      expectedRequirements: [],
      acceleratedUnderwriting: false,
      acceleratedReasons: ['the catalog has no requirements grid for this carrier'],
    });
  });
});

describe('properties of any grid', () => {
  const code = fc.constantFrom(...REQUIREMENT_CODES);
  const band = fc.record({
    minAge: fc.integer({ min: 0, max: 90 }),
    span: fc.integer({ min: 0, max: 40 }),
    overFace: fc.integer({ min: 0, max: 5_000_000 }),
    codes: fc.array(code, { minLength: 1, maxLength: 3 }),
    waivedWhenAccelerated: fc.boolean(),
    ifTreated: fc.boolean(),
  });
  const grid: fc.Arbitrary<RequirementGrid> = fc.record({
    always: fc.array(code, { maxLength: 4 }),
    bands: fc.array(band, { maxLength: 8 }).map((bands) => bands.map(({ span, ...b }) => ({ ...b, maxAge: b.minAge + span }))),
    simplifiedIssue: fc.array(code, { maxLength: 3 }),
  });
  const age = fc.integer({ min: 0, max: 120 });
  const face = fc.integer({ min: 1, max: 10_000_000 });

  it('answers sorted unique codes that include every "always" code', () => {
    fc.assert(
      fc.property(grid, age, face, fc.boolean(), fc.boolean(), (g, issueAge, faceAmount, acc, treated) => {
        const codes = expectedRequirements(g, { issueAge, faceAmount, accelerated: acc, treated });
        expect(codes).toEqual([...new Set(codes)].sort());
        for (const c of g.always) expect(codes).toContain(c);
      }),
    );
  });

  it('never asks less for more: a larger face, a treated insured or a lost accelerated verdict only add codes', () => {
    fc.assert(
      fc.property(grid, age, face, face, fc.boolean(), (g, issueAge, a, b, treated) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const small = expectedRequirements(g, { issueAge, faceAmount: low, accelerated: false, treated });
        const large = expectedRequirements(g, { issueAge, faceAmount: high, accelerated: false, treated });
        for (const c of small) expect(large).toContain(c);
        const plain = expectedRequirements(g, { issueAge, faceAmount: low, accelerated: false, treated: false });
        for (const c of plain) expect(small).toContain(c);
        const acc = expectedRequirements(g, { issueAge, faceAmount: low, accelerated: true, treated });
        for (const c of acc) expect(small).toContain(c);
      }),
    );
  });

  it('accelerated eligibility shrinks with age over the maximum and face over the maximum', () => {
    const rules: fc.Arbitrary<AcceleratedRules> = fc.record({
      minAge: fc.integer({ min: 0, max: 30 }),
      maxAge: fc.integer({ min: 40, max: 70 }),
      maxFace: fc.integer({ min: 100_000, max: 5_000_000 }),
      noMajorCondition: fc.constant(true),
      buildWithinStandard: fc.constant(true),
      noDuiWithinYears: fc.option(fc.integer({ min: 1, max: 10 })),
      rxAndMibCleanAssumed: fc.constant(true),
    });
    fc.assert(
      fc.property(rules, age, face, (r, issueAge, faceAmount) => {
        const eligible = acceleratedEligibility(r, { issueAge, faceAmount }).eligible;
        expect(eligible).toBe(issueAge >= r.minAge && issueAge <= r.maxAge && faceAmount <= r.maxFace);
      }),
    );
  });
});

it('the typical parameters are the docs/domain.md numbers', () => {
  const expected: Partial<GridParameters> = {
    examOverAt41: 250_000,
    examOverAt51: 100_000,
    inspectionOver: 3_000_000,
    cognitiveFromAge: 70,
  };
  expect(TYPICAL).toMatchObject(expected);
});
