/**
 * The e-application measures of bench:cases (issue #14), on the same PostgreSQL database and cases
 * subgraph: updateApplication over HTTP (read, unseal, merge, seal and write under the row's lock,
 * and `missing` on the answer), reading a complete application's good order over HTTP, and the
 * good-order check itself in process (the pure function, the cost every read of a draft pays).
 */
import type pg from 'pg';
import { todayUtc } from '../platform/dates';
import { applicationRulesFor } from '../subgraphs/carriers/fixtures/application-rules.fixture';
import { missingItems } from '../subgraphs/cases/domain/good-order';
import type { Application } from '../subgraphs/cases/domain/application';
import { ms, summarize, timeSequential, type Timing } from './bench-support';

type Ask = (query: string, variables?: Record<string, unknown>) => Promise<any>;

const FIELDS = 'id inGoodOrder missing { path code }';

export interface ApplicationTimings {
  update: Timing;
  read: Timing;
  check: Timing;
}

/** A term product some agent can write in a state where it is sold. */
async function target(pool: pg.Pool) {
  const { rows } = await pool.query(
    `SELECT a.id AS "agentId", pr.carrier_id AS "carrierId", pr.id AS "productId", pr.available_states[1] AS state
       FROM carriers.product pr, agents.agent a
      WHERE pr.type = 'TERM' AND pr.min_face_amount <= 500000 AND pr.max_face_amount >= 500000 AND pr.terms::text LIKE '%"years": 20%'
        AND 'PREFERRED' = ANY(pr.health_classes)
      ORDER BY pr.id, a.id LIMIT 1`,
  );
  return rows[0] as { agentId: string; carrierId: string; productId: string; state: string };
}

const patches = (state: string, i: number) => [
  {
    insured: {
      firstName: `Bench${i}`,
      lastName: 'Example',
      birthDate: '1986-04-02',
      gender: 'FEMALE',
      ssn: '123-45-6789',
      phone: '555-0100',
    },
  },
  {
    insured: { address: { line1: '1 Main St', city: 'Springfield', state, zip: '12345' }, heightInches: 66, weightPounds: 150 },
    owner: { kind: 'INSURED' },
  },
  {
    beneficiaries: [
      { designation: 'PRIMARY', fullName: 'Sam Example', relationship: 'SPOUSE', sharePercent: 60 },
      { designation: 'PRIMARY', fullName: 'Alex Example', relationship: 'CHILD', sharePercent: 40 },
    ],
    coverage: { paymentMethod: 'EFT' },
    bankAccount: { routingNumber: '011000015', accountNumber: '123456789' },
  },
  {
    financials: { annualIncome: 120_000 },
    replacement: { hasExisting: false },
    agentReport: { knowsOfReplacement: false },
    hipaaAuthorized: true,
  },
];

export async function benchApplications(ask: Ask, pool: pg.Pool, iterations: number): Promise<ApplicationTimings> {
  const t = await target(pool);
  const start = async () =>
    (
      await ask(`mutation($input: StartApplicationInput!) { startApplication(input: $input) { id questions { code } forms { code } } }`, {
        input: { ...t, faceAmount: 500_000, termYears: 20, healthClass: 'PREFERRED' },
      })
    ).startApplication;
  const UPDATE = `mutation($id: ID!, $patch: ApplicationPatch!) { updateApplication(id: $id, patch: $patch) { ${FIELDS} } }`;
  // Every timed update changes a fresh application's next part, as agents fill them in.
  const drafts = await Promise.all(Array.from({ length: Math.ceil(iterations / 4) + 2 }, start));
  const update = await timeSequential(
    iterations,
    (i) => ask(UPDATE, { id: drafts[Math.floor(i / 4) % drafts.length].id, patch: patches(t.state, i)[i % 4] }),
    4,
  );
  // One complete application, read back with its good order.
  const complete = drafts.at(-1)!;
  for (const patch of [
    ...patches(t.state, 0),
    {
      answers: complete.questions.map((q: { code: string }) => ({ code: q.code, yes: false })),
      forms: complete.forms.map((f: { code: string }) => ({ code: f.code })),
      insured: { citizenship: 'US_CITIZEN', driversLicense: { number: 'D1234567', state: t.state } },
    },
  ])
    await ask(UPDATE, { id: complete.id, patch });
  const READ = `query($id: ID!) { application(id: $id) { ${FIELDS} } }`;
  const answer = (await ask(READ, { id: complete.id })).application;
  if (!answer.inGoodOrder) throw new Error(`bench application not in good order: ${JSON.stringify(answer.missing)}`);
  const read = await timeSequential(iterations, () => ask(READ, { id: complete.id }), 5);

  // The check alone, on the same complete application as the domain sees it.
  const [{ code }] = (await pool.query(`SELECT code FROM carriers.carrier WHERE id = $1`, [t.carrierId])).rows;
  const rules = applicationRulesFor({ code });
  const application = completeDomainApplication(t.state);
  const asOf = todayUtc();
  if (missingItems(application, rules, { asOf, signatures: false }).length) throw new Error('domain application not complete');
  const samples: number[] = [];
  for (let round = 0; round < 200; round++) {
    const started = performance.now();
    for (let i = 0; i < 100; i++) missingItems(application, rules, { asOf, signatures: false });
    samples.push((performance.now() - started) / 100);
  }
  return { update, read, check: summarize(samples) };
}

function completeDomainApplication(state: string): Application {
  const rules = applicationRulesFor({ code: 'SUMMIT' });
  return {
    state: state as Application['state'],
    insured: {
      fullName: 'Bench Example',
      birthDate: '1986-04-02',
      gender: 'FEMALE',
      ssn: '123-45-6789',
      address: { line1: '1 Main St', city: 'Springfield', state: state as never, zip: '12345' },
      phone: '555-0100',
      citizenship: 'US_CITIZEN',
      heightInches: 66,
      weightPounds: 150,
      driversLicense: { number: 'D1234567' },
    },
    owner: { kind: 'INSURED' },
    beneficiaries: [
      { designation: 'PRIMARY', kind: 'PERSON', fullName: 'Sam Example', relationship: 'SPOUSE', sharePercent: 60 },
      { designation: 'PRIMARY', kind: 'PERSON', fullName: 'Alex Example', relationship: 'CHILD', sharePercent: 40 },
    ],
    coverage: {
      carrierCode: 'SUMMIT',
      productCode: 'P',
      productType: 'TERM',
      faceAmount: 500_000,
      termYears: 20,
      healthClassApplied: 'PREFERRED',
      riders: [],
      paymentMode: 'MONTHLY',
      paymentMethod: 'CHECK',
    },
    existingCoverage: { hasExisting: false },
    answers: Object.fromEntries(rules.questions.map((q) => [q.code, { yes: false }])),
    financial: { annualIncome: 120_000 },
    agentReport: { agentId: 'agt_bench' },
    hipaaAuthorized: true,
    forms: rules.forms.map((f) => ({ code: f.code })),
  };
}

export function applicationRows(t: ApplicationTimings): (string | number)[][] {
  return [
    ['updateApplication (one part of a draft, answer with `missing`), over HTTP', ms(t.update.p50), ms(t.update.p99), '≤ 15 ms'],
    ['application(id) { inGoodOrder missing } of a complete application, over HTTP', ms(t.read.p50), ms(t.read.p99), ''],
    [
      'good-order check of a complete application, in process',
      `${(t.check.p50 * 1000).toFixed(1)} µs`,
      `${(t.check.p99 * 1000).toFixed(1)} µs`,
      '≤ 2 ms',
    ],
  ];
}
