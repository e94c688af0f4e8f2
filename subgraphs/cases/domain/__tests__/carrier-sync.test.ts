/**
 * The carrier-sync plan on its own: the carrier wins, one step per change, unknown codes noted once;
 * every ACORD PolicyStatus code of docs/domain.md "Carrier status as carriers send it" through the plan (as the carriers
 * subgraph maps it: status + qualifier), the carrier's moves out of a closed state (reconsideration,
 * free-look), conditional approval, counter-offer terms with their re-pricing, and requirements
 * matched by identity, never by code.
 */
import type { CaseStatusCode as CaseStatus } from '../../../shared/vocabulary';
import { type CarrierReport, type SyncedCase, changedTerms, eventsOf, planSync } from '../carrier-sync';
import { checkCarrierMove } from '../case-status';

const NOW = '2026-02-01T10:00:00.000Z';
const EARLIER = '2026-01-10T10:00:00.000Z';

const CASE: SyncedCase = {
  status: 'SUBMITTED',
  approvedAt: null,
  issuedAt: null,
  placedAt: null,
  closedAt: null,
  policyNumber: null,
  appliedHealthClass: 'PREFERRED',
  approvedHealthClass: null,
  faceAmount: 500_000,
  approvedFaceAmount: null,
  tableRating: 0,
  flatExtraPerThousandCents: 0,
  flatExtraYears: null,
  annualPremiumCents: 37_000,
  modalPremiumCents: 3_238,
};
const inState = (status: CaseStatus, extra: Partial<SyncedCase> = {}): SyncedCase => ({
  ...CASE,
  status,
  ...(['PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN'].includes(status) ? { closedAt: EARLIER } : {}),
  ...(status === 'PLACED' ? { placedAt: EARLIER, issuedAt: EARLIER, approvedAt: EARLIER, policyNumber: 'P-1' } : {}),
  ...extra,
});
const report = (over: Partial<CarrierReport>): CarrierReport => ({
  status: null,
  carrierStatusCode: '21',
  qualifier: null,
  statusNote: null,
  approvedTerms: null,
  policyNumber: null,
  requirements: [],
  ...over,
});

/**
 * the list of docs/domain.md "Carrier status as carriers send it" as the carriers subgraph hands it over (status, qualifier), each with the case
 * state it is met in and what the plan must do: move to a status, or nothing.
 */
const CODES: [tc: string, status: CaseStatus | null, qualifier: string | null, from: CaseStatus, expected: CaseStatus | null][] = [
  ['12', null, 'PROPOSED', 'SUBMITTED', null],
  ['21', 'SUBMITTED', null, 'SUBMITTED', null],
  ['22', 'SUBMITTED', 'PENDING_TRANSMISSION', 'SUBMITTED', null],
  ['8', 'IN_UNDERWRITING', null, 'SUBMITTED', 'IN_UNDERWRITING'],
  ['54', 'IN_UNDERWRITING', null, 'REQUIREMENTS_OUTSTANDING', 'IN_UNDERWRITING'],
  ['23', 'INCOMPLETE', null, 'IN_UNDERWRITING', 'INCOMPLETE'],
  ['24', 'APPROVED', null, 'IN_UNDERWRITING', 'APPROVED'],
  ['53', 'APPROVED', 'CONDITIONAL_APPROVAL', 'IN_UNDERWRITING', 'APPROVED'],
  ['58', 'APPROVED', 'TENTATIVE_OFFER', 'IN_UNDERWRITING', 'APPROVED'],
  ['103', 'APPROVED', 'ISSUE_HOLD', 'IN_UNDERWRITING', 'APPROVED'],
  ['26', 'APPROVED_OTHER_THAN_APPLIED', 'COUNTER_OFFER', 'IN_UNDERWRITING', 'APPROVED_OTHER_THAN_APPLIED'],
  ['25', 'ISSUED', null, 'APPROVED', 'ISSUED'],
  ['44', 'DELIVERY_REQUIREMENTS', null, 'ISSUED', 'DELIVERY_REQUIREMENTS'],
  ['43', 'ISSUED', 'NON_MATERIAL_CHANGES', 'APPROVED', 'ISSUED'],
  ['1', 'PLACED', null, 'DELIVERY_REQUIREMENTS', 'PLACED'],
  ['27', 'DECLINED', null, 'IN_UNDERWRITING', 'DECLINED'],
  ['35', 'DECLINED', 'NOT_ELIGIBLE', 'SUBMITTED', 'DECLINED'],
  ['29', 'POSTPONED', null, 'IN_UNDERWRITING', 'POSTPONED'],
  ['59', 'WITHDRAWN', 'HOME_OFFICE_WITHDREW', 'IN_UNDERWRITING', 'WITHDRAWN'],
  ['60', 'WITHDRAWN', null, 'SUBMITTED', 'WITHDRAWN'],
  ['39', 'WITHDRAWN', 'CUSTOMER_CANCELLED', 'APPROVED', 'WITHDRAWN'],
  ['98', 'INCOMPLETE', 'FURTHER_INFORMATION_UNOBTAINABLE', 'REQUIREMENTS_OUTSTANDING', 'INCOMPLETE'],
  ['97', 'APPROVED', 'RECONSIDERED', 'INCOMPLETE', 'APPROVED'],
  ['7', 'NOT_TAKEN', null, 'ISSUED', 'NOT_TAKEN'],
  ['65', 'NOT_TAKEN', null, 'DELIVERY_REQUIREMENTS', 'NOT_TAKEN'],
  ['51', 'NOT_TAKEN', 'NOT_PLACED', 'APPROVED', 'NOT_TAKEN'],
  ['50', 'NOT_TAKEN', 'FREE_LOOK', 'PLACED', 'NOT_TAKEN'],
];

describe('every ACORD PolicyStatus code of docs/domain.md through the plan', () => {
  it.each(CODES)('tc %s (%s %s) met in %s → %s', (tc, status, qualifier, from, expected) => {
    const steps = planSync(inState(from), [], new Set(), report({ status, qualifier, carrierStatusCode: tc }), NOW);
    if (expected === null) {
      // No move, and nothing "unknown" noted: 12 (proposed) is not yet submitted, 21/22 are where the case is.
      expect(steps).toEqual([]);
      return;
    }
    expect(steps).toEqual([expect.objectContaining({ kind: 'status', from, to: expected })]);
    const step = steps[0] as Extract<(typeof steps)[number], { kind: 'status' }>;
    expect(step.note).toMatch(new RegExp(`^carrier status ${tc}`));
  });

  it('keeps an unknown code raw, noted once, and never moves on it', () => {
    const unknown = report({ status: null, carrierStatusCode: '1000500003' });
    expect(planSync(CASE, [], new Set(), unknown, NOW)).toEqual([{ kind: 'note', note: 'unknown carrier status code 1000500003' }]);
    expect(planSync(CASE, [], new Set(['unknown carrier status code 1000500003']), unknown, NOW)).toEqual([]);
  });
});

describe("the carrier's moves out of a closed state", () => {
  it('reconsideration (97) reopens an INCOMPLETE case as APPROVED: approvedAt stamped, closedAt cleared', () => {
    const steps = planSync(
      inState('INCOMPLETE'),
      [],
      new Set(),
      report({ status: 'APPROVED', qualifier: 'RECONSIDERED', carrierStatusCode: '97', statusNote: 'reconsidered and approved' }),
      NOW,
    );
    expect(steps).toEqual([
      {
        kind: 'status',
        from: 'INCOMPLETE',
        to: 'APPROVED',
        stamps: { approvedAt: NOW },
        reopen: true,
        unplace: false,
        policyNumber: null,
        note: 'carrier status 97: reconsidered and approved',
      },
    ]);
  });

  it('free-look (50) turns a PLACED case NOT_TAKEN and out of the placed count (placedAt cleared), noted', () => {
    const steps = planSync(
      inState('PLACED'),
      [],
      new Set(),
      report({ status: 'NOT_TAKEN', qualifier: 'FREE_LOOK', carrierStatusCode: '50', statusNote: 'free-look cancellation' }),
      NOW,
    );
    expect(steps).toEqual([
      {
        kind: 'status',
        from: 'PLACED',
        to: 'NOT_TAKEN',
        stamps: {},
        reopen: false,
        unplace: true,
        policyNumber: null,
        note: 'carrier status 50: free-look cancellation: placed 2026-01-10, no longer counted placed',
      },
    ]);
  });

  it('refuses any other move of a closed case: noted once, not applied', () => {
    // A plain NOT_TAKEN (7) of a placed case is not a free-look cancellation; a plain 24 does not reopen.
    for (const [from, status, qualifier, tc] of [
      ['PLACED', 'NOT_TAKEN', null, '7'],
      ['INCOMPLETE', 'APPROVED', null, '24'],
      ['DECLINED', 'APPROVED', 'RECONSIDERED', '97'],
      ['WITHDRAWN', 'IN_UNDERWRITING', null, '54'],
    ] as const) {
      const steps = planSync(inState(from), [], new Set(), report({ status, qualifier, carrierStatusCode: tc }), NOW);
      expect(steps).toEqual([
        { kind: 'note', note: expect.stringMatching(new RegExp(`^carrier status ${tc} \\(${status}\\) not applied`)) },
      ]);
      expect(checkCarrierMove(inState(from), status, qualifier, NOW).ok).toBe(false);
    }
  });

  it('conditional approval (53): APPROVED although underwriting requirements are outstanding, its conditions ordered as requirements', () => {
    const steps = planSync(
      inState('IN_UNDERWRITING'),
      [{ id: 'req_aps', code: 'APS', status: 'ORDERED', carrierRequirementId: 'RQ-1' }],
      new Set(),
      report({
        status: 'APPROVED',
        qualifier: 'CONDITIONAL_APPROVAL',
        carrierStatusCode: '53',
        requirements: [
          {
            carrierRequirementId: 'RQ-1',
            reference: 'req_aps',
            description: null,
            code: 'APS',
            carrierCode: '1',
            status: 'ORDERED',
            requestedOn: '2026-01-12',
            fulfilledOn: null,
          },
          {
            carrierRequirementId: 'RQ-7',
            reference: null,
            description: 'Statement of good health',
            code: 'GOOD_HEALTH_STATEMENT',
            carrierCode: '52',
            status: 'ORDERED',
            requestedOn: '2026-02-01',
            fulfilledOn: null,
          },
        ],
      }),
      NOW,
    );
    expect(steps.map((s) => s.kind)).toEqual(['status', 'newRequirement']);
    expect(steps[0]).toMatchObject({ from: 'IN_UNDERWRITING', to: 'APPROVED', stamps: { approvedAt: NOW } });
    expect(steps[1]).toMatchObject({ code: 'GOOD_HEALTH_STATEMENT', carrierRequirementId: 'RQ-7', status: 'ORDERED' });
  });
});

describe('counter offer (26): the approved terms, re-priced', () => {
  const counter = report({
    status: 'APPROVED_OTHER_THAN_APPLIED',
    qualifier: 'COUNTER_OFFER',
    carrierStatusCode: '26',
    approvedTerms: { healthClass: null, tableRating: 2, flatExtraPerThousand: '2.50', flatExtraYears: 5, faceAmount: 400_000 },
  });

  it('names the changed terms for the worker to price, and none once the case stands on them', () => {
    expect(changedTerms(inState('IN_UNDERWRITING'), counter)).toEqual({
      healthClass: null,
      tableRating: 2,
      flatExtraPerThousandCents: 250,
      flatExtraYears: 5,
      faceAmount: 400_000,
    });
    const applied = inState('APPROVED_OTHER_THAN_APPLIED', {
      tableRating: 2,
      flatExtraPerThousandCents: 250,
      flatExtraYears: 5,
      approvedFaceAmount: 400_000,
    });
    expect(changedTerms(applied, counter)).toBeNull();
    expect(planSync(applied, [], new Set(), counter, NOW, { priced: true, annualPremiumCents: 1, modalPremiumCents: 1 })).toEqual([]);
  });

  it('writes the terms with the new premium and says both in the history', () => {
    const steps = planSync(inState('IN_UNDERWRITING'), [], new Set(), counter, NOW, {
      priced: true,
      annualPremiumCents: 163_600,
      modalPremiumCents: 14_315,
    });
    expect(steps.map((s) => s.kind)).toEqual(['status', 'terms']);
    expect(steps[1]).toEqual({
      kind: 'terms',
      terms: { healthClass: null, tableRating: 2, flatExtraPerThousandCents: 250, flatExtraYears: 5, faceAmount: 400_000 },
      annualPremiumCents: 163_600,
      modalPremiumCents: 14_315,
      note:
        "approved terms: rated, table 2, flat extra $2.50 per $1,000 for 5 years, $400,000; re-priced from the carrier's rates: " +
        '$370.00 → $1,636.00 a year, $32.38 → $143.15 a payment',
    });
    expect(eventsOf(steps)).toBe(2);
  });

  it('waits for the next sync when the carrier cannot price now; keeps the premium with a note when it will not', () => {
    const down = planSync(inState('IN_UNDERWRITING'), [], new Set(), counter, NOW, {
      priced: false,
      carrierDown: true,
      message: 'timeout',
    });
    expect(down.map((s) => s.kind)).toEqual(['status']);
    const refused = planSync(inState('IN_UNDERWRITING'), [], new Set(), counter, NOW, {
      priced: false,
      carrierDown: false,
      message: 'no such class',
    });
    expect(refused[1]).toMatchObject({
      kind: 'terms',
      annualPremiumCents: null,
      note: expect.stringMatching(/not re-priced: no such class$/),
    });
  });
});

describe('requirements with identity', () => {
  const aps = (id: string, over: Partial<CarrierReport['requirements'][number]> = {}) => ({
    carrierRequirementId: id,
    reference: null,
    description: "Attending physician's statement",
    code: 'APS' as const,
    carrierCode: '1',
    status: 'ORDERED' as const,
    requestedOn: '2026-01-07',
    fulfilledOn: null,
    ...over,
  });

  it('keeps two APSs with different carrier ids as two rows, never matched by code', () => {
    const steps = planSync(
      inState('IN_UNDERWRITING'),
      [{ id: 'req_a', code: 'APS', status: 'ORDERED', carrierRequirementId: 'RQ-1' }],
      new Set(),
      report({ status: 'IN_UNDERWRITING', requirements: [aps('RQ-1'), aps('RQ-2')] }),
      NOW,
    );
    expect(steps).toEqual([
      expect.objectContaining({
        kind: 'newRequirement',
        code: 'APS',
        carrierRequirementId: 'RQ-2',
        status: 'ORDERED',
        orderedAt: '2026-01-07T00:00:00.000Z',
      }),
    ]);
  });

  it("adopts the carrier's id on our row when it reports our reference, and moves it by that id afterwards", () => {
    const ours = [
      { id: 'req_a', code: 'APS' as const, status: 'ORDERED' as const, carrierRequirementId: null },
      { id: 'req_b', code: 'APS' as const, status: 'ORDERED' as const, carrierRequirementId: null },
    ];
    const first = planSync(
      inState('IN_UNDERWRITING'),
      ours,
      new Set(),
      report({
        status: 'IN_UNDERWRITING',
        requirements: [aps('RQ-9', { reference: 'req_b', status: 'RECEIVED', fulfilledOn: '2026-01-30' })],
      }),
      NOW,
    );
    expect(first).toEqual([
      {
        kind: 'requirementStatus',
        requirementId: 'req_b',
        code: 'APS',
        status: 'RECEIVED',
        carrierRequirementId: 'RQ-9',
        note: 'requirement received at the carrier',
      },
    ]);
    // Linked: the same report again changes nothing; a later one moves it by the carrier's id alone.
    const linked = [ours[0], { ...ours[1], status: 'RECEIVED' as const, carrierRequirementId: 'RQ-9' }];
    expect(
      planSync(
        inState('IN_UNDERWRITING'),
        linked,
        new Set(),
        report({ status: 'IN_UNDERWRITING', requirements: [aps('RQ-9', { status: 'RECEIVED' })] }),
        NOW,
      ),
    ).toEqual([]);
  });

  it('links our row to the carrier even when its status did not move', () => {
    const steps = planSync(
      inState('IN_UNDERWRITING'),
      [{ id: 'req_m', code: 'MIB', status: 'ORDERED', carrierRequirementId: null }],
      new Set(),
      report({
        status: 'IN_UNDERWRITING',
        requirements: [{ ...aps('RQ-3', { reference: 'req_m' }), code: 'MIB', carrierCode: '9' }],
      }),
      NOW,
    );
    expect(steps).toEqual([
      {
        kind: 'requirementStatus',
        requirementId: 'req_m',
        code: 'MIB',
        status: 'ORDERED',
        carrierRequirementId: 'RQ-3',
        note: 'requirement known to the carrier',
      },
    ]);
    expect(eventsOf(steps)).toBe(1);
  });

  it("makes a requirement none of our codes names its own row: OTHER with the carrier's words", () => {
    const steps = planSync(
      inState('IN_UNDERWRITING'),
      [],
      new Set(),
      report({
        status: 'IN_UNDERWRITING',
        requirements: [
          {
            carrierRequirementId: 'RQ-5',
            reference: null,
            description: 'Aviation questionnaire',
            code: null,
            carrierCode: '1000500099',
            status: null,
            requestedOn: null,
            fulfilledOn: null,
          },
          {
            carrierRequirementId: 'RQ-6',
            reference: null,
            description: null,
            code: null,
            carrierCode: 'X-77',
            status: null,
            requestedOn: null,
            fulfilledOn: null,
          },
        ],
      }),
      NOW,
    );
    expect(steps).toEqual([
      expect.objectContaining({
        kind: 'newRequirement',
        code: 'OTHER',
        carrierCode: '1000500099',
        description: 'Aviation questionnaire',
        status: 'ORDERED',
        orderedAt: NOW,
        followUpOn: '2026-02-08',
      }),
      expect.objectContaining({ kind: 'newRequirement', code: 'OTHER', carrierCode: 'X-77', description: 'carrier requirement X-77' }),
    ]);
  });

  it("knows a requirement the carrier names no id for by the carrier's code, so it is never added twice", () => {
    const legacy = {
      carrierRequirementId: null,
      reference: null,
      description: null,
      code: 'MIB' as const,
      carrierCode: '9',
      status: 'RECEIVED' as const,
      requestedOn: null,
      fulfilledOn: null,
    };
    const first = planSync(inState('IN_UNDERWRITING'), [], new Set(), report({ status: 'IN_UNDERWRITING', requirements: [legacy] }), NOW);
    expect(first).toEqual([expect.objectContaining({ kind: 'newRequirement', carrierRequirementId: 'code:9' })]);
    const again = planSync(
      inState('IN_UNDERWRITING'),
      [{ id: 'req_x', code: 'MIB', status: 'RECEIVED', carrierRequirementId: 'code:9' }],
      new Set(),
      report({ status: 'IN_UNDERWRITING', requirements: [legacy] }),
      NOW,
    );
    expect(again).toEqual([]);
    // The same code twice without ids is one requirement (one carrier id per row).
    expect(
      planSync(
        inState('IN_UNDERWRITING'),
        [],
        new Set(),
        report({ status: 'IN_UNDERWRITING', requirements: [legacy, { ...legacy, status: 'ORDERED' }] }),
        NOW,
      ),
    ).toHaveLength(1);
  });
});

describe('planSync basics', () => {
  it('jumps to the carrier status with its stamps, and a new policy number alone writes no event', () => {
    const steps = planSync(CASE, [], new Set(), report({ status: 'ISSUED', carrierStatusCode: '25', policyNumber: 'P-1' }), NOW);
    expect(steps).toEqual([
      {
        kind: 'status',
        from: 'SUBMITTED',
        to: 'ISSUED',
        stamps: { issuedAt: NOW },
        reopen: false,
        unplace: false,
        policyNumber: 'P-1',
        note: 'carrier status 25',
      },
    ]);
    const renumbered = planSync(CASE, [], new Set(), report({ status: 'SUBMITTED', policyNumber: 'P-2' }), NOW);
    expect(renumbered).toEqual([{ kind: 'policyNumber', policyNumber: 'P-2' }]);
    expect(eventsOf(renumbered)).toBe(0);
  });
});
