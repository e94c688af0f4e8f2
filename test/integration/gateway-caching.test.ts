/**
 * Caching at the edge, through real HTTP: automatic persisted queries and the response cache (in
 * the shared cache: Redis when REDIS_URL is set, else the gateway's memory), driven by the
 * subgraphs' cache hints; request ids; the cache and carrier-outcome metrics.
 */
import { createHash, randomUUID } from 'node:crypto';
import { startStack, type Stack } from '../support/stack';
import { codes, graphql } from '../support/graphql';

let stack: Stack;
let staff: string;
// Operation names unique to this run: a Redis shared with earlier runs holds their entries.
const RUN = randomUUID().slice(0, 8);

beforeAll(async () => {
  stack = await startStack();
  staff = await stack.token('STAFF');
});
afterAll(() => stack?.stop());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}`, 'x-debug-stats': '1', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { data?: any; errors?: any[]; extensions?: any },
  };
}

async function metric(url: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const match = pattern.exec(text);
  return match ? Number(match[1]) : 0;
}

describe('automatic persisted queries', () => {
  const query = `query Apq_${RUN} { carriers { id } }`;
  const persisted = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };

  it('asks for the query once, then serves the hash alone, by POST and by GET', async () => {
    const unknown = await post({ extensions: persisted });
    expect(unknown.body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const registered = await post({ query, extensions: persisted });
    expect(registered.body.errors).toBeUndefined();
    expect(registered.body.data.carriers.length).toBeGreaterThanOrEqual(12);

    const byHash = await post({ extensions: persisted });
    expect(byHash.body.data).toEqual(registered.body.data);

    const url = new URL(stack.url);
    url.searchParams.set('extensions', JSON.stringify(persisted));
    const get = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: unknown }).data).toEqual(registered.body.data);
    expect(await metric(stack.url, /bga_gateway_cache_lookups_total\{cache="apq",result="hit"\} (\d+)/)).toBeGreaterThanOrEqual(2);
  });

  it('refuses a query whose hash does not match', async () => {
    const wrong = await post({ query: `query ApqWrong_${RUN} { carriers { id } }`, extensions: persisted });
    expect(wrong.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('response cache', () => {
  const catalog = `query Catalog_${RUN} { carriers { id name amBestRating products { id name type terms { years } } } }`;

  it('answers a repeated catalog query without asking the carriers subgraph', async () => {
    const first = await post({ query: catalog });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.extensions.stats.carriers.fetches).toBe(1);
    expect(first.headers.get('cache-control')).toBe('max-age=300, public');

    const second = await post({ query: catalog });
    expect(second.body.data).toEqual(first.body.data);
    expect(second.body.extensions.stats.carriers).toBeUndefined(); // no subgraph was asked
    expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(await metric(stack.url, /bga_gateway_cache_lookups_total\{cache="response",result="hit"\} (\d+)/)).toBeGreaterThanOrEqual(1);
  });

  it('keeps roles apart: an anonymous caller does not get the staff entry', async () => {
    const query = `query CatalogRoles_${RUN} { carriers { id } }`;
    await post({ query });
    const anonymous = await post({ query }, { authorization: '' });
    expect(anonymous.body.extensions.stats.carriers.fetches).toBe(1);
  });

  it('never stores a response with an uncacheable field: carrier health, cases, metrics', async () => {
    for (const query of [
      `query Health_${RUN} { carriers { id health { circuit } } }`,
      `query Cases_${RUN} { cases(first: 2) { edges { node { id carrier { name } } } } }`,
      `query Metrics_${RUN} { caseMetrics { totals { submitted } } }`,
    ]) {
      const first = await post({ query });
      expect(first.body.errors).toBeUndefined();
      expect(first.headers.get('cache-control')).toBe('no-store');
      const second = await post({ query });
      expect(Object.values(second.body.extensions.stats).reduce((n: number, s: any) => n + s.fetches, 0)).toBeGreaterThan(0);
    }
  });

  it('does not cache errors', async () => {
    const query = `query Bad_${RUN}($id: ID!) { carrier(id: $id) { id } }`;
    const first = await post({ query, variables: { id: 'nope' } });
    expect(codes({ status: first.status, ...first.body })).toEqual(['BAD_USER_INPUT']);
    const second = await post({ query, variables: { id: 'nope' } });
    expect(second.body.extensions.stats.carriers.fetches).toBe(1);
  });
});

describe('the front: in-process response cache and request coalescing', () => {
  const plain = (body: unknown, headers: Record<string, string> = {}) => post(body, { 'x-debug-stats': '0', ...headers });
  const front = (outcome: string) => metric(stack.url, new RegExp(`bga_gateway_front_answers_total\\{outcome="${outcome}"\\} (\\d+)`));

  it("answers a repeated cacheable query before Apollo runs, with its own request id and the entry's age", async () => {
    const query = `query Front_${RUN} { carriers { id name } }`;
    const first = await plain({ query });
    const before = await front('hit');
    const second = await plain({ query }, { 'x-request-id': `front-${RUN}-2` });
    expect(second.body).toEqual(first.body);
    expect(await front('hit')).toBe(before + 1);
    expect(second.headers.get('x-request-id')).toBe(`front-${RUN}-2`);
    expect(second.headers.get('cache-control')).toBe('max-age=300, public');
    expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(0);
    // Another caller (here: anonymous) has its own entry; a CSRF-unsafe GET is still refused.
    const anonymous = await plain({ query }, { authorization: '' });
    expect(anonymous.body.data).toEqual(first.body.data);
    expect(await front('hit')).toBe(before + 1);
    const url = new URL(stack.url);
    url.searchParams.set('query', query);
    expect((await fetch(url, { headers: { authorization: `Bearer ${staff}` } })).status).toBe(400);
  });

  it('shares one execution among identical queries in flight, never among mutations', async () => {
    const query = `query Coalesce_${RUN} { cases(first: 20) { edges { node { id status agent { id } carrier { name } } } } }`;
    await plain({ query }); // once, so the front knows it is a query
    const before = await front('coalesced');
    const answers = await Promise.all(Array.from({ length: 12 }, () => plain({ query })));
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    expect(answers[0].body.errors).toBeUndefined();
    expect(await front('coalesced')).toBeGreaterThan(before);

    const [{ id }] = answers[0].body.data.cases.edges.map((e: { node: { id: string } }) => e.node);
    const note = { query: 'mutation($id: ID!) { addCaseNote(caseId: $id, note: "same words") { type } }', variables: { id } };
    await plain(note);
    const beforeNotes = await front('coalesced');
    await Promise.all(Array.from({ length: 5 }, () => plain(note)));
    expect(await front('coalesced')).toBe(beforeNotes);
    const events = await post({ query: 'query($id: ID!) { case(id: $id) { events { type note } } }', variables: { id } });
    expect(events.body.data.case.events.filter((e: { note: string }) => e.note === 'same words').length).toBeGreaterThanOrEqual(6);
  });
});

describe('request ids and metrics', () => {
  it('passes a sane x-request-id through and answers it; replaces a hostile one', async () => {
    const id = `lb-${RUN}-0001`;
    const kept = await post({ query: '{ carriers { id } }' }, { 'x-request-id': id });
    expect(kept.headers.get('x-request-id')).toBe(id);
    const replaced = await post({ query: '{ carriers { id } }' }, { 'x-request-id': 'bad id with spaces and <html>' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts carrier outcomes by status at the carriers subgraph', async () => {
    const before = await metric(stack.subgraphs.carriers.url, /bga_carrier_outcomes_total\{carrier="[^"]+",status="OK"\} (\d+)/);
    const response = await graphql(
      stack.url,
      `query($input: QuoteInput!) { compareQuotes(input: $input) { outcomes { status } } }`,
      {
        input: {
          birthDate: '1985-06-15',
          gender: 'FEMALE',
          state: 'TX',
          tobacco: false,
          healthClass: 'PREFERRED',
          faceAmount: 500000,
          productType: 'TERM',
          termYears: 20,
        },
      },
      { token: staff },
    );
    expect(response.errors).toBeUndefined();
    const text = await (await fetch(new URL('/metrics', stack.subgraphs.carriers.url))).text();
    expect(text).toMatch(/bga_carrier_outcomes_total\{carrier="[^"]+",status="OK"\} \d+/);
    expect(before).toBeGreaterThanOrEqual(0);
    const total = [...text.matchAll(/bga_carrier_outcomes_total\{carrier="[^"]+",status="[A-Z_]+"\} (\d+)/g)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    expect(total).toBeGreaterThanOrEqual(12);
  });
});
