/**
 * GraphiQL smoke test in a real browser: the gateway serves GraphiQL (and all of its assets)
 * itself; headless Chromium loads it, runs a query and sees the result.
 */
import type { EventStore } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import { embeddedBackend } from '../support/backends';
import { createItem, startTestGateway } from '../support/gatewayHarness';
import { describeInChromium, openBrowser, type BrowserSession } from './browser';

jest.setTimeout(120_000);

describeInChromium('GraphiQL in headless Chromium', () => {
  let gateway: Gateway;
  let store: EventStore;
  let dispose: () => Promise<void>;
  let browser: BrowserSession;

  beforeAll(async () => {
    ({ store, dispose } = await embeddedBackend.create());
    gateway = await startTestGateway(store);
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await dispose?.();
  });

  it('loads GraphiQL, runs a query and shows the result', async () => {
    await createItem(gateway.url, 'GQL-1', 'GraphiQL mug');
    const { page } = browser;
    const external: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(gateway.url.replace(/\/graphql$/, '')) && !url.startsWith('blob:') && !url.startsWith('data:'))
        external.push(url);
    });
    // GraphiQL opens with the query from the URL in its editor.
    const query = '{ inventoryItems(first: 5) { totalCount nodes { sku name } } status { eventStore caughtUp } }';
    await page.goto(`${gateway.url}?query=${encodeURIComponent(query)}`);
    await expect(page.title()).resolves.toBe('Event shop gateway');
    await page.locator('.graphiql-query-editor', { hasText: 'inventoryItems' }).waitFor({ timeout: 30_000 });

    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.graphiql-response');
    await result.locator('text=GraphiQL mug').waitFor({ timeout: 30_000 });
    // Monaco draws spaces as no-break spaces.
    const text = ((await result.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('"totalCount": 1');
    expect(text).toContain('GQL-1');
    expect(text).toContain('"eventStore": "embedded"');

    // Type another query into the editor and run it with the keyboard.
    await page.locator('.graphiql-query-editor .monaco-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('query Typed { inventoryItemBySku(sku: "gql-1") { name quantityOnHand } }', { delay: 5 });
    await page.keyboard.press('Escape'); // close any completion popup
    await page.keyboard.press('ControlOrMeta+Enter');
    await result.locator('text=quantityOnHand').waitFor({ timeout: 30_000 });
    const typed = ((await result.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(typed).toContain('"inventoryItemBySku": { "name": "GraphiQL mug", "quantityOnHand": 0 }');

    expect(external).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
