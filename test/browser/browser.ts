/**
 * Headless Chromium for the browser suites: playwright-core driving Debian's `chromium` package
 * (no browser download). When it is not installed the suites are skipped, with the reason in the
 * suite's name; `scripts/install-browser.sh` installs it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium)
  console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (run scripts/install-browser.sh as root to install it).`);

/** `describe` when Chromium is installed, else `describe.skip` with the reason in the title. */
export function describeInChromium(title: string, suite: () => void): void {
  if (hasChromium) {
    describe(title, suite);
  } else {
    describe.skip(`${title} [SKIPPED: no Chromium at ${CHROMIUM_PATH}; run scripts/install-browser.sh as root]`, suite);
  }
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors, uncaught page errors and failed requests seen so far. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** A fresh browser profile (its own --user-data-dir) and one page. */
export async function openBrowser(viewport = { width: 1440, height: 900 }): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'eventshop-chromium-'));
  // Playwright takes the profile directory as a parameter (it rejects --user-data-dir in args).
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    timeout: 30_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A live feed (a streaming subscription) cut by navigating away is not a problem.
    const subscription = /^\s*\{"query":"subscription /.test(request.postData() ?? '');
    if (!(subscription && request.failure()?.errorText === 'net::ERR_ABORTED')) {
      problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
    }
  });
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
