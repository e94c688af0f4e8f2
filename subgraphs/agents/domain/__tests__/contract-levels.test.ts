import {
  aboveParentProblem,
  BGA_PARTY,
  belowChildrenProblems,
  buildCommissionChains,
  type ChainRow,
  cycleProblem,
  moveProblems,
  type ScheduleTerms,
  unknownLevelProblem,
} from '../contract-levels';

const LEVELS = [
  { code: 'L120', rank: 120 },
  { code: 'L100', rank: 100 },
  { code: 'L85', rank: 85 },
  { code: 'L70', rank: 70 },
];
const CARRIER = 'car_summit';
const PRODUCT = 'prd_summit_level_term';

describe('level nesting', () => {
  it('refuses a level above the upline, naming the rule, the levels and the carrier', () => {
    expect(aboveParentProblem(LEVELS, CARRIER, 'L120', { kind: 'UPLINE', agentId: 'agt_a', levelCode: 'L100' })).toBe(
      "contract level L120 is above the upline's L100 at carrier car_summit (upline agt_a): a child's level is never above its parent's",
    );
  });

  it('accepts a level equal to or below the parent', () => {
    expect(aboveParentProblem(LEVELS, CARRIER, 'L100', { kind: 'UPLINE', agentId: 'agt_a', levelCode: 'L100' })).toBeNull();
    expect(aboveParentProblem(LEVELS, CARRIER, 'L85', { kind: 'UPLINE', agentId: 'agt_a', levelCode: 'L100' })).toBeNull();
    expect(aboveParentProblem(LEVELS, CARRIER, 'L120', { kind: 'BGA', levelCode: 'L120' })).toBeNull();
  });

  it("bounds an agent directly under the BGA by the BGA's level", () => {
    expect(aboveParentProblem([{ code: 'L130', rank: 130 }, ...LEVELS], CARRIER, 'L130', { kind: 'BGA', levelCode: 'L120' })).toMatch(
      /^contract level L130 is above the BGA's L120 at carrier car_summit: /,
    );
  });

  it('needs the parent to hold a contract with the carrier', () => {
    expect(aboveParentProblem(LEVELS, CARRIER, 'L85', { kind: 'UPLINE', agentId: 'agt_a', levelCode: null })).toBe(
      'the upline agt_a has no contract with carrier car_summit: contract the upline first',
    );
    expect(aboveParentProblem(LEVELS, CARRIER, 'L85', { kind: 'BGA', levelCode: null })).toBe(
      'the BGA has no contract with carrier car_summit',
    );
  });

  it("names the carrier's levels for an unknown code", () => {
    expect(unknownLevelProblem(LEVELS, CARRIER, 'L99')).toBe(
      "contract level L99 is not one of carrier car_summit's levels (L120, L100, L85, L70)",
    );
    expect(unknownLevelProblem([], CARRIER, 'L99')).toBe('carrier car_summit has no contract levels on file');
    expect(unknownLevelProblem(LEVELS, CARRIER, 'L85')).toBeNull();
  });

  it("refuses lowering a parent below a child's level, one reason per child", () => {
    const children = [
      { agentId: 'agt_b', levelCode: 'L85' },
      { agentId: 'agt_c', levelCode: 'L70' },
      { agentId: 'agt_d', levelCode: 'L100' },
    ];
    expect(belowChildrenProblems(LEVELS, CARRIER, 'L70', children)).toEqual([
      "contract level L70 is below L85 of downline agent agt_b at carrier car_summit: a parent's level is never below its child's",
      "contract level L70 is below L100 of downline agent agt_d at carrier car_summit: a parent's level is never below its child's",
    ]);
    expect(belowChildrenProblems(LEVELS, CARRIER, 'L100', children)).toEqual([]);
  });

  it('checks a move against the new parent at every carrier the agent is contracted with', () => {
    const levels = new Map([
      [CARRIER, LEVELS],
      ['car_other', LEVELS],
    ]);
    const contracts = [
      { carrierId: CARRIER, levelCode: 'L100' },
      { carrierId: 'car_other', levelCode: 'L85' },
    ];
    const parent = { [CARRIER]: 'L85', car_other: null } as Record<string, string | null>;
    expect(moveProblems(contracts, levels, (carrierId) => ({ kind: 'UPLINE', agentId: 'agt_x', levelCode: parent[carrierId] }))).toEqual([
      "contract level L100 is above the upline's L85 at carrier car_summit (upline agt_x): a child's level is never above its parent's",
      'the upline agt_x has no contract with carrier car_other: contract the upline first',
    ]);
    expect(moveProblems(contracts, levels, () => ({ kind: 'BGA', levelCode: 'L120' }))).toEqual([]);
  });

  it('refuses a move that would make the hierarchy loop', () => {
    expect(cycleProblem('agt_a', 'agt_a', [])).toBe('agent agt_a cannot be their own upline');
    expect(cycleProblem('agt_a', 'agt_c', ['agt_c', 'agt_b', 'agt_a'])).toBe(
      "agent agt_c is in agent agt_a's downline: moving agt_a under them would make a cycle",
    );
    expect(cycleProblem('agt_a', 'agt_x', ['agt_x', 'agt_y'])).toBeNull();
  });
});

/** A schedule row of the docs' worked example: a level's percent on term, 2% renewals, 12 months pro-rated. */
const terms = (levelCode: string | null, percent: number): ScheduleTerms => ({
  levelCode,
  firstYearBasisPoints: percent * 100,
  renewalBasisPoints: percent * 2,
  renewalYears: 10,
  chargebackMonths: 12,
  lapseChargeback: 'PRO_RATA',
});
const row = (agentId: string, depth: number, partyId: string, levelCode: string | null, percent: number): ChainRow => ({
  agentId,
  depth,
  partyId,
  ...terms(levelCode, percent),
});
const BGA = terms('L120', 120);

describe('commission chains', () => {
  it("is the docs' worked example: agent L85, agency L100, BGA L120, in that order", () => {
    const rows = [row('agt_b', 0, 'agt_b', 'L85', 85), row('agt_a', 1, 'agt_agency', 'L100', 100), row('agt_a', 0, 'agt_a', 'L85', 85)];
    rows.push(row('agt_b', 1, 'agt_agency', 'L100', 100));
    const { chains, problems } = buildCommissionChains({
      carrierId: CARRIER,
      productId: PRODUCT,
      agentIds: ['agt_a', 'agt_b', 'agt_a'],
      rows,
      bga: BGA,
    });
    expect(problems).toEqual([]);
    expect(chains.map((c) => c.agentId)).toEqual(['agt_a', 'agt_b']);
    expect(chains[0]).toEqual({
      agentId: 'agt_a',
      levels: [
        { partyId: 'agt_a', levelCode: 'L85', firstYearBasisPoints: 8500, renewalBasisPoints: 170, renewalYears: 10 },
        { partyId: 'agt_agency', levelCode: 'L100', firstYearBasisPoints: 10000, renewalBasisPoints: 200, renewalYears: 10 },
        { partyId: BGA_PARTY, levelCode: 'L120', firstYearBasisPoints: 12000, renewalBasisPoints: 240, renewalYears: 10 },
      ],
      chargebackMonths: 12,
      lapseChargeback: 'PRO_RATA',
    });
  });

  it("takes the chargeback rule from the BGA's schedule row", () => {
    const { chains } = buildCommissionChains({
      carrierId: CARRIER,
      productId: PRODUCT,
      agentIds: ['agt_a'],
      rows: [row('agt_a', 0, 'agt_a', 'L100', 100)],
      bga: { ...BGA, chargebackMonths: 6, lapseChargeback: 'FULL' },
    });
    expect(chains[0]).toMatchObject({ chargebackMonths: 6, lapseChargeback: 'FULL' });
    expect(chains[0].levels.map((l) => l.partyId)).toEqual(['agt_a', BGA_PARTY]);
  });

  it('is a problem for an agent without a contract, an upline without one, or an unknown agent; other agents still chain', () => {
    const { chains, problems } = buildCommissionChains({
      carrierId: CARRIER,
      productId: PRODUCT,
      agentIds: ['agt_none', 'agt_ok', 'agt_orphan', 'agt_ghost'],
      rows: [
        row('agt_none', 0, 'agt_none', null, 0),
        row('agt_ok', 0, 'agt_ok', 'L85', 85),
        row('agt_orphan', 0, 'agt_orphan', 'L85', 85),
        row('agt_orphan', 1, 'agt_agency', null, 0),
      ],
      bga: BGA,
    });
    expect(chains.map((c) => c.agentId)).toEqual(['agt_ok']);
    expect(problems).toEqual([
      { agentId: 'agt_none', reason: 'agent agt_none has no contract with carrier car_summit' },
      { agentId: 'agt_orphan', reason: 'agent agt_agency has no contract with carrier car_summit' },
      { agentId: 'agt_ghost', reason: 'agent agt_ghost not found' },
    ]);
  });

  it('is a problem when the BGA holds no contract or a level has no schedule row for the product', () => {
    const noBga = buildCommissionChains({
      carrierId: CARRIER,
      productId: PRODUCT,
      agentIds: ['agt_a'],
      rows: [row('agt_a', 0, 'agt_a', 'L85', 85)],
      bga: { ...terms(null, 0), firstYearBasisPoints: null, renewalBasisPoints: null, renewalYears: null },
    });
    expect(noBga.problems).toEqual([{ agentId: 'agt_a', reason: 'the BGA has no contract with carrier car_summit' }]);
    const noSchedule = buildCommissionChains({
      carrierId: CARRIER,
      productId: PRODUCT,
      agentIds: ['agt_a'],
      rows: [{ ...row('agt_a', 0, 'agt_a', 'L85', 85), firstYearBasisPoints: null }],
      bga: BGA,
    });
    expect(noSchedule.problems[0].reason).toBe(
      'no commission schedule for product prd_summit_level_term at level L85 of carrier car_summit (agent agt_a)',
    );
  });

  it('is a problem when an upline of the date pays less than the level below it', () => {
    const { problems } = buildCommissionChains({
      carrierId: CARRIER,
      productId: PRODUCT,
      agentIds: ['agt_a'],
      rows: [row('agt_a', 0, 'agt_a', 'L100', 100), row('agt_a', 1, 'agt_old', 'L85', 85)],
      bga: BGA,
    });
    expect(problems).toEqual([
      { agentId: 'agt_a', reason: 'level L85 of agent agt_old pays less than L100 of agt_a below it at carrier car_summit' },
    ]);
  });
});
