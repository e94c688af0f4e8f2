/**
 * Requirement vendors failing while the load runs: exams (PULSE) and APSs (CHARTWELL) are ordered
 * through the gateway on cases the carriers have accepted during the run, in three phases:
 * (a) both vendors' APIs answer 503: the orders queue in their outbox rows and the vendor order
 * worker sends them after the vendors heal; (b) the vendors drop their webhooks while they move
 * the orders on: the vendor poll (VENDOR_POLL_STALE_SECONDS 3 in the topology) catches up;
 * (c) the vendors send every webhook twice: each stage is applied once. Afterwards no requirement
 * is lost (each ordered one is exactly one order at its vendor, at the vendor's stage here too) or
 * duplicated (no reference with two orders; one REQUIREMENT_VENDOR_STATUS event per stage).
 */
import { mintDevToken } from '../../gateway/plugins/authentication';
import { DEV_JWT_SECRET } from '../../platform/config';
import { PersonalDataVault } from '../../platform/personal-data';
import { PERSONAL_FIELD } from '../../subgraphs/cases/application.service';
import { sleep, until } from './processes';
import { type ChaosContext, result, type ScenarioResult } from './scenarios';

type VendorName = 'pulse' | 'chartwell';

interface Ordered {
  id: string;
  vendor: VendorName;
  phase: 'down' | 'drop' | 'duplicate';
}

const ORDER = `mutation($caseId: ID!, $code: RequirementCode!, $physician: PhysicianInput, $key: String) {
  orderRequirement(caseId: $caseId, code: $code, physician: $physician, idempotencyKey: $key) { id } }`;

/** The exam code ordered in each phase (one outstanding exam of each code per case). */
const EXAM_OF_PHASE = { down: 'PARAMED_EXAM', drop: 'BLOOD_URINE', duplicate: 'EKG' } as const;

export async function vendorScenario(ctx: ChaosContext): Promise<ScenarioResult> {
  const { topology: t, timing, say } = ctx;
  const r = result('Vendor faults: API down (5xx), webhooks dropped, webhooks duplicated');
  const { pulse, chartwell } = t.simulators.vendors;
  const vendors = { pulse, chartwell };
  const token = await mintDevToken(process.env.JWT_SECRET || DEV_JWT_SECRET, { sub: 'user:chaos-vendors', role: 'STAFF' });
  const ask = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data;
  };

  // Cases the carriers accepted during this run, open, with no e-application yet: each gets the
  // insured's contact data as an e-application holds it (the exam vendor calls and visits the insured).
  const cases = (
    await t.pool.query<{ id: string; agentId: string; carrierId: string; productId: string; state: string }>(
      `SELECT c.id, c.agent_id AS "agentId", c.carrier_id AS "carrierId", c.product_id AS "productId", c.insured_state AS state
         FROM cases."case" c
        WHERE c.created_by LIKE 'user:chaos-%' AND c.carrier_reference IS NOT NULL
          AND c.status NOT IN ('PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN')
          AND NOT EXISTS (SELECT 1 FROM cases.application a WHERE a.case_id = c.id)
        ORDER BY c.submitted_at LIMIT $1`,
      [timing.vendorCases],
    )
  ).rows;
  if (cases.length === 0) {
    r.skipped = 'no case accepted by a carrier during the run';
    r.to = Date.now();
    return r;
  }
  const vault = PersonalDataVault.fromEnv(process.env);
  for (const c of cases) {
    const personal = {
      insured: {
        kind: 'PERSON',
        firstName: 'Robin',
        lastName: 'Example',
        phone: '214-555-0123',
        address: { line1: '9 Oak Ln', city: 'Dallas', state: c.state, zip: '75201' },
      },
    };
    await t.pool.query(
      `INSERT INTO cases.application (id, agent_id, carrier_id, product_id, state, status, draft, personal, case_id, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'SUBMITTED', '{}', $6, $7, 'user:chaos-vendors', now(), now())`,
      [`app_chaos_${c.id}`, c.agentId, c.carrierId, c.productId, c.state, vault.seal(PERSONAL_FIELD, JSON.stringify(personal)), c.id],
    );
  }
  say(`vendors: ordering on ${cases.length} accepted cases`);

  const ordered: Ordered[] = [];
  const orderAll = async (phase: Ordered['phase']): Promise<Ordered[]> => {
    const mine: Ordered[] = [];
    for (const c of cases) {
      const exam = await ask(ORDER, { caseId: c.id, code: EXAM_OF_PHASE[phase], key: `chaos-vendors-${c.id}-${phase}-exam` });
      mine.push({ id: exam.orderRequirement.id, vendor: 'pulse', phase });
      const aps = await ask(ORDER, {
        caseId: c.id,
        code: 'APS',
        physician: { name: `Dr ${phase} Lee`, phone: '214-555-0177', practice: 'Dallas Internal Medicine' },
        key: `chaos-vendors-${c.id}-${phase}-aps`,
      });
      mine.push({ id: aps.orderRequirement.id, vendor: 'chartwell', phase });
    }
    ordered.push(...mine);
    return mine;
  };
  const rows = async (ids: string[]) =>
    (
      await t.pool.query<{ id: string; orderId: string | null; stage: string | null; lastError: string | null }>(
        `SELECT id, vendor_order_id AS "orderId", vendor_stage AS stage, vendor_last_error AS "lastError" FROM cases.requirement WHERE id = ANY($1)`,
        [ids],
      )
    ).rows;
  const placed = (list: Ordered[], timeoutMs: number) =>
    until(
      'the vendor orders to be placed',
      async () => ((await rows(list.map((o) => o.id))).every((row) => row.orderId !== null) ? Date.now() : undefined),
      timeoutMs,
      250,
    ).catch(() => undefined);
  /** Every order's stage here is its stage at the vendor. */
  const caughtUp = (list: Ordered[], timeoutMs: number) =>
    until(
      'our vendor stages to match the vendors',
      async () => {
        const found = await rows(list.map((o) => o.id));
        return list.every((o) => found.find((row) => row.id === o.id)?.stage === vendors[o.vendor].orderByReference(o.id)?.stage)
          ? Date.now()
          : undefined;
      },
      timeoutMs,
      250,
    ).catch(() => undefined);
  const apiCalls = () => pulse.counts.create + chartwell.counts.order;

  // (a) Both vendors down: the orders wait in their outbox rows, retried with backoff.
  pulse.setFault('5xx');
  chartwell.setFault('5xx');
  const downAt = Date.now();
  const callsBefore = apiCalls();
  r.faults.push('PULSE and CHARTWELL APIs: 5xx');
  const down = await orderAll('down');
  await sleep(timing.faultPhaseMs);
  const queued = await rows(down.map((o) => o.id));
  const refusedCalls = apiCalls() - callsBefore;
  pulse.setFault(null);
  chartwell.setFault(null);
  const healedAt = Date.now();
  r.check(
    'while the vendors were down, every order waited in its outbox row (none lost, none placed), tried and refused',
    queued.every((row) => row.orderId === null && row.lastError !== null) && refusedCalls >= down.length,
    `${down.length} ordered in ${((healedAt - downAt) / 1000).toFixed(1)} s down: ${queued.filter((row) => row.orderId === null).length} waiting, ${refusedCalls} order calls refused`,
  );
  const placedAt = await placed(down, 60_000);
  r.check(
    'after the vendors healed, the vendor order worker placed every queued order',
    placedAt !== undefined,
    placedAt !== undefined ? `all ${down.length} placed ${((placedAt - healedAt) / 1000).toFixed(1)} s after healing` : 'not within 60 s',
  );

  // (b) Webhooks dropped while the vendors move the orders on: the poll catches up.
  const drop = await orderAll('drop');
  await placed(drop, 30_000);
  const droppedBefore = pulse.dropped.length + chartwell.dropped.length;
  pulse.setWebhookFault('drop', { times: 1_000 });
  chartwell.setWebhookFault('drop', { times: 1_000 });
  r.faults.push('webhooks dropped');
  const movedAt = Date.now();
  for (const o of [...down, ...drop]) vendors[o.vendor].advance(vendors[o.vendor].orderByReference(o.id)!.orderId);
  await Promise.all([pulse.idle(), chartwell.idle()]);
  pulse.setWebhookFault(null);
  chartwell.setWebhookFault(null);
  const dropped = pulse.dropped.length + chartwell.dropped.length - droppedBefore;
  const polledAt = await caughtUp([...down, ...drop], 45_000);
  r.check(
    'every stage whose webhook was dropped arrived by the vendor poll',
    polledAt !== undefined && dropped === down.length + drop.length,
    `${dropped} webhooks dropped; ${polledAt !== undefined ? `all ${down.length + drop.length} stages caught up ${((polledAt - movedAt) / 1000).toFixed(1)} s after the moves (stale after 3 s, polled every 1 s)` : 'not within 45 s'}`,
  );

  // (c) Every webhook twice: each stage applied once.
  const duplicate = await orderAll('duplicate');
  await placed(duplicate, 30_000);
  const deliveriesBefore = { pulse: pulse.deliveries().length, chartwell: chartwell.deliveries().length };
  pulse.setWebhookFault('duplicate', { times: 1_000 });
  chartwell.setWebhookFault('duplicate', { times: 1_000 });
  r.faults.push('webhooks duplicated');
  for (const o of [...drop, ...duplicate]) vendors[o.vendor].advance(vendors[o.vendor].orderByReference(o.id)!.orderId);
  await Promise.all([pulse.idle(), chartwell.idle()]);
  pulse.setWebhookFault(null);
  chartwell.setWebhookFault(null);
  const sent = [...pulse.deliveries().slice(deliveriesBefore.pulse), ...chartwell.deliveries().slice(deliveriesBefore.chartwell)];
  const events = new Set(sent.map((d) => d.eventId)).size;
  const duplicatedAt = await caughtUp(ordered, 30_000);
  r.check(
    'after the duplicated webhooks every stage here is the vendor’s',
    duplicatedAt !== undefined,
    `${sent.length} webhook deliveries of ${events} events for ${drop.length + duplicate.length} moves; ${duplicatedAt !== undefined ? 'all caught up' : 'not within 30 s'}`,
  );

  // Afterwards: nothing lost, nothing duplicated.
  const all = [...pulse.all(), ...chartwell.all()];
  const perReference = new Map<string, number>();
  for (const order of all) perReference.set(order.reference, (perReference.get(order.reference) ?? 0) + 1);
  const twice = [...perReference].filter(([, n]) => n > 1);
  const final = await rows(ordered.map((o) => o.id));
  const lost = ordered.filter((o) => {
    const order = vendors[o.vendor].orderByReference(o.id);
    const row = final.find((x) => x.id === o.id);
    return perReference.get(o.id) !== 1 || !order || row?.orderId !== order.orderId || row?.stage !== order.stage;
  });
  r.check(
    '0 requirements lost: each ordered one is exactly one order at its vendor, at the vendor’s stage here',
    lost.length === 0,
    `${ordered.length} ordered (${ordered.filter((o) => o.vendor === 'pulse').length} exams, ${ordered.filter((o) => o.vendor === 'chartwell').length} APSs), ${lost.length} lost or behind${lost.length ? `: ${lost.map((o) => `${o.id} (${o.phase})`).join(', ')}` : ''}`,
  );
  const repeated = (
    await t.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT requirement_id, note FROM cases.case_event
          WHERE requirement_id = ANY($1) AND type = 'REQUIREMENT_VENDOR_STATUS' GROUP BY requirement_id, note HAVING count(*) > 1) d`,
      [ordered.map((o) => o.id)],
    )
  ).rows[0].n;
  const statusEvents = (
    await t.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases.case_event WHERE requirement_id = ANY($1) AND type = 'REQUIREMENT_VENDOR_STATUS'`,
      [ordered.map((o) => o.id)],
    )
  ).rows[0].n;
  r.check(
    '0 duplicated: no reference with two orders at a vendor; one REQUIREMENT_VENDOR_STATUS event per (requirement, stage)',
    twice.length === 0 && repeated === 0,
    `${all.length} orders at the vendors, ${twice.length} references with two; ${statusEvents} vendor status events, ${repeated} (requirement, stage) pairs repeated`,
  );
  r.to = Date.now();
  return r;
}
