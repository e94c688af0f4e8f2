import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { todayUtc } from '../../../platform/dates';
import { parseId } from '../../../platform/ids';
import { requireRole } from '../../shared/auth';
import { AppointmentStatus, State } from '../../shared/enums';
import type { AgentsContext } from '../agents.context';
import { appointmentMetrics } from '../appointment.repository';
import { AppointmentMetric } from '../appointment.type';
import { Carrier } from '../carrier/carrier.type';

const METRICS_ROLES = ['ADMIN'] as const;
const PENDING: AppointmentStatus[] = ['REQUESTED', 'SUBMITTED'];

/** Query.appointmentMetrics and AppointmentMetric.carrier. */
@Resolver(() => AppointmentMetric)
export class AppointmentMetricResolver {
  @Query(() => [AppointmentMetric], {
    description:
      'Appointments by carrier, state and status, pending ones (REQUESTED and SUBMITTED) unless other statuses are asked: where contracting waits on carriers, with the just-in-time filings past their deadline. One row per carrier, state and status that has any. ADMIN.',
  })
  async appointmentMetrics(
    @Arg('statuses', () => [AppointmentStatus], {
      nullable: true,
      description: 'The statuses to count (default REQUESTED and SUBMITTED: pending).',
    })
    statuses: AppointmentStatus[] | null | undefined,
    @Arg('carrierId', () => ID, { nullable: true, description: 'Only this carrier.' }) carrierId: string | null | undefined,
    @Arg('state', () => State, { nullable: true, description: 'Only this state.' }) state: string | null | undefined,
    @Ctx() ctx: AgentsContext,
  ): Promise<AppointmentMetric[]> {
    requireRole(ctx.identity, METRICS_ROLES);
    if (carrierId) parseId('carrier', carrierId, 'carrierId');
    return appointmentMetrics(ctx.db, {
      statuses: statuses?.length ? statuses : PENDING,
      carrierId: carrierId ?? null,
      state: state ?? null,
      today: todayUtc(),
    });
  }

  @FieldResolver(() => Carrier, { description: 'The carrier (resolved by the carriers subgraph).' })
  carrier(@Root() metric: AppointmentMetric): Pick<Carrier, 'id'> {
    return { id: metric.carrierId };
  }
}
