/**
 * Checkpoints that do not grow. The process manager's checkpoint is one current value in an internal
 * stream: after orders are fulfilled and the gateway restarts, `$all` (and so the history, the events
 * feed and projection lag) holds no checkpoint or lease event, the checkpoint stream returns one
 * event, and the restarted process manager resumes after it without acting again.
 */
import { checkpointStreamName } from '../../application/checkpointStore';
import type { Gateway } from '../../server/gateway';
import { streamCategory, type EventStore } from '../../eventStore/port';
import { backends } from '../support/backends';
import { createItem, graphql, startTestGateway } from '../support/gatewayHarness';

jest.setTimeout(60_000);

describe.each(backends)('process-manager checkpoints ($name store)', (backend) => {
  let store: EventStore;
  let reopen: () => Promise<EventStore>;
  let dispose: () => Promise<void>;
  let gateway: Gateway | undefined;

  beforeEach(async () => {
    ({ store, reopen, dispose } = await backend.create());
  });
  afterEach(async () => {
    await gateway?.stop();
    await dispose();
  });

  async function fulfilOrders(count: number): Promise<void> {
    const { item } = await createItem(gateway!.url, `CKPT-${Math.random()}`, 'Checkpointed', { unitPriceCents: 100 });
    await graphql(
      gateway!.url,
      `
        mutation ($id: ID!) {
          checkInItems(input: { id: $id, count: 100 }) {
            revision
          }
        }
      `,
      { id: item.id },
    );
    for (let i = 0; i < count; i += 1) {
      await graphql(
        gateway!.url,
        `
          mutation ($input: PlaceOrderInput!) {
            placeOrder(input: $input) {
              revision
            }
          }
        `,
        {
          input: { customerId: 'ckpt', lines: [{ itemId: item.id, quantity: 1 }], paymentMethodToken: 'tok_visa' },
        },
      );
      // Spread over several checkpoint intervals, so the old code would have written several checkpoints.
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    const deadline = Date.now() + 20_000;
    while (
      (
        await graphql(
          gateway!.url,
          `
            {
              orders(status: [PLACED, STOCK_RESERVED]) {
                totalCount
              }
            }
          `,
        )
      ).data?.orders.totalCount !== 0
    ) {
      if (Date.now() > deadline) throw new Error('orders never finished');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('keeps one checkpoint out of $all, the history and the feed, and resumes from it', async () => {
    gateway = await startTestGateway(store, { PAYMENT_LATENCY_MS: '5' });
    await fulfilOrders(6);
    await gateway.stop();
    gateway = undefined;

    store = await reopen();
    const checkpoint = await store.readStream(checkpointStreamName('orderFulfilment'));
    expect(checkpoint).toHaveLength(1);
    expect(checkpoint[0]!.revision).toBeGreaterThan(0);
    expect(await store.getStreamMetadata(checkpointStreamName('orderFulfilment'))).toEqual({ maxCount: 1 });
    const all = await store.readAll();
    expect(
      all.filter(
        (event) => event.streamName.startsWith('_') || event.type.startsWith('ProcessManagerCheckpoint') || event.type.startsWith('Lease'),
      ),
    ).toEqual([]);
    // The last event the process manager acted on is its checkpoint: the last of the streams it follows
    // (the notifications capability's messages and mail ledger come after it, under their own checkpoint).
    const fulfilmentStreams = all.filter((event) => ['inventoryItem', 'order', 'payment'].includes(streamCategory(event.streamName)));
    expect(BigInt(checkpoint[0]!.data.position as string)).toBe(fulfilmentStreams[fulfilmentStreams.length - 1]!.position);
    expect(await store.readStream(checkpointStreamName('notifications'))).toHaveLength(1);

    gateway = await startTestGateway(store, { PAYMENT_LATENCY_MS: '5' });
    // The newest page of the history is the newest shop events, not bookkeeping.
    const feed = await graphql(
      gateway.url,
      `
        {
          events(last: 20) {
            nodes {
              streamName
              type
              position
            }
          }
        }
      `,
    );
    expect(feed.errors).toBeUndefined();
    const nodes = feed.data?.events.nodes as Array<{ streamName: string; type: string; position: string }>;
    expect(nodes.map((node) => node.position)).toEqual(all.slice(-20).map((event) => event.position.toString()));
    expect(nodes.filter((node) => node.streamName.startsWith('_'))).toEqual([]);
    // Resumed after the checkpoint: nothing acted on again, nothing new appended.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await store.readAll()).length).toBe(all.length);
  });
});
