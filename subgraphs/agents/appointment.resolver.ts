import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { todayUtc } from '../../platform/dates';
import { badInput, notFound } from '../../platform/errors';
import { newId, parseId } from '../../platform/ids';
import { DateScalar } from '../../platform/scalars';
import { requireRole } from '../shared/auth';
import { State } from '../shared/enums';
import type { AgentsContext } from './agents.context';
import { requestAppointment } from './appointment.repository';
import { Appointment } from './appointment.type';
import { Carrier } from './carrier/carrier.type';
import { RECORD_MANAGER_ROLES } from './domain/agent-records';
import { filingDates, filingFor } from './domain/appointment-filing';

/** Mutation.requestAppointment and Appointment.carrier. */
@Resolver(() => Appointment)
export class AppointmentResolver {
  @Mutation(() => Appointment, {
    description:
      "Requests a carrier appointment in a state; the filing worker sends it to the carrier. In the carrier's pre-appointment states the filing is PRE_APPOINTMENT (contracting asks); elsewhere JUST_IN_TIME, due 15 days after the application date. Idempotent: a live (requested, submitted or active) appointment is returned as it is. ADMIN, or SERVICE when a case submission requests it.",
  })
  async requestAppointment(
    @Arg('agentId', () => ID, { description: 'The agent.' }) agentId: string,
    @Arg('carrierId', () => ID, { description: 'The carrier.' }) carrierId: string,
    @Arg('state', () => State, { description: 'The state.' }) state: string,
    @Arg('applicationOn', () => DateScalar, {
      nullable: true,
      description: 'Just-in-time: the date of the application the filing goes with (default today, UTC); not in the future.',
    })
    applicationOn: string | null | undefined,
    @Ctx() ctx: AgentsContext,
  ): Promise<Appointment> {
    requireRole(ctx.identity, RECORD_MANAGER_ROLES);
    parseId('agent', agentId, 'agentId');
    parseId('carrier', carrierId, 'carrierId');
    const today = todayUtc();
    if (applicationOn && applicationOn > today) throw badInput('applicationOn may not be in the future', ['applicationOn']);
    if (!(await ctx.loaders.agent.load(agentId))) throw notFound('agent');
    const filing = filingFor(state, await ctx.loaders.preAppointmentStates.load(carrierId));
    const { appointment, created } = await requestAppointment(ctx.db, {
      id: newId('appointment'),
      agentId,
      carrierId,
      state,
      filing,
      ...filingDates(filing, applicationOn ?? today),
      actor: ctx.identity.sub,
    });
    if (created) ctx.nudgeAppointmentFiling?.();
    return appointment;
  }

  @FieldResolver(() => Carrier, { nullable: true, description: 'The appointing carrier (resolved by the carriers subgraph).' })
  carrier(@Root() appointment: Appointment): Pick<Carrier, 'id'> {
    return { id: appointment.carrierId };
  }
}
