import { CARRIERS, productById } from '../../../subgraphs/carriers/fixtures/carriers.fixture';
import { generateWorld } from '../world';

const ANCHOR = '2026-11-24';
const world = generateWorld({ anchor: ANCHOR, cases: 1500, agents: 200, seed: 42 });
const CLOSED = new Set(['PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN']);

describe('the demo world', () => {
  it('is deterministic: the same inputs give the same rows', () => {
    const again = generateWorld({ anchor: ANCHOR, cases: 1500, agents: 200, seed: 42 });
    expect(again.cases.slice(0, 50)).toEqual(world.cases.slice(0, 50));
    expect(again.events.length).toBe(world.events.length);
  });

  it('has unique, prefixed ids and references that exist', () => {
    const agentIds = new Set(world.agents.map((a) => a.id));
    expect(agentIds.size).toBe(200);
    expect(new Set(world.cases.map((c) => c.id)).size).toBe(world.cases.length);
    expect(new Set(world.cases.map((c) => c.caseNumber)).size).toBe(world.cases.length);
    expect(new Set(world.licenses.map((l) => l.id)).size).toBe(world.licenses.length);
    expect(new Set(world.appointments.map((a) => a.id)).size).toBe(world.appointments.length);
    for (const c of world.cases) {
      expect(c.id).toMatch(/^case_\d{6}$/);
      expect(agentIds.has(c.agentId)).toBe(true);
      expect(productById(c.productId)?.carrierId).toBe(c.carrierId);
    }
    for (const a of world.agents) if (a.uplineId) expect(agentIds.has(a.uplineId)).toBe(true);
  });

  it('writes each case through an active appointment of its agent in the insured state', () => {
    const active = new Set(world.appointments.filter((a) => a.status === 'ACTIVE').map((a) => `${a.agentId}|${a.carrierId}|${a.state}`));
    for (const c of world.cases) expect(active.has(`${c.agentId}|${c.carrierId}|${c.insuredState}`)).toBe(true);
  });

  it('has realistic proportions: most placed, 10-15% not taken, some declined, a pending tail', () => {
    const count = (status: string) => world.cases.filter((c) => c.status === status).length;
    const placed = count('PLACED');
    const notTaken = count('NOT_TAKEN');
    const open = world.cases.filter((c) => !CLOSED.has(c.status)).length;
    expect(placed / world.cases.length).toBeGreaterThan(0.5);
    expect(notTaken / (placed + notTaken)).toBeGreaterThan(0.08);
    expect(notTaken / (placed + notTaken)).toBeLessThan(0.17);
    expect(count('DECLINED')).toBeGreaterThan(0);
    expect(open).toBeGreaterThan(0);
    expect(open / world.cases.length).toBeLessThan(0.2);
  });

  it('has dates that add up: events in order up to the anchor, stamps matching the events', () => {
    const eventsByCase = new Map<string, typeof world.events>();
    for (const e of world.events) {
      if (!eventsByCase.has(e.caseId)) eventsByCase.set(e.caseId, []);
      eventsByCase.get(e.caseId)!.push(e);
    }
    const anchorMs = Date.parse(`${ANCHOR}T00:00:00Z`);
    // Collected, then asserted once: a clear list of what is wrong beats 20,000 expect calls.
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => ok || problems.push(what);
    for (const c of world.cases) {
      const events = eventsByCase.get(c.id)!;
      check(
        events[0].type === 'STATUS_CHANGED' && events[0].toStatus === 'SUBMITTED' && events[0].at === c.submittedAt,
        `${c.id}: first event is not the submission`,
      );
      for (let i = 1; i < events.length; i++) check(events[i].at >= events[i - 1].at, `${c.id}: events out of order`);
      check(Date.parse(events.at(-1)!.at) <= anchorMs, `${c.id}: event after the anchor`);
      // The status is where the last status event left the case; each move starts where the last ended.
      const moves = events.filter((e) => e.toStatus);
      check(moves.at(-1)!.toStatus === c.status, `${c.id}: status differs from the last move`);
      for (let i = 1; i < moves.length; i++) check(moves[i].fromStatus === moves[i - 1].toStatus, `${c.id}: a move starts elsewhere`);
      const firstAt = (status: string) => moves.find((e) => e.toStatus === status)?.at ?? null;
      check(c.issuedAt === firstAt('ISSUED'), `${c.id}: issuedAt`);
      check(c.placedAt === firstAt('PLACED'), `${c.id}: placedAt`);
      check((c.closedAt !== null) === CLOSED.has(c.status), `${c.id}: closedAt`);
      if (c.status === 'ISSUED' || c.placedAt) check(c.policyNumber !== null, `${c.id}: policy number`);
    }
    expect(problems).toEqual([]);
  });

  it('has requirements received after they were ordered, and none outstanding on placed cases', () => {
    const statusById = new Map(world.cases.map((c) => [c.id, c.status]));
    const wrong = world.requirements.filter(
      (r) =>
        (r.receivedAt !== null && r.receivedAt < r.orderedAt) ||
        (r.status === 'RECEIVED') !== (r.receivedAt !== null) ||
        (statusById.get(r.caseId) === 'PLACED' && r.status === 'ORDERED'),
    );
    expect(world.requirements.length).toBeGreaterThan(world.cases.length);
    expect(wrong).toEqual([]);
  });

  it('uses every carrier and only fictional email domains', () => {
    expect(new Set(world.cases.map((c) => c.carrierId)).size).toBe(CARRIERS.length);
    for (const a of world.agents) expect(a.email).toMatch(/@example\.com$/);
  });
});
