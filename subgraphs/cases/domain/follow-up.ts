/**
 * Follow-ups of outstanding requirements (docs/domain.md "Requirements v2"), as a pure module: given
 * a requirement as it stands and today's UTC date, what the follow-up job must do today, when and
 * what the next follow-up is, and whether the requirement is overdue. The job (follow-up.worker.ts)
 * writes what this answers; the Requirement fields nextFollowUpOn / nextFollowUpAction read it too.
 *
 * The rules: an exam not scheduled within 3 days of the order → ask the vendor, then every 3 days;
 * an APS not received by the vendor within 14 days → ask the vendor, then every 7; a requirement
 * without a vendor → the case manager chases it after its code's FOLLOW_UP_DAYS, then every 7; any
 * outstanding requirement → escalated to the case manager at 21 days and the agent told at 30.
 *
 * Each vendor stage has its own clock (anchor day, first follow-up, repeat): a scheduled exam is
 * chased the day after its appointment, not while it waits for it; results at the carrier are
 * chased at the carrier. `followUpOn` (the row's next follow-up day) says how far the job got:
 * every scheduled day before it has been handled, so a follow-up is made once however often the
 * job looks. A job that was down for days makes one follow-up, not one per missed day.
 */
import type { RequirementCodeValue as RequirementCode, RequirementStatusCode } from '../../shared/vocabulary';
import { FOLLOW_UP_DAYS } from './requirement.rules';
import { type Escalation, VENDORS, type VendorCode, type VendorDetails, type VendorStage } from './requirement-vendors';

/** What a follow-up does: ask the vendor for news, the case manager chases (no vendor, or waiting on the carrier), or an escalation. */
export const FOLLOW_UP_ACTIONS = ['ASK_VENDOR', 'CHASE', 'ESCALATE_TO_CASE_MANAGER', 'NOTIFY_AGENT'] as const;
export type FollowUpAction = (typeof FOLLOW_UP_ACTIONS)[number];

/** Exams: ask the vendor 3 days after the order when it is not scheduled, then every 3 days. */
export const EXAM_FIRST_DAYS = 3;
export const EXAM_EVERY_DAYS = 3;
/** APS: ask the vendor 14 days after the order when the records are not in, then every 7 days. */
export const APS_FIRST_DAYS = 14;
export const APS_EVERY_DAYS = 7;
/** Without a vendor (or waiting on the carrier): chased every 7 days after the first follow-up. */
export const CHASE_EVERY_DAYS = 7;
/** Days after the order at which an outstanding requirement goes to the case manager, then to the agent. */
export const ESCALATION_DAYS: Readonly<Record<Exclude<Escalation, 'NONE'>, number>> = { CASE_MANAGER: 21, AGENT: 30 };

const ESCALATION_ORDER: readonly Escalation[] = ['NONE', 'CASE_MANAGER', 'AGENT'];
const ESCALATION_ACTION: Readonly<Record<Exclude<Escalation, 'NONE'>, FollowUpAction>> = {
  CASE_MANAGER: 'ESCALATE_TO_CASE_MANAGER',
  AGENT: 'NOTIFY_AGENT',
};

/** The parts of a requirement row follow-ups depend on. */
export interface FollowUpSubject {
  code: RequirementCode;
  status: RequirementStatusCode;
  /** ISO instant. */
  orderedAt: string;
  vendor: VendorCode | null;
  vendorStage: VendorStage | null;
  /** ISO instant of the last stage change. */
  vendorStageAt: string | null;
  vendorDetails: VendorDetails | null;
  /** Follow-ups made so far. */
  followUps: number;
  escalation: Escalation;
  /** The next follow-up day the job will look at (YYYY-MM-DD); every scheduled day before it is handled. Null: none handled yet. */
  followUpOn: string | null;
  /** YYYY-MM-DD, while overdue. */
  overdueSince: string | null;
}

/** The schedule of the requirement's current stage: the first follow-up `firstDays` after `anchor`, then one every `everyDays`. */
export interface FollowUpClock {
  anchor: string;
  firstDays: number;
  everyDays: number;
  action: 'ASK_VENDOR' | 'CHASE';
  /** Why, for the event's note (no personal data). */
  reason: string;
}

/** What the job does today. */
export interface FollowUpDue {
  /** The headline: an escalation when one is due, else the stage's action. */
  action: FollowUpAction;
  /** Ask the vendor for its status (the requirement has an order at a vendor that still has work to do). */
  askVendor: boolean;
  /** The escalation reached today, when it is higher than the requirement's. */
  escalateTo: Exclude<Escalation, 'NONE'> | null;
  reason: string;
}

export interface FollowUpPlan {
  /** What is due today, or null. */
  due: FollowUpDue | null;
  /** The next follow-up after today's (if any) is made; null when the requirement is no longer outstanding. */
  next: { on: string; action: FollowUpAction } | null;
  /** The escalation once today's is made. */
  escalation: Escalation;
  /** The day the requirement became overdue, once today's follow-up is made; null when it is not overdue. */
  overdueSince: string | null;
}

/** The UTC day of an ISO instant or a date. */
export const dayOf = (value: string): string => value.slice(0, 10);

export function addDays(day: string, days: number): string {
  const date = new Date(`${dayOf(day)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const daysFrom = (a: string, b: string): number =>
  Math.round((Date.parse(`${dayOf(b)}T00:00:00Z`) - Date.parse(`${dayOf(a)}T00:00:00Z`)) / 86_400_000);

/** The first day of the schedule `first, first + every, …` on or after `from`. */
function scheduledOnOrAfter(first: string, everyDays: number, from: string): string {
  if (from <= first) return first;
  const steps = Math.ceil(daysFrom(first, from) / everyDays);
  return addDays(first, steps * everyDays);
}

/** The clock of the requirement's current stage (see the file's comment). */
export function followUpClock(s: FollowUpSubject): FollowUpClock {
  const ordered = dayOf(s.orderedAt);
  const stageDay = s.vendorStageAt ? dayOf(s.vendorStageAt) : ordered;
  if (!s.vendor)
    return { anchor: ordered, firstDays: FOLLOW_UP_DAYS[s.code], everyDays: CHASE_EVERY_DAYS, action: 'CHASE', reason: 'no vendor' };
  const vendor = VENDORS[s.vendor];
  const exam = vendor.kind === 'EXAM';
  const firstDays = exam ? EXAM_FIRST_DAYS : APS_FIRST_DAYS;
  const everyDays = exam ? EXAM_EVERY_DAYS : APS_EVERY_DAYS;
  const stage = s.vendorStage ?? 'QUEUED';
  const at = `${s.vendor} ${stage}`;
  switch (stage) {
    case 'QUEUED':
      // The order has not reached the vendor (it is down, or refused it): nothing to ask it yet.
      return { anchor: ordered, firstDays, everyDays, action: 'CHASE', reason: `${at}: the order has not reached the vendor` };
    case 'RESULTS_SENT_TO_CARRIER':
    case 'SENT_TO_CARRIER':
      return {
        anchor: stageDay,
        firstDays: CHASE_EVERY_DAYS,
        everyDays: CHASE_EVERY_DAYS,
        action: 'CHASE',
        reason: `${at}: chase the carrier`,
      };
    case 'CANCELLED':
      return { anchor: stageDay, firstDays: 0, everyDays: CHASE_EVERY_DAYS, action: 'CHASE', reason: `${at}: reorder or waive` };
    case 'SCHEDULED': {
      // Chased the day after the appointment, when it should be completed.
      const appointment = s.vendorDetails?.appointmentAt ? dayOf(s.vendorDetails.appointmentAt) : stageDay;
      return { anchor: appointment, firstDays: 1, everyDays, action: 'ASK_VENDOR', reason: `${at}: not completed after the appointment` };
    }
    case 'NO_SHOW':
      return { anchor: stageDay, firstDays, everyDays, action: 'ASK_VENDOR', reason: `${at}: not rescheduled` };
    case 'COMPLETED':
      return { anchor: stageDay, firstDays, everyDays, action: 'ASK_VENDOR', reason: `${at}: results not sent to the carrier` };
    case 'RECEIVED_BY_VENDOR':
      return { anchor: stageDay, firstDays: everyDays, everyDays, action: 'ASK_VENDOR', reason: `${at}: records not sent to the carrier` };
    default:
      // ORDERED (either vendor) and the APS stages before the records are in: the clock runs from the order.
      return {
        anchor: ordered,
        firstDays,
        everyDays,
        action: 'ASK_VENDOR',
        reason: exam ? `${at}: not scheduled` : `${at}: records not received`,
      };
  }
}

/** The escalation an outstanding requirement has reached by `today` by its age alone. */
export function escalationReached(orderedAt: string, today: string): Escalation {
  const age = daysFrom(orderedAt, today);
  if (age >= ESCALATION_DAYS.AGENT) return 'AGENT';
  if (age >= ESCALATION_DAYS.CASE_MANAGER) return 'CASE_MANAGER';
  return 'NONE';
}

const higher = (a: Escalation, b: Escalation): boolean => ESCALATION_ORDER.indexOf(a) > ESCALATION_ORDER.indexOf(b);

/** The next escalation after `level`, and its day. */
function nextEscalation(orderedAt: string, level: Escalation): { on: string; action: FollowUpAction } | null {
  if (level === 'AGENT') return null;
  const to = level === 'NONE' ? 'CASE_MANAGER' : 'AGENT';
  return { on: addDays(orderedAt, ESCALATION_DAYS[to]), action: ESCALATION_ACTION[to] };
}

/** What the follow-up job does today (UTC YYYY-MM-DD) for this requirement, and what comes next. */
export function planFollowUp(s: FollowUpSubject, today: string): FollowUpPlan {
  if (s.status !== 'ORDERED') return { due: null, next: null, escalation: s.escalation, overdueSince: null };
  const clock = followUpClock(s);
  const firstDue = addDays(clock.anchor, clock.firstDays);
  const pending = scheduledOnOrAfter(firstDue, clock.everyDays, s.followUpOn ?? firstDue);
  const regularDue = pending <= today;
  const reached = escalationReached(s.orderedAt, today);
  const escalateTo = higher(reached, s.escalation) ? (reached as Exclude<Escalation, 'NONE'>) : null;
  const escalation = escalateTo ?? s.escalation;

  const due: FollowUpDue | null =
    regularDue || escalateTo
      ? {
          action: escalateTo ? ESCALATION_ACTION[escalateTo] : clock.action,
          askVendor: clock.action === 'ASK_VENDOR',
          escalateTo,
          reason: clock.reason,
        }
      : null;
  const nextRegular = regularDue ? scheduledOnOrAfter(firstDue, clock.everyDays, addDays(today, 1)) : pending;
  const upcoming = nextEscalation(s.orderedAt, escalation);
  const next = upcoming && upcoming.on <= nextRegular ? upcoming : { on: nextRegular, action: clock.action };

  const since = [firstDue <= today ? firstDue : null, escalation !== 'NONE' ? addDays(s.orderedAt, ESCALATION_DAYS[escalation]) : null]
    .filter((day): day is string => day !== null)
    .sort()[0];
  return { due, next, escalation, overdueSince: since ? (s.overdueSince ?? since) : null };
}

/**
 * The next follow-up as a reader sees it (Requirement.nextFollowUpOn / nextFollowUpAction): one due
 * and not yet made shows with its own day (today or before, when the job is behind); else the one
 * after. Null once the requirement is no longer outstanding.
 */
export function nextFollowUp(s: FollowUpSubject, today: string): { on: string; action: FollowUpAction } | null {
  if (s.status !== 'ORDERED') return null;
  const plan = planFollowUp(s, today);
  if (!plan.due) return plan.next;
  const clock = followUpClock(s);
  const firstDue = addDays(clock.anchor, clock.firstDays);
  const days = [
    plan.due.escalateTo ? addDays(s.orderedAt, ESCALATION_DAYS[nextEscalationLevel(s.escalation)]) : null,
    scheduledOnOrAfter(firstDue, clock.everyDays, s.followUpOn ?? firstDue),
  ].filter((day): day is string => day !== null && day <= today);
  return { on: days.sort()[0] ?? today, action: plan.due.action };
}

const nextEscalationLevel = (level: Escalation): Exclude<Escalation, 'NONE'> => (level === 'NONE' ? 'CASE_MANAGER' : 'AGENT');

/**
 * The follow-up columns of a requirement whose stage (or anything else here) just changed, without
 * making a follow-up: the day the job should look next (today or earlier when one is due now) and
 * the overdue day. For the writers of vendor stages, so the worklist reflects a stage at once.
 */
export function followUpColumns(s: FollowUpSubject, today: string): { followUpOn: string | null; overdueSince: string | null } {
  return { followUpOn: nextFollowUp(s, today)?.on ?? null, overdueSince: planFollowUp(s, today).overdueSince };
}

/**
 * The first follow-up day of a requirement ordered now (`orderedAt`), for the row's follow_up_on at
 * insert: 3 days for an exam at a vendor, 14 for an APS at a vendor, FOLLOW_UP_DAYS without one.
 */
export function firstFollowUpOn(code: RequirementCode, vendor: VendorCode | null, orderedAt: string): string {
  const subject: FollowUpSubject = {
    code,
    status: 'ORDERED',
    orderedAt,
    vendor,
    vendorStage: vendor ? 'QUEUED' : null,
    vendorStageAt: null,
    vendorDetails: null,
    followUps: 0,
    escalation: 'NONE',
    followUpOn: null,
    overdueSince: null,
  };
  return addDays(followUpClock(subject).anchor, followUpClock(subject).firstDays);
}
