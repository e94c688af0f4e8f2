/**
 * Changes an agent asks for while a case is pending at its carrier: face amount, product or term,
 * riders, beneficiaries, payment mode, owner. The rules here decide whether a case may be changed
 * now, what kinds of change a request holds and what is wrong with it; the carrier decides whether
 * it takes the change and whether the client must sign an amendment. No I/O.
 */
import type { CaseStatusCode as CaseStatus, PaymentModeCode, RiderTypeCode } from '../../shared/vocabulary';
import { type BeneficiaryDesignation, ENTITY_RELATIONSHIPS, PERSON_RELATIONSHIPS } from './application';
import { isClosed } from './case-status';
import { beneficiaryItems } from './good-order';
import { validEin } from './identifiers';

export const CASE_CHANGE_KINDS = Object.freeze([
  'FACE_AMOUNT',
  'PRODUCT',
  'TERM',
  'RIDERS',
  'BENEFICIARIES',
  'PAYMENT_MODE',
  'OWNER',
] as const);
export type CaseChangeKind = (typeof CASE_CHANGE_KINDS)[number];

export const CASE_CHANGE_STATUSES = Object.freeze(['REQUESTED', 'SENT', 'ACCEPTED', 'REJECTED'] as const);
export type CaseChangeStatus = (typeof CASE_CHANGE_STATUSES)[number];

/** The same bounds as a submission's face amount. */
export const MAX_FACE_AMOUNT = 100_000_000;
export const TERM_YEARS: readonly number[] = [10, 15, 20, 25, 30];

export interface ChangeBeneficiary {
  designation: BeneficiaryDesignation;
  fullName: string;
  relationship: string;
  sharePercent: number;
}

/** A new owner: a person (name and relation to the insured) or an entity (a trust or business, by its TIN). */
export type ChangeOwner = { kind: 'PERSON'; fullName: string; relationship: string } | { kind: 'ENTITY'; name: string; tin: string };

export interface CaseChangeRequest {
  faceAmount?: number | null;
  productId?: string | null;
  termYears?: number | null;
  riders?: readonly RiderTypeCode[] | null;
  beneficiaries?: readonly ChangeBeneficiary[] | null;
  paymentMode?: PaymentModeCode | null;
  owner?: ChangeOwner | null;
  reason?: string | null;
}

/** What a case is now, as far as a change cares. */
export interface ChangeableCase {
  status: CaseStatus;
  carrierReference: string | null;
  faceAmount: number;
  productId: string;
  termYears: number | null;
  paymentMode: PaymentModeCode;
}

/**
 * Why the case cannot take a change now, or null when it can: it must be open and the carrier must
 * have accepted the application (a change needs the carrier's reference to name it).
 */
export function changeRefusal(row: ChangeableCase): string | null {
  if (isClosed(row.status)) return `the case is ${row.status}: a closed case takes no change`;
  if (!row.carrierReference)
    return 'the carrier has not accepted the application yet: a change can be requested once it has (see SUBMITTED_TO_CARRIER in the history)';
  return null;
}

/** The kinds of change a request holds, in CASE_CHANGE_KINDS order. */
export function changeKinds(change: CaseChangeRequest): CaseChangeKind[] {
  const present: Record<CaseChangeKind, boolean> = {
    FACE_AMOUNT: change.faceAmount != null,
    PRODUCT: change.productId != null,
    TERM: change.termYears != null,
    RIDERS: change.riders != null,
    BENEFICIARIES: change.beneficiaries != null,
    PAYMENT_MODE: change.paymentMode != null,
    OWNER: change.owner != null,
  };
  return CASE_CHANGE_KINDS.filter((kind) => present[kind]);
}

const PERSON_RELATIONS: ReadonlySet<string> = new Set(PERSON_RELATIONSHIPS.filter((r) => r !== 'SELF'));
const ALL_RELATIONS: ReadonlySet<string> = new Set([...PERSON_RELATIONSHIPS, ...ENTITY_RELATIONSHIPS]);
const name = (value: string | undefined | null) => typeof value === 'string' && value.trim().length > 0 && value.length <= 100;

/**
 * Everything wrong with a change to this case, as messages naming the field (never its value: they
 * may hold personal data). Empty when the change may be sent.
 */
export function changeProblems(change: CaseChangeRequest, current: ChangeableCase): string[] {
  const reasons: string[] = [];
  const kinds = changeKinds(change);
  if (kinds.length === 0)
    reasons.push('change must hold at least one of faceAmount, productId, termYears, riders, beneficiaries, paymentMode, owner');
  if (change.faceAmount != null) {
    if (!Number.isInteger(change.faceAmount) || change.faceAmount <= 0 || change.faceAmount > MAX_FACE_AMOUNT)
      reasons.push('change.faceAmount must be a whole number of dollars from 1 to 100,000,000');
    else if (change.faceAmount === current.faceAmount) reasons.push('change.faceAmount is the face amount the case already has');
  }
  if (change.productId != null && change.productId === current.productId)
    reasons.push('change.productId is the product the case already has');
  if (change.termYears != null && !TERM_YEARS.includes(change.termYears)) reasons.push('change.termYears must be 10, 15, 20, 25 or 30');
  if (change.paymentMode != null && change.paymentMode === current.paymentMode && kinds.length === 1)
    reasons.push('change.paymentMode is the payment mode the case already has');
  if (change.riders != null && new Set(change.riders).size !== change.riders.length) reasons.push('change.riders names a rider twice');
  if (change.beneficiaries != null) {
    change.beneficiaries.forEach((beneficiary, index) => {
      if (!ALL_RELATIONS.has(beneficiary.relationship))
        reasons.push(`change.beneficiaries.${index}.relationship must be one of ${[...ALL_RELATIONS].join(', ')}`);
      if (typeof beneficiary.fullName === 'string' && beneficiary.fullName.length > 100)
        reasons.push(`change.beneficiaries.${index}.fullName must be at most 100 characters`);
    });
    for (const item of beneficiaryItems(
      change.beneficiaries.map((b) => ({ ...b, relationship: b.relationship as never, fullName: b.fullName.trim() })),
    ))
      reasons.push(`change.${item.path}: ${item.message}`);
  }
  if (change.owner != null) {
    const owner = change.owner;
    if (owner.kind === 'PERSON') {
      if (!name(owner.fullName)) reasons.push('change.owner.fullName must be 1 to 100 characters');
      if (!PERSON_RELATIONS.has(owner.relationship))
        reasons.push(`change.owner.relationship must be one of ${[...PERSON_RELATIONS].join(', ')}`);
    } else {
      if (!name(owner.name)) reasons.push('change.owner.name must be 1 to 100 characters');
      if (!validEin(owner.tin)) reasons.push('change.owner.tin is not a valid TIN (nine digits, not starting 00)');
    }
  }
  if (change.reason != null && change.reason.length > 500) reasons.push('change.reason must be at most 500 characters');
  return reasons;
}

/** The change with names trimmed and TINs reduced to their digits: what is stored, hashed and sent. */
export function normalizeChange(change: CaseChangeRequest): CaseChangeRequest {
  const owner = change.owner;
  return {
    faceAmount: change.faceAmount ?? null,
    productId: change.productId ?? null,
    termYears: change.termYears ?? null,
    riders: change.riders ? [...change.riders].sort() : null,
    beneficiaries: change.beneficiaries?.map((b) => ({ ...b, fullName: b.fullName.trim() })) ?? null,
    paymentMode: change.paymentMode ?? null,
    owner: !owner
      ? null
      : owner.kind === 'PERSON'
        ? { kind: 'PERSON', fullName: owner.fullName.trim(), relationship: owner.relationship }
        : { kind: 'ENTITY', name: owner.name.trim(), tin: owner.tin.replace(/[\s-]/g, '') },
    reason: change.reason?.trim() || null,
  };
}
