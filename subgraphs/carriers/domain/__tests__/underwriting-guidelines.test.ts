import { CARRIERS } from '../../fixtures/carriers.fixture';
import { generateCarriers } from '../../fixtures/generated-carriers';
import { guidelinesFor, guidelinesFromKnobs } from '../../fixtures/underwriting-guidelines.fixture';
import { readUnderwritingGuidelines } from '../underwriting-guidelines';

/** Stored form: what the catalog gives back. */
const stored = () => JSON.parse(JSON.stringify(guidelinesFromKnobs()));

describe('readUnderwritingGuidelines', () => {
  it("reads back every simulated carrier's guidelines as they were stored", () => {
    for (const carrier of [...CARRIERS, ...generateCarriers(20)]) {
      const guidelines = guidelinesFor(carrier);
      expect(readUnderwritingGuidelines(JSON.parse(JSON.stringify(guidelines)))).toEqual(guidelines);
    }
  });

  it.each<[string, (g: ReturnType<typeof stored>) => void, string]>([
    ['not an object', (g) => (g.build = 'chart'), 'build must be an object'],
    ['a class without rows', (g) => (g.build.maxWeight.PREFERRED = []), 'build.maxWeight.PREFERRED must have 23 rows'],
    ['a looser better class', (g) => (g.build.maxWeight.PREFERRED_PLUS[12] = 300), 'build row 12 must allow more weight'],
    ['a table band under Standard', (g) => (g.build.tables[0].maxWeight[0] = 100), 'build row 0 must allow more weight'],
    ['a table beyond 8', (g) => (g.build.tables[3].table = 9), 'build.tables[3].table must be an integer from 1 to 8'],
    ['a stricter Standard', (g) => (g.bloodPressure.limits.STANDARD.systolic = 120), 'bloodPressure.limits.STANDARD.systolic is stricter'],
    ['an unknown outcome', (g) => (g.cholesterol.aboveStandard = 'MAYBE'), 'cholesterol.aboveStandard must be one of'],
    ['an unknown condition', (g) => (g.conditions.GOUT = g.conditions.ASTHMA), 'conditions.GOUT is not a known condition code'],
    [
      'a bad condition rule',
      (g) => (g.conditions.ASTHMA.afterYears = [{ years: -1, outcome: 'STANDARD' }]),
      'conditions.ASTHMA.afterYears[0].years',
    ],
    ['an unknown avocation', (g) => (g.avocations.KNITTING = 'DECLINE'), 'avocations.KNITTING is not a known avocation code'],
    ['a bad flat extra', (g) => (g.foreignTravel = { flatExtraPerThousandCents: 2.5 }), 'foreignTravel.flatExtraPerThousandCents'],
    [
      'a missing knob',
      (g) => delete g.nicotine.nicotineReplacementIsTobacco,
      'nicotine.nicotineReplacementIsTobacco must be true or false',
    ],
  ])('refuses %s, naming its path', (_what, spoil, message) => {
    const g = stored();
    spoil(g);
    expect(() => readUnderwritingGuidelines(g)).toThrow(message);
  });
});
