/**
 * The follow-up fields of Requirement: the next follow-up (day and action) as domain/follow-up.ts
 * reads the row, whether it is overdue, its escalation, and its case (for worklist rows, batched by
 * the request's case loader).
 */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { todayUtc } from '../../platform/dates';
import { DateScalar } from '../../platform/scalars';
import { enumOf, register } from '../shared/enums';
import { canSeeCase } from './case.scope';
import { Case, type CaseRow } from './case.type';
import type { CasesContext } from './cases.context';
import { FOLLOW_UP_ACTIONS, type FollowUpAction as FollowUpActionValue, nextFollowUp } from './domain/follow-up';
import { ESCALATIONS, type Escalation } from './domain/requirement-vendors';
import { Requirement, type RequirementRow } from './requirement.type';

export const FollowUpAction = register(
  enumOf(FOLLOW_UP_ACTIONS),
  'FollowUpAction',
  'What a follow-up of an outstanding requirement does.',
  {
    ASK_VENDOR: 'Ask the vendor for its status (an exam not scheduled or completed, an APS not received).',
    CHASE: 'The case manager chases it: no vendor, the order has not reached the vendor, or the results are with the carrier.',
    ESCALATE_TO_CASE_MANAGER: 'Outstanding for 21 days: escalated to the case manager.',
    NOTIFY_AGENT: 'Outstanding for 30 days: the writing agent is told.',
  },
);

export const RequirementEscalation = register(
  enumOf(ESCALATIONS),
  'RequirementEscalation',
  'How far an outstanding requirement has been escalated.',
  {
    NONE: 'Not escalated.',
    CASE_MANAGER: 'Escalated to the case manager (outstanding for 21 days).',
    AGENT: 'The agent was told (outstanding for 30 days).',
  },
);

/** Overdue: its first follow-up day has come and gone (or it was escalated) while it is outstanding. */
export const isOverdue = (row: RequirementRow): boolean =>
  row.status === 'ORDERED' && (row.overdueSince !== null || row.escalation !== 'NONE');

@Resolver(() => Requirement)
export class RequirementFollowUpResolver {
  @FieldResolver(() => DateScalar, {
    nullable: true,
    description:
      'The day of the next follow-up (UTC): today or earlier when one is due and the follow-up job has not made it yet. Null once the requirement is no longer outstanding.',
  })
  nextFollowUpOn(@Root() row: RequirementRow): string | null {
    return nextFollowUp(row, todayUtc())?.on ?? null;
  }

  @FieldResolver(() => FollowUpAction, {
    nullable: true,
    description: 'What the next follow-up does; null once the requirement is no longer outstanding.',
  })
  nextFollowUpAction(@Root() row: RequirementRow): FollowUpActionValue | null {
    return nextFollowUp(row, todayUtc())?.action ?? null;
  }

  @FieldResolver(() => Boolean, {
    description: 'Outstanding past its first follow-up day (an exam not scheduled in 3 days, an APS not received in 14, ...) or escalated.',
  })
  overdue(@Root() row: RequirementRow): boolean {
    return isOverdue(row);
  }

  @FieldResolver(() => RequirementEscalation, {
    description: 'How far it has been escalated (the case manager at 21 days, the agent at 30).',
  })
  escalation(@Root() row: RequirementRow): Escalation {
    return row.escalation ?? 'NONE';
  }

  @FieldResolver(() => Case, { nullable: true, description: 'The case the requirement belongs to (null when the caller may not see it).' })
  async case(@Root() row: RequirementRow, @Ctx() ctx: CasesContext): Promise<CaseRow | null> {
    const found = await ctx.loaders.case.load(row.caseId);
    return found && (await canSeeCase(ctx, found)) ? found : null;
  }
}
