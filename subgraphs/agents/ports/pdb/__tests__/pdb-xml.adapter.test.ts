/**
 * The producer-database adapter against the real simulator (simulators/pdb/): a seeded NPN's report
 * read into our records (the name left behind), an unknown NPN, wrong credentials, and the resilience
 * policy: a 5xx or an unreadable answer retried, a hang cut at the deadline.
 */
import { type RunningPdbSimulator, startPdbSimulator } from '../../../../../simulators/pdb/pdb.simulator';
import { pdbWorld } from '../../../../../simulators/pdb/pdb.store';
import { ProducerDatabaseError } from '../../producer-database.port';
import { parseEntityInfo, PdbXmlAdapter } from '../pdb-xml.adapter';

const USER = 'adapter-test';
const PASSWORD = 'adapter-test-password';
const ANCHOR = '2026-01-15';
const WORLD = { anchor: ANCHOR, agents: 40, seed: 11 };
const { world } = pdbWorld(WORLD);
let pdb: RunningPdbSimulator;
const adapter = (over: Partial<ConstructorParameters<typeof PdbXmlAdapter>[0]> = {}) =>
  new PdbXmlAdapter({ baseUrl: pdb.url, user: USER, password: PASSWORD, retryInitialDelayMs: 5, ...over });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as ProducerDatabaseError,
  );

beforeAll(async () => {
  pdb = await startPdbSimulator({ user: USER, password: PASSWORD, world: WORLD });
});
afterAll(() => pdb.stop());
afterEach(() => pdb.control.reset());

it("reads a seeded producer's licenses and appointments as the simulator holds them, and no name", async () => {
  const agent = world.agents.find((a) => world.appointments.some((p) => p.agentId === a.id && p.status === 'ACTIVE'))!;
  const record = pdb.control.producer(agent.npn)!;
  const report = await adapter().producer(agent.npn);
  expect(report.npn).toBe(agent.npn);
  expect(report.residentState).toBe(record.residentState);
  const byState = (a: { state: string }, b: { state: string }) => a.state.localeCompare(b.state);
  expect(report.licenses.sort(byState)).toEqual(
    record.licenses
      .map((l) => ({
        state: l.state,
        number: l.number,
        resident: l.residency === 'RESIDENT',
        licenseClass: l.licenseClass,
        lines: l.lines,
        status: l.status,
        effectiveOn: l.effectiveOn,
        expiresOn: l.expiresOn,
      }))
      .sort(byState),
  );
  expect(report.appointments.length).toBe(record.appointments.length);
  expect(report.appointments).toEqual(
    expect.arrayContaining(
      record.appointments.map((a) => ({
        companyCode: a.carrierCode,
        state: a.state,
        line: a.line,
        status: a.status,
        effectiveOn: a.effectiveOn,
        terminatedOn: a.terminatedOn,
      })),
    ),
  );
  expect(JSON.stringify(report)).not.toContain(agent.lastName);
});

it('answers PDB.NPN_NOT_FOUND for an NPN the database does not know, after one call', async () => {
  const pdbAdapter = adapter();
  const error = await failure(pdbAdapter.producer('99999999'));
  expect(error).toBeInstanceOf(ProducerDatabaseError);
  expect(error.code).toBe('PDB.NPN_NOT_FOUND');
  expect(error.message).not.toContain('99999999');
  expect(pdbAdapter.calls).toBe(1);
});

it('answers PDB.REJECTED for wrong credentials or a malformed NPN, without retrying', async () => {
  const wrong = adapter({ password: 'nope' });
  expect((await failure(wrong.producer(world.agents[0].npn))).code).toBe('PDB.REJECTED');
  expect(wrong.calls).toBe(1);
  expect((await failure(adapter().producer('12ab'))).code).toBe('PDB.REJECTED');
});

it('retries a 5xx and an unreadable answer, then answers', async () => {
  pdb.control.setFault('5xx', { times: 1 });
  const first = adapter();
  expect((await first.producer(world.agents[1].npn)).npn).toBe(world.agents[1].npn);
  expect(first.calls).toBe(2);
  pdb.control.setFault('malformed', { times: 2 });
  const second = adapter();
  expect((await second.producer(world.agents[1].npn)).npn).toBe(world.agents[1].npn);
  expect(second.calls).toBe(3);
});

it('gives up with PDB.UNAVAILABLE when the database stays down, or hangs past the deadline', async () => {
  pdb.control.setFault('5xx');
  const down = adapter({ retries: 2 });
  expect((await failure(down.producer(world.agents[1].npn))).code).toBe('PDB.UNAVAILABLE');
  expect(down.calls).toBe(3);
  pdb.control.setFault('hang');
  const started = Date.now();
  expect((await failure(adapter({ attemptTimeoutMs: 100, deadlineMs: 400 }).producer(world.agents[1].npn))).code).toBe('PDB.UNAVAILABLE');
  expect(Date.now() - started).toBeLessThan(2_000);
  pdb.control.setFault(null);
});

it('refuses a report it cannot read rather than guessing', () => {
  expect(() => parseEntityInfo('<PDB><PRODUCER/></PDB>')).toThrow(ProducerDatabaseError);
  expect(() =>
    parseEntityInfo(
      '<PDB><PRODUCER><INDIVIDUAL><ENTITY_BIOGRAPHIC><BIOGRAPHIC><ID_ENTITY>1</ID_ENTITY></BIOGRAPHIC></ENTITY_BIOGRAPHIC><PRODUCER_LICENSING><LICENSE_INFORMATION><STATE name="TX"><LICENSE><LICENSE_NUM>1</LICENSE_NUM><RESIDENCY_STATUS>RESIDENT</RESIDENCY_STATUS><STATUS>ACTIVE</STATUS><DATE_EFFECTIVE>2020-01-01</DATE_EFFECTIVE><DATE_EXPIRE_LICENSE>2030-01-01</DATE_EXPIRE_LICENSE><DETAILS><DETAIL><LOA>FIRE</LOA></DETAIL></DETAILS></LICENSE></STATE></LICENSE_INFORMATION></PRODUCER_LICENSING></INDIVIDUAL></PRODUCER></PDB>',
    ),
  ).toThrow(/line of authority/);
  // A producer with nothing on file: empty lists.
  expect(
    parseEntityInfo(
      '<PDB><PRODUCER><INDIVIDUAL><ENTITY_BIOGRAPHIC><BIOGRAPHIC><ID_ENTITY>7</ID_ENTITY></BIOGRAPHIC></ENTITY_BIOGRAPHIC><PRODUCER_LICENSING><LICENSE_INFORMATION/><APPOINTMENT_INFORMATION/></PRODUCER_LICENSING></INDIVIDUAL></PRODUCER></PDB>',
    ),
  ).toEqual({ npn: '7', residentState: null, licenses: [], appointments: [] });
});
