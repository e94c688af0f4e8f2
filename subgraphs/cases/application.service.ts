/**
 * E-applications (issue #14): start a draft from a chosen quote, change it in any order, read it back
 * with what it still lacks. Every change is one transaction under the row's lock; the personal part
 * is sealed before it reaches SQL and opened once per request. The carrier's rules come from the
 * carriers subgraph through the port (kept a minute in this process: they are catalog data).
 */
import DataLoader from 'dataloader';
import { createHash } from 'node:crypto';
import { todayUtc } from '../../platform/dates';
import { badInput, conflict, failedPrecondition, forbidden, notFound } from '../../platform/errors';
import { newId, parseId } from '../../platform/ids';
import type { PersonalDataVault } from '../../platform/personal-data';
import type { CarrierApplicationRules } from '../shared/application-rules';
import type { HealthClassCode, PaymentModeCode, ProductTypeCode, RiderTypeCode } from '../shared/vocabulary';
import { applyPatch, type DraftPart, joinDraft, type PersonalPart } from './application.draft';
import {
  type ApplicationRow,
  applicationByIdempotencyKey,
  applicationsByIds,
  insertApplication,
  lockApplication,
  saveApplication,
} from './application.repository';
import type { ApplicationPatch, StartApplicationInput } from './application.type';
import { nowIso } from './case.repository';
import { visibleAgentIds } from './case.scope';
import type { CasesContext } from './cases.context';
import type { Application, MissingItem } from './domain/application';
import { missingItems } from './domain/good-order';
import { recordAccess } from './personal-data-access.repository';
import { envelopesOfApplication } from './signature-envelope.repository';
import type { ApplicationCatalog } from './ports/carriers.port';
import type { Db } from '../shared/db';

/** The vault's field for the sealed personal part: the authenticated data that binds a sealed value to its column. */
export const PERSONAL_FIELD = 'application.personal';

const WRITERS = ['AGENT', 'STAFF', 'ADMIN'];

/** The catalog for an application's carrier and product; FAILED_PRECONDITION when the carrier takes no e-applications. */
export async function catalogFor(
  ctx: CasesContext,
  carrierId: string,
  productId: string,
): Promise<ApplicationCatalog & { rules: CarrierApplicationRules }> {
  const catalog = await ctx.carriers.applicationCatalog(carrierId, productId);
  if (!catalog) throw badInput('productId is not a product of carrierId');
  if (!catalog.rules) throw failedPrecondition('this carrier takes no e-applications: its application rules are not in the catalog');
  return catalog as ApplicationCatalog & { rules: CarrierApplicationRules };
}

async function requireInScope(ctx: CasesContext, agentId: string): Promise<void> {
  const scope = await visibleAgentIds(ctx);
  if (scope && !scope.has(agentId)) throw forbidden("an agent works only on their own and their downline's applications");
}

/** The row when the caller may see it; NOT_FOUND otherwise, so existence never leaks. */
export async function visibleApplication(ctx: CasesContext, row: ApplicationRow | undefined): Promise<ApplicationRow | undefined> {
  if (!row) return undefined;
  const scope = await visibleAgentIds(ctx);
  return scope === null || scope.has(row.agentId) ? row : undefined;
}

/** The personal part of a row, opened once per request (by id and update time). */
export function openPersonal(ctx: CasesContext, row: ApplicationRow): PersonalPart {
  ctx.openedApplications ??= new Map();
  const key = `${row.id}@${row.updatedAt}`;
  const kept = ctx.openedApplications.get(key) as PersonalPart | undefined;
  if (kept) return kept;
  const personal = unsealPersonal(ctx.vault, row.personal);
  ctx.openedApplications.set(key, personal);
  return personal;
}

/** An application's personal part from its sealed column. */
export function unsealPersonal(vault: PersonalDataVault, sealed: string): PersonalPart {
  return JSON.parse(vault.open(PERSONAL_FIELD, sealed).plaintext) as PersonalPart;
}

export function sealPersonal(ctx: CasesContext, personal: PersonalPart): string {
  return ctx.vault.seal(PERSONAL_FIELD, JSON.stringify(personal));
}

/** The domain's Application for a row. */
export function applicationOf(ctx: CasesContext, row: ApplicationRow): Application {
  return joinDraft(row, row.draft, openPersonal(ctx, row));
}

/**
 * What the application still lacks for its carrier, product and state. A draft is checked for
 * signing (everything but the signatures, which the signing supplies); a signed one for submission.
 */
export async function missingOf(ctx: CasesContext, row: ApplicationRow): Promise<MissingItem[]> {
  const { rules } = await catalogFor(ctx, row.carrierId, row.productId);
  return missingItems(applicationOf(ctx, row), rules, { asOf: todayUtc(), signatures: row.status !== 'DRAFT' });
}

function startHash(input: StartApplicationInput): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        input.agentId,
        input.carrierId,
        input.productId,
        input.state,
        input.faceAmount,
        input.termYears ?? null,
        input.guaranteeAge ?? null,
        input.healthClass,
        input.paymentMode ?? 'MONTHLY',
        [...(input.riders ?? [])].sort(),
      ]),
    )
    .digest('hex');
}

export async function startApplication(ctx: CasesContext, input: StartApplicationInput): Promise<ApplicationRow> {
  const { identity } = ctx;
  if (!WRITERS.includes(identity.role)) throw forbidden('only agents and staff start applications');
  parseId('agent', input.agentId, 'input.agentId');
  parseId('carrier', input.carrierId, 'input.carrierId');
  parseId('product', input.productId, 'input.productId');
  const key = input.idempotencyKey ?? null;
  if (key !== null && !/^[A-Za-z0-9_.:-]{1,100}$/.test(key)) throw badInput('idempotencyKey must be 1 to 100 letters, digits or _.:-');
  await requireInScope(ctx, input.agentId);
  const hash = startHash(input);
  if (key !== null) {
    const before = await applicationByIdempotencyKey(ctx.db, identity.sub, key);
    if (before) return sameStart(before, hash);
  }
  const { carrier, product } = await catalogFor(ctx, input.carrierId, input.productId);
  const reasons: string[] = [];
  if (!product.availableStates.includes(input.state as never)) reasons.push(`state: the product is not sold in ${input.state}`);
  if (!Number.isInteger(input.faceAmount) || input.faceAmount < product.minFaceAmount || input.faceAmount > product.maxFaceAmount)
    reasons.push(`faceAmount must be a whole number from ${product.minFaceAmount} to ${product.maxFaceAmount} for this product`);
  if (product.type === 'TERM' && (input.termYears == null || !product.terms.includes(input.termYears)))
    reasons.push(`termYears must be one of ${product.terms.join(', ')} for this product`);
  if (product.type !== 'TERM' && input.termYears != null) reasons.push('termYears is for term products only');
  if (!product.healthClasses.includes(input.healthClass as HealthClassCode)) reasons.push('healthClass is not offered by this product');
  if (reasons.length) throw badInput(`the application cannot be started: ${reasons.join('; ')}`, reasons);

  const draft: DraftPart = {
    coverage: {
      carrierCode: carrier.code,
      productCode: product.code,
      productType: product.type as ProductTypeCode,
      faceAmount: input.faceAmount,
      ...(input.termYears != null ? { termYears: input.termYears } : {}),
      ...(input.guaranteeAge != null ? { guaranteeAge: input.guaranteeAge } : {}),
      healthClassApplied: input.healthClass as HealthClassCode,
      riders: (input.riders ?? []) as RiderTypeCode[],
      paymentMode: (input.paymentMode ?? 'MONTHLY') as PaymentModeCode,
    },
  };
  const row = await insertApplication(ctx.db, {
    id: newId('application'),
    agentId: input.agentId,
    carrierId: input.carrierId,
    productId: input.productId,
    state: input.state,
    status: 'DRAFT',
    draft,
    personal: sealPersonal(ctx, {}),
    createdBy: identity.sub,
    idempotencyKey: key,
    requestHash: hash,
    createdAt: nowIso(),
  });
  if (row) return row;
  // A concurrent retry with the same key committed first.
  return sameStart((await applicationByIdempotencyKey(ctx.db, identity.sub, key!))!, hash);
}

function sameStart(row: ApplicationRow, hash: string): ApplicationRow {
  if (row.requestHash !== hash) throw conflict('this idempotencyKey started another application');
  return row;
}

export async function updateApplication(ctx: CasesContext, id: string, patch: ApplicationPatch): Promise<ApplicationRow> {
  if (!WRITERS.includes(ctx.identity.role)) throw forbidden('only agents and staff change applications');
  parseId('application', id, 'id');
  const peek = await visibleApplication(ctx, (await applicationsByIds(ctx.db, [id]))[0]);
  if (!peek) throw notFound('application');
  // The rules are read before the transaction: no lock is held while another subgraph answers.
  const { rules, product } = await catalogFor(ctx, peek.carrierId, peek.productId);
  return ctx.db.transaction(async (tx) => {
    const row = await lockApplication(tx, id);
    if (!row) throw notFound('application');
    if (row.status === 'DRAFT' && (await outForSignature(tx, row.id)))
      throw failedPrecondition('the application is out for signature: it changes only after the request is declined or expires');
    if (row.status !== 'DRAFT')
      throw failedPrecondition(
        `the application is ${row.status.toLowerCase()}: a signed application no longer changes (start a new one, or request a case change once submitted)`,
      );
    const changed = applyPatch({ agentId: row.agentId, draft: row.draft, personal: openPersonal(ctx, row) }, patch, rules, {
      terms: product.terms,
      minFaceAmount: product.minFaceAmount,
      maxFaceAmount: product.maxFaceAmount,
      type: product.type,
    });
    return saveApplication(tx, id, { draft: changed.draft, personal: sealPersonal(ctx, changed.personal), at: nowIso() });
  });
}

/** Who may read an application's personal data in full, and the log of each full read (one statement per request). */
export function recordFullRead(ctx: CasesContext, subjectId: string, field: string): Promise<void> {
  ctx.accessLog ??= new DataLoader(
    async (entries) => {
      await recordAccess(ctx.db, entries);
      return entries.map(() => undefined);
    },
    { cache: false },
  );
  return ctx.accessLog.load({
    actorSub: ctx.identity.sub,
    actorRole: ctx.identity.role,
    subjectKind: 'APPLICATION',
    subjectId,
    field,
    requestId: ctx.requestId,
  });
}

/** An envelope still out for signature: the draft must not change under its signers. */
async function outForSignature(db: Db, applicationId: string): Promise<boolean> {
  return (await envelopesOfApplication(db, applicationId)).some((envelope) => envelope.status === 'SENT');
}
