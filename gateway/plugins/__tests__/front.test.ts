import type { IncomingMessage } from 'node:http';
import type { GraphqlAnswer, GraphqlHttpRequest } from '../../../platform/http';
import type { GatewayContext } from '../../gateway.context';
import { GatewayFront, ownBytes } from '../front';

/** A request of its own (its body names `i`), from one staff caller. */
function request(i: number): GraphqlHttpRequest<GatewayContext> {
  return {
    req: { headers: { 'content-type': 'application/json' } } as unknown as IncomingMessage,
    method: 'POST',
    search: '',
    bodyText: JSON.stringify({ query: 'query P($s: String) { products(filter: { state: $s }) { id } }', variables: { s: `S${i}` } }),
    context: {
      identity: { sub: 'user:ops', role: 'STAFF' } as GatewayContext['identity'],
      requestId: `r${i}`,
      debugStats: false,
      operation: { type: 'query', name: 'P' },
      stats: {},
    },
  };
}

/** A cacheable answer (public, max-age) of about `size` bytes, as Apollo Server's text. */
const answer = (size: number, maxAge = 60): GraphqlAnswer => ({
  status: 200,
  headers: [
    ['content-type', 'application/json; charset=utf-8'],
    ['cache-control', `max-age=${maxAge}, public`],
  ],
  body: JSON.stringify({ data: { products: [{ id: 'x'.repeat(size) }] } }),
});

const MAX_BYTES = 256 * 1024;

describe("the gateway front's kept answers (the response cache's first level)", () => {
  it('stays within its byte bound however many distinct cacheable requests come', async () => {
    const front = new GatewayFront({
      responseCache: true,
      coalesce: true,
      maxEntries: 500,
      maxAnswerBytes: 64 * 1024,
      maxBytes: MAX_BYTES,
    });
    let runs = 0;
    for (let i = 0; i < 2_000; i++) {
      await front.around(request(i), async () => (runs++, answer(1_000)));
      const held = front.held();
      expect(held.bytes).toBeLessThanOrEqual(MAX_BYTES);
      expect(held.entries).toBeLessThanOrEqual(500);
    }
    expect(runs).toBe(2_000);
    // The bound is what binds here (2,000 answers of ~1 KB would be 500 entries by count): ~170 of them.
    expect(front.held().entries).toBeGreaterThan(100);
    expect(front.held().entries).toBeLessThan(MAX_BYTES / 1_000);
    // The latest are kept and answered without running.
    const hit = await front.around(request(1_999), async () => (runs++, answer(1_000)));
    expect(runs).toBe(2_000);
    expect(hit.headers).toContainEqual(['x-request-id', 'r1999']);
  });

  it('keeps each answer in memory of its own, not in a shared 64 KiB pool slab', async () => {
    const front = new GatewayFront({
      responseCache: true,
      coalesce: true,
      maxEntries: 500,
      maxAnswerBytes: 64 * 1024,
      maxBytes: MAX_BYTES,
    });
    for (let i = 0; i < 50; i++) await front.around(request(i), async () => answer(100));
    for (let i = 0; i < 50; i++) {
      const kept = await front.around(request(i), async () => {
        throw new Error('not kept');
      });
      const body = kept.body as Buffer;
      // What the answer really holds: its bytes, not a slab of Buffer.poolSize around them.
      expect(body.buffer.byteLength).toBe(body.length);
    }
    expect(ownBytes('é').buffer.byteLength).toBe(2);
    expect(ownBytes(Buffer.from('abc')).toString()).toBe('abc');
  });

  it('drops expired answers nobody asks for again', async () => {
    const front = new GatewayFront({
      responseCache: true,
      coalesce: true,
      maxEntries: 500,
      maxAnswerBytes: 64 * 1024,
      maxBytes: MAX_BYTES,
    });
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      for (let i = 0; i < 100; i++) await front.around(request(i), async () => answer(100, 5));
      expect(front.held().entries).toBe(100);
      now += 11_000; // past their max-age and the sweep's interval
      await front.around(request(1_000), async () => answer(100, 5));
      expect(front.held().entries).toBe(1);
    } finally {
      clock.mockRestore();
    }
  });
});
