/**
 * What `npm run bench:gateway` asks: one nested query that crosses the subgraphs several levels deep
 * (agents -> cases -> carriers and back to agents -> carriers), a mix of five such query shapes with
 * variables drawn from the data, and a cacheable public query. Also the subgraph-direct ceiling:
 * the subgraph fetches one gateway request makes (captured once through an in-process
 * @apollo/gateway), replayed straight to the subgraphs, stage after stage, in parallel within a
 * stage: what a gateway that cost nothing would reach over these subgraphs.
 */
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { Pool } from 'undici';
import { percentile } from '../bench-support';
import { measureCpu, type CpuReport, type Watched } from './processes';

export interface Operation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

export const body = (op: Operation) => JSON.stringify({ query: op.query, variables: op.variables });

/**
 * agents -> cases (Agent.cases) -> carriers (Case.carrier, Case.product) and agents (Case.agent)
 * -> agents (Product.carrier's preAppointmentStates): four stages of fetches.
 */
export const AGENT_BOOK = `query AgentBook($first: Int!, $casesFirst: Int!, $filter: AgentFilter) {
  agents(first: $first, filter: $filter) {
    edges { node {
      id npn firstName lastName residentState status
      licenses { state active linesOfAuthority }
      upline { id lastName }
      cases(first: $casesFirst) { edges { node {
        id caseNumber status faceAmount annualPremium submittedAt
        carrier { id name amBestRating }
        product { id name type carrier { id name preAppointmentStates } }
        agent { id lastName upline { id lastName } }
        requirements { code status }
      } } }
    } }
  }
}`;

/** cases -> agents and carriers -> carriers (Appointment.carrier) and agents (Carrier.preAppointmentStates). */
const CASE_DETAIL = `query CaseDetail($id: ID!) {
  case(id: $id) {
    id caseNumber status faceAmount termYears appliedHealthClass paymentMode annualPremium modalPremium submittedAt daysPending allowedNextStatuses
    insured { firstName lastName birthDate gender state tobacco }
    agent { id npn lastName licenses { state active } upline { id lastName } appointments { state status carrier { id name } } }
    carrier { id name naicCode amBestRating products(type: TERM) { id name termYears } }
    product { id name type minFaceAmount maxFaceAmount carrier { id name preAppointmentStates } }
    requirements { id code status orderedAt ageDays }
    events { at type actor }
  }
}`;

/** cases -> carriers, agents and cases (Agent.cases) -> agents (Carrier.preAppointmentStates). */
const CASE_LIST = `query CaseList($first: Int!, $filter: CaseFilter) {
  cases(first: $first, filter: $filter) {
    edges { node {
      id caseNumber status faceAmount submittedAt
      carrier { id name }
      product { id name carrier { id preAppointmentStates } }
      agent { id lastName upline { id lastName } cases(first: 3) { edges { node { id caseNumber status } } } }
    } }
  }
}`;

/** carriers -> agents (Carrier.preAppointmentStates), twice. */
const CARRIER_CATALOG = `query CarrierCatalog($id: ID!, $state: State) {
  carrier(id: $id) {
    id name amBestRating ageBasis preAppointmentStates
    products { id code name type termYears terms { years minIssueAge maxIssueAge } availableStates }
  }
  products(filter: { carrierIds: [$id], state: $state }) { id name type carrier { id name preAppointmentStates } }
}`;

/** agents -> cases (Agent.cases of the agent and of its downline) -> carriers; agents -> carriers. */
const AGENT_TEAM = `query AgentTeam($id: ID!, $casesFirst: Int!) {
  agent(id: $id) {
    id npn lastName status
    appointments { state status carrier { id name amBestRating } }
    downline { id lastName status cases(first: $casesFirst, filter: { open: true }) { edges { node { id caseNumber status product { id name } carrier { id name } } } } }
    cases(first: $casesFirst) { edges { node { id caseNumber status faceAmount product { id name type carrier { id amBestRating } } } } }
  }
}`;

/** The repeated query: five active agents, four cases each, four stages of fetches (about 18 KB of JSON). */
export const NESTED: Operation = {
  name: 'AgentBook',
  query: AGENT_BOOK,
  variables: { first: 5, casesFirst: 4, filter: { statuses: ['ACTIVE'] } },
};

/** Public and the same for everyone: what a response cache can answer. */
export const CACHEABLE: Operation = {
  name: 'Carriers',
  query: '{ carriers { id name amBestRating products { id name type } } }',
  variables: {},
};

/** Ids and values the mix draws its variables from, read from the subgraphs themselves. */
export interface Samples {
  agents: { id: string; residentState: string }[];
  cases: { id: string; status: string }[];
  carriers: string[];
}

export const SAMPLE_QUERIES = {
  agents: '{ agents(first: 200) { edges { node { id residentState } } } }',
  cases: '{ cases(first: 200) { edges { node { id status } } } }',
  carriers: '{ carriers { id } }',
};

/** A small deterministic generator: the same mix in every run and for every gateway. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)], chance: (p: number) => next() < p };
}

/** `count` operations, the five shapes in turn, each with its own variables drawn from the samples. */
export function mix(samples: Samples, count = 100): Operation[] {
  const rng = random(20251124);
  const states = [...new Set(samples.agents.map((a) => a.residentState))];
  const statuses = [...new Set(samples.cases.map((c) => c.status))];
  const shapes: (() => Operation)[] = [
    () => ({
      name: 'AgentBook',
      query: AGENT_BOOK,
      variables: {
        first: rng.pick([3, 5, 8]),
        casesFirst: rng.pick([3, 4, 6]),
        filter: rng.chance(0.5) ? { residentState: rng.pick(states) } : { statuses: [rng.pick(['ACTIVE', 'PENDING', 'SUSPENDED'])] },
      },
    }),
    () => ({ name: 'CaseDetail', query: CASE_DETAIL, variables: { id: rng.pick(samples.cases).id } }),
    () => ({
      name: 'CaseList',
      query: CASE_LIST,
      variables: {
        first: rng.pick([10, 15, 20]),
        filter: rng.pick([
          { carrierIds: [rng.pick(samples.carriers)], open: rng.chance(0.5) },
          { statuses: [rng.pick(statuses)] },
          { agentIds: [rng.pick(samples.agents).id, rng.pick(samples.agents).id] },
        ]),
      },
    }),
    () => ({ name: 'CarrierCatalog', query: CARRIER_CATALOG, variables: { id: rng.pick(samples.carriers), state: rng.pick(states) } }),
    () => ({ name: 'AgentTeam', query: AGENT_TEAM, variables: { id: rng.pick(samples.agents).id, casesFirst: rng.pick([3, 5]) } }),
  ];
  return Array.from({ length: count }, (_, i) => shapes[i % shapes.length]());
}

/** One subgraph request a gateway request makes, and the stage it belongs to (0: needs nothing fetched before). */
export interface Fetch {
  subgraph: string;
  url: string;
  body: string;
  stage: number;
}

/**
 * The subgraph fetches of each operation, as @apollo/gateway's query plan makes them over these
 * subgraphs (the fetcher records the bytes sent; a fetch's stage is one more than the stage of the
 * last fetch that completed before it started).
 */
export async function captureFetches(
  supergraphSdl: string,
  headers: Record<string, string>,
  operations: readonly Operation[],
): Promise<Fetch[][]> {
  let seq = 0;
  let current: { subgraph: string; url: string; body: string; start: number; end: number; stage: number }[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request }) {
          for (const [k, v] of Object.entries(headers)) request.http?.headers.set(k, v);
        },
        fetcher: (async (input: string, init: { body: string }) => {
          const record = { subgraph: name, url: String(input), body: init.body, start: ++seq, end: Infinity, stage: 0 };
          current.push(record);
          const response = await fetch(input, init as RequestInit);
          record.end = ++seq;
          return response;
        }) as never,
      }),
  });
  const server = new ApolloServer({ gateway });
  await server.start();
  const captured: Fetch[][] = [];
  try {
    for (const op of operations) {
      current = [];
      const response = await server.executeOperation({ query: op.query, variables: op.variables });
      if (response.body.kind !== 'single' || response.body.singleResult.errors) {
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : 'incremental delivery';
        throw new Error(`capturing ${op.name} ${JSON.stringify(op.variables)}: ${JSON.stringify(errors).slice(0, 600)}`);
      }
      for (const f of current) f.stage = 1 + Math.max(-1, ...current.filter((g) => g.end < f.start).map((g) => g.stage));
      captured.push(current.map(({ subgraph, url, body, stage }) => ({ subgraph, url, body, stage })));
    }
  } finally {
    await server.stop();
  }
  return captured;
}

export interface CeilingResult {
  rps: number;
  /** CPU time of the subgraph processes per request, in ms. */
  subgraphCpuMsPerRequest: number;
  /** Where the CPU went during the measured seconds. */
  cpu: CpuReport;
  p50: number;
  p99: number;
  errors: number;
  /** Subgraph fetches per request, on average. */
  fetchesPerRequest: number;
  stages: number;
}

/**
 * The captured fetches replayed straight to the subgraphs by `connections` concurrent clients for
 * `seconds` (after a warm-up), one operation's fetches after another, round-robin over the operations.
 */
export async function replayCeiling(
  plans: readonly Fetch[][],
  headers: Record<string, string>,
  connections: number,
  seconds: number,
  warmupSeconds: number,
  watched: readonly Watched[],
): Promise<CeilingResult> {
  const pools = new Map<string, Pool>();
  const pool = (url: string) => {
    const origin = new URL(url).origin;
    if (!pools.has(origin)) pools.set(origin, new Pool(origin, { connections, pipelining: 1 }));
    return pools.get(origin)!;
  };
  const staged = plans.map((plan) => {
    const stages: Fetch[][] = [];
    for (const f of plan) (stages[f.stage] ??= []).push(f);
    return stages.map((s) => s.map((f) => ({ pool: pool(f.url), path: new URL(f.url).pathname, body: Buffer.from(f.body) })));
  });
  const requestHeaders = { 'content-type': 'application/json', ...headers };
  let errors = 0;
  const send = async (f: { pool: Pool; path: string; body: Buffer }): Promise<boolean> => {
    const response = await f.pool.request({ method: 'POST', path: f.path, headers: requestHeaders, body: f.body });
    const text = await response.body.text();
    return response.statusCode === 200 && !text.includes('"errors":');
  };
  const run = async (durationSeconds: number, samples: number[] | undefined) => {
    const deadline = performance.now() + durationSeconds * 1000;
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) {
          const stages = staged[next++ % staged.length];
          const started = performance.now();
          let ok = true;
          for (const stage of stages) ok = (await Promise.all(stage.map(send))).every(Boolean) && ok;
          samples?.push(performance.now() - started);
          if (ok) done++;
          else errors++;
        }
      }),
    );
    return done;
  };
  try {
    if (warmupSeconds > 0) await run(warmupSeconds, undefined);
    errors = 0;
    const samples: number[] = [];
    const measuring = measureCpu(watched);
    const started = performance.now();
    const done = await run(seconds, samples);
    const elapsed = (performance.now() - started) / 1000;
    const cpu = measuring.stop();
    const subgraphCores = cpu.groups.filter((g) => g.kind === 'subgraph').reduce((a, g) => a + g.cores, 0);
    return {
      rps: done / elapsed,
      subgraphCpuMsPerRequest: done ? (1000 * cpu.wall * subgraphCores) / done : NaN,
      cpu,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      errors,
      fetchesPerRequest: plans.reduce((n, p) => n + p.length, 0) / plans.length,
      stages: Math.max(...plans.map((p) => 1 + Math.max(...p.map((f) => f.stage)))),
    };
  } finally {
    await Promise.all([...pools.values()].map((p) => p.close()));
  }
}
