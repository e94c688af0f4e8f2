/**
 * submitCase: everything is checked before anything is written — the input, the agent's eligibility
 * (asked of the agents subgraph, which also says how the application will name the agent) and the
 * product's limits and price (asked of the carriers subgraph), both through the ports, in parallel —
 * then one transaction writes the case, its first event, the just-in-time appointment request where
 * eligibility says so, and the outbox row the worker sends.
 * Idempotent per caller on idempotencyKey: same key and payload, same case; another payload, CONFLICT.
 */
import { createHash } from 'node:crypto';
import { todayUtc } from '../../platform/dates';
import { badInput, coded, conflict, forbidden, notFound } from '../../platform/errors';
import { newId, parseId } from '../../platform/ids';
import { parseMoney } from '../../platform/money';
import { isIsoDate } from '../../platform/scalars';
import { bumpMetricsGeneration } from './case-metrics.cache';
import type { Db } from '../shared/db';
import type { RequirementCode } from '../shared/enums';
import { appendEvent, appendRequirementEvents, caseByIdempotencyKey, insertCase, nowIso } from './case.repository';
import { followUpOn } from './domain/requirement.rules';
import { insertOrderedRequirements, outstandingCodes } from './requirement.repository';
import { visibleAgentIds } from './case.scope';
import type { Gender, HealthClass, PaymentMode } from '../shared/enums';
import type { CaseRow, SubmitCaseInput } from './case.type';
import type { CasesContext } from './cases.context';
import { enqueueApplication } from './outbox.repository';
import { insertWritingAgents } from './commissions/commission.repository';
import type { WritingAgentInput } from './commissions/writing-agent.type';
import { checkWritingAgents, unknownWritingAgents } from './commissions/writing-agents';

/** An inline submission: every field of the case given in the input (the deprecated way). */
type InlineSubmission = SubmitCaseInput &
  Required<Pick<SubmitCaseInput, 'agentId' | 'carrierId' | 'productId' | 'insured' | 'faceAmount' | 'healthClass'>>;

/** Canonical payload hash: key order and defaults never make two equal submissions differ. */
export function payloadHash(input: InlineSubmission): string {
  const i = input.insured;
  const canonical = JSON.stringify([
    input.agentId,
    input.carrierId,
    input.productId,
    i.firstName.trim(),
    i.lastName.trim(),
    i.birthDate,
    i.gender,
    i.state,
    i.tobacco,
    input.faceAmount,
    input.termYears ?? null,
    input.healthClass,
    input.tableRating ?? 0,
    input.paymentMode ?? 'MONTHLY',
    // Only when given, so a submission without them hashes as it always did.
    ...(input.writingAgents ? [input.writingAgents.map((w) => [w.agentId, w.splitPercent])] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function validate(input: InlineSubmission): void {
  const reasons: string[] = [];
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(input.idempotencyKey)) reasons.push('idempotencyKey must be 1 to 100 letters, digits or _.:-');
  for (const [field, value] of [
    ['insured.firstName', input.insured.firstName],
    ['insured.lastName', input.insured.lastName],
  ] as const) {
    if (!value.trim() || value.length > 100) reasons.push(`${field} must be 1 to 100 characters`);
  }
  if (!isIsoDate(input.insured.birthDate) || input.insured.birthDate >= todayUtc())
    reasons.push('insured.birthDate must be a date in the past');
  if (!Number.isInteger(input.faceAmount) || input.faceAmount <= 0 || input.faceAmount > 100_000_000)
    reasons.push('faceAmount must be a whole number of dollars from 1 to 100,000,000');
  const table = input.tableRating ?? 0;
  if (!Number.isInteger(table) || table < 0 || table > 8) reasons.push('tableRating must be between 0 and 8');
  if (input.termYears != null && ![10, 15, 20, 25, 30].includes(input.termYears)) reasons.push('termYears must be 10, 15, 20, 25 or 30');
  if (reasons.length) throw badInput(reasons.join('; '), reasons);
}

async function existing(ctx: CasesContext, key: string): Promise<{ row: CaseRow; hash: string } | undefined> {
  const found = await caseByIdempotencyKey(ctx.db, ctx.identity.sub, key);
  return found && { row: found, hash: found.requestHash };
}

function replay(found: { row: CaseRow; hash: string }, hash: string): CaseRow {
  if (found.hash !== hash) throw conflict('this idempotencyKey was used for another submission');
  return found.row;
}

/** The inline submission (its fields in the input); a signed application goes through submit-application.service.ts. */
/** Who orders the grid's requirements, in the case's history. */
export const GRID_ACTOR = 'system:requirements-grid';

/**
 * Orders the requirements the carrier's grid names for this case (price answer's expectedRequirements),
 * each ORDERED with its follow-up date and a REQUIREMENT_ORDERED event, inside the caller's
 * transaction. Codes already outstanding on the case are not ordered twice, so calling it again
 * (a retried submission, the application path) is harmless. Three statements, whatever the count.
 */
export async function orderGridRequirements(
  tx: Db,
  caseId: string,
  codes: readonly RequirementCode[],
  at: string,
  options: { accelerated?: boolean } = {},
): Promise<RequirementCode[]> {
  if (!codes.length) return [];
  const outstanding = new Set(await outstandingCodes(tx, caseId));
  const toOrder = [...new Set(codes)].filter((code) => !outstanding.has(code));
  if (!toOrder.length) return [];
  const note = options.accelerated
    ? "ordered at submission from the carrier's requirements grid (accelerated underwriting: no exam, no fluids)"
    : "ordered at submission from the carrier's requirements grid";
  await insertOrderedRequirements(
    tx,
    caseId,
    toOrder.map((code) => ({ id: newId('requirement'), code, followUpOn: followUpOn(code, at) })),
    at,
    note,
  );
  await appendRequirementEvents(tx, { caseId, at, type: 'REQUIREMENT_ORDERED', actor: GRID_ACTOR, note }, toOrder);
  return toOrder;
}

export async function submitCase(ctx: CasesContext, input: SubmitCaseInput): Promise<CaseRow> {
  const { identity } = ctx;
  if (!['AGENT', 'STAFF', 'ADMIN'].includes(identity.role)) throw forbidden('only agents and staff submit cases');
  const inline = inlineInput(input);
  parseId('agent', inline.agentId, 'input.agentId');
  parseId('carrier', inline.carrierId, 'input.carrierId');
  parseId('product', inline.productId, 'input.productId');
  validate(inline);
  return createCase(ctx, {
    idempotencyKey: inline.idempotencyKey,
    requestHash: payloadHash(inline),
    agentId: inline.agentId,
    carrierId: inline.carrierId,
    productId: inline.productId,
    insured: { ...inline.insured, firstName: inline.insured.firstName.trim(), lastName: inline.insured.lastName.trim() },
    faceAmount: inline.faceAmount,
    termYears: inline.termYears ?? null,
    healthClass: inline.healthClass,
    tableRating: inline.tableRating ?? 0,
    paymentMode: inline.paymentMode ?? 'MONTHLY',
    writingAgents: inline.writingAgents,
  });
}

/** The inline (deprecated) submission: everything but applicationId is then required. */
function inlineInput(input: SubmitCaseInput): InlineSubmission {
  const absent = (['agentId', 'carrierId', 'productId', 'insured', 'faceAmount', 'healthClass'] as const).filter(
    (field) => input[field] == null,
  );
  if (absent.length) {
    const reasons = absent.map((field) => `${field} is required without applicationId`);
    throw badInput(`the case cannot be submitted: ${reasons.join('; ')}`, reasons);
  }
  return input as InlineSubmission;
}

/** A case about to be written: where it comes from (an inline submission or a signed application) no longer matters. */
export interface CaseToCreate {
  idempotencyKey: string;
  requestHash: string;
  agentId: string;
  carrierId: string;
  productId: string;
  insured: { firstName: string; lastName: string; birthDate: string; gender: Gender; state: string; tobacco: boolean };
  faceAmount: number;
  termYears: number | null;
  healthClass: HealthClass;
  tableRating: number;
  paymentMode: PaymentMode;
  /** The writing agents and their splits (commissions/writing-agents.ts); the case's agent at 100% when absent. */
  writingAgents?: WritingAgentInput[] | null;
  /** Runs in the case's transaction once the case is written (an application marks itself submitted). */
  alsoInTransaction?: (tx: Db, caseId: string, at: string) => Promise<void>;
}

/**
 * Checks the scope, the agent's eligibility and the product's price, then writes the case, its first
 * events and the outbox row in one transaction. A retry with the same key and payload answers the case
 * it made; another payload under the key is CONFLICT.
 */
export async function createCase(ctx: CasesContext, c: CaseToCreate): Promise<CaseRow> {
  const { identity } = ctx;
  const scope = await visibleAgentIds(ctx);
  if (scope && !scope.has(c.agentId)) throw forbidden('an agent submits only for themself and their downline');
  // A retry of a submission that went through: answer it without asking anyone again.
  const before = await existing(ctx, c.idempotencyKey);
  if (before) return replay(before, c.requestHash);

  const writing = checkWritingAgents(c.writingAgents, c.agentId);
  if (writing.reasons.length) throw badInput(`the case cannot be submitted: ${writing.reasons.join('; ')}`, writing.reasons);

  const [eligibility, pricing, unknownWriters] = await Promise.all([
    ctx.agents.eligibility({ agentId: c.agentId, carrierId: c.carrierId, state: c.insured.state }, ctx.requestId),
    ctx.carriers.price(
      {
        carrierId: c.carrierId,
        productId: c.productId,
        insured: c.insured,
        healthClass: c.healthClass,
        tableRating: c.tableRating,
        faceAmount: c.faceAmount,
        termYears: c.termYears,
        paymentMode: c.paymentMode,
      },
      ctx.requestId,
    ),
    unknownWritingAgents(ctx.agents, c.writingAgents, writing.coWriters, ctx.requestId),
  ]);
  if (!eligibility) throw notFound('agent');
  const reasons = [...eligibility.reasons.map((reason) => `agent: ${reason}`), ...unknownWriters];
  if (!pricing.priced && !pricing.carrierDown)
    reasons.push(`product: ${pricing.message ?? 'the product is not available for this insured, amount, term or class'}`);
  // What the caller must fix comes first; a carrier that cannot price now is worth a retry.
  if (reasons.length) throw badInput(`the case cannot be submitted: ${reasons.join('; ')}`, reasons);
  if (!pricing.priced)
    throw coded('CARRIER_UNAVAILABLE', 'the carrier could not price the case now; try again shortly', {
      carrierStatus: pricing.carrierStatus,
    });

  const at = nowIso();
  const id = newId('case');
  const created = await ctx.db.transaction(async (tx) => {
    const row = await insertCase(tx, {
      id,
      agentId: c.agentId,
      carrierId: c.carrierId,
      productId: c.productId,
      productType: pricing.productType,
      insured: c.insured,
      faceAmount: c.faceAmount,
      termYears: c.termYears,
      healthClass: c.healthClass,
      tableRating: c.tableRating,
      paymentMode: c.paymentMode,
      annualPremiumCents: parseMoney(pricing.annualPremium),
      modalPremiumCents: parseMoney(pricing.modalPremium),
      submittedAt: at,
      createdBy: identity.sub,
      idempotencyKey: c.idempotencyKey,
      requestHash: c.requestHash,
    });
    // A concurrent duplicate committed first: this transaction writes nothing and answers with that case.
    if (!row) return undefined;
    await appendEvent(tx, { caseId: id, at, type: 'STATUS_CHANGED', actor: identity.sub, toStatus: 'SUBMITTED' });
    await insertWritingAgents(tx, id, writing.shares);
    if (eligibility.appointmentWillBeRequested) {
      await appendEvent(tx, {
        caseId: id,
        at,
        type: 'APPOINTMENT_REQUESTED',
        actor: identity.sub,
        note: `just-in-time appointment in ${c.insured.state}`,
      });
    }
    await orderGridRequirements(tx, id, pricing.expectedRequirements, at, { accelerated: pricing.acceleratedUnderwriting });
    // The reference is stable per case: every resend carries it, so the carrier never sees two applications.
    await enqueueApplication(tx, {
      caseId: id,
      reference: `bga-${id}`,
      dueAt: at,
      agentNpn: eligibility.npn,
      writingNumber: eligibility.writingNumber,
    });
    await c.alsoInTransaction?.(tx, id, at);
    return row;
  });
  if (!created) return replay((await existing(ctx, c.idempotencyKey))!, c.requestHash);
  await bumpMetricsGeneration(ctx.cache);
  return created;
}
