import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { parseIds } from '../../platform/ids';
import type { CarriersContext } from './carriers.context';
import { filteredProducts } from './carrier.repository';
import { Carrier, type CarrierRow } from './carrier.type';
import { Product, ProductFilter, type ProductRow } from './product.type';

/** Every field of Product this subgraph resolves, and Query.products. The catalog is public: no token needed. */
@Resolver(() => Product)
export class ProductResolver {
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

  @FieldResolver(() => Carrier, { description: 'The carrier that offers the product.' })
  async carrier(@Root() product: Pick<ProductRow, 'carrierId'>, @Ctx() ctx: CarriersContext): Promise<CarrierRow> {
    const row = await ctx.loaders.carrier.load(product.carrierId);
    // The foreign key guarantees the row; its absence is a bug, not a client error.
    if (!row) throw new Error(`product's carrier ${product.carrierId} missing from the catalog`);
    return row;
  }
}
