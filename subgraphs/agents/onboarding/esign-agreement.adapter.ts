/**
 * AgreementSignatures over the e-signature provider's REST/JSON API (`POST /v1/envelopes`, bearer
 * API key; simulators/esign speaks it). One attempt under a timeout: the provider keys envelopes on
 * our reference, so the caller (the agent, asking again) repeats safely and gets the same envelope.
 */
import {
  AgreementSignatureError,
  type AgreementEnvelope,
  type AgreementEnvelopeRequest,
  type AgreementSignatures,
} from './agreement-signature.port';

/** The signer's role at the provider (its own lower-case convention). */
export const AGREEMENT_SIGNER_ROLE = 'agent';

export class EsignAgreementAdapter implements AgreementSignatures {
  private readonly baseUrl: string;

  constructor(private readonly settings: { baseUrl: string; apiKey: string; timeoutMs?: number }) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
  }

  async requestSignature(request: AgreementEnvelopeRequest): Promise<AgreementEnvelope> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/v1/envelopes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.settings.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          clientReference: request.reference,
          document: { name: 'bga-agreement.pdf', contentBase64: Buffer.from(request.pdf).toString('base64') },
          signers: [{ role: AGREEMENT_SIGNER_ROLE, name: request.signer.name, email: request.signer.email }],
          callbackUrl: request.callbackUrl,
          expiresInDays: request.expiresInDays,
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 5_000),
      });
    } catch {
      throw new AgreementSignatureError(true, 'the e-signature provider did not answer');
    }
    const text = await response.text();
    if (!response.ok) {
      throw new AgreementSignatureError(
        response.status === 429 || response.status >= 500,
        `the e-signature provider answered ${response.status}`,
      );
    }
    const envelope = JSON.parse(text) as { envelopeId: string; signers: { role: string; signingUrl: string }[] };
    const signer = envelope.signers.find((s) => s.role === AGREEMENT_SIGNER_ROLE);
    if (!signer) throw new AgreementSignatureError(false, 'the e-signature provider answered without our signer');
    return { envelopeId: envelope.envelopeId, signingUrl: signer.signingUrl };
  }
}
