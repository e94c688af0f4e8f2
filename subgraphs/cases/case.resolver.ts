import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { daysBetween } from '../../platform/dates';
import { badInput, coded, conflict, notFound } from '../../platform/errors';
import { parseId } from '../../platform/ids';
import { centsToMoney, MoneyScalar } from '../../platform/scalars';
import { requireRole, requireSignedIn } from '../shared/auth';
import type { CaseStatus } from '../shared/enums';
import { CaseStatus as CaseStatusEnum } from '../shared/enums';
import { optionalText } from '../shared/text-input';
import { Agent } from './agent/agent.type';
import { Carrier, Product } from './carrier/carrier.type';
import { CaseChange, type CaseChangeRow } from './case-change.type';
import { CaseEvent, type CaseEventRow } from './case-event.type';
import { bumpMetricsGeneration } from './case-metrics.cache';
import { appendEvent, caseByNumber, casePage, MAX_PAGE, moveCaseStatus, nowIso } from './case.repository';
import { CASE_MANAGERS, canSeeCase, lockVisibleCase, visibleAgentIds } from './case.scope';
import { syncCases } from './case-sync.worker';
import { Case, CaseConnection, CaseFilter, CaseOrder, type CaseRow, CaseStatusChangeInput, Insured, SubmitCaseInput } from './case.type';
import type { CasesContext } from './cases.context';
import { Document, type DocumentRow } from './document.type';
import { allowedNextStatuses, checkTransition, isClosed } from './domain/case-status';
import { outstandingCodes } from './requirement.repository';
import { Requirement, type RequirementRow } from './requirement.type';
import { submitApplication } from './submit-application.service';
import { submitCase } from './submit-case.service';

/** The row when the caller may see the case; undefined otherwise, so existence never leaks. */
async function visible(ctx: CasesContext, row: CaseRow | undefined): Promise<CaseRow | undefined> {
  return row && (await canSeeCase(ctx, row)) ? row : undefined;
}

/** Every field of Case this subgraph resolves, and the root fields that read or change cases. */
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
    const row = await caseByNumber(ctx.db, caseNumber);
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
    const { rows, connection } = await casePage(ctx.db, { filter, orderBy, first, after }, await visibleAgentIds(ctx));
    for (const row of rows) ctx.loaders.case.prime(row.id, row);
    return connection;
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

  @FieldResolver(() => MoneyScalar, {
    description:
      "Annual premium, policy fee included: as priced at submission, or as re-priced from the carrier's rates when the carrier approved other terms (a counter offer).",
  })
  annualPremium(@Root() row: CaseRow): string {
    return centsToMoney(row.annualPremiumCents);
  }

  @FieldResolver(() => MoneyScalar, {
    description:
      "Premium per payment in the case's payment mode: as priced at submission, or as re-priced with the carrier's approved terms.",
  })
  modalPremium(@Root() row: CaseRow): string {
    return centsToMoney(row.modalPremiumCents);
  }

  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description: 'The flat extra the carrier approved, in dollars per $1,000 of face a year (charged for flatExtraYears); null when none.',
  })
  flatExtraPerThousand(@Root() row: CaseRow): string | null {
    return row.flatExtraPerThousandCents > 0 ? centsToMoney(row.flatExtraPerThousandCents) : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'How many years the approved flat extra is charged; null when none.' })
  flatExtraYears(@Root() row: CaseRow): number | null {
    return row.flatExtraPerThousandCents > 0 ? row.flatExtraYears : null;
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

  @FieldResolver(() => [CaseChange], { description: 'Changes requested after submission, oldest first.' })
  changes(@Root() row: CaseRow, @Ctx() ctx: CasesContext): Promise<CaseChangeRow[]> {
    return ctx.loaders.changes.load(row.id);
  }

  @FieldResolver(() => [Document], {
    description:
      "The case's documents, its requirements' and (once submitted) its application's, oldest first; each with a signed download URL.",
  })
  documents(@Root() row: CaseRow, @Ctx() ctx: CasesContext): Promise<DocumentRow[]> {
    return ctx.loaders.documents.load(row.id);
  }

  @Mutation(() => Case, {
    description:
      "Submits a new case: checks the input, the agent's eligibility and the product's limits and price first, then writes the case and queues the application for the carrier. Idempotent per caller on idempotencyKey.",
  })
  async submitCase(
    @Arg('input', () => SubmitCaseInput, { description: 'The application.' }) input: SubmitCaseInput,
    @Ctx() ctx: CasesContext,
  ): Promise<CaseRow> {
    requireSignedIn(ctx.identity);
    const created = input.applicationId ? await submitApplication(ctx, input) : await submitCase(ctx, input);
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
    const note = optionalText(change.note, 'note', 2000);
    const updated = await ctx.db.transaction(async (tx) => {
      const row = await lockVisibleCase(ctx, tx, id);
      const at = nowIso();
      const result = checkTransition(row, change, await outstandingCodes(tx, id), at);
      if (!result.ok) {
        if (result.kind === 'input') throw badInput(result.reasons.join('; '), result.reasons);
        throw conflict(result.reasons.join('; '), { allowed: result.allowed, reasons: result.reasons });
      }
      const next = await moveCaseStatus(tx, id, {
        status: change.status,
        policyNumber: change.policyNumber?.trim() ?? null,
        approvedHealthClass: change.approvedHealthClass ?? (change.status === 'APPROVED' ? row.appliedHealthClass : null),
        approvedFaceAmount: change.approvedFaceAmount ?? null,
        stamps: result.stamps,
        at,
      });
      await appendEvent(tx, {
        caseId: id,
        at,
        type: 'STATUS_CHANGED',
        actor: ctx.identity.sub,
        fromStatus: row.status,
        toStatus: change.status,
        note,
      });
      return next;
    });
    await bumpMetricsGeneration(ctx.cache);
    return updated;
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
      await syncCases({ db: ctx.db, cache: ctx.cache, logger: ctx.logger, carriers: ctx.carriers }, [row]);
    } catch (error) {
      // The carrier down (CARRIER_UNAVAILABLE from the carriers subgraph) or the carriers subgraph unreachable: the same to the caller.
      const code = (error as { extensions?: { code?: string } }).extensions?.code;
      if (code === 'SERVICE_UNAVAILABLE' || code === 'CARRIER_UNAVAILABLE')
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
    const cleanNote = optionalText(note, 'note', 2000);
    return ctx.db.transaction(async (tx) => {
      await lockVisibleCase(ctx, tx, caseId);
      return appendEvent(tx, { caseId, at: nowIso(), type: 'NOTE', actor: ctx.identity.sub, note: cleanNote });
    });
  }
}
