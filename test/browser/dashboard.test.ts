/**
 * The reference dashboard (examples/dashboard, served by the gateway at /dashboard in development)
 * in a real browser: Debian's chromium driven by playwright-core, every request to another host
 * blocked. It signs in with a development token, shows each panel's loading state while the graph
 * is held back, then every number it shows (each table cell's data-value, next to its chart) is
 * compared with the same operation's answer fetched directly with the same variables and token. A
 * refused token shows the coded error. Screenshots are saved under artifacts/ (gitignored) and their
 * paths printed. The plain-HTTP checks (what is served, what is not, production) run without chromium.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, print } from 'graphql';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DASHBOARD_OPERATIONS, dashboard } from '../../gateway/plugins/dashboard';
import { startStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'artifacts');

function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (path && existsSync(path)) return path;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

const executablePath = chromiumPath();
const describeBrowser = executablePath ? describe : describe.skip;
if (!executablePath)
  console.warn('[test] no chromium on PATH (apt-get install chromium, or CHROMIUM_PATH): the dashboard browser tests are skipped');

let stack: Stack;
let browser: Browser | undefined;
let origin: string;
beforeAll(async () => {
  // The page's scripts, as `npm run build:dashboard` emits them (tsc: type-checked against the DOM and Chart.js).
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'examples/dashboard/tsconfig.json')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  stack = await startStack();
  origin = new URL(stack.url).origin;
  if (executablePath)
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The operation's answer fetched directly from the gateway, as any client would. */
async function answer<T>(operation: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const query = readFileSync(join(ROOT, 'examples/operations', `${operation}.graphql`), 'utf8');
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ operationName: operation, query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

/** Each row of a table the page shows: its key, then each cell's raw value (data-value). */
function rowsOf(page: Page, selector: string): Promise<string[][]> {
  return page.$$eval(`${selector} tbody tr`, (rows) =>
    rows.map((row) => [
      (row as HTMLElement).dataset.key ?? '',
      ...[...(row as HTMLTableRowElement).cells].map((cell) => cell.dataset.value ?? ''),
    ]),
  );
}

const raw = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value));

/** A page that may only talk to the gateway; what it tried elsewhere and the script errors it threw are collected. */
async function offlinePage(hold?: Promise<void>): Promise<{ page: Page; offHost: string[]; errors: string[]; held: () => number }> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const offHost: string[] = [];
  const errors: string[] = [];
  let heldCount = 0;
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (!(url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:'))) {
      offHost.push(url);
      return route.abort();
    }
    if (hold && new URL(url).pathname === '/graphql') {
      heldCount++;
      await hold;
    }
    return route.continue();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, offHost, errors, held: () => heldCount };
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${origin}/dashboard`);
  await page.locator('#sign-in').waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: true });
  console.log(`[artifact] ${path}`);
  return path;
}

interface Figures {
  open: number;
  statuses: number;
  agingCodes: number;
  agents: string[];
  placedPremium: number;
}

/**
 * Every number the signed-in page shows equals the same operation's answer, fetched directly with the
 * panel's variables (its data-variables) and the same token. Returns a few figures for scope checks.
 */
async function expectFiguresOfGraph(page: Page, token: string): Promise<Figures> {
  const variablesOf = async (id: string) =>
    JSON.parse((await page.locator(`#${id}`).getAttribute('data-variables'))!) as Record<string, unknown>;

  // Placement ratio and placed premium per month: twelve months, each row the graph's figures (and shown as such).
  const trendVariables = await variablesOf('trend');
  const trend = await answer<{
    cohorts: { periods: { start: string; submitted: number; placed: number; placementRatio: number | null }[] };
    placements: { periods: { start: string; placed: number; placedPremium: string }[] };
  }>('DashboardTrend', trendVariables, token);
  expect(trend.cohorts.periods).toHaveLength(12);
  const placedIn = new Map(trend.placements.periods.map((period) => [period.start, period]));
  expect(await rowsOf(page, '#trend')).toEqual(
    trend.cohorts.periods.map((period) => [
      period.start,
      period.start,
      raw(period.submitted),
      raw(period.placementRatio),
      raw(placedIn.get(period.start)!.placed),
      placedIn.get(period.start)!.placedPremium,
    ]),
  );
  for (const period of trend.cohorts.periods.filter((p) => p.placementRatio !== null))
    expect(await page.locator(`#trend tr[data-key="${period.start}"] td[data-field="placementRatio"]`).textContent()).toBe(
      `${(period.placementRatio! * 100).toFixed(1)}%`,
    );

  // Pipeline by status, and the window's funnel.
  const pipeline = await answer<{
    pipeline: { totals: { open: number }; byStatus: { status: string; count: number }[] };
    caseFunnel: Record<'submitted' | 'approved' | 'issued' | 'placed' | 'open', number>;
  }>('DashboardPipeline', await variablesOf('pipeline'), token);
  expect(await rowsOf(page, '#pipeline')).toEqual([
    ...pipeline.pipeline.byStatus.map((entry) => [entry.status, entry.status, raw(entry.count)]),
    ['TOTAL', 'TOTAL', raw(pipeline.pipeline.totals.open)],
  ]);
  const funnel = await page.$$eval('#pipeline .funnel dd', (items) =>
    items.map((item) => [(item as HTMLElement).dataset.field, (item as HTMLElement).dataset.value]),
  );
  expect(funnel).toEqual(
    (['submitted', 'approved', 'issued', 'placed', 'open'] as const).map((stage) => [`funnel.${stage}`, raw(pipeline.caseFunnel[stage])]),
  );

  // Requirement aging and turnaround.
  const requirements = await answer<{
    aging: { requirementsAging: { code: string; outstanding: number; averageAgeDays: number; pastFollowUp: number }[] };
    requirementMetrics: { turnaround: { code: string; vendor: string | null; received: number; p50Days: number; p90Days: number }[] };
  }>('DashboardRequirements', await variablesOf('requirements'), token);
  expect(await rowsOf(page, '#requirements .aging')).toEqual(
    requirements.aging.requirementsAging.map((entry) => [
      entry.code,
      entry.code,
      raw(entry.outstanding),
      raw(entry.averageAgeDays),
      raw(entry.pastFollowUp),
    ]),
  );
  expect(await rowsOf(page, '#requirements .turnaround')).toEqual(
    requirements.requirementMetrics.turnaround.map((entry) => [
      `${entry.code}/${entry.vendor ?? ''}`,
      entry.code,
      raw(entry.vendor),
      raw(entry.received),
      raw(entry.p50Days),
      raw(entry.p90Days),
    ]),
  );

  // Top agents.
  const agents = await answer<{
    agentProduction: { rank: number; agentId: string; placedPremium: string; placed: number; ownPlacedPremium: string }[];
  }>('DashboardTopAgents', await variablesOf('agents'), token);
  expect(await rowsOf(page, '#agents')).toEqual(
    agents.agentProduction.map((entry) => [
      entry.agentId,
      raw(entry.rank),
      entry.agentId,
      entry.placedPremium,
      raw(entry.placed),
      entry.ownPlacedPremium,
    ]),
  );

  return {
    open: pipeline.pipeline.totals.open,
    statuses: pipeline.pipeline.byStatus.length,
    agingCodes: requirements.aging.requirementsAging.length,
    agents: agents.agentProduction.map((entry) => entry.agentId),
    placedPremium: trend.placements.periods.reduce((sum, period) => sum + Number(period.placedPremium), 0),
  };
}

describeBrowser('the reference dashboard in chromium', () => {
  it('signs in, shows loading, then every figure exactly as the graph answers it, offline', async () => {
    let release!: () => void;
    const { page, offHost, errors, held } = await offlinePage(new Promise<void>((resolve) => (release = resolve)));
    try {
      const token = await stack.token('STAFF');
      await signIn(page, token);
      // The graph is held back: every panel says it is loading.
      await page.waitForFunction(
        (count) => document.querySelectorAll('.panel[data-state="loading"]').length === count,
        DASHBOARD_OPERATIONS.length,
      );
      expect(await page.locator('#trend .status').textContent()).toBe('Loading…');
      release();
      await page.locator('body[data-state="done"]').waitFor({ timeout: 60_000 });
      expect(held()).toBe(DASHBOARD_OPERATIONS.length);
      const states = await page.$$eval('.panel', (panels) => panels.map((panel) => [panel.id, (panel as HTMLElement).dataset.state]));
      expect(states).toEqual([
        ['trend', 'ready'],
        ['pipeline', 'ready'],
        ['requirements', 'ready'],
        ['agents', 'ready'],
      ]);
      const figures = await expectFiguresOfGraph(page, token);
      // Not an empty page that trivially matches: the seeded year has all of these.
      expect(figures.placedPremium).toBeGreaterThan(0);
      expect(figures.statuses).toBeGreaterThan(1);
      expect(figures.agingCodes).toBeGreaterThan(0);
      expect(figures.agents.length).toBeGreaterThan(0);

      // Each chart was drawn (a canvas with pixels set).
      const drawn = await page.$$eval('.panel canvas', (canvases) =>
        canvases.map((canvas) => {
          const c = canvas as HTMLCanvasElement;
          const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          return pixels.some((value) => value !== 0);
        }),
      );
      expect(drawn).toEqual([true, true, true, true]);

      await screenshot(page, 'dashboard.png');
      expect(offHost).toEqual([]);
      expect(errors).toEqual([]);
    } catch (error) {
      release?.();
      await screenshot(page, 'dashboard-failure.png').catch(() => undefined);
      throw error;
    } finally {
      await page.close();
    }
  }, 120_000);

  it("with an agent token shows that agent's scope only, as the graph answers it", async () => {
    const { page, offHost, errors } = await offlinePage();
    try {
      const token = await stack.agentToken('agt_0013');
      // Pasted as a terminal may give it: with "Bearer " and a line break inside.
      await signIn(page, `Bearer ${token.slice(0, 40)}\n${token.slice(40)}`);
      await page.locator('body[data-state="done"]').waitFor({ timeout: 60_000 });
      expect(await page.$$eval('.panel', (panels) => panels.map((panel) => (panel as HTMLElement).dataset.state))).toEqual([
        'ready',
        'ready',
        'ready',
        'ready',
      ]);
      expect(await page.locator('#who').textContent()).toBe('AGENT · agt_0013');
      const figures = await expectFiguresOfGraph(page, token);
      // The agency's figures (staff) are larger: the page showed the agent's scope, not the agency's.
      const window = JSON.parse((await page.locator('#trend').getAttribute('data-variables'))!) as Record<string, unknown>;
      const agency = await answer<{ placements: { periods: { placedPremium: string }[] } }>(
        'DashboardTrend',
        window,
        await stack.token('STAFF'),
      );
      expect(figures.placedPremium).toBeLessThan(agency.placements.periods.reduce((sum, period) => sum + Number(period.placedPremium), 0));
      expect(offHost).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('shows the coded error for a refused token, and the way back to sign in', async () => {
    const { page, offHost, errors } = await offlinePage();
    try {
      // JWT-shaped, signed with another secret: the gateway refuses it with UNAUTHENTICATED.
      const forged = `${(await stack.token('STAFF')).split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;
      await signIn(page, forged);
      await page.locator('body[data-state="done"]').waitFor({ timeout: 60_000 });
      const panels = await page.$$eval('.panel', (all) =>
        all.map((panel) => [
          panel.id,
          (panel as HTMLElement).dataset.state,
          panel.querySelector<HTMLElement>('.status [data-code]')?.dataset.code,
        ]),
      );
      expect(panels).toEqual([
        ['trend', 'error', 'UNAUTHENTICATED'],
        ['pipeline', 'error', 'UNAUTHENTICATED'],
        ['requirements', 'error', 'UNAUTHENTICATED'],
        ['agents', 'error', 'UNAUTHENTICATED'],
      ]);
      const message = page.locator('#sign-in-error');
      await message.waitFor({ state: 'visible' });
      expect(await message.locator('[data-code]').textContent()).toBe('UNAUTHENTICATED');
      expect(await message.textContent()).toContain('npm run token');
      await expect(page.locator('#sign-in').isVisible()).resolves.toBe(true);
      // The refused token is forgotten, and the header does not claim a sign-in.
      expect(await page.evaluate(() => sessionStorage.getItem('bga-dashboard-token'))).toBeNull();
      expect(await page.locator('#who').textContent()).toBe('token refused');
      await screenshot(page, 'dashboard-error.png');
      expect(offHost).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('shows one failing panel by its code while the others show their figures', async () => {
    const { page, offHost, errors } = await offlinePage();
    try {
      // The top agents' request never reaches the gateway (as with a dropped connection).
      await page.route(`${origin}/graphql`, (route) =>
        route.request().postDataJSON()?.operationName === 'DashboardTopAgents' ? route.abort('connectionreset') : route.fallback(),
      );
      await signIn(page, await stack.token('STAFF'));
      await page.locator('body[data-state="done"]').waitFor({ timeout: 60_000 });
      const panels = await page.$$eval('.panel', (all) =>
        all.map((panel) => [
          panel.id,
          (panel as HTMLElement).dataset.state,
          panel.querySelector<HTMLElement>('.status [data-code]')?.dataset.code ?? null,
        ]),
      );
      expect(panels).toEqual([
        ['trend', 'ready', null],
        ['pipeline', 'ready', null],
        ['requirements', 'ready', null],
        ['agents', 'error', 'NETWORK_ERROR'],
      ]);
      expect(await page.locator('#sign-in').isVisible()).toBe(false);
      expect(await page.locator('#trend tbody tr').count()).toBe(12);
      expect(offHost).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});

describe('/dashboard over HTTP', () => {
  it('serves the page, its scripts, the chart library and its own operations; nothing else', async () => {
    const get = async (path: string) => {
      const response = await fetch(`${origin}${path}`);
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    };
    const page = await get('/dashboard');
    expect([page.status, page.type]).toEqual([200, 'text/html; charset=utf-8']);
    expect(page.text).toContain('"chart.js": "/dashboard/vendor/chart.js/chart.js"');
    expect((await get('/dashboard/')).text).toBe(page.text);
    expect(await get('/dashboard/app/main.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await get('/dashboard/vendor/chart.js/chart.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await get('/dashboard/vendor/@kurkle/color/color.esm.js')).toMatchObject({ status: 200 });
    for (const operation of DASHBOARD_OPERATIONS)
      expect((await get(`/dashboard/operations/${operation}.graphql`)).text).toBe(
        readFileSync(join(ROOT, 'examples/operations', `${operation}.graphql`), 'utf8'),
      );
    // Not a dashboard operation, the TypeScript source, its tsconfig, a way out of the folders.
    for (const path of [
      '/dashboard/operations/CaseList.graphql',
      '/dashboard/src/main.ts',
      '/dashboard/tsconfig.json',
      '/dashboard/%2e%2e/%2e%2e/package.json',
      '/dashboard/vendor/chart.js/%2e%2e/package.json',
      '/dashboard/app/%2e%2e/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/dashboard/src',
      '/dashboard/app/',
    ])
      expect([path, (await get(path)).status]).toEqual([path, 404]);
    expect((await fetch(`${origin}/dashboard`, { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it("sends only operations of the trusted documents' manifest, as their example files hold them", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'schema/trusted-documents.json'), 'utf8')) as {
      operations: { name: string; body: string }[];
    };
    for (const operation of DASHBOARD_OPERATIONS) {
      const entry = manifest.operations.find((candidate) => candidate.name === operation);
      expect([operation, entry && print(parse(readFileSync(join(ROOT, 'examples/operations', `${operation}.graphql`), 'utf8')))]).toEqual([
        operation,
        entry?.body,
      ]);
    }
  });

  it('is not served in production (NODE_ENV=production: the same switch as the explorer)', () => {
    expect(dashboard(true)).toEqual({});
    expect(Object.keys(dashboard(false).routes ?? {})).toEqual(['/dashboard', '/dashboard/']);
  });
});
