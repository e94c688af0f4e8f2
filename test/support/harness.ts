/**
 * What tests (and benchmarks) need to drive real adapters against running simulators: each
 * carrier's endpoint configuration exactly as the carriers subgraph would read it from the
 * simulators' environment, a logger whose lines can be inspected, and call options that record the
 * network calls an adapter reports.
 */
import pino from 'pino';
import type {
  CallOptions,
  CarrierAdapterDeps,
  CarrierQuote,
  NetworkCallKind,
  QuoteRequest,
} from '../../subgraphs/carriers/adapters/carrier-adapter.port';
import { readCarriersConfig, type CarrierEndpointConfig } from '../../subgraphs/carriers/carriers.config';
import { annualPremiumCents, basePremiumCents, modalPremiumsCents, pricingClass } from '../../subgraphs/carriers/domain/premium';
import { priceRiders, riderPremiumsTotalCents } from '../../subgraphs/carriers/domain/riders';
import {
  CARRIERS,
  carrierByCode,
  productById,
  type CarrierFixture,
  type ProductFixture,
} from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { rateFor } from '../../subgraphs/carriers/fixtures/rate-table';
import { MemoryCache } from '../../platform/cache';
import type { RunningSimulators } from '../../simulators/simulators';

/** The carrier and its endpoint as the carriers subgraph's configuration reads them from `simulators.env`. */
/**
 * A fixture product as a carrier's catalog answer maps it: the catalog has no place yet for the
 * pricing data (rate and period percents) nor the guarantee ages, pay periods, plans and riders a
 * product offers (the carrier states those on each quote).
 */
export function catalogProduct(product: ProductFixture) {
  const {
    ratePercent: _ratePercent,
    periodPercents: _periodPercents,
    guaranteeAges: _guaranteeAges,
    payPeriods: _payPeriods,
    finalExpensePlans: _plans,
    riders: _riders,
    ...catalog
  } = product;
  return catalog;
}

export function carrierEndpoint(
  simulators: RunningSimulators,
  code: string,
  overrides: Record<string, string> = {},
): { carrier: CarrierFixture; endpoint: CarrierEndpointConfig } {
  const carrier = carrierByCode(code);
  if (!carrier) throw new RangeError(`no fixture carrier ${code}`);
  const config = readCarriersConfig(CARRIERS, { ...simulators.env, ...overrides });
  const endpoint = config.endpoints.find((e) => e.carrierId === carrier.id);
  if (!endpoint) throw new Error(`the simulators' environment configures no endpoint for ${code}`);
  return { carrier, endpoint };
}

export interface CapturedLog {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** Adapter dependencies with an in-process cache and a logger that keeps every line it writes. */
export function testDeps(cache = new MemoryCache(1_000)): CarrierAdapterDeps & { logs: CapturedLog[]; cache: MemoryCache } {
  const logs: CapturedLog[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as CapturedLog) });
  return { cache, logger, logs };
}

/** Call options with a deadline, recording every network call the adapter reports, in order. */
export function recordingOptions(timeoutMs = 5_000): CallOptions & { network: NetworkCallKind[] } {
  const network: NetworkCallKind[] = [];
  return { signal: AbortSignal.timeout(timeoutMs), onNetworkCall: (kind) => network.push(kind), network };
}

/**
 * The quote a carrier must give for one product, computed independently of any protocol: the
 * fixture rate table's rate × docs/domain.md's arithmetic, riders from the carrier's rider rates.
 * Undefined when the rate table has no row.
 */
export function expectedQuote(carrier: CarrierFixture, productId: string, request: QuoteRequest): CarrierQuote | undefined {
  const product = productById(productId)!;
  // Carriers rate a table on Standard, whatever class was asked; final expense has only Standard.
  const healthClass = pricingClass(request.healthClass, request.tableRating, product.type);
  const rate = rateFor(carrier, product, {
    age: request.issueAge,
    gender: request.gender,
    tobacco: request.tobacco,
    healthClass,
    termYears: request.termYears,
    guaranteedToAge: request.guaranteedToAge,
    payPeriod: request.payPeriod,
    finalExpensePlan: request.finalExpensePlan,
    faceAmount: request.faceAmount,
  });
  if (rate === undefined) return undefined;
  const riders = priceRiders({
    asks: request.riders ?? [],
    offers: product.riders ?? [],
    rates: carrier.riderRates ?? null,
    productType: product.type,
    issueAge: request.issueAge,
    basePremiumCents: basePremiumCents({ rateThousandths: rate, faceAmount: request.faceAmount, tableRating: request.tableRating }),
    termYears: request.termYears,
  });
  const annual = annualPremiumCents({
    rateThousandths: rate,
    faceAmount: request.faceAmount,
    tableRating: request.tableRating,
    flatExtraPerThousandCents: request.flatExtraPerThousandCents ?? 0,
    riderPremiumsCents: riderPremiumsTotalCents(riders),
    policyFeeCents: carrier.policyFeeCents,
  });
  return {
    productId,
    healthClass,
    carrierClassName: carrier.classNames[healthClass],
    issueAge: request.issueAge,
    ageBasis: carrier.ageBasis,
    faceAmount: request.faceAmount,
    termYears: request.termYears,
    guaranteedToAge: request.guaranteedToAge ?? null,
    payPeriod: request.payPeriod ?? null,
    finalExpensePlan: request.finalExpensePlan ?? null,
    riders,
    annualPremiumCents: annual,
    policyFeeCents: carrier.policyFeeCents,
    modalPremiumsCents: modalPremiumsCents(annual, carrier.modalFactors),
  };
}
