import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ProductType } from '../shared/enums';
import { parseId, parseIds } from '../../platform/ids';
import type { CarriersContext } from './carrier.loader';
import { filteredProducts } from './carrier.repository';
import { Carrier, CarrierHealth, Product, ProductFilter, type CarrierRow, type ProductRow } from './carrier.type';

/** The catalog is public: carriers and products answer without a token (quotes and cases do not). */
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

  @Query(() => [Product], { description: 'Products matching the filter, ordered by carrier and product code; every product when omitted.' })
  async products(
    @Ctx() ctx: CarriersContext,
    @Arg('filter', () => ProductFilter, { nullable: true, description: 'Which products; all when omitted.' }) filter?: ProductFilter,
  ): Promise<ProductRow[]> {
    const carrierIds = parseIds('carrier', filter?.carrierIds, 'filter.carrierIds');
    const rows = await filteredProducts(ctx.db, { carrierIds, type: filter?.type, state: filter?.state });
    for (const row of rows) ctx.loaders.product.prime(row.id, row);
    return rows;
  }
}

@Resolver(() => Carrier)
export class CarrierFieldsResolver {
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

@Resolver(() => Product)
export class ProductResolver {
  @FieldResolver(() => Carrier, { description: 'The carrier that offers the product.' })
  async carrier(@Root() product: Pick<ProductRow, 'carrierId'>, @Ctx() ctx: CarriersContext): Promise<CarrierRow> {
    const row = await ctx.loaders.carrier.load(product.carrierId);
    // The foreign key guarantees the row; its absence is a bug, not a client error.
    if (!row) throw new Error(`product's carrier ${product.carrierId} missing from the catalog`);
    return row;
  }
}
