import { CASE_STATUSES, type CaseStatus } from '../../shared/enums';
import { ALLOWED_MOVES, checkTransition, isClosed, stampsFor, type CaseState } from '../case-status';

const NOW = '2026-01-15T12:00:00.000Z';
const fresh = (status: CaseStatus): CaseState => ({ status, approvedAt: null, issuedAt: null, placedAt: null, closedAt: null });
/** What each target needs to be a valid change on its own. */
const changeTo = (status: CaseStatus) => ({
  status,
  ...(status === 'ISSUED' ? { policyNumber: 'POL-123' } : {}),
  ...(status === 'APPROVED_OTHER_THAN_APPLIED' ? { approvedHealthClass: 'STANDARD' as const } : {}),
});

// DOMAIN.md's table, written out independently of the module, so a typo in either shows.
const TABLE: Record<string, string[]> = {
  SUBMITTED: ['IN_UNDERWRITING', 'REQUIREMENTS_OUTSTANDING', 'DECLINED', 'WITHDRAWN', 'INCOMPLETE'],
  IN_UNDERWRITING: ['REQUIREMENTS_OUTSTANDING', 'APPROVED', 'APPROVED_OTHER_THAN_APPLIED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE'],
  REQUIREMENTS_OUTSTANDING: ['IN_UNDERWRITING', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE'],
  APPROVED: ['ISSUED', 'WITHDRAWN', 'NOT_TAKEN'],
  APPROVED_OTHER_THAN_APPLIED: ['ISSUED', 'WITHDRAWN', 'NOT_TAKEN'],
  ISSUED: ['DELIVERY_REQUIREMENTS', 'PLACED', 'NOT_TAKEN'],
  DELIVERY_REQUIREMENTS: ['PLACED', 'NOT_TAKEN'],
};

describe('case state machine', () => {
  const pairs = CASE_STATUSES.flatMap((from) => CASE_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('%s -> %s is allowed exactly when DOMAIN.md says so', (from, to) => {
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
      expect(checkTransition(fresh('DELIVERY_REQUIREMENTS'), { status: 'PLACED' }, [code], NOW)).toMatchObject({ ok: false, kind: 'conflict' });
    }
    expect(checkTransition(fresh('ISSUED'), { status: 'PLACED' }, ['APS'], NOW).ok).toBe(true);
  });

  it('requires a policy number to issue and the approved terms for a counter offer', () => {
    expect(checkTransition(fresh('APPROVED'), { status: 'ISSUED' }, [], NOW)).toMatchObject({ ok: false, kind: 'input', reasons: ['policyNumber is required to issue a case'] });
    expect(checkTransition(fresh('APPROVED'), { status: 'ISSUED', policyNumber: 'bad number!' }, [], NOW)).toMatchObject({ ok: false, kind: 'input' });
    expect(checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED_OTHER_THAN_APPLIED' }, [], NOW)).toMatchObject({ ok: false, kind: 'input' });
    expect(checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED_OTHER_THAN_APPLIED', approvedFaceAmount: 250_000 }, [], NOW).ok).toBe(true);
    expect(checkTransition(fresh('IN_UNDERWRITING'), { status: 'APPROVED_OTHER_THAN_APPLIED', approvedFaceAmount: -1 }, [], NOW)).toMatchObject({ ok: false, kind: 'input' });
  });

  it('stamps each date the first time the case enters its state, and closes closed states', () => {
    expect(stampsFor(fresh('IN_UNDERWRITING'), 'APPROVED', NOW)).toEqual({ approvedAt: NOW });
    expect(stampsFor(fresh('APPROVED'), 'ISSUED', NOW)).toEqual({ issuedAt: NOW });
    expect(stampsFor(fresh('ISSUED'), 'PLACED', NOW)).toEqual({ placedAt: NOW, closedAt: NOW });
    expect(stampsFor(fresh('SUBMITTED'), 'DECLINED', NOW)).toEqual({ closedAt: NOW });
    expect(stampsFor({ ...fresh('APPROVED'), approvedAt: '2025-01-01T00:00:00.000Z' }, 'APPROVED_OTHER_THAN_APPLIED', NOW)).toEqual({});
  });
});
