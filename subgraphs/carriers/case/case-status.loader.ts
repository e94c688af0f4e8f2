import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import { CASE_STATUSES, REQUIREMENT_CODES, RequirementStatus, type CaseStatus, type RequirementCode } from '../../shared/enums';
import { coded } from '../../../platform/errors';
import type { RequestStats } from '../../../platform/stats';
import { CarrierFailure, type CarrierCaseStatus } from '../adapters/carrier-adapter.port';
import { formatMoney } from '../domain/premium';
import type { CarrierCaseStatusView } from './case.type';
import type { CarriersRuntime } from '../carriers.runtime';

/** A cached status: everything but the `cached` flag, which depends on who reads it. */
type StoredStatus = Omit<CarrierCaseStatusView, 'cached'>;

const CASE_STATUS_SET = new Set<string>(CASE_STATUSES);
const REQUIREMENT_CODE_SET = new Set<string>(REQUIREMENT_CODES);
const REQUIREMENT_STATUS_SET = new Set<string>(Object.keys(RequirementStatus));

/** Carrier references are the carrier's ids, not personal data; hashing keeps odd characters out of keys. v2: qualifier, note, terms, requirement ids. */
export const statusCacheKey = (carrierId: string, carrierReference: string) =>
  `status:v2:${carrierId}:${createHash('sha256').update(carrierReference).digest('hex').slice(0, 32)}`;

/** Only values our enums know leave this subgraph: an adapter's unknown code becomes null, never an error. */
export function toStoredStatus(status: CarrierCaseStatus, asOf: string): StoredStatus {
  return {
    status: status.status && CASE_STATUS_SET.has(status.status) ? (status.status as CaseStatus) : null,
    carrierStatusCode: status.carrierStatusCode,
    qualifier: status.qualifier ?? null,
    statusNote: status.statusNote ?? null,
    approvedTerms: status.approvedTerms
      ? {
          healthClass: status.approvedTerms.healthClass,
          tableRating: status.approvedTerms.tableRating,
          flatExtraPerThousand:
            status.approvedTerms.flatExtraPerThousandCents > 0 ? formatMoney(status.approvedTerms.flatExtraPerThousandCents) : null,
          flatExtraYears: status.approvedTerms.flatExtraPerThousandCents > 0 ? status.approvedTerms.flatExtraYears : null,
          faceAmount: status.approvedTerms.faceAmount,
        }
      : null,
    requirements: status.requirements.map((r) => ({
      carrierRequirementId: r.carrierRequirementId ?? null,
      reference: r.reference ?? null,
      description: r.description ?? null,
      code: r.code && REQUIREMENT_CODE_SET.has(r.code) ? (r.code as RequirementCode) : null,
      carrierCode: r.carrierCode,
      status: r.status && REQUIREMENT_STATUS_SET.has(r.status) ? r.status : null,
      requestedOn: r.requestedOn,
      fulfilledOn: r.fulfilledOn,
    })),
    asOf,
  };
}

const SEPARATOR = '\u0000';

/**
 * Case.carrierStatus for every case of a request: per carrier, cached answers first, then ONE
 * adapter call for the references still missing (caseStatuses is batched where the protocol
 * allows), under the carrier's policy. A carrier that fails makes its cases' fields errors
 * (CARRIER_UNAVAILABLE, path-scoped); the rest of the response stands.
 */
export function createCaseStatusLoader(runtime: CarriersRuntime, stats: RequestStats) {
  const loader = new DataLoader<string, CarrierCaseStatusView | null>(async (keys) => {
    const byCarrier = new Map<string, string[]>();
    for (const key of keys) {
      const [carrierId, reference] = key.split(SEPARATOR);
      byCarrier.set(carrierId, [...(byCarrier.get(carrierId) ?? []), reference]);
    }
    const answers = new Map<string, CarrierCaseStatusView | null | Error>();
    await Promise.all(
      [...byCarrier].map(async ([carrierId, references]) => {
        const unique = [...new Set(references)];
        const hits = await Promise.all(unique.map((reference) => runtime.cache.get(statusCacheKey(carrierId, reference))));
        const missing: string[] = [];
        for (const [i, reference] of unique.entries()) {
          const hit = hits[i];
          if (hit === null) {
            missing.push(reference);
            continue;
          }
          stats.cacheHits++;
          answers.set(carrierId + SEPARATOR + reference, { ...(JSON.parse(hit) as StoredStatus), cached: true });
        }
        if (missing.length === 0) return;
        stats.cacheMisses += missing.length;
        if (!runtime.adapter(carrierId)) {
          const error = coded('CARRIER_UNAVAILABLE', `carrier ${carrierId} is not configured`);
          for (const reference of missing) answers.set(carrierId + SEPARATOR + reference, error);
          return;
        }
        try {
          const found = await runtime.call(
            carrierId,
            'status',
            (adapter, options) => adapter.caseStatuses(missing, options),
            () => stats.carrierCalls++,
          );
          const asOf = new Date().toISOString();
          await Promise.all(
            missing.map(async (reference) => {
              const status = found.get(reference);
              // A reference the carrier does not know yet is not cached: it may accept the application any moment.
              if (!status) return void answers.set(carrierId + SEPARATOR + reference, null);
              const stored = toStoredStatus(status, asOf);
              answers.set(carrierId + SEPARATOR + reference, { ...stored, cached: false });
              await runtime.cache.set(statusCacheKey(carrierId, reference), JSON.stringify(stored), runtime.config.ttlSeconds.status);
            }),
          );
        } catch (error) {
          if (!(error instanceof CarrierFailure)) runtime.logger.error({ err: error, carrierId }, 'case status lookup failed unexpectedly');
          const message =
            error instanceof CarrierFailure
              ? `carrier ${carrierId} status unavailable: ${error.message}`
              : `carrier ${carrierId} status unavailable`;
          const failure = coded('CARRIER_UNAVAILABLE', message, {
            carrierId,
            reason: error instanceof CarrierFailure ? error.code : 'CARRIER.ERROR',
          });
          for (const reference of missing) answers.set(carrierId + SEPARATOR + reference, failure);
        }
      }),
    );
    return keys.map((key) => answers.get(key) ?? null);
  });
  return {
    load(carrierId: string, carrierReference: string): Promise<CarrierCaseStatusView | null> {
      return loader.load(carrierId + SEPARATOR + carrierReference);
    },
  };
}

export type CaseStatusLoader = ReturnType<typeof createCaseStatusLoader>;
