import { Arg, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { parseId } from '../../platform/ids';
import { requireRole } from '../shared/auth';
import { applicationRulesOf } from './carrier.repository';
import type { CarriersContext } from './carriers.context';

@Resolver()
export class ApplicationRulesResolver {
  /**
   * What the cases subgraph needs to keep an application for this carrier and product: the carrier's
   * and product's names and codes, and the carrier's application rules (carrier data, kept in
   * carriers.carrier_application_rules) in the shared CarrierApplicationRules shape
   * (subgraphs/shared/application-rules.ts). JSON: one internal exchange, not a public type.
   */
  // Internal: @inaccessible keeps it out of the public API; the cases subgraph asks this subgraph directly, as SERVICE.
  @Directive('@inaccessible')
  @Query(() => String, {
    nullable: true,
    description:
      "The carrier and product an application is for, and the carrier's application rules, as JSON `{ carrier, product, rules }` (rules null when the carrier takes no e-applications); null when the product is not one of the carrier's. SERVICE only.",
  })
  async applicationCatalog(
    @Arg('carrierId', () => ID, { description: 'The carrier (car_...).' }) carrierId: string,
    @Arg('productId', () => ID, { description: "One of the carrier's products (prd_...)." }) productId: string,
    @Ctx() ctx: CarriersContext,
  ): Promise<string | null> {
    requireRole(ctx.identity, ['SERVICE']);
    parseId('carrier', carrierId, 'carrierId');
    parseId('product', productId, 'productId');
    const [carrier, product, rules] = await Promise.all([
      ctx.loaders.carrier.load(carrierId),
      ctx.loaders.product.load(productId),
      applicationRulesOf(ctx.db, carrierId),
    ]);
    if (!carrier || !product || product.carrierId !== carrierId) return null;
    return JSON.stringify({
      carrier: { id: carrier.id, code: carrier.code, name: carrier.name },
      product: {
        id: product.id,
        code: product.code,
        name: product.name,
        type: product.type,
        terms: product.termYears,
        minFaceAmount: product.minFaceAmount,
        maxFaceAmount: product.maxFaceAmount,
        availableStates: product.availableStates,
        healthClasses: product.healthClasses,
      },
      rules: rules ?? null,
    });
  }
}
