import type { ReferenceResolvers } from '../shared/federation';
import { isId } from '../../platform/ids';
import type { CarriersContext } from './carrier.loader';
import type { CaseRepresentation } from './case.type';

/** Entities other subgraphs point at: Case.carrier, Case.product, Appointment.carrier, CaseMetricsGroup.carrier. */
export const carrierReferences: ReferenceResolvers = {
  Carrier: {
    // Unknown or malformed ids resolve to null, never to an error: the reference came from another subgraph's data.
    __resolveReference: async (reference: { id: string }, ctx: CarriersContext) =>
      isId('carrier', reference.id) ? ((await ctx.loaders.carrier.load(reference.id)) ?? null) : null,
  },
  Product: {
    __resolveReference: async (reference: { id: string }, ctx: CarriersContext) =>
      isId('product', reference.id) ? ((await ctx.loaders.product.load(reference.id)) ?? null) : null,
  },
  Case: {
    // The cases subgraph owns Case: the representation (key + @requires fields) is all carrierStatus needs.
    __resolveReference: (reference: CaseRepresentation) => reference,
  },
};
