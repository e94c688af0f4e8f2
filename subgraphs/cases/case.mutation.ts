import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { requireRole, requireSignedIn } from '../shared/auth';
import { CaseStatus, HealthClass, RequirementCode } from '../shared/enums';
import { badInput, coded, conflict, notFound } from '../../platform/errors';
import { newId, parseId } from '../../platform/ids';
import { checkTransition, isClosed } from './case-status';
import { appendEvent, bumpMetricsGeneration, nowIso } from './case.history';
import { CASE_COLUMNS, REQUIREMENT_COLUMNS, type CasesContext } from './case.loader';
import { canSeeCase } from './case.scope';
import { Case, CaseEvent, Requirement, type CaseRow, type RequirementRow } from './case.type';
import { followUpOn } from './requirement.rules';
import { syncCases } from './case.sync';
import { submitCase, SubmitCaseInput } from './submit-case';

/** Staff (and admins) alone change case status and requirements. */
const CASE_MANAGERS = ['STAFF', 'ADMIN'] as const;

@InputType({ description: 'A status change asked of a case.' })
export class CaseStatusChangeInput {
  @Field(() => CaseStatus, { description: 'The status to move to: one of Case.allowedNextStatuses.' })
  status!: CaseStatus;

  @Field(() => String, { nullable: true, description: 'Why, for the history.' })
  note?: string;

  @Field(() => String, { nullable: true, description: "The carrier's policy number: required for ISSUED." })
  policyNumber?: string;

  @Field(() => HealthClass, { nullable: true, description: 'The class approved (APPROVED / APPROVED_OTHER_THAN_APPLIED).' })
  approvedHealthClass?: HealthClass;

  @Field(() => Int, { nullable: true, description: 'The face amount approved (APPROVED_OTHER_THAN_APPLIED).' })
  approvedFaceAmount?: number;
}

const text = (value: string | undefined | null, field: string, max: number): string | null => {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > max) throw badInput(`${field} must be 1 to ${max} characters`);
  return trimmed;
};

/** Locks the case row for this transaction; NOT_FOUND for unknown cases and those the caller may not see. */
async function lockCase(ctx: CasesContext, tx: CasesContext['db'], id: string): Promise<CaseRow> {
  const row = await tx.one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases."case" WHERE id = $1 FOR UPDATE`, [id]);
  if (!row || !(await canSeeCase(ctx, row))) throw notFound('case');
  return row;
}

async function lockRequirement(
  ctx: CasesContext,
  tx: CasesContext['db'],
  id: string,
): Promise<{ requirement: RequirementRow; caseRow: CaseRow }> {
  const requirement = await tx.one<RequirementRow>(`SELECT ${REQUIREMENT_COLUMNS} FROM cases.requirement WHERE id = $1 FOR UPDATE`, [id]);
  if (!requirement) throw notFound('requirement');
  return { requirement, caseRow: await lockCase(ctx, tx, requirement.caseId) };
}

@Resolver()
export class CaseMutationResolver {
  @Mutation(() => Case, {
    description:
      "Submits a new case: checks the input, the agent's eligibility and the product's limits and price first, then writes the case and queues the application for the carrier. Idempotent per caller on idempotencyKey.",
  })
  async submitCase(
    @Arg('input', () => SubmitCaseInput, { description: 'The application.' }) input: SubmitCaseInput,
    @Ctx() ctx: CasesContext,
  ): Promise<CaseRow> {
    requireSignedIn(ctx.identity);
    const created = await submitCase(ctx, input);
    ctx.nudgeOutbox();
    return created;
  }

  @Mutation(() => Case, {
    description:
      'Moves a case to another status (STAFF). Only the moves of Case.allowedNextStatuses; a refused move is CONFLICT with extensions.allowed.',
  })
  async updateCaseStatus(
    @Arg('id', () => ID, { description: 'The case.' }) id: string,
    @Arg('change', () => CaseStatusChangeInput, { description: 'The new status and what it needs.' }) change: CaseStatusChangeInput,
    @Ctx() ctx: CasesContext,
  ): Promise<CaseRow> {
    requireRole(ctx.identity, CASE_MANAGERS);
    parseId('case', id, 'id');
    const note = text(change.note, 'note', 2000);
    const updated = await ctx.db.transaction(async (tx) => {
      const row = await lockCase(ctx, tx, id);
      const outstanding = await tx.query<{ code: RequirementCode }>(
        `SELECT code FROM cases.requirement WHERE case_id = $1 AND status = 'ORDERED'`,
        [id],
      );
      const at = nowIso();
      const result = checkTransition(
        row,
        change,
        outstanding.map((r) => r.code),
        at,
      );
      if (!result.ok) {
        if (result.kind === 'input') throw badInput(result.reasons.join('; '), result.reasons);
        throw conflict(result.reasons.join('; '), { allowed: result.allowed, reasons: result.reasons });
      }
      const { stamps } = result;
      const next = await tx.one<CaseRow>(
        `UPDATE cases."case" SET status = $2, policy_number = COALESCE($3, policy_number),
            approved_health_class = COALESCE($4, approved_health_class), approved_face_amount = COALESCE($5, approved_face_amount),
            approved_at = COALESCE(approved_at, $6), issued_at = COALESCE(issued_at, $7), placed_at = COALESCE(placed_at, $8),
            closed_at = COALESCE(closed_at, $9), updated_at = $10
          WHERE id = $1 RETURNING ${CASE_COLUMNS}`,
        [
          id,
          change.status,
          change.policyNumber?.trim() ?? null,
          change.approvedHealthClass ?? (change.status === 'APPROVED' ? row.appliedHealthClass : null),
          change.approvedFaceAmount ?? null,
          stamps.approvedAt ?? null,
          stamps.issuedAt ?? null,
          stamps.placedAt ?? null,
          stamps.closedAt ?? null,
          at,
        ],
      );
      await appendEvent(tx, {
        caseId: id,
        at,
        type: 'STATUS_CHANGED',
        actor: ctx.identity.sub,
        fromStatus: row.status,
        toStatus: change.status,
        note,
      });
      return next!;
    });
    await bumpMetricsGeneration(ctx.cache);
    return updated;
  }

  @Mutation(() => Requirement, {
    description: 'Orders a requirement on an open case (STAFF); its follow-up date defaults by code (an APS later than an MIB check).',
  })
  async orderRequirement(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @Arg('code', () => RequirementCode, { description: 'What to order.' }) code: RequirementCode,
    @Ctx() ctx: CasesContext,
    @Arg('note', () => String, { nullable: true, description: 'A note for the case manager.' }) note?: string,
  ): Promise<RequirementRow> {
    requireRole(ctx.identity, CASE_MANAGERS);
    parseId('case', caseId, 'caseId');
    const cleanNote = text(note, 'note', 2000);
    const requirement = await ctx.db.transaction(async (tx) => {
      const row = await lockCase(ctx, tx, caseId);
      if (isClosed(row.status)) throw conflict(`the case is ${row.status}: nothing can be ordered on a closed case`);
      const open = await tx.one(`SELECT 1 FROM cases.requirement WHERE case_id = $1 AND code = $2 AND status = 'ORDERED'`, [caseId, code]);
      if (open) throw conflict(`a ${code} requirement is already outstanding on this case`);
      const at = nowIso();
      const created = await tx.one<RequirementRow>(
        `INSERT INTO cases.requirement (id, case_id, code, status, ordered_at, follow_up_on, note) VALUES ($1, $2, $3, 'ORDERED', $4, $5, $6)
         RETURNING ${REQUIREMENT_COLUMNS}`,
        [newId('requirement'), caseId, code, at, followUpOn(code, at), cleanNote],
      );
      await appendEvent(tx, { caseId, at, type: 'REQUIREMENT_ORDERED', actor: ctx.identity.sub, requirementCode: code, note: cleanNote });
      return created!;
    });
    await bumpMetricsGeneration(ctx.cache);
    return requirement;
  }

  @Mutation(() => Requirement, { description: 'Records an outstanding requirement as received (STAFF).' })
  async receiveRequirement(
    @Arg('requirementId', () => ID, { description: 'The requirement.' }) requirementId: string,
    @Ctx() ctx: CasesContext,
  ): Promise<RequirementRow> {
    return this.close(ctx, requirementId, 'RECEIVED', null);
  }

  @Mutation(() => Requirement, { description: 'Waives an outstanding requirement, with the reason (STAFF).' })
  async waiveRequirement(
    @Arg('requirementId', () => ID, { description: 'The requirement.' }) requirementId: string,
    @Arg('reason', () => String, { description: 'Why it is not needed (kept in the history).' }) reason: string,
    @Ctx() ctx: CasesContext,
  ): Promise<RequirementRow> {
    return this.close(ctx, requirementId, 'WAIVED', text(reason, 'reason', 500));
  }

  private async close(
    ctx: CasesContext,
    requirementId: string,
    status: 'RECEIVED' | 'WAIVED',
    reason: string | null,
  ): Promise<RequirementRow> {
    requireRole(ctx.identity, CASE_MANAGERS);
    parseId('requirement', requirementId, 'requirementId');
    const requirement = await ctx.db.transaction(async (tx) => {
      const { requirement: current } = await lockRequirement(ctx, tx, requirementId);
      if (current.status !== 'ORDERED') throw conflict(`the requirement is ${current.status}, not outstanding`);
      const at = nowIso();
      const updated = await tx.one<RequirementRow>(
        `UPDATE cases.requirement SET status = $2, received_at = $3, note = COALESCE($4, note) WHERE id = $1 RETURNING ${REQUIREMENT_COLUMNS}`,
        [requirementId, status, status === 'RECEIVED' ? at : null, reason],
      );
      await appendEvent(tx, {
        caseId: current.caseId,
        at,
        type: status === 'RECEIVED' ? 'REQUIREMENT_RECEIVED' : 'REQUIREMENT_WAIVED',
        actor: ctx.identity.sub,
        requirementCode: current.code,
        note: reason,
      });
      return updated!;
    });
    await bumpMetricsGeneration(ctx.cache);
    return requirement;
  }

  @Mutation(() => Case, {
    description:
      "Pulls the carrier's status and requirements for a case now and applies them as CARRIER_SYNC events (the carrier wins). Anyone who may see the case.",
  })
  async syncCaseFromCarrier(@Arg('id', () => ID, { description: 'The case.' }) id: string, @Ctx() ctx: CasesContext): Promise<CaseRow> {
    requireSignedIn(ctx.identity);
    parseId('case', id, 'id');
    const row = await ctx.loaders.case.load(id);
    if (!row || !(await canSeeCase(ctx, row))) throw notFound('case');
    if (!row.carrierReference) throw conflict('the carrier has not accepted this application yet: nothing to sync');
    try {
      await syncCases({ db: ctx.db, cache: ctx.cache, logger: ctx.logger, supergraph: ctx.supergraph }, [row]);
    } catch (error) {
      if ((error as { extensions?: { code?: string } }).extensions?.code === 'SERVICE_UNAVAILABLE')
        throw coded('CARRIER_UNAVAILABLE', 'the carrier could not be reached; try again shortly');
      throw error;
    }
    ctx.loaders.case.clear(id);
    return (await ctx.loaders.case.load(id))!;
  }

  @Mutation(() => CaseEvent, { description: "Adds a note to a case's history (anyone who may see the case)." })
  async addCaseNote(
    @Arg('caseId', () => ID, { description: 'The case.' }) caseId: string,
    @Arg('note', () => String, { description: 'The note, 1 to 2,000 characters.' }) note: string,
    @Ctx() ctx: CasesContext,
  ) {
    requireSignedIn(ctx.identity);
    parseId('case', caseId, 'caseId');
    const cleanNote = text(note, 'note', 2000);
    return ctx.db.transaction(async (tx) => {
      await lockCase(ctx, tx, caseId);
      return appendEvent(tx, { caseId, at: nowIso(), type: 'NOTE', actor: ctx.identity.sub, note: cleanNote });
    });
  }
}
