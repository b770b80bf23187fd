/** Event history, time travel and the resumable event feed, over real sockets, on every backend. */
import { backends } from '../support/backends';
import { createItem, graphql, take, wsClient } from '../support/gatewayHarness';
import { orderStatus } from '../support/shopSetup';
import { checkInItems } from '../support/shopSetup';
import { gatewayPerTest } from '../support/gatewayPerTest';

type Event = { type: string; streamName: string; revision: number; position: string; category: string; data: Record<string, unknown> };
const EVENT_FIELDS = 'type streamName category revision position occurredAt actor correlationId data metadata';

describe.each(backends)('history over GraphQL ($name store)', (backend) => {
  const running = gatewayPerTest(backend, { PAYMENT_LATENCY_MS: '5' });

  const checkIn = (id: string, count: number) => checkInItems(running.gateway.url, id, count);

  async function allEvents(filter: Record<string, unknown> = {}): Promise<Event[]> {
    const events: Event[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await graphql(
        running.gateway.url,
        `query($filter: EventFilter, $after: String) { events(filter: $filter, first: 3, after: $after) { edges { cursor node { ${EVENT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
        {
          filter,
          after,
        },
      );
      expect(page.errors).toBeUndefined();
      events.push(...page.data.events.edges.map((e: { node: Event }) => e.node));
      if (!page.data.events.pageInfo.hasNextPage) return events;
      after = page.data.events.pageInfo.endCursor;
    }
  }

  it('pages through $all and filters by category, stream, type and time', async () => {
    const mug = (await createItem(running.gateway.url, 'HIST-MUG')).item.id as string;
    const cup = (await createItem(running.gateway.url, 'HIST-CUP')).item.id as string;
    await checkIn(mug, 2);
    await checkIn(cup, 3);
    await checkIn(mug, 4);

    const inventory = await allEvents({ category: 'inventoryItem' });
    expect(inventory.map((e) => [e.type, e.streamName, e.revision])).toEqual([
      ['InventoryItemCreated', `inventoryItem-${mug}`, 0],
      ['InventoryItemCreated', `inventoryItem-${cup}`, 0],
      ['ItemsCheckedIn', `inventoryItem-${mug}`, 1],
      ['ItemsCheckedIn', `inventoryItem-${cup}`, 1],
      ['ItemsCheckedIn', `inventoryItem-${mug}`, 2],
    ]);
    expect(inventory.every((e) => e.category === 'inventoryItem')).toBe(true);
    const positions = inventory.map((e) => BigInt(e.position));
    for (let i = 1; i < positions.length; i += 1) expect(positions[i]! > positions[i - 1]!).toBe(true);

    expect((await allEvents({ streamName: `inventoryItem-${mug}` })).map((e) => e.revision)).toEqual([0, 1, 2]);
    expect((await allEvents({ types: ['ItemsCheckedIn'] })).map((e) => e.data.count)).toEqual([2, 3, 4]);
    expect(await allEvents({ category: 'inventoryItem', from: '2999-01-01T00:00:00Z' })).toEqual([]);
    expect(await allEvents({ category: 'inventoryItem', to: '2000-01-01T00:00:00Z' })).toEqual([]);

    const newest = await graphql(
      running.gateway.url,
      `
        {
          events(last: 2, filter: { category: "inventoryItem" }) {
            nodes {
              data
            }
            pageInfo {
              hasPreviousPage
              startCursor
            }
          }
        }
      `,
    );
    expect(newest.data?.events.nodes.map((n: { data: { count: number } }) => n.data.count)).toEqual([3, 4]);
    expect(newest.data?.events.pageInfo.hasPreviousPage).toBe(true);
    const older = await graphql(
      running.gateway.url,
      `
        query ($before: String) {
          events(last: 10, before: $before, filter: { category: "inventoryItem" }) {
            nodes {
              type
            }
          }
        }
      `,
      {
        before: newest.data?.events.pageInfo.startCursor,
      },
    );
    expect(older.data?.events.nodes).toHaveLength(3);
  });

  it('records who and why in every event', async () => {
    await graphql(
      running.gateway.url,
      `
        mutation {
          createInventoryItem(input: { sku: "HIST-META", name: "Meta" }) {
            revision
          }
        }
      `,
      undefined,
      { 'x-correlation-id': 'trace-123' },
    );
    const [created] = await allEvents({ types: ['InventoryItemCreated'] });
    expect(created).toMatchObject({ actor: 'admin:test-admin', correlationId: 'trace-123', metadata: { commandId: expect.any(String) } });
  });

  it('shows an inventory item as it was at a revision and at a time', async () => {
    const id = (await createItem(running.gateway.url, 'HIST-TT')).item.id as string;
    await checkIn(id, 5);
    const [, firstCheckIn] = await allEvents({ streamName: `inventoryItem-${id}` });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await checkIn(id, 7);
    const query = `query($id: ID!, $revision: Int, $at: DateTime) { inventoryItemAt(id: $id, revision: $revision, at: $at) { quantityOnHand version } }`;
    expect((await graphql(running.gateway.url, query, { id, revision: 0 })).data?.inventoryItemAt).toEqual({
      quantityOnHand: 0,
      version: 0,
    });
    expect((await graphql(running.gateway.url, query, { id, revision: 1 })).data?.inventoryItemAt).toEqual({
      quantityOnHand: 5,
      version: 1,
    });
    expect((await graphql(running.gateway.url, query, { id })).data?.inventoryItemAt).toEqual({ quantityOnHand: 12, version: 2 });
    const at = (firstCheckIn as unknown as { occurredAt: string }).occurredAt;
    expect((await graphql(running.gateway.url, query, { id, at })).data?.inventoryItemAt).toEqual({ quantityOnHand: 5, version: 1 });
    expect((await graphql(running.gateway.url, query, { id, at: '2000-01-01T00:00:00Z' })).data?.inventoryItemAt).toBeNull();
    expect((await graphql(running.gateway.url, query, { id, revision: -1 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows an order as it was at each revision of its stream', async () => {
    const id = (await createItem(running.gateway.url, 'HIST-ORDER', 'Order me', { unitPriceCents: 100 })).item.id as string;
    await checkIn(id, 3);
    const placed = await graphql(
      running.gateway.url,
      `
        mutation ($id: ID!) {
          placeOrder(input: { customerId: "tt", paymentMethodToken: "tok", lines: [{ itemId: $id, quantity: 1 }] }) {
            order {
              id
            }
          }
        }
      `,
      { id },
    );
    const orderId = placed.data?.placeOrder.order.id as string;
    const deadline = Date.now() + 15_000;
    while ((await orderStatus(running.gateway.url, orderId)) !== 'CONFIRMED') {
      if (Date.now() > deadline) throw new Error('order never confirmed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const query = `query($id: ID!, $revision: Int) { orderAt(id: $id, revision: $revision) { status payment { status } } }`;
    expect((await graphql(running.gateway.url, query, { id: orderId, revision: 0 })).data?.orderAt).toEqual({
      status: 'PLACED',
      payment: { status: 'NONE' },
    });
    expect((await graphql(running.gateway.url, query, { id: orderId, revision: 1 })).data?.orderAt).toEqual({
      status: 'STOCK_RESERVED',
      payment: { status: 'NONE' },
    });
    expect((await graphql(running.gateway.url, query, { id: orderId, revision: 2 })).data?.orderAt).toEqual({
      status: 'CONFIRMED',
      payment: { status: 'CAPTURED' },
    });
  });

  it('resumes the event feed from the last cursor: exactly the rest, no gap, no repeat', async () => {
    const id = (await createItem(running.gateway.url, 'HIST-FEED')).item.id as string;
    const [created] = await allEvents({ streamName: `inventoryItem-${id}` });
    const query = `subscription($after: String) { events(after: $after, filter: { category: "inventoryItem" }) { type revision position data } }`;

    const first = wsClient(running.gateway.url);
    const firstFeed = first.iterate<{ events: Event }>({ query, variables: { after: created!.position } });
    for (let i = 1; i <= 3; i += 1) await checkIn(id, i);
    const received = (await take(firstFeed, 2)).map((r) => r.data!.events);
    // The client drops mid-stream, while more changes keep coming.
    await first.dispose();
    for (let i = 4; i <= 6; i += 1) await checkIn(id, i);

    const second = wsClient(running.gateway.url);
    try {
      const secondFeed = second.iterate<{ events: Event }>({ query, variables: { after: received[received.length - 1]!.position } });
      received.push(...(await take(secondFeed, 4)).map((r) => r.data!.events));
      await checkIn(id, 7);
      received.push(...(await take(secondFeed, 1)).map((r) => r.data!.events));
      await secondFeed.return?.();
    } finally {
      await second.dispose();
    }
    expect(received.map((e) => e.revision)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(received.map((e) => e.data.count)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const stored = await running.store.readStream(`inventoryItem-${id}`);
    expect(received.map((e) => e.position)).toEqual(stored.slice(1).map((e) => e.position.toString()));
  });

  it('rejects malformed cursors and page sizes', async () => {
    const bad = await graphql(
      running.gateway.url,
      `
        {
          events(after: "not-a-position") {
            nodes {
              type
            }
          }
        }
      `,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = await graphql(
      running.gateway.url,
      `
        {
          events(first: 101) {
            nodes {
              type
            }
          }
        }
      `,
    );
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
