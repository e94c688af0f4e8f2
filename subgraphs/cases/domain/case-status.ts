/**
 * The life of a case (docs/domain.md "New business") as a pure module: which moves people may make,
 * which rules a move must satisfy, and which dates a move stamps. No I/O: resolvers load the case
 * and its requirements, ask here, and write what this answers.
 */
import type {
  CaseStatusCode as CaseStatus,
  HealthClassCode as HealthClass,
  RequirementCodeValue as RequirementCode,
} from '../../shared/vocabulary';

export const CLOSED_STATUSES: readonly CaseStatus[] = ['PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN'];

/** The moves the table of docs/domain.md allows a person to make. A carrier sync may jump further. */
export const ALLOWED_MOVES: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
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
  PLACED: [],
  DECLINED: [],
  POSTPONED: [],
  WITHDRAWN: [],
  INCOMPLETE: [],
  NOT_TAKEN: [],
};

/** Requirements that stand between issue and placement; every other code is an underwriting requirement. */
export const DELIVERY_REQUIREMENTS: readonly RequirementCode[] = [
  'DELIVERY_RECEIPT',
  'AMENDMENT',
  'GOOD_HEALTH_STATEMENT',
  'SIGNED_ILLUSTRATION',
];

export const isClosed = (status: CaseStatus): boolean => CLOSED_STATUSES.includes(status);
export const isDeliveryRequirement = (code: RequirementCode): boolean => DELIVERY_REQUIREMENTS.includes(code);
export const allowedNextStatuses = (status: CaseStatus): readonly CaseStatus[] => ALLOWED_MOVES[status];

export interface CaseState {
  status: CaseStatus;
  approvedAt: string | null;
  issuedAt: string | null;
  placedAt: string | null;
  closedAt: string | null;
}

export interface StatusChange {
  status: CaseStatus;
  policyNumber?: string | null;
  approvedHealthClass?: HealthClass | null;
  approvedFaceAmount?: number | null;
}

/** Dates a move sets: each only the first time the case enters that state. */
export interface Stamps {
  approvedAt?: string;
  issuedAt?: string;
  placedAt?: string;
  closedAt?: string;
}

export type TransitionResult =
  | { ok: true; stamps: Stamps }
  /** `conflict`: the move is not allowed now (CONFLICT); `input`: the change lacks what the move needs (BAD_USER_INPUT). */
  | { ok: false; kind: 'conflict' | 'input'; reasons: string[]; allowed: readonly CaseStatus[] };

/** The dates entering `to` stamps on a case that has `state`, at `now`. */
export function stampsFor(state: CaseState, to: CaseStatus, now: string): Stamps {
  const stamps: Stamps = {};
  if ((to === 'APPROVED' || to === 'APPROVED_OTHER_THAN_APPLIED') && !state.approvedAt) stamps.approvedAt = now;
  if (to === 'ISSUED' && !state.issuedAt) stamps.issuedAt = now;
  if (to === 'PLACED' && !state.placedAt) stamps.placedAt = now;
  if (isClosed(to) && !state.closedAt) stamps.closedAt = now;
  return stamps;
}

/**
 * May a person move this case as asked? `outstanding` lists the codes of the case's requirements
 * that are still ORDERED. Answers the stamps to write, or every reason it may not.
 */
export function checkTransition(
  state: CaseState,
  change: StatusChange,
  outstanding: readonly RequirementCode[],
  now: string,
): TransitionResult {
  const allowed = allowedNextStatuses(state.status);
  if (!allowed.includes(change.status)) {
    const reason = allowed.length
      ? `a case in ${state.status} can move only to ${allowed.join(', ')}`
      : `a case in ${state.status} is closed and cannot move`;
    return { ok: false, kind: 'conflict', reasons: [reason], allowed };
  }
  const input: string[] = [];
  if (change.status === 'ISSUED' && !change.policyNumber?.trim()) input.push('policyNumber is required to issue a case');
  if (change.policyNumber !== undefined && change.policyNumber !== null && !/^[A-Za-z0-9-]{1,40}$/.test(change.policyNumber)) {
    input.push('policyNumber must be 1 to 40 letters, digits or dashes');
  }
  if (change.status === 'APPROVED_OTHER_THAN_APPLIED' && !change.approvedHealthClass && change.approvedFaceAmount == null) {
    input.push('approvedHealthClass or approvedFaceAmount is required for APPROVED_OTHER_THAN_APPLIED');
  }
  if (change.approvedFaceAmount != null && (!Number.isInteger(change.approvedFaceAmount) || change.approvedFaceAmount <= 0)) {
    input.push('approvedFaceAmount must be a positive whole number of dollars');
  }
  if (input.length) return { ok: false, kind: 'input', reasons: input, allowed };

  const conflicts: string[] = [];
  if (change.status === 'APPROVED' || change.status === 'APPROVED_OTHER_THAN_APPLIED') {
    const underwriting = outstanding.filter((code) => !isDeliveryRequirement(code));
    if (underwriting.length) conflicts.push(`underwriting requirements are outstanding: ${[...new Set(underwriting)].join(', ')}`);
  }
  if (change.status === 'PLACED') {
    const delivery = outstanding.filter(isDeliveryRequirement);
    if (delivery.length) conflicts.push(`delivery requirements are outstanding: ${[...new Set(delivery)].join(', ')}`);
  }
  if (conflicts.length) return { ok: false, kind: 'conflict', reasons: conflicts, allowed };
  return { ok: true, stamps: stampsFor(state, change.status, now) };
}

// ---------------------------------------------------------------- the carrier's moves

/**
 * How long after placement a policy can still be cancelled in its free-look period (state laws give
 * 10 to 30 days from delivery): the sync keeps asking the carrier about a PLACED case this long.
 */
export const FREE_LOOK_DAYS = 30;
/** How long after an INCOMPLETE close the carrier may still reconsider: the sync keeps asking this long. */
export const RECONSIDERATION_DAYS = 60;

/**
 * The moves a carrier makes out of a closed state, each only on the carrier's word for it (its
 * status qualifier, docs/domain.md "Carrier status as carriers send it"): reconsider and approve (ACORD 97) reopens an
 * INCOMPLETE case as APPROVED; a free-look cancellation (ACORD 50) turns a PLACED case NOT_TAKEN.
 * Any other report about a closed case is noted, not applied.
 */
export const CARRIER_MOVES_FROM_CLOSED: readonly { from: CaseStatus; to: CaseStatus; qualifier: string }[] = [
  { from: 'INCOMPLETE', to: 'APPROVED', qualifier: 'RECONSIDERED' },
  { from: 'PLACED', to: 'NOT_TAKEN', qualifier: 'FREE_LOOK' },
];

export type CarrierMove =
  /** `reopen`: the case is open again (closedAt cleared); `unplace`: it no longer counts as placed (placedAt cleared). */
  { ok: true; stamps: Stamps; reopen: boolean; unplace: boolean } | { ok: false; reason: string };

/**
 * May the carrier move a case from `state` to `to`? The carrier is the system of record for
 * underwriting, so any move of an open case is taken (even several steps at once, or an approval
 * with conditions still outstanding: a conditional approval orders them as requirements). Out of a
 * closed state only CARRIER_MOVES_FROM_CLOSED, with their qualifier.
 */
export function checkCarrierMove(state: CaseState, to: CaseStatus, qualifier: string | null, now: string): CarrierMove {
  if (!isClosed(state.status)) return { ok: true, stamps: stampsFor(state, to, now), reopen: false, unplace: false };
  const move = CARRIER_MOVES_FROM_CLOSED.find((m) => m.from === state.status && m.to === to && m.qualifier === qualifier);
  if (!move) return { ok: false, reason: `the case is closed as ${state.status}: the carrier's ${to} is not applied` };
  if (move.to === 'APPROVED') {
    // Reopened: approvedAt as on a first approval, and no longer closed.
    return { ok: true, stamps: state.approvedAt ? {} : { approvedAt: now }, reopen: true, unplace: false };
  }
  // A free-look cancellation: closed still (since its placement), and out of the placed count.
  return { ok: true, stamps: {}, reopen: false, unplace: true };
}
