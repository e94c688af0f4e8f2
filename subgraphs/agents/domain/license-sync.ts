/**
 * The license sync's rules as one pure function: our licenses and appointments of one agent against
 * the national producer database's (the PDB's) report → what to change, what to tell staff. No I/O:
 * the caller loads the rows, applies the plan in one transaction and appends its events.
 *
 * Licenses: the PDB is the source of truth. Per state, a license of ours is matched to the PDB's by
 * number (else, one for one, to the PDB's other license there); a match that differs is CHANGED to the
 * PDB's values, a PDB license we lack is ADDED, one of ours the PDB does not show is REMOVED. Lines of
 * authority compare in the PDB's words (our HEALTH and ACCIDENT_HEALTH are its HEALTH, our
 * VARIABLE_LIFE_ANNUITY its VARIABLE). An INACTIVE license is revoked with us while its expiry is
 * still ahead; past its expiry the dates already say it.
 *
 * A discrepancy (an alert for staff) is where ours claimed more than the truth, or where something
 * appears that the BGA did not know of:
 *   LICENSE_INACTIVE      a license active with us is inactive (or revoked) at the PDB
 *   LICENSE_EXPIRY        ours expires later than the PDB says
 *   LICENSE_DETAILS       its number, residency or lines of authority differ, ours claiming a line the PDB does not show or another number
 *   LICENSE_NOT_IN_PDB    a license active with us is not at the PDB (removed)
 *   LICENSE_NOT_ON_FILE   an active PDB license in a state where we had none, for an agent with licenses on file (a first sync fills an empty record quietly)
 *   APPOINTMENT_MISMATCH  the PDB contradicts an appointment the carrier told us about (ours ACTIVE, the PDB's TERMINATED; or ours ended, the PDB's ACTIVE)
 * Routine news (a renewal's later expiry, a new line, a reinstatement) changes ours without an alert.
 *
 * Appointments: the carriers are their source (the appointments flow); the PDB fills in what we lack.
 * A carrier/state we have no row for is ADDED from the PDB (source PRODUCER_DATABASE); a row the PDB
 * gave us follows the PDB (TERMINATED when it ends there, a new ACTIVE row when it is re-appointed); a
 * row the carrier told us about is never changed here: a contradiction is a discrepancy. A requested
 * or submitted appointment awaits the carrier's answer, and one the PDB does not list yet is not news
 * (the PDB lags the carriers). Company codes we cannot map to a carrier are reported, not guessed.
 */
import type { AgentEventTypeCode, AppointmentStatusCode, LineOfAuthorityCode } from '../../shared/vocabulary';

export type PdbLine = 'LIFE' | 'HEALTH' | 'ANNUITY' | 'VARIABLE';

export const LICENSING_DISCREPANCY_KINDS = [
  'LICENSE_INACTIVE',
  'LICENSE_EXPIRY',
  'LICENSE_DETAILS',
  'LICENSE_NOT_IN_PDB',
  'LICENSE_NOT_ON_FILE',
  'APPOINTMENT_MISMATCH',
  'NPN_NOT_FOUND',
] as const;
export type LicensingDiscrepancyKind = (typeof LICENSING_DISCREPANCY_KINDS)[number];
/** Discrepancies a later sync closes by itself once the PDB and ours agree (the rest wait for staff). */
export const SELF_RESOLVING_DISCREPANCIES: readonly LicensingDiscrepancyKind[] = ['APPOINTMENT_MISMATCH', 'NPN_NOT_FOUND'];

export interface OurLicense {
  id: string;
  state: string;
  number: string;
  resident: boolean;
  linesOfAuthority: readonly LineOfAuthorityCode[];
  effectiveOn: string;
  expiresOn: string;
  revoked: boolean;
}

export interface TheirLicense {
  state: string;
  number: string;
  resident: boolean;
  lines: readonly PdbLine[];
  status: 'ACTIVE' | 'INACTIVE';
  effectiveOn: string;
  expiresOn: string;
}

export interface OurAppointment {
  id: string;
  carrierId: string;
  state: string;
  status: AppointmentStatusCode;
  source: 'BGA' | 'PRODUCER_DATABASE';
  effectiveOn: string | null;
  terminatedOn: string | null;
}

export interface TheirAppointment {
  companyCode: string;
  state: string;
  status: 'ACTIVE' | 'TERMINATED';
  effectiveOn: string | null;
  terminatedOn: string | null;
}

/** A license's values as they are to be stored. */
export interface LicenseValues {
  state: string;
  number: string;
  resident: boolean;
  linesOfAuthority: LineOfAuthorityCode[];
  effectiveOn: string;
  expiresOn: string;
  revoked: boolean;
}

export interface LicenseSyncInput {
  licenses: readonly OurLicense[];
  appointments: readonly OurAppointment[];
  theirs: { licenses: readonly TheirLicense[]; appointments: readonly TheirAppointment[] };
  /** The carrier id of each PDB company code we know. */
  carrierIdByCompanyCode: ReadonlyMap<string, string>;
  /** YYYY-MM-DD (UTC): the day the answer is for. */
  today: string;
}

export interface PlannedDiscrepancy {
  kind: LicensingDiscrepancyKind;
  state: string | null;
  carrierId: string | null;
  /** For staff; never a license number or a name. */
  note: string;
}

export interface PlannedEvent {
  type: AgentEventTypeCode;
  state: string | null;
  carrierId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  note: string;
}

export interface LicenseSyncPlan {
  licenses: {
    added: LicenseValues[];
    changed: { id: string; before: OurLicense; after: LicenseValues }[];
    removed: OurLicense[];
  };
  appointments: {
    /** New rows, source PRODUCER_DATABASE. */
    added: { carrierId: string; state: string; status: 'ACTIVE' | 'TERMINATED'; effectiveOn: string | null; terminatedOn: string | null }[];
    /** Rows the PDB gave us that have ended there. */
    terminated: { id: string; carrierId: string; state: string; terminatedOn: string | null }[];
  };
  discrepancies: PlannedDiscrepancy[];
  /** One per change: LICENSE_ADDED/CHANGED/REMOVED, APPOINTMENT_ACTIVE/TERMINATED (discrepancies' events are the caller's: only newly opened ones get one). */
  events: PlannedEvent[];
  /** PDB company codes no carrier of ours carries: their appointments were left out. */
  unknownCompanyCodes: string[];
}

/** Our line as the PDB names it. */
export const PDB_LINE_OF_OURS: Readonly<Record<LineOfAuthorityCode, PdbLine>> = {
  LIFE: 'LIFE',
  HEALTH: 'HEALTH',
  ACCIDENT_HEALTH: 'HEALTH',
  VARIABLE_LIFE_ANNUITY: 'VARIABLE',
  ANNUITY: 'ANNUITY',
};

/** The PDB's lines in ours, keeping our own name where we had the line already (HEALTH vs ACCIDENT_HEALTH). */
export function ourLines(theirs: readonly PdbLine[], had: readonly LineOfAuthorityCode[] = []): LineOfAuthorityCode[] {
  const lines = theirs.map((line): LineOfAuthorityCode => {
    const kept = had.find((ours) => PDB_LINE_OF_OURS[ours] === line);
    if (kept) return kept;
    return line === 'HEALTH' ? 'ACCIDENT_HEALTH' : line === 'VARIABLE' ? 'VARIABLE_LIFE_ANNUITY' : line;
  });
  return [...new Set(lines)].sort();
}

const pdbLines = (lines: readonly LineOfAuthorityCode[]) => [...new Set(lines.map((line) => PDB_LINE_OF_OURS[line]))].sort();
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Effective on or before today, not expired, not revoked (YYYY-MM-DD strings compare as dates). */
const activeOn = (license: { effectiveOn: string; expiresOn: string; revoked: boolean }, today: string) =>
  !license.revoked && license.effectiveOn <= today && today <= license.expiresOn;

/** The PDB's license as we store it (revoked while INACTIVE ahead of its expiry; past it the dates say it). */
function valuesOf(theirs: TheirLicense, ours: OurLicense | undefined, today: string): LicenseValues {
  const revoked = theirs.status === 'INACTIVE' ? (theirs.expiresOn < today ? (ours?.revoked ?? false) : true) : false;
  return {
    state: theirs.state,
    number: theirs.number,
    resident: theirs.resident,
    linesOfAuthority: ourLines(theirs.lines, ours?.linesOfAuthority),
    effectiveOn: theirs.effectiveOn,
    expiresOn: theirs.expiresOn,
    revoked,
  };
}

/** The fields that differ, in our words (for the event's note and the discrepancy's kind). */
function differences(ours: OurLicense, after: LicenseValues): string[] {
  const fields: string[] = [];
  if (ours.number !== after.number) fields.push('number');
  if (ours.resident !== after.resident) fields.push('residency');
  if (!sameSet(pdbLines(ours.linesOfAuthority), pdbLines(after.linesOfAuthority))) fields.push('linesOfAuthority');
  if (ours.effectiveOn !== after.effectiveOn) fields.push('effectiveOn');
  if (ours.expiresOn !== after.expiresOn) fields.push('expiresOn');
  if (ours.revoked !== after.revoked) fields.push('status');
  return fields;
}

const describe = (license: LicenseValues | OurLicense) =>
  `${license.resident ? 'resident' : 'non-resident'}, ${[...license.linesOfAuthority].join('/')}, ${license.effectiveOn} to ${license.expiresOn}${license.revoked ? ', inactive' : ''}`;

/** What ours claimed beyond the PDB, most serious first; null when the change is routine news. */
function changedDiscrepancy(ours: OurLicense, after: LicenseValues, today: string): LicensingDiscrepancyKind | null {
  if (activeOn(ours, today) && !activeOn(after, today)) return 'LICENSE_INACTIVE';
  if (after.expiresOn < ours.expiresOn) return 'LICENSE_EXPIRY';
  const theirLines = new Set(pdbLines(after.linesOfAuthority));
  if (ours.number !== after.number || ours.resident !== after.resident || pdbLines(ours.linesOfAuthority).some((l) => !theirLines.has(l)))
    return 'LICENSE_DETAILS';
  return null;
}

function reconcileLicenses(input: LicenseSyncInput, plan: LicenseSyncPlan): void {
  const { today } = input;
  const states = [...new Set([...input.licenses.map((l) => l.state), ...input.theirs.licenses.map((l) => l.state)])].sort();
  const hadAny = input.licenses.length > 0;
  for (const state of states) {
    const ours = input.licenses
      .filter((l) => l.state === state)
      .sort((a, b) => b.expiresOn.localeCompare(a.expiresOn) || a.id.localeCompare(b.id));
    const theirs = input.theirs.licenses.filter((l) => l.state === state);
    const pairs: [OurLicense | undefined, TheirLicense][] = [];
    const left = [...ours];
    const unmatched: TheirLicense[] = [];
    for (const license of theirs) {
      const i = left.findIndex((o) => o.number === license.number);
      if (i >= 0) pairs.push([left.splice(i, 1)[0], license]);
      else unmatched.push(license);
    }
    // A PDB license with another number than ours in the state: ours, renumbered (one for one).
    for (const license of unmatched) pairs.push([left.shift(), license]);
    for (const [mine, license] of pairs) {
      const after = valuesOf(license, mine, today);
      if (!mine) {
        plan.licenses.added.push(after);
        plan.events.push({ type: 'LICENSE_ADDED', state, carrierId: null, fromStatus: null, toStatus: null, note: describe(after) });
        if (hadAny && activeOn(after, today))
          plan.discrepancies.push({
            kind: 'LICENSE_NOT_ON_FILE',
            state,
            carrierId: null,
            note: `the producer database shows an active license in ${state} that was not on file`,
          });
        continue;
      }
      const fields = differences(mine, after);
      if (fields.length === 0) continue;
      plan.licenses.changed.push({ id: mine.id, before: mine, after });
      plan.events.push({
        type: 'LICENSE_CHANGED',
        state,
        carrierId: null,
        fromStatus: activeOn(mine, today) ? 'ACTIVE' : 'INACTIVE',
        toStatus: activeOn(after, today) ? 'ACTIVE' : 'INACTIVE',
        note: `${fields.join(', ')}: now ${describe(after)} (was ${describe(mine)})`,
      });
      const kind = changedDiscrepancy(mine, after, today);
      if (kind)
        plan.discrepancies.push({
          kind,
          state,
          carrierId: null,
          note:
            kind === 'LICENSE_INACTIVE'
              ? `the license in ${state} was active on file but is inactive at the producer database`
              : kind === 'LICENSE_EXPIRY'
                ? `the license in ${state} expires ${after.expiresOn} at the producer database, ${mine.expiresOn} on file`
                : `the license in ${state} differs from the producer database (${fields.filter((f) => f !== 'effectiveOn' && f !== 'expiresOn').join(', ')})`,
        });
    }
    for (const mine of left) {
      plan.licenses.removed.push(mine);
      plan.events.push({
        type: 'LICENSE_REMOVED',
        state,
        carrierId: null,
        fromStatus: activeOn(mine, today) ? 'ACTIVE' : 'INACTIVE',
        toStatus: null,
        note: `not at the producer database: ${describe(mine)}`,
      });
      if (activeOn(mine, today))
        plan.discrepancies.push({
          kind: 'LICENSE_NOT_IN_PDB',
          state,
          carrierId: null,
          note: `the license in ${state} was active on file but the producer database does not show it`,
        });
    }
  }
}

const LIVE: readonly AppointmentStatusCode[] = ['REQUESTED', 'SUBMITTED', 'ACTIVE'];

/** Our current appointment with a carrier in a state: the live one, else the latest ended one. */
function current(rows: readonly OurAppointment[]): OurAppointment | undefined {
  return (
    rows.find((row) => LIVE.includes(row.status)) ??
    [...rows].sort(
      (a, b) => (b.terminatedOn ?? b.effectiveOn ?? '').localeCompare(a.terminatedOn ?? a.effectiveOn ?? '') || b.id.localeCompare(a.id),
    )[0]
  );
}

function reconcileAppointments(input: LicenseSyncInput, plan: LicenseSyncPlan): void {
  const unknown = new Set<string>();
  const theirs = new Map<string, TheirAppointment & { carrierId: string }>();
  for (const appointment of input.theirs.appointments) {
    const carrierId = input.carrierIdByCompanyCode.get(appointment.companyCode);
    if (!carrierId) {
      unknown.add(appointment.companyCode);
      continue;
    }
    theirs.set(`${carrierId}/${appointment.state}`, { ...appointment, carrierId });
  }
  plan.unknownCompanyCodes = [...unknown].sort();
  for (const [key, their] of [...theirs].sort(([a], [b]) => a.localeCompare(b))) {
    const { carrierId, state } = their;
    const mine = current(input.appointments.filter((row) => `${row.carrierId}/${row.state}` === key));
    const add = () => {
      plan.appointments.added.push({
        carrierId,
        state,
        status: their.status,
        effectiveOn: their.effectiveOn,
        terminatedOn: their.terminatedOn,
      });
      plan.events.push({
        type: their.status === 'ACTIVE' ? 'APPOINTMENT_ACTIVE' : 'APPOINTMENT_TERMINATED',
        state,
        carrierId,
        fromStatus: mine?.status ?? null,
        toStatus: their.status,
        note: 'recorded from the producer database',
      });
    };
    if (!mine) {
      add();
      continue;
    }
    if (mine.source === 'PRODUCER_DATABASE') {
      if (mine.status === 'ACTIVE' && their.status === 'TERMINATED') {
        plan.appointments.terminated.push({ id: mine.id, carrierId, state, terminatedOn: their.terminatedOn });
        plan.events.push({
          type: 'APPOINTMENT_TERMINATED',
          state,
          carrierId,
          fromStatus: 'ACTIVE',
          toStatus: 'TERMINATED',
          note: 'terminated at the producer database',
        });
      } else if (!LIVE.includes(mine.status) && their.status === 'ACTIVE') add();
      continue;
    }
    // The carrier told us about this one: the PDB may only contradict it.
    const contradiction =
      (mine.status === 'ACTIVE' && their.status === 'TERMINATED') ||
      ((mine.status === 'TERMINATED' || mine.status === 'REJECTED') && their.status === 'ACTIVE');
    if (contradiction)
      plan.discrepancies.push({
        kind: 'APPOINTMENT_MISMATCH',
        state,
        carrierId,
        note: `the appointment is ${mine.status} on file but ${their.status} at the producer database`,
      });
  }
}

/** The plan that brings ours in line with the PDB's report (see the header for the rules). */
export function planLicenseSync(input: LicenseSyncInput): LicenseSyncPlan {
  const plan: LicenseSyncPlan = {
    licenses: { added: [], changed: [], removed: [] },
    appointments: { added: [], terminated: [] },
    discrepancies: [],
    events: [],
    unknownCompanyCodes: [],
  };
  reconcileLicenses(input, plan);
  reconcileAppointments(input, plan);
  return plan;
}
