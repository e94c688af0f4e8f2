/**
 * The offline explorer in a real browser: Debian's chromium (installed by .ci/run) driven by
 * playwright-core opens the gateway's /graphql with every request to another host blocked, pastes a
 * development token into the Headers editor as the page explains, runs a query that needs it, and
 * sees the cases in the answer. Skipped, with a note, where no chromium is installed
 * (CHROMIUM_PATH names another binary).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';

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
  console.warn('[test] no chromium on PATH (apt-get install chromium, or CHROMIUM_PATH): the explorer browser test is skipped');

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  if (!executablePath) return;
  stack = await startStack();
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Replaces the whole text of the (visible) Monaco editor `selector` finds with `text`. */
async function setEditor(page: Page, selector: string, text: string): Promise<void> {
  const editor = page.locator(`${selector}:visible`).first();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

describeBrowser('the offline explorer in chromium', () => {
  it('runs a query with a development token and shows the data', async () => {
    const page = await browser.newPage();
    const offHost: string[] = [];
    const origin = new URL(stack.url).origin;
    // Offline: anything not from the gateway itself is refused (and noted).
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      offHost.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(stack.url);
      await page.locator('.graphiql-container').first().waitFor({ timeout: 30_000 });
      // The page explains the token flow in its first tab's editor.
      await page.getByText('npm run token -- --role staff').first().waitFor({ timeout: 15_000 });

      await setEditor(
        page,
        '.graphiql-query-editor .monaco-editor',
        'query Cases { cases(first: 2) { totalCount edges { node { caseNumber status } } } }',
      );
      await page.getByText('Headers', { exact: true }).first().click();
      const token = await stack.token('STAFF');
      await setEditor(page, '.graphiql-editor-tool .monaco-editor[data-uri*="headers"]', `{"authorization": "Bearer ${token}"}`);
      await page.locator('.graphiql-execute-button').click();

      const response = page.locator('.graphiql-response');
      await response.getByText('caseNumber').first().waitFor({ timeout: 30_000 });
      const text = ((await response.textContent()) ?? '').replace(/\s+/g, ' ');
      expect(text).toContain('"totalCount"');
      expect(text).toMatch(/"caseNumber": "[A-Z0-9-]+"/);
      expect(text).not.toContain('UNAUTHENTICATED');
      expect(offHost).toEqual([]);
      expect(errors).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: '/tmp/bga-explorer-failure.png', fullPage: true }).catch(() => undefined);
      throw error;
    } finally {
      await page.close();
    }
  }, 90_000);
});
