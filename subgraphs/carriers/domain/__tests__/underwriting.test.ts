import fc from 'fast-check';
import { CARRIERS, carrierByCode } from '../../fixtures/carriers.fixture';
import { generateCarriers } from '../../fixtures/generated-carriers';
import { guidelinesFor, guidelinesFromKnobs } from '../../fixtures/underwriting-guidelines.fixture';
import { type HealthAnswers, type HealthProfile, validateHealthProfile } from '../health-profile';
import {
  buildWithinStandard,
  duiWithinYears,
  estimateUnderwriting,
  hasMajorCondition,
  pricingOf,
  type UnderwritingEstimate,
  type UnderwritingGuidelines,
} from '../underwriting';

const ASOF = '2026-06-15';
const TYPICAL = guidelinesFromKnobs();

function profileOf(answers: HealthAnswers): HealthProfile {
  const { profile, reasons } = validateHealthProfile(answers, ASOF);
  if (!profile) throw new Error(`bad test answers: ${reasons.map((r) => r.field).join(', ')}`);
  return profile;
}

const estimate = (answers: HealthAnswers, guidelines: UnderwritingGuidelines = TYPICAL, issueAge = 40) =>
  estimateUnderwriting(guidelines, profileOf(answers), { issueAge, asOf: ASOF });
const at = (code: string) => {
  const carrier = carrierByCode(code);
  if (!carrier) throw new Error(`no demo carrier ${code}`);
  return guidelinesFor(carrier);
};
/** The estimate in one word: PREFERRED, STANDARD/T2, DECLINE; with "tobacco" when at tobacco rates. */
const outcome = (e: UnderwritingEstimate) =>
  `${e.declined ? 'DECLINE' : `${e.estimatedClass}${e.tableRating ? `/T${e.tableRating}` : ''}`}${e.tobacco ? ' tobacco' : ''}`;
const factors = (e: UnderwritingEstimate) => e.reasons.map((r) => r.factor);
/** A date `months` whole months before ASOF. */
const monthsAgo = (months: number) => {
  const total = 2026 * 12 + 5 - months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-15`;
};

describe('estimateUnderwriting: build', () => {
  it.each([
    [150, 'PREFERRED_PLUS'],
    [190, 'PREFERRED_PLUS'],
    [191, 'PREFERRED'],
    [205, 'PREFERRED'],
    [206, 'STANDARD_PLUS'],
    [215, 'STANDARD_PLUS'],
    [216, 'STANDARD'],
    [240, 'STANDARD'],
    [241, 'STANDARD/T2'],
    [258, 'STANDARD/T2'],
    [259, 'STANDARD/T4'],
    [293, 'STANDARD/T6'],
    [310, 'STANDARD/T8'],
    [311, 'DECLINE'],
  ])('5\'10", %i lb: %s (the typical chart: 190 / 205 / 215 / 240, then tables)', (weightPounds, expected) => {
    expect(outcome(estimate({ heightInches: 70, weightPounds }))).toBe(expected);
  });

  it('scales with height: 6\'2" allows more than 5\'10", 5\'4" less', () => {
    expect(outcome(estimate({ heightInches: 74, weightPounds: 212 }))).toBe('PREFERRED_PLUS');
    expect(outcome(estimate({ heightInches: 74, weightPounds: 213 }))).toBe('PREFERRED');
    expect(outcome(estimate({ heightInches: 64, weightPounds: 190 }))).toBe('STANDARD');
  });

  it("follows each carrier's own chart: stricter at SUMMIT, more lenient at CEDAR", () => {
    const answers = { heightInches: 70, weightPounds: 195 };
    expect(outcome(estimate(answers, at('SUMMIT')))).toBe('PREFERRED');
    expect(outcome(estimate(answers, at('CEDAR')))).toBe('PREFERRED_PLUS');
    expect(outcome(estimate({ heightInches: 70, weightPounds: 245 }, at('CEDAR')))).toBe('STANDARD');
    expect(outcome(estimate({ heightInches: 70, weightPounds: 245 }, at('SUMMIT')))).toBe('STANDARD/T2');
  });

  it('a decline has no class, no table and no flat extra, and says why', () => {
    const e = estimate({ heightInches: 70, weightPounds: 330, avocations: ['SKYDIVING'] });
    expect(e).toMatchObject({ declined: true, estimatedClass: null, tableRating: 0, flatExtraPerThousandCents: 0, flatExtraYears: 0 });
    expect(e.reasons[0]).toEqual({ factor: 'BUILD', message: "Weight above Standard's limit for 5'10\": declined" });
  });

  it("buildWithinStandard: the chart's Standard limit for the height", () => {
    expect(buildWithinStandard(TYPICAL, profileOf({ heightInches: 70, weightPounds: 240 }))).toBe(true);
    expect(buildWithinStandard(TYPICAL, profileOf({ heightInches: 70, weightPounds: 241 }))).toBe(false);
    expect(buildWithinStandard(TYPICAL, profileOf({}))).toBe(true);
  });
});

describe('estimateUnderwriting: blood pressure and cholesterol', () => {
  it.each<[HealthAnswers['bloodPressure'], string]>([
    [{ systolic: 138, diastolic: 88 }, 'PREFERRED_PLUS'],
    [{ systolic: 140, diastolic: 90 }, 'PREFERRED_PLUS'],
    [{ systolic: 138, diastolic: 88, treated: true }, 'PREFERRED'],
    [{ systolic: 145, diastolic: 90 }, 'PREFERRED'],
    [{ systolic: 146, diastolic: 90 }, 'STANDARD_PLUS'],
    [{ systolic: 150, diastolic: 94 }, 'STANDARD'],
    [{ systolic: 156, diastolic: 95 }, 'STANDARD/T2'],
    [{ systolic: 185, diastolic: 100 }, 'DECLINE'],
  ])('typical limits: %j gives %s', (bloodPressure, expected) => {
    expect(outcome(estimate({ bloodPressure }))).toBe(expected);
  });

  it('treated blood pressure: Preferred at most carriers, Preferred Plus at GRANITE', () => {
    const answers = { bloodPressure: { systolic: 132, diastolic: 84, treated: true } };
    const typical = estimate(answers, at('HARBOR'));
    expect(outcome(typical)).toBe('PREFERRED');
    expect(typical.reasons).toEqual([{ factor: 'BLOOD_PRESSURE', message: 'Blood pressure treated with medication: Preferred at best' }]);
    expect(outcome(estimate(answers, at('GRANITE')))).toBe('PREFERRED_PLUS');
  });

  it.each<[HealthAnswers['cholesterol'], string]>([
    [{ total: 240, ratio: 5.0 }, 'PREFERRED_PLUS'],
    [{ total: 241, ratio: 4.0 }, 'PREFERRED'],
    [{ total: 200, ratio: 5.01 }, 'PREFERRED'],
    [{ total: 270, ratio: 6.0 }, 'PREFERRED'],
    [{ total: 290, ratio: 6.0 }, 'STANDARD'],
    [{ total: 300, ratio: 7.5 }, 'STANDARD'],
    [{ total: 301, ratio: 7.0 }, 'STANDARD/T1'],
  ])('cholesterol %j gives %s', (cholesterol, expected) => {
    expect(outcome(estimate({ cholesterol }))).toBe(expected);
  });
});

describe('estimateUnderwriting: nicotine', () => {
  const use = (kind: string, months: number, perYear?: number) => ({ nicotine: [{ kind, lastUsedOn: monthsAgo(months), perYear }] });

  it.each([
    [3, 'PREFERRED tobacco'],
    [11, 'PREFERRED tobacco'],
    [12, 'STANDARD'],
    [24, 'STANDARD_PLUS'],
    [36, 'PREFERRED'],
    [59, 'PREFERRED'],
    [60, 'PREFERRED_PLUS'],
  ])('cigarettes %i months ago: %s (12 months for non-tobacco, 2 / 3 / 5 years clean)', (months, expected) => {
    expect(outcome(estimate(use('CIGARETTE', months)))).toBe(expected);
  });

  it('vaping and chewing count as cigarettes', () => {
    expect(outcome(estimate(use('VAPE', 2)))).toBe('PREFERRED tobacco');
    expect(outcome(estimate(use('CHEW', 30)))).toBe('STANDARD_PLUS');
  });

  it('LANTERN needs three clean years for Preferred Plus where others need five', () => {
    expect(outcome(estimate(use('CIGARETTE', 40), at('LANTERN')))).toBe('PREFERRED_PLUS');
    expect(outcome(estimate(use('CIGARETTE', 40), at('SUMMIT')))).toBe('PREFERRED');
  });

  it('occasional cigars (6 a year): tobacco at SUMMIT, Preferred Plus non-tobacco at HARBOR, Preferred at NORTHWIND', () => {
    const answers = use('CIGAR', 1, 6);
    const summit = estimate(answers, at('SUMMIT'));
    expect(outcome(summit)).toBe('PREFERRED tobacco');
    expect(summit.reasons).toEqual([
      { factor: 'NICOTINE', message: 'Tobacco or nicotine within 1 year, tobacco rates: Preferred at best' },
    ]);
    expect(outcome(estimate(answers, at('HARBOR')))).toBe('PREFERRED_PLUS');
    expect(outcome(estimate(answers, at('NORTHWIND')))).toBe('PREFERRED');
    // Beyond the allowance, or with no count given, cigars are tobacco everywhere.
    expect(outcome(estimate(use('CIGAR', 1, 30), at('HARBOR')))).toBe('PREFERRED tobacco');
    expect(outcome(estimate(use('CIGAR', 1), at('HARBOR')))).toBe('PREFERRED tobacco');
  });

  it('nicotine gum: tobacco at most carriers, non-tobacco Preferred Plus at IRONWOOD', () => {
    expect(outcome(estimate(use('NICOTINE_REPLACEMENT', 2), at('SUMMIT')))).toBe('PREFERRED tobacco');
    expect(outcome(estimate(use('NICOTINE_REPLACEMENT', 2), at('IRONWOOD')))).toBe('PREFERRED_PLUS');
  });

  it('marijuana twice a week: tobacco at most carriers, non-tobacco Preferred at CEDAR', () => {
    expect(outcome(estimate(use('MARIJUANA', 0, 104), at('HARBOR')))).toBe('PREFERRED tobacco');
    expect(outcome(estimate(use('MARIJUANA', 0, 104), at('CEDAR')))).toBe('PREFERRED');
    expect(outcome(estimate(use('MARIJUANA', 0, 300), at('CEDAR')))).toBe('PREFERRED tobacco');
  });

  it('the worst use decides', () => {
    const answers = {
      nicotine: [
        { kind: 'CIGAR', lastUsedOn: monthsAgo(1), perYear: 4 },
        { kind: 'CIGARETTE', lastUsedOn: monthsAgo(30) },
      ],
    };
    expect(outcome(estimate(answers, at('HARBOR')))).toBe('STANDARD_PLUS');
  });
});

describe('estimateUnderwriting: family history and driving', () => {
  const heart = { familyHistory: { heartDiseaseBefore60: true } };
  const cancer = { familyHistory: { cancerBefore60: true } };

  it('a parent or sibling before 60: no Preferred Plus, and no Preferred at SUMMIT; ignored from an age', () => {
    expect(outcome(estimate(heart, at('HARBOR')))).toBe('PREFERRED');
    expect(outcome(estimate(heart, at('SUMMIT')))).toBe('STANDARD_PLUS');
    expect(outcome(estimate(heart, at('HARBOR'), 70))).toBe('PREFERRED_PLUS');
    expect(outcome(estimate(heart, at('BIRCH'), 65))).toBe('PREFERRED_PLUS');
  });

  it('BIRCH counts only heart disease', () => {
    expect(outcome(estimate(cancer, at('HARBOR')))).toBe('PREFERRED');
    expect(outcome(estimate(cancer, at('BIRCH')))).toBe('PREFERRED_PLUS');
  });

  it('a DUI: within 2 years Standard (COPPER declines), within 5 no preferred class, older nothing', () => {
    const dui = (months: number) => ({ dui: [{ kind: 'DUI', occurredOn: monthsAgo(months) }] });
    expect(outcome(estimate(dui(12), at('HARBOR')))).toBe('STANDARD');
    expect(outcome(estimate(dui(12), at('COPPER')))).toBe('DECLINE');
    expect(outcome(estimate(dui(36), at('COPPER')))).toBe('STANDARD_PLUS');
    expect(outcome(estimate(dui(60), at('COPPER')))).toBe('PREFERRED_PLUS');
    expect(outcome(estimate({ dui: [{ kind: 'LICENSE_SUSPENSION', occurredOn: monthsAgo(12) }] }))).toBe('PREFERRED');
    expect(duiWithinYears(profileOf(dui(59)), 5)).toBe(true);
    expect(duiWithinYears(profileOf(dui(60)), 5)).toBe(false);
  });
});

describe('estimateUnderwriting: conditions', () => {
  const condition = (code: string, monthsSinceDiagnosis: number, controlled = true, monthsSinceTreatment?: number) => ({
    conditions: [
      {
        code,
        diagnosedOn: monthsAgo(monthsSinceDiagnosis),
        controlled,
        lastTreatedOn: monthsSinceTreatment === undefined ? null : monthsAgo(monthsSinceTreatment),
      },
    ],
  });

  it('type 2 diabetes diagnosed at 53: Standard Plus at BLUESTEM, Standard at HARBOR; diagnosed at 47, Standard at both', () => {
    expect(outcome(estimate(condition('TYPE_2_DIABETES', 36), at('BLUESTEM'), 56))).toBe('STANDARD_PLUS');
    expect(outcome(estimate(condition('TYPE_2_DIABETES', 36), at('HARBOR'), 56))).toBe('STANDARD');
    expect(outcome(estimate(condition('TYPE_2_DIABETES', 36), at('BLUESTEM'), 50))).toBe('STANDARD');
    expect(outcome(estimate(condition('TYPE_2_DIABETES', 36, false), at('BLUESTEM'), 56))).toBe('STANDARD/T4');
  });

  it('compliant sleep apnea: Preferred, Preferred Plus at LANTERN', () => {
    expect(outcome(estimate(condition('SLEEP_APNEA', 24), at('HARBOR')))).toBe('PREFERRED');
    expect(outcome(estimate(condition('SLEEP_APNEA', 24), at('LANTERN')))).toBe('PREFERRED_PLUS');
  });

  it('cancer by years since the last treatment: declined, then a table, then Standard', () => {
    expect(outcome(estimate(condition('CANCER_BREAST', 30, true, 18)))).toBe('DECLINE');
    expect(outcome(estimate(condition('CANCER_BREAST', 90, true, 30)))).toBe('STANDARD/T4');
    expect(outcome(estimate(condition('CANCER_BREAST', 90, true, 72)))).toBe('STANDARD/T2');
    expect(outcome(estimate(condition('CANCER_BREAST', 130, true, 125)))).toBe('STANDARD');
    expect(outcome(estimate(condition('CANCER_SKIN_MELANOMA', 70), at('HARBOR')))).toBe('STANDARD');
    expect(outcome(estimate(condition('CANCER_SKIN_MELANOMA', 70), at('TIDEWATER')))).toBe('STANDARD_PLUS');
  });

  it("a condition the carrier's guidelines do not list is declined", () => {
    const noConditions = { ...TYPICAL, conditions: {} };
    const e = estimate(condition('ASTHMA', 24), noConditions);
    expect(outcome(e)).toBe('DECLINE');
    expect(e.reasons).toEqual([{ factor: 'CONDITION', message: 'Asthma: declined' }]);
  });

  it('hasMajorCondition: diabetes is, asthma is not', () => {
    expect(hasMajorCondition(profileOf(condition('ASTHMA', 24)))).toBe(false);
    expect(hasMajorCondition(profileOf(condition('TYPE_2_DIABETES', 24)))).toBe(true);
  });
});

describe('estimateUnderwriting: avocations, aviation, travel', () => {
  it("a flat extra per $1,000 for the carrier's years, summed over hazards; the class is untouched", () => {
    const e = estimate({ avocations: ['SKYDIVING', 'SCUBA_OVER_100_FT'] });
    expect(e).toMatchObject({ estimatedClass: 'PREFERRED_PLUS', flatExtraPerThousandCents: 550, flatExtraYears: 10 });
    expect(e.reasons).toEqual([
      { factor: 'AVOCATION', message: 'Scuba diving below 100 feet: flat extra $2.50 per $1,000' },
      { factor: 'AVOCATION', message: 'Skydiving: flat extra $3.00 per $1,000' },
    ]);
  });

  it('BIRCH excludes deep diving by rider instead of charging', () => {
    const e = estimate({ avocations: ['SCUBA_OVER_100_FT'] }, at('BIRCH'));
    expect(e).toMatchObject({ estimatedClass: 'PREFERRED_PLUS', flatExtraPerThousandCents: 0, flatExtraYears: 0 });
    expect(e.reasons).toEqual([{ factor: 'AVOCATION', message: 'Scuba diving below 100 feet: excluded from coverage by rider' }]);
  });

  it('BASE jumping is declined', () => {
    expect(outcome(estimate({ avocations: ['BASE_JUMPING'] }))).toBe('DECLINE');
  });

  it('private pilots: $2.50 under 100 hours, nothing at NORTHWIND; student pilots $5.00', () => {
    expect(estimate({ aviation: { hoursPerYear: 60 } }, at('HARBOR')).flatExtraPerThousandCents).toBe(250);
    expect(estimate({ aviation: { hoursPerYear: 60 } }, at('NORTHWIND')).flatExtraPerThousandCents).toBe(0);
    expect(estimate({ aviation: { hoursPerYear: 150 } }, at('NORTHWIND')).flatExtraPerThousandCents).toBe(250);
    expect(estimate({ aviation: { hoursPerYear: 20, studentPilot: true } }, at('HARBOR')).flatExtraPerThousandCents).toBe(500);
  });

  it('high-risk travel: declined at most carriers, a flat extra at PRAIRIE', () => {
    expect(outcome(estimate({ foreignTravel: true }, at('HARBOR')))).toBe('DECLINE');
    expect(estimate({ foreignTravel: true }, at('PRAIRIE'))).toMatchObject({
      estimatedClass: 'PREFERRED_PLUS',
      flatExtraPerThousandCents: 500,
    });
  });
});

describe('estimateUnderwriting: reasons', () => {
  it('a clean profile gets Preferred Plus with no reason', () => {
    expect(estimate({ heightInches: 70, weightPounds: 170 })).toEqual({
      tobacco: false,
      estimatedClass: 'PREFERRED_PLUS',
      tableRating: 0,
      flatExtraPerThousandCents: 0,
      flatExtraYears: 0,
      declined: false,
      reasons: [],
    });
  });

  it('names each guideline that excluded a better class, the deciding one first, with what it allows', () => {
    const e = estimate({
      heightInches: 70,
      weightPounds: 207,
      nicotine: [{ kind: 'CIGARETTE', lastUsedOn: monthsAgo(40) }],
      familyHistory: { heartDiseaseBefore60: true },
    });
    expect(outcome(e)).toBe('STANDARD_PLUS');
    expect(e.reasons).toEqual([
      { factor: 'BUILD', message: "Weight above the best classes' limits for 5'10\": Standard Plus at best" },
      { factor: 'NICOTINE', message: 'Nicotine within the 5 years Preferred Plus needs clean: Preferred at best' },
      { factor: 'FAMILY_HISTORY', message: 'A parent or sibling died of heart disease or cancer before 60: Preferred at best' },
    ]);
  });

  it('never repeats an answer: no weight, pressure, date or count in a message', () => {
    const e = estimate({
      heightInches: 70,
      weightPounds: 287,
      bloodPressure: { systolic: 163, diastolic: 97, treated: true },
      cholesterol: { total: 277, ratio: 6.3 },
      nicotine: [{ kind: 'CIGAR', lastUsedOn: '2025-11-17', perYear: 17 }],
      conditions: [{ code: 'TYPE_2_DIABETES', diagnosedOn: '2019-07-23', controlled: true }],
      dui: [{ kind: 'DUI', occurredOn: '2023-03-29' }],
    });
    const text = e.reasons.map((r) => r.message).join('\n');
    for (const answer of ['287', '163', '97', '277', '6.3', '17', '2025', '2019', '2023', '-11-', '-07-', '-03-'])
      expect(text).not.toContain(answer);
    expect(factors(e)).toEqual(expect.arrayContaining(['BUILD', 'BLOOD_PRESSURE', 'CHOLESTEROL', 'NICOTINE', 'CONDITION', 'DRIVING']));
  });
});

describe('pricingOf', () => {
  it('prices the estimated class, tobacco, table and flat extra; the flat extra stops with the term', () => {
    const e = estimate({
      heightInches: 70,
      weightPounds: 250,
      nicotine: [{ kind: 'CIGARETTE', lastUsedOn: monthsAgo(2) }],
      avocations: ['SKYDIVING'],
    });
    expect(pricingOf(e)).toEqual({
      healthClass: 'STANDARD',
      tobacco: true,
      tableRating: 2,
      flatExtraPerThousandCents: 300,
      flatExtraYears: 10,
    });
    expect(pricingOf(e, 20)?.flatExtraYears).toBe(10);
    expect(pricingOf(e, 5)?.flatExtraYears).toBe(5);
    expect(pricingOf(estimate({}))).toEqual({
      healthClass: 'PREFERRED_PLUS',
      tobacco: false,
      tableRating: 0,
      flatExtraPerThousandCents: 0,
      flatExtraYears: 0,
    });
  });

  it('a decline prices nothing', () => {
    expect(pricingOf(estimate({ avocations: ['BASE_JUMPING'] }))).toBeNull();
  });
});

describe('estimateUnderwriting: properties', () => {
  const rank = (e: UnderwritingEstimate) =>
    e.declined ? 12 : ['PREFERRED_PLUS', 'PREFERRED', 'STANDARD_PLUS', 'STANDARD'].indexOf(e.estimatedClass as string) + e.tableRating;
  const carriers = [...CARRIERS, ...generateCarriers(8)];

  it('more weight never gives a better class, at any carrier', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...carriers),
        fc.integer({ min: 48, max: 96 }),
        fc.integer({ min: 70, max: 690 }),
        fc.integer({ min: 0, max: 100 }),
        (carrier, heightInches, weightPounds, more) => {
          const g = guidelinesFor(carrier);
          const lighter = estimate({ heightInches, weightPounds }, g);
          const heavier = estimate({ heightInches, weightPounds: Math.min(700, weightPounds + more) }, g);
          expect(rank(heavier)).toBeGreaterThanOrEqual(rank(lighter));
        },
      ),
    );
  });

  it('one more answer never gives a better class: the estimate is the worst of the guidelines met', () => {
    const extras: HealthAnswers[] = [
      { bloodPressure: { systolic: 150, diastolic: 92 } },
      { nicotine: [{ kind: 'CIGARETTE', lastUsedOn: monthsAgo(30) }] },
      { familyHistory: { heartDiseaseBefore60: true } },
      { dui: [{ occurredOn: monthsAgo(30) }] },
      { conditions: [{ code: 'ASTHMA', diagnosedOn: monthsAgo(30), controlled: true }] },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...carriers),
        fc.integer({ min: 150, max: 320 }),
        fc.constantFrom(...extras),
        (carrier, weight, extra) => {
          const g = guidelinesFor(carrier);
          const base = estimate({ heightInches: 70, weightPounds: weight }, g);
          const more = estimate({ heightInches: 70, weightPounds: weight, ...extra }, g);
          expect(rank(more)).toBeGreaterThanOrEqual(rank(base));
        },
      ),
    );
  });
});
