/**
 * The timeline page in a real browser: headless Chromium (Debian's package, driven by
 * playwright-core) against the real gateway on the embedded store, seeded with the demo data.
 */
import { tmpdir } from 'node:os';
import { mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import type { EventStore } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import { serveStatic } from '../../server/staticRoutes';
import { embeddedBackend } from '../support/backends';
import { createItem, graphql, startTestGateway, testAdminToken } from '../support/gatewayHarness';
import { describeInChromium, openBrowser, type BrowserSession } from './browser';
import { checkInItems } from '../support/shopSetup';

// The README's screenshot is refreshed only when asked (UPDATE_SCREENSHOT=1); a plain test run
// leaves the working tree as it was.
const SCREENSHOT =
  process.env.UPDATE_SCREENSHOT === '1' ? join(__dirname, '..', '..', 'docs', 'timeline.png') : join(tmpdir(), 'eventshop-timeline.png');
/** Event data is user input: this name must show as text and never run. */
const HOSTILE_NAME = `Live mug <img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

jest.setTimeout(120_000);

/** The number of stored events once the fulfilment process has stopped adding any for a second. */
async function settledEventCount(store: EventStore): Promise<number> {
  let count = (await store.readAll()).length;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = (await store.readAll()).length;
    if (now === count) return count;
    count = now;
  }
}

describe('timeline page assets (no browser needed)', () => {
  let gateway: Gateway;
  let dispose: () => Promise<void>;
  let base: string;

  beforeAll(async () => {
    let store: EventStore;
    ({ store, dispose } = await embeddedBackend.create());
    gateway = await startTestGateway(store);
    base = gateway.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await gateway?.stop();
    await dispose?.();
  });

  it('serves the page and its library from the gateway itself, with a strict CSP', async () => {
    const response = await fetch(`${base}/timeline`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    const library = await fetch(`${base}/timeline/vendor/vis-timeline-graph2d.min.js`);
    expect(library.status).toBe(200);
    expect(library.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/timeline/../package.json`)).status).not.toBe(200);
    expect((await fetch(`${base}/timeline/nope.js`)).status).toBe(404);
    expect((await fetch(`${base}/timeline`, { method: 'POST' })).status).toBe(405);
    const head = await fetch(`${base}/timeline/timeline.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const etag = head.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await fetch(`${base}/timeline/timeline.js`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    // Everything else still reaches GraphQL.
    expect((await fetch(`${base}/timelines`)).status).toBe(404);
    expect((await graphql(gateway.url, '{ status { caughtUp } }')).data).toEqual({ status: { caughtUp: true } });
  });

  it('puts a development token into the page only when given one, escaped', async () => {
    const server = createServer((request, response) => {
      if (!serveStatic(request, response, { devToken: 'a.b.c"><script>x</script>' })) response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const html = await (await fetch(`http://127.0.0.1:${port}/timeline`)).text();
      expect(html).toContain('<meta name="eventshop-dev-token" content="a.b.c&#34;&#62;&#60;script&#62;x&#60;/script&#62;" />');
      expect(await (await fetch(`${base}/timeline`)).text()).not.toContain('eventshop-dev-token');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describeInChromium('timeline page in headless Chromium', () => {
  let gateway: Gateway;
  let store: EventStore;
  let dispose: () => Promise<void>;
  let reopen: () => Promise<EventStore>;
  let browser: BrowserSession;
  let page: Page;
  let base: string;
  /** The page reads history, which is for admins: it gets the test admin's token. */
  let token: string;

  beforeAll(async () => {
    ({ store, dispose, reopen } = await embeddedBackend.create());
    gateway = await startTestGateway(store, { SEED_DEMO_DATA: 'true', PAYMENT_LATENCY_MS: '20' });
    base = gateway.url.replace(/\/graphql$/, '');
    token = await testAdminToken();
    browser = await openBrowser({ width: 1440, height: 1000 });
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await dispose?.();
  });

  const details = () => page.locator('aside.details');
  const stateText = () => page.locator('#details-state');

  it('asks for an admin token without one', async () => {
    await page.goto(`${base}/timeline`);
    await page.locator('#access[open] #access-reason', { hasText: 'UNAUTHENTICATED' }).waitFor();
    await expect(page.locator('#status').textContent()).resolves.toContain('Could not load events');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('token');
    // Pasting the token loads the page.
    await page.locator('#token').fill(token);
    await page.locator('#access-form button[type="submit"]').click();
    await page.locator('#status', { hasText: 'Loaded the newest' }).waitFor();
    await page.evaluate(() => sessionStorage.clear());
    browser.problems.length = 0; // the refused requests were the point
  });

  it('shows the stored events on the timeline, grouped by category, and goes live', async () => {
    const stored = await settledEventCount(store);
    expect(stored).toBeGreaterThan(20);
    // The token goes in the fragment: never sent to the server, and removed from the address.
    await page.goto('about:blank');
    await page.goto(`${base}/timeline#token=${token}`);
    await expect(page.title()).resolves.toContain('Event timeline');
    expect(page.url()).not.toContain('token');
    await page.locator('#status', { hasText: `Loaded the newest ${Math.min(stored, 300)} events` }).waitFor();
    await page.locator('#live[data-state="live"]').waitFor();
    expect(await page.locator('#event-count').textContent()).toBe(String(Math.min(stored, 300)));
    expect(await page.locator('#event-list button').count()).toBe(Math.min(stored, 300));
    expect(await page.locator('.vis-timeline .vis-item').count()).toBeGreaterThan(0);
    const groupLabels = await page.locator('.vis-labelset .vis-label').allTextContents();
    expect(groupLabels.map((label) => label.trim())).toEqual(expect.arrayContaining(['inventoryItem', 'order', 'payment']));
    // It opens showing every label whole: no box, the oldest and the newest included, is cut at either edge.
    // (Boxes are drawn over a few frames: it may fit once more when they are; a second is plenty.)
    const cutBoxes = () => {
      const panel = document.querySelector('.vis-panel.vis-center')!.getBoundingClientRect();
      return [...document.querySelectorAll('.vis-item.vis-box')]
        .map((box) => box.getBoundingClientRect())
        .filter((box) => box.left < panel.left - 1 || box.right > panel.right + 1)
        .map((box) => ({
          left: Math.round(box.left),
          right: Math.round(box.right),
          panel: [Math.round(panel.left), Math.round(panel.right)],
        }));
    };
    let cut = await page.evaluate(cutBoxes);
    for (let tries = 0; cut.length > 0 && tries < 10; tries += 1) {
      await page.waitForTimeout(100);
      cut = await page.evaluate(cutBoxes);
    }
    expect(cut).toEqual([]);
  });

  it('shows a mutation made over HTTP live; clicking its event shows its data and the item as it was', async () => {
    const created = await createItem(gateway.url, 'LIVE-1', HOSTILE_NAME, { unitPriceCents: 999 });
    const checkedIn = await graphql(
      gateway.url,
      `
        mutation ($id: ID!) {
          checkInItems(input: { id: $id, count: 5 }) {
            position
          }
        }
      `,
      { id: created.item.id },
    );
    const checkInPosition = checkedIn.data!.checkInItems.position as string;

    // Both events arrive over the live feed and are drawn on the timeline.
    const createdItem = page.locator(`.vis-item .event-label[data-position="${created.position}"]`);
    const checkInItem = page.locator(`.vis-item .event-label[data-position="${checkInPosition}"]`);
    await createdItem.waitFor({ state: 'visible', timeout: 15_000 }).catch(async (error) => {
      await page.screenshot({ path: '/tmp/timeline-failure.png' });
      throw error;
    });
    await checkInItem.waitFor({ state: 'visible', timeout: 15_000 });
    await expect(createdItem.textContent()).resolves.toContain('InventoryItemCreated');
    await expect(createdItem.textContent()).resolves.toContain('LIVE-1');

    // Click the creation on the timeline: its data, metadata and the item at revision 0.
    await createdItem.click();
    await details().locator('#details-heading', { hasText: 'InventoryItemCreated' }).waitFor();
    expect(await page.locator('#details-fields').textContent()).toContain(`inventoryItem-${created.item.id}`);
    const data = await page.locator('#details-data').textContent();
    expect(JSON.parse(data!)).toMatchObject({ sku: 'LIVE-1', name: HOSTILE_NAME, unitPriceCents: 999 });
    expect(JSON.parse((await page.locator('#details-metadata').textContent())!)).toHaveProperty('correlationId');
    await page.locator('#details-state[aria-busy="false"]').waitFor();
    expect(JSON.parse((await stateText().textContent())!)).toMatchObject({ sku: 'LIVE-1', quantityOnHand: 0, version: 0 });

    // The check-in: the same item one revision later.
    await checkInItem.click();
    await details().locator('#details-heading', { hasText: 'ItemsCheckedIn' }).waitFor();
    await page.locator('#details-state[aria-busy="false"]').waitFor();
    expect(JSON.parse((await stateText().textContent())!)).toMatchObject({
      sku: 'LIVE-1',
      quantityOnHand: 5,
      quantityAvailable: 5,
      version: 1,
    });

    // The hostile name was shown as text: no element was made from it, nothing ran.
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('#event-list button', { hasText: 'InventoryItemCreated' }).first().textContent()).toContain(
      `inventoryItem-${created.item.id}`,
    );
  });

  it('selects from the keyboard list and shows an order as it was at that revision', async () => {
    // The list is one tab stop; the arrow keys move within it.
    const placed = page.locator('#event-list button', { hasText: 'OrderPlaced' }).last();
    const target = await placed.getAttribute('data-position');
    await page.locator('#event-list button[tabindex="0"]').focus();
    await page.keyboard.press('Home');
    for (let step = 0; step < 500; step += 1) {
      if ((await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.position)) === target) break;
      await page.keyboard.press('ArrowDown');
    }
    expect(await page.locator('#event-list button[tabindex="0"]').count()).toBe(1);
    await page.keyboard.press('Enter');
    await details().locator('#details-heading', { hasText: 'OrderPlaced' }).waitFor();
    expect(await placed.getAttribute('aria-current')).toBe('true');
    await page.locator('#details-state[aria-busy="false"]').waitFor();
    const order = JSON.parse((await stateText().textContent())!);
    expect(order).toMatchObject({ status: 'PLACED', version: 0 });
    expect(order.lines.length).toBeGreaterThan(0);
    // The timeline moved to the selected event and highlights it.
    await page.locator('.vis-item.vis-box.vis-selected', { hasText: 'OrderPlaced' }).waitFor();
    expect(await page.locator('.vis-item.vis-box.vis-selected').count()).toBe(1);

    // A live event redraws the list; the keyboard focus stays on the same event's button.
    const focused = await placed.getAttribute('data-position');
    const count = Number(await page.locator('#event-count').textContent());
    await createItem(gateway.url, 'KEYBOARD-1');
    await page.locator('#event-count', { hasText: String(count + 1) }).waitFor();
    await expect(page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.position)).resolves.toBe(focused);
  });

  it('takes a screenshot, then regroups by stream', async () => {
    // The screenshot: everything from the first event to now, then the first order selected from
    // the list (the timeline moves to it) with its details and its state at that revision.
    await page.locator('#fit').click();
    await page.locator('#event-list button', { hasText: 'OrderPlaced' }).last().click();
    await page.locator('#details-state[aria-busy="false"]').waitFor();
    await page.locator('.vis-item.vis-box.vis-selected').waitFor();
    await page.waitForTimeout(600); // the timeline's move to the selection is animated
    await page.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);

    await page.locator('input[name="group-by"][value="stream"]').check();
    const labels = await page.locator('.vis-labelset .vis-label').allTextContents();
    expect(labels.length).toBeGreaterThan(3);
    expect(labels.some((label) => label.includes('LIVE-1'))).toBe(true);
    // The selection survives and stays in view.
    await page.locator('.vis-item.vis-box.vis-selected', { hasText: 'OrderPlaced' }).waitFor({ timeout: 5_000 });
    await page.locator('input[name="group-by"][value="category"]').check();
    expect(browser.problems).toEqual([]);
  });

  it('resumes the live feed from the last position after the gateway restarts: no gap, no repeat', async () => {
    const port = gateway.port;
    const before = Number(await page.locator('#event-count').textContent());
    await gateway.stop();
    await page.locator('#live[data-state="offline"]').waitFor();
    // Keep the page off the network while the gateway comes back on the same store and port and
    // events are appended: the page must get them by replay from its last position.
    await browser.context.setOffline(true);
    store = await reopen();
    gateway = await startTestGateway(store, { PORT: String(port) });
    const { item } = await createItem(gateway.url, 'AFTER-RESTART');
    await checkInItems(gateway.url, item.id, 2);
    const stored = await store.readAll();
    expect(stored.length).toBe(before + 2);
    expect(Number(await page.locator('#event-count').textContent())).toBe(before);

    await browser.context.setOffline(false);
    await page.locator('#live[data-state="live"]').waitFor({ timeout: 30_000 });
    await page.locator('#event-count', { hasText: String(stored.length) }).waitFor({ timeout: 10_000 });
    const shown = await page
      .locator('#event-list button')
      .evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.position));
    expect(shown).toEqual(stored.map((event) => event.position.toString()).reverse());
    await page.locator(`.vis-item .event-label[data-position="${stored[stored.length - 1]!.position}"]`).waitFor();
    // Only the refused reconnection attempts while the gateway was away or the page was offline.
    expect(browser.problems.filter((problem) => !/ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED/.test(problem))).toEqual([]);
    browser.problems.length = 0; // those were the point; the next test starts with none
  });

  it('loads the newest 300 events first and older ones on demand', async () => {
    // Enough events for more than the first three pages of 100.
    const items = await Promise.all([0, 1, 2, 3].map((i) => createItem(gateway.url, `BULK-${i}`)));
    for (let round = 0; round < 65; round += 1) {
      await Promise.all(items.map(({ item }) => checkInItems(gateway.url, item.id, 1)));
    }
    const stored = (await store.readAll()).length;
    expect(stored).toBeGreaterThan(300);
    await page.goto('about:blank');
    await page.goto(`${base}/timeline#token=${token}`);
    await page.locator('#status', { hasText: 'Loaded the newest 300 events' }).waitFor();
    const loadOlder = page.locator('#load-older');
    expect(await loadOlder.isEnabled()).toBe(true);
    await loadOlder.click();
    await page.locator('#event-count', { hasText: String(stored) }).waitFor();
    await page.locator('#status', { hasText: `Loaded ${stored - 300} older events` }).waitFor();
    expect(await loadOlder.isDisabled()).toBe(true);
    expect(browser.problems).toEqual([]);
  });
});
