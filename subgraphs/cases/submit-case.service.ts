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
import type { CaseRow, SubmitCaseInput } from './case.type';
import type { CasesContext } from './cases.context';
import { enqueueApplication } from './outbox.repository';

/** Canonical payload hash: key order and defaults never make two equal submissions differ. */
export function payloadHash(input: SubmitCaseInput): string {
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
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function validate(input: SubmitCaseInput): void {
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
  parseId('agent', input.agentId, 'input.agentId');
  parseId('carrier', input.carrierId, 'input.carrierId');
  parseId('product', input.productId, 'input.productId');
  validate(input);
  const scope = await visibleAgentIds(ctx);
  if (scope && !scope.has(input.agentId)) throw forbidden('an agent submits only for themself and their downline');
  const hash = payloadHash(input);
  // A retry of a submission that went through: answer it without asking anyone again.
  const before = await existing(ctx, input.idempotencyKey);
  if (before) return replay(before, hash);

  const paymentMode = input.paymentMode ?? 'MONTHLY';
  const tableRating = input.tableRating ?? 0;
  const [eligibility, pricing] = await Promise.all([
    ctx.agents.eligibility({ agentId: input.agentId, carrierId: input.carrierId, state: input.insured.state }, ctx.requestId),
    ctx.carriers.price(
      {
        carrierId: input.carrierId,
        productId: input.productId,
        insured: input.insured,
        healthClass: input.healthClass,
        tableRating,
        faceAmount: input.faceAmount,
        termYears: input.termYears ?? null,
        paymentMode,
      },
      ctx.requestId,
    ),
  ]);
  if (!eligibility) throw notFound('agent');
  const reasons = eligibility.reasons.map((reason) => `agent: ${reason}`);
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
      agentId: input.agentId,
      carrierId: input.carrierId,
      productId: input.productId,
      productType: pricing.productType,
      insured: { ...input.insured, firstName: input.insured.firstName.trim(), lastName: input.insured.lastName.trim() },
      faceAmount: input.faceAmount,
      termYears: input.termYears ?? null,
      healthClass: input.healthClass,
      tableRating,
      paymentMode,
      annualPremiumCents: parseMoney(pricing.annualPremium),
      modalPremiumCents: parseMoney(pricing.modalPremium),
      submittedAt: at,
      createdBy: identity.sub,
      idempotencyKey: input.idempotencyKey,
      requestHash: hash,
    });
    // A concurrent duplicate committed first: this transaction writes nothing and answers with that case.
    if (!row) return undefined;
    await appendEvent(tx, { caseId: id, at, type: 'STATUS_CHANGED', actor: identity.sub, toStatus: 'SUBMITTED' });
    if (eligibility.appointmentWillBeRequested) {
      await appendEvent(tx, {
        caseId: id,
        at,
        type: 'APPOINTMENT_REQUESTED',
        actor: identity.sub,
        note: `just-in-time appointment in ${input.insured.state}`,
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
    return row;
  });
  if (!created) return replay((await existing(ctx, input.idempotencyKey))!, hash);
  await bumpMetricsGeneration(ctx.cache);
  return created;
}
