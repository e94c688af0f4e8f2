/**
 * The e-signature provider as onboarding sees it: one envelope for the BGA agreement, signed by the
 * agent through a remote signing link; the provider's signed webhook says when it is complete. The
 * cases subgraph has its own port for applications (a subgraph imports no other subgraph's code):
 * this one is the small part the agreement needs, over the same provider API.
 */
export interface AgreementEnvelopeRequest {
  /** Our idempotency key at the provider: the same reference gives back the same envelope. No personal data. */
  reference: string;
  pdf: Uint8Array;
  /** The agent's name and email go to the provider only (it sends the link); never logged. */
  signer: { name: string; email: string };
  /** Where the provider POSTs its signed webhooks (the agents subgraph's /webhooks/esign-agreements). */
  callbackUrl: string;
  expiresInDays: number;
}

export interface AgreementEnvelope {
  envelopeId: string;
  /** The agent's signing link: a secret, for the agent only. */
  signingUrl: string;
}

export interface AgreementSignatures {
  requestSignature(request: AgreementEnvelopeRequest): Promise<AgreementEnvelope>;
}

/** The provider did not take the request: the message names the call and status, never what we sent. */
export class AgreementSignatureError extends Error {
  constructor(
    readonly retryable: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'AgreementSignatureError';
  }
}
