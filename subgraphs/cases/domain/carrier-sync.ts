/**
 * Carrier sync as a pure plan: the carrier is the system of record for underwriting, so what it
 * reports wins. Its status and requirements become CARRIER_SYNC steps, one per change, even when the
 * case jumps several steps (SUBMITTED -> ISSUED). A code we do not know becomes a note, once: the
 * same unknown code on every sync would bury the history. No I/O: the worker loads the case (and,
 * when the carrier approved other terms, their price), asks here, and the repository writes the
 * steps in order.
 *
 * - Status: a qualifier PROPOSED (ACORD 12, not yet submitted) changes nothing and is no unknown
 *   code. Out of a closed state only the carrier's own moves of case-status.ts checkCarrierMove
 *   apply (reconsideration, free-look cancellation); anything else about a closed case is noted once.
 * - Approved terms (a counter offer's class, table, flat extra and amount) that differ from the
 *   case's are applied with the premium re-priced from the carrier's rates, in one step and event.
 * - Requirements are matched by the carrier's id, else by our reference (the carrier adopted our
 *   id; its id is then recorded on our row), never by code: two APSs at the carrier are two rows. A
 *   carrier that names no id for a requirement is matched by its own code as the id (`code:<code>`),
 *   so it never duplicates. A requirement of the carrier's we do not have becomes a row of its own:
 *   its code, or OTHER with the carrier's words when we cannot name it. Ours the carrier does not
 *   list are left alone.
 */
import { parseMoney } from '../../../platform/money';
import type {
  CaseStatusCode as CaseStatus,
  HealthClassCode as HealthClass,
  RequirementCodeValue as RequirementCode,
  RequirementStatusCode as RequirementStatus,
} from '../../shared/vocabulary';
import { type CaseState, type Stamps, checkCarrierMove } from './case-status';
import { followUpOn } from './requirement.rules';

/** The terms a carrier approved, as the carriers subgraph states them (Money as text). */
export interface ReportedTerms {
  healthClass: HealthClass | null;
  tableRating: number;
  /** Dollars per $1,000 of face a year ("2.50"); null when none. */
  flatExtraPerThousand: string | null;
  flatExtraYears: number | null;
  /** Null: the amount applied for stands. */
  faceAmount: number | null;
}

/** What a carrier reports about one application. */
export interface CarrierReport {
  status: CaseStatus | null;
  carrierStatusCode: string;
  /** What the code says beyond the status (CarrierStatusQualifier); null for a plain one. */
  qualifier?: string | null;
  /** The carrier's note on the status (a hold, conditions), noted with the move. */
  statusNote?: string | null;
  approvedTerms?: ReportedTerms | null;
  policyNumber: string | null;
  requirements: readonly {
    carrierRequirementId?: string | null;
    reference?: string | null;
    description?: string | null;
    code: RequirementCode | null;
    carrierCode: string;
    status: RequirementStatus | null;
    requestedOn: string | null;
    fulfilledOn: string | null;
  }[];
}

/** The case as the plan needs it: its state and the terms it stands on now. */
export interface SyncedCase extends CaseState {
  policyNumber: string | null;
  appliedHealthClass: HealthClass;
  approvedHealthClass: HealthClass | null;
  faceAmount: number;
  approvedFaceAmount: number | null;
  tableRating: number;
  flatExtraPerThousandCents: number;
  flatExtraYears: number | null;
  annualPremiumCents: number;
  modalPremiumCents: number;
}

/** Approved terms in our units: what a terms step writes and what is priced. */
export interface Terms {
  healthClass: HealthClass | null;
  tableRating: number;
  flatExtraPerThousandCents: number;
  flatExtraYears: number | null;
  faceAmount: number;
}

/**
 * The price of new terms, as the worker got it from the carrier's rates: priced, or why not
 * (`carrierDown`: try again at the next sync; otherwise the terms stand without a new premium).
 */
export type TermsPricing =
  | { priced: true; annualPremiumCents: number; modalPremiumCents: number }
  | { priced: false; carrierDown: boolean; message: string };

export type SyncStep =
  /** A carrier code we do not know, or a report we do not apply, noted once in the history. */
  | { kind: 'note'; note: string }
  | {
      kind: 'status';
      from: CaseStatus;
      to: CaseStatus;
      stamps: Stamps;
      /** Reconsidered: open again (closedAt cleared). */
      reopen: boolean;
      /** Free-look cancelled: out of the placed count (placedAt cleared). */
      unplace: boolean;
      policyNumber: string | null;
      note: string;
    }
  /** The same status, a new policy number: no event. */
  | { kind: 'policyNumber'; policyNumber: string }
  /** The carrier approved other terms: written on the case with the premium re-priced (when it could be). */
  | { kind: 'terms'; terms: Terms; annualPremiumCents: number | null; modalPremiumCents: number | null; note: string }
  | {
      kind: 'newRequirement';
      code: RequirementCode;
      carrierCode: string;
      carrierRequirementId: string;
      description: string | null;
      status: RequirementStatus;
      orderedAt: string;
      receivedAt: string | null;
      followUpOn: string;
      note: string;
    }
  /** Our requirement, now known by the carrier's id (and its status when it moved). */
  | {
      kind: 'requirementStatus';
      requirementId: string;
      code: RequirementCode;
      status: RequirementStatus;
      /** Set when the carrier's id is recorded on our row with this step. */
      carrierRequirementId: string | null;
      note: string;
    };

/** Our requirements as the plan matches them. */
export interface OurRequirement {
  id: string;
  code: RequirementCode;
  status: RequirementStatus;
  carrierRequirementId?: string | null;
}

/** The carrier's id of a requirement; one that names none is known by its own code. */
export const carrierIdOf = (theirs: CarrierReport['requirements'][number]): string =>
  theirs.carrierRequirementId ?? `code:${theirs.carrierCode}`;

const dollars = (cents: number) => `$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;

/** The reported terms in our units, over what the case applied for; null when the carrier states none. */
export function termsOf(c: SyncedCase, reported: ReportedTerms | null | undefined): Terms | null {
  if (!reported) return null;
  const flatExtra = reported.flatExtraPerThousand ? parseMoney(reported.flatExtraPerThousand) : 0;
  return {
    healthClass: reported.healthClass,
    tableRating: reported.tableRating,
    flatExtraPerThousandCents: flatExtra,
    flatExtraYears: flatExtra > 0 ? (reported.flatExtraYears ?? 0) : null,
    faceAmount: reported.faceAmount ?? c.approvedFaceAmount ?? c.faceAmount,
  };
}

/** The terms the case stands on now. */
export const currentTerms = (c: SyncedCase): Terms => ({
  healthClass: c.approvedHealthClass ?? (c.tableRating > 0 ? null : c.appliedHealthClass),
  tableRating: c.tableRating,
  flatExtraPerThousandCents: c.flatExtraPerThousandCents,
  flatExtraYears: c.flatExtraPerThousandCents > 0 ? c.flatExtraYears : null,
  faceAmount: c.approvedFaceAmount ?? c.faceAmount,
});

/**
 * The approved terms of a report that change the case (the worker prices these before planning), or
 * null. A class the carrier does not name (rated) is no change of class.
 */
export function changedTerms(c: SyncedCase, report: CarrierReport): Terms | null {
  const terms = termsOf(c, report.approvedTerms);
  if (!terms) return null;
  const now = currentTerms(c);
  const same =
    (terms.healthClass === null || terms.healthClass === now.healthClass) &&
    terms.tableRating === now.tableRating &&
    terms.flatExtraPerThousandCents === now.flatExtraPerThousandCents &&
    (terms.flatExtraPerThousandCents === 0 || terms.flatExtraYears === now.flatExtraYears) &&
    terms.faceAmount === now.faceAmount;
  return same ? null : terms;
}

/** The terms in words, for the history: "STANDARD, table 2, flat extra $2.50 per $1,000 for 5 years, $400,000". */
export function describeTerms(terms: Terms): string {
  return [
    terms.healthClass ?? (terms.tableRating > 0 ? 'rated' : 'class as applied'),
    ...(terms.tableRating > 0 ? [`table ${terms.tableRating}`] : []),
    ...(terms.flatExtraPerThousandCents > 0
      ? [`flat extra ${dollars(terms.flatExtraPerThousandCents)} per $1,000 for ${terms.flatExtraYears ?? 0} years`]
      : []),
    `$${terms.faceAmount.toLocaleString('en-US')}`,
  ].join(', ');
}

/**
 * The steps that bring a case in line with its carrier's report, in the order they are written.
 * `ours` are the case's requirements (most recently ordered first), `notedBefore` the notes of its
 * earlier CARRIER_SYNC events, `pricing` the price of changedTerms(c, report) when there are any.
 */
export function planSync(
  state: SyncedCase | (CaseState & { policyNumber: string | null }),
  ours: readonly OurRequirement[],
  notedBefore: ReadonlySet<string>,
  report: CarrierReport,
  now: string,
  pricing?: TermsPricing,
): SyncStep[] {
  const steps: SyncStep[] = [];
  const noted = new Set(notedBefore);
  const note = (text: string) => {
    if (noted.has(text)) return;
    noted.add(text);
    steps.push({ kind: 'note', note: text });
  };
  const qualifier = report.qualifier ?? null;

  if (qualifier === 'PROPOSED') {
    // Not yet submitted at the carrier: nothing to change, and nothing unknown.
  } else if (report.status === null) note(`unknown carrier status code ${report.carrierStatusCode}`);
  else if (report.status !== state.status) {
    const move = checkCarrierMove(state, report.status, qualifier, now);
    if (!move.ok) note(`carrier status ${report.carrierStatusCode} (${report.status}) not applied: ${move.reason}`);
    else
      steps.push({
        kind: 'status',
        from: state.status,
        to: report.status,
        stamps: move.stamps,
        reopen: move.reopen,
        unplace: move.unplace,
        policyNumber: report.policyNumber,
        note: statusNote(report, move.unplace ? state.placedAt : null),
      });
  } else if (report.policyNumber && report.policyNumber !== state.policyNumber)
    steps.push({ kind: 'policyNumber', policyNumber: report.policyNumber });

  const moved = steps.some((s) => s.kind === 'status');
  // Terms are the carrier's for an open case (or one its move just reopened), never for a closed one.
  const applies = moved || report.status === state.status;
  if ('appliedHealthClass' in state && applies) {
    const terms = changedTerms(state, report);
    if (terms && pricing && !(pricing.priced === false && pricing.carrierDown)) {
      const words = `approved terms: ${describeTerms(terms)}`;
      steps.push({
        kind: 'terms',
        terms,
        annualPremiumCents: pricing.priced ? pricing.annualPremiumCents : null,
        modalPremiumCents: pricing.priced ? pricing.modalPremiumCents : null,
        note: pricing.priced
          ? `${words}; re-priced from the carrier's rates: ${dollars(state.annualPremiumCents)} → ${dollars(pricing.annualPremiumCents)} a year, ${dollars(state.modalPremiumCents)} → ${dollars(pricing.modalPremiumCents)} a payment`
          : `${words}; not re-priced: ${pricing.message}`,
      });
    }
  }

  const matched = new Set<string>();
  const seen = new Set<string>();
  for (const theirs of report.requirements) {
    const carrierId = carrierIdOf(theirs);
    // One row per carrier id: a carrier naming no ids and listing a code twice is one requirement to us.
    if (seen.has(carrierId)) continue;
    seen.add(carrierId);
    const status = theirs.status ?? 'ORDERED';
    const change = `requirement ${status.toLowerCase()} at the carrier`;
    const mine =
      ours.find((r) => r.carrierRequirementId === carrierId) ??
      (theirs.reference ? ours.find((r) => r.id === theirs.reference && !r.carrierRequirementId && !matched.has(r.id)) : undefined);
    if (mine) {
      matched.add(mine.id);
      const link = mine.carrierRequirementId === carrierId ? null : carrierId;
      if (mine.status !== status || link)
        steps.push({
          kind: 'requirementStatus',
          requirementId: mine.id,
          code: mine.code,
          status,
          carrierRequirementId: link,
          note: mine.status !== status ? change : 'requirement known to the carrier',
        });
      continue;
    }
    const code = theirs.code ?? 'OTHER';
    const orderedAt = theirs.requestedOn ? `${theirs.requestedOn}T00:00:00.000Z` : now;
    steps.push({
      kind: 'newRequirement',
      code,
      carrierCode: theirs.carrierCode,
      carrierRequirementId: carrierId,
      description: theirs.description ?? (theirs.code === null ? `carrier requirement ${theirs.carrierCode}` : null),
      status,
      orderedAt,
      receivedAt: status === 'RECEIVED' ? (theirs.fulfilledOn ? `${theirs.fulfilledOn}T00:00:00.000Z` : now) : null,
      followUpOn: followUpOn(code, orderedAt),
      note: theirs.code === null ? `${change} (carrier code ${theirs.carrierCode}, none of ours)` : change,
    });
  }
  return steps;
}

/** The history note of a status move: the carrier's code, what it says beyond the status, and its words. */
function statusNote(report: CarrierReport, placedAt: string | null): string {
  const parts = [`carrier status ${report.carrierStatusCode}`];
  if (report.statusNote) parts.push(report.statusNote);
  if (placedAt) parts.push(`placed ${placedAt.slice(0, 10)}, no longer counted placed`);
  return parts.join(': ');
}

/** How many history events the steps write (a new policy number alone writes none). */
export const eventsOf = (steps: readonly SyncStep[]): number => steps.filter((step) => step.kind !== 'policyNumber').length;
