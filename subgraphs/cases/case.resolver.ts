import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { requireSignedIn } from '../shared/auth';
import { daysBetween } from '../../platform/dates';
import type { CaseStatus } from '../shared/enums';
import { badInput } from '../../platform/errors';
import { parseId, parseIds } from '../../platform/ids';
import { centsToMoney, MoneyScalar } from '../../platform/scalars';
import { CaseStatus as CaseStatusEnum } from '../shared/enums';
import { allowedNextStatuses, isClosed } from './case-status';
import { CASE_COLUMNS, type CasesContext } from './case.loader';
import { casePage, MAX_PAGE } from './case.query';
import { canSeeCase, visibleAgentIds } from './case.scope';
import {
  Case,
  CaseConnection,
  CaseEvent,
  CaseFilter,
  CaseOrder,
  Insured,
  Requirement,
  type CaseEventRow,
  type CaseRow,
  type RequirementRow,
} from './case.type';
import { Agent, Carrier, Product } from './references.type';

/** The row when the caller may see the case; undefined otherwise, so existence never leaks. */
async function visible(ctx: CasesContext, row: CaseRow | undefined): Promise<CaseRow | undefined> {
  return row && (await canSeeCase(ctx, row)) ? row : undefined;
}

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => Case, { nullable: true, description: 'A case by id; null when unknown or not visible to the caller.' })
  async case(
    @Arg('id', () => ID, { description: 'The case id (case_...).' }) id: string,
    @Ctx() ctx: CasesContext,
  ): Promise<CaseRow | undefined> {
    requireSignedIn(ctx.identity);
    return visible(ctx, await ctx.loaders.case.load(parseId('case', id, 'id')));
  }

  @Query(() => Case, { nullable: true, description: 'A case by its case number (BGA-0100001); null when unknown or not visible.' })
  async caseByNumber(
    @Arg('caseNumber', () => String, { description: 'The case number.' }) caseNumber: string,
    @Ctx() ctx: CasesContext,
  ): Promise<CaseRow | undefined> {
    requireSignedIn(ctx.identity);
    if (!/^[A-Z]{2,5}-\d{1,12}$/.test(caseNumber)) throw badInput('caseNumber must look like BGA-0100001');
    const row = await ctx.db.one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases."case" WHERE case_number = $1`, [caseNumber]);
    if (row) ctx.loaders.case.prime(row.id, row);
    return visible(ctx, row);
  }

  @Query(() => CaseConnection, { description: 'Cases matching the filter, a page at a time (keyset cursors on submittedAt, id).' })
  async cases(
    @Ctx() ctx: CasesContext,
    @Arg('filter', () => CaseFilter, { nullable: true, description: 'Which cases; all visible ones when omitted.' }) filter?: CaseFilter,
    @Arg('orderBy', () => CaseOrder, { nullable: true, defaultValue: 'SUBMITTED_AT_DESC', description: 'Order of the list.' })
    orderBy?: CaseOrder,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<CaseConnection> {
    requireSignedIn(ctx.identity);
    return casePage(ctx, ctx.db, { filter, orderBy, first, after }, await visibleAgentIds(ctx));
  }

  @FieldResolver(() => Agent, { nullable: true, description: 'The writing agent (resolved by the agents subgraph).' })
  agent(@Root() row: CaseRow): Agent {
    return { id: row.agentId };
  }

  @FieldResolver(() => Carrier, { nullable: true, description: 'The carrier (resolved by the carriers subgraph).' })
  carrier(@Root() row: CaseRow): Carrier {
    return { id: row.carrierId };
  }

  @FieldResolver(() => Product, { nullable: true, description: 'The product applied for (resolved by the carriers subgraph).' })
  product(@Root() row: CaseRow): Product {
    return { id: row.productId };
  }

  @FieldResolver(() => Insured, { description: 'The person insured (personal data).' })
  insured(@Root() row: CaseRow): Insured {
    return {
      firstName: row.insuredFirstName,
      lastName: row.insuredLastName,
      birthDate: row.insuredBirthDate,
      gender: row.insuredGender,
      state: row.insuredState,
      tobacco: row.insuredTobacco,
    };
  }

  @FieldResolver(() => MoneyScalar, { description: 'Annual premium as priced at submission, policy fee included.' })
  annualPremium(@Root() row: CaseRow): string {
    return centsToMoney(row.annualPremiumCents);
  }

  @FieldResolver(() => MoneyScalar, { description: "Premium per payment in the case's payment mode, as priced at submission." })
  modalPremium(@Root() row: CaseRow): string {
    return centsToMoney(row.modalPremiumCents);
  }

  @FieldResolver(() => [CaseStatusEnum], { description: 'The statuses a person may move this case to now (empty once closed).' })
  allowedNextStatuses(@Root() row: CaseRow): readonly CaseStatus[] {
    return allowedNextStatuses(row.status);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Days since submission while open (UTC dates); null once closed.' })
  daysPending(@Root() row: CaseRow): number | null {
    return isClosed(row.status) ? null : daysBetween(row.submittedAt, new Date().toISOString());
  }

  @FieldResolver(() => [Requirement], { description: 'Requirements, in the order they were ordered.' })
  requirements(@Root() row: CaseRow, @Ctx() ctx: CasesContext): Promise<RequirementRow[]> {
    return ctx.loaders.requirements.load(row.id);
  }

  @FieldResolver(() => [CaseEvent], { description: 'Append-only history, oldest first.' })
  events(@Root() row: CaseRow, @Ctx() ctx: CasesContext): Promise<CaseEventRow[]> {
    return ctx.loaders.events.load(row.id);
  }
}

@Resolver(() => Requirement)
export class RequirementResolver {
  @FieldResolver(() => Int, { description: 'Days outstanding: from ordering to receipt, or to today while outstanding (UTC dates).' })
  ageDays(@Root() row: RequirementRow): number {
    return daysBetween(row.orderedAt, row.receivedAt ?? new Date().toISOString());
  }
}

@Resolver(() => Agent)
export class AgentCasesResolver {
  /**
   * Each agent of a list runs its own page query: pages cannot be batched into one statement without
   * a lateral join per agent, and lists of agents with their cases are small (the dashboard lists cases).
   */
  @FieldResolver(() => CaseConnection, {
    nullable: true,
    description: "This agent's cases; null when the agent is not visible to the caller.",
  })
  async cases(
    @Root() agent: Agent,
    @Ctx() ctx: CasesContext,
    @Arg('filter', () => CaseFilter, { nullable: true, description: "Which of the agent's cases." }) filter?: CaseFilter,
    @Arg('orderBy', () => CaseOrder, { nullable: true, defaultValue: 'SUBMITTED_AT_DESC', description: 'Order of the list.' })
    orderBy?: CaseOrder,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<CaseConnection | null> {
    requireSignedIn(ctx.identity);
    const scope = await visibleAgentIds(ctx);
    if (scope && !scope.has(agent.id)) return null;
    // Every condition of the filter holds, agentIds included: asking agent A for agent B's cases
    // answers an empty page, not A's whole list.
    const requested = parseIds('agent', filter?.agentIds, 'filter.agentIds');
    const agentIds = !requested || requested.includes(agent.id) ? [agent.id] : [];
    return casePage(ctx, ctx.db, { filter: { ...filter, agentIds }, orderBy, first, after }, scope);
  }
}
