import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { requireSignedIn } from '../../shared/auth';
import type { CarriersContext } from '../carriers.context';
import { Case, CarrierCaseStatus, type CarrierCaseStatusView, type CaseRepresentation } from './case.type';

@Resolver(() => Case)
export class CaseStatusResolver {
  /**
   * The router reaches this field only after the cases subgraph resolved the case for the caller,
   * and supplies carrier { id } and carrierReference from there (@requires). Batched per carrier.
   */
  @FieldResolver(() => CarrierCaseStatus, { nullable: true })
  async carrierStatus(@Root() kase: CaseRepresentation, @Ctx() ctx: CarriersContext): Promise<CarrierCaseStatusView | null> {
    requireSignedIn(ctx.identity);
    if (!kase.carrier?.id || !kase.carrierReference) return null;
    return ctx.caseStatus.load(kase.carrier.id, kase.carrierReference);
  }
}
