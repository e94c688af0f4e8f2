import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Route } from '../../platform/http';
import type { GatewayContext } from '../gateway.context';
import type { GatewayPlugin } from './gateway-plugin';

/** Distinct operation names that get their own label (the application's own operations fit many times over). */
export const MAX_OPERATION_LABELS = 500;

/**
 * Prometheus metrics of one gateway process (prom-client), served at /metrics: requests and their
 * latency per operation, subgraph fetch latency and failures per subgraph, APQ and response-cache
 * lookups (the hit ratio), plus the process defaults (memory, event-loop lag, handles). Each
 * subgraph serves its own /metrics (cache lookups; carrier outcomes by status in carriers). Operation names come from clients: they are labels,
 * so an unnamed operation is "anonymous", names are cut to a sane length, and past
 * MAX_OPERATION_LABELS distinct names a new one counts as "other".
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'bga_gateway_requests_total',
    help: 'GraphQL requests by operation name and outcome (ok, or the first error code).',
    labelNames: ['operation', 'outcome'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'bga_gateway_request_duration_seconds',
    help: 'GraphQL request latency by operation name.',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly subgraphFetches = new Histogram({
    name: 'bga_gateway_subgraph_fetch_duration_seconds',
    help: 'Subgraph fetch latency by subgraph and outcome (ok or error).',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'bga_gateway_cache_lookups_total',
    help: 'Gateway cache lookups by cache (apq: persisted queries, response: whole responses, entity: entities fetched by reference, one per entity) and result (hit or miss).',
    labelNames: ['cache', 'result'],
    registers: [this.registry],
  });

  readonly frontAnswers = new Counter({
    name: 'bga_gateway_front_answers_total',
    help: 'Requests answered before Apollo Server: hit (the in-process response cache) or coalesced (shared an identical query in flight).',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  readonly refusals = new Counter({
    name: 'bga_gateway_http_refusals_total',
    help: 'Requests refused at the HTTP level, before or instead of GraphQL, by status and reason (the error code: UNAUTHENTICATED, RATE_LIMITED, LIMIT_EXCEEDED, BAD_REQUEST, FORBIDDEN, SERVICE_UNAVAILABLE, INTERNAL_SERVER_ERROR).',
    labelNames: ['status', 'reason'],
    registers: [this.registry],
  });

  constructor() {
    // Under their standard names (process_cpu_seconds_total, process_resident_memory_bytes,
    // nodejs_eventloop_lag_seconds, ...): the dashboards and alerts written for Node processes find them.
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Operation names get a label of their own up to MAX_OPERATION_LABELS distinct names, then "other":
   * every label value is a series kept for the life of the process (a few KB each, and as many
   * lines in every scrape), and a client can send a new name with every request.
   */
  private readonly operations = new Set<string>();

  private operationLabel(name: string): string {
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return 'other';
    this.operations.add(name);
    return name;
  }

  /** The series of one operation and outcome, looked up once (prom-client hashes the labels on every call otherwise). */
  private readonly series = new Map<string, { requests: { inc(): void }; latency: { observe(value: number): void } }>();

  /** One GraphQL request answered: by operation name (null: anonymous) and outcome (ok or the first error code). */
  recordRequest(operationName: string | null | undefined, outcome: string, seconds: number): void {
    const operation = this.operationLabel((operationName ?? 'anonymous').slice(0, 64));
    const key = `${operation}\n${outcome}`;
    let series = this.series.get(key);
    if (!series) {
      series = { requests: this.requests.labels({ operation, outcome }), latency: this.latency.labels({ operation }) };
      this.series.set(key, series);
    }
    series.requests.inc();
    series.latency.observe(seconds);
  }

  /** One subgraph fetch sent: its duration and whether it failed (the fetch path's metrics step). */
  readonly observeFetch = (subgraph: string, seconds: number, failed: boolean): void => {
    this.subgraphFetches.observe({ subgraph, outcome: failed ? 'error' : 'ok' }, seconds);
  };

  /** A cache lookup (namespace: apq, response) and whether it found something: the hit ratio. */
  countLookup(namespace: string, hit: boolean): void {
    this.cacheLookups.inc({ cache: namespace, result: hit ? 'hit' : 'miss' });
  }

  plugin(): ApolloServerPlugin<GatewayContext> {
    return {
      requestDidStart: async () => {
        const started = performance.now();
        return {
          willSendResponse: async ({ operationName, errors }) => {
            const outcome = errors?.length ? String(errors[0].extensions?.code ?? 'INTERNAL_SERVER_ERROR') : 'ok';
            this.recordRequest(operationName, outcome, (performance.now() - started) / 1000);
          },
        };
      },
    };
  }
}

/** GET /metrics: the registry in Prometheus text. */
export function metricsRoute(metrics: GatewayMetrics): Route {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
  };
}

/**
 * The metrics plugin: every request Apollo Server answers counted and timed, and the registry served
 * at /metrics beside /graphql, unless it has a port of its own (METRICS_PORT: gateway.ts serves it there).
 */
export function metricsPlugin(metrics: GatewayMetrics, ownPort = false): GatewayPlugin {
  return { apollo: [metrics.plugin()], ...(ownPort ? {} : { routes: { '/metrics': metricsRoute(metrics) } }) };
}
