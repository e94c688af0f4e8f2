/**
 * bench:gateway's answer check (bench/gateway/answers.ts) against real HTTP servers standing in for
 * gateways: the one answering as the reference passes; one with other data, one with an error, one
 * with a non-JSON 502 are named in `wrong` (the bench then does not measure them), one problem line
 * per operation each.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAnswers } from '../../bench/gateway/answers';
import type { Operation } from '../../bench/gateway/workloads';

type Answer = (query: string, variables: Record<string, unknown>) => { status: number; body: string };

const servers: Server[] = [];
const requests = new Map<string, number>();

async function gateway(key: string, answer: Answer) {
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      requests.set(key, (requests.get(key) ?? 0) + 1);
      const { query, variables } = JSON.parse(text);
      const { status, body } = answer(query, variables);
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { key, label: key, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const OPERATIONS: Operation[] = [
  { name: 'One', query: '{ one }', variables: { id: 1 } },
  { name: 'Two', query: '{ two }', variables: { id: 2 } },
];
const data = (variables: Record<string, unknown>) => JSON.stringify({ data: { id: variables.id, name: 'same' } });

it('names every gateway whose answers differ from the reference, and passes the one that answers alike', async () => {
  const gateways = [
    await gateway('stock', (_q, v) => ({ status: 200, body: data(v) })),
    await gateway('alike', (_q, v) => ({ status: 200, body: data(v) })),
    await gateway('other-data', (_q, v) => ({
      status: 200,
      body: v.id === 2 ? JSON.stringify({ data: { id: 2, name: 'other' } }) : data(v),
    })),
    await gateway('errors', () => ({
      status: 200,
      body: JSON.stringify({ data: null, errors: [{ message: 'Cannot return null for non-nullable field Query.agents.' }] }),
    })),
    await gateway('bad-gateway', () => ({ status: 502, body: 'upstream down' })),
  ];
  const { problems, wrong, bytes } = await checkAnswers(gateways, OPERATIONS, { authorization: 'Bearer t' });

  expect([...wrong].sort()).toEqual(['bad-gateway', 'errors', 'other-data']);
  expect(problems).toHaveLength(5); // other-data once, errors twice, bad-gateway twice
  expect(problems.filter((p) => p.startsWith('other-data, Two'))).toEqual([`other-data, Two {"id":2}: data differs from stock's`]);
  expect(problems.some((p) => p.startsWith('errors, One') && p.includes('Cannot return null'))).toBe(true);
  expect(problems.some((p) => p.startsWith('bad-gateway, One') && p.includes('HTTP 502') && p.includes('upstream down'))).toBe(true);
  // Each gateway asked each operation once; sizes are the reference's answers.
  for (const g of gateways) expect(requests.get(g.key)).toBe(OPERATIONS.length);
  expect(bytes).toEqual(OPERATIONS.map((op) => data(op.variables).length));
});
