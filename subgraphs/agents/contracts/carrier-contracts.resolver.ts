import { Arg, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { parseId } from '../../../platform/ids';
import { requireRole } from '../../shared/auth';
import type { AgentsContext } from '../agents.context';
import { Carrier } from '../carrier/carrier.type';
import { asSchedules } from './contract.resolver';
import { BgaContract, CommissionSchedule, ContractLevel } from './contract.type';

/** Commercial terms are for administrators. */
const SCHEDULE_READER_ROLES = ['ADMIN'] as const;

/** Carrier.contractLevels, Carrier.bgaContract and Carrier.commissionSchedules: contracting data this subgraph keeps per carrier. */
@Resolver(() => Carrier)
export class CarrierContractsResolver {
  @FieldResolver(() => [ContractLevel], { description: "The carrier's contract levels, highest first. ADMIN only." })
  async contractLevels(@Root() carrier: Pick<Carrier, 'id'>, @Ctx() ctx: AgentsContext): Promise<ContractLevel[]> {
    requireRole(ctx.identity, SCHEDULE_READER_ROLES);
    const [levels, bga] = await Promise.all([ctx.loaders.contractLevels.load(carrier.id), ctx.loaders.bgaContract.load(carrier.id)]);
    return levels.map((level) => ({ code: level.code, rank: level.rank, heldByBga: level.code === bga?.levelCode }));
  }

  @FieldResolver(() => BgaContract, {
    nullable: true,
    description: "The BGA's own contract with the carrier (the level the carrier pays the BGA at); null when none. ADMIN only.",
  })
  async bgaContract(@Root() carrier: Pick<Carrier, 'id'>, @Ctx() ctx: AgentsContext): Promise<BgaContract | undefined> {
    requireRole(ctx.identity, SCHEDULE_READER_ROLES);
    return ctx.loaders.bgaContract.load(carrier.id);
  }

  @FieldResolver(() => [CommissionSchedule], {
    description: "The carrier's commission schedules: rates per product and contract level, with chargeback rules. ADMIN only.",
  })
  async commissionSchedules(
    @Root() carrier: Pick<Carrier, 'id'>,
    @Ctx() ctx: AgentsContext,
    @Arg('productId', () => ID, { nullable: true, description: 'Only this product (prd_...); every product when omitted.' })
    productId?: string | null,
  ): Promise<CommissionSchedule[]> {
    requireRole(ctx.identity, SCHEDULE_READER_ROLES);
    if (productId) parseId('product', productId, 'productId');
    const rows = await ctx.loaders.carrierSchedules.load(carrier.id);
    return asSchedules(productId ? rows.filter((r) => r.productId === productId) : rows);
  }
}
