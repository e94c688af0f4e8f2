/**
 * The SQL of e-signature envelopes (cases.signature_envelope) and of the webhook events received
 * (cases.signature_event). Functions take the Db or the transaction to run on. No personal data is
 * stored: per signer the role, status, time and IP only.
 */
import type { Db } from '../shared/db';
import type { SignerRole } from './domain/application';
import type { EnvelopeSigner, EnvelopeStatus, SignatureEvent } from './ports/signature-provider.port';

export interface SignatureEnvelopeRecord {
  envelopeId: string;
  applicationId: string;
  reference: string;
  status: EnvelopeStatus;
  signers: EnvelopeSigner[];
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `envelope_id AS "envelopeId", application_id AS "applicationId", reference, status, signers,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * Records an envelope just created at the provider, every signer PENDING. A retried request that
 * got the same envelope back (the provider keys it on the reference) records nothing new.
 */
export async function recordEnvelope(
  tx: Db,
  envelope: { envelopeId: string; applicationId: string; reference: string; roles: readonly SignerRole[] },
): Promise<SignatureEnvelopeRecord> {
  const signers: EnvelopeSigner[] = envelope.roles.map((role) => ({ role, status: 'PENDING', signedAt: null, ip: null }));
  await tx.query(
    `INSERT INTO cases.signature_envelope (envelope_id, application_id, reference, status, signers)
     VALUES ($1, $2, $3, 'SENT', $4::jsonb) ON CONFLICT (envelope_id) DO NOTHING`,
    [envelope.envelopeId, envelope.applicationId, envelope.reference, JSON.stringify(signers)],
  );
  return (await findEnvelope(tx, envelope.envelopeId))!;
}

export const findEnvelope = (db: Db, envelopeId: string): Promise<SignatureEnvelopeRecord | undefined> =>
  db.one<SignatureEnvelopeRecord>(`SELECT ${COLUMNS} FROM cases.signature_envelope WHERE envelope_id = $1`, [envelopeId]);

/** An application's envelopes, newest first (a declined or expired one is followed by a new request). */
export const envelopesOfApplication = (db: Db, applicationId: string): Promise<SignatureEnvelopeRecord[]> =>
  db.query<SignatureEnvelopeRecord>(
    `SELECT ${COLUMNS} FROM cases.signature_envelope WHERE application_id = $1 ORDER BY created_at DESC, envelope_id`,
    [applicationId],
  );

/**
 * Claims an event id: true the first time, false when it was received before (a redelivery). Under
 * a concurrent delivery of the same event the second insert waits for the first transaction and
 * then finds the row: exactly one of them applies it.
 */
export async function claimSignatureEvent(tx: Db, event: SignatureEvent): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO cases.signature_event (event_id, envelope_id, type) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [event.eventId, event.envelopeId, event.type],
  );
  return rows.length === 1;
}

/** What an event does to the envelope's status; a closed envelope stays as it closed. */
function nextStatus(current: EnvelopeStatus, event: SignatureEvent): EnvelopeStatus {
  if (current !== 'SENT') return current;
  switch (event.type) {
    case 'ENVELOPE_COMPLETED':
      return 'COMPLETED';
    case 'ENVELOPE_DECLINED':
    case 'SIGNER_DECLINED':
      return 'DECLINED';
    case 'ENVELOPE_EXPIRED':
      return 'EXPIRED';
    default:
      return current;
  }
}

/**
 * Applies one event to its envelope (locked for the transaction): the signer's status, time and IP,
 * the envelope's status. Undefined when we never recorded the envelope.
 */
export async function applySignatureEvent(tx: Db, event: SignatureEvent): Promise<SignatureEnvelopeRecord | undefined> {
  const current = await tx.one<SignatureEnvelopeRecord>(
    `SELECT ${COLUMNS} FROM cases.signature_envelope WHERE envelope_id = $1 FOR NO KEY UPDATE`,
    [event.envelopeId],
  );
  if (!current) return undefined;
  const signers = current.signers.map((signer) => {
    if (signer.role !== event.role || signer.status !== 'PENDING') return signer;
    if (event.type === 'SIGNER_SIGNED') return { ...signer, status: 'SIGNED' as const, signedAt: event.at, ip: event.ip };
    if (event.type === 'SIGNER_DECLINED' || event.type === 'ENVELOPE_DECLINED')
      return { ...signer, status: 'DECLINED' as const, ip: event.ip };
    return signer;
  });
  const status = nextStatus(current.status, event);
  const [updated] = await tx.query<SignatureEnvelopeRecord>(
    `UPDATE cases.signature_envelope SET status = $2, signers = $3::jsonb, updated_at = now() WHERE envelope_id = $1 RETURNING ${COLUMNS}`,
    [event.envelopeId, status, JSON.stringify(signers)],
  );
  return updated;
}
