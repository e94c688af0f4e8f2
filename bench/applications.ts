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
import { DEV_ESIGN_WEBHOOK_SECRET } from '../platform/config';
import { webhookSignature } from '../simulators/esign/webhook-sender';
import { recordEnvelope } from '../subgraphs/cases/signature-envelope.repository';
import { Db } from '../subgraphs/shared/db';
import { ms, summarize, timeSequential, type Timing } from './bench-support';

type Ask = (query: string, variables?: Record<string, unknown>) => Promise<any>;

const FIELDS = 'id inGoodOrder missing { path code }';

export interface ApplicationTimings {
  update: Timing;
  read: Timing;
  check: Timing;
  webhooks: WebhookRun;
}

/** 50 applications' completions delivered at once, each twice (a provider's redelivery racing the first). */
export interface WebhookRun {
  applications: number;
  deliveries: number;
  latency: Timing;
  wallMs: number;
  signed: number;
  eventsApplied: number;
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

export async function benchApplications(ask: Ask, pool: pg.Pool, iterations: number, webhookUrl: string): Promise<ApplicationTimings> {
  const t = await target(pool);
  const start = async () =>
    (
      await ask(`mutation($input: StartApplicationInput!) { startApplication(input: $input) { id questions { code } forms { code } } }`, {
        input: { ...t, faceAmount: 500_000, termYears: 20, healthClass: 'PREFERRED' },
      })
    ).startApplication;
  const UPDATE = `mutation($id: ID!, $patch: ApplicationPatch!) { updateApplication(id: $id, patch: $patch) { ${FIELDS} } }`;
  // Every timed update changes a fresh application's next part, as agents fill them in.
  const drafts = await Promise.all(Array.from({ length: Math.max(Math.ceil(iterations / 4) + 2, WEBHOOK_APPLICATIONS + 1) }, start));
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
  const webhooks = await benchWebhooks(
    ask,
    pool,
    drafts.slice(0, WEBHOOK_APPLICATIONS).map((d: { id: string }) => d.id),
    webhookUrl,
  );
  return { update, read, check: summarize(samples), webhooks };
}

const WEBHOOK_APPLICATIONS = 50;

/**
 * Every application's envelope completes at the same moment and the provider's webhook arrives twice
 * for each (100 concurrent signed POSTs): each application must be SIGNED once and each event applied
 * once. The envelopes are recorded as requestSignatures records them (the provider itself is not part
 * of this measure).
 */
async function benchWebhooks(ask: Ask, pool: pg.Pool, ids: string[], webhookUrl: string): Promise<WebhookRun> {
  const run = Date.now().toString(36);
  const db = new Db(pool);
  const envelopes = await Promise.all(
    ids.map((applicationId, i) =>
      recordEnvelope(db, {
        envelopeId: `env_bench_${run}_${i}`,
        applicationId,
        reference: `${applicationId}:1`,
        roles: ['INSURED', 'AGENT'],
      }),
    ),
  );
  const bodies = envelopes.map((envelope, i) =>
    JSON.stringify({
      eventId: `evt_bench_${run}_${i}`,
      type: 'envelope.completed',
      envelopeId: envelope.envelopeId,
      clientReference: envelope.reference,
      occurredAt: new Date().toISOString(),
      ip: null,
      envelopeStatus: 'COMPLETED',
    }),
  );
  const deliver = async (body: string) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const started = performance.now();
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-esign-timestamp': timestamp,
        'x-esign-signature': webhookSignature(DEV_ESIGN_WEBHOOK_SECRET, timestamp, body),
      },
      body,
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    return performance.now() - started;
  };
  const started = performance.now();
  const latencies = await Promise.all([...bodies, ...bodies].map(deliver));
  const wallMs = performance.now() - started;
  const signed = (
    await Promise.all(ids.map(async (id) => (await ask(`query($id: ID!) { application(id: $id) { status } }`, { id })).application.status))
  ).filter((status) => status === 'SIGNED').length;
  const [{ n }] = (
    await pool.query(`SELECT count(*)::int AS n FROM cases.signature_event WHERE envelope_id = ANY($1)`, [
      envelopes.map((e) => e.envelopeId),
    ])
  ).rows;
  if (signed !== ids.length || n !== ids.length) throw new Error(`webhooks: ${signed} signed, ${n} events applied, of ${ids.length}`);
  return { applications: ids.length, deliveries: latencies.length, latency: summarize(latencies), wallMs, signed, eventsApplied: n };
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
    [
      `${t.webhooks.deliveries} concurrent signed webhooks (${t.webhooks.applications} completions, each delivered twice), per webhook`,
      ms(t.webhooks.latency.p50),
      ms(t.webhooks.latency.p99),
      `each applied once: ${t.webhooks.signed}/${t.webhooks.applications} SIGNED, ${t.webhooks.eventsApplied} events recorded (all in ${ms(t.webhooks.wallMs)})`,
    ],
  ];
}
