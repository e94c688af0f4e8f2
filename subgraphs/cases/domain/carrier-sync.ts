/**
 * Carrier sync as a pure plan: the carrier is the system of record for underwriting, so what it
 * reports wins. Its status and requirements become CARRIER_SYNC steps, one per change, even when the
 * case jumps several steps (SUBMITTED -> ISSUED). A code we do not know becomes a note, once: the
 * same unknown code on every sync would bury the history. No I/O: the worker loads the case, asks
 * here, and the repository writes the steps in order.
 */
import type {
  CaseStatusCode as CaseStatus,
  RequirementCodeValue as RequirementCode,
  RequirementStatusCode as RequirementStatus,
} from '../../shared/vocabulary';
import { type CaseState, type Stamps, stampsFor } from './case-status';
import { followUpOn } from './requirement.rules';

/** What a carrier reports about one application. */
export interface CarrierReport {
  status: CaseStatus | null;
  carrierStatusCode: string;
  policyNumber: string | null;
  requirements: readonly {
    code: RequirementCode | null;
    carrierCode: string;
    status: RequirementStatus | null;
    requestedOn: string | null;
    fulfilledOn: string | null;
  }[];
}

export type SyncStep =
  /** A carrier code we do not know, noted once in the history. */
  | { kind: 'note'; note: string }
  | { kind: 'status'; from: CaseStatus; to: CaseStatus; stamps: Stamps; policyNumber: string | null; note: string }
  /** The same status, a new policy number: no event. */
  | { kind: 'policyNumber'; policyNumber: string }
  | {
      kind: 'newRequirement';
      code: RequirementCode;
      carrierCode: string;
      status: RequirementStatus;
      orderedAt: string;
      receivedAt: string | null;
      followUpOn: string;
      note: string;
    }
  | { kind: 'requirementStatus'; requirementId: string; code: RequirementCode; status: RequirementStatus; note: string };

/**
 * The steps that bring a case in line with its carrier's report, in the order they are written.
 * `ours` are the case's requirements (most recently ordered first), `notedBefore` the notes of its
 * earlier CARRIER_SYNC events.
 */
export function planSync(
  state: CaseState & { policyNumber: string | null },
  ours: readonly { id: string; code: RequirementCode; status: RequirementStatus }[],
  notedBefore: ReadonlySet<string>,
  report: CarrierReport,
  now: string,
): SyncStep[] {
  const steps: SyncStep[] = [];
  const noted = new Set(notedBefore);
  const note = (text: string) => {
    if (noted.has(text)) return;
    noted.add(text);
    steps.push({ kind: 'note', note: text });
  };

  if (report.status === null) note(`unknown carrier status code ${report.carrierStatusCode}`);
  else if (report.status !== state.status)
    steps.push({
      kind: 'status',
      from: state.status,
      to: report.status,
      stamps: stampsFor(state, report.status, now),
      policyNumber: report.policyNumber,
      note: `carrier status ${report.carrierStatusCode}`,
    });
  else if (report.policyNumber && report.policyNumber !== state.policyNumber)
    steps.push({ kind: 'policyNumber', policyNumber: report.policyNumber });

  for (const theirs of report.requirements) {
    if (theirs.code === null) {
      note(`unknown carrier requirement code ${theirs.carrierCode}`);
      continue;
    }
    const status = theirs.status ?? 'ORDERED';
    const change = `requirement ${status.toLowerCase()} at the carrier`;
    const mine = ours.find((r) => r.code === theirs.code && r.status !== 'CANCELLED');
    if (!mine) {
      const orderedAt = theirs.requestedOn ? `${theirs.requestedOn}T00:00:00.000Z` : now;
      steps.push({
        kind: 'newRequirement',
        code: theirs.code,
        carrierCode: theirs.carrierCode,
        status,
        orderedAt,
        receivedAt: status === 'RECEIVED' ? (theirs.fulfilledOn ? `${theirs.fulfilledOn}T00:00:00.000Z` : now) : null,
        followUpOn: followUpOn(theirs.code, orderedAt),
        note: change,
      });
    } else if (mine.status !== status) {
      steps.push({ kind: 'requirementStatus', requirementId: mine.id, code: theirs.code, status, note: change });
    }
  }
  return steps;
}

/** How many history events the steps write (a new policy number alone writes none). */
export const eventsOf = (steps: readonly SyncStep[]): number => steps.filter((step) => step.kind !== 'policyNumber').length;
