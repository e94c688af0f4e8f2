/**
 * Adding a carrier of a known protocol is configuration and catalog data, with no source change: a
 * thirteenth carrier (REST/OAuth2), simulated like the twelve, is added to the file's database (each test file has its own) by
 * two catalog rows and reached through CARRIER_QUARRY_* variables alone. compareQuotes through the
 * gateway then asks it once and shows the premium its simulator priced, to the cent.
 */
import type pg from 'pg';
import { priceQuote } from '../../simulators/underwriting';
import { CARRIERS, type CarrierFixture } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { acceleratedRules, requirementGrid, TYPICAL } from '../../subgraphs/carriers/fixtures/requirement-grids.fixture';
import { centsToMoney } from '../../platform/scalars';
import { graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { testPool } from '../support/test-pool';

/** The new carrier as its own system knows it: the simulator's data, never read by the carriers subgraph. */
const QUARRY: CarrierFixture = {
  id: 'car_quarry_hill',
  code: 'QUARRY',
  name: 'Quarry Hill Life',
  naicCode: '99876',
  amBestRating: 'A',
  ageBasis: 'LAST',
  protocol: 'REST',
  policyFeeCents: 6_500,
  modalFactors: { SEMI_ANNUAL: 0.52, QUARTERLY: 0.265, MONTHLY: 0.0885 },
  classNames: { PREFERRED_PLUS: 'Granite', PREFERRED: 'Marble', STANDARD_PLUS: 'Slate', STANDARD: 'Sandstone' },
  faceBands: [0, 250_000, 1_000_000],
  rateCurve: {
    baseRate35: 600,
    youngGrowthPermille: 50,
    oldGrowthPermille: 76,
    pivotAge: 45,
    femalePercent: 85,
    tobaccoPercent: 300,
    classPercents: { PREFERRED_PLUS: 86, PREFERRED: 100, STANDARD_PLUS: 122, STANDARD: 150 },
    termPercents: { 10: 68, 15: 82, 20: 100, 25: 135, 30: 160 },
    bandPercents: [115, 100, 92],
  },
  preAppointmentStates: [],
  products: [
    {
      id: 'prd_quarry_hill_term',
      carrierId: 'car_quarry_hill',
      code: 'QHL-TERM',
      name: 'Quarry Hill Term',
      type: 'TERM',
      terms: [
        { years: 10, minIssueAge: 18, maxIssueAge: 70 },
        { years: 20, minIssueAge: 18, maxIssueAge: 60 },
      ],
      minIssueAge: 18,
      maxIssueAge: 70,
      minFaceAmount: 100_000,
      maxFaceAmount: 5_000_000,
      healthClasses: ['PREFERRED_PLUS', 'PREFERRED', 'STANDARD_PLUS', 'STANDARD'],
      availableStates: ['TX', 'CA', 'OH'],
      fullyUnderwritten: true,
    },
    {
      // Sold by the carrier from the start; in our catalog only once its row is added (the last test).
      id: 'prd_quarry_hill_select',
      carrierId: 'car_quarry_hill',
      code: 'QHL-SELECT',
      name: 'Quarry Hill Select Term',
      type: 'TERM',
      terms: [{ years: 20, minIssueAge: 18, maxIssueAge: 60 }],
      minIssueAge: 18,
      maxIssueAge: 60,
      minFaceAmount: 250_000,
      maxFaceAmount: 5_000_000,
      healthClasses: ['PREFERRED_PLUS', 'PREFERRED'],
      availableStates: ['TX'],
      fullyUnderwritten: true,
      ratePercent: 90,
    },
  ],
};

/** A fourteenth, ACORD this time, whose rows are added while everything runs. */
const KILN: CarrierFixture = {
  ...QUARRY,
  id: 'car_kiln_valley',
  code: 'KILN',
  name: 'Kiln Valley Assurance',
  naicCode: '99877',
  ageBasis: 'NEAREST',
  protocol: 'ACORD',
  policyFeeCents: 7_000,
  classNames: { PREFERRED_PLUS: 'Kiln Best', PREFERRED: 'Kiln Preferred', STANDARD_PLUS: 'Kiln Plus', STANDARD: 'Kiln Standard' },
  products: [
    { ...QUARRY.products[0], id: 'prd_kiln_valley_term', carrierId: 'car_kiln_valley', code: 'KVA-TERM', name: 'Kiln Valley Term' },
  ],
};

const COMPARE = `query($i: QuoteInput!) { compareQuotes(input: $i) {
  quotes { carrier { id name } product { id code } carrierClassName issueAge annualPremium policyFee premiums { annual semiAnnual quarterly monthly } }
  outcomes { carrier { id } status cached quoteCount } } }`;
const INPUT = {
  state: 'TX',
  birthDate: '1990-03-10',
  gender: 'MALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  faceAmount: 500_000,
  termYears: 20,
  asOf: '2025-11-24',
};

let stack: Stack;
let token: string;

/**
 * The catalog rows an operator adds for a carrier of a known protocol: its carrier row and one
 * 10/20-year term product. Nothing else (no source change) brings the carrier into the graph.
 */
async function addCatalogCarrier(
  pool: pg.Pool,
  c: {
    id: string;
    code: string;
    name: string;
    naicCode: string;
    ageBasis: 'LAST' | 'NEAREST';
    protocol: string;
    product: { id: string; code: string; name: string };
  },
): Promise<void> {
  await pool.query(
    `INSERT INTO carriers.carrier (id, code, name, naic_code, am_best_rating, age_basis, protocol) VALUES ($1, $2, $3, $4, 'A', $5, $6)`,
    [c.id, c.code, c.name, c.naicCode, c.ageBasis, c.protocol],
  );
  await pool.query(
    `INSERT INTO carriers.product (id, carrier_id, code, name, type, terms, min_issue_age, max_issue_age, min_face_amount,
                                   max_face_amount, health_classes, available_states, fully_underwritten)
     VALUES ($1, $2, $3, $4, 'TERM', '[{"years":10,"minIssueAge":18,"maxIssueAge":70},{"years":20,"minIssueAge":18,"maxIssueAge":60}]',
             18, 70, 100000, 5000000, '{PREFERRED_PLUS,PREFERRED,STANDARD_PLUS,STANDARD}', '{TX,CA,OH}', true)`,
    [c.product.id, c.id, c.product.code, c.product.name],
  );
}

beforeAll(async () => {
  // The file's own database (test/support/environment.ts): the rows added here reach no other file.
  const pool = testPool(2);
  try {
    // The catalog rows an operator would add: the carrier, then its product. Nothing else changes.
    await addCatalogCarrier(pool, {
      id: 'car_quarry_hill',
      code: 'QUARRY',
      name: 'Quarry Hill Life',
      naicCode: '99876',
      ageBasis: 'LAST',
      protocol: 'REST',
      product: { id: 'prd_quarry_hill_term', code: 'QHL-TERM', name: 'Quarry Hill Term' },
    });
  } finally {
    await pool.end();
  }
  // The simulators announce CARRIER_QUARRY_URL / _CLIENT_ID / _CLIENT_SECRET with the twelve others' settings.
  stack = await startStack({
    env: {
      CARRIER_TIMEOUT_MS: '3000',
      COMPARE_TIMEOUT_MS: '4000',
      CATALOG_REFRESH_MS: '1000',
      CATALOG_SNAPSHOT_MS: '0',
    },
    simulators: { carriers: [...CARRIERS, QUARRY, KILN] },
  });
  token = await stack.token('STAFF');
});

afterAll(async () => {
  await stack?.stop();
});

it('is configured by the environment alone', () => {
  expect(Object.keys(stack.simulators.env).filter((name) => name.startsWith('CARRIER_QUARRY_'))).toEqual([
    'CARRIER_QUARRY_URL',
    'CARRIER_QUARRY_CLIENT_ID',
    'CARRIER_QUARRY_CLIENT_SECRET',
  ]);
});

it('is quoted by compareQuotes with one call to it, at the premium its simulator priced', async () => {
  const control = stack.simulators.control;
  const before = control.counts('QUARRY').quote;
  const response = await graphql(stack.url, COMPARE, { i: { ...INPUT, carrierIds: ['car_quarry_hill'] } }, { token });
  expect(response.errors).toBeUndefined();
  const { quotes, outcomes } = response.data!.compareQuotes;
  expect(outcomes).toEqual([{ carrier: { id: 'car_quarry_hill' }, status: 'OK', cached: false, quoteCount: 1 }]);
  expect(control.counts('QUARRY').quote - before).toBe(1);

  // Age last birthday 35, so the curve's base rate: 600 thousandths per $1,000 (every percent 100 here).
  // 600 × 500,000 / 10,000 = 30,000 cents, plus the $65.00 fee = 36,500; semi-annual × 0.52 = 18,980;
  // quarterly × 0.265 = 9,672.5 → 9,673; monthly × 0.0885 = 3,230.25 → 3,230.
  expect(quotes).toEqual([
    {
      carrier: { id: 'car_quarry_hill', name: 'Quarry Hill Life' },
      product: { id: 'prd_quarry_hill_term', code: 'QHL-TERM' },
      carrierClassName: 'Marble',
      issueAge: 35,
      annualPremium: '365.00',
      policyFee: '65.00',
      premiums: { annual: '365.00', semiAnnual: '189.80', quarterly: '96.73', monthly: '32.30' },
    },
  ]);
  // The same figures from the simulator's own pricing, called directly.
  const [priced] = priceQuote(QUARRY, { ...INPUT, issueAge: 35, tableRating: 0, productCodes: ['QHL-TERM'] } as never).priced;
  expect(quotes[0].annualPremium).toBe(centsToMoney(priced.annualPremiumCents));
  expect(quotes[0].premiums.monthly).toBe(centsToMoney(priced.modalPremiumsCents.MONTHLY));

  // Asked again: from the quote cache, the carrier is not called.
  const again = await graphql(stack.url, COMPARE, { i: { ...INPUT, carrierIds: ['car_quarry_hill'] } }, { token });
  expect(again.data!.compareQuotes.outcomes[0]).toMatchObject({ status: 'OK', cached: true });
  expect(control.counts('QUARRY').quote - before).toBe(1);
});

it('has no requirements grid until its underwriting row is written: the answer says so, then follows the row', async () => {
  const query = `query($b: Date!) { underwritingRequirements(carrierId: "car_quarry_hill", birthDate: $b, faceAmount: 500000, state: TX) {
    issueAge requirements acceleratedUnderwriting acceleratedReasons } }`;
  const ask = () => graphql(stack.url, query, { b: INPUT.birthDate }, { token });
  const before = await ask();
  expect(before.errors).toBeUndefined();
  expect(before.data!.underwritingRequirements).toMatchObject({
    requirements: [],
    acceleratedUnderwriting: false,
    acceleratedReasons: ['the catalog has no requirements grid for this carrier'],
  });
  // The operator writes the carrier's grid and program: docs/domain.md's typical ones.
  const pool = testPool(1);
  try {
    await pool.query(`INSERT INTO carriers.carrier_underwriting (carrier_id, requirement_grid, accelerated_rules) VALUES ($1, $2, $3)`, [
      'car_quarry_hill',
      JSON.stringify(requirementGrid(TYPICAL)),
      JSON.stringify(acceleratedRules(TYPICAL)),
    ]);
  } finally {
    await pool.end();
  }
  // CATALOG_SNAPSHOT_MS is 0 here: the next answer reads the row.
  const after = await ask();
  expect(after.data!.underwritingRequirements).toMatchObject({
    requirements: ['MIB', 'MVR', 'RX_CHECK'],
    acceleratedUnderwriting: true,
    acceleratedReasons: [],
  });
});

it('stands beside the twelve demo carriers in a full comparison', async () => {
  const response = await graphql(stack.url, COMPARE, { i: { ...INPUT, faceAmount: 600_000 } }, { token });
  expect(response.errors).toBeUndefined();
  const { outcomes } = response.data!.compareQuotes;
  expect(outcomes).toHaveLength(CARRIERS.length + 1);
  expect(outcomes.every((o: { status: string }) => o.status === 'OK')).toBe(true);
});

it('takes in a carrier whose catalog rows are added while it runs, from the next catalog refresh pass', async () => {
  const ask = () => graphql(stack.url, COMPARE, { i: { ...INPUT, carrierIds: ['car_kiln_valley'] } }, { token });
  // Not in the catalog yet: an unknown carrier id is bad input.
  expect((await ask()).errors?.[0]?.message).toContain('unknown carriers: car_kiln_valley');
  const pool = testPool(1);
  try {
    await addCatalogCarrier(pool, {
      id: 'car_kiln_valley',
      code: 'KILN',
      name: 'Kiln Valley Assurance',
      naicCode: '99877',
      ageBasis: 'NEAREST',
      protocol: 'ACORD',
      product: { id: 'prd_kiln_valley_term', code: 'KVA-TERM', name: 'Kiln Valley Term' },
    });
  } finally {
    await pool.end();
  }
  let outcome: { status: string } | undefined;
  let response: Awaited<ReturnType<typeof ask>> | undefined;
  for (const until = Date.now() + 25_000; Date.now() < until; ) {
    response = await ask();
    outcome = response.data?.compareQuotes.outcomes[0];
    if (outcome?.status === 'OK') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(outcome).toMatchObject({ status: 'OK', quoteCount: 1 });
  // Age nearest 36 (the half-birthday 2025-09-10 has passed): 600 × 1.05 = 630 thousandths per $1,000;
  // 630 × 500,000 / 10,000 = 31,500 cents + the $70.00 fee = 38,500; monthly × 0.0885 = 3,407.25 → 3,407.
  expect(response!.data!.compareQuotes.quotes).toEqual([
    {
      carrier: { id: 'car_kiln_valley', name: 'Kiln Valley Assurance' },
      product: { id: 'prd_kiln_valley_term', code: 'KVA-TERM' },
      carrierClassName: 'Kiln Preferred',
      issueAge: 36,
      annualPremium: '385.00',
      policyFee: '70.00',
      premiums: { annual: '385.00', semiAnnual: '200.20', quarterly: '102.03', monthly: '34.07' },
    },
  ]);
}, 60_000);

it("quotes a product added to a known carrier's catalog while it runs", async () => {
  const ask = (faceAmount: number) =>
    graphql(stack.url, COMPARE, { i: { ...INPUT, faceAmount, carrierIds: ['car_quarry_hill'] } }, { token });
  const codesOf = (response: Awaited<ReturnType<typeof ask>>): string[] =>
    (response.data?.compareQuotes.quotes ?? []).map((q: { product: { code: string } }) => q.product.code);
  expect(codesOf(await ask(700_000))).toEqual(['QHL-TERM']);
  const pool = testPool(1);
  try {
    await pool.query(
      `INSERT INTO carriers.product (id, carrier_id, code, name, type, terms, min_issue_age, max_issue_age, min_face_amount,
                                     max_face_amount, health_classes, available_states, fully_underwritten)
       VALUES ('prd_quarry_hill_select', 'car_quarry_hill', 'QHL-SELECT', 'Quarry Hill Select Term', 'TERM',
               '[{"years":20,"minIssueAge":18,"maxIssueAge":60}]', 18, 60, 250000, 5000000, '{PREFERRED_PLUS,PREFERRED}', '{TX}', true)`,
    );
  } finally {
    await pool.end();
  }
  const started = Date.now();
  let codes: string[] = [];
  // A different face each time: a repeat would be answered from the quote cache.
  for (let face = 700_001; Date.now() < started + 25_000; face++) {
    codes = codesOf(await ask(face));
    if (codes.length === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // The select product is priced at 90% of the level term's rate: cheaper, so ranked first.
  expect(codes).toEqual(['QHL-SELECT', 'QHL-TERM']);
}, 60_000);
