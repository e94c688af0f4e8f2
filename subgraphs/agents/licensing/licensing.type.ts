import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../../platform/scalars';
import { AgentEventType, enumOf, register, State } from '../../shared/enums';
import type { AgentEventTypeCode } from '../../shared/vocabulary';
import { LICENSING_DISCREPANCY_KINDS, type LicensingDiscrepancyKind as DiscrepancyKindCode } from '../domain/license-sync';
import { ALERT_KINDS, type AlertKind } from './license-sync.repository';

export const LicensingAlertKind = register(enumOf(ALERT_KINDS), 'LicensingAlertKind', 'What a licensing alert is about.', {
  LICENSE_EXPIRING: 'A license active today expires within the window asked for (60 days by default).',
  DISCREPANCY: 'Our records and the national producer database disagreed (see discrepancy); open until staff resolve it.',
  NPN_NOT_FOUND: "The national producer database has no producer with the agent's NPN: the NPN on file is likely wrong.",
  APPOINTMENT_FILING_DUE:
    'A just-in-time appointment filing not yet answered by the carrier whose 15-day deadline is within the window asked for, or past.',
});
export type LicensingAlertKind = AlertKind;

export const LicensingDiscrepancyKind = register(
  enumOf(LICENSING_DISCREPANCY_KINDS),
  'LicensingDiscrepancyKind',
  'How our records and the national producer database disagreed (the producer database is the source of truth for licenses).',
  {
    LICENSE_INACTIVE: 'A license active on file is inactive at the producer database (the sync made ours inactive).',
    LICENSE_EXPIRY: 'A license on file expired later than the producer database says (the sync took its date).',
    LICENSE_DETAILS:
      'A license on file had another number, residency or a line of authority the producer database does not show (corrected).',
    LICENSE_NOT_IN_PDB: 'A license active on file is not at the producer database (the sync removed it).',
    LICENSE_NOT_ON_FILE: 'The producer database shows an active license in a state where none was on file (the sync added it).',
    APPOINTMENT_MISMATCH:
      'The producer database contradicts an appointment the carrier told us about (left as the carrier said; closes when they agree).',
    NPN_NOT_FOUND: "The producer database does not know the agent's NPN (closes at the next successful sync).",
  },
);
export type LicensingDiscrepancyKind = DiscrepancyKindCode;

@ObjectType({ description: "Something about an agent's licensing that staff (or the agent) should act on." })
export class LicensingAlert {
  @Field(() => ID, { description: "Opaque id; a discrepancy's is what resolveLicensingDiscrepancy takes." })
  id!: string;

  @Field(() => LicensingAlertKind, { description: 'What the alert is about.' })
  kind!: LicensingAlertKind;

  @Field(() => State, { nullable: true, description: 'The state it concerns; null for an unknown NPN.' })
  state!: string | null;

  @Field(() => LicensingDiscrepancyKind, {
    nullable: true,
    description: 'For DISCREPANCY and NPN_NOT_FOUND alerts: how the records disagreed.',
  })
  discrepancy!: LicensingDiscrepancyKind | null;

  @Field(() => DateScalar, { nullable: true, description: "The license's expiry day, or the filing's deadline; null for discrepancies." })
  dueOn!: string | null;

  @Field(() => Int, { nullable: true, description: 'Days from today (UTC) to dueOn, negative when past; null for discrepancies.' })
  daysLeft!: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When a sync found the discrepancy; null for other alerts.' })
  detectedAt!: string | null;

  @Field(() => String, { description: 'What is wrong, for people; never a license number or a name.' })
  message!: string;

  agentId!: string;
  carrierId!: string | null;
}

@InputType({ description: 'Which licensing alerts to list.' })
export class LicensingAlertFilter {
  @Field(() => ID, { nullable: true, description: "Only this agent's alerts (within the caller's scope)." })
  agentId?: string;

  @Field(() => [LicensingAlertKind], { nullable: true, description: 'Only these kinds; all when omitted.' })
  kinds?: LicensingAlertKind[];

  @Field(() => Int, {
    nullable: true,
    defaultValue: 60,
    description: 'LICENSE_EXPIRING: licenses expiring within this many days, 0 to 365 (default 60).',
  })
  expiringWithinDays?: number;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 5,
    description: 'APPOINTMENT_FILING_DUE: filings due within this many days, 0 to 15 (default 5); past-due ones are always listed.',
  })
  filingDueWithinDays?: number;
}

@ObjectType({ description: "One change a license sync made, as recorded in the agent's events." })
export class LicenseSyncChange {
  @Field(() => AgentEventType, {
    description: 'The event recorded: LICENSE_ADDED/CHANGED/REMOVED, APPOINTMENT_ACTIVE/TERMINATED, LICENSING_DISCREPANCY.',
  })
  type!: AgentEventTypeCode;

  @Field(() => State, { nullable: true, description: 'The state it concerns.' })
  state!: string | null;

  @Field(() => String, { nullable: true, description: 'The status before (ACTIVE or INACTIVE for a license, an appointment status).' })
  fromStatus!: string | null;

  @Field(() => String, { nullable: true, description: 'The status after; for a discrepancy, its kind.' })
  toStatus!: string | null;

  @Field(() => String, { description: 'What changed, for staff; never a license number.' })
  note!: string;

  carrierId!: string | null;
}

@ObjectType({ description: "What one sync of an agent's licenses with the national producer database changed." })
export class LicenseSyncResult {
  @Field(() => DateTimeScalar, { description: 'When the sync committed.' })
  syncedAt!: string;

  @Field(() => Int, { description: 'Licenses the producer database showed that were not on file.' })
  licensesAdded!: number;

  @Field(() => Int, { description: 'Licenses on file brought in line with the producer database.' })
  licensesChanged!: number;

  @Field(() => Int, { description: 'Licenses on file the producer database does not show (removed).' })
  licensesRemoved!: number;

  @Field(() => Int, { description: 'Appointments recorded from the producer database where none was on file.' })
  appointmentsAdded!: number;

  @Field(() => Int, { description: 'Appointments recorded from the producer database that have ended there.' })
  appointmentsTerminated!: number;

  @Field(() => [LicenseSyncChange], { description: 'Every change, in the order recorded as agent events (none when everything agreed).' })
  changes!: LicenseSyncChange[];

  @Field(() => [LicensingAlert], { description: 'Discrepancies this sync opened (one already open is not repeated).' })
  discrepancies!: LicensingAlert[];

  @Field(() => Int, { description: 'Open discrepancies this sync found agreeing again and closed.' })
  discrepanciesResolved!: number;

  @Field(() => [String], { description: 'Producer-database company codes no carrier on file carries: those appointments were left out.' })
  unknownCompanyCodes!: string[];

  agentId!: string;
}
