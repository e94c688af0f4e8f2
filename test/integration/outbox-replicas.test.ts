/**
 * Two replicas of the cases subgraph's outbox worker on one database never send an application
 * twice: rows are claimed with FOR UPDATE SKIP LOCKED inside one leasing UPDATE. (Runs on PGlite
 * and, in CI, on PostgreSQL, where the locking is real.)
 */
import type pg from 'pg';
import { OutboxWorker } from '../../subgraphs/cases/outbox.worker';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { createCache } from '../../platform/cache';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { AgentsGraphqlAdapter } from '../../subgraphs/cases/ports/graphql/agents.adapter';
import { CarriersGraphqlAdapter } from '../../subgraphs/cases/ports/graphql/carriers.adapter';
import { SubgraphClient } from '../../subgraphs/shared/subgraph-client';
import { graphql } from '../support/graphql';
import { startStack, type Stack } from '../support/stack';
import { testPool } from '../support/test-pool';

let stack: Stack;
let pool: pg.Pool;

beforeAll(async () => {
  // The stack's own worker is off: the two replicas below are the only senders.
  stack = await startStack({ env: { OUTBOX_POLL_MS: '0' } });
  pool = testPool(6);
});

afterAll(async () => {
  await stack?.stop();
  await pool?.end();
});

it('sends each application exactly once with two workers racing', async () => {
  const acord = CARRIERS.filter((c) => c.protocol === 'ACORD').map((c) => c.id);
  const targets = (
    await pool.query(
      `SELECT DISTINCT ON (a.id) a.id AS "agentId", p.carrier_id AS "carrierId", p.state, pr.id AS "productId"
         FROM agents.agent a
         JOIN agents.appointment p ON p.agent_id = a.id AND p.status = 'ACTIVE' AND p.carrier_id = ANY($1)
         JOIN agents.license l ON l.agent_id = a.id AND l.state = p.state AND l.resident = (l.state = a.resident_state)
              AND 'LIFE' = ANY(l.lines_of_authority) AND l.expires_on >= current_date AND l.effective_on <= current_date AND NOT l.revoked
         JOIN carriers.product pr ON pr.carrier_id = p.carrier_id AND pr.type = 'TERM' AND p.state = ANY(pr.available_states)
              AND pr.min_face_amount <= 250000 AND 'STANDARD' = ANY(pr.health_classes)
        WHERE a.status = 'ACTIVE' AND a.eo_expires_on >= current_date
        ORDER BY a.id LIMIT 6`,
      [acord],
    )
  ).rows;
  expect(targets.length).toBeGreaterThanOrEqual(3);
  const token = await stack.token('STAFF');
  const ids: string[] = [];
  for (const [i, t] of targets.entries()) {
    const response = await graphql(
      stack.url,
      `mutation($input: SubmitCaseInput!) { submitCase(input: $input) { id } }`,
      {
        input: {
          idempotencyKey: `replica-${Date.now()}-${i}`,
          agentId: t.agentId,
          carrierId: t.carrierId,
          productId: t.productId,
          faceAmount: 250_000,
          termYears: 20,
          healthClass: 'STANDARD',
          insured: { firstName: 'Lee', lastName: 'Example', birthDate: '1979-09-09', gender: 'MALE', state: t.state, tobacco: false },
        },
      },
      { token },
    );
    expect(response.errors).toBeUndefined();
    ids.push(response.data!.submitCase.id);
  }
  // One row as queued before submissions recorded the agent: the outbox asks the agents subgraph for it.
  const legacy = ids[0];
  await pool.query(`UPDATE cases.outbox SET agent_npn = NULL, writing_number = NULL WHERE case_id = $1`, [legacy]);
  const logger = createLogger('test', 'silent');
  const cache = createCache({});
  // Every call the replicas make to another subgraph, by subgraph.
  const calls = { agents: 0, carriers: 0 };
  const client = (target: 'agents' | 'carriers') =>
    new (class extends SubgraphClient {
      override request<T>(query: string, variables: Record<string, unknown>, requestId?: string): Promise<T> {
        calls[target]++;
        return super.request<T>(query, variables, requestId);
      }
    })({ service: 'cases', target, url: stack.subgraphs[target].url, identitySecret: DEV_IDENTITY_SECRET });
  const replicas = [0, 1].map(
    () =>
      new OutboxWorker({
        pool,
        cache,
        logger,
        agents: new AgentsGraphqlAdapter(client('agents')),
        carriers: new CarriersGraphqlAdapter(client('carriers')),
        pollMs: 60_000,
        batchSize: 2,
      }),
  );
  for (let round = 0; round < 10; round++) {
    const handled = await Promise.all(replicas.map((r) => r.runOnce()));
    if (handled.every((n) => n === 0)) break;
  }
  const rows = (
    await pool.query(`SELECT case_id, attempts, sent_at IS NOT NULL AS sent, agent_npn FROM cases.outbox WHERE case_id = ANY($1)`, [ids])
  ).rows;
  expect(rows).toHaveLength(ids.length);
  expect(rows.every((r) => r.sent && r.attempts === 1 && (r.agent_npn || r.case_id === legacy))).toBe(true);
  // One call per application, to the carriers subgraph: the submission recorded the agent, and no
  // appointment was asked for (every agent here is appointed), so the agents subgraph is asked only
  // for the legacy row's agent.
  expect(calls).toEqual({ agents: 1, carriers: ids.length });
  // At the carriers: one application per case, whoever sent it.
  const applications = CARRIERS.flatMap((c) => stack.simulators.control.applications(c.code)).filter((a) =>
    ids.some((id) => a.reference === `bga-${id}`),
  );
  expect(applications).toHaveLength(ids.length);
  const received = CARRIERS.reduce((n, c) => n + stack.simulators.control.counts(c.code).submit, 0);
  expect(received).toBe(ids.length);
});
