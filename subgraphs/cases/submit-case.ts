/**
 * submitCase: everything is checked before anything is written — the input, the agent's eligibility
 * (asked of the agents subgraph) and the product's limits and price (asked of the carriers subgraph,
 * both through the supergraph as SERVICE) — then one transaction writes the case, its first event,
 * the just-in-time appointment request where eligibility says so, and the outbox row the worker sends.
 * Idempotent per caller on idempotencyKey: same key and payload, same case; another payload, CONFLICT.
 */
import { createHash } from 'node:crypto';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Gender, HealthClass, PaymentMode, State } from '../shared/enums';
import { badInput, coded, conflict, forbidden, notFound } from '../../platform/errors';
import { parseId, newId } from '../../platform/ids';
import { DateScalar, isIsoDate } from '../../platform/scalars';
import { parseMoney } from '../../platform/money';
import { todayUtc } from '../../platform/dates';
import { appendEvent, bumpMetricsGeneration, nowIso } from './case.history';
import { CASE_COLUMNS, type CasesContext } from './case.loader';
import { visibleAgentIds } from './case.scope';
import type { CaseRow } from './case.type';

@InputType({ description: 'The person to insure.' })
export class InsuredInput {
  @Field(() => String, { description: 'First name (1 to 100 characters).' })
  firstName!: string;

  @Field(() => String, { description: 'Last name (1 to 100 characters).' })
  lastName!: string;

  @Field(() => DateScalar, { description: 'Birth date (in the past).' })
  birthDate!: string;

  @Field(() => Gender, { description: 'Gender as rated.' })
  gender!: Gender;

  @Field(() => State, { description: 'State of residence: where the policy is written.' })
  state!: string;

  @Field(() => Boolean, { description: 'Uses tobacco or nicotine.' })
  tobacco!: boolean;
}

@InputType({ description: 'A new application. Everything is checked before anything is written.' })
export class SubmitCaseInput {
  @Field(() => String, {
    description: 'Per caller: the same key and payload twice make one case; the same key with another payload is CONFLICT.',
  })
  idempotencyKey!: string;

  @Field(() => ID, { description: 'The writing agent.' })
  agentId!: string;

  @Field(() => ID, { description: 'The carrier.' })
  carrierId!: string;

  @Field(() => ID, { description: "The carrier's product." })
  productId!: string;

  @Field(() => InsuredInput, { description: 'The person to insure.' })
  insured!: InsuredInput;

  @Field(() => Int, { description: 'Face amount in whole dollars.' })
  faceAmount!: number;

  @Field(() => Int, { nullable: true, description: 'Level-premium period (TERM): 10, 15, 20, 25 or 30.' })
  termYears?: number;

  @Field(() => HealthClass, { description: 'The health class applied for.' })
  healthClass!: HealthClass;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'Table rating, 0 (none) to 8.' })
  tableRating?: number;

  @Field(() => PaymentMode, { nullable: true, defaultValue: 'MONTHLY', description: 'How often the client pays.' })
  paymentMode?: PaymentMode;
}

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

const CHECK = `query SubmitCheck($agentId: ID!, $carrierId: ID!, $state: State!, $quote: QuoteInput!) {
  agent(id: $agentId) { id eligibility(carrierId: $carrierId, state: $state) { eligible reasons appointmentWillBeRequested } }
  compareQuotes(input: $quote) {
    quotes { product { id type } annualPremium modalPremium }
    outcomes { status message }
  }
}`;

interface CheckAnswer {
  agent: { id: string; eligibility: { eligible: boolean; reasons: string[]; appointmentWillBeRequested: boolean } } | null;
  compareQuotes: {
    quotes: { product: { id: string; type: string }; annualPremium: string; modalPremium: string }[];
    outcomes: { status: string; message: string | null }[];
  };
}

async function existing(ctx: CasesContext, key: string): Promise<{ row: CaseRow; hash: string } | undefined> {
  const row = await ctx.db.one<CaseRow & { requestHash: string }>(
    `SELECT ${CASE_COLUMNS}, request_hash AS "requestHash" FROM cases."case" WHERE created_by = $1 AND idempotency_key = $2`,
    [ctx.identity.sub, key],
  );
  return row && { row, hash: row.requestHash };
}

function replay(found: { row: CaseRow; hash: string }, hash: string): CaseRow {
  if (found.hash !== hash) throw conflict('this idempotencyKey was used for another submission');
  return found.row;
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

  const answer = await ctx.supergraph.request<CheckAnswer>(
    CHECK,
    {
      agentId: input.agentId,
      carrierId: input.carrierId,
      state: input.insured.state,
      quote: {
        state: input.insured.state,
        birthDate: input.insured.birthDate,
        gender: input.insured.gender,
        tobacco: input.insured.tobacco,
        healthClass: input.healthClass,
        tableRating: input.tableRating ?? 0,
        faceAmount: input.faceAmount,
        termYears: input.termYears ?? null,
        paymentMode: input.paymentMode ?? 'MONTHLY',
        carrierIds: [input.carrierId],
      },
    },
    ctx.requestId,
  );
  if (!answer.agent) throw notFound('agent');
  const reasons = answer.agent.eligibility.reasons.map((reason) => `agent: ${reason}`);
  const quote = answer.compareQuotes.quotes.find((q) => q.product.id === input.productId);
  const outcome = answer.compareQuotes.outcomes[0];
  const carrierDown = !quote && outcome !== undefined && ['TIMEOUT', 'ERROR', 'CIRCUIT_OPEN'].includes(outcome.status);
  if (!quote && !carrierDown)
    reasons.push(`product: ${outcome?.message ?? 'the product is not available for this insured, amount, term or class'}`);
  // What the caller must fix comes first; a carrier that cannot price now is worth a retry.
  if (reasons.length) throw badInput(`the case cannot be submitted: ${reasons.join('; ')}`, reasons);
  if (carrierDown)
    throw coded('CARRIER_UNAVAILABLE', 'the carrier could not price the case now; try again shortly', { carrierStatus: outcome.status });

  const at = nowIso();
  const id = newId('case');
  const created = await ctx.db.transaction(async (tx) => {
    const row = await tx.one<CaseRow>(
      `INSERT INTO cases."case" (id, case_number, agent_id, carrier_id, product_id, product_type, insured_first_name, insured_last_name,
         insured_birth_date, insured_gender, insured_state, insured_tobacco, face_amount, term_years, applied_health_class, table_rating,
         payment_mode, annual_premium_cents, modal_premium_cents, status, submitted_at, created_by, idempotency_key, request_hash, updated_at)
       VALUES ($1, 'BGA-' || lpad(nextval('cases.case_number_seq')::text, 7, '0'), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
         $17, $18, 'SUBMITTED', $19, $20, $21, $22, $19)
       ON CONFLICT (created_by, idempotency_key) DO NOTHING
       RETURNING ${CASE_COLUMNS}`,
      [
        id,
        input.agentId,
        input.carrierId,
        input.productId,
        quote!.product.type,
        input.insured.firstName.trim(),
        input.insured.lastName.trim(),
        input.insured.birthDate,
        input.insured.gender,
        input.insured.state,
        input.insured.tobacco,
        input.faceAmount,
        input.termYears ?? null,
        input.healthClass,
        input.tableRating ?? 0,
        input.paymentMode ?? 'MONTHLY',
        parseMoney(quote!.annualPremium),
        parseMoney(quote!.modalPremium),
        at,
        identity.sub,
        input.idempotencyKey,
        hash,
      ],
    );
    // A concurrent duplicate committed first: this transaction writes nothing and answers with that case.
    if (!row) return undefined;
    await appendEvent(tx, { caseId: id, at, type: 'STATUS_CHANGED', actor: identity.sub, toStatus: 'SUBMITTED' });
    if (answer.agent!.eligibility.appointmentWillBeRequested) {
      await appendEvent(tx, {
        caseId: id,
        at,
        type: 'APPOINTMENT_REQUESTED',
        actor: identity.sub,
        note: `just-in-time appointment in ${input.insured.state}`,
      });
    }
    // The reference is stable per case: every resend carries it, so the carrier never sees two applications.
    await tx.query(`INSERT INTO cases.outbox (case_id, reference, next_attempt_at) VALUES ($1, $2, $3)`, [id, `bga-${id}`, at]);
    return row;
  });
  if (!created) return replay((await existing(ctx, input.idempotencyKey))!, hash);
  await bumpMetricsGeneration(ctx.cache);
  return created;
}
