/**
 * The gateway's entity cache, through real HTTP: carriers and products fetched by reference are kept
 * once the carriers subgraph hints them public, so a repeated case list asks that subgraph nothing
 * and a longer one asks only for the entities not seen yet; nothing else is kept. Counted with the
 * subgraphs' stats (x-debug-stats) and the gateway's entity lookups in /metrics. Background work is
 * off, so that nothing but these requests looks entities up.
 */
import { signIdentity } from '../../platform/identity';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let staff: string;

beforeAll(async () => {
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0', SYNC_INTERVAL_MS: '0', CATALOG_REFRESH_MS: '0' } });
  staff = await stack.token('STAFF');
});
afterAll(() => stack?.stop());

async function lookups(): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(new URL('/metrics', stack.url))).text();
  const count = (result: string) =>
    Number(new RegExp(`bga_gateway_cache_lookups_total\\{cache="entity",result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

/** A selection of its own (the cache keys on it), so no other test's entities are found. */
const LIST = `query EntityList($first: Int!) { cases(first: $first) { edges { node { id carrier { id naicCode } product { id code } } } } }`;
type Listed = { id: string; carrier: { id: string; naicCode: string }; product: { id: string; code: string } };

async function list(first: number) {
  const before = await lookups();
  const response = await graphql(stack.url, LIST, { first }, { token: staff });
  expect(response.errors).toBeUndefined();
  const after = await lookups();
  const nodes = response.data!.cases.edges.map((e: { node: Listed }) => e.node) as Listed[];
  return { response, nodes, hits: after.hit - before.hit, misses: after.miss - before.miss };
}

describe('entity cache', () => {
  it('keeps carriers and products fetched by reference: the same list again asks the carriers subgraph nothing, with the same data', async () => {
    const first = await list(10);
    // One representation per case for its carrier and one for its product, none kept yet.
    expect(first).toMatchObject({ hits: 0, misses: 20 });
    expect(first.response.extensions!.stats.carriers.fetches).toBe(1);

    const again = await list(10);
    expect(again).toMatchObject({ hits: 20, misses: 0 });
    expect(again.response.extensions!.stats.carriers).toBeUndefined(); // not asked at all
    expect(again.response.data).toEqual(first.response.data);
  });

  it('asks only for the entities it does not keep, and answers them in order', async () => {
    const seen = await list(10);
    const carriers = new Set(seen.nodes.map((n) => n.carrier.id));
    const products = new Set(seen.nodes.map((n) => n.product.id));
    const longer = await list(40);
    const expectedHits =
      longer.nodes.filter((n) => carriers.has(n.carrier.id)).length + longer.nodes.filter((n) => products.has(n.product.id)).length;
    expect(longer.hits).toBe(expectedHits);
    expect(longer.misses).toBe(80 - expectedHits);
    expect(longer.misses).toBeGreaterThan(0); // 40 cases name carriers or products the first 10 did not
    expect(longer.response.extensions!.stats.carriers.fetches).toBe(1);
    // Kept and fetched entities are merged back in the cases' order: each case has its own carrier and product.
    const fresh = await graphql(stack.url, LIST.replace('naicCode', 'naicCode name'), { first: 40 }, { token: staff });
    const reference = fresh.data!.cases.edges.map((e: { node: Listed }) => e.node);
    longer.nodes.forEach((node, i) => {
      expect(node.carrier).toEqual({ id: reference[i].carrier.id, naicCode: reference[i].carrier.naicCode });
      expect(node.product).toEqual(reference[i].product);
    });
  });

  it("keeps nothing the subgraph does not hint public: a case's live carrier status is fetched every time", async () => {
    const query = `{ cases(first: 3) { edges { node { id carrierStatus { status } } } } }`;
    await graphql(stack.url, query, {}, { token: staff });
    const again = await graphql(stack.url, query, {}, { token: staff });
    expect(again.errors).toBeUndefined();
    expect(again.extensions!.stats.carriers.fetches).toBe(1);
  });

  it('is hinted by the carriers subgraph: _entities of carriers and products are public for five minutes; a field without a hint makes them uncacheable', async () => {
    const ask = async (representations: unknown[], selection: string) => {
      const response = await fetch(stack.subgraphs.carriers.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signIdentity({ sub: 'user:test', role: 'STAFF' }, DEV_IDENTITY_SECRET) },
        body: JSON.stringify({
          query: `query($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`,
          variables: { representations },
        }),
      });
      expect(response.status).toBe(200);
      return response.headers.get('cache-control');
    };
    const [someCase] = (await list(1)).nodes;
    const catalog = await ask(
      [
        { __typename: 'Carrier', id: someCase.carrier.id },
        { __typename: 'Product', id: someCase.product.id },
      ],
      '... on Carrier { id name } ... on Product { id code }',
    );
    expect(catalog).toBe('max-age=300, public');
    // An entity field without a hint of its own makes the fetch uncacheable, like any other field.
    expect(await ask([{ __typename: 'Carrier', id: someCase.carrier.id }], '... on Carrier { id health { circuit } }')).toBe('no-store');
  });
});
