import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayContext } from './gateway.context';

/**
 * Prometheus metrics of one gateway process (prom-client), served at /metrics: requests and their
 * latency per operation, subgraph fetch latency and failures per subgraph, plus the process
 * defaults (memory, event-loop lag, handles). Operation names come from clients: they are labels,
 * so an unnamed operation is "anonymous" and names are cut to a sane length.
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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'bga_gateway_' });
  }

  plugin(): ApolloServerPlugin<GatewayContext> {
    return {
      requestDidStart: async () => {
        const started = performance.now();
        return {
          willSendResponse: async ({ operationName, errors }) => {
            const operation = (operationName ?? 'anonymous').slice(0, 64);
            const outcome = errors?.length ? String(errors[0].extensions?.code ?? 'INTERNAL_SERVER_ERROR') : 'ok';
            this.requests.inc({ operation, outcome });
            this.latency.observe({ operation }, (performance.now() - started) / 1000);
          },
        };
      },
    };
  }
}
