import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ProductType } from '../shared/enums';
import { parseId } from '../../platform/ids';
import type { CarriersContext } from './carriers.context';
import { Carrier, CarrierHealth, type CarrierRow } from './carrier.type';
import { Product, type ProductRow } from './product.type';

/** Every field of Carrier this subgraph resolves, and its Query root fields. The catalog is public: no token needed. */
@Resolver(() => Carrier)
export class CarrierResolver {
  @Query(() => [Carrier], { description: 'Every carrier, ordered by name.' })
  async carriers(@Ctx() ctx: CarriersContext): Promise<CarrierRow[]> {
    return ctx.loaders.allCarriers();
  }

  @Query(() => Carrier, { nullable: true, description: 'A carrier by id; null when unknown.' })
  async carrier(
    @Arg('id', () => ID, { description: 'The carrier id (car_...).' }) id: string,
    @Ctx() ctx: CarriersContext,
  ): Promise<CarrierRow | undefined> {
    return ctx.loaders.carrier.load(parseId('carrier', id, 'id'));
  }

  @FieldResolver(() => [Product], { description: "The carrier's products, ordered by code; only those of a type when given." })
  async products(
    @Root() carrier: Pick<CarrierRow, 'id'>,
    @Ctx() ctx: CarriersContext,
    @Arg('type', () => ProductType, { nullable: true, description: 'Only products of this type.' }) type?: ProductType,
  ): Promise<ProductRow[]> {
    const rows = await ctx.loaders.productsByCarrier.load(carrier.id);
    return type ? rows.filter((row) => row.type === type) : rows;
  }

  @FieldResolver(() => CarrierHealth, { description: "What the adapter has seen of this carrier's system lately (this replica's view)." })
  health(@Root() carrier: Pick<CarrierRow, 'id'>, @Ctx() ctx: CarriersContext): CarrierHealth {
    return ctx.runtime.health(carrier.id);
  }
}
