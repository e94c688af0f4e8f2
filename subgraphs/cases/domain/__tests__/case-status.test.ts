import { CASE_STATUSES, REQUIREMENT_CODES, type CaseStatus, type RequirementCode } from '../../../shared/enums';
import {
  ALLOWED_MOVES,
  CARRIER_MOVES_FROM_CLOSED,
  CLOSED_STATUSES,
  allowedNextStatuses,
  checkCarrierMove,
  checkTransition,
  isClosed,
  stampsFor,
  type CaseState,
} from '../case-status';

const NOW = '2026-01-15T12:00:00.000Z';
const fresh = (status: CaseStatus): CaseState => ({ status, approvedAt: null, issuedAt: null, placedAt: null, closedAt: null });
/** What each target needs to be a valid change on its own. */
const changeTo = (status: CaseStatus) => ({
  status,
  ...(status === 'ISSUED' ? { policyNumber: 'POL-123' } : {}),
  ...(status === 'APPROVED_OTHER_THAN_APPLIED' ? { approvedHealthClass: 'STANDARD' as const } : {}),
});

// docs/domain.md's table, written out independently of the module, so a typo in either shows.
const TABLE: Record<string, string[]> = {
  SUBMITTED: ['IN_UNDERWRITING', 'REQUIREMENTS_OUTSTANDING', 'DECLINED', 'WITHDRAWN', 'INCOMPLETE'],
  IN_UNDERWRITING: [
    'REQUIREMENTS_OUTSTANDING',
    'APPROVED',
    'APPROVED_OTHER_THAN_APPLIED',
    'DECLINED',
    'POSTPONED',
    'WITHDRAWN',
    'INCOMPLETE',
  ],
  REQUIREMENTS_OUTSTANDING: ['IN_UNDERWRITING', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE'],
  APPROVED: ['ISSUED', 'WITHDRAWN', 'NOT_TAKEN'],
  APPROVED_OTHER_THAN_APPLIED: ['ISSUED', 'WITHDRAWN', 'NOT_TAKEN'],
  ISSUED: ['DELIVERY_REQUIREMENTS', 'PLACED', 'NOT_TAKEN'],
  DELIVERY_REQUIREMENTS: ['PLACED', 'NOT_TAKEN'],
};

describe('case state machine', () => {
  const pairs = CASE_STATUSES.flatMap((from) => CASE_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('%s -> %s is allowed exactly when docs/domain.md says so', (from, to) => {
    const expected = (TABLE[from] ?? []).includes(to);
    const result = checkTransition(fresh(from), changeTo(to), [], NOW);
    expect(result.ok).toBe(expected);
    if (!result.ok) {
      expect(result.kind).toBe('conflict');
      expect(result.allowed).toEqual(TABLE[from] ?? []);
    }
  });

  it('has closed states with no way out', () => {
    for (const status of ['PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN'] as const) {
      expect(isClosed(status)).toBe(true);
      expect(ALLOWED_MOVES[status]).toEqual([]);
    }
    expect(isClosed('ISSUED')).toBe(false);
  });

  it('refuses approval while an underwriting requirement is outstanding, but not for a delivery one', () => {
    const refused = checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED' }, ['APS', 'DELIVERY_RECEIPT'], NOW);
    expect(refused).toMatchObject({ ok: false, kind: 'conflict', reasons: ['underwriting requirements are outstanding: APS'] });
    expect(checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED' }, ['SIGNED_ILLUSTRATION'], NOW).ok).toBe(true);
  });

  it('refuses placement while a delivery requirement is outstanding', () => {
    for (const code of ['DELIVERY_RECEIPT', 'AMENDMENT', 'GOOD_HEALTH_STATEMENT', 'SIGNED_ILLUSTRATION'] as const) {
      expect(checkTransition(fresh('DELIVERY_REQUIREMENTS'), { status: 'PLACED' }, [code], NOW)).toMatchObject({
        ok: false,
        kind: 'conflict',
      });
    }
    expect(checkTransition(fresh('ISSUED'), { status: 'PLACED' }, ['APS'], NOW).ok).toBe(true);
  });

  it('requires a policy number to issue and the approved terms for a counter offer', () => {
    expect(checkTransition(fresh('APPROVED'), { status: 'ISSUED' }, [], NOW)).toMatchObject({
      ok: false,
      kind: 'input',
      reasons: ['policyNumber is required to issue a case'],
    });
    expect(checkTransition(fresh('APPROVED'), { status: 'ISSUED', policyNumber: 'bad number!' }, [], NOW)).toMatchObject({
      ok: false,
      kind: 'input',
    });
    expect(checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED_OTHER_THAN_APPLIED' }, [], NOW)).toMatchObject({
      ok: false,
      kind: 'input',
    });
    expect(
      checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED_OTHER_THAN_APPLIED', approvedFaceAmount: 250_000 }, [], NOW).ok,
    ).toBe(true);
    expect(
      checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED_OTHER_THAN_APPLIED', approvedFaceAmount: -1 }, [], NOW),
    ).toMatchObject({ ok: false, kind: 'input' });
  });

  it('stamps each date the first time the case enters its state, and closes closed states', () => {
    expect(stampsFor(fresh('IN_UNDERWRITING'), 'APPROVED', NOW)).toEqual({ approvedAt: NOW });
    expect(stampsFor(fresh('APPROVED'), 'ISSUED', NOW)).toEqual({ issuedAt: NOW });
    expect(stampsFor(fresh('ISSUED'), 'PLACED', NOW)).toEqual({ placedAt: NOW, closedAt: NOW });
    expect(stampsFor(fresh('SUBMITTED'), 'DECLINED', NOW)).toEqual({ closedAt: NOW });
    expect(stampsFor({ ...fresh('APPROVED'), approvedAt: '2025-01-01T00:00:00.000Z' }, 'APPROVED_OTHER_THAN_APPLIED', NOW)).toEqual({});
  });
});

// The rules, generated over every requirement code so a code added to the enum is classified too.
const DELIVERY: RequirementCode[] = ['DELIVERY_RECEIPT', 'AMENDMENT', 'GOOD_HEALTH_STATEMENT', 'SIGNED_ILLUSTRATION'];
const UNDERWRITING = REQUIREMENT_CODES.filter((code) => !DELIVERY.includes(code));
const ALLOWED_PAIRS = Object.entries(TABLE).flatMap(([from, tos]) => tos.map((to) => [from as CaseStatus, to as CaseStatus] as const));

describe('case state machine: requirement rules', () => {
  it('classifies the fifteen underwriting codes (the new ones of Quoting v2, and OTHER a carrier added, block approval too)', () => {
    expect(UNDERWRITING).toHaveLength(15);
  });

  it.each(UNDERWRITING.flatMap((code) => (['APPROVED', 'APPROVED_OTHER_THAN_APPLIED'] as const).map((to) => [code, to] as const)))(
    'an outstanding %s refuses %s, and names the code',
    (code, to) => {
      const result = checkTransition(fresh('IN_UNDERWRITING'), changeTo(to), [code], NOW);
      expect(result).toMatchObject({ ok: false, kind: 'conflict', reasons: [`underwriting requirements are outstanding: ${code}`] });
    },
  );

  it.each(DELIVERY.flatMap((code) => (['APPROVED', 'APPROVED_OTHER_THAN_APPLIED'] as const).map((to) => [code, to] as const)))(
    'an outstanding %s does not stop %s',
    (code, to) => {
      expect(checkTransition(fresh('IN_UNDERWRITING'), changeTo(to), [code], NOW).ok).toBe(true);
    },
  );

  it.each(DELIVERY.flatMap((code) => (['ISSUED', 'DELIVERY_REQUIREMENTS'] as const).map((from) => [code, from] as const)))(
    'an outstanding %s refuses placement from %s',
    (code, from) => {
      const result = checkTransition(fresh(from), { status: 'PLACED' }, [code], NOW);
      expect(result).toMatchObject({ ok: false, kind: 'conflict', reasons: [`delivery requirements are outstanding: ${code}`] });
    },
  );

  it.each(UNDERWRITING)('an outstanding %s does not stop placement', (code) => {
    expect(checkTransition(fresh('DELIVERY_REQUIREMENTS'), { status: 'PLACED' }, [code], NOW).ok).toBe(true);
  });

  it('lists each outstanding code once, in order', () => {
    const result = checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED' }, ['APS', 'MIB', 'APS', 'DELIVERY_RECEIPT'], NOW);
    expect(result).toMatchObject({ ok: false, reasons: ['underwriting requirements are outstanding: APS, MIB'] });
  });

  it.each(ALLOWED_PAIRS.filter(([, to]) => !['APPROVED', 'APPROVED_OTHER_THAN_APPLIED', 'PLACED'].includes(to)))(
    '%s -> %s is never blocked by outstanding requirements',
    (from, to) => {
      expect(checkTransition(fresh(from), changeTo(to), [...REQUIREMENT_CODES], NOW).ok).toBe(true);
    },
  );

  it('checks what a change lacks before what stands in its way', () => {
    expect(checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED_OTHER_THAN_APPLIED' }, ['APS'], NOW)).toMatchObject({
      ok: false,
      kind: 'input',
    });
  });

  it('refuses a blank policy number and accepts either approved term, or both, for a counter offer', () => {
    expect(checkTransition(fresh('APPROVED'), { status: 'ISSUED', policyNumber: '   ' }, [], NOW)).toMatchObject({
      ok: false,
      kind: 'input',
    });
    expect(checkTransition(fresh('APPROVED'), { status: 'ISSUED', policyNumber: 'x'.repeat(41) }, [], NOW)).toMatchObject({
      ok: false,
      kind: 'input',
    });
    for (const terms of [
      { approvedHealthClass: 'STANDARD' as const },
      { approvedFaceAmount: 100_000 },
      { approvedHealthClass: 'STANDARD' as const, approvedFaceAmount: 100_000 },
    ]) {
      expect(checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED_OTHER_THAN_APPLIED', ...terms }, [], NOW).ok).toBe(true);
    }
    expect(
      checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED_OTHER_THAN_APPLIED', approvedFaceAmount: 1.5 }, [], NOW),
    ).toMatchObject({ ok: false, kind: 'input' });
  });
});

describe('case state machine: stamps', () => {
  /** What entering `to` stamps on a case never stamped before, written out from docs/domain.md. */
  const expectedStamps = (to: CaseStatus) => ({
    ...(to === 'APPROVED' || to === 'APPROVED_OTHER_THAN_APPLIED' ? { approvedAt: NOW } : {}),
    ...(to === 'ISSUED' ? { issuedAt: NOW } : {}),
    ...(to === 'PLACED' ? { placedAt: NOW } : {}),
    ...(['PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN'].includes(to) ? { closedAt: NOW } : {}),
  });
  const EARLIER = '2025-06-01T00:00:00.000Z';
  const stamped = (status: CaseStatus): CaseState => ({
    status,
    approvedAt: EARLIER,
    issuedAt: EARLIER,
    placedAt: EARLIER,
    closedAt: EARLIER,
  });

  it.each(ALLOWED_PAIRS)('%s -> %s stamps what entering it first stamps', (from, to) => {
    expect(checkTransition(fresh(from), changeTo(to), [], NOW)).toEqual({ ok: true, stamps: expectedStamps(to) });
  });

  it.each(ALLOWED_PAIRS)('%s -> %s never stamps a date twice', (from, to) => {
    expect(checkTransition(stamped(from), changeTo(to), [], NOW)).toEqual({ ok: true, stamps: {} });
  });

  it('answers the table through allowedNextStatuses', () => {
    for (const status of CASE_STATUSES) expect(allowedNextStatuses(status)).toEqual(TABLE[status] ?? []);
  });
});

describe("the carrier's moves (checkCarrierMove)", () => {
  const closed = (status: CaseStatus): CaseState => ({ ...fresh(status), closedAt: NOW, placedAt: status === 'PLACED' ? NOW : null });

  it('takes any move of an open case, even past what a person may do (a conditional approval with requirements outstanding)', () => {
    expect(checkCarrierMove(fresh('SUBMITTED'), 'ISSUED', null, NOW)).toEqual({
      ok: true,
      stamps: { issuedAt: NOW },
      reopen: false,
      unplace: false,
    });
    expect(checkCarrierMove(fresh('REQUIREMENTS_OUTSTANDING'), 'APPROVED', 'CONDITIONAL_APPROVAL', NOW)).toMatchObject({ ok: true });
  });

  it('out of a closed state: only reconsideration (reopens INCOMPLETE as APPROVED) and free-look (PLACED to NOT_TAKEN, unplaced)', () => {
    expect(checkCarrierMove(closed('INCOMPLETE'), 'APPROVED', 'RECONSIDERED', NOW)).toEqual({
      ok: true,
      stamps: { approvedAt: NOW },
      reopen: true,
      unplace: false,
    });
    expect(checkCarrierMove(closed('PLACED'), 'NOT_TAKEN', 'FREE_LOOK', NOW)).toEqual({
      ok: true,
      stamps: {},
      reopen: false,
      unplace: true,
    });
    for (const from of CLOSED_STATUSES)
      for (const to of CASE_STATUSES) {
        const allowed = CARRIER_MOVES_FROM_CLOSED.find((m) => m.from === from && m.to === to);
        for (const qualifier of [null, 'RECONSIDERED', 'FREE_LOOK'])
          expect({ from, to, qualifier, ok: checkCarrierMove(closed(from), to, qualifier, NOW).ok }).toEqual({
            from,
            to,
            qualifier,
            ok: allowed?.qualifier === qualifier,
          });
      }
  });
});
