/** Rebuilding the read model side by side while the API keeps serving, on every backend. */
import type { Gateway } from '../../server/gateway';
import { backends } from '../support/backends';
import { createItem, graphql, startTestGateway, take, wsClient } from '../support/gatewayHarness';
import { checkInItems } from '../support/shopSetup';
import { rebuildProgress, startRebuild } from '../support/projectionRebuild';

describe.each(backends)('projection rebuild without downtime ($name store)', (backend) => {
  let gateway: Gateway;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    const created = await backend.create();
    dispose = created.dispose;
    gateway = await startTestGateway(created.store, { PAYMENT_LATENCY_MS: '5' });
  });
  afterEach(async () => {
    await gateway.stop();
    await dispose();
  });

  it('rebuilds, swaps in, and keeps serving queries, writes and subscriptions throughout', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const { item } = await createItem(gateway.url, `REBUILD-${i}`);
      ids.push(item.id as string);
      await checkInItems(gateway.url, item.id, 3);
    }
    const snapshot = `{ inventoryItems(first: 100) { totalCount nodes { id sku quantityOnHand version } } }`;
    const before = (await graphql(gateway.url, snapshot)).data;

    const client = wsClient(gateway.url);
    const changes = client.iterate<{ inventoryItemChanges: { eventType: string; position: string } }>({
      query: `subscription { inventoryItemChanges { eventType position } }`,
    });
    const progress = rebuildProgress(client);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(await startRebuild(gateway.url)).toMatchObject({ state: 'RUNNING', version: 1 });
    // Writes during the rebuild read their own write and reach subscribers once each.
    const during = [];
    for (let i = 0; i < 5; i += 1) during.push(await checkInItems(gateway.url, ids[0]!, 1, 'item { quantityOnHand }'));
    expect(during.map((r) => r.data?.checkInItems.item.quantityOnHand)).toEqual([4, 5, 6, 7, 8]);

    const reports = [];
    while (reports[reports.length - 1]?.state !== 'COMPLETED') {
      const [next] = await take(progress, 1, 20_000);
      if (!next?.data) throw new Error(`progress ended: ${JSON.stringify(next)}`);
      reports.push(next.data.projectionRebuild);
      if (next.data.projectionRebuild.state === 'FAILED') throw new Error('rebuild failed');
    }
    expect(reports[reports.length - 1]).toMatchObject({ state: 'COMPLETED', percent: 100, version: 2 });

    const after = await checkInItems(gateway.url, ids[0]!, 1, 'item { quantityOnHand }');
    expect(after.data?.checkInItems.item.quantityOnHand).toBe(9);
    const received = (await take(changes, 6)).map((c) => c.data!.inventoryItemChanges);
    expect(received.every((c) => c.eventType === 'ItemsCheckedIn')).toBe(true);
    expect(new Set(received.map((c) => c.position)).size).toBe(6);
    const now = (await graphql(gateway.url, snapshot)).data as typeof before;
    expect(now?.inventoryItems.totalCount).toBe(before?.inventoryItems.totalCount);
    expect(now?.inventoryItems.nodes.slice(1)).toEqual(before?.inventoryItems.nodes.slice(1));
    expect(
      (
        await graphql(
          gateway.url,
          `
            {
              projectionRebuild {
                state
                version
              }
              status {
                caughtUp
              }
            }
          `,
        )
      ).data,
    ).toEqual({
      projectionRebuild: { state: 'COMPLETED', version: 2 },
      status: { caughtUp: true },
    });
    await client.dispose();
  });
});
