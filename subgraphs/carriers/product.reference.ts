import { isId } from '../../platform/ids';
import type { CarriersContext } from './carriers.context';

/** Product by reference (Case.product). Unknown or malformed ids resolve to null, as for carriers. */
export const productReference = {
  __resolveReference: async (reference: { id: string }, ctx: CarriersContext) =>
    isId('product', reference.id) ? ((await ctx.loaders.product.load(reference.id)) ?? null) : null,
};
