import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { EntityBatcher } from '../entity-batching';
import { entitySelections } from '../entity-fetch';

const CARRIERS = 'query Q__carriers__1($representations:[_Any!]!){_entities(representations:$representations){...on Carrier{id name}}}';
const PRODUCTS =
  'query Q__carriers__2($representations:[_Any!]!){_entities(representations:$representations){...on Product{id name type}}}';
const request = (query: string, representations: unknown[]): GatewayGraphQLRequest => ({ query, variables: { representations } });

describe('entity fetch batching', () => {
  it('recognises only plain _entities(representations:) fetches', () => {
    expect(entitySelections(CARRIERS, { representations: [] })).toHaveLength(1);
    expect(entitySelections(CARRIERS, { representations: [], other: 1 })).toBeNull();
    expect(entitySelections('{ carriers { id } }', { representations: [] })).toBeNull();
    expect(entitySelections('query($r:[_Any!]!){ a: _entities(representations:$r){ __typename } }', { representations: [] })).toBeNull();
    expect(entitySelections('not graphql', { representations: [] })).toBeNull();
  });

  it('sends fetches queued in one turn as one fetch and gives each its own slice and errors', async () => {
    const sent: GatewayGraphQLRequest[] = [];
    const batcher = new EntityBatcher(async (merged) => {
      sent.push(merged);
      return {
        data: { _entities: [{ id: 'car_1' }, { id: 'car_2' }, { id: 'prd_1' }] },
        errors: [
          { message: 'bad product', path: ['_entities', 2, 'name'] },
          { message: 'bad carrier', path: ['_entities', 1] },
          { message: 'everyone' },
        ],
      } as GatewayGraphQLResponse;
    });
    const [carriers, products] = await Promise.all([
      batcher.enqueue(
        request(CARRIERS, [
          { __typename: 'Carrier', id: 'car_1' },
          { __typename: 'Carrier', id: 'car_2' },
        ]),
        entitySelections(CARRIERS, { representations: [] })!,
      ),
      batcher.enqueue(request(PRODUCTS, [{ __typename: 'Product', id: 'prd_1' }]), entitySelections(PRODUCTS, { representations: [] })!),
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0].variables!.representations).toHaveLength(3);
    expect(sent[0].query).toContain('... on Carrier');
    expect(sent[0].query).toContain('... on Product');
    expect(carriers.data).toEqual({ _entities: [{ id: 'car_1' }, { id: 'car_2' }] });
    expect(products.data).toEqual({ _entities: [{ id: 'prd_1' }] });
    expect(carriers.errors!.map((e) => [e.message, e.path])).toEqual([
      ['bad carrier', ['_entities', 1]],
      ['everyone', undefined],
    ]);
    expect(products.errors!.map((e) => [e.message, e.path])).toEqual([
      ['bad product', ['_entities', 0, 'name']],
      ['everyone', undefined],
    ]);
  });

  it('passes a lone fetch through unchanged and fails every fetch of a failed batch', async () => {
    const sent: GatewayGraphQLRequest[] = [];
    const alone = new EntityBatcher(async (r) => (sent.push(r), { data: { _entities: [] } }));
    const only = request(CARRIERS, []);
    await alone.enqueue(only, entitySelections(CARRIERS, { representations: [] })!);
    expect(sent).toEqual([only]);
    const failing = new EntityBatcher(async () => {
      throw new Error('down');
    });
    const results = await Promise.allSettled([
      failing.enqueue(request(CARRIERS, [1]), entitySelections(CARRIERS, { representations: [] })!),
      failing.enqueue(request(PRODUCTS, [2]), entitySelections(PRODUCTS, { representations: [] })!),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
