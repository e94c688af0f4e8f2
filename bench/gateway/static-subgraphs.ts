/**
 * The static-data build of the three subgraphs, for `npm run bench:gateway`: each subgraph's committed
 * SDL (schema/subgraphs/<name>.graphql) served by @apollo/subgraph with deterministic in-memory
 * resolvers over the same demo world the seed writes to Postgres (scripts/seed/world.ts, same
 * options), with the same signed-identity check and the same Cache-Control (the real subgraph's cache
 * hints) as the real subgraphs, but without a database, a cache or Apollo Server: a lean handler that
 * parses and validates each query once and executes it with graphql-js, so that the gateways, not the
 * subgraphs, are the limit.
 *
 * One subgraph per process: `node dist/bench/gateway/static-subgraphs.js <agents|cases|carriers>`
 * with PORT (default 0: any free port) and IDENTITY_SECRET / IDENTITY_MAX_SKEW_MS as the real ones.
 * Prints `listening <url>` on stdout once it accepts requests.
 *
 * Not served here (errors if asked): compareQuotes, carrierCaseSnapshots, caseMetrics, mutations.
 * Case.carrierStatus is null and Carrier.health a fixed CLOSED circuit: both would ask the carriers.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  execute,
  getNamedType,
  GraphQLError,
  isCompositeType,
  isObjectType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import { CARRIERS, PRODUCTS, type CarrierFixture, type ProductFixture } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { allowedNextStatuses, isClosed } from '../../subgraphs/cases/domain/case-status';
import { DEV_IDENTITY_SECRET } from '../../platform/config';
import type { CaseStatus } from '../../subgraphs/shared/enums';
import { listen } from '../../platform/http';
import { IdentityError, identityVerifier, type Identity } from '../../platform/identity';
import { formatMoney } from '../../platform/money';
import { entitiesHint, type CacheHint } from '../../subgraphs/shared/subgraph-server';
import { subgraphByName } from '../../subgraphs/registry';
import { generateWorld, type SeedAgent, type SeedCase } from '../../scripts/seed/world';

type Args = Record<string, any>;
type Resolvers = Record<string, Record<string, any>>;

/** The seed's defaults (scripts/seed/seed.ts): the static world is the demo world npm start loads. */
export const STATIC_WORLD = { cases: 3000, agents: 300, seed: 20251124 };

const DAY_MS = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.floor((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / DAY_MS);
const notServed = (what: string) =>
  new GraphQLError(`${what} is not served by the static bench subgraphs`, { extensions: { code: 'NOT_IMPLEMENTED' } });

interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** A page of `list` after the cursor (here simply the position), like the real keyset pages. */
function page<T>(list: readonly T[], first: number | undefined, after: string | undefined): Connection<T> {
  if (first !== undefined && (first < 0 || first > 200))
    throw new GraphQLError('first must be between 0 and 200', { extensions: { code: 'BAD_USER_INPUT' } });
  const start = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) + 1 : 0;
  if (!Number.isInteger(start) || start < 0)
    throw new GraphQLError('after is not a valid cursor', { extensions: { code: 'BAD_USER_INPUT' } });
  const slice = list.slice(start, start + (first ?? 50));
  const edges = slice.map((node, i) => ({ cursor: Buffer.from(String(start + i)).toString('base64url'), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: start + slice.length < list.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: list.length,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The in-memory world and each subgraph's resolvers over it. */
export function staticResolvers(anchor = today()): Record<'agents' | 'cases' | 'carriers', Resolvers> {
  const world = generateWorld({ anchor, ...STATIC_WORLD });
  const now = today();

  // agents
  const agentById = new Map(world.agents.map((a) => [a.id, a]));
  const agentByNpn = new Map(world.agents.map((a) => [a.npn, a]));
  const licensesOf = groupBy(world.licenses, (l) => l.agentId);
  const appointmentsOf = groupBy(world.appointments, (a) => a.agentId);
  const downlineOf = groupBy(world.agents, (a) => a.uplineId);
  const agentsSorted = [...world.agents].sort((a, b) => a.id.localeCompare(b.id));
  const scopeOf = (id: string): string[] => [id, ...(downlineOf.get(id) ?? []).flatMap((a) => scopeOf(a.id))];
  // Copies: the fixtures are frozen, and the federation entity resolver stamps __typename on what it gets.
  const carrierList: CarrierFixture[] = CARRIERS.map((c) => ({ ...c }));
  const carrierById = new Map<string, CarrierFixture>(carrierList.map((c) => [c.id, c]));

  const agentFilter = (filter: Args | undefined) => (a: SeedAgent) => {
    if (!filter) return true;
    if (filter.statuses && !filter.statuses.includes(a.status)) return false;
    if (filter.residentState && a.residentState !== filter.residentState) return false;
    if (filter.search) {
      const s = String(filter.search).toLowerCase();
      if (!a.npn.startsWith(s) && !a.lastName.toLowerCase().startsWith(s)) return false;
    }
    return true;
  };
  const agents: Resolvers = {
    Query: {
      agent: (_: unknown, { id }: Args) => agentById.get(id) ?? null,
      agentByNpn: (_: unknown, { npn }: Args) => agentByNpn.get(npn) ?? null,
      agents: (_: unknown, { first, after, filter }: Args) => page(agentsSorted.filter(agentFilter(filter)), first, after),
      agentScope: (_: unknown, { agentId }: Args) => (agentById.has(agentId) ? scopeOf(agentId) : []),
    },
    Agent: {
      __resolveReference: (ref: { id: string }) => agentById.get(ref.id) ?? null,
      upline: (a: SeedAgent) => (a.uplineId ? (agentById.get(a.uplineId) ?? null) : null),
      downline: (a: SeedAgent) => downlineOf.get(a.id) ?? [],
      licenses: (a: SeedAgent) => (licensesOf.get(a.id) ?? []).map((l) => ({ ...l, active: l.effectiveOn <= now && now <= l.expiresOn })),
      appointments: (a: SeedAgent) => (appointmentsOf.get(a.id) ?? []).map((p) => ({ ...p, carrier: { id: p.carrierId } })),
      eligibility: (a: SeedAgent, { state, carrierId }: Args) => {
        const reasons: string[] = [];
        if (a.status !== 'ACTIVE') reasons.push('AGENT_NOT_ACTIVE');
        const license = (licensesOf.get(a.id) ?? []).find((l) => l.state === state);
        if (!license) reasons.push('NOT_LICENSED_IN_STATE');
        else if (license.expiresOn < now) reasons.push('LICENSE_EXPIRED');
        else if (!license.linesOfAuthority.includes('LIFE')) reasons.push('NO_LIFE_AUTHORITY');
        const appointed = (appointmentsOf.get(a.id) ?? []).some(
          (p) => p.carrierId === carrierId && p.state === state && p.status !== 'TERMINATED',
        );
        const preAppointment = carrierById.get(carrierId)?.preAppointmentStates.includes(state) ?? false;
        if (preAppointment && !appointed) reasons.push('NOT_APPOINTED');
        if (!a.eoExpiresOn || a.eoExpiresOn < now) reasons.push('EO_EXPIRED');
        return {
          eligible: reasons.length === 0,
          reasons,
          appointmentWillBeRequested: reasons.length === 0 && !preAppointment && !appointed,
        };
      },
    },
    Carrier: {
      __resolveReference: (ref: { id: string }) => {
        const carrier = carrierById.get(ref.id);
        return carrier ? { id: carrier.id, preAppointmentStates: carrier.preAppointmentStates } : null;
      },
    },
  };

  // cases
  const byNewest = (a: SeedCase, b: SeedCase) => b.submittedAt.localeCompare(a.submittedAt) || b.id.localeCompare(a.id);
  const casesNewest = [...world.cases].sort(byNewest);
  const caseById = new Map(world.cases.map((c) => [c.id, c]));
  const caseByNumber = new Map(world.cases.map((c) => [c.caseNumber, c]));
  const casesOf = groupBy(casesNewest, (c) => c.agentId);
  const requirementsOf = groupBy(world.requirements, (r) => r.caseId);
  const eventsOf = groupBy(world.events, (e) => e.caseId);
  const caseFilter = (filter: Args | undefined) => (c: SeedCase) => {
    if (!filter) return true;
    if (filter.statuses && !filter.statuses.includes(c.status)) return false;
    if (filter.carrierIds && !filter.carrierIds.includes(c.carrierId)) return false;
    if (filter.agentIds && !filter.agentIds.includes(c.agentId)) return false;
    if (filter.submittedFrom && c.submittedAt.slice(0, 10) < filter.submittedFrom) return false;
    if (filter.submittedTo && c.submittedAt.slice(0, 10) > filter.submittedTo) return false;
    if (filter.open !== undefined && filter.open !== null && filter.open === isClosed(c.status as CaseStatus)) return false;
    return true;
  };
  const caseList = (list: readonly SeedCase[], { first, after, orderBy, filter }: Args) => {
    const matching = list.filter(caseFilter(filter));
    return page(orderBy === 'SUBMITTED_AT_ASC' ? matching.reverse() : matching, first, after);
  };
  const cases: Resolvers = {
    Query: {
      case: (_: unknown, { id }: Args) => caseById.get(id) ?? null,
      caseByNumber: (_: unknown, { caseNumber }: Args) => caseByNumber.get(caseNumber) ?? null,
      cases: (_: unknown, args: Args) => caseList(casesNewest, args),
      caseMetrics: () => {
        throw notServed('caseMetrics');
      },
    },
    Agent: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
      cases: (a: { id: string }, args: Args) => caseList(casesOf.get(a.id) ?? [], args),
    },
    Case: {
      __resolveReference: (ref: { id: string }) => caseById.get(ref.id) ?? null,
      agent: (c: SeedCase) => ({ id: c.agentId }),
      carrier: (c: SeedCase) => ({ id: c.carrierId }),
      product: (c: SeedCase) => ({ id: c.productId }),
      insured: (c: SeedCase) => ({
        firstName: c.insuredFirstName,
        lastName: c.insuredLastName,
        birthDate: c.insuredBirthDate,
        gender: c.insuredGender,
        state: c.insuredState,
        tobacco: c.insuredTobacco,
      }),
      annualPremium: (c: SeedCase) => formatMoney(c.annualPremiumCents),
      modalPremium: (c: SeedCase) => formatMoney(c.modalPremiumCents),
      allowedNextStatuses: (c: SeedCase) => allowedNextStatuses(c.status as CaseStatus),
      daysPending: (c: SeedCase) => (isClosed(c.status as CaseStatus) ? null : daysBetween(c.submittedAt, now)),
      requirements: (c: SeedCase) =>
        (requirementsOf.get(c.id) ?? []).map((r) => ({ ...r, note: null, ageDays: daysBetween(r.orderedAt, r.receivedAt ?? now) })),
      events: (c: SeedCase) => eventsOf.get(c.id) ?? [],
    },
  };

  // carriers
  const productById = new Map<string, ProductFixture>(PRODUCTS.map((p) => [p.id, p]));
  const productView = (p: ProductFixture) => ({ ...p, termYears: p.terms.map((t) => t.years), carrier: carrierById.get(p.carrierId) });
  const carriers: Resolvers = {
    Query: {
      carriers: () => carrierList,
      carrier: (_: unknown, { id }: Args) => carrierById.get(id) ?? null,
      products: (_: unknown, { filter }: Args) =>
        PRODUCTS.filter(
          (p) =>
            (!filter?.carrierIds || filter.carrierIds.includes(p.carrierId)) &&
            (!filter?.type || p.type === filter.type) &&
            (!filter?.state || p.availableStates.includes(filter.state)),
        ).map(productView),
      compareQuotes: () => {
        throw notServed('compareQuotes');
      },
      carrierCaseSnapshots: () => {
        throw notServed('carrierCaseSnapshots');
      },
    },
    Carrier: {
      __resolveReference: (ref: { id: string }) => carrierById.get(ref.id) ?? null,
      products: (c: CarrierFixture, { type }: Args) => c.products.filter((p) => !type || p.type === type).map(productView),
      health: () => ({ circuit: 'CLOSED', recentErrorRate: 0, p50LatencyMs: null }),
    },
    Product: {
      __resolveReference: (ref: { id: string }) => {
        const product = productById.get(ref.id);
        return product ? productView(product) : null;
      },
    },
    Case: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
      carrierStatus: () => null,
    },
  };
  return { agents, cases, carriers };
}

/**
 * The Cache-Control a subgraph answers for an operation, as Apollo's cache-control plugin computes it
 * from the subgraph's static hints (subgraph-server.ts): root fields and fields of composite type
 * without a hint are uncacheable (max-age 0), leaf fields inherit; the response gets the smallest
 * max-age and the most restrictive scope. Computed from the document, once per document.
 */
function cacheControlOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  hints: Readonly<Record<string, CacheHint>>,
  entityHints: Readonly<Record<string, CacheHint>>,
): string | undefined {
  let maxAge = Infinity;
  let scope: 'PUBLIC' | 'PRIVATE' = 'PUBLIC';
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const walk = (selections: readonly SelectionNode[], parent: GraphQLNamedType, root: boolean) => {
    for (const selection of selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type) walk(selection.selectionSet.selections, type, root);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && type) walk(fragment.selectionSet.selections, type, root);
        continue;
      }
      if (selection.name.value.startsWith('__') || !isObjectType(parent)) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      const type = getNamedType(field.type);
      // _entities: by the types its fragments ask for (the planner sends representations of those only).
      const hint =
        root && field.name === '_entities'
          ? entitiesHint(
              (selection.selectionSet?.selections ?? []).map((s) =>
                s.kind === Kind.INLINE_FRAGMENT ? s.typeCondition?.name.value : undefined,
              ),
              entityHints,
            )
          : hints[`${parent.name}.${field.name}`];
      if (hint) {
        maxAge = Math.min(maxAge, hint.maxAge);
        if (hint.scope === 'PRIVATE') scope = 'PRIVATE';
      } else if (root || isCompositeType(type)) {
        maxAge = 0;
      }
      if (selection.selectionSet) walk(selection.selectionSet.selections, type, false);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root =
      definition.operation === 'query' ? schema.getQueryType() : definition.operation === 'mutation' ? schema.getMutationType() : null;
    if (!root) return undefined;
    walk(definition.selectionSet.selections, root, true);
  }
  return maxAge > 0 && Number.isFinite(maxAge) ? `max-age=${maxAge}, ${scope.toLowerCase()}` : 'no-store';
}

interface Prepared {
  document?: DocumentNode;
  errors?: readonly GraphQLError[];
  cacheControl?: string;
}

/**
 * A lean GraphQL-over-HTTP handler: the gateways send the same few subgraph queries again and again,
 * so each is parsed and validated once; then graphql-js executes it over the subgraph schema. As
 * little as possible between the gateway and the in-memory data, so that the gateways are the limit.
 */
function handler(
  name: string,
  schema: GraphQLSchema,
  hints: { fields: Readonly<Record<string, CacheHint>>; entities: Readonly<Record<string, CacheHint>> },
  secret: string,
  maxSkewMs: number,
) {
  const verify = identityVerifier(secret, maxSkewMs);
  const prepared = new Map<string, Prepared>();
  const prepare = (query: string): Prepared => {
    let entry = prepared.get(query);
    if (!entry) {
      try {
        const document = parse(query);
        const errors = validate(schema, document);
        entry = errors.length ? { errors } : { document, cacheControl: cacheControlOf(schema, document, hints.fields, hints.entities) };
      } catch (error) {
        entry = { errors: [error as GraphQLError] };
      }
      if (prepared.size >= 5_000) prepared.clear();
      prepared.set(query, entry);
    }
    return entry;
  };
  const send = (res: ServerResponse, status: number, payload: unknown, cacheControl?: string) => {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...(cacheControl ? { 'cache-control': cacheControl } : {}),
    });
    res.end(text);
  };
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return send(res, 200, { status: 'ok', service: name, build: 'static' });
    if (path !== '/graphql' && path !== '/') return send(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return send(res, 405, { errors: [{ message: 'POST only' }] });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let identity: Identity;
    try {
      identity = verify(req.headers);
    } catch (error) {
      if (!(error instanceof IdentityError)) throw error;
      return send(res, 401, {
        errors: [{ message: `unsigned or badly signed call: ${error.message}`, extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    let request: { query?: string; variables?: Record<string, unknown>; operationName?: string };
    try {
      request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { errors: [{ message: 'request body is not valid JSON' }] });
    }
    if (typeof request.query !== 'string') return send(res, 400, { errors: [{ message: 'no query' }] });
    const { document, errors, cacheControl } = prepare(request.query);
    if (!document)
      return send(res, 400, { errors: errors!.map((e) => ({ message: e.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
    const result = await execute({
      schema,
      document,
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue: { identity },
    });
    const body = result.errors
      ? { ...result, errors: result.errors.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions })) }
      : result;
    send(res, 200, body, result.errors ? 'no-store' : cacheControl);
  };
}

async function main(): Promise<void> {
  const name = process.argv[2] as 'agents' | 'cases' | 'carriers';
  if (!['agents', 'cases', 'carriers'].includes(name)) {
    console.error('usage: node dist/bench/gateway/static-subgraphs.js <agents|cases|carriers>');
    process.exit(2);
  }
  const secret = process.env.IDENTITY_SECRET || DEV_IDENTITY_SECRET;
  const maxSkewMs = Number(process.env.IDENTITY_MAX_SKEW_MS ?? 60_000);
  const sdl = readFileSync(join(process.cwd(), 'schema', 'subgraphs', `${name}.graphql`), 'utf8');
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: staticResolvers()[name] as any });
  // The real subgraph's cache hints, so that the gateways see the same Cache-Control.
  const definition = subgraphByName(name);
  const hints = { fields: definition.cacheHints ?? {}, entities: definition.entityCacheHints ?? {} };
  const serve = handler(name, schema, hints, secret, maxSkewMs);
  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"errors":[{"message":"internal error"}]}');
    });
  });
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
  console.log(`listening http://127.0.0.1:${port}/graphql`);
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) void main();
