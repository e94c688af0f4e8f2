/**
 * The SignatureProvider over the e-signature provider's REST/JSON API (`/v1/envelopes`, bearer API
 * key; the simulator in simulators/esign/ speaks it). Every call has a per-attempt timeout; failures
 * worth repeating (no answer, 429, 5xx) are retried with jittered exponential backoff under one
 * overall deadline. Creating an envelope is retried too: the provider keys it on our reference, so
 * a repeat gives back the same envelope, never a second one.
 */
import { ExponentialBackoff, handleWhen, retry, TimeoutStrategy, timeout, wrap, type IPolicy } from 'cockatiel';
import { SIGNER_ROLES, type SignerRole } from '../../domain/application';
import {
  type CreatedEnvelope,
  ENVELOPE_STATUSES,
  type EnvelopeRequest,
  type EnvelopeState,
  type EnvelopeStatus,
  SIGNER_STATUSES,
  type SignatureProvider,
  SignatureProviderError,
  type SignerStatus,
} from '../signature-provider.port';

export interface EsignAdapterSettings {
  baseUrl: string;
  apiKey: string;
  /** One attempt's limit (default 5000 ms). */
  attemptTimeoutMs?: number;
  /** Everything, retries included (default 15000 ms). */
  deadlineMs?: number;
  /** Extra attempts after a transient failure (default 2). */
  retries?: number;
  /** First backoff (default 100 ms), doubled per retry. */
  retryInitialDelayMs?: number;
}

/** The calls made to the provider, by kind (tests count them). */
export interface EsignCalls {
  create: number;
  get: number;
  document: number;
}

interface WireSigner {
  role: string;
  status: string;
  signedAt: string | null;
  ip: string | null;
  signingUrl: string;
}
interface WireEnvelope {
  envelopeId: string;
  clientReference: string;
  status: string;
  signers: WireSigner[];
}

/** Our roles travel in lower case, the provider's own convention. */
const toWireRole = (role: SignerRole) => role.toLowerCase();
function fromWireRole(role: string): SignerRole {
  const ours = role.toUpperCase() as SignerRole;
  if (!SIGNER_ROLES.includes(ours))
    throw new SignatureProviderError('ESIGN.UNAVAILABLE', 'the provider answered a signer role we did not send');
  return ours;
}
function known<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new SignatureProviderError('ESIGN.UNAVAILABLE', `the provider answered an unknown ${what}`);
  return value as T;
}

export class EsignAdapter implements SignatureProvider {
  readonly calls: EsignCalls = { create: 0, get: 0, document: 0 };
  private readonly policy: IPolicy;
  private readonly attemptTimeoutMs: number;
  private readonly baseUrl: string;

  constructor(private readonly settings: EsignAdapterSettings) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
    this.attemptTimeoutMs = settings.attemptTimeoutMs ?? 5_000;
    const retries = retry(
      handleWhen((error) => error instanceof SignatureProviderError && error.retryable),
      {
        maxAttempts: settings.retries ?? 2,
        backoff: new ExponentialBackoff({ initialDelay: settings.retryInitialDelayMs ?? 100, maxDelay: 2_000 }),
      },
    );
    this.policy = wrap(timeout(settings.deadlineMs ?? 15_000, TimeoutStrategy.Aggressive), retries);
  }

  async createEnvelope(request: EnvelopeRequest): Promise<CreatedEnvelope> {
    const body = JSON.stringify({
      clientReference: request.reference,
      document: { name: request.document.fileName, contentBase64: Buffer.from(request.document.pdf).toString('base64') },
      signers: request.signers.map((s) => ({ role: toWireRole(s.role), name: s.name, email: s.email })),
      callbackUrl: request.callbackUrl,
      expiresInDays: request.expiresInDays,
    });
    const answer = await this.call('create', 'POST', '/v1/envelopes', body);
    const envelope = JSON.parse(answer.toString('utf8')) as WireEnvelope;
    return {
      envelopeId: envelope.envelopeId,
      signers: envelope.signers.map((s) => ({ role: fromWireRole(s.role), signingUrl: s.signingUrl })),
    };
  }

  async envelope(envelopeId: string): Promise<EnvelopeState> {
    const answer = await this.call('get', 'GET', `/v1/envelopes/${encodeURIComponent(envelopeId)}`);
    const envelope = JSON.parse(answer.toString('utf8')) as WireEnvelope;
    // Names and emails in the answer are dropped here: nothing past the port carries them.
    return {
      envelopeId: envelope.envelopeId,
      reference: envelope.clientReference,
      status: known<EnvelopeStatus>(envelope.status, ENVELOPE_STATUSES, 'envelope status'),
      signers: envelope.signers.map((s) => ({
        role: fromWireRole(s.role),
        status: known<SignerStatus>(s.status, SIGNER_STATUSES, 'signer status'),
        signedAt: s.signedAt,
        ip: s.ip,
      })),
    };
  }

  async signedDocument(envelopeId: string): Promise<Uint8Array> {
    const answer = await this.call('document', 'GET', `/v1/envelopes/${encodeURIComponent(envelopeId)}/document`);
    if (answer.subarray(0, 5).toString('latin1') !== '%PDF-')
      throw new SignatureProviderError('ESIGN.UNAVAILABLE', 'the signed document is not a PDF');
    return new Uint8Array(answer);
  }

  private async call(kind: keyof EsignCalls, method: 'GET' | 'POST', path: string, body?: string): Promise<Buffer> {
    try {
      return await this.policy.execute(({ signal }) => this.attempt(kind, method, path, body, signal));
    } catch (error) {
      if (error instanceof SignatureProviderError) throw error;
      // cockatiel's deadline (TaskCancelledError) or an abort: the provider did not answer in time.
      throw new SignatureProviderError('ESIGN.TIMEOUT', `no answer from the e-signature provider in time (${kind})`);
    }
  }

  private async attempt(kind: keyof EsignCalls, method: 'GET' | 'POST', path: string, body: string | undefined, deadline: AbortSignal) {
    if (deadline.aborted) throw new SignatureProviderError('ESIGN.TIMEOUT', `no answer from the e-signature provider in time (${kind})`);
    this.calls[kind]++;
    const signal = AbortSignal.any([deadline, AbortSignal.timeout(this.attemptTimeoutMs)]);
    let response: Response;
    let bytes: Buffer;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.settings.apiKey}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body,
        signal,
      });
      bytes = Buffer.from(await response.arrayBuffer());
    } catch {
      throw new SignatureProviderError(
        signal.aborted ? 'ESIGN.TIMEOUT' : 'ESIGN.UNAVAILABLE',
        `the e-signature provider did not answer (${kind}${signal.aborted ? ': timed out' : ''})`,
      );
    }
    if (response.ok) return bytes;
    const error = (() => {
      try {
        return (JSON.parse(bytes.toString('utf8')) as { error?: string }).error ?? 'unknown';
      } catch {
        return 'unknown';
      }
    })();
    if (response.status === 429 || response.status >= 500)
      throw new SignatureProviderError('ESIGN.UNAVAILABLE', `the e-signature provider answered ${response.status} (${kind})`);
    if (response.status === 404)
      throw new SignatureProviderError('ESIGN.NOT_FOUND', `the e-signature provider has no such envelope (${kind})`);
    if (response.status === 409 && error === 'envelope_not_completed')
      throw new SignatureProviderError('ESIGN.NOT_READY', 'the envelope is not completed: there is no signed document yet');
    // 400, 401, 409, 413: our request or our key is wrong; trying again changes nothing. The provider's error code only: its message may quote what we sent.
    throw new SignatureProviderError(
      'ESIGN.REJECTED',
      `the e-signature provider refused the request: ${response.status} ${error} (${kind})`,
    );
  }
}
