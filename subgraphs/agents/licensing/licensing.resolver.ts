import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { daysBetween, todayUtc } from '../../../platform/dates';
import { badInput, coded, forbidden, notFound } from '../../../platform/errors';
import { parseId } from '../../../platform/ids';
import { requireRole, requireSignedIn } from '../../shared/auth';
import { canSeeAgent, visibleAgentIds } from '../agent-scope.loader';
import { Agent, type AgentRow } from '../agent.type';
import type { AgentsContext } from '../agents.context';
import { Carrier } from '../carrier/carrier.type';
import { RECORD_MANAGER_ROLES } from '../domain/agent-records';
import { ProducerDatabaseError } from '../ports/producer-database.port';
import { ALERT_KINDS, type AlertRow, type DiscrepancyRow, listAlerts, resolveDiscrepancy } from './license-sync.repository';
import { syncAgentLicenses } from './license-sync.service';
import { LicenseSyncChange, LicenseSyncResult, LicensingAlert, LicensingAlertFilter } from './licensing.type';

const MAX_ALERTS = 500;
const DISCREPANCY_ALERT = /^alert_discrepancy_(\d{1,18})$/;

function inDays(days: number): string {
  if (days === 0) return 'today';
  return days > 0 ? `in ${days} day${days === 1 ? '' : 's'}` : `${-days} day${days === -1 ? '' : 's'} ago`;
}

/** An alert row as the API shows it, with its message and days left. */
export function alertOf(row: AlertRow, today: string): LicensingAlert {
  const daysLeft = row.dueOn ? daysBetween(today, row.dueOn) : null;
  const message =
    row.kind === 'LICENSE_EXPIRING'
      ? `the license in ${row.state} expires on ${row.dueOn} (${inDays(daysLeft!)})`
      : row.kind === 'APPOINTMENT_FILING_DUE'
        ? `the just-in-time appointment filing in ${row.state} is due ${row.dueOn} (${daysLeft! < 0 ? `overdue: due ${inDays(daysLeft!)}` : inDays(daysLeft!)})`
        : (row.note ?? 'the records disagree');
  return {
    id: row.id,
    kind: row.kind,
    agentId: row.agentId,
    state: row.state,
    carrierId: row.carrierId,
    discrepancy: row.discrepancy,
    dueOn: row.dueOn,
    daysLeft,
    detectedAt: row.detectedAt,
    message,
  };
}

const discrepancyAlert = (row: DiscrepancyRow): LicensingAlert =>
  alertOf(
    {
      id: `alert_discrepancy_${row.id}`,
      kind: row.kind === 'NPN_NOT_FOUND' ? 'NPN_NOT_FOUND' : 'DISCREPANCY',
      agentId: row.agentId,
      state: row.state,
      carrierId: row.carrierId,
      discrepancy: row.kind,
      dueOn: null,
      detectedAt: row.detectedAt,
      note: row.note,
    },
    todayUtc(),
  );

/** Mutation.syncAgentLicenses, Query.licensingAlerts, Mutation.resolveLicensingDiscrepancy, and LicensingAlert's and LicenseSyncChange's links. */
@Resolver(() => LicensingAlert)
export class LicensingResolver {
  @Mutation(() => LicenseSyncResult, {
    description:
      "Syncs the agent's licenses and appointments with the national producer database now, in one transaction, recording each change as an agent event. NOT_FOUND (reason NPN_NOT_FOUND) when the producer database does not know the agent's NPN: nothing changes, and an NPN_NOT_FOUND alert is listed. ADMIN or SERVICE.",
  })
  async syncAgentLicenses(
    @Arg('agentId', () => ID, { description: 'The agent (agt_...).' }) agentId: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<LicenseSyncResult> {
    requireRole(ctx.identity, RECORD_MANAGER_ROLES);
    parseId('agent', agentId, 'agentId');
    const agent = await ctx.loaders.agent.load(agentId);
    if (!agent) throw notFound('agent');
    if (!ctx.licensing) throw coded('SERVICE_UNAVAILABLE', 'the producer database is not configured');
    let result: Awaited<ReturnType<typeof syncAgentLicenses>>;
    try {
      result = await syncAgentLicenses({ db: ctx.db, pdb: ctx.licensing.pdb }, agent, ctx.identity.sub);
    } catch (error) {
      if (error instanceof ProducerDatabaseError)
        throw coded('SERVICE_UNAVAILABLE', `the producer database cannot answer now (${error.code}); try again shortly`);
      throw error;
    }
    if (result.outcome === 'NPN_NOT_FOUND')
      throw coded('NOT_FOUND', "the producer database has no producer with this agent's NPN: check the NPN on file", {
        reason: 'NPN_NOT_FOUND',
        agentId,
      });
    const { summary } = result;
    return {
      ...summary,
      changes: summary.changes.map((change) => Object.assign(new LicenseSyncChange(), change)),
      discrepancies: summary.discrepancies.map(discrepancyAlert),
    };
  }

  @Query(() => [LicensingAlert], {
    description:
      "Licensing alerts, most urgent first (earliest due or detected day): licenses expiring soon, open discrepancies with the national producer database, unknown NPNs, just-in-time appointment filings due soon or overdue. An agent sees their own and their downline's; staff and admins everyone's.",
  })
  async licensingAlerts(
    @Ctx() ctx: AgentsContext,
    @Arg('filter', () => LicensingAlertFilter, {
      nullable: true,
      description: 'Which alerts; every kind for every visible agent when omitted.',
    })
    filter?: LicensingAlertFilter,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100, description: `At most this many, 1 to ${MAX_ALERTS}.` }) first?: number,
  ): Promise<LicensingAlert[]> {
    requireSignedIn(ctx.identity);
    const limit = first ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ALERTS) throw badInput(`first must be 1 to ${MAX_ALERTS}`, ['first']);
    const expiringWithinDays = filter?.expiringWithinDays ?? 60;
    const filingDueWithinDays = filter?.filingDueWithinDays ?? 5;
    if (!Number.isInteger(expiringWithinDays) || expiringWithinDays < 0 || expiringWithinDays > 365)
      throw badInput('filter.expiringWithinDays must be 0 to 365', ['filter.expiringWithinDays']);
    if (!Number.isInteger(filingDueWithinDays) || filingDueWithinDays < 0 || filingDueWithinDays > 15)
      throw badInput('filter.filingDueWithinDays must be 0 to 15', ['filter.filingDueWithinDays']);
    if (filter?.agentId) parseId('agent', filter.agentId, 'filter.agentId');
    const scope = await visibleAgentIds(ctx);
    if (filter?.agentId && scope && !scope.has(filter.agentId)) return [];
    const today = todayUtc();
    const rows = await listAlerts(ctx.db, {
      scope: scope ? [...scope] : null,
      agentId: filter?.agentId,
      kinds: filter?.kinds?.length ? filter.kinds : ALERT_KINDS,
      today,
      expiringWithinDays,
      filingDueWithinDays,
      limit,
    });
    return rows.map((row) => alertOf(row, today));
  }

  @Mutation(() => LicensingAlert, {
    description: 'Marks a discrepancy (or unknown-NPN) alert as looked at and settled: it leaves licensingAlerts. ADMIN or STAFF.',
  })
  async resolveLicensingDiscrepancy(
    @Arg('alertId', () => ID, { description: 'The alert (alert_discrepancy_...).' }) alertId: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<LicensingAlert> {
    requireRole(ctx.identity, ['ADMIN', 'STAFF']);
    const id = DISCREPANCY_ALERT.exec(alertId)?.[1];
    if (!id) throw badInput('alertId is not a discrepancy alert id (expected alert_discrepancy_...)', ['alertId']);
    const row = await resolveDiscrepancy(ctx.db, id, ctx.identity.sub);
    if (!row) throw notFound('open discrepancy');
    return discrepancyAlert(row);
  }

  @FieldResolver(() => Agent, { nullable: true, description: "The agent it concerns; null when outside the caller's scope." })
  async agent(@Root() alert: LicensingAlert, @Ctx() ctx: AgentsContext): Promise<AgentRow | undefined> {
    if (!(await canSeeAgent(ctx, alert.agentId))) return undefined;
    return ctx.loaders.agent.load(alert.agentId);
  }

  @FieldResolver(() => Carrier, { nullable: true, description: 'The carrier it concerns (appointments); null otherwise.' })
  carrier(@Root() alert: LicensingAlert): Pick<Carrier, 'id'> | null {
    return alert.carrierId ? { id: alert.carrierId } : null;
  }
}

/** LicenseSyncChange.carrier. */
@Resolver(() => LicenseSyncChange)
export class LicenseSyncChangeResolver {
  @FieldResolver(() => Carrier, { nullable: true, description: 'The carrier it concerns (appointments); null otherwise.' })
  carrier(@Root() change: LicenseSyncChange): Pick<Carrier, 'id'> | null {
    return change.carrierId ? { id: change.carrierId } : null;
  }
}

/** LicenseSyncResult.agent. */
@Resolver(() => LicenseSyncResult)
export class LicenseSyncResultResolver {
  @FieldResolver(() => Agent, { description: 'The agent synced.' })
  async agent(@Root() result: LicenseSyncResult, @Ctx() ctx: AgentsContext): Promise<AgentRow> {
    const agent = await ctx.loaders.agent.load(result.agentId);
    if (!agent) throw forbidden();
    return agent;
  }
}
