/**
 * The event-invalidated response cache, against the real gateway over HTTP on every backend:
 * repeated queries are answered without executing, every write (a mutation or the process
 * manager's) purges what it changed before the writer's answer can be read, results stay within
 * their caller's scope, and no mutation is ever answered from the cache.
 */
import { InventoryItemQueries } from '../../projections/inventoryItemView/inventoryItemQueries';
import { issueToken } from '../../server/tokens';
import { backends } from '../support/backends';
import { createItem, graphql, TEST_JWT_SECRET, tokenFor } from '../support/gatewayHarness';
import { checkInItems } from '../support/shopSetup';
import { gatewayPerTest } from '../support/gatewayPerTest';

describe.each(backends)('response cache ($name store)', (backend) => {
  const running = gatewayPerTest(backend, { PAYMENT_LATENCY_MS: '10' });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const checkIn = (id: string, count: number) => checkInItems(running.gateway.url, id, count, 'item { quantityOnHand }');

  it('answers a repeated query without executing it, until an event changes what it shows', async () => {
    const { item } = await createItem(running.gateway.url, 'RC-MUG');
    const list = jest.spyOn(InventoryItemQueries.prototype, 'list');
    const query = `{ inventoryItems(first: 10) { nodes { sku quantityOnHand } } }`;
    const first = await graphql(running.gateway.url, query);
    const again = await graphql(running.gateway.url, query);
    expect(again).toEqual(first);
    expect(list).toHaveBeenCalledTimes(1);

    await checkIn(item.id, 4);
    const after = await graphql(running.gateway.url, query);
    expect(after.data?.inventoryItems.nodes).toEqual([{ sku: 'RC-MUG', quantityOnHand: 4 }]);
    expect(list).toHaveBeenCalledTimes(2);

    // A list that did not show the new item must show it once it exists.
    const filtered = `{ inventoryItems(first: 10, filter: { nameContains: "plate" }) { nodes { sku } } }`;
    expect((await graphql(running.gateway.url, filtered)).data?.inventoryItems.nodes).toEqual([]);
    await createItem(running.gateway.url, 'RC-PLATE', 'Plate');
    expect((await graphql(running.gateway.url, filtered)).data?.inventoryItems.nodes).toEqual([{ sku: 'RC-PLATE' }]);
  });

  it('never answers a read with an older result than the mutation the client just got back, under concurrent readers', async () => {
    const { item } = await createItem(running.gateway.url, 'RC-RYW');
    const query = `query($id: ID!) { inventoryItem(id: $id) { quantityOnHand } }`;
    let reading = true;
    // Other clients keep the same query hot in the cache the whole time.
    const readers = Array.from({ length: 6 }, async () => {
      while (reading) await graphql(running.gateway.url, query, { id: item.id });
    });
    try {
      for (let round = 1; round <= 60; round += 1) {
        const written = await checkIn(item.id, 1);
        expect(written.errors).toBeUndefined();
        expect(written.data?.checkInItems.item.quantityOnHand).toBe(round);
        const read = await graphql(running.gateway.url, query, { id: item.id });
        expect(read.data?.inventoryItem.quantityOnHand).toBe(round);
      }
    } finally {
      reading = false;
      await Promise.all(readers);
    }
  });

  it("follows the process manager's writes too (no mutation in between)", async () => {
    const { item } = await createItem(running.gateway.url, 'RC-PM', 'Lamp', { unitPriceCents: 900 });
    await checkIn(item.id, 5);
    const alice = await tokenFor('customer', 'alice');
    const placed = await graphql(
      running.gateway.url,
      `
        mutation ($input: PlaceOrderInput!) {
          placeOrder(input: $input) {
            order {
              id
              status
            }
          }
        }
      `,
      { input: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethodToken: 'tok_visa' } },
      { authorization: `Bearer ${alice}` },
    );
    const id = placed.data!.placeOrder.order.id as string;
    const deadline = Date.now() + 15_000;
    let status = placed.data!.placeOrder.order.status as string;
    while (status !== 'CONFIRMED') {
      if (Date.now() > deadline) throw new Error(`order stuck at ${status}`);
      status = (
        await graphql(
          running.gateway.url,
          `
            query ($id: ID!) {
              order(id: $id) {
                status
              }
            }
          `,
          { id },
          { authorization: `Bearer ${alice}` },
        )
      ).data?.order.status;
    }
    expect(status).toBe('CONFIRMED');
  });

  it("keeps each caller's results to that caller", async () => {
    const { item } = await createItem(running.gateway.url, 'RC-SCOPE', 'Cup', { unitPriceCents: 300 });
    await checkIn(item.id, 10);
    const tokens = { alice: await tokenFor('customer', 'alice'), bob: await tokenFor('customer', 'bob') };
    const orderIds: Record<string, string> = {};
    for (const customer of ['alice', 'bob'] as const) {
      const placed = await graphql(
        running.gateway.url,
        `
          mutation ($input: PlaceOrderInput!) {
            placeOrder(input: $input) {
              order {
                id
              }
            }
          }
        `,
        { input: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethodToken: 'tok_visa' } },
        { authorization: `Bearer ${tokens[customer]}` },
      );
      orderIds[customer] = placed.data!.placeOrder.order.id;
    }
    const mine = `{ orders(first: 10) { nodes { id customerId } } }`;
    for (let round = 0; round < 2; round += 1) {
      for (const customer of ['alice', 'bob'] as const) {
        const result = await graphql(running.gateway.url, mine, undefined, { authorization: `Bearer ${tokens[customer]}` });
        expect(result.data?.orders.nodes).toEqual([{ id: orderIds[customer], customerId: customer }]);
      }
    }
    // The admin's cached view of alice's order is never what bob gets for the same request.
    const lookup = `query($id: ID!) { order(id: $id) { id customerId } }`;
    const asAdmin = await graphql(running.gateway.url, lookup, { id: orderIds.alice });
    expect(asAdmin.data?.order.customerId).toBe('alice');
    const asBob = await graphql(running.gateway.url, lookup, { id: orderIds.alice }, { authorization: `Bearer ${tokens.bob}` });
    expect(asBob.data?.order).toBeNull();

    // A token that does not verify is refused, even for a request a valid token has cached.
    const forged = await issueToken(`${TEST_JWT_SECRET}-not-ours`, { role: 'customer', sub: 'alice' });
    const refused = await graphql(running.gateway.url, mine, undefined, { authorization: `Bearer ${forged}` });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.data ?? null).toBeNull();
  });

  it('does not cache results that show no document, nor status or history reads', async () => {
    const { item } = await createItem(running.gateway.url, 'RC-COUNT');
    const count = `{ inventoryItems(first: 1) { totalCount } status { processedEvents } }`;
    const before = await graphql(running.gateway.url, count);
    await checkIn(item.id, 1);
    const after = await graphql(running.gateway.url, count);
    expect(after.data?.status.processedEvents).toBeGreaterThan(before.data?.status.processedEvents);
    const history = `{ events(last: 1) { nodes { type } } }`;
    expect((await graphql(running.gateway.url, history)).data?.events.nodes[0].type).toBe('ItemsCheckedIn');
    await graphql(
      running.gateway.url,
      `
        mutation ($id: ID!) {
          renameInventoryItem(input: { id: $id, name: "Renamed" }) {
            revision
          }
        }
      `,
      { id: item.id },
    );
    expect((await graphql(running.gateway.url, history)).data?.events.nodes[0].type).toBe('InventoryItemRenamed');
  });

  it("never answers one request with another one's cached result (uncacheable requests, other documents, graphql-ws)", async () => {
    await createItem(running.gateway.url, 'RC-KEYS');
    const anonymous = { authorization: '' };
    const queries = [
      `{ inventoryItems(first: 1) { nodes { sku } } }`,
      `{ status { caughtUp } }`,
      `{ inventoryItemBySku(sku: "RC-KEYS") { sku } }`,
    ];
    for (let round = 0; round < 3; round += 1) {
      const [list, status, bySku] = await Promise.all(queries.map((query) => graphql(running.gateway.url, query, undefined, anonymous)));
      expect(list?.data).toEqual({ inventoryItems: { nodes: [{ sku: 'RC-KEYS' }] } });
      expect(status?.data).toEqual({ status: { caughtUp: true } });
      expect(bySku?.data).toEqual({ inventoryItemBySku: { sku: 'RC-KEYS' } });
    }
  });

  it('drops every cached result when a rebuilt read model replaces the live one', async () => {
    await createItem(running.gateway.url, 'RC-REBUILD');
    const list = jest.spyOn(InventoryItemQueries.prototype, 'list');
    const query = `{ inventoryItems(first: 10) { nodes { sku } } }`;
    await graphql(running.gateway.url, query);
    await graphql(running.gateway.url, query);
    expect(list).toHaveBeenCalledTimes(1);
    const started = await graphql(
      running.gateway.url,
      `
        mutation {
          rebuildProjections {
            state
            version
          }
        }
      `,
    );
    expect(started.errors).toBeUndefined();
    const deadline = Date.now() + 15_000;
    while (
      (
        await graphql(
          running.gateway.url,
          `
            {
              projectionRebuild {
                state
                version
              }
            }
          `,
        )
      ).data?.projectionRebuild.version !== 2
    ) {
      if (Date.now() > deadline) throw new Error('the rebuild did not complete');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await graphql(running.gateway.url, query)).data?.inventoryItems.nodes).toEqual([{ sku: 'RC-REBUILD' }]);
    expect(list).toHaveBeenCalledTimes(2);
  });
});
