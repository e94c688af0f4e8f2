/** Without an OTLP endpoint tracing is off and free: no SDK started, no span recorded, no log field added. */
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { createLogger } from '../logger';
import { otlpEndpoint, startTracing, tracingEnabled, traceFields, withSpan } from '../tracing';

it('starts nothing without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
  expect(startTracing('test', {})).toBeUndefined();
  expect(tracingEnabled()).toBe(false);
  // The global API is the no-op one: nothing registered a provider.
  expect(trace.getTracer('x').startSpan('y').isRecording()).toBe(false);
  let given: unknown = 'unset';
  expect(await withSpan('off', {}, async (span) => ((given = span), 42))).toBe(42);
  expect(given).toBeUndefined();
  expect(traceFields()).toEqual({});
  const lines: string[] = [];
  createLogger('test', 'info', new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) })).info('plain');
  expect(Object.keys(JSON.parse(lines[0]))).not.toContain('trace_id');
});

it('reads the endpoint as the OTLP exporters do', () => {
  expect(otlpEndpoint({})).toBeUndefined();
  expect(otlpEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe('http://collector:4318/v1/traces');
  expect(otlpEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/t' })).toBe(
    'http://b:4318/t',
  );
});
