import { isId } from '../../platform/ids';
import type { CarriersContext } from './carriers.context';

/** Carrier by reference (Case.carrier, Appointment.carrier, CaseMetricsGroup.carrier). */
export const carrierReference = {
  // Unknown or malformed ids resolve to null, never to an error: the reference came from another subgraph's data.
  __resolveReference: async (reference: { id: string }, ctx: CarriersContext) =>
    isId('carrier', reference.id) ? ((await ctx.loaders.carrier.load(reference.id)) ?? null) : null,
};
