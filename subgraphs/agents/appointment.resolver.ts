import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { notFound } from '../../platform/errors';
import { newId, parseId } from '../../platform/ids';
import { requireRole } from '../shared/auth';
import { State } from '../shared/enums';
import type { AgentsContext } from './agents.context';
import { requestAppointment } from './appointment.repository';
import { Appointment } from './appointment.type';
import { Carrier } from './carrier/carrier.type';
import { RECORD_MANAGER_ROLES } from './domain/agent-records';

/** Mutation.requestAppointment and Appointment.carrier. */
@Resolver(() => Appointment)
export class AppointmentResolver {
  @Mutation(() => Appointment, {
    description:
      'Requests a carrier appointment in a state. Idempotent: a live (requested or active) appointment is returned as it is. ADMIN, or SERVICE when a case submission requests it.',
  })
  async requestAppointment(
    @Arg('agentId', () => ID, { description: 'The agent.' }) agentId: string,
    @Arg('carrierId', () => ID, { description: 'The carrier.' }) carrierId: string,
    @Arg('state', () => State, { description: 'The state.' }) state: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<Appointment> {
    requireRole(ctx.identity, RECORD_MANAGER_ROLES);
    parseId('agent', agentId, 'agentId');
    parseId('carrier', carrierId, 'carrierId');
    if (!(await ctx.loaders.agent.load(agentId))) throw notFound('agent');
    return requestAppointment(ctx.db, { id: newId('appointment'), agentId, carrierId, state });
  }

  @FieldResolver(() => Carrier, { nullable: true, description: 'The appointing carrier (resolved by the carriers subgraph).' })
  carrier(@Root() appointment: Appointment): Pick<Carrier, 'id'> {
    return { id: appointment.carrierId };
  }
}
