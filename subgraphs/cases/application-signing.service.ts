/**
 * Signing an application (issue #14): by e-signature (`requestSignatures`: the PDF, an envelope at the
 * provider for exactly the signers the application needs; the provider's signed webhook completes it),
 * or on paper (`recordPaperSignatures`: a staff member records the signatures of a signed scan already
 * attached). Either way the application becomes SIGNED with its signatures — role, date and state —
 * and is then checked for submission, signatures included. The signed PDF is fetched from the provider
 * outside any transaction and kept as the application's SIGNED_APPLICATION document.
 */
import { failedPrecondition, forbidden, notFound } from '../../platform/errors';
import { parseId } from '../../platform/ids';
import type { Db } from '../shared/db';
import { applicationsByIds, lockApplication, saveApplication, type ApplicationRow } from './application.repository';
import { applicationOf, catalogFor, visibleApplication } from './application.service';
import type { PaperSignaturesInput } from './application-signing.type';
import { nowIso } from './case.repository';
import type { CasesContext } from './cases.context';
import type { Application, MissingItem, Signature, SignerRole } from './domain/application';
import { missingItems, requiredSigners } from './domain/good-order';
import { documentById, signedApplicationDocument } from './document.repository';
import { storeDocument } from './document.service';
import type { SignatureEvent } from './ports/signature-provider.port';
import { type SentForSignature, sendForSignature } from './signature-request.service';
import { envelopesOfApplication, type SignatureEnvelopeRecord } from './signature-envelope.repository';
import { todayUtc } from '../../platform/dates';

const WRITERS = ['AGENT', 'STAFF', 'ADMIN'];
/** An envelope that ended without every signature: a new request makes a new envelope (the next attempt). */
const ENDED = new Set(['DECLINED', 'EXPIRED', 'VOIDED']);

async function visibleRow(ctx: CasesContext, id: string): Promise<ApplicationRow> {
  const row = await visibleApplication(ctx, (await applicationsByIds(ctx.db, [parseId('application', id, 'applicationId')]))[0]);
  if (!row) throw notFound('application');
  return row;
}

/** Name and email of each signer the application needs; the missing items when one cannot be reached. */
async function signersOf(
  ctx: CasesContext,
  row: ApplicationRow,
  application: Application,
): Promise<{ signers: { role: SignerRole; name: string; email: string }[]; missing: MissingItem[] }> {
  const missing: MissingItem[] = [];
  const signers: { role: SignerRole; name: string; email: string }[] = [];
  const party = (role: SignerRole, path: string, name: string | undefined, email: string | undefined) => {
    if (!email) missing.push({ path: `${path}.email`, code: 'REQUIRED', message: `${path}.email is required to sign electronically.` });
    else signers.push({ role, name: name ?? '', email });
  };
  for (const role of requiredSigners(application)) {
    if (role === 'INSURED') party(role, 'insured', application.insured?.fullName, application.insured?.email);
    else if (role === 'AGENT') {
      const agent = await ctx.agents.contact(row.agentId, ctx.requestId);
      if (!agent) throw notFound('agent');
      signers.push({ role, name: agent.fullName, email: agent.email });
    } else {
      const who = role === 'OWNER' ? application.owner : application.payor;
      const path = role.toLowerCase();
      if (who?.kind === 'PERSON') party(role, path, who.fullName, who.email);
      else if (who?.kind === 'TRUST' || who?.kind === 'BUSINESS') party(role, path, who.name, who.email);
    }
  }
  return { signers, missing };
}

/**
 * Sends a draft in good order for e-signature. Asking again while its envelope is out answers the
 * same envelope (the provider keys it on our reference); after a declined or expired envelope, a new
 * one. FAILED_PRECONDITION with `extensions.missing` when the application is not ready to sign.
 */
export async function requestSignatures(ctx: CasesContext, applicationId: string): Promise<SentForSignature> {
  if (!WRITERS.includes(ctx.identity.role)) throw forbidden('only agents and staff request signatures');
  const row = await visibleRow(ctx, applicationId);
  if (row.status !== 'DRAFT') throw failedPrecondition(`the application is already ${row.status.toLowerCase()}`);
  const { rules, carrier, product } = await catalogFor(ctx, row.carrierId, row.productId);
  const application = applicationOf(ctx, row);
  const missing = missingItems(application, rules, { asOf: todayUtc(), signatures: false });
  const { signers, missing: unreachable } = await signersOf(ctx, row, application);
  missing.push(...unreachable);
  if (missing.length) throw failedPrecondition('the application is not in good order: it cannot be sent for signature', { missing });
  const envelopes = await envelopesOfApplication(ctx.db, row.id);
  const attempt = envelopes.filter((envelope) => ENDED.has(envelope.status)).length + 1;
  return sendForSignature(
    { db: ctx.db, signatures: ctx.signatures, callbackUrl: ctx.esignCallbackUrl },
    { applicationId: row.id, attempt, carrierName: carrier.name, productName: product.name, application, signers },
  );
}

/**
 * The webhook's handler, inside the event's transaction: once every signer has signed (the envelope
 * COMPLETED), the application is SIGNED, each signature dated as the provider saw it and placed in
 * the state of application (the signer attests to it in the ceremony). Other events only move the
 * envelope (the route did). No network here.
 */
export async function applySignatureToApplication(tx: Db, event: SignatureEvent, envelope: SignatureEnvelopeRecord): Promise<void> {
  if (event.type !== 'ENVELOPE_COMPLETED') return;
  const row = await lockApplication(tx, envelope.applicationId);
  if (row?.status !== 'DRAFT') return;
  const signatures: Signature[] = envelope.signers.map((signer) => ({
    role: signer.role,
    signedOn: (signer.signedAt ?? event.at).slice(0, 10),
    state: row.state as Signature['state'],
  }));
  await saveApplication(tx, row.id, {
    draft: { ...row.draft, signatures },
    personal: row.personal,
    status: 'SIGNED',
    at: nowIso(),
    signedAt: event.at,
  });
}

/**
 * The signed application as a document of the application: fetched from the provider the first time
 * it is needed (at submission, or on request) and kept. A paper application's signed scan is that
 * document already.
 */
export async function ensureSignedDocument(ctx: CasesContext, row: ApplicationRow): Promise<void> {
  if (await signedApplicationDocument(ctx.db, row.id)) return;
  const completed = (await envelopesOfApplication(ctx.db, row.id)).find((envelope) => envelope.status === 'COMPLETED');
  if (!completed) return;
  const pdf = await ctx.signatures.signedDocument(completed.envelopeId);
  await ctx.db.transaction((tx) =>
    storeDocument(
      { db: tx, store: ctx.documents.store.within(tx), logger: ctx.logger },
      {
        ownerKind: 'APPLICATION',
        ownerId: row.id,
        type: 'SIGNED_APPLICATION',
        fileName: `application-${row.id}-signed.pdf`,
        contentType: 'application/pdf',
        bytes: pdf,
        uploadedBy: 'service:cases-esign',
        // Two submissions racing to fetch it keep one document.
        idempotencyKey: `signed-${completed.envelopeId}`,
        caseId: null,
      },
    ),
  );
}

/**
 * A paper application, keyed in by staff: the signatures as written on the signed scan, which must
 * already be attached to the application (APPLICATION_SCAN). The application is then SIGNED and is
 * checked for submission like an e-signed one.
 */
export async function recordPaperSignatures(
  ctx: CasesContext,
  applicationId: string,
  input: PaperSignaturesInput,
): Promise<ApplicationRow> {
  if (!['STAFF', 'ADMIN'].includes(ctx.identity.role)) throw forbidden('only staff record the signatures of a paper application');
  const peek = await visibleRow(ctx, applicationId);
  const scan = await documentById(ctx.db, parseId('document', input.documentId, 'input.documentId'));
  if (scan?.ownerKind !== 'APPLICATION' || scan.ownerId !== peek.id || scan.type !== 'APPLICATION_SCAN')
    throw failedPrecondition('input.documentId must be the signed scan (APPLICATION_SCAN) attached to this application');
  return ctx.db.transaction(async (tx) => {
    const row = await lockApplication(tx, peek.id);
    if (!row) throw notFound('application');
    if (row.status !== 'DRAFT') throw failedPrecondition(`the application is already ${row.status.toLowerCase()}`);
    const signatures: Signature[] = input.signatures.map((signature) => ({
      role: signature.role as SignerRole,
      signedOn: signature.signedOn,
      state: signature.state as Signature['state'],
    }));
    return saveApplication(tx, row.id, {
      draft: { ...row.draft, signatures },
      personal: row.personal,
      status: 'SIGNED',
      at: nowIso(),
      signedAt: nowIso(),
    });
  });
}
