import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { requireSignedIn } from '../shared/auth';
import { CaseChange, CaseChangeInput, type CaseChangeRow } from './case-change.type';
import { requestCaseChange } from './case-change.service';
import type { CasesContext } from './cases.context';

/** The root fields about case changes (Case.changes is in case.resolver.ts). */
@Resolver(() => CaseChange)
export class CaseChangeResolver {
  @Mutation(() => CaseChange, {
    description:
      "Asks the carrier for a change to a case pending with it (face amount, product or term, riders, beneficiaries, payment mode, owner). The case's agent, their upline, or staff; only while the case is open and the carrier has accepted the application (FAILED_PRECONDITION otherwise). Sent once, in the background; the carrier may ask for a signed amendment (an AMENDMENT requirement). Idempotent per caller on idempotencyKey.",
  })
  async requestCaseChange(
    @Arg('caseId', () => ID, { description: 'The case (case_...).' }) caseId: string,
    @Arg('change', () => CaseChangeInput, { description: 'What to change: at least one field besides reason.' }) change: CaseChangeInput,
    @Arg('idempotencyKey', () => String, {
      description: 'Per caller: the same key and change twice make one change; the same key with another change is CONFLICT.',
    })
    idempotencyKey: string,
    @Ctx() ctx: CasesContext,
  ): Promise<CaseChangeRow> {
    requireSignedIn(ctx.identity);
    const created = await requestCaseChange(ctx, caseId, change, idempotencyKey);
    ctx.nudgeChanges();
    return created;
  }
}
