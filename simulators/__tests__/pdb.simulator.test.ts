/**
 * The producer-database simulator on the raw wire: HTTP Basic auth, a seeded NPN's entity-info XML
 * parsed back against the demo world's licenses and appointments, unknown and malformed NPNs, the
 * planted discrepancies, control changes (in process and over HTTP) reflected in the XML, faults,
 * latency and counts, nothing personal in what it logs, and its place in startSimulators.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PDB_LINE_OF, pdbWorld } from '../pdb/pdb.store';
import { type RunningPdbSimulator, startPdbSimulator } from '../pdb/pdb.simulator';
import { startSimulators } from '../simulators';
import { DEV_PDB_PASSWORD, DEV_PDB_USER } from '../../platform/config';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { DAY_MS, dateMs } from '../../scripts/seed/random';

const USER = 'test-pdb-customer';
const PASSWORD = 'test-pdb-password';
const ANCHOR = '2026-01-15';
const { world } = pdbWorld({ anchor: ANCHOR });
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['STATE', 'LICENSE', 'DETAIL', 'APPOINTMENT'].includes(name),
});

interface ParsedLicense {
  state: string;
  number: string;
  licenseClass: string;
  residency: string;
  status: string;
  effectiveOn: string;
  expiresOn: string;
  lines: string[];
}
interface ParsedAppointment {
  state: string;
  carrierCode: string;
  carrierName: string;
  line: string;
  status: string;
  effectiveOn: string;
  terminatedOn: string | null;
}
type Node = Record<string, any>;

/** The entity-info report as plain records (what an adapter would read). */
function parseReport(xml: string) {
  const individual: Node = reader.parse(xml).PDB.PRODUCER.INDIVIDUAL;
  const bio: Node = individual.ENTITY_BIOGRAPHIC.BIOGRAPHIC;
  const licensing: Node = individual.PRODUCER_LICENSING;
  const licenses: ParsedLicense[] = (licensing.LICENSE_INFORMATION?.STATE ?? []).flatMap((state: Node) =>
    state.LICENSE.map((l: Node) => ({
      state: state['@_name'],
      number: l.LICENSE_NUM,
      licenseClass: l.LICENSE_CLASS,
      residency: l.RESIDENCY_STATUS,
      status: l.STATUS,
      effectiveOn: l.DATE_EFFECTIVE,
      expiresOn: l.DATE_EXPIRE_LICENSE,
      lines: l.DETAILS.DETAIL.map((d: Node) => d.LOA),
    })),
  );
  const appointments: ParsedAppointment[] = (licensing.APPOINTMENT_INFORMATION?.STATE ?? []).flatMap((state: Node) =>
    state.APPOINTMENT.map((a: Node) => ({
      state: state['@_name'],
      carrierCode: a.COMPANY_CODE,
      carrierName: a.COMPANY_NAME,
      line: a.LINE_OF_AUTHORITY,
      status: a.STATUS,
      effectiveOn: a.DATE_EFFECTIVE,
      terminatedOn: a.DATE_TERMINATED ?? null,
    })),
  );
  return {
    npn: bio.ID_ENTITY,
    firstName: bio.NAME_FIRST,
    lastName: bio.NAME_LAST,
    residentState: bio.STATE_RESIDENT,
    licenses,
    appointments,
  };
}

const errorOf = (xml: string): { CODE: string; DESCRIPTION: string } => reader.parse(xml).PDB.ERROR;

let pdb: RunningPdbSimulator;

async function entityInfo(npn: string, init: { auth?: string | null; signal?: AbortSignal } = {}) {
  const headers: Record<string, string> = {};
  const auth = init.auth === undefined ? basic(USER, PASSWORD) : init.auth;
  if (auth) headers.authorization = auth;
  const res = await fetch(`${pdb.url}/pdb/entity-info?npn=${encodeURIComponent(npn)}`, { headers, signal: init.signal });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

async function report(npn: string) {
  const res = await entityInfo(npn);
  expect(res.status).toBe(200);
  return parseReport(res.body);
}

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${pdb.url}/_control${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  pdb = await startPdbSimulator({ user: USER, password: PASSWORD, world: { anchor: ANCHOR }, now: () => dateMs(ANCHOR) + 3_600_000 });
});
afterAll(async () => {
  await pdb.stop();
});
beforeEach(() => pdb.control.reset());

const planted = (kind: string) => pdb.control.discrepancies.find((d) => d.kind === kind)!;
const agentOf = (npn: string) => world.agents.find((a) => a.npn === npn)!;
const plantedNpns = () => new Set(pdb.control.discrepancies.map((d) => d.npn));

describe('authentication', () => {
  it('answers 401 with an XML error without credentials or with wrong ones, and counts nothing', async () => {
    const npn = world.agents[0].npn;
    for (const auth of [null, basic(USER, 'wrong'), basic('someone', PASSWORD), 'Bearer x', 'Basic !!!']) {
      const res = await entityInfo(npn, { auth });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="PDB"');
      expect(errorOf(res.body).CODE).toBe('UNAUTHORIZED');
    }
    expect(pdb.control.counts.entityInfo).toBe(0);
  });

  it('has development credentials in platform/config', () => {
    expect(DEV_PDB_USER).toBeTruthy();
    expect(DEV_PDB_PASSWORD).toMatch(/do-not-use-in-production/);
  });
});

describe('the seeded data', () => {
  it('knows exactly the NPNs of the demo world', () => {
    expect(pdb.control.store.npns().sort()).toEqual(world.agents.map((a) => a.npn).sort());
  });

  it("answers a seeded NPN with the seed's licenses and filed appointments", async () => {
    // Every agent not carrying a planted discrepancy, with some appointment the PDB knows: the XML is the seed's record.
    const agents = world.agents.filter((a) => !plantedNpns().has(a.npn)).slice(0, 20);
    for (const agent of agents) {
      const parsed = await report(agent.npn);
      expect(parsed).toMatchObject({ npn: agent.npn, residentState: agent.residentState });
      const licenses = world.licenses
        .filter((l) => l.agentId === agent.id)
        .map((l) => ({
          state: l.state,
          number: l.number,
          licenseClass: 'Insurance Producer',
          residency: l.resident ? 'RESIDENT' : 'NON_RESIDENT',
          status: dateMs(l.expiresOn) >= dateMs(ANCHOR) ? 'ACTIVE' : 'INACTIVE',
          effectiveOn: l.effectiveOn,
          expiresOn: l.expiresOn,
          lines: [...new Set(l.linesOfAuthority.map((line) => PDB_LINE_OF[line]))],
        }));
      const byState = (a: { state: string }, b: { state: string }) => a.state.localeCompare(b.state);
      expect(parsed.licenses.sort(byState)).toEqual(licenses.sort(byState));
      const key = (a: { carrierCode: string; state: string }) => `${a.carrierCode}/${a.state}`;
      const appointments = world.appointments
        .filter((p) => p.agentId === agent.id && p.status !== 'REQUESTED')
        .map((p) => {
          const carrier = CARRIERS.find((c) => c.id === p.carrierId)!;
          return {
            state: p.state,
            carrierCode: carrier.code,
            carrierName: carrier.name,
            line: 'LIFE',
            status: p.status,
            effectiveOn: p.effectiveOn,
            terminatedOn: p.terminatedOn,
          };
        });
      expect(parsed.appointments.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
        appointments.sort((a, b) => key(a).localeCompare(key(b))),
      );
    }
    // Both kinds of appointment and of license status came through somewhere.
    const all = await Promise.all(agents.map((a) => report(a.npn)));
    expect(new Set(all.flatMap((r) => r.appointments.map((a) => a.status)))).toEqual(new Set(['ACTIVE', 'TERMINATED']));
    expect(new Set(all.flatMap((r) => r.licenses.map((l) => l.status)))).toEqual(new Set(['ACTIVE', 'INACTIVE']));
  });

  it('answers the same data for the same anchor: it is deterministic', async () => {
    const again = pdbWorld({ anchor: ANCHOR }).world;
    expect(again.licenses).toEqual(world.licenses);
    const other = await startPdbSimulator({ user: USER, password: PASSWORD, world: { anchor: ANCHOR } });
    try {
      expect(other.control.discrepancies).toEqual(pdb.control.discrepancies);
    } finally {
      await other.stop();
    }
  });
});

describe('errors', () => {
  it('answers an NPN the seed has no agent for with 404 NPN_NOT_FOUND', async () => {
    const res = await entityInfo('99999999');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/xml/);
    expect(errorOf(res.body)).toMatchObject({ CODE: 'NPN_NOT_FOUND' });
  });

  it('answers a malformed NPN with 400 INVALID_NPN, never echoing it', async () => {
    for (const npn of ['', 'abc', '12345678901', '1234 5', '-1', '<x>']) {
      const res = await entityInfo(npn);
      expect(res.status).toBe(400);
      expect(errorOf(res.body).CODE).toBe('INVALID_NPN');
      if (npn) expect(res.body).not.toContain(npn);
    }
  });

  it('answers other paths and methods with XML errors', async () => {
    const auth = { authorization: basic(USER, PASSWORD) };
    const other = await fetch(`${pdb.url}/pdb/other`, { headers: auth });
    expect(other.status).toBe(404);
    expect(errorOf(await other.text()).CODE).toBe('NOT_FOUND');
    const post = await fetch(`${pdb.url}/pdb/entity-info?npn=1`, { method: 'POST', headers: auth, body: '<x/>' });
    expect(post.status).toBe(405);
    expect(errorOf(await post.text()).CODE).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('the planted discrepancies', () => {
  it('are three, one of each kind, each on its own ACTIVE writing agent', () => {
    const discrepancies = pdb.control.discrepancies;
    expect(discrepancies.map((d) => d.kind).sort()).toEqual(['EXPIRING_SOON', 'EXTRA_STATE', 'INACTIVE_LICENSE']);
    expect(plantedNpns().size).toBe(3);
    for (const d of discrepancies) {
      const agent = agentOf(d.npn);
      expect(agent.status).toBe('ACTIVE');
      expect(world.appointments.some((a) => a.agentId === agent.id && a.status === 'ACTIVE')).toBe(true);
    }
  });

  it('EXPIRING_SOON: a license ours has expiring after 60 days expires within 60 days in the XML', async () => {
    const d = planted('EXPIRING_SOON');
    const ours = world.licenses.find((l) => l.agentId === agentOf(d.npn).id && l.state === d.state)!;
    expect(dateMs(ours.expiresOn)).toBeGreaterThan(dateMs(ANCHOR) + 60 * DAY_MS);
    const theirs = (await report(d.npn)).licenses.find((l) => l.state === d.state)!;
    expect(theirs.status).toBe('ACTIVE');
    expect(dateMs(theirs.expiresOn)).toBeGreaterThanOrEqual(dateMs(ANCHOR));
    expect(dateMs(theirs.expiresOn)).toBeLessThanOrEqual(dateMs(ANCHOR) + 60 * DAY_MS);
    expect(theirs.number).toBe(ours.number);
  });

  it('EXTRA_STATE: the XML has an ACTIVE LIFE license in a state where ours has none', async () => {
    const d = planted('EXTRA_STATE');
    expect(world.licenses.some((l) => l.agentId === agentOf(d.npn).id && l.state === d.state)).toBe(false);
    const theirs = (await report(d.npn)).licenses.find((l) => l.state === d.state)!;
    expect(theirs).toMatchObject({ status: 'ACTIVE', residency: 'NON_RESIDENT', lines: ['LIFE'] });
  });

  it('INACTIVE_LICENSE: a license ours has as active is INACTIVE in the XML', async () => {
    const d = planted('INACTIVE_LICENSE');
    const ours = world.licenses.find((l) => l.agentId === agentOf(d.npn).id && l.state === d.state)!;
    expect(dateMs(ours.expiresOn)).toBeGreaterThanOrEqual(dateMs(ANCHOR));
    const theirs = (await report(d.npn)).licenses.find((l) => l.state === d.state)!;
    expect(theirs.status).toBe('INACTIVE');
    expect(theirs.expiresOn).toBe(ours.expiresOn);
  });

  it('are listed over HTTP too', async () => {
    const res = await control('GET', '/discrepancies');
    expect(res.body).toEqual(pdb.control.discrepancies);
  });
});

describe('control changes', () => {
  const agent = () => world.agents.find((a) => a.status === 'ACTIVE' && !plantedNpns().has(a.npn))!;

  it('setLicense, expireLicense, addAppointment and terminateAppointment show in the XML; reset undoes them', async () => {
    const { npn } = agent();
    const before = await report(npn);
    const newState = ['WY', 'VT', 'AK', 'ND'].find((s) => !before.licenses.some((l) => l.state === s))!;
    pdb.control.setLicense(npn, newState, { lines: ['LIFE', 'ANNUITY'], expiresOn: '2027-12-31' });
    const existing = before.licenses.find((l) => l.status === 'ACTIVE')!;
    pdb.control.expireLicense(npn, existing.state);
    const appointed = CARRIERS.find((c) => !before.appointments.some((a) => a.carrierCode === c.code && a.state === newState))!;
    pdb.control.addAppointment(npn, { carrierCode: appointed.code, state: newState });
    const active = before.appointments.find((a) => a.status === 'ACTIVE')!;
    pdb.control.terminateAppointment(npn, active.carrierCode, active.state, '2026-01-10');

    const after = await report(npn);
    expect(after.licenses.find((l) => l.state === newState)).toEqual({
      state: newState,
      number: `${newState}${npn.slice(-6)}N`,
      licenseClass: 'Insurance Producer',
      residency: 'NON_RESIDENT',
      status: 'ACTIVE',
      effectiveOn: ANCHOR,
      expiresOn: '2027-12-31',
      lines: ['LIFE', 'ANNUITY'],
    });
    expect(after.licenses.find((l) => l.state === existing.state)).toMatchObject({ status: 'INACTIVE', expiresOn: '2026-01-14' });
    expect(after.appointments.find((a) => a.carrierCode === appointed.code && a.state === newState)).toEqual({
      state: newState,
      carrierCode: appointed.code,
      carrierName: appointed.name,
      line: 'LIFE',
      status: 'ACTIVE',
      effectiveOn: ANCHOR,
      terminatedOn: null,
    });
    expect(after.appointments.find((a) => a.carrierCode === active.carrierCode && a.state === active.state)).toMatchObject({
      status: 'TERMINATED',
      terminatedOn: '2026-01-10',
    });

    pdb.control.reset();
    expect(await report(npn)).toEqual(before);
  });

  it('makes the same changes over HTTP, and refuses bad ones with 400 or 404', async () => {
    const npn = '12345';
    expect((await control('GET', `/producers/${npn}`)).status).toBe(404);
    expect((await control('PUT', `/producers/${npn}`, { firstName: 'Test', lastName: 'Producer', residentState: 'OH' })).status).toBe(200);
    expect((await control('PUT', `/producers/${npn}/licenses/OH`, { lines: ['LIFE'] })).body).toMatchObject({ residency: 'RESIDENT' });
    expect((await control('POST', `/producers/${npn}/appointments`, { carrierCode: CARRIERS[0].code, state: 'OH' })).status).toBe(200);
    expect(
      (await control('POST', `/producers/${npn}/appointments/${CARRIERS[0].code}/OH/terminate`, { on: '2026-01-12' })).body,
    ).toMatchObject({ status: 'TERMINATED', terminatedOn: '2026-01-12' });
    expect((await control('POST', `/producers/${npn}/licenses/OH/expire`, { on: '2026-01-01' })).body).toMatchObject({
      status: 'INACTIVE',
      expiresOn: '2026-01-01',
    });
    const parsed = await report(npn);
    expect(parsed.licenses).toHaveLength(1);
    expect(parsed.appointments).toHaveLength(1);

    expect((await control('PUT', `/producers/${npn}/licenses/OH`, { lines: ['FIRE'] })).status).toBe(400);
    expect((await control('PUT', `/producers/${npn}/licenses/Ohio`, {})).status).toBe(400);
    expect((await control('PUT', `/producers/${npn}/licenses/OH`, { expiresOn: '31/12/2027' })).status).toBe(400);
    expect((await control('POST', `/producers/${npn}/appointments`, { carrierCode: 'NOPE', state: 'OH' })).status).toBe(400);
    expect((await control('POST', `/producers/${npn}/licenses/TX/expire`, {})).body).toMatchObject({ error: 'LICENSE_NOT_FOUND' });
    expect((await control('POST', '/producers/99999999/licenses/TX/expire', {})).body).toMatchObject({ error: 'NPN_NOT_FOUND' });
    expect((await control('POST', '/nowhere', {})).status).toBe(404);

    expect((await control('POST', '/reset', {})).status).toBe(200);
    expect((await entityInfo(npn)).status).toBe(404);
  });
});

describe('faults, latency and counts', () => {
  const npn = () => world.agents[1].npn;

  it('5xx answers 503 SERVICE_UNAVAILABLE for `times` calls, then heals', async () => {
    pdb.control.setFault('5xx', { times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await entityInfo(npn());
      expect(res.status).toBe(503);
      expect(errorOf(res.body).CODE).toBe('SERVICE_UNAVAILABLE');
    }
    expect((await entityInfo(npn())).status).toBe(200);
  });

  it('malformed answers a 200 whose XML does not parse', async () => {
    expect((await control('PUT', '/fault', { fault: 'malformed', times: 1 })).status).toBe(200);
    const res = await entityInfo(npn());
    expect(res.status).toBe(200);
    expect(XMLValidator.validate(res.body)).not.toBe(true);
  });

  it('hang never answers (until the fault is cleared)', async () => {
    pdb.control.setFault('hang');
    await expect(entityInfo(npn(), { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect((await control('DELETE', '/fault')).status).toBe(200);
    expect((await entityInfo(npn())).status).toBe(200);
  });

  it('refuses an unknown fault', async () => {
    expect((await control('PUT', '/fault', { fault: 'explode' })).status).toBe(400);
  });

  it('adds latency', async () => {
    expect((await control('PUT', '/latency', { fixedMs: 120 })).body).toEqual({ fixedMs: 120, jitterMs: 0 });
    const started = Date.now();
    await entityInfo(npn());
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('counts calls and logs each outcome, over HTTP too', async () => {
    await entityInfo(npn());
    await entityInfo('99999999');
    await entityInfo('bad');
    expect(pdb.control.counts).toEqual({ entityInfo: 3 });
    expect((await control('GET', '/counts')).body).toEqual({ entityInfo: 3 });
    expect(pdb.control.calls().map(({ status, code }) => [status, code])).toEqual([
      [200, null],
      [404, 'NPN_NOT_FOUND'],
      [400, 'INVALID_NPN'],
    ]);
    expect((await control('DELETE', '/counts')).status).toBe(200);
    expect(pdb.control.counts).toEqual({ entityInfo: 0 });
  });
});

describe('personal data', () => {
  it('logs nothing, and its call log and counts hold no name and no NPN', async () => {
    const agent = world.agents[2];
    const written: string[] = [];
    const spies = [
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
        jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))),
      ),
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true)),
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true)),
    ];
    try {
      const ok = await entityInfo(agent.npn);
      expect(ok.body).toContain(agent.lastName);
      await entityInfo(agent.npn, { auth: basic(USER, 'wrong') });
      await entityInfo('99999999');
      await entityInfo(`${agent.lastName}`);
      pdb.control.setFault('5xx', { times: 1 });
      await entityInfo(agent.npn);
      await control('PUT', `/producers/${agent.npn}/licenses/Nope`, {});
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(written).toEqual([]);
    const kept = JSON.stringify([pdb.control.calls(), pdb.control.counts]);
    for (const personal of [agent.firstName, agent.lastName, agent.npn]) expect(kept).not.toContain(personal);
  });
});

describe('startSimulators', () => {
  it('starts the producer database with the development credentials and hands back PDB_URL, PDB_USER, PDB_PASSWORD and its control', async () => {
    const sims = await startSimulators({ carriers: [], pdb: { world: { anchor: ANCHOR } } });
    try {
      expect(sims.env).toMatchObject({ PDB_USER: DEV_PDB_USER, PDB_PASSWORD: DEV_PDB_PASSWORD });
      const npn = world.agents[0].npn;
      const res = await fetch(`${sims.env.PDB_URL}/pdb/entity-info?npn=${npn}`, {
        headers: { authorization: basic(sims.env.PDB_USER, sims.env.PDB_PASSWORD) },
      });
      expect(res.status).toBe(200);
      expect(parseReport(await res.text()).npn).toBe(npn);
      expect(sims.pdb.counts.entityInfo).toBe(1);
      expect(sims.pdb.discrepancies).toEqual(pdb.control.discrepancies);
    } finally {
      await sims.stop();
    }
  });
});
