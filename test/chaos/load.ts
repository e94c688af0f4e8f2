/**
 * Steady load for the chaos run: a few concurrent clients, each at a modest fixed rate, sending a mix
 * of what the graph's users send (carrier and product reads, case lists, comparisons, metrics, new
 * submissions with unique idempotency keys), and recording every request's outcome: when it started
 * and ended, its HTTP status, its error codes and paths, and the counts of extensions.stats.
 */
import { sleep } from './processes';

export type OpName = 'carriers' | 'products' | 'cases' | 'compareQuotes' | 'compareQuotesFresh' | 'caseMetrics' | 'submitCase';

/** Where a submission goes: an agent eligible at a carrier, with a product that prices the standard insured. */
export interface SubmitTarget {
  agentId: string;
  carrierId: string;
  productId: string;
  state: string;
  code: string;
  protocol: string;
}

export interface Outcome {
  op: OpName;
  client: number;
  start: number;
  end: number;
  /** HTTP status; 0 when no answer came (refused, reset, or the client's timeout). */
  status: number;
  timedOut: boolean;
  /** Network error or unreadable body. */
  error?: string;
  codes: string[];
  errors: { message: string; code?: string; path?: (string | number)[]; serviceName?: string }[];
  hasData: boolean;
  failed: boolean;
  /** A stack trace somewhere in the body (never acceptable). */
  stackInBody: boolean;
  stats?: Record<string, { cacheHits?: number; cacheMisses?: number; sql?: number; carrierCalls?: number }>;
  /** compareQuotes: each carrier's outcome status, by carrier id. */
  carrierOutcomes?: Record<string, string>;
  /** submitCase */
  idempotencyKey?: string;
  target?: SubmitTarget;
  caseId?: string;
}

export const QUOTE_BASE = {
  state: 'TX',
  birthDate: '1988-06-15',
  gender: 'FEMALE',
  tobacco: false,
  healthClass: 'PREFERRED',
  termYears: 20,
} as const;
/** A small set of comparisons that repeat, so the carriers' cache has something to hit. */
const CACHED_FACES = [250_000, 500_000, 750_000, 1_000_000];

const CASES = `{ cases(first: 20, filter: {open: true}) { totalCount edges { node { id caseNumber status agent { id npn lastName } carrier { name } product { name } } } } }`;
const COMPARE = `query($input: QuoteInput!) { compareQuotes(input: $input) { quotes { carrier { id } product { id } annualPremium } outcomes { carrier { id } status cached } } }`;
const SUBMIT = `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id caseNumber status } }`;

const QUERIES: Record<Exclude<OpName, 'compareQuotes' | 'compareQuotesFresh' | 'submitCase'>, string> = {
  carriers: `{ carriers { id name amBestRating products { id name type } } }`,
  products: `{ products(filter: {state: TX, type: TERM}) { id name carrier { name } } }`,
  cases: CASES,
  caseMetrics: `{ caseMetrics(groupBy: CARRIER) { totals { submitted open placed } groups { key figures { submitted } } asOf } }`,
};

/** The mix, by weight: reads dominate, as on a BGA's dashboards and quoting screens. */
const MIX: [OpName, number][] = [
  ['carriers', 14],
  ['products', 10],
  ['cases', 20],
  ['compareQuotes', 20],
  ['compareQuotesFresh', 8],
  ['caseMetrics', 12],
  ['submitCase', 16],
];

export interface LoadOptions {
  url: string;
  /** One bearer token per client (its own rate-limit bucket and its own idempotency scope). */
  tokens: string[];
  /** Requests per second per client. */
  ratePerClient: number;
  clientTimeoutMs: number;
  targets: SubmitTarget[];
  runId: string;
}

export class LoadDriver {
  readonly outcomes: Outcome[] = [];
  /** Client retries of submissions after the chaos (kept apart from the load's own requests). */
  readonly retries: Outcome[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private sequence = 0;
  private fresh = 0;
  startedAt = 0;
  stoppedAt = 0;

  constructor(private readonly options: LoadOptions) {}

  start(): void {
    this.running = true;
    this.startedAt = Date.now();
    this.loops = this.options.tokens.map((_, client) => this.loop(client));
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.stoppedAt = Date.now();
  }

  private async loop(client: number): Promise<void> {
    const interval = 1000 / this.options.ratePerClient;
    // Clients start spread over one interval, not all at once.
    await sleep((interval * client) / this.options.tokens.length);
    let next = Date.now();
    let turn = client * 3;
    while (this.running) {
      await this.send(client, pick(turn++));
      next += interval;
      const wait = next - Date.now();
      // A slow answer does not make the client burst to catch up: the schedule slides instead.
      if (wait > 0) await sleep(wait);
      else next = Date.now();
    }
  }

  /** One request of the given kind from this client, recorded; a submission goes to `to` when given. */
  async send(client: number, op: OpName, to?: SubmitTarget): Promise<Outcome> {
    const n = ++this.sequence;
    let query: string;
    let variables: Record<string, unknown> = {};
    let idempotencyKey: string | undefined;
    let target: SubmitTarget | undefined;
    switch (op) {
      case 'compareQuotes':
        query = COMPARE;
        variables = { input: { ...QUOTE_BASE, faceAmount: CACHED_FACES[n % CACHED_FACES.length] } };
        break;
      case 'compareQuotesFresh':
        // A face amount not asked before: every carrier is really called (this is where faults show).
        query = COMPARE;
        variables = { input: { ...QUOTE_BASE, faceAmount: 100_000 + (++this.fresh % 1_800) * 500 } };
        break;
      case 'submitCase': {
        query = SUBMIT;
        target = to ?? this.options.targets[n % this.options.targets.length];
        idempotencyKey = `chaos-${this.options.runId}-${client}-${n}`;
        variables = { input: submitInput(target, idempotencyKey) };
        break;
      }
      default:
        query = QUERIES[op];
    }
    const outcome = await this.request(client, op, query, variables);
    if (op === 'submitCase') {
      outcome.idempotencyKey = idempotencyKey;
      outcome.target = target;
    }
    this.outcomes.push(outcome);
    return outcome;
  }

  /** The same submission again, same client and idempotency key, as a client retries after no answer or a retryable error. */
  async resubmit(first: Outcome): Promise<Outcome> {
    const outcome = await this.request(first.client, 'submitCase', SUBMIT, { input: submitInput(first.target!, first.idempotencyKey!) });
    outcome.idempotencyKey = first.idempotencyKey;
    outcome.target = first.target;
    this.retries.push(outcome);
    return outcome;
  }

  async request(client: number, op: OpName, query: string, variables: Record<string, unknown>): Promise<Outcome> {
    const start = Date.now();
    const outcome: Outcome = {
      op,
      client,
      start,
      end: 0,
      status: 0,
      timedOut: false,
      codes: [],
      errors: [],
      hasData: false,
      failed: true,
      stackInBody: false,
    };
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.tokens[client]}`, 'x-debug-stats': '1' },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.options.clientTimeoutMs),
      });
      outcome.status = response.status;
      const text = await response.text();
      outcome.stackInBody = /stacktrace|\n\s+at .+\(.+:\d+:\d+\)/.test(text);
      const body = JSON.parse(text) as {
        data?: Record<string, any> | null;
        errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; serviceName?: string } }[];
        extensions?: { stats?: Outcome['stats'] };
      };
      outcome.errors = (body.errors ?? []).map((e) => ({
        message: e.message,
        code: e.extensions?.code,
        path: e.path,
        serviceName: e.extensions?.serviceName,
      }));
      outcome.codes = outcome.errors.map((e) => e.code ?? 'NO_CODE');
      outcome.hasData = body.data !== null && body.data !== undefined && Object.values(body.data).some((v) => v !== null);
      outcome.stats = body.extensions?.stats;
      if (body.data?.compareQuotes) {
        outcome.carrierOutcomes = Object.fromEntries(
          (body.data.compareQuotes.outcomes as { carrier: { id: string }; status: string }[]).map((o) => [o.carrier.id, o.status]),
        );
      }
      if (body.data?.submitCase) outcome.caseId = body.data.submitCase.id;
    } catch (error) {
      const e = error as Error;
      outcome.timedOut = e.name === 'TimeoutError';
      outcome.error =
        e.name === 'TimeoutError'
          ? `no answer within ${this.options.clientTimeoutMs} ms`
          : `${e.name}: ${(e as { cause?: Error }).cause?.message ?? e.message}`;
    }
    outcome.end = Date.now();
    outcome.failed = outcome.status !== 200 || outcome.errors.length > 0 || !outcome.hasData;
    return outcome;
  }
}

function pick(turn: number): OpName {
  // A fixed interleaving rather than random draws: every run sends the same mix.
  const total = MIX.reduce((sum, [, w]) => sum + w, 0);
  let slot = (turn * 37) % total;
  for (const [op, weight] of MIX) {
    if (slot < weight) return op;
    slot -= weight;
  }
  return 'carriers';
}

export function submitInput(target: SubmitTarget, idempotencyKey: string) {
  return {
    idempotencyKey,
    agentId: target.agentId,
    carrierId: target.carrierId,
    productId: target.productId,
    insured: {
      firstName: 'Chaos',
      lastName: 'Example',
      birthDate: QUOTE_BASE.birthDate,
      gender: QUOTE_BASE.gender,
      state: target.state,
      tobacco: false,
    },
    faceAmount: 500_000,
    termYears: 20,
    healthClass: 'PREFERRED',
    paymentMode: 'MONTHLY',
  };
}

export const COMPARE_QUERY = COMPARE;

/** Outcomes whose [start, end] overlaps [from, to]. */
export const overlapping = (outcomes: readonly Outcome[], from: number, to: number) =>
  outcomes.filter((o) => o.start <= to && o.end >= from);
