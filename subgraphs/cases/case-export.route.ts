/**
 * CSV exports on the cases subgraph (and through the gateway, which verifies the caller's bearer
 * token and forwards the path with the signed identity, as for any fetch):
 *  - GET /export/cases.csv?<filter>: the filtered case list, streamed in keyset batches of
 *    EXPORT_BATCH_ROWS rows on (submitted_at, id) (the pagination index), each batch written only
 *    after the previous one drained to the socket: memory stays at one batch whatever the size.
 *    Without any filter, an export of more than EXPORT_MAX_ROWS rows is refused (LIMIT_EXCEEDED).
 *  - GET /export/metrics.csv?query=series|funnel|metrics|production&<arguments>&<filter>: the rows
 *    of that metrics question (the same figures, cache and limits as the GraphQL fields).
 * Scope as for queries: an agent exports their own and their downline's cases only. Insured names
 * and other personal data are not exported (they are read one case at a time, logged).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { CachedLoader, type Cache } from '../../platform/cache';
import { type Identity, IdentityError, identityVerifier } from '../../platform/identity';
import type { Logger } from '../../platform/logger';
import { formatMoney } from '../../platform/money';
import { isIsoDate } from '../../platform/scalars';
import { newStats } from '../../platform/stats';
import { requireSignedIn } from '../shared/auth';
import { Db, type Pool } from '../shared/db';
import { CASE_STATUSES } from '../shared/vocabulary';
import { caseConditions } from './case.repository';
import type { CaseFilter } from './case.type';
import { visibleAgentIds } from './case.scope';
import { computeCaseMetrics } from './case-metrics.repository';
import { MetricsGrouping } from './case-metrics.type';
import { cachedMetrics, checkSeries, MAX_RANKED_AGENTS } from './case-metrics-v2.resolver';
import { computeFunnel, computeSeries, placedByWritingAgent, rankAgents } from './case-metrics-v2.repository';
import { MetricsBasis, MetricsInterval } from './case-metrics-v2.type';
import type { CasesContext } from './cases.context';
import type { AgentsPort } from './ports/agents.port';

export const EXPORT_PATH = '/export/';

export interface ExportDeps {
  pool: Pool;
  cache: Cache;
  agents: AgentsPort;
  identitySecret: string;
  identityMaxSkewMs: number;
  /** The most rows an export without a filter may have (EXPORT_MAX_ROWS). */
  maxRows: number;
  /** Rows read and written per batch (EXPORT_BATCH_ROWS). */
  batchRows: number;
  logger: Logger;
}

class ExportRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const refuse = (res: ServerResponse, status: number, code: string, message: string) => {
  const text = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
};

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading =+-@ is prefixed with ' so spreadsheets do not run it. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join('|') : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
const csvLine = (values: readonly unknown[]) => `${values.map(csvField).join(',')}\r\n`;

const FILTER_LISTS = ['statuses', 'carrierIds', 'agentIds', 'caseManagerIds'] as const;
const FILTER_PARAMS = new Set<string>([...FILTER_LISTS, 'submittedFrom', 'submittedTo', 'open']);

/** The CaseFilter of an export's query string; undefined when it names no condition. */
export function filterOf(params: URLSearchParams): CaseFilter | undefined {
  const filter: CaseFilter = {};
  for (const name of FILTER_LISTS) {
    const value = params.get(name);
    if (value !== null) (filter as Record<string, string[]>)[name] = value.split(',').filter(Boolean);
  }
  if (filter.statuses?.some((status) => !(CASE_STATUSES as readonly string[]).includes(status)))
    throw new ExportRefusal(400, 'BAD_USER_INPUT', 'statuses has an unknown case status');
  for (const name of ['submittedFrom', 'submittedTo'] as const) {
    const value = params.get(name);
    if (value === null) continue;
    if (!isIsoDate(value)) throw new ExportRefusal(400, 'BAD_USER_INPUT', `${name} must be a date (YYYY-MM-DD)`);
    filter[name] = value;
  }
  const open = params.get('open');
  if (open !== null) {
    if (open !== 'true' && open !== 'false') throw new ExportRefusal(400, 'BAD_USER_INPUT', 'open must be true or false');
    filter.open = open === 'true';
  }
  return Object.keys(filter).length ? filter : undefined;
}

function enumParam<T extends string>(params: URLSearchParams, name: string, values: Record<T, T>, required: true): T;
function enumParam<T extends string>(params: URLSearchParams, name: string, values: Record<T, T>, required: false): T | undefined;
function enumParam<T extends string>(params: URLSearchParams, name: string, values: Record<T, T>, required: boolean): T | undefined {
  const value = params.get(name);
  if (value === null && !required) return undefined;
  if (value === null || !(value in values))
    throw new ExportRefusal(400, 'BAD_USER_INPUT', `${name} must be one of ${Object.keys(values).join(', ')}`);
  return value as T;
}

function dateParam(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!isIsoDate(value)) throw new ExportRefusal(400, 'BAD_USER_INPUT', `${name} must be a date (YYYY-MM-DD)`);
  return value;
}

const CASE_COLUMNS: Array<[header: string, sql: string]> = [
  ['id', 'id'],
  ['caseNumber', 'case_number'],
  ['status', 'status'],
  ['agentId', 'agent_id'],
  ['carrierId', 'carrier_id'],
  ['productId', 'product_id'],
  ['productType', 'product_type'],
  ['faceAmount', 'face_amount'],
  ['annualPremium', 'annual_premium_cents'],
  ['caseManagerId', 'case_manager_id'],
  ['submittedAt', 'submitted_at'],
  ['approvedAt', 'approved_at'],
  ['issuedAt', 'issued_at'],
  ['placedAt', 'placed_at'],
  ['closedAt', 'closed_at'],
];
export const CASES_CSV_HEADER = CASE_COLUMNS.map(([header]) => header);

/** Writes one chunk; resolves once the socket took it (at once, or after 'drain'); false when the caller went away. */
async function write(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  return new Promise((resolve) => {
    const done = (drained: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(drained);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

function startCsv(res: ServerResponse, fileName: string): void {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
}

async function exportCases(deps: ExportDeps, ctx: CasesContext, params: URLSearchParams, res: ServerResponse): Promise<void> {
  for (const name of params.keys())
    if (!FILTER_PARAMS.has(name)) throw new ExportRefusal(400, 'BAD_USER_INPUT', `unknown parameter ${name}`);
  const filter = filterOf(params);
  const scope = await visibleAgentIds(ctx);
  const base: unknown[] = [];
  const where = caseConditions(filter, scope, base);
  if (!filter) {
    const [{ n }] = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM cases."case" ${where.length ? `WHERE ${where.join(' AND ')}` : ''} LIMIT ${deps.maxRows + 1}) capped`,
      base,
    );
    if (n > deps.maxRows)
      throw new ExportRefusal(
        400,
        'LIMIT_EXCEEDED',
        `an export without a filter is limited to ${deps.maxRows} rows (EXPORT_MAX_ROWS): add a filter`,
      );
  }
  startCsv(res, 'cases.csv');
  if (!(await write(res, csvLine(CASES_CSV_HEADER)))) return;
  const select = CASE_COLUMNS.map(([, column]) => column).join(', ');
  let after: [string, string] | null = null;
  for (;;) {
    const params = [...base];
    const conditions = [...where];
    if (after) conditions.push(`(submitted_at, id) > ($${params.push(after[0])}::timestamptz, $${params.push(after[1])})`);
    const rows: Array<Record<string, unknown>> = await ctx.db.query(
      `SELECT ${select} FROM cases."case" ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY submitted_at, id LIMIT ${deps.batchRows}`,
      params,
    );
    if (rows.length === 0) break;
    let chunk = '';
    for (const row of rows)
      chunk += csvLine(
        CASE_COLUMNS.map(([, column]) => (column === 'annual_premium_cents' ? formatMoney(Number(row[column])) : row[column])),
      );
    if (!(await write(res, chunk))) return;
    const last = rows[rows.length - 1];
    after = [last.submitted_at as string, last.id as string];
    if (rows.length < deps.batchRows) break;
  }
  res.end();
}

const PERIOD_HEADER = [
  'start',
  'end',
  'group',
  'submitted',
  'approved',
  'issued',
  'placed',
  'declined',
  'notTaken',
  'submittedPremium',
  'placedPremium',
  'placementRatio',
  'placementOfSubmitted',
];
const FIGURES_HEADER = [
  'submitted',
  'open',
  'placed',
  'declined',
  'notTaken',
  'placementRatio',
  'placementOfSubmitted',
  'notTakenRate',
  'declineRate',
  'averageDaysToIssue',
  'medianDaysToIssue',
  'averageDaysToPlace',
  'submittedPremium',
  'placedPremium',
] as const;

/** The rows of one metrics question, header first. */
async function metricsRows(ctx: CasesContext, params: URLSearchParams): Promise<unknown[][]> {
  const query = params.get('query') ?? 'series';
  const known = new Set([
    ...FILTER_PARAMS,
    'query',
    ...({ series: ['interval', 'basis', 'from', 'to', 'groupBy'], metrics: ['groupBy'], production: ['first'], funnel: [] }[query] ?? []),
  ]);
  for (const name of params.keys()) if (!known.has(name)) throw new ExportRefusal(400, 'BAD_USER_INPUT', `unknown parameter ${name}`);
  const filter = filterOf(params);
  const scope = await visibleAgentIds(ctx);
  if (query === 'series') {
    const interval = enumParam(params, 'interval', MetricsInterval, true);
    const basis = enumParam(params, 'basis', MetricsBasis, true);
    const from = dateParam(params, 'from');
    const to = dateParam(params, 'to');
    const groupBy = (params.get('groupBy')?.split(',').filter(Boolean) ?? []) as MetricsGrouping[];
    if (groupBy.some((g) => !(g in MetricsGrouping)))
      throw new ExportRefusal(400, 'BAD_USER_INPUT', `groupBy must be of ${Object.keys(MetricsGrouping).join(', ')}`);
    checkSeries(interval, from, to, groupBy);
    const question = { interval, basis, from, to, filter: filter ?? null, groupBy };
    const series = await cachedMetrics(ctx, scope, 'series', question, async () => ({
      periods: await computeSeries(ctx.db, question, scope),
      asOf: new Date().toISOString(),
    }));
    return [PERIOD_HEADER, ...series.periods.map((p) => PERIOD_HEADER.map((name) => p[name as keyof typeof p]))];
  }
  if (query === 'funnel') {
    const funnel = await cachedMetrics(ctx, scope, 'funnel', filter ?? null, () => computeFunnel(ctx.db, filter, scope));
    return [
      ['stage', 'count'],
      ['SUBMITTED', funnel.submitted],
      ['APPROVED', funnel.approved],
      ['ISSUED', funnel.issued],
      ['PLACED', funnel.placed],
      ['OPEN', funnel.open],
      ...funnel.exits.map((exit) => [exit.status, exit.count]),
    ];
  }
  if (query === 'metrics') {
    const groupBy = enumParam(params, 'groupBy', MetricsGrouping, false);
    const metrics = await computeCaseMetrics(ctx.db, filter, scope, groupBy);
    return [
      ['key', 'label', ...FIGURES_HEADER],
      ['TOTAL', 'Total', ...FIGURES_HEADER.map((name) => metrics.totals[name])],
      ...metrics.groups.map((group) => [group.key, group.label, ...FIGURES_HEADER.map((name) => group.figures[name])]),
    ];
  }
  if (query === 'production') {
    const first = Number(params.get('first') ?? 10);
    if (!Number.isInteger(first) || first < 1 || first > MAX_RANKED_AGENTS)
      throw new ExportRefusal(400, 'BAD_USER_INPUT', `first must be between 1 and ${MAX_RANKED_AGENTS}`);
    const scopeOf = async (agentId: string) => ctx.agents.scope(agentId, ctx.requestId);
    const ranking = await rankAgents(await placedByWritingAgent(ctx.db, filter, scope), scopeOf, first);
    return [
      ['rank', 'agentId', 'placedPremium', 'placed', 'ownPlacedPremium', 'ownPlaced'],
      ...ranking.map((r) => [r.rank, r.agentId, r.placedPremium, r.placed, r.ownPlacedPremium, r.ownPlaced]),
    ];
  }
  throw new ExportRefusal(400, 'BAD_USER_INPUT', 'query must be one of series, funnel, metrics, production');
}

/** The /export/ route: verifies the signed identity, then streams the CSV asked for. */
export function caseExportRoute(deps: ExportDeps) {
  const verify = identityVerifier(deps.identitySecret, deps.identityMaxSkewMs);
  const cached = new CachedLoader(deps.cache);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET') return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'exports are read with GET');
    const url = new URL(req.url ?? '/', 'http://localhost');
    let identity: Identity;
    try {
      identity = verify(req.headers);
      requireSignedIn(identity);
    } catch (error) {
      if (error instanceof IdentityError || error instanceof GraphQLError)
        return refuse(res, 401, 'UNAUTHENTICATED', 'an export needs a signed-in caller');
      throw error;
    }
    const stats = newStats();
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? 'export';
    // The parts of a request context the scope and the metrics cache use.
    const ctx = {
      identity,
      requestId,
      stats,
      db: new Db(deps.pool, stats),
      cache: deps.cache,
      cached,
      agents: deps.agents,
    } as unknown as CasesContext;
    try {
      const name = url.pathname.slice(EXPORT_PATH.length);
      if (name === 'cases.csv') return await exportCases(deps, ctx, url.searchParams, res);
      if (name === 'metrics.csv') {
        const rows = await metricsRows(ctx, url.searchParams);
        startCsv(res, 'metrics.csv');
        res.end(rows.map(csvLine).join(''));
        return;
      }
      return refuse(res, 404, 'NOT_FOUND', 'exports are /export/cases.csv and /export/metrics.csv');
    } catch (error) {
      if (res.headersSent) {
        // Mid-stream: the client sees a cut answer (no final line), never a partial file as complete.
        deps.logger.error({ err: error, requestId }, 'export failed mid-stream');
        res.destroy();
        return;
      }
      if (error instanceof ExportRefusal) return refuse(res, error.status, error.code, error.message);
      const code = error instanceof GraphQLError ? (error.extensions.code as string | undefined) : undefined;
      if (code)
        return refuse(res, code === 'SERVICE_UNAVAILABLE' ? 503 : 400, code, error instanceof Error ? error.message : 'bad request');
      deps.logger.error({ err: error, requestId }, 'export failed');
      return refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'internal error');
    }
  };
}
