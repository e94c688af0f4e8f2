/**
 * A gateway's life through real HTTP: production settings (no introspection, no landing page,
 * development secrets refused) and a graceful stop that finishes the requests in flight.
 */
import { readGatewayConfig } from '../../gateway/gateway.config';
import { startGateway } from '../../gateway/gateway';
import { composeSupergraph } from '../../scripts/compose';
import { startStack, type Stack } from '../support/stack';
import { codes, graphql } from '../support/graphql';

let stack: Stack;
let supergraph: string;
beforeAll(async () => {
  stack = await startStack({ simulators: { latencyMs: 400 } });
  supergraph = (await composeSupergraph()).supergraph;
});
afterAll(() => stack?.stop());

const subgraphEnv = () => ({
  AGENTS_URL: stack.subgraphs.agents.url,
  CASES_URL: stack.subgraphs.cases.url,
  CARRIERS_URL: stack.subgraphs.carriers.url,
  LOG_LEVEL: 'silent',
  PORT: '0',
});

describe('production settings', () => {
  it('refuses the development secrets by name', () => {
    expect(() => readGatewayConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET|JWT_JWKS_URL/);
    expect(() => readGatewayConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-enough-length-0123456789' })).toThrow(
      /IDENTITY_SECRET/,
    );
  });

  it('turns introspection and the landing page off', async () => {
    const gateway = await startGateway(
      readGatewayConfig({
        ...subgraphEnv(),
        NODE_ENV: 'production',
        JWT_SECRET: 'a-real-secret-of-enough-length-0123456789',
        IDENTITY_SECRET: 'another-real-secret-0123456789abcdef',
      }),
      undefined,
      supergraph,
    );
    try {
      const introspection = await graphql(gateway.url, '{ __schema { types { name } } }');
      expect(codes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      const landing = await fetch(gateway.url, { headers: { accept: 'text/html' } });
      expect(landing.headers.get('content-type') ?? '').not.toContain('text/html');
    } finally {
      await gateway.stop();
    }
  });
});

describe('graceful stop', () => {
  it('finishes a request in flight, then refuses new connections', async () => {
    const gateway = await startGateway(readGatewayConfig({ ...subgraphEnv(), SHUTDOWN_GRACE_MS: '5000' }), undefined, supergraph);
    const token = await stack.token('STAFF');
    // A comparison waits ~400 ms on the simulated carriers: the stop begins once the gateway holds
    // the request (a fixed sleep raced a loaded machine, where the connection could still be idle
    // when the stop closed idle connections: ECONNRESET instead of a drained answer).
    const received = new Promise((resolve) => gateway.server.once('request', resolve));
    const inFlight = graphql(
      gateway.url,
      `query($input: QuoteInput!) { compareQuotes(input: $input) { outcomes { status } } }`,
      {
        input: {
          birthDate: '1980-03-02',
          gender: 'MALE',
          state: 'OH',
          tobacco: false,
          healthClass: 'STANDARD',
          faceAmount: 250000,
          productType: 'TERM',
          termYears: 20,
        },
      },
      { token },
    );
    await received;
    const stopped = gateway.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data!.compareQuotes.outcomes.length).toBe(12);
    await stopped;
    await expect(fetch(gateway.url, { method: 'POST' })).rejects.toThrow();
  });
});
