/**
 * Sending an application for signature, for the `requestSignatures` mutation: the application PDF,
 * one envelope at the provider for exactly the signers the application needs, and its record, in
 * that order. The provider is called outside any transaction (an open transaction must not wait on
 * the network); the envelope is then recorded in one transaction together with whatever the caller
 * does in `onRecorded` (the application's move to signing). A retry with the same attempt number
 * reaches the same envelope (the provider keys it on our reference) and records nothing twice.
 */
import { badInput, coded } from '../../platform/errors';
import type { Db } from '../shared/db';
import { renderApplicationPdf } from './documents/application-pdf';
import type { Application, SignerRole } from './domain/application';
import { requiredSigners } from './domain/good-order';
import { type SignatureProvider, SignatureProviderError } from './ports/signature-provider.port';
import { recordEnvelope, type SignatureEnvelopeRecord } from './signature-envelope.repository';

export interface SignatureRequestDeps {
  db: Db;
  signatures: SignatureProvider;
  /** The cases subgraph's /webhooks/esign as the provider reaches it (ESIGN_CALLBACK_URL). */
  callbackUrl: string;
}

export interface SignatureRequest {
  applicationId: string;
  /** 1 for the first request, then one more after each declined, expired or voided envelope: the reference is `<applicationId>:<attempt>`. */
  attempt: number;
  carrierName: string;
  productName: string;
  application: Application;
  /** Name and email of each signer the application needs (the agent's from the agents subgraph). */
  signers: { role: SignerRole; name: string; email: string }[];
  expiresInDays?: number;
}

export interface SentForSignature {
  envelope: SignatureEnvelopeRecord;
  /** Each signer's private link: for that signer only, never logged. */
  signingLinks: { role: SignerRole; signingUrl: string }[];
  /** The PDF sent (unsigned), e.g. to keep as the application's document. */
  pdf: Uint8Array;
}

export const signatureReference = (applicationId: string, attempt: number) => `${applicationId}:${attempt}`;

export async function sendForSignature(
  deps: SignatureRequestDeps,
  request: SignatureRequest,
  onRecorded?: (tx: Db, envelope: SignatureEnvelopeRecord) => Promise<void>,
): Promise<SentForSignature> {
  const needed = requiredSigners(request.application);
  const given = request.signers.map((s) => s.role);
  const reasons = [
    ...needed.filter((role) => !given.includes(role)).map((role) => `signers: the ${role.toLowerCase()} must sign`),
    ...given.filter((role) => !needed.includes(role)).map((role) => `signers: the ${role.toLowerCase()} does not sign this application`),
    ...given.filter((role, i) => given.indexOf(role) !== i).map((role) => `signers: the ${role.toLowerCase()} is named twice`),
  ];
  if (reasons.length) throw badInput('the signers do not match the signatures this application needs', reasons);
  const pdf = await renderApplicationPdf({
    applicationId: request.applicationId,
    carrierName: request.carrierName,
    productName: request.productName,
    application: request.application,
    auditTrail: [],
  });
  const reference = signatureReference(request.applicationId, request.attempt);
  // In the order the application lists its signatures: insured, owner, payor, agent.
  const signers = [...request.signers].sort((a, b) => needed.indexOf(a.role) - needed.indexOf(b.role));
  let created: Awaited<ReturnType<SignatureProvider['createEnvelope']>>;
  try {
    created = await deps.signatures.createEnvelope({
      reference,
      document: { fileName: `application-${request.applicationId}.pdf`, pdf },
      signers,
      callbackUrl: deps.callbackUrl,
      expiresInDays: request.expiresInDays ?? 30,
    });
  } catch (error) {
    if (error instanceof SignatureProviderError && error.retryable)
      throw coded('SERVICE_UNAVAILABLE', 'the e-signature provider is unavailable; try again shortly', { providerCode: error.code });
    throw error;
  }
  const envelope = await deps.db.transaction(async (tx) => {
    const recorded = await recordEnvelope(tx, {
      envelopeId: created.envelopeId,
      applicationId: request.applicationId,
      reference,
      roles: signers.map((s) => s.role),
    });
    await onRecorded?.(tx, recorded);
    return recorded;
  });
  return { envelope, signingLinks: created.signers, pdf };
}
