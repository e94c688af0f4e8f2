import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireRole } from '../shared/auth';
import { badInput, coded } from '../../platform/errors';
import { isId, parseId } from '../../platform/ids';
import { CarrierFailure, type ApplicationRequest, type CarrierCaseStatus, type ChangeRequest } from './adapters/carrier-adapter.port';
import {
  CarrierApplicationInput,
  CarrierCaseSnapshot,
  CarrierChangeInput,
  CarrierChangeResult,
  CarrierSubmission,
} from './application.type';
import type { CarriersContext } from './carriers.context';
import { statusCacheKey, toStoredStatus } from './case/case-status.loader';
import { parseMoney } from './domain/premium';
import type { Application, CarrierAttachment } from '../shared/application';

const SERVICE_ONLY = ['SERVICE'] as const;
const MAX_REFERENCES = 500;
const REFERENCE = /^[A-Za-z0-9._:-]{1,128}$/;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The full application and its attachments from CarrierApplicationInput.fullApplication (JSON), or
 * nothing for a legacy case. Shape problems go to `reasons`, naming only the field: never a value.
 */
function fullApplicationOf(json: string | null | undefined, reasons: string[]): Pick<ApplicationRequest, 'application' | 'attachments'> {
  if (json == null) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    reasons.push('fullApplication must be JSON');
    return {};
  }
  const { application, attachments } = (parsed ?? {}) as { application?: unknown; attachments?: unknown };
  if (!application || typeof application !== 'object' || Array.isArray(application)) {
    reasons.push('fullApplication.application must be an object');
    return {};
  }
  const list = attachments ?? [];
  if (!Array.isArray(list)) {
    reasons.push('fullApplication.attachments must be a list');
    return {};
  }
  list.forEach((attachment: Partial<CarrierAttachment>, i) => {
    const ok =
      attachment &&
      typeof attachment.type === 'string' &&
      typeof attachment.fileName === 'string' &&
      typeof attachment.contentType === 'string' &&
      typeof attachment.sha256 === 'string' &&
      SHA256_HEX.test(attachment.sha256) &&
      typeof attachment.contentBase64 === 'string' &&
      BASE64.test(attachment.contentBase64);
    if (!ok) reasons.push(`fullApplication.attachments[${i}] needs type, fileName, contentType, sha256 (hex) and contentBase64`);
  });
  return { application: application as Application, attachments: list as CarrierAttachment[] };
}

@Resolver()
export class ApplicationResolver {
  /**
   * Sends one application to its carrier: a write, so the policy NEVER retries it. The outbox
   * resends with the same reference when `retryable`; carriers deduplicate on it.
   */
  // Internal: @inaccessible keeps it out of the public API; the cases outbox asks this subgraph directly, as SERVICE.
  @Directive('@inaccessible')
  @Mutation(() => CarrierSubmission, {
    description:
      "Sends an application to its carrier through the carrier's adapter. SERVICE only (the cases outbox); never retried here: resend with the same reference when retryable.",
  })
  async submitApplicationToCarrier(
    @Arg('input', () => CarrierApplicationInput, { description: 'The application.' }) input: CarrierApplicationInput,
    @Ctx() ctx: CarriersContext,
  ): Promise<CarrierSubmission> {
    requireRole(ctx.identity, SERVICE_ONLY);
    const reasons: string[] = [];
    parseId('case', input.caseId, 'input.caseId');
    parseId('carrier', input.carrierId, 'input.carrierId');
    parseId('product', input.productId, 'input.productId');
    if (!REFERENCE.test(input.reference)) reasons.push('reference must be 1 to 128 letters, digits or ._:-');
    let annualPremiumCents = 0;
    try {
      annualPremiumCents = parseMoney(input.annualPremium);
    } catch {
      reasons.push('annualPremium must be Money such as "412.50"');
    }
    const full = fullApplicationOf(input.fullApplication, reasons);
    const product = await ctx.loaders.product.load(input.productId);
    if (!product || product.carrierId !== input.carrierId) reasons.push('productId is not a product of carrierId');
    if (reasons.length) throw badInput(reasons.join('; '), reasons);

    if (!ctx.runtime.adapter(input.carrierId)) {
      return {
        accepted: false,
        carrierReference: null,
        message: 'carrier not configured',
        retryable: true,
        failureCode: 'CARRIER.NOT_CONFIGURED',
      };
    }
    const application: ApplicationRequest = {
      reference: input.reference,
      caseId: input.caseId,
      productId: input.productId,
      insured: { ...input.insured, state: input.insured.state as ApplicationRequest['insured']['state'] },
      faceAmount: input.faceAmount,
      termYears: input.termYears ?? null,
      healthClass: input.healthClass,
      tableRating: input.tableRating ?? 0,
      paymentMode: input.paymentMode,
      annualPremiumCents,
      agent: { id: input.agent.id, npn: input.agent.npn, writingNumber: input.agent.writingNumber ?? null },
      ...(input.requirements?.length ? { requirements: input.requirements.map((r) => ({ id: r.id, code: r.code })) } : {}),
      ...full,
    };
    try {
      const result = await ctx.runtime.call(
        input.carrierId,
        'submit',
        (adapter, options) => adapter.submitApplication(application, options),
        () => ctx.stats.carrierCalls++,
      );
      if (result.accepted)
        return {
          accepted: true,
          carrierReference: result.carrierReference,
          message: result.message ?? null,
          retryable: false,
          failureCode: null,
        };
      return { accepted: false, carrierReference: null, message: result.message, retryable: false, failureCode: 'CARRIER.REJECTED' };
    } catch (error) {
      if (error instanceof CarrierFailure) {
        const rejected = error.code === 'CARRIER.REJECTED';
        return { accepted: false, carrierReference: null, message: error.message, retryable: !rejected, failureCode: error.code };
      }
      // Never log the application itself: it carries the insured's personal data.
      ctx.logger.error({ err: error, carrierId: input.carrierId, caseId: input.caseId }, 'application submission failed unexpectedly');
      return {
        accepted: false,
        carrierReference: null,
        message: 'unexpected error while sending the application',
        retryable: true,
        failureCode: 'CARRIER.ERROR',
      };
    }
  }

  /**
   * Sends one change of an accepted application to its carrier: a write, so the policy NEVER retries
   * it. The change worker resends with the same reference when `retryable`; carriers deduplicate on it.
   */
  // Internal: @inaccessible keeps it out of the public API; the cases change worker asks this subgraph directly, as SERVICE.
  @Directive('@inaccessible')
  @Mutation(() => CarrierChangeResult, {
    description:
      "Sends a change of an accepted application to its carrier through the carrier's adapter. SERVICE only (the cases change worker); never retried here: resend with the same reference when retryable.",
  })
  async requestCarrierChange(
    @Arg('input', () => CarrierChangeInput, { description: 'The change.' }) input: CarrierChangeInput,
    @Ctx() ctx: CarriersContext,
  ): Promise<CarrierChangeResult> {
    requireRole(ctx.identity, SERVICE_ONLY);
    parseId('case', input.caseId, 'input.caseId');
    parseId('carrier', input.carrierId, 'input.carrierId');
    const reasons: string[] = [];
    if (!REFERENCE.test(input.reference)) reasons.push('reference must be 1 to 128 letters, digits or ._:-');
    if (!REFERENCE.test(input.carrierReference)) reasons.push('carrierReference must be 1 to 128 letters, digits or ._:-');
    if (reasons.length) throw badInput(reasons.join('; '), reasons);
    const refused = (message: string): CarrierChangeResult => ({
      accepted: false,
      amendmentRequired: false,
      message,
      retryable: false,
      failureCode: 'CARRIER.REJECTED',
    });
    // A product of another carrier is a decision, not a retry: the change can never be sent as it is.
    if (input.productId != null) {
      const product = isId('product', input.productId) ? await ctx.loaders.product.load(input.productId) : undefined;
      if (!product || product.carrierId !== input.carrierId) return refused('productId is not a product of this carrier');
    }
    if (!ctx.runtime.adapter(input.carrierId)) {
      return {
        accepted: false,
        amendmentRequired: false,
        message: 'carrier not configured',
        retryable: true,
        failureCode: 'CARRIER.NOT_CONFIGURED',
      };
    }
    const owner = input.owner;
    const change: ChangeRequest = {
      reference: input.reference,
      caseId: input.caseId,
      carrierReference: input.carrierReference,
      faceAmount: input.faceAmount ?? null,
      productId: input.productId ?? null,
      termYears: input.termYears ?? null,
      riders: (input.riders as ChangeRequest['riders']) ?? null,
      beneficiaries:
        input.beneficiaries?.map((b) => ({
          designation: b.designation === 'CONTINGENT' ? 'CONTINGENT' : 'PRIMARY',
          fullName: b.fullName,
          relationship: b.relationship,
          sharePercent: b.sharePercent,
        })) ?? null,
      paymentMode: input.paymentMode ?? null,
      owner: !owner
        ? null
        : owner.kind === 'ENTITY'
          ? { kind: 'ENTITY', name: owner.name ?? '', tin: owner.tin ?? '' }
          : { kind: 'PERSON', fullName: owner.fullName ?? '', relationship: owner.relationship ?? '' },
    };
    try {
      // The write policy ('submit'): one attempt, never retried here.
      const decision = await ctx.runtime.call(
        input.carrierId,
        'submit',
        (adapter, options) => adapter.requestChange(change, options),
        () => ctx.stats.carrierCalls++,
      );
      if (decision.accepted)
        return {
          accepted: true,
          amendmentRequired: decision.amendmentRequired,
          message: decision.message ?? null,
          retryable: false,
          failureCode: null,
        };
      return refused(decision.message);
    } catch (error) {
      if (error instanceof CarrierFailure) {
        const rejected = error.code === 'CARRIER.REJECTED';
        return { accepted: false, amendmentRequired: false, message: error.message, retryable: !rejected, failureCode: error.code };
      }
      // Never log the change itself: it may name beneficiaries and owners.
      ctx.logger.error({ err: error, carrierId: input.carrierId, caseId: input.caseId }, 'case change failed unexpectedly');
      return {
        accepted: false,
        amendmentRequired: false,
        message: 'unexpected error while sending the change',
        retryable: true,
        failureCode: 'CARRIER.ERROR',
      };
    }
  }

  /** Fresh from the carrier (no cache read), batched in one call; the answers refresh Case.carrierStatus' cache. */
  // Internal: @inaccessible keeps it out of the public API; the case sync asks this subgraph directly, as SERVICE.
  @Directive('@inaccessible')
  @Query(() => [CarrierCaseSnapshot], {
    description:
      "The carrier's current view of these applications, asked now in one batched call. SERVICE only (the case sync). References the carrier does not know are left out.",
  })
  async carrierCaseSnapshots(
    @Arg('carrierId', () => ID, { description: 'The carrier (car_...).' }) carrierId: string,
    @Arg('carrierReferences', () => [String], { description: `The carrier's ids for the applications, at most ${MAX_REFERENCES}.` })
    carrierReferences: string[],
    @Ctx() ctx: CarriersContext,
  ): Promise<CarrierCaseSnapshot[]> {
    requireRole(ctx.identity, SERVICE_ONLY);
    parseId('carrier', carrierId, 'carrierId');
    if (carrierReferences.length > MAX_REFERENCES) throw badInput(`carrierReferences may name at most ${MAX_REFERENCES} applications`);
    if (carrierReferences.length === 0) return [];
    if (!ctx.runtime.adapter(carrierId)) throw coded('CARRIER_UNAVAILABLE', `carrier ${carrierId} is not configured`);
    const references = [...new Set(carrierReferences)];
    let found: Map<string, CarrierCaseStatus>;
    try {
      found = await ctx.runtime.call(
        carrierId,
        'status',
        (adapter, options) => adapter.caseStatuses(references, options),
        () => ctx.stats.carrierCalls++,
      );
    } catch (error) {
      if (!(error instanceof CarrierFailure)) ctx.logger.error({ err: error, carrierId }, 'case status sync failed unexpectedly');
      const reason = error instanceof CarrierFailure ? error.code : 'CARRIER.ERROR';
      throw coded(
        'CARRIER_UNAVAILABLE',
        `carrier ${carrierId} status unavailable${error instanceof CarrierFailure ? `: ${error.message}` : ''}`,
        { carrierId, reason },
      );
    }
    const asOf = new Date().toISOString();
    const snapshots: CarrierCaseSnapshot[] = [];
    for (const reference of references) {
      const status = found.get(reference);
      if (!status) continue;
      const stored = toStoredStatus(status, asOf);
      await ctx.runtime.cache.set(statusCacheKey(carrierId, reference), JSON.stringify(stored), ctx.runtime.config.ttlSeconds.status);
      snapshots.push({ carrierReference: reference, policyNumber: status.policyNumber, ...stored });
    }
    return snapshots;
  }
}
