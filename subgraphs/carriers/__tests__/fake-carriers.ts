/**
 * In-test stand-ins for unit tests of the policy, caching and ranking logic ONLY: a fake adapter
 * that prices from the fixture rate tables in process, and a CarriersContext without a database.
 * Protocol behaviour is the adapters' and simulators' business and is tested against real HTTP.
 */
import pino from 'pino';
import { CachedLoader, MemoryCache } from '../../../platform/cache';
import { newStats } from '../../../platform/stats';
import type {
  ApplicationRequest,
  ApplicationResult,
  CallOptions,
  CarrierAdapter,
  CarrierCaseStatus,
  ChangeDecision,
  ChangeRequest,
  CarrierQuote,
} from '../adapters/carrier-adapter.port';
import { CarrierFailure } from '../adapters/carrier-adapter.port';
import type { CarrierLoaders } from '../carrier.loader';
import type { CarriersContext } from '../carriers.context';
import { withTermYears } from '../carrier.repository';
import type { CarrierRow } from '../carrier.type';
import type { ProductRow } from '../product.type';
import { envCode, readCarriersConfig } from '../carriers.config';
import { CarriersRuntime } from '../carriers.runtime';
import { createQuoteBatcher } from '../quote-batch.loader';
import { createCaseStatusLoader } from '../case/case-status.loader';
import { annualPremiumCents, modalPremiumsCents } from '../domain/premium';
import type { CarrierProfile } from '../domain/carrier';
import { CARRIERS, carrierById, type CarrierFixture } from '../fixtures/carriers.fixture';
import { rateFor } from '../fixtures/rate-table';
import { underwritingFixture } from '../fixtures/requirement-grids.fixture';

export type FakeMode = 'ok' | 'http-error' | 'malformed' | 'hang' | 'bug' | 'local' | 'reject';

export class FakeAdapter implements CarrierAdapter {
  readonly carrierId: string;
  readonly protocol: CarrierAdapter['protocol'];
  readonly calls = { quote: 0, token: 0, rateBook: 0, submit: 0, status: 0, products: 0, change: 0, appointment: 0, appointmentStatus: 0 };
  mode: FakeMode = 'ok';
  latencyMs = 0;
  /** Status answers by carrier reference; every caseStatuses call's references, in order. */
  statuses = new Map<string, CarrierCaseStatus>();
  statusBatches: string[][] = [];

  /** The demo carrier behind the catalog row: its rate curve and terms price the fake's quotes. */
  readonly carrier: CarrierFixture;

  constructor(profile: CarrierProfile) {
    const carrier = carrierById(profile.id);
    if (!carrier) throw new Error(`FakeAdapter prices demo carriers only, not ${profile.id}`);
    this.carrier = carrier;
    this.carrierId = carrier.id;
    this.protocol = carrier.protocol;
  }

  private async network(kind: keyof FakeAdapter['calls'], options: CallOptions): Promise<void> {
    if (this.mode === 'local') return;
    this.calls[kind]++;
    options.onNetworkCall?.(kind);
    if (this.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.mode === 'hang') {
      await new Promise((_, reject) =>
        options.signal.addEventListener('abort', () => reject(new CarrierFailure('CARRIER.TIMEOUT', 'aborted'))),
      );
    }
    if (this.mode === 'http-error') throw new CarrierFailure('CARRIER.HTTP_ERROR', 'HTTP 500 from the carrier');
    if (this.mode === 'malformed') throw new CarrierFailure('CARRIER.MALFORMED', 'unreadable TXLife response');
    if (this.mode === 'bug') throw new TypeError("Cannot read properties of undefined (reading 'Policy')");
  }

  async products(options: CallOptions) {
    await this.network('products', options);
    return this.carrier.products;
  }

  async quote(request: Parameters<CarrierAdapter['quote']>[0], options: CallOptions): Promise<CarrierQuote[]> {
    await this.network('quote', options);
    const quotes: CarrierQuote[] = [];
    for (const productId of request.productIds) {
      const product = this.carrier.products.find((p) => p.id === productId)!;
      const rate = rateFor(this.carrier, product, {
        age: request.issueAge,
        gender: request.gender,
        tobacco: request.tobacco,
        healthClass: request.healthClass,
        termYears: request.termYears,
        guaranteedToAge: request.guaranteedToAge,
        payPeriod: request.payPeriod,
        finalExpensePlan: request.finalExpensePlan,
        faceAmount: request.faceAmount,
      });
      if (rate === undefined) continue;
      const annual = annualPremiumCents({
        rateThousandths: rate,
        faceAmount: request.faceAmount,
        tableRating: request.tableRating,
        policyFeeCents: this.carrier.policyFeeCents,
      });
      quotes.push({
        productId,
        healthClass: request.healthClass,
        carrierClassName: this.carrier.classNames[request.healthClass],
        issueAge: request.issueAge,
        ageBasis: this.carrier.ageBasis,
        faceAmount: request.faceAmount,
        termYears: request.termYears,
        guaranteedToAge: request.guaranteedToAge ?? null,
        payPeriod: request.payPeriod ?? null,
        finalExpensePlan: request.finalExpensePlan ?? null,
        riders: [],
        annualPremiumCents: annual,
        policyFeeCents: this.carrier.policyFeeCents,
        modalPremiumsCents: modalPremiumsCents(annual, this.carrier.modalFactors),
      });
    }
    return quotes;
  }

  /** Applications received, by reference: a resend is answered with the first result, as carriers do. */
  applications = new Map<string, ApplicationRequest>();

  async submitApplication(application: ApplicationRequest, options: CallOptions): Promise<ApplicationResult> {
    await this.network('submit', options);
    if (this.mode === 'reject') return { accepted: false, message: 'face amount exceeds the retention limit' };
    if (!this.applications.has(application.reference)) this.applications.set(application.reference, application);
    return { accepted: true, carrierReference: `${this.carrier.code}-${application.reference}` };
  }

  async requestChange(_change: ChangeRequest, options: CallOptions): Promise<ChangeDecision> {
    await this.network('change', options);
    if (this.mode === 'reject') return { accepted: false, message: 'face amount exceeds the retention limit' };
    return { accepted: true, amendmentRequired: false };
  }

  async caseStatuses(references: string[], options: CallOptions): Promise<Map<string, CarrierCaseStatus>> {
    this.statusBatches.push([...references]);
    await this.network('status', options);
    return new Map(references.filter((r) => this.statuses.has(r)).map((r) => [r, this.statuses.get(r)!]));
  }
}

export const CARRIER_ROWS: CarrierRow[] = CARRIERS.map((c) => ({
  id: c.id,
  code: c.code,
  name: c.name,
  naicCode: c.naicCode,
  amBestRating: c.amBestRating,
  ageBasis: c.ageBasis,
  protocol: c.protocol,
}));
export const PRODUCT_ROWS: ProductRow[] = CARRIERS.flatMap((c) => c.products).map((p) =>
  withTermYears({ ...p, terms: [...p.terms] } as never),
);

export interface FakeWorld {
  adapters: Map<string, FakeAdapter>;
  runtime: CarriersRuntime;
  /** A fresh request context; the runtime and cache are shared, as in a running subgraph. */
  context(): CarriersContext;
}

/** Every fixture carrier with a FakeAdapter, a shared MemoryCache and one runtime, as one process would have. */
export function fakeWorld(env: Record<string, string> = {}): FakeWorld {
  const urls = Object.fromEntries(CARRIERS.map((c) => [`CARRIER_${envCode(c.code)}_URL`, `http://fake.invalid/${c.code.toLowerCase()}`]));
  const config = readCarriersConfig(CARRIERS, {
    CARRIER_TIMEOUT_MS: '300',
    COMPARE_TIMEOUT_MS: '1000',
    CARRIER_RETRY_DELAY_MS: '5',
    CARRIER_RETRY_MAX_DELAY_MS: '20',
    CARRIER_BREAKER_COOLDOWN_MS: '200',
    ...urls,
    ...env,
  });
  const adapters = new Map(CARRIERS.map((c) => [c.id, new FakeAdapter(c)]));
  const cache = new MemoryCache(10_000);
  const cached = new CachedLoader(cache);
  const logger = pino({ level: 'silent' });
  const runtime = new CarriersRuntime(config, CARRIERS, adapters, cache, logger);
  const loaders = {
    allCarriers: async () => [...CARRIER_ROWS].sort((a, b) => (a.name < b.name ? -1 : 1)),
    productsByCarrier: { loadMany: async (ids: readonly string[]) => ids.map((id) => PRODUCT_ROWS.filter((p) => p.carrierId === id)) },
    product: { load: async (id: string) => PRODUCT_ROWS.find((p) => p.id === id) },
    carrier: { prime: () => undefined, load: async (id: string) => CARRIER_ROWS.find((c) => c.id === id) },
    allUnderwriting: async () =>
      CARRIER_ROWS.flatMap((c) => {
        const underwriting = underwritingFixture(c.code);
        return underwriting ? [{ carrierId: c.id, ...underwriting }] : [];
      }),
  } as unknown as CarrierLoaders;
  return {
    adapters,
    runtime,
    context() {
      const stats = newStats();
      return {
        identity: { sub: 'service:cases', role: 'SERVICE' },
        requestId: 'test',
        stats,
        debugStats: true,
        db: undefined as never,
        cache,
        cached,
        logger,
        loaders,
        runtime,
        caseStatus: createCaseStatusLoader(runtime, stats),
        quoteBatches: createQuoteBatcher(runtime, stats),
      } satisfies CarriersContext;
    },
  };
}
