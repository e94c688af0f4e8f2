import { notFound } from '../../platform/errors';
import type { Db } from '../shared/db';
import { lockCase } from './case.repository';
import type { CaseRow } from './case.type';
import type { CasesContext } from './cases.context';

/** How long an agent's scope is reused before the agents subgraph is asked again. */
export const SCOPE_TTL_SECONDS = 60;

/**
 * The agents whose cases the caller may see: for an AGENT, themself and their downline, as the
 * agents subgraph answers (its internal agentScope, asked as SERVICE), cached briefly per agent id;
 * for staff, admins and services, everyone (null). Memoised for the request.
 */
export function visibleAgentIds(ctx: CasesContext): Promise<ReadonlySet<string> | null> {
  const { identity } = ctx;
  if (identity.role !== 'AGENT') return Promise.resolve(null);
  ctx.scope ??= ctx.cached
    .get(`scope:v1:${identity.agentId}`, SCOPE_TTL_SECONDS, () => ctx.agents.scope(identity.agentId!, ctx.requestId), ctx.stats)
    .then(({ value }) => new Set(value));
  return ctx.scope;
}

export async function canSeeCase(ctx: CasesContext, row: { agentId: string }): Promise<boolean> {
  const scope = await visibleAgentIds(ctx);
  return scope === null || scope.has(row.agentId);
}

/** Staff (and admins) alone change case status and requirements. */
export const CASE_MANAGERS = ['STAFF', 'ADMIN'] as const;

/** Locks the case row for this transaction; NOT_FOUND for unknown cases and those the caller may not see. */
export async function lockVisibleCase(ctx: CasesContext, tx: Db, id: string): Promise<CaseRow> {
  const row = await lockCase(tx, id);
  if (!row || !(await canSeeCase(ctx, row))) throw notFound('case');
  return row;
}
