import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { State } from '../../shared/enums';
import type { AgentsContext } from '../agents.context';
import { Carrier } from './carrier.type';

/** Carrier.preAppointmentStates: the contracting data this subgraph contributes to the carriers subgraph's Carrier. */
@Resolver(() => Carrier)
export class CarrierContractingResolver {
  @FieldResolver(() => [State], {
    description: 'States where this carrier requires an ACTIVE appointment before the application; elsewhere appointment is just-in-time.',
  })
  async preAppointmentStates(@Root() carrier: Pick<Carrier, 'id'>, @Ctx() ctx: AgentsContext): Promise<string[]> {
    return ctx.loaders.preAppointmentStates.load(carrier.id);
  }
}
