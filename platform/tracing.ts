/**
 * OpenTelemetry tracing, on when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
 * is set, and then only: each process's main calls startTracing(service) first thing. Off, no SDK
 * module is even loaded, and our spans (withSpan) and the log mixin cost one boolean test.
 *
 * On, the official SDK (@opentelemetry/sdk-trace, with @opentelemetry/context-async-hooks'
 * AsyncLocalStorage context and W3C `traceparent` and `baggage` propagation) exports in batches over OTLP/HTTP (JSON), and these
 * instrumentations record the spans nobody writes by hand:
 *
 * - @opentelemetry/instrumentation-undici: every outgoing HTTP request (the gateway's undici pool to
 *   its subgraphs, every `fetch` to carriers, vendors, the e-signature provider, PDB and the other
 *   subgraphs), each a client span whose `traceparent` header carries the trace on;
 * - @opentelemetry/instrumentation-pg and -ioredis: SQL on PostgreSQL and Redis commands.
 *
 * @apollo/gateway writes its own spans (gateway.request, gateway.validate, gateway.plan,
 * gateway.execute, gateway.fetch per subgraph, gateway.postprocessing) through the global API, and ours
 * add a server span per request to our HTTP server (platform/http.ts: serverSpan, continuing the
 * caller's `traceparent`; instrumentation-http is not used, as it patches node:http through a require
 * hook that tests' module loader bypasses, and would double these), the front, the caches, SQL on either driver (subgraphs/shared/db.ts) and each
 * carrier's part of a comparison. Attributes never hold personal data: no variables, no SQL parameters.
 */
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Attributes, context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** One started tracing pipeline: flush it in tests, shut it down (flushing) when the process stops. */
export interface Tracing {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let enabled = false;
const tracer = trace.getTracer('bga-graph');

/** Whether tracing was started in this process. */
export const tracingEnabled = () => enabled;

/** The OTLP endpoint tracing exports to, if any: tracing is on exactly when one is set. */
export function otlpEndpoint(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  // The general endpoint is a base URL: traces go to its /v1/traces (the OTLP/HTTP convention).
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/**
 * Starts the SDK for this process when an OTLP endpoint is configured (see otlpEndpoint), else does
 * nothing and returns undefined. Call it before the servers start, once per process (a second call
 * returns the first one's pipeline). The SDK reads the standard OTEL_* variables itself
 * (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_*, OTEL_RESOURCE_ATTRIBUTES...).
 */
export function startTracing(
  service: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  /** Tests only: the exporter to use instead of an OTLPTraceExporter of this module's loading. */
  exporterOf?: (url: string) => SpanExporter,
): Tracing | undefined {
  const url = otlpEndpoint(env);
  if (!url) return undefined;
  if (started) return started;
  // Loaded here only: a process without an endpoint never loads the SDK.
  const { TracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { AsyncLocalStorageContextManager } =
    require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } =
    require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { UndiciInstrumentation } =
    require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } =
    require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');

  // The context of the running span follows async calls; W3C traceparent (and baggage) in and out.
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || service }),
    spanProcessors: [new BatchSpanProcessor({ exporter: exporterOf?.(url) ?? new OTLPTraceExporter({ url }) })],
  });
  trace.setGlobalTracerProvider(provider);
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new UndiciInstrumentation(),
      // Statements without their parameters (never recorded by default), and only inside a request's trace.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  enabled = true;
  started = {
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      enabled = false;
      started = undefined;
    },
  };
  return started;
}
let started: Tracing | undefined;

/** Flushes and stops this process's tracing, if started (a stopping process's last spans are sent). */
export async function stopTracing(): Promise<void> {
  await started?.shutdown().catch(() => undefined);
}

/**
 * `fn` inside a span of our own, its child spans and log lines under it; an error thrown is recorded
 * on the span and thrown on. Off, just `fn()`.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!enabled) return fn(undefined);
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * One incoming HTTP request as a server span, continuing the caller's trace (W3C `traceparent`),
 * named by method and path (never the query string). Off, just `fn()`.
 */
export function serverSpan(req: IncomingMessage, res: ServerResponse, fn: () => Promise<void>): Promise<void> {
  if (!enabled) return fn();
  const path = (req.url ?? '/').split('?', 1)[0];
  // Health checks and scrapes would be most of the spans: not traced.
  if (path === '/health' || path === '/ready' || path === '/metrics') return fn();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const attributes = { 'http.request.method': req.method ?? 'GET', 'url.path': path };
  return tracer.startActiveSpan(`${req.method} ${path}`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      await fn();
    } finally {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  });
}

/** Adds attributes to the span the caller runs in (a cache's hit or miss, a front's outcome). */
export function annotate(attributes: Attributes): void {
  if (!enabled) return;
  trace.getActiveSpan()?.setAttributes(attributes);
}

/**
 * pino's mixin: the trace and span ids of the span a log line is written in (OpenTelemetry's log
 * field names). A new object each time: pino merges the line's own fields into it.
 */
export function traceFields(): Record<string, string> {
  if (!enabled) return {};
  const context = trace.getActiveSpan()?.spanContext();
  if (!context) return {};
  return { trace_id: context.traceId, span_id: context.spanId, trace_flags: `0${context.traceFlags.toString(16)}` };
}
