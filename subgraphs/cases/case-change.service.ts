/**
 * requestCaseChange: the case's agent (or their upline) or staff ask for a change to a case pending
 * at its carrier. Everything is checked first (the caller's scope, the case open and at the carrier,
 * the change itself); then one transaction writes the change (its personal parts sealed), a
 * CHANGE_REQUESTED event and the change's own outbox entry, which the change worker sends.
 * Idempotent per caller on idempotencyKey: same key and payload, same change; another payload, CONFLICT.
 */
import { createHash } from 'node:crypto';
import { badInput, coded, conflict } from '../../platform/errors';
import { newId, parseId } from '../../platform/ids';
import { requireRole } from '../shared/auth';
import { caseChangeByIdempotencyKey, insertCaseChange } from './case-change.repository';
import type { CaseChangeInput, CaseChangeRow } from './case-change.type';
import { appendEvent, nowIso } from './case.repository';
import { lockVisibleCase, visibleAgentIds } from './case.scope';
import type { CasesContext } from './cases.context';
import { type CaseChangeRequest, changeKinds, changeProblems, changeRefusal, normalizeChange } from './domain/case-change';

/** The vault's field for the sealed JSON of a change's beneficiaries, owner and reason (scripts/personal-data/rotate.ts lists it). */
export const CHANGE_PERSONAL_FIELD = 'case_change.personal';

const CHANGERS = ['AGENT', 'STAFF', 'ADMIN'] as const;
const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/** The personal parts of a change, as sealed. */
export interface ChangePersonalData {
  beneficiaries: CaseChangeRequest['beneficiaries'];
  owner: CaseChangeRequest['owner'];
  reason: string | null;
}

/** The GraphQL input in the domain's terms; an owner must be exactly one of person or entity. */
export function changeRequestOf(input: CaseChangeInput): CaseChangeRequest {
  const owner = input.owner;
  if (owner && Boolean(owner.person) === Boolean(owner.entity)) throw badInput('change.owner must be exactly one of person or entity');
  if (input.productId != null) parseId('product', input.productId, 'change.productId');
  return {
    faceAmount: input.faceAmount,
    productId: input.productId,
    termYears: input.termYears,
    riders: input.riders,
    beneficiaries: input.beneficiaries?.map((b) => ({ ...b })),
    paymentMode: input.paymentMode,
    owner: owner?.person
      ? { kind: 'PERSON', fullName: owner.person.fullName, relationship: owner.person.relationship }
      : owner?.entity
        ? { kind: 'ENTITY', name: owner.entity.name, tin: owner.entity.tin }
        : null,
    reason: input.reason,
  };
}

/** The personal parts of a change, in one canonical form: what is sealed, and what a replay is compared with. */
function personalOf(change: CaseChangeRequest): ChangePersonalData | null {
  const personal: ChangePersonalData = {
    beneficiaries: change.beneficiaries ?? null,
    owner: change.owner ?? null,
    reason: change.reason ?? null,
  };
  return personal.beneficiaries !== null || personal.owner !== null || personal.reason !== null ? personal : null;
}

/**
 * Canonical hash of the non-personal parts (the case, amounts, product, term, riders, payment mode,
 * and which personal parts are present). The personal values stay out: a hash of a TIN or a name is
 * as good as the value to whoever can guess it. A replay compares them by opening the sealed value.
 */
export function changeHash(caseId: string, change: CaseChangeRequest): string {
  const { beneficiaries, owner, reason, ...rest } = change;
  const present = [beneficiaries != null, owner != null, reason != null];
  return createHash('sha256')
    .update(JSON.stringify([caseId, rest, present]))
    .digest('hex');
}

function replay(
  ctx: CasesContext,
  found: CaseChangeRow & { requestHash: string; personal: string | null },
  hash: string,
  change: CaseChangeRequest,
): CaseChangeRow {
  const personal = personalOf(change);
  const samePersonal =
    found.personal === null
      ? personal === null
      : personal !== null && ctx.vault.open(CHANGE_PERSONAL_FIELD, found.personal).plaintext === JSON.stringify(personal);
  if (found.requestHash !== hash || !samePersonal) throw conflict('this idempotencyKey was used for another change');
  const { requestHash: _hash, personal: _personal, ...row } = found;
  return row;
}

export async function requestCaseChange(
  ctx: CasesContext,
  caseId: string,
  input: CaseChangeInput,
  idempotencyKey: string,
): Promise<CaseChangeRow> {
  const { identity } = ctx;
  requireRole(identity, CHANGERS);
  parseId('case', caseId, 'caseId');
  if (!KEY.test(idempotencyKey)) throw badInput('idempotencyKey must be 1 to 100 letters, digits or _.:-');
  const change = normalizeChange(changeRequestOf(input));
  const hash = changeHash(caseId, change);
  // A retry of a request that went through: answer it without writing or sending anything again.
  const before = await caseChangeByIdempotencyKey(ctx.db, identity.sub, idempotencyKey);
  if (before) return replay(ctx, before, hash, change);
  // The scope is asked of the agents subgraph before the transaction, so no lock waits on it.
  await visibleAgentIds(ctx);

  const created = await ctx.db.transaction(async (tx) => {
    const row = await lockVisibleCase(ctx, tx, caseId);
    const refusal = changeRefusal(row);
    if (refusal) throw coded('FAILED_PRECONDITION', refusal, { caseStatus: row.status });
    const problems = changeProblems(change, row);
    if (problems.length) throw badInput(problems.join('; '), problems);
    const kinds = changeKinds(change);
    const personal = personalOf(change);
    const at = nowIso();
    const id = newId('caseChange');
    const inserted = await insertCaseChange(tx, {
      id,
      caseId,
      kinds,
      draft: {
        faceAmount: change.faceAmount ?? null,
        productId: change.productId ?? null,
        termYears: change.termYears ?? null,
        riders: change.riders ?? null,
        paymentMode: change.paymentMode ?? null,
      },
      personal: personal ? ctx.vault.seal(CHANGE_PERSONAL_FIELD, JSON.stringify(personal)) : null,
      // Stable per change: every resend to the carrier carries it, so the carrier applies the change once.
      reference: `bga-${id}`,
      requestedAt: at,
      requestedBy: identity.sub,
      idempotencyKey,
      requestHash: hash,
    });
    // A concurrent request with the same key committed first: write nothing, answer with that change.
    if (!inserted) return undefined;
    // The kinds only: the values may be personal data, and the history is shown to everyone who sees the case.
    await appendEvent(tx, { caseId, at, type: 'CHANGE_REQUESTED', actor: identity.sub, note: kinds.join(', ') });
    return inserted;
  });
  if (!created) {
    const winner = await caseChangeByIdempotencyKey(ctx.db, identity.sub, idempotencyKey);
    if (!winner) throw conflict('the change could not be recorded; try again');
    return replay(ctx, winner, hash, change);
  }
  return created;
}
