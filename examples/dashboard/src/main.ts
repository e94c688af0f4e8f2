/**
 * The reference dashboard: the page a BGA manager opens on Monday. It signs in with a development
 * token and reads every figure through the graph (examples/operations/Dashboard*.graphql): the
 * monthly trend of placement ratio and placed premium, the open pipeline by status, requirement
 * aging and turnaround, and the top agents. Each panel shows its own loading and error state; every
 * number shown also sits in a table cell with its raw value in `data-value` (what the browser test
 * reads and compares with the same query's answer).
 */
import { Chart, type ChartConfiguration, registerables } from 'chart.js';
import type {
  DashboardPipelineQuery,
  DashboardRequirementsQuery,
  DashboardTopAgentsQuery,
  DashboardTrendQuery,
} from '../../client/generated';
import { GraphError, runOperation } from './graph.js';

Chart.register(...registerables);

const TOKEN_KEY = 'bga-dashboard-token';

// ---------- formatting ----------

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const money = (value: string) => usd.format(Number(value));
const percent = (ratio: number | null) => (ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`);
const days = (value: number | null) => (value === null ? '—' : value.toFixed(1));
const count = (value: number) => value.toLocaleString('en-US');
const monthLabel = (start: string) =>
  new Date(`${start}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const words = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replaceAll('_', ' ');

/** YYYY-MM-DD of a UTC date. */
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** The window the dashboard shows: the last twelve calendar months (UTC), this one included, up to today. */
function reportingWindow(now = new Date()): { from: string; to: string } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  return { from: isoDate(from), to: isoDate(now) };
}

// ---------- DOM helpers ----------

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** A table cell showing `text`, with the figure's name and raw value for machines (tests, copy-paste). */
function cell(field: string, text: string, value: string | number | null = text): HTMLTableCellElement {
  return element('td', text, { 'data-field': field, 'data-value': value === null ? '' : String(value) });
}

function row(key: string, cells: HTMLTableCellElement[]): HTMLTableRowElement {
  const tr = element('tr', undefined, { 'data-key': key });
  tr.append(...cells);
  return tr;
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

// ---------- panels ----------

interface Panel<T> {
  id: string;
  operation: string;
  variables: () => Record<string, unknown>;
  render: (section: HTMLElement, data: T) => ChartConfiguration;
}

const charts = new Map<string, Chart>();

function drawChart(section: HTMLElement, config: ChartConfiguration): void {
  charts.get(section.id)?.destroy();
  const canvas = section.querySelector('canvas')!;
  config.options = { responsive: true, maintainAspectRatio: false, animation: false, ...config.options };
  charts.set(section.id, new Chart(canvas, config));
}

const trend: Panel<DashboardTrendQuery> = {
  id: 'trend',
  operation: 'DashboardTrend',
  variables: () => reportingWindow(),
  render(section, data) {
    const placements = new Map(data.placements.periods.map((period) => [period.start, period]));
    const body = section.querySelector('tbody')!;
    body.replaceChildren(
      ...data.cohorts.periods.map((cohort) => {
        const placed = placements.get(cohort.start);
        return row(cohort.start, [
          cell('month', monthLabel(cohort.start), cohort.start),
          cell('submitted', count(cohort.submitted), cohort.submitted),
          cell('placementRatio', percent(cohort.placementRatio), cohort.placementRatio),
          cell('placed', count(placed?.placed ?? 0), placed?.placed ?? 0),
          cell('placedPremium', money(placed?.placedPremium ?? '0.00'), placed?.placedPremium ?? '0.00'),
        ]);
      }),
    );
    byId('window').textContent = `Last twelve months, ${data.cohorts.periods[0]?.start ?? ''} to today · figures as of ${new Date(
      data.placements.asOf,
    ).toLocaleString('en-US', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' })} UTC`;
    return {
      type: 'line',
      data: {
        labels: data.cohorts.periods.map((period) => monthLabel(period.start)),
        datasets: [
          {
            label: 'Placement ratio (%)',
            data: data.cohorts.periods.map((period) => (period.placementRatio === null ? null : period.placementRatio * 100)),
            yAxisID: 'ratio',
            borderColor: '#1f6feb',
            backgroundColor: '#1f6feb',
            spanGaps: true,
          },
          {
            label: 'Placed premium ($)',
            data: data.cohorts.periods.map((period) => Number(placements.get(period.start)?.placedPremium ?? 0)),
            yAxisID: 'premium',
            borderColor: '#2da44e',
            backgroundColor: '#2da44e',
          },
        ],
      },
      options: {
        scales: {
          ratio: { type: 'linear', position: 'left', min: 0, max: 100, title: { display: true, text: 'placement ratio %' } },
          premium: {
            type: 'linear',
            position: 'right',
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            title: { display: true, text: 'placed premium $' },
          },
        },
      },
    };
  },
};

const pipeline: Panel<DashboardPipelineQuery> = {
  id: 'pipeline',
  operation: 'DashboardPipeline',
  variables: () => ({ from: reportingWindow().from }),
  render(section, data) {
    section
      .querySelector('tbody')!
      .replaceChildren(
        ...data.pipeline.byStatus.map((entry) =>
          row(entry.status, [cell('status', words(entry.status), entry.status), cell('count', count(entry.count), entry.count)]),
        ),
        row('TOTAL', [cell('status', 'All open', 'TOTAL'), cell('count', count(data.pipeline.totals.open), data.pipeline.totals.open)]),
      );
    const funnel = data.caseFunnel;
    section.querySelector('.funnel')!.replaceChildren(
      ...(['submitted', 'approved', 'issued', 'placed', 'open'] as const).map((stage) => {
        const item = element('div');
        item.append(
          element('dt', stage === 'open' ? 'still open' : stage),
          element('dd', count(funnel[stage]), { 'data-field': `funnel.${stage}`, 'data-value': String(funnel[stage]) }),
        );
        return item;
      }),
    );
    return {
      type: 'bar',
      data: {
        labels: data.pipeline.byStatus.map((entry) => words(entry.status)),
        datasets: [{ label: 'Open cases', data: data.pipeline.byStatus.map((entry) => entry.count), backgroundColor: '#1f6feb' }],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    };
  },
};

const requirements: Panel<DashboardRequirementsQuery> = {
  id: 'requirements',
  operation: 'DashboardRequirements',
  variables: () => ({}),
  render(section, data) {
    const aging = data.aging.requirementsAging;
    section
      .querySelector('.aging tbody')!
      .replaceChildren(
        ...aging.map((entry) =>
          row(entry.code, [
            cell('code', entry.code),
            cell('outstanding', count(entry.outstanding), entry.outstanding),
            cell('averageAgeDays', days(entry.averageAgeDays), entry.averageAgeDays),
            cell('pastFollowUp', count(entry.pastFollowUp), entry.pastFollowUp),
          ]),
        ),
      );
    section
      .querySelector('.turnaround tbody')!
      .replaceChildren(
        ...data.requirementMetrics.turnaround.map((entry) =>
          row(`${entry.code}/${entry.vendor ?? ''}`, [
            cell('code', entry.code),
            cell('vendor', entry.vendor ?? '—', entry.vendor),
            cell('received', count(entry.received), entry.received),
            cell('p50Days', days(entry.p50Days), entry.p50Days),
            cell('p90Days', days(entry.p90Days), entry.p90Days),
          ]),
        ),
      );
    return {
      type: 'bar',
      data: {
        labels: aging.map((entry) => entry.code),
        datasets: [
          { label: 'Outstanding', data: aging.map((entry) => entry.outstanding), backgroundColor: '#1f6feb' },
          { label: 'Past follow-up', data: aging.map((entry) => entry.pastFollowUp), backgroundColor: '#d1242f' },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    };
  },
};

const agents: Panel<DashboardTopAgentsQuery> = {
  id: 'agents',
  operation: 'DashboardTopAgents',
  variables: () => ({ from: reportingWindow().from, first: 10 }),
  render(section, data) {
    const name = (entry: DashboardTopAgentsQuery['agentProduction'][number]) => `${entry.agent.firstName} ${entry.agent.lastName}`;
    section
      .querySelector('tbody')!
      .replaceChildren(
        ...data.agentProduction.map((entry) =>
          row(entry.agentId, [
            cell('rank', String(entry.rank), entry.rank),
            cell('agent', name(entry), entry.agentId),
            cell('placedPremium', money(entry.placedPremium), entry.placedPremium),
            cell('placed', count(entry.placed), entry.placed),
            cell('ownPlacedPremium', money(entry.ownPlacedPremium), entry.ownPlacedPremium),
          ]),
        ),
      );
    return {
      type: 'bar',
      data: {
        labels: data.agentProduction.map(name),
        datasets: [
          {
            label: 'Placed premium with downline ($)',
            data: data.agentProduction.map((entry) => Number(entry.placedPremium)),
            backgroundColor: '#2da44e',
          },
          { label: 'Own ($)', data: data.agentProduction.map((entry) => Number(entry.ownPlacedPremium)), backgroundColor: '#8cd9a1' },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true } } },
    };
  },
};

// biome-ignore lint/suspicious/noExplicitAny: each panel's data type is its own
const PANELS: Panel<any>[] = [trend, pipeline, requirements, agents];

// ---------- session ----------

/** Who the token says the caller is (its payload, unverified: for the header only; the gateway verifies). */
function describeToken(token: string): string {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replaceAll('-', '+').replaceAll('_', '/'))) as {
      sub?: string;
      role?: string;
      agentId?: string;
    };
    return [payload.role, payload.agentId ?? payload.sub].filter(Boolean).join(' · ') || 'signed in';
  } catch {
    return 'signed in';
  }
}

function showSignIn(error?: GraphError): void {
  byId('sign-in').hidden = false;
  const message = byId('sign-in-error');
  message.hidden = !error;
  if (error) {
    message.replaceChildren(
      'The gateway refused the token: ',
      element('code', error.code, { class: 'code', 'data-code': error.code }),
      ` (${error.message}). Get a new one with npm run token -- --role staff.`,
    );
  }
}

function showStatus(section: HTMLElement, state: 'loading' | 'ready' | 'error', error?: GraphError): void {
  section.dataset.state = state;
  section.setAttribute('aria-busy', String(state === 'loading'));
  const status = section.querySelector<HTMLElement>('.status')!;
  if (state === 'loading') status.textContent = 'Loading…';
  else if (state === 'ready') status.textContent = '';
  else if (error) status.replaceChildren(element('code', error.code, { class: 'code', 'data-code': error.code }), ` ${error.message}`);
}

async function loadPanel<T>(panel: Panel<T>, token: string): Promise<void> {
  const section = byId(panel.id);
  const variables = panel.variables();
  section.dataset.variables = JSON.stringify(variables);
  showStatus(section, 'loading');
  try {
    const data = await runOperation<T>(panel.operation, variables, token);
    drawChart(section, panel.render(section, data));
    section.dataset.loaded = 'true';
    showStatus(section, 'ready');
  } catch (caught) {
    const error =
      caught instanceof GraphError ? caught : new GraphError('CLIENT_ERROR', caught instanceof Error ? caught.message : String(caught));
    showStatus(section, 'error', error);
    if (error.code === 'UNAUTHENTICATED') {
      // The token is no good (expired, forged, another secret): forget it and ask for another.
      sessionStorage.removeItem(TOKEN_KEY);
      byId('who').textContent = 'token refused';
      showSignIn(error);
    }
  }
}

async function load(token: string): Promise<void> {
  byId('session').hidden = false;
  byId('who').textContent = describeToken(token);
  byId('dashboard').hidden = false;
  document.body.dataset.state = 'loading';
  await Promise.all(PANELS.map((panel) => loadPanel(panel, token)));
  document.body.dataset.state = 'done';
}

function start(): void {
  const token = sessionStorage.getItem(TOKEN_KEY);
  byId<HTMLFormElement>('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const entered = byId<HTMLTextAreaElement>('token')
      .value.trim()
      .replace(/^Bearer\s+/i, '')
      // A JWT has no whitespace: what a terminal's line wrap added is dropped.
      .replace(/\s+/g, '');
    if (!entered) return;
    sessionStorage.setItem(TOKEN_KEY, entered);
    byId('sign-in').hidden = true;
    void load(entered);
  });
  byId('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  });
  byId('refresh').addEventListener('click', () => {
    const current = sessionStorage.getItem(TOKEN_KEY);
    if (current) void load(current);
  });
  if (token) void load(token);
  else showSignIn();
}

start();
