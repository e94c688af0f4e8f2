import { CARRIERS } from '../../../subgraphs/carriers/fixtures/carriers.fixture';
import { DEMO_LEVELS, demoAgentContracts, demoBgaLevel, demoScheduleTerms } from '../contracts';
import { generateWorld } from '../world';

const world = generateWorld({ anchor: '2026-01-15', cases: 200, agents: 120, seed: 7 });
const contracts = demoAgentContracts(world, CARRIERS);
const level = new Map(contracts.map((c) => [`${c.agentId}|${c.carrierId}`, c.level]));
const bga = new Map(CARRIERS.map((c, i) => [c.id, demoBgaLevel(i)]));

describe('demo contracts', () => {
  it("nest: every agent's level is at most its upline's (the BGA's for an agency) at the same carrier", () => {
    const upline = new Map(world.agents.map((a) => [a.id, a.uplineId]));
    for (const contract of contracts) {
      const parent = upline.get(contract.agentId);
      const cap = parent ? level.get(`${parent}|${contract.carrierId}`) : bga.get(contract.carrierId);
      expect(cap).toBeDefined();
      expect(contract.level).toBeLessThanOrEqual(cap!);
    }
  });

  it('give every writing agent of a demo case a contract with its carrier, and agencies one with every carrier', () => {
    for (const c of world.cases) expect(level.has(`${c.agentId}|${c.carrierId}`)).toBe(true);
    for (const agency of world.agents.filter((a) => a.uplineId === null)) {
      for (const carrier of CARRIERS) expect(level.has(`${agency.id}|${carrier.id}`)).toBe(true);
    }
  });

  it("represent the docs' worked example: a carrier with the BGA at L120 pays 120% / 100% / 85% first-year on term", () => {
    const index = CARRIERS.findIndex((_, i) => demoBgaLevel(i) === 120);
    const term = CARRIERS[index].products.find((p) => p.type === 'TERM')!;
    expect([120, 100, 85].map((l) => demoScheduleTerms(term, l, index).firstYearBasisPoints)).toEqual([12000, 10000, 8500]);
  });

  it('never pay a higher level less than a lower one, on any product', () => {
    CARRIERS.forEach((carrier, i) => {
      for (const product of carrier.products) {
        const rates = [...DEMO_LEVELS].sort((a, b) => a - b).map((l) => demoScheduleTerms(product, l, i));
        for (let k = 1; k < rates.length; k++) {
          expect(rates[k].firstYearBasisPoints).toBeGreaterThanOrEqual(rates[k - 1].firstYearBasisPoints);
          expect(rates[k].renewalBasisPoints).toBeGreaterThanOrEqual(rates[k - 1].renewalBasisPoints);
        }
      }
    });
  });

  it('do not depend on the order agents are listed in (the seed reads them from the database)', () => {
    const reversed = demoAgentContracts({ agents: [...world.agents].reverse(), appointments: world.appointments }, CARRIERS);
    const key = (c: { agentId: string; carrierId: string; level: number }) => `${c.agentId}|${c.carrierId}|${c.level}`;
    expect(reversed.map(key).sort()).toEqual(contracts.map(key).sort());
  });
});
