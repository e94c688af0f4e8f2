import fc from 'fast-check';
import {
  CONDITION_CODES,
  finalExpenseSeverity,
  type HealthAnswers,
  healthProfileHash,
  validateHealthProfile,
  wholeMonthsBefore,
} from '../health-profile';

const ASOF = '2026-06-15';

/** A profile that exercises every part of the answers. */
const full: HealthAnswers = {
  heightInches: 70,
  weightPounds: 183,
  bloodPressure: { systolic: 128, diastolic: 82, treated: false },
  cholesterol: { total: 205, ratio: 4.2, treated: false },
  nicotine: [
    { kind: 'CIGAR', lastUsedOn: '2026-05-01', perYear: 6 },
    { kind: 'CIGARETTE', lastUsedOn: '2019-03-10' },
  ],
  familyHistory: { heartDiseaseBefore60: true, cancerBefore60: false },
  conditions: [{ code: 'SLEEP_APNEA', diagnosedOn: '2021-09-02', controlled: true }],
  dui: [{ kind: 'DUI', occurredOn: '2018-11-20' }],
  avocations: ['SKYDIVING', 'SCUBA_OVER_100_FT'],
  aviation: { hoursPerYear: 40, studentPilot: false },
  foreignTravel: false,
};

const valid = (answers: HealthAnswers) => {
  const { profile, reasons } = validateHealthProfile(answers, ASOF);
  expect(reasons).toEqual([]);
  if (!profile) throw new Error('expected a profile');
  return profile;
};
const refused = (answers: HealthAnswers) => validateHealthProfile(answers, ASOF).reasons.map((r) => r.field);

describe('wholeMonthsBefore', () => {
  it('counts completed months, a day short is one month fewer, a later date is -1', () => {
    expect(wholeMonthsBefore('2026-06-15', ASOF)).toBe(0);
    expect(wholeMonthsBefore('2026-05-15', ASOF)).toBe(1);
    expect(wholeMonthsBefore('2026-05-16', ASOF)).toBe(0);
    expect(wholeMonthsBefore('2021-06-15', ASOF)).toBe(60);
    expect(wholeMonthsBefore('2021-06-16', ASOF)).toBe(59);
    expect(wholeMonthsBefore('2026-06-16', ASOF)).toBe(-1);
  });
});

describe('validateHealthProfile', () => {
  it('normalizes dates to whole months before asOf and lists to one order', () => {
    const profile = valid(full);
    expect(profile.build).toEqual({ heightInches: 70, weightPounds: 183 });
    expect(profile.cholesterol).toEqual({ total: 205, ratioHundredths: 420, treated: false });
    expect(profile.nicotine).toEqual([
      { kind: 'CIGAR', monthsSince: 1, perYear: 6 },
      { kind: 'CIGARETTE', monthsSince: 87, perYear: null },
    ]);
    expect(profile.conditions).toEqual([{ code: 'SLEEP_APNEA', monthsSinceDiagnosis: 57, monthsSinceTreatment: 57, controlled: true }]);
    expect(profile.driving).toEqual([{ kind: 'DUI', monthsSince: 90 }]);
    expect(profile.avocations).toEqual(['SCUBA_OVER_100_FT', 'SKYDIVING']);
    expect(JSON.stringify(profile)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('takes an empty profile: nothing answered is nothing known', () => {
    const profile = valid({});
    expect(profile).toMatchObject({ build: null, bloodPressure: null, nicotine: [], conditions: [], foreignTravel: false });
  });

  it.each<[string, HealthAnswers]>([
    ['health.heightInches', { heightInches: 30, weightPounds: 180 }],
    ['health.heightInches', { heightInches: 110, weightPounds: 180 }],
    ['health.heightInches', { heightInches: 70.5, weightPounds: 180 }],
    ['health.weightPounds', { heightInches: 70, weightPounds: 5 }],
    ['health.weightPounds', { heightInches: 70, weightPounds: 1200 }],
    ['health.weightPounds', { heightInches: 70 }],
    ['health.heightInches', { weightPounds: 180 }],
    ['health.bloodPressure.systolic', { bloodPressure: { systolic: 400, diastolic: 80 } }],
    ['health.bloodPressure.diastolic', { bloodPressure: { systolic: 120, diastolic: 20 } }],
    ['health.bloodPressure.diastolic', { bloodPressure: { systolic: 120, diastolic: 130 } }],
    ['health.cholesterol.total', { cholesterol: { total: 20, ratio: 4 } }],
    ['health.cholesterol.ratio', { cholesterol: { total: 200, ratio: 40 } }],
    ['health.nicotine[0].lastUsedOn', { nicotine: [{ kind: 'CIGARETTE', lastUsedOn: '2026-06-16' }] }],
    ['health.nicotine[0].lastUsedOn', { nicotine: [{ kind: 'CIGARETTE', lastUsedOn: '2026-02-30' }] }],
    ['health.nicotine[0].kind', { nicotine: [{ kind: 'PIPE', lastUsedOn: '2020-01-01' }] }],
    ['health.nicotine[0].perYear', { nicotine: [{ kind: 'CIGAR', lastUsedOn: '2020-01-01', perYear: -1 }] }],
    ['health.conditions[0].code', { conditions: [{ code: 'GOUT', diagnosedOn: '2020-01-01' }] }],
    ['health.conditions[0].diagnosedOn', { conditions: [{ code: 'ASTHMA', diagnosedOn: '2027-01-01' }] }],
    [
      'health.conditions[0].lastTreatedOn',
      { conditions: [{ code: 'CANCER_BREAST', diagnosedOn: '2020-01-01', lastTreatedOn: '2030-01-01' }] },
    ],
    [
      'health.conditions[0].lastTreatedOn',
      { conditions: [{ code: 'CANCER_BREAST', diagnosedOn: '2020-01-01', lastTreatedOn: '2019-01-01' }] },
    ],
    ['health.dui[0].occurredOn', { dui: [{ occurredOn: '2026-12-01' }] }],
    ['health.dui[0].kind', { dui: [{ kind: 'SPEEDING', occurredOn: '2020-12-01' }] }],
    ['health.avocations[1]', { avocations: ['SKYDIVING', 'KNITTING'] }],
    ['health.aviation.hoursPerYear', { aviation: { hoursPerYear: 9000 } }],
  ])('refuses %s and names it', (field, answers) => {
    expect(refused(answers)).toEqual([field]);
    expect(validateHealthProfile(answers, ASOF).profile).toBeNull();
  });

  it('names every refused field at once, in the answers order', () => {
    expect(refused({ heightInches: 20, weightPounds: 2000, conditions: [{ code: 'NOPE', diagnosedOn: '2030-01-01' }] })).toEqual([
      'health.heightInches',
      'health.weightPounds',
      'health.conditions[0].code',
      'health.conditions[0].diagnosedOn',
    ]);
  });

  it('never echoes a refused value in its message', () => {
    const { reasons } = validateHealthProfile(
      {
        heightInches: 71,
        weightPounds: 987,
        bloodPressure: { systolic: 333, diastolic: 77 },
        nicotine: [{ kind: 'CIGARETTE', lastUsedOn: '2031-04-27' }],
        conditions: [{ code: 'SECRET_DIAGNOSIS', diagnosedOn: '2029-08-13' }],
      },
      ASOF,
    );
    const text = reasons.map((r) => r.message).join('\n');
    for (const secret of ['987', '333', '2031', '04-27', 'SECRET_DIAGNOSIS', '2029', '08-13']) expect(text).not.toContain(secret);
    expect(reasons.every((r) => r.message.startsWith(`${r.field}: `))).toBe(true);
  });
});

describe('healthProfileHash', () => {
  it('is equal for equal profiles given in another order or on the same months', () => {
    const reordered: HealthAnswers = {
      ...full,
      nicotine: [...(full.nicotine ?? [])].reverse(),
      avocations: ['SCUBA_OVER_100_FT', 'SKYDIVING', 'SKYDIVING'],
      // Same whole months before asOf: the hash keeps months, not the day.
      conditions: [{ code: 'SLEEP_APNEA', diagnosedOn: '2021-09-10', controlled: true }],
    };
    expect(healthProfileHash(valid(reordered))).toBe(healthProfileHash(valid(full)));
    expect(healthProfileHash(valid(full))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when any answer differs', () => {
    const base = healthProfileHash(valid(full));
    const variants: HealthAnswers[] = [
      { ...full, weightPounds: 184 },
      { ...full, bloodPressure: { systolic: 128, diastolic: 82, treated: true } },
      { ...full, cholesterol: { total: 205, ratio: 4.3 } },
      { ...full, nicotine: [] },
      { ...full, familyHistory: { heartDiseaseBefore60: false, cancerBefore60: false } },
      { ...full, conditions: [{ code: 'SLEEP_APNEA', diagnosedOn: '2021-09-02', controlled: false }] },
      { ...full, dui: [] },
      { ...full, avocations: ['SKYDIVING'] },
      { ...full, aviation: null },
      { ...full, foreignTravel: true },
    ];
    const hashes = variants.map((v) => healthProfileHash(valid(v)));
    expect(new Set([base, ...hashes]).size).toBe(variants.length + 1);
  });

  it('property: holds no date and no answer verbatim', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 400 }),
        fc.date({ min: new Date('1990-01-01'), max: new Date('2026-06-15'), noInvalidDate: true }),
        (weight, date) => {
          const day = date.toISOString().slice(0, 10);
          const profile = valid({ heightInches: 70, weightPounds: weight, conditions: [{ code: 'ASTHMA', diagnosedOn: day }] });
          const hash = healthProfileHash(profile);
          expect(hash).toMatch(/^[0-9a-f]{64}$/);
          expect(JSON.stringify(profile)).not.toContain(day);
          expect(hash).not.toContain(day.replaceAll('-', ''));
        },
      ),
    );
  });
});

describe('finalExpenseSeverity', () => {
  const withConditions = (...codes: string[]) =>
    valid({ conditions: codes.map((code) => ({ code, diagnosedOn: '2020-01-01', controlled: true })) });

  it('is the worst condition', () => {
    expect(finalExpenseSeverity(withConditions())).toBe('NONE');
    expect(finalExpenseSeverity(withConditions('ASTHMA'))).toBe('NONE');
    expect(finalExpenseSeverity(withConditions('ASTHMA', 'TYPE_2_DIABETES'))).toBe('MODERATE');
    expect(finalExpenseSeverity(withConditions('TYPE_2_DIABETES', 'STROKE', 'ASTHMA'))).toBe('SEVERE');
    expect(finalExpenseSeverity(withConditions('STROKE', 'KIDNEY_DISEASE'))).toBe('KNOCK_OUT');
  });

  it('has about fifteen coded conditions', () => {
    expect(CONDITION_CODES.length).toBeGreaterThanOrEqual(15);
  });
});
