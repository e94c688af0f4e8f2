/**
 * Trusted documents through real HTTP: with TRUSTED_DOCUMENTS=required the gateway runs the
 * manifest's operations (by id alone, or as their text in any spacing) and refuses every other
 * operation with PERSISTED_QUERY_NOT_IN_LIST before any subgraph is asked; APQ cannot register one.
 * Subscriptions too: a manifest subscription runs (the queries the gateway builds for its events are
 * not themselves checked), any other is refused over graphql-ws and graphql-sse alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { readManifest } from '../../gateway/plugins/trusted-documents';
import { buildManifest, printManifest, sha256, TRUSTED_DOCUMENTS_PATH } from '../../scripts/trusted-documents';
import { startStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '../..');
let stack: Stack;
let staff: string;

beforeAll(async () => {
  stack = await startStack({ env: { TRUSTED_DOCUMENTS: 'required' } });
  staff = await stack.token('STAFF');
});
afterAll(() => stack?.stop());

async function post(body: unknown) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

/** Subgraph fetches the gateway has made so far (the fetch histogram's counts, every subgraph). */
async function subgraphFetches(): Promise<number> {
  const text = await (await fetch(new URL('/metrics', stack.url))).text();
  let total = 0;
  for (const match of text.matchAll(/^bga_gateway_subgraph_fetch_duration_seconds_count\{[^}]*\} (\d+)/gm)) total += Number(match[1]);
  return total;
}

const carriersText = readFileSync(join(ROOT, 'examples/operations/Carriers.graphql'), 'utf8');

describe('the manifest', () => {
  it('is the committed one, with an entry per example operation whose id is the SHA-256 of its body', () => {
    const manifest = buildManifest(ROOT);
    expect(readFileSync(join(ROOT, TRUSTED_DOCUMENTS_PATH), 'utf8')).toBe(printManifest(manifest));
    const files = readdirSync(join(ROOT, 'examples/operations')).filter((name) => name.endsWith('.graphql'));
    expect(manifest.operations.map((operation) => `${operation.name}.graphql`)).toEqual(files);
    for (const operation of manifest.operations) expect(operation.id).toBe(sha256(operation.body));
    expect(readManifest(join(ROOT, TRUSTED_DOCUMENTS_PATH)).bodies.size).toBe(manifest.operations.length);
  });
});

describe('TRUSTED_DOCUMENTS=required', () => {
  const carriers = buildManifest(ROOT).operations.find((operation) => operation.name === 'Carriers')!;

  it('runs a manifest operation sent by its id alone, with no registration round trip', async () => {
    const byId = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: carriers.id } } });
    expect(byId.status).toBe(200);
    expect(byId.body.errors).toBeUndefined();
    expect(byId.body.data.carriers.length).toBeGreaterThanOrEqual(12);
  });

  it('runs a manifest operation sent as the file text, or reformatted', async () => {
    const asFile = await post({ query: carriersText });
    expect(asFile.body.errors).toBeUndefined();
    const reformatted = await post({ query: carriers.body.replace(/\s+/g, ' ') });
    expect(reformatted.body.errors).toBeUndefined();
    expect(reformatted.body.data).toEqual(asFile.body.data);
  });

  it('refuses any other operation with PERSISTED_QUERY_NOT_IN_LIST, before a subgraph is asked', async () => {
    const before = await subgraphFetches();
    expect(before).toBeGreaterThan(0); // the listed operations above were fetched
    const other = await post({ query: 'query NotListed { carriers { id } }' });
    expect(other.status).toBe(400);
    expect(other.body.data).toBeUndefined();
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect(other.body.errors?.[0].extensions.stacktrace).toBeUndefined();
    // A listed operation's name on another selection is not the listed operation.
    const renamed = await post({ query: 'query Carriers { carriers { id name } }' });
    expect(renamed.body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect(await subgraphFetches()).toBe(before);
  });

  it('lets APQ register no other operation', async () => {
    const query = 'query ApqNotListed { carriers { name } }';
    const persisted = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const register = await post({ query, extensions: persisted });
    expect(register.body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    const byHash = await post({ extensions: persisted });
    expect(byHash.body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});

describe('TRUSTED_DOCUMENTS=required, subscriptions', () => {
  const example = (name: string) => ({
    query: readFileSync(join(ROOT, `examples/operations/${name}.graphql`), 'utf8'),
    variables: JSON.parse(readFileSync(join(ROOT, `examples/operations/${name}.json`), 'utf8')),
  });
  const unlisted = { query: 'subscription { caseUpdated { id status } }' };

  /** Every result of one subscription, until it completes or fails. */
  function collect(client: { subscribe: (payload: any, sink: any) => unknown }, payload: { query: string; variables?: unknown }) {
    const results: any[] = [];
    return new Promise<{ results: any[]; error?: any }>((resolve) => {
      client.subscribe(payload, {
        next: (value: unknown) => results.push(value),
        error: (error: unknown) => resolve({ results, error }),
        complete: () => resolve({ results }),
      });
    });
  }
  const ws = () =>
    createWsClient({
      url: stack.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${staff}` },
      retryAttempts: 0,
    });
  const sse = () => createSseClient({ url: stack.url, headers: { authorization: `Bearer ${staff}` }, retryAttempts: 0 });

  it('runs a manifest subscription: its per-carrier queries, built by the gateway, are not refused', async () => {
    const client = ws();
    try {
      const { results, error } = await collect(client, example('QuoteComparison'));
      expect(error).toBeUndefined();
      expect(results.every((result) => result.errors === undefined)).toBe(true);
      expect(results.at(-1).data.quoteComparison.done).toBe(true);
      expect(results.length).toBe(results.at(-1).data.quoteComparison.carriersAsked + 1);
    } finally {
      await client.dispose();
    }
  }, 30_000);

  it('refuses any other subscription with PERSISTED_QUERY_NOT_IN_LIST, over graphql-ws and graphql-sse, before a subgraph is asked', async () => {
    const before = await subgraphFetches();
    const overWs = ws();
    try {
      const refused = await collect(overWs, unlisted);
      expect(refused.results).toEqual([]);
      expect((refused.error as { extensions?: { code?: string } }[]).map((error) => error.extensions?.code)).toEqual([
        'PERSISTED_QUERY_NOT_IN_LIST',
      ]);
    } finally {
      await overWs.dispose();
    }
    const overSse = sse();
    try {
      const refused = await collect(overSse, unlisted);
      expect(refused.results).toEqual([]);
      // graphql-sse's client fails with the refused response: 400, the coded errors in its body.
      const response = (refused.error as { response: Response }).response;
      expect(response.status).toBe(400);
      expect((await response.json()).errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual([
        'PERSISTED_QUERY_NOT_IN_LIST',
      ]);
    } finally {
      overSse.dispose();
    }
    expect(await subgraphFetches()).toBe(before);
  }, 30_000);
});
