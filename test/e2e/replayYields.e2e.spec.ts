/**
 * A replay that yields (issue 15): while the read model is rebuilt from a large `$all`, the gateway
 * keeps answering /health, queries and mutations, and the rebuild's progress is visible midway.
 * No timing bound here (the bench measures the latency: `npm run bench -- replay`); what fails
 * without yielding is that nothing is answered, and no progress is seen, until the replay is over.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend, JsonObject } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import { backends } from '../support/backends';
import { createItem, graphql, startTestGateway, wsClient } from '../support/gatewayHarness';
import { checkInItems } from '../support/shopSetup';
import { rebuildProgress, startRebuild, type RebuildReport } from '../support/projectionRebuild';

const PER_STREAM = 50;
const PER_APPEND = 50;

async function fill(store: EventStore, events: number): Promise<void> {
  const appends: Array<Promise<unknown>> = [];
  for (let stream = 0; stream * PER_STREAM < events; stream += 1) {
    const itemId = randomUUID();
    const batch: EventToAppend[] = Array.from({ length: Math.min(PER_APPEND, events - stream * PER_STREAM) }, (_, index) => ({
      id: randomUUID(),
      type: index === 0 ? 'InventoryItemCreated' : 'ItemsCheckedIn',
      data: (index === 0
        ? { itemId, sku: `FILL-${stream}`, name: `Fill ${stream}`, unitPriceCents: 100 }
        : { itemId, count: 1 }) as JsonObject,
      metadata: { actor: 'test-fill' },
    }));
    appends.push(store.appendToStream(`inventoryItem-${itemId}`, batch, { expectedRevision: 'no_stream' }));
    if (appends.length === 50) await Promise.all(appends.splice(0));
  }
  await Promise.all(appends);
}

describe.each(backends)('a replay that yields ($name store)', (backend) => {
  // The protocol test server replays far slower than EventStoreDB or SQLite: fewer events keep the run short.
  const EVENTS = backend.name === 'embedded' ? 20_000 : 3_000;
  let gateway: Gateway;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const created = await backend.create();
    dispose = created.dispose;
    await fill(created.store, EVENTS);
    gateway = await startTestGateway(created.store, { PROCESS_MANAGER: 'false' });
  }, 120_000);
  afterAll(async () => {
    await gateway.stop();
    await dispose();
  });

  it('answers /health, queries and mutations and shows progress while it rebuilds', async () => {
    const itemId = (await createItem(gateway.url, 'YIELD-PROBE')).item.id as string;
    const base = gateway.url.replace('/graphql', '');
    // The progress subscription, over graphql-ws, as a dashboard would watch it.
    const client = wsClient(gateway.url);
    const reports: RebuildReport[] = [];
    const progressDone = (async () => {
      for await (const result of rebuildProgress(client)) reports.push(result.data!.projectionRebuild);
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = await startRebuild(gateway.url);
    expect(started).toMatchObject({ state: 'RUNNING' });
    const total = started.totalEvents;
    expect(total).toBeGreaterThan(EVENTS);

    let midway = 0;
    let answeredWhileRunning = 0;
    let acknowledgedWhileRunning = 0;
    for (;;) {
      const health = await fetch(`${base}/health`);
      const write = await checkInItems(gateway.url, itemId, 1, 'item { quantityOnHand }');
      const progress = await graphql(
        gateway.url,
        `
          {
            projectionRebuild {
              state
              processedEvents
              totalEvents
            }
            status {
              caughtUp
            }
          }
        `,
      );
      const status = progress.data?.projectionRebuild as { state: string; processedEvents: number; totalEvents: number };
      if (status.state !== 'RUNNING') {
        expect(status.state).toBe('COMPLETED');
        break;
      }
      // Asked and answered before the rebuild ended.
      if (health.status === 200) answeredWhileRunning += 1;
      if (write.errors === undefined) acknowledgedWhileRunning += 1;
      if (status.processedEvents > 0 && status.processedEvents < status.totalEvents) midway += 1;
    }
    await progressDone;
    await client.dispose();
    expect(
      reports.some((report) => report.state === 'RUNNING' && report.processedEvents > 0 && report.processedEvents < report.totalEvents),
    ).toBe(true);
    expect(reports.at(-1)?.state).toBe('COMPLETED');
    expect(midway).toBeGreaterThan(0);
    expect(answeredWhileRunning).toBeGreaterThan(0);
    expect(acknowledgedWhileRunning).toBeGreaterThan(0);
    // Nothing acknowledged was lost in the swap.
    const item = await graphql(
      gateway.url,
      `
        query ($id: ID!) {
          inventoryItem(id: $id) {
            quantityOnHand
          }
        }
      `,
      { id: itemId },
    );
    expect(item.data?.inventoryItem.quantityOnHand).toBeGreaterThanOrEqual(acknowledgedWhileRunning);
  }, 120_000);
});
