/**
 * Tracing end to end, through real HTTP: with an OTLP endpoint set, one compareQuotes request is one
 * trace, exported over OTLP/HTTP (JSON) to an in-process receiver — the gateway's spans, the
 * carriers subgraph's server span continuing the gateway's `traceparent`, one span per carrier
 * under them, and the carriers' HTTP calls under those.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../platform/logger';
import { startTracing, type Tracing, withSpan } from '../../platform/tracing';
import type { Stack } from '../support/stack';
import { until } from '../support/wait';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: { stringValue?: string; intValue?: number | string; boolValue?: boolean } }[];
}

const SERVER = 2;
const CLIENT = 3;
const spans: OtlpSpan[] = [];
let receiver: Server;
let requests = 0;
let tracing: Tracing | undefined;
let stack: Stack;

/** An OTLP/HTTP receiver, JSON encoding: what a collector's otlp receiver accepts on /v1/traces. */
async function startReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests++;
      expect(req.url).toBe('/v1/traces');
      expect(req.headers['content-type']).toContain('application/json');
      const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const endpoint = await startReceiver();
  // The OTLP exporter as production builds it (tracing.ts), with one change: its HTTP transport loads
  // node:http with a dynamic import(), which jest's module loader cannot run (it needs
  // --experimental-vm-modules), so the test hands it node:http's agent and request itself.
  tracing = startTracing('bga-graph-test', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, (url) => {
    const exporter = new OTLPTraceExporter({ url });
    // OTLPExporterBase → OTLPExportDelegate → RetryingTransport → HttpExporterTransport.
    const transport = (exporter as unknown as { _delegate: { _transport: { _transport: { _utils: unknown } } } })._delegate._transport
      ._transport;
    expect(transport._utils).toBeNull();
    transport._utils = { agent: new Agent({ keepAlive: true }), request };
    return exporter;
  });
  // Loaded once tracing is on, as the gateway's main does: @apollo/gateway takes its tracer when it loads.
  const { startStack } = require('../support/stack') as typeof import('../support/stack');
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  await tracing?.shutdown();
  await new Promise((resolve) => receiver?.close(resolve));
});

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue ?? value?.boolValue;
};

/** The span's ancestors, nearest first (as far as the exported spans reach). */
function ancestors(span: OtlpSpan, byId: Map<string, OtlpSpan>): OtlpSpan[] {
  const chain: OtlpSpan[] = [];
  for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? '')) chain.push(parent);
  return chain;
}

it('exports one compareQuotes trace: a span per carrier under the gateway, across the subgraph hop', async () => {
  const query = readFileSync(join(__dirname, '../../examples/operations/CompareQuotes.graphql'), 'utf8');
  const variables = JSON.parse(readFileSync(join(__dirname, '../../examples/operations/CompareQuotes.json'), 'utf8'));
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token('STAFF')}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: { compareQuotes: { outcomes: { carrier: { name: string } }[] } }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  const carriers = body.data.compareQuotes.outcomes.length;
  expect(carriers).toBeGreaterThanOrEqual(3);

  await tracing!.forceFlush();
  await until('the trace exported', async () => spans.find((span) => span.name === 'gateway.request'), 5_000);
  const request = spans.find((span) => span.name === 'gateway.request')!;
  const trace = spans.filter((span) => span.traceId === request.traceId);
  const byId = new Map(trace.map((span) => [span.spanId, span]));
  const names = new Set(trace.map((span) => span.name));
  for (const name of ['gateway.front', 'gateway.validate', 'gateway.plan', 'gateway.execute', 'gateway.fetch'])
    expect(names).toContain(name);

  // One span per carrier, each under the gateway's request span, through the carriers subgraph's
  // server span whose parent is the gateway's client span (traceparent over HTTP) under gateway.fetch.
  const quotes = trace.filter((span) => span.name === 'carriers.quote');
  expect(quotes).toHaveLength(carriers);
  expect(new Set(quotes.map((span) => attribute(span, 'bga.carrier.id'))).size).toBe(carriers);
  for (const quote of quotes) {
    expect(attribute(quote, 'bga.carrier.outcome')).toBeDefined();
    const chain = ancestors(quote, byId);
    expect(chain).toContainEqual(request);
    const server = chain.find((span) => span.kind === SERVER)!;
    expect(server).toBeDefined();
    const client = byId.get(server.parentSpanId!)!;
    expect(client.kind).toBe(CLIENT);
    expect(byId.get(client.parentSpanId!)?.name).toBe('gateway.fetch');
    expect(attribute(byId.get(client.parentSpanId!)!, 'service')).toBe('carriers');
  }
  // The carriers' own HTTP calls (to the simulated carriers) are client spans under their carrier's span.
  const carrierCalls = trace.filter((span) => span.kind === CLIENT && quotes.some((quote) => quote.spanId === span.parentSpanId));
  expect(carrierCalls.length).toBeGreaterThanOrEqual(1);
  expect(requests).toBeGreaterThanOrEqual(1);
});

it('puts the trace and span ids in every log line written inside a span', async () => {
  const lines: string[] = [];
  const logger = createLogger('test', 'info', new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }));
  let ids: { traceId: string; spanId: string } | undefined;
  await withSpan('test.logging', {}, async (span) => {
    ids = span!.spanContext();
    logger.info({ requestId: 'r-1' }, 'inside');
  });
  logger.info('outside');
  const [inside, outside] = lines.map((line) => JSON.parse(line));
  expect(inside).toMatchObject({ msg: 'inside', requestId: 'r-1', trace_id: ids!.traceId, span_id: ids!.spanId });
  expect(outside.trace_id).toBeUndefined();
});
