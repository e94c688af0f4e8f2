/**
 * Licenses from the national producer database, end to end through the gateway with the simulated
 * PDB (simulators/pdb/): syncAgentLicenses brings a new agent's licenses and appointments (events,
 * SQL statements counted), eligibility reads them, a second sync changes nothing; discrepancies the
 * PDB shows become alerts and events (one planted by the control API, one planted in the seed); an
 * unknown NPN is a coded error that changes nothing and lists an alert until the PDB knows it;
 * licensingAlerts lists expiring licenses and just-in-time filings due, within the caller's scope;
 * and the scheduled job syncs least recently synced agents first, once each even with two replicas.
 *
 * The tests work on agents of their own (NPNs of ten digits starting with 9, which the seeded world
 * never has) and on seeded agents they only read or whose sync changes nothing another test reads.
 */
import type pg from 'pg';
import { todayUtc } from '../../platform/dates';
import { createLogger } from '../../platform/logger';
import { LicenseSyncJob } from '../../subgraphs/agents/licensing/license-sync.job';
import { PdbXmlAdapter } from '../../subgraphs/agents/ports/pdb/pdb-xml.adapter';
import { codes, graphql } from '../support/graphql';
import { type Stack, startStack } from '../support/stack';
import { testPool } from '../support/test-pool';

const RUN = Date.now() % 1e7;
let counter = 0;
let stack: Stack;
let pool: pg.Pool;
let admin: string;
const today = todayUtc();
const inDays = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const ask = (token: string, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.url, query, variables, { headers: { authorization: `Bearer ${token}` } });

/** A new agent of ours (PENDING) and, unless told otherwise, a producer of the same NPN at the PDB with nothing on file. */
async function newAgent(residentState: string, options: { inPdb?: boolean } = {}): Promise<{ id: string; npn: string }> {
  const npn = `9${String(RUN).padStart(7, '0')}${String(++counter).padStart(2, '0')}`;
  const created = await ask(admin, `mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }`, {
    i: { npn, firstName: 'Lena', lastName: `Syncwright${counter}`, email: `lena${RUN}${counter}@example.com`, residentState },
  });
  expect(created.errors).toBeUndefined();
  if (options.inPdb !== false)
    stack.simulators.pdb.setProducer(npn, { firstName: 'Lena', lastName: `Syncwright${counter}`, residentState });
  return { id: created.data!.createAgent.id, npn };
}

const SYNC = `mutation($id: ID!) { syncAgentLicenses(agentId: $id) {
  syncedAt licensesAdded licensesChanged licensesRemoved appointmentsAdded appointmentsTerminated discrepanciesResolved unknownCompanyCodes
  changes { type state fromStatus toStatus note carrier { id } }
  discrepancies { id kind discrepancy state message }
  agent { id licenses { state number resident linesOfAuthority expiresOn active } }
} }`;
const sync = (agentId: string) => ask(admin, SYNC, { id: agentId });

const ALERTS = `query($f: LicensingAlertFilter, $first: Int) { licensingAlerts(filter: $f, first: $first) {
  id kind discrepancy state dueOn daysLeft detectedAt message agent { id } carrier { id } } }`;
const alerts = async (token: string, filter: Record<string, unknown>, first = 100) => {
  const response = await ask(token, ALERTS, { f: filter, first });
  expect(response.errors).toBeUndefined();
  return response.data!.licensingAlerts as {
    id: string;
    kind: string;
    discrepancy: string | null;
    state: string | null;
    dueOn: string | null;
    daysLeft: number | null;
    message: string;
    agent: { id: string } | null;
    carrier: { id: string } | null;
  }[];
};

const AGENT = `query($id: ID!, $carrier: ID!, $state: State!) { agent(id: $id) {
  licenses { state resident linesOfAuthority active source }
  licenseSync { outcome syncedAt }
  appointments { state status carrier { id } }
  events(last: 50) { type state toStatus note actor }
  eligibility(carrierId: $carrier, state: $state) { eligible reasons }
} }`;

let preState: string;

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0', SYNC_INTERVAL_MS: '0', FOLLOW_UP_INTERVAL_MS: '0' } });
  pool = testPool(2);
  admin = await stack.token('ADMIN');
  const contracting = await pool.query<{ states: string[] }>(
    `SELECT pre_appointment_states AS states FROM agents.carrier_contracting WHERE carrier_id = 'car_summit'`,
  );
  preState = contracting.rows[0].states.find((s) => s !== 'TX')!;
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await stack?.stop();
});

describe('syncAgentLicenses', () => {
  let agent: { id: string; npn: string };

  beforeAll(async () => {
    agent = await newAgent('TX');
    // Writing business needs an ACTIVE agent with E&O on file: onboarding's work, done here by hand.
    await pool.query(`UPDATE agents.agent SET status = 'ACTIVE', eo_expires_on = $2 WHERE id = $1`, [agent.id, inDays(300)]);
    const pdb = stack.simulators.pdb;
    pdb.setLicense(agent.npn, 'TX', { lines: ['LIFE', 'HEALTH'], expiresOn: inDays(400) });
    pdb.setLicense(agent.npn, preState, { lines: ['LIFE'], expiresOn: inDays(500) });
    pdb.addAppointment(agent.npn, { carrierCode: 'SUMMIT', state: preState });
  });

  it("brings a new agent's licenses and appointments in one sync, as events, and eligibility reads them", async () => {
    const before = await ask(admin, AGENT, { id: agent.id, carrier: 'car_summit', state: preState });
    expect(before.data!.agent.licenses).toEqual([]);
    expect(before.data!.agent.licenseSync).toEqual({ outcome: null, syncedAt: null });
    expect(before.data!.agent.eligibility.reasons).toEqual(['NOT_LICENSED_IN_STATE', 'NOT_APPOINTED']);

    const response = await sync(agent.id);
    expect(response.errors).toBeUndefined();
    const result = response.data!.syncAgentLicenses;
    expect(result).toMatchObject({
      licensesAdded: 2,
      licensesChanged: 0,
      licensesRemoved: 0,
      appointmentsAdded: 1,
      appointmentsTerminated: 0,
      discrepancies: [],
      unknownCompanyCodes: [],
    });
    expect(result.changes.map((c: { type: string; state: string }) => `${c.type} ${c.state}`).sort()).toEqual(
      [`APPOINTMENT_ACTIVE ${preState}`, `LICENSE_ADDED ${preState}`, 'LICENSE_ADDED TX'].sort(),
    );
    expect(result.changes.find((c: { type: string }) => c.type === 'APPOINTMENT_ACTIVE').carrier).toEqual({ id: 'car_summit' });
    expect(result.agent.licenses).toEqual(
      expect.arrayContaining([
        {
          state: 'TX',
          number: expect.any(String),
          resident: true,
          linesOfAuthority: ['ACCIDENT_HEALTH', 'LIFE'],
          expiresOn: inDays(400),
          active: true,
        },
        { state: preState, number: expect.any(String), resident: false, linesOfAuthority: ['LIFE'], expiresOn: inDays(500), active: true },
      ]),
    );
    // The agent read before; one transaction: BEGIN, the agent's lock, three reads (licenses,
    // appointments, company codes), one insert of both licenses, one of the appointment, closing
    // agreed discrepancies, one insert of the three events, the sync state, COMMIT; the licenses read after.
    const sql = response.extensions!.stats.agents.sql;
    expect(sql).toBe(13);

    const after = await ask(admin, AGENT, { id: agent.id, carrier: 'car_summit', state: preState });
    expect(after.data!.agent.eligibility).toEqual({ eligible: true, reasons: [] });
    expect(after.data!.agent.licenseSync).toEqual({ outcome: 'SYNCED', syncedAt: result.syncedAt });
    expect(after.data!.agent.licenses.map((l: { source: string }) => l.source)).toEqual(['PRODUCER_DATABASE', 'PRODUCER_DATABASE']);
    expect(after.data!.agent.appointments).toEqual([{ state: preState, status: 'ACTIVE', carrier: { id: 'car_summit' } }]);
    const events = after.data!.agent.events.map((e: { type: string }) => e.type);
    expect(events.filter((t: string) => t === 'LICENSE_ADDED')).toHaveLength(2);
    expect(events).toContain('APPOINTMENT_ACTIVE');
    expect(after.data!.agent.events.find((e: { type: string }) => e.type === 'LICENSE_ADDED').actor).toBe('user:test-admin');

    // Nothing changed at the PDB: nothing changes here, and fewer statements.
    const again = await sync(agent.id);
    expect(again.data!.syncAgentLicenses).toMatchObject({ licensesAdded: 0, licensesChanged: 0, appointmentsAdded: 0, changes: [] });
    // No write but closing agreed discrepancies and the sync state.
    expect(again.extensions!.stats.agents.sql).toBe(10);
    console.log(
      `[license-sync] SQL statements: first sync of a new agent ${sql}, a sync that changes nothing ${again.extensions!.stats.agents.sql}`,
    );
  });

  it('turns what the PDB contradicts into discrepancy alerts and events, once, and lists the expiring license', async () => {
    const pdb = stack.simulators.pdb;
    pdb.setLicense(agent.npn, preState, { expiresOn: inDays(30) });
    pdb.setLicense(agent.npn, 'TX', { status: 'INACTIVE' });
    const response = await sync(agent.id);
    expect(response.errors).toBeUndefined();
    const result = response.data!.syncAgentLicenses;
    expect(result.licensesChanged).toBe(2);
    expect(result.discrepancies.map((d: { discrepancy: string; state: string }) => `${d.discrepancy} ${d.state}`).sort()).toEqual(
      [`LICENSE_EXPIRY ${preState}`, 'LICENSE_INACTIVE TX'].sort(),
    );
    expect(JSON.stringify(result)).not.toContain('Syncwright');

    const listed = await alerts(admin, { agentId: agent.id });
    expect(listed.map((a) => `${a.kind} ${a.discrepancy ?? '-'} ${a.state}`).sort()).toEqual(
      [`DISCREPANCY LICENSE_EXPIRY ${preState}`, 'DISCREPANCY LICENSE_INACTIVE TX', `LICENSE_EXPIRING - ${preState}`].sort(),
    );
    expect(listed.find((a) => a.kind === 'LICENSE_EXPIRING')).toMatchObject({ dueOn: inDays(30), daysLeft: 30, agent: { id: agent.id } });
    const view = await ask(admin, AGENT, { id: agent.id, carrier: 'car_summit', state: 'TX' });
    expect(
      view
        .data!.agent.events.filter((e: { type: string }) => e.type === 'LICENSING_DISCREPANCY')
        .map((e: { toStatus: string }) => e.toStatus)
        .sort(),
    ).toEqual(['LICENSE_EXPIRY', 'LICENSE_INACTIVE']);
    // The PDB is the source of truth: TX is inactive here now, and eligibility says so.
    expect(view.data!.agent.eligibility.reasons).toEqual(['LICENSE_EXPIRED']);

    // A sync that finds the same again opens nothing new.
    const again = await sync(agent.id);
    expect(again.data!.syncAgentLicenses.discrepancies).toEqual([]);
    expect((await alerts(admin, { agentId: agent.id, kinds: ['DISCREPANCY'] })).length).toBe(2);

    // Staff resolve one: it leaves the list.
    const expiry = listed.find((a) => a.discrepancy === 'LICENSE_EXPIRY')!;
    const resolved = await ask(admin, `mutation($id: ID!) { resolveLicensingDiscrepancy(alertId: $id) { id discrepancy } }`, {
      id: expiry.id,
    });
    expect(resolved.data!.resolveLicensingDiscrepancy).toEqual({ id: expiry.id, discrepancy: 'LICENSE_EXPIRY' });
    expect((await alerts(admin, { agentId: agent.id, kinds: ['DISCREPANCY'] })).map((a) => a.discrepancy)).toEqual(['LICENSE_INACTIVE']);
    const twice = await ask(admin, `mutation($id: ID!) { resolveLicensingDiscrepancy(alertId: $id) { id } }`, { id: expiry.id });
    expect(codes(twice)).toEqual(['NOT_FOUND']);
  });

  it('follows the PDB on appointments it gave us, and opens (then closes) a mismatch with one the carrier told us about', async () => {
    const pdb = stack.simulators.pdb;
    pdb.terminateAppointment(agent.npn, 'SUMMIT', preState, inDays(-1));
    const ended = await sync(agent.id);
    expect(ended.data!.syncAgentLicenses).toMatchObject({ appointmentsTerminated: 1, appointmentsAdded: 0 });
    expect(ended.data!.syncAgentLicenses.changes).toEqual([
      expect.objectContaining({
        type: 'APPOINTMENT_TERMINATED',
        state: preState,
        fromStatus: 'ACTIVE',
        toStatus: 'TERMINATED',
        carrier: { id: 'car_summit' },
      }),
    ]);

    // The carrier told us it appointed the agent in OK; the PDB says that appointment ended.
    await pool.query(
      `INSERT INTO agents.appointment (id, agent_id, carrier_id, state, status, effective_on, source) VALUES ($1, $2, 'car_harborlight', 'OK', 'ACTIVE', $3, 'BGA')`,
      [`apt_lsync_${RUN}_ok`, agent.id, inDays(-100)],
    );
    pdb.addAppointment(agent.npn, { carrierCode: 'HARBOR', state: 'OK', effectiveOn: inDays(-100) });
    pdb.terminateAppointment(agent.npn, 'HARBOR', 'OK', inDays(-3));
    const mismatch = await sync(agent.id);
    expect(mismatch.data!.syncAgentLicenses.discrepancies).toEqual([
      expect.objectContaining({ kind: 'DISCREPANCY', discrepancy: 'APPOINTMENT_MISMATCH', state: 'OK' }),
    ]);
    const kept = await pool.query(`SELECT status, source FROM agents.appointment WHERE id = $1`, [`apt_lsync_${RUN}_ok`]);
    expect(kept.rows).toEqual([{ status: 'ACTIVE', source: 'BGA' }]);
    expect(
      (await alerts(admin, { agentId: agent.id, kinds: ['DISCREPANCY'] })).find((a) => a.discrepancy === 'APPOINTMENT_MISMATCH'),
    ).toMatchObject({
      carrier: { id: 'car_harborlight' },
    });
    // The PDB catches up with the carrier: the mismatch closes by itself.
    pdb.addAppointment(agent.npn, { carrierCode: 'HARBOR', state: 'OK', effectiveOn: inDays(-100) });
    const agreed = await sync(agent.id);
    expect(agreed.data!.syncAgentLicenses).toMatchObject({ discrepanciesResolved: 1, changes: [] });
    expect((await alerts(admin, { agentId: agent.id, kinds: ['DISCREPANCY'] })).some((a) => a.discrepancy === 'APPOINTMENT_MISMATCH')).toBe(
      false,
    );
  });

  it('answers SERVICE_UNAVAILABLE while the PDB is down, changing nothing', async () => {
    const before = await pool.query(`SELECT count(*)::int AS n FROM agents.agent_event WHERE agent_id = $1`, [agent.id]);
    stack.simulators.pdb.setFault('5xx');
    try {
      const response = await sync(agent.id);
      expect(codes(response)).toEqual(['SERVICE_UNAVAILABLE']);
    } finally {
      stack.simulators.pdb.setFault(null);
    }
    const after = await pool.query(`SELECT count(*)::int AS n FROM agents.agent_event WHERE agent_id = $1`, [agent.id]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const state = await pool.query(`SELECT outcome FROM agents.license_sync WHERE agent_id = $1`, [agent.id]);
    expect(state.rows).toEqual([{ outcome: 'FAILED' }]);
  });

  it('brings the seeded EXTRA_STATE license as a discrepancy, and changes nothing for a seeded agent the PDB agrees with', async () => {
    const planted = stack.simulators.pdb.discrepancies.find((d) => d.kind === 'EXTRA_STATE')!;
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM agents.agent WHERE npn = $1`, [planted.npn]);
    const response = await sync(rows[0].id);
    expect(response.errors).toBeUndefined();
    const result = response.data!.syncAgentLicenses;
    expect(result.changes.filter((c: { type: string }) => c.type === 'LICENSE_ADDED').map((c: { state: string }) => c.state)).toEqual([
      planted.state,
    ]);
    expect(result.discrepancies).toEqual([
      expect.objectContaining({ kind: 'DISCREPANCY', discrepancy: 'LICENSE_NOT_ON_FILE', state: planted.state }),
    ]);

    // A seeded writing agent with no planted difference: the PDB and the seed agree to the line.
    const plantedNpns = stack.simulators.pdb.discrepancies.map((d) => d.npn);
    const seeded = await pool.query<{ id: string }>(
      `SELECT a.id FROM agents.agent a WHERE a.id LIKE 'agt_0%' AND NOT (a.npn = ANY($1))
         AND EXISTS (SELECT 1 FROM agents.appointment p WHERE p.agent_id = a.id AND p.status = 'ACTIVE')
         AND EXISTS (SELECT 1 FROM agents.license l WHERE l.agent_id = a.id AND l.expires_on < current_date)
       ORDER BY a.id DESC LIMIT 1`,
      [plantedNpns],
    );
    const quiet = await sync(seeded.rows[0].id);
    expect(quiet.errors).toBeUndefined();
    expect(quiet.data!.syncAgentLicenses).toMatchObject({ changes: [], discrepancies: [], unknownCompanyCodes: [] });
  });
});

describe('an NPN the producer database does not know', () => {
  it('is NOT_FOUND naming the NPN, changes nothing, and lists an alert until the PDB knows it', async () => {
    const agent = await newAgent('OH', { inPdb: false });
    const added = await ask(
      admin,
      `mutation($id: ID!) { addLicense(agentId: $id, input: { state: OH, number: "OH77", resident: true, linesOfAuthority: [LIFE], effectiveOn: "2025-01-01", expiresOn: "2030-01-01" }) { state } }`,
      { id: agent.id },
    );
    expect(added.errors).toBeUndefined();

    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await sync(agent.id);
      expect(codes(response)).toEqual(['NOT_FOUND']);
      expect(response.errors![0].extensions).toMatchObject({ reason: 'NPN_NOT_FOUND', agentId: agent.id });
      expect(response.errors![0].message).toMatch(/NPN/);
      expect(response.errors![0].message).not.toMatch(/Syncwright|Lena/);
      expect(response.data).toBeNull();
    }
    const view = await ask(admin, AGENT, { id: agent.id, carrier: 'car_summit', state: 'OH' });
    expect(view.data!.agent.licenses).toEqual([{ state: 'OH', resident: true, linesOfAuthority: ['LIFE'], active: true, source: 'BGA' }]);
    expect(view.data!.agent.licenseSync.outcome).toBe('NPN_NOT_FOUND');
    // One alert and one event however often it is tried.
    const listed = await alerts(admin, { agentId: agent.id, kinds: ['NPN_NOT_FOUND'] });
    expect(listed).toEqual([
      expect.objectContaining({ kind: 'NPN_NOT_FOUND', discrepancy: 'NPN_NOT_FOUND', state: null, agent: { id: agent.id } }),
    ]);
    expect(view.data!.agent.events.filter((e: { type: string }) => e.type === 'LICENSING_DISCREPANCY')).toHaveLength(1);

    // The PDB learns the NPN (with the same license): the next sync closes the alert.
    stack.simulators.pdb.setProducer(agent.npn, { firstName: 'Lena', lastName: 'Known', residentState: 'OH' });
    stack.simulators.pdb.setLicense(agent.npn, 'OH', {
      number: 'OH77',
      lines: ['LIFE'],
      effectiveOn: '2025-01-01',
      expiresOn: '2030-01-01',
    });
    const known = await sync(agent.id);
    expect(known.data!.syncAgentLicenses).toMatchObject({ changes: [], discrepanciesResolved: 1 });
    expect(await alerts(admin, { agentId: agent.id })).toEqual([]);
  });
});

describe('licensingAlerts', () => {
  it("lists just-in-time filings due within the window or past, and each agent sees only their own scope's alerts", async () => {
    const agent = await newAgent('GA');
    const due = [
      ['car_summit', 'FL', inDays(3)],
      ['car_summit', 'AL', inDays(-2)],
      ['car_summit', 'SC', inDays(10)],
    ];
    for (const [carrierId, state, dueOn] of due)
      await pool.query(
        `INSERT INTO agents.appointment (id, agent_id, carrier_id, state, status, filing, application_on, filing_due_on)
         VALUES ($1, $2, $3, $4, 'REQUESTED', 'JUST_IN_TIME', $5::date - 15, $5)`,
        [`apt_lsync_${RUN}_${state}`, agent.id, carrierId, state, dueOn],
      );
    const listed = await alerts(admin, { agentId: agent.id, kinds: ['APPOINTMENT_FILING_DUE'] });
    expect(listed.map((a) => [a.state, a.daysLeft, a.carrier?.id])).toEqual([
      ['AL', -2, 'car_summit'],
      ['FL', 3, 'car_summit'],
    ]);
    expect(listed[0].message).toMatch(/overdue/);
    expect(
      (await alerts(admin, { agentId: agent.id, kinds: ['APPOINTMENT_FILING_DUE'], filingDueWithinDays: 15 })).map((a) => a.state),
    ).toEqual(['AL', 'FL', 'SC']);

    // The agent sees their own; another agent sees none of them, even asking by id.
    const own = await alerts(await stack.agentToken(agent.id), {});
    expect(own.map((a) => a.state)).toEqual(['AL', 'FL']);
    expect(own.every((a) => a.agent?.id === agent.id)).toBe(true);
    const other = await newAgent('GA');
    expect(await alerts(await stack.agentToken(other.id), { agentId: agent.id })).toEqual([]);
    expect((await alerts(await stack.agentToken(other.id), {})).some((a) => a.agent?.id === agent.id)).toBe(false);
    // Bounded, and checked.
    expect(await alerts(admin, {}, 3)).toHaveLength(3);
    expect(codes(await ask(admin, ALERTS, { f: {}, first: 501 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await ask(admin, ALERTS, { f: { expiringWithinDays: -1 } }))).toEqual(['BAD_USER_INPUT']);
    // Only ADMIN or SERVICE sync.
    expect(codes(await ask(await stack.agentToken(agent.id), SYNC, { id: agent.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await ask(await stack.token('STAFF'), SYNC, { id: agent.id }))).toEqual(['FORBIDDEN']);
  });
});

describe('the scheduled sync', () => {
  it('syncs least recently synced agents first, each once even with two replicas', async () => {
    const [a, b, c] = [await newAgent('NC'), await newAgent('NC'), await newAgent('NC')];
    for (const agent of [a, b, c]) stack.simulators.pdb.setLicense(agent.npn, 'NC', { lines: ['LIFE'] });
    // Everyone else was synced just now: keep the other tests' agents out of this pass.
    await pool.query(
      `INSERT INTO agents.license_sync (agent_id, synced_at, outcome) SELECT id, now(), 'SYNCED' FROM agents.agent WHERE NOT (id = ANY($1))
       ON CONFLICT (agent_id) DO UPDATE SET synced_at = now(), lease_until = NULL`,
      [[a.id, b.id, c.id]],
    );
    // a synced three days ago, c two days ago, b never.
    await pool.query(
      `INSERT INTO agents.license_sync (agent_id, synced_at, outcome) VALUES ($1, now() - interval '3 days', 'SYNCED'), ($2, now() - interval '2 days', 'SYNCED')`,
      [a.id, c.id],
    );
    const job = (batchSize: number) =>
      new LicenseSyncJob({
        pool,
        logger: createLogger('license-sync-test', 'silent'),
        pdb: new PdbXmlAdapter({
          baseUrl: stack.simulators.env.PDB_URL,
          user: stack.simulators.env.PDB_USER,
          password: stack.simulators.env.PDB_PASSWORD,
        }),
        intervalMs: 60_000,
        batchSize,
        staleSeconds: 86_400,
      });
    const mine = new Set([a.id, b.id, c.id]);
    const first = job(2);
    await first.runOnce();
    expect(first.lastPass.filter((p) => mine.has(p.agentId))).toEqual([
      { agentId: b.id, outcome: 'SYNCED' },
      { agentId: a.id, outcome: 'SYNCED' },
    ]);
    // Two replicas at once: c is synced by one of them, once.
    const [r1, r2] = [job(5), job(5)];
    await Promise.all([r1.runOnce(), r2.runOnce()]);
    const passes = [...r1.lastPass, ...r2.lastPass].filter((p) => mine.has(p.agentId));
    expect(passes).toEqual([{ agentId: c.id, outcome: 'SYNCED' }]);
    const added = await pool.query<{ agentId: string; n: number }>(
      `SELECT agent_id AS "agentId", count(*)::int AS n FROM agents.agent_event WHERE type = 'LICENSE_ADDED' AND agent_id = ANY($1) GROUP BY agent_id`,
      [[a.id, b.id, c.id]],
    );
    expect(added.rows.map((r) => r.n)).toEqual([1, 1, 1]);
    // Synced a moment ago: not due again.
    const later = job(5);
    await later.runOnce();
    expect(later.lastPass.filter((p) => mine.has(p.agentId))).toEqual([]);
  });
});
