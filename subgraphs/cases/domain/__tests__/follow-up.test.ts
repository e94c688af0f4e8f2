/**
 * The follow-up rules of docs/domain.md "Requirements v2", day by day: a job that runs every day
 * (or misses days) over one requirement, what it does on which day, and properties that hold for
 * any requirement: one follow-up per scheduled day however often the job looks, escalations once,
 * at 21 and 30 days, never backwards.
 */
import fc from 'fast-check';
import { REQUIREMENT_CODES } from '../../../shared/vocabulary';
import {
  addDays,
  type FollowUpAction,
  type FollowUpSubject,
  firstFollowUpOn,
  followUpColumns,
  nextFollowUp,
  planFollowUp,
} from '../follow-up';
import { APS_STAGES, EXAM_STAGES, type VendorStage } from '../requirement-vendors';

const ORDERED = '2026-03-02T15:30:00.000Z';
const day = (n: number) => addDays(ORDERED, n);

function subject(over: Partial<FollowUpSubject> = {}): FollowUpSubject {
  return {
    code: 'APS',
    status: 'ORDERED',
    orderedAt: ORDERED,
    vendor: 'CHARTWELL',
    vendorStage: 'ORDERED',
    vendorStageAt: ORDERED,
    vendorDetails: null,
    followUps: 0,
    escalation: 'NONE',
    followUpOn: null,
    overdueSince: null,
    ...over,
  };
}

/** What the job writes after looking on `today` (as follow-up.repository.ts does). */
function apply(
  s: FollowUpSubject,
  today: string,
): { next: FollowUpSubject; made: { day: number; action: FollowUpAction; askVendor: boolean } | null } {
  const plan = planFollowUp(s, today);
  const next = {
    ...s,
    followUps: s.followUps + (plan.due ? 1 : 0),
    followUpOn: plan.next?.on ?? null,
    escalation: plan.escalation,
    overdueSince: plan.overdueSince,
  };
  const days = Math.round((Date.parse(today) - Date.parse(ORDERED.slice(0, 10))) / 86_400_000);
  return { next, made: plan.due ? { day: days, action: plan.due.action, askVendor: plan.due.askVendor } : null };
}

/** The job on the given days (it only looks when the row's followUpOn has come, as the worker's claim does). */
function run(start: FollowUpSubject, days: readonly number[], stages: Record<number, Partial<FollowUpSubject>> = {}) {
  let s = start;
  const made: { day: number; action: FollowUpAction; askVendor: boolean }[] = [];
  for (const n of days) {
    if (stages[n]) s = { ...s, ...stages[n] };
    if (s.followUpOn !== null && s.followUpOn > day(n)) continue;
    const step = apply(s, day(n));
    s = step.next;
    if (step.made) made.push(step.made);
  }
  return { made, final: s };
}

const everyDay = (to: number) => Array.from({ length: to + 1 }, (_, i) => i);
const actions = (made: { day: number; action: FollowUpAction }[]) => made.map((m) => `${m.day} ${m.action}`);

describe('the follow-up schedule, a job running every day for 36 days', () => {
  it.each<[string, Partial<FollowUpSubject>, Record<number, Partial<FollowUpSubject>>, string[]]>([
    [
      'an APS at the vendor, records never in: day 14, then every 7; the case manager at 21, the agent at 30',
      { vendorStage: 'REQUESTED_FROM_PROVIDER' },
      {},
      ['14 ASK_VENDOR', '21 ESCALATE_TO_CASE_MANAGER', '28 ASK_VENDOR', '30 NOTIFY_AGENT', '35 ASK_VENDOR'],
    ],
    [
      'an exam never scheduled: day 3, then every 3 (escalations on their days)',
      { code: 'PARAMED_EXAM', vendor: 'PULSE' },
      {},
      [
        '3 ASK_VENDOR',
        '6 ASK_VENDOR',
        '9 ASK_VENDOR',
        '12 ASK_VENDOR',
        '15 ASK_VENDOR',
        '18 ASK_VENDOR',
        '21 ESCALATE_TO_CASE_MANAGER',
        '24 ASK_VENDOR',
        '27 ASK_VENDOR',
        '30 NOTIFY_AGENT',
        '33 ASK_VENDOR',
      ],
    ],
    [
      'an exam scheduled on day 2 for day 8 and never completed: the day after the appointment, then every 3',
      { code: 'BLOOD_URINE', vendor: 'PULSE' },
      {
        2: {
          vendorStage: 'SCHEDULED',
          vendorStageAt: `${day(2)}T09:00:00.000Z`,
          vendorDetails: { appointmentAt: `${day(8)}T14:00:00.000Z` },
        },
      },
      [
        '9 ASK_VENDOR',
        '12 ASK_VENDOR',
        '15 ASK_VENDOR',
        '18 ASK_VENDOR',
        '21 ESCALATE_TO_CASE_MANAGER',
        '24 ASK_VENDOR',
        '27 ASK_VENDOR',
        '30 NOTIFY_AGENT',
        '33 ASK_VENDOR',
      ],
    ],
    [
      'an MIB check without a vendor: FOLLOW_UP_DAYS (2), then every 7, chased by the case manager',
      { code: 'MIB', vendor: null, vendorStage: null, vendorStageAt: null },
      {},
      ['2 CHASE', '9 CHASE', '16 CHASE', '21 ESCALATE_TO_CASE_MANAGER', '23 CHASE', '30 NOTIFY_AGENT'],
    ],
    [
      'an exam whose results went to the carrier on day 6: the carrier chased a week later, then every 7',
      { code: 'EKG', vendor: 'PULSE', vendorStage: 'RESULTS_SENT_TO_CARRIER', vendorStageAt: `${day(6)}T10:00:00.000Z` },
      {},
      ['13 CHASE', '20 CHASE', '21 ESCALATE_TO_CASE_MANAGER', '27 CHASE', '30 NOTIFY_AGENT', '34 CHASE'],
    ],
    [
      'an APS order still queued (the vendor never acknowledged it): chased, not asked',
      { vendorStage: 'QUEUED', vendorStageAt: null },
      {},
      ['14 CHASE', '21 ESCALATE_TO_CASE_MANAGER', '28 CHASE', '30 NOTIFY_AGENT', '35 CHASE'],
    ],
  ])('%s', (_name, start, stages, expected) => {
    expect(actions(run(subject(start), everyDay(35), stages).made)).toEqual(expected);
  });

  it('asks the vendor with every follow-up of an order at a vendor, escalations included; never when there is nothing to ask', () => {
    const aps = run(subject(), everyDay(35)).made;
    expect(aps.every((m) => m.askVendor)).toBe(true);
    expect(run(subject({ vendorStage: 'QUEUED' }), everyDay(35)).made.some((m) => m.askVendor)).toBe(false);
    expect(run(subject({ code: 'MIB', vendor: null, vendorStage: null }), everyDay(35)).made.some((m) => m.askVendor)).toBe(false);
  });

  it('is overdue from its first follow-up day; a scheduled exam is not, until the day after its appointment', () => {
    const aps = run(subject(), everyDay(14)).final;
    expect(aps.overdueSince).toBe(day(14));
    expect(run(subject(), everyDay(13)).final.overdueSince).toBeNull();
    const exam = subject({ code: 'PARAMED_EXAM', vendor: 'PULSE' });
    const late = run(exam, everyDay(5)).final;
    expect(late.overdueSince).toBe(day(3));
    // The vendor schedules it on day 5 for day 10: no longer overdue once the job looks again (day 6), overdue again from day 11.
    const scheduled = {
      vendorStage: 'SCHEDULED' as const,
      vendorStageAt: `${day(5)}T08:00:00.000Z`,
      vendorDetails: { appointmentAt: `${day(10)}T15:00:00.000Z` },
    };
    expect(run(exam, everyDay(10), { 5: scheduled }).final.overdueSince).toBeNull();
    expect(run(exam, everyDay(11), { 5: scheduled }).final.overdueSince).toBe(day(11));
  });

  it('catches up with one follow-up, not one per missed day: down from day 0 to day 25, then to day 31', () => {
    const first = apply(subject(), day(25));
    expect(first.made).toEqual({ day: 25, action: 'ESCALATE_TO_CASE_MANAGER', askVendor: true });
    expect(first.next).toMatchObject({ followUps: 1, escalation: 'CASE_MANAGER', followUpOn: day(28), overdueSince: day(14) });
    // Straight to the agent: the case manager's day went by unseen.
    const skipped = apply(subject(), day(31));
    expect(skipped.made!.action).toBe('NOTIFY_AGENT');
    expect(skipped.next).toMatchObject({ followUps: 1, escalation: 'AGENT', followUpOn: day(35) });
  });

  it('gives a new order its first follow-up day', () => {
    expect(firstFollowUpOn('PARAMED_EXAM', 'PULSE', ORDERED)).toBe(day(3));
    expect(firstFollowUpOn('APS', 'CHARTWELL', ORDERED)).toBe(day(14));
    expect(firstFollowUpOn('APS', null, ORDERED)).toBe(day(21));
    expect(firstFollowUpOn('MIB', null, ORDERED)).toBe(day(2));
  });

  it('nothing for a requirement no longer outstanding', () => {
    for (const status of ['RECEIVED', 'WAIVED', 'CANCELLED'] as const) {
      expect(planFollowUp(subject({ status }), day(40))).toEqual({ due: null, next: null, escalation: 'NONE', overdueSince: null });
      expect(nextFollowUp(subject({ status }), day(40))).toBeNull();
    }
  });

  it('shows the next follow-up as a reader sees it: a due one with its own day while the job is behind', () => {
    expect(nextFollowUp(subject(), day(3))).toEqual({ on: day(14), action: 'ASK_VENDOR' });
    expect(nextFollowUp(subject(), day(16))).toEqual({ on: day(14), action: 'ASK_VENDOR' });
    expect(nextFollowUp(subject({ followUpOn: day(21), followUps: 1, overdueSince: day(14) }), day(16))).toEqual({
      on: day(21),
      action: 'ESCALATE_TO_CASE_MANAGER',
    });
    expect(followUpColumns(subject(), day(3))).toEqual({ followUpOn: day(14), overdueSince: null });
    expect(followUpColumns(subject(), day(16))).toEqual({ followUpOn: day(14), overdueSince: day(14) });
  });
});

type Arb = {
  code: FollowUpSubject['code'];
  vendor: 'PULSE' | 'CHARTWELL' | null;
  stage: VendorStage | null;
  stageDay: number;
  appointmentDay: number | null;
  seconds: number;
};

describe('properties of the schedule, for any requirement', () => {
  const stageOf = fc.constantFrom<VendorStage | null>(null, 'QUEUED', ...EXAM_STAGES, ...APS_STAGES);
  const arbitrary = fc.record({
    code: fc.constantFrom(...REQUIREMENT_CODES),
    vendor: fc.constantFrom<'PULSE' | 'CHARTWELL' | null>(null, 'PULSE', 'CHARTWELL'),
    stage: stageOf,
    stageDay: fc.integer({ min: 0, max: 20 }),
    appointmentDay: fc.option(fc.integer({ min: 0, max: 30 })),
    seconds: fc.integer({ min: 0, max: 86_399 }),
  });
  const build = (a: Arb): FollowUpSubject => {
    const ordered = new Date(Date.parse('2026-01-05T00:00:00Z') + a.seconds * 1000).toISOString();
    return subject({
      code: a.code,
      orderedAt: ordered,
      vendor: a.vendor,
      vendorStage: a.vendor ? a.stage : null,
      vendorStageAt: a.vendor && a.stage ? `${addDays(ordered, a.stageDay)}T12:00:00.000Z` : null,
      vendorDetails: a.appointmentDay !== null ? { appointmentAt: `${addDays(ordered, a.appointmentDay)}T10:00:00.000Z` } : null,
    });
  };
  const dayAfter = (s: FollowUpSubject, n: number) => addDays(s.orderedAt, n);

  it('a job looking every day makes at most one follow-up a day, each day a second look changes nothing, and the next day is always ahead', () => {
    fc.assert(
      fc.property(arbitrary, (a) => {
        let s = build(a);
        for (let n = 0; n <= 45; n++) {
          const today = dayAfter(s, n);
          if (s.followUpOn !== null && s.followUpOn > today) continue;
          const plan = planFollowUp(s, today);
          s = {
            ...s,
            followUps: s.followUps + (plan.due ? 1 : 0),
            followUpOn: plan.next!.on,
            escalation: plan.escalation,
            overdueSince: plan.overdueSince,
          };
          expect(s.followUpOn! > today).toBe(true);
          // The same day again (a second worker, a second pass): nothing due.
          expect(planFollowUp(s, today).due).toBeNull();
          if (s.overdueSince) expect(s.overdueSince <= today).toBe(true);
        }
      }),
    );
  });

  it('escalates to the case manager on day 21 and tells the agent on day 30, once each, never backwards, whatever days the job misses', () => {
    fc.assert(
      fc.property(arbitrary, fc.array(fc.boolean(), { minLength: 46, maxLength: 46 }), (a, looks) => {
        let s = build(a);
        const escalations: [number, string][] = [];
        for (let n = 0; n <= 45; n++) {
          if (!looks[n] && n !== 45) continue;
          const today = dayAfter(s, n);
          if (s.followUpOn !== null && s.followUpOn > today) continue;
          const plan = planFollowUp(s, today);
          if (plan.due?.escalateTo) escalations.push([n, plan.due.escalateTo]);
          s = {
            ...s,
            followUps: s.followUps + (plan.due ? 1 : 0),
            followUpOn: plan.next!.on,
            escalation: plan.escalation,
            overdueSince: plan.overdueSince,
          };
        }
        expect(s.escalation).toBe('AGENT');
        expect(escalations.length).toBeGreaterThanOrEqual(1);
        expect(escalations.length).toBeLessThanOrEqual(2);
        expect(escalations.at(-1)![1]).toBe('AGENT');
        for (const [n, level] of escalations) expect(n).toBeGreaterThanOrEqual(level === 'AGENT' ? 30 : 21);
        if (looks.every(Boolean))
          expect(escalations).toEqual([
            [21, 'CASE_MANAGER'],
            [30, 'AGENT'],
          ]);
      }),
    );
  });
});
