/**
 * Idempotency keys through the real server, on every backend: a key belongs to its caller and to
 * one request (operation, target, input); reusing it for anything else is refused and appends
 * nothing; the same request replays its original result, also after a restart and on another
 * instance. Event ids are unique across the whole store.
 */
import type { Gateway } from '../../server/gateway';
import type { EventStore } from '../../eventStore/port';
import { backends, esdbBackend } from '../support/backends';
import { createItem, graphql, settled, startTestGateway, tokenFor } from '../support/gatewayHarness';
import { waitFor } from '../support/waitFor';
import { checkInItems, customerOrderCount, openOrderCount, placeOrder } from '../support/shopSetup';

const ORDER_FIELDS = 'id customerId status version payment { status }';
const ITEM_STOCK = 'quantityOnHand quantityReserved quantityAvailable';

describe.each(backends)('idempotency keys ($name store)', (backend) => {
  let gateway: Gateway;
  let store: EventStore;
  let reopen: () => Promise<EventStore>;
  let dispose: () => Promise<void>;
  const env = { PAYMENT_LATENCY_MS: '5' };

  beforeEach(async () => {
    ({ store, reopen, dispose } = await backend.create());
    gateway = await startTestGateway(store, env);
  });
  afterEach(async () => {
    await gateway.stop();
    await dispose();
  });

  const as = async (role: 'admin' | 'customer', sub: string) => ({ authorization: `Bearer ${await tokenFor(role, sub)}` });

  async function stockedItem(sku: string, stock: number): Promise<string> {
    const { item } = await createItem(gateway.url, sku, `Item ${sku}`, { unitPriceCents: 1000 });
    const checkedIn = await checkInItems(gateway.url, item.id, stock);
    expect(checkedIn.errors).toBeUndefined();
    return item.id as string;
  }

  async function stock(itemId: string) {
    return (await graphql(gateway.url, `query($id: ID!) { inventoryItem(id: $id) { ${ITEM_STOCK} } }`, { id: itemId })).data?.inventoryItem;
  }

  async function order(id: string) {
    return (await graphql(gateway.url, `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id })).data?.order as
      { status: string; version: number; payment: { status: string } } | undefined;
  }

  async function placeAsCustomer(customer: string, itemId: string, quantity: number, idempotencyKey?: string) {
    const placed = await graphql(
      gateway.url,
      `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { replayed order { ${ORDER_FIELDS} } } }`,
      { input: { lines: [{ itemId, quantity }], paymentMethodToken: 'tok_visa', ...(idempotencyKey ? { idempotencyKey } : {}) } },
      await as('customer', customer),
    );
    expect(placed.errors).toBeUndefined();
    return placed.data!.placeOrder.order.id as string;
  }

  async function cancelAsCustomer(customer: string, id: string, idempotencyKey: string) {
    return graphql(
      gateway.url,
      `mutation($id: ID!, $key: String) { cancelOrder(input: { id: $id, reason: "r", idempotencyKey: $key }) { replayed order { ${ORDER_FIELDS} } } }`,
      { id, key: idempotencyKey },
      await as('customer', customer),
    );
  }

  /**
   * Shop events in the store, once the asynchronous work started so far has finished (`settled`).
   * The process manager's checkpoint events (issue 10 item 3 takes them out of `$all`) come on their
   * own schedule, so they are left out of "nothing was appended".
   */
  async function shopEventCount(): Promise<number> {
    await settled(store);
    return (await store.readAll()).filter((event) => !event.streamName.startsWith('_') && event.type !== 'ProcessManagerCheckpointStored')
      .length;
  }

  async function eventsIn(streamName: string): Promise<number> {
    return (await store.readStream(streamName).catch(() => [])).length;
  }

  async function expectUniqueEventIds(): Promise<void> {
    const ids = (await store.readAll()).map((event) => event.id);
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
    expect(repeated).toEqual([]);
  }

  it('refuses a key reused on another order (the issue: X and Y cancelled with "k"), and with distinct keys returns all stock', async () => {
    const itemId = await stockedItem('IDEM-XY', 10);
    const x = await placeAsCustomer('alice', itemId, 2);
    const y = await placeAsCustomer('alice', itemId, 3);
    await waitFor(async () => (await order(x))?.status === 'CONFIRMED' && (await order(y))?.status === 'CONFIRMED');

    const cancelledX = await cancelAsCustomer('alice', x, 'k');
    expect(cancelledX.errors).toBeUndefined();
    expect(cancelledX.data?.cancelOrder).toMatchObject({ replayed: false, order: { status: 'CANCELLED' } });
    await waitFor(async () => (await order(x))?.payment.status === 'REFUNDED' && (await stock(itemId))?.quantityReserved === 3);

    const before = await shopEventCount();
    const yStreamBefore = await eventsIn(`order-${y}`);
    const reused = await cancelAsCustomer('alice', y, 'k');
    expect(reused.data?.cancelOrder ?? null).toBeNull();
    expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.errors?.[0]?.message).toMatch(/already used for a different request/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await shopEventCount()).toBe(before);
    expect(await eventsIn(`order-${y}`)).toBe(yStreamBefore);
    expect(await order(y)).toMatchObject({ status: 'CONFIRMED', payment: { status: 'CAPTURED' } });

    const cancelledY = await cancelAsCustomer('alice', y, 'k2');
    expect(cancelledY.data?.cancelOrder).toMatchObject({ replayed: false, order: { status: 'CANCELLED' } });
    await waitFor(async () => (await order(y))?.payment.status === 'REFUNDED' && (await stock(itemId))?.quantityReserved === 0);
    expect(await stock(itemId)).toEqual({ quantityOnHand: 10, quantityReserved: 0, quantityAvailable: 10 });
    await expectUniqueEventIds();
  });

  it('refuses the same key with a different input (checkInItems 9 then 4) and appends nothing', async () => {
    const { item } = await createItem(gateway.url, 'IDEM-COUNT');
    const checkIn = (count: number, key: string) =>
      graphql(
        gateway.url,
        `
          mutation ($id: ID!, $n: Int!, $key: String) {
            checkInItems(input: { id: $id, count: $n, idempotencyKey: $key }) {
              replayed
              item {
                quantityOnHand
                version
              }
            }
          }
        `,
        {
          id: item.id,
          n: count,
          key,
        },
      );
    expect((await checkIn(9, 'restock')).data?.checkInItems).toEqual({ replayed: false, item: { quantityOnHand: 9, version: 1 } });
    const before = await shopEventCount();
    const reused = await checkIn(4, 'restock');
    expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const otherOperation = await graphql(
      gateway.url,
      `
        mutation ($id: ID!) {
          removeItems(input: { id: $id, count: 9, idempotencyKey: "restock" }) {
            replayed
          }
        }
      `,
      { id: item.id },
    );
    expect(otherOperation.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await shopEventCount()).toBe(before);
    expect(await stock(item.id)).toMatchObject({ quantityOnHand: 9 });
    // The key is still bound to the first request, which keeps replaying.
    expect((await checkIn(9, 'restock')).data?.checkInItems).toEqual({ replayed: true, item: { quantityOnHand: 9, version: 1 } });
  });

  it("refuses an admin's placement key reused for another customer (dana, then erin)", async () => {
    const itemId = await stockedItem('IDEM-ADMIN', 10);
    const place = (customerId: string) =>
      placeOrder(
        gateway.url,
        { customerId, lines: [{ itemId, quantity: 1 }], paymentMethodToken: 'tok_visa', idempotencyKey: 'checkout-1' },
        'replayed order { id customerId }',
      );
    const forDana = await place('dana');
    expect(forDana.data?.placeOrder).toMatchObject({ replayed: false, order: { customerId: 'dana' } });
    const before = await shopEventCount();
    const forErin = await place('erin');
    expect(forErin.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await customerOrderCount(gateway.url, 'erin')).toBe(0);
    expect(await shopEventCount()).toBeGreaterThanOrEqual(before); // the process manager goes on with dana's order
    const erinEvents = (await store.readAll()).filter((event) => event.data.customerId === 'erin');
    expect(erinEvents).toEqual([]);
  });

  it('keeps one caller\'s key apart from another\'s: alice and bob both use "k"', async () => {
    const itemId = await stockedItem('IDEM-CALLERS', 10);
    const alices = await placeAsCustomer('alice', itemId, 1, 'k');
    const bobs = await placeAsCustomer('bob', itemId, 1, 'k');
    expect(alices).not.toBe(bobs);
    expect(await customerOrderCount(gateway.url, 'bob')).toBe(1);
  });

  it('replays the same request with its original result and appends nothing, also after a restart', async () => {
    const itemId = await stockedItem('IDEM-SAME', 10);
    const place = async () =>
      placeOrder(
        gateway.url,
        { lines: [{ itemId, quantity: 2 }], paymentMethodToken: 'tok_visa', idempotencyKey: 'cart-9' },
        'replayed revision position order { id customerId }',
        await as('customer', 'carla'),
      );
    const first = await place();
    expect(first.data?.placeOrder).toMatchObject({ replayed: false, revision: 0 });
    const orderId = first.data!.placeOrder.order.id as string;
    await waitFor(async () => (await order(orderId))?.status === 'CONFIRMED');
    const before = await shopEventCount();

    const again = await place();
    expect(again.data?.placeOrder).toEqual({ ...first.data!.placeOrder, replayed: true });
    expect(await shopEventCount()).toBe(before);

    await gateway.stop();
    store = await reopen();
    gateway = await startTestGateway(store, env);
    const afterRestart = await place();
    expect(afterRestart.data?.placeOrder).toEqual({ ...first.data!.placeOrder, replayed: true });
    expect(await shopEventCount()).toBe(before);
    const differentAfterRestart = await placeOrder(
      gateway.url,
      { lines: [{ itemId, quantity: 3 }], paymentMethodToken: 'tok_visa', idempotencyKey: 'cart-9' },
      'replayed',
      await as('customer', 'carla'),
    );
    expect(differentAfterRestart.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await customerOrderCount(gateway.url, 'carla')).toBe(1);
  });

  it('leaves no two events in $all with one id after the demo flow and the fulfilment flow', async () => {
    await gateway.stop();
    store = await reopen();
    gateway = await startTestGateway(store, { ...env, SEED_DEMO_DATA: 'true' });
    await waitFor(async () => (await openOrderCount(gateway.url)) === 0);
    const itemId = await stockedItem('IDEM-IDS', 10);
    const orders = [
      await placeAsCustomer('alice', itemId, 2, 'same'),
      await placeAsCustomer('bob', itemId, 3, 'same'),
      await placeAsCustomer('alice', itemId, 1),
    ];
    for (const id of orders) await waitFor(async () => (await order(id))?.status === 'CONFIRMED');
    // Two callers with one key, then one caller with one key on two orders (the case).
    expect((await cancelAsCustomer('alice', orders[0]!, 'same-cancel')).data?.cancelOrder.order.status).toBe('CANCELLED');
    expect((await cancelAsCustomer('bob', orders[1]!, 'same-cancel')).data?.cancelOrder.order.status).toBe('CANCELLED');
    await cancelAsCustomer('alice', orders[2]!, 'same-cancel');
    if ((await order(orders[2]!))?.status !== 'CANCELLED') await cancelAsCustomer('alice', orders[2]!, 'another-cancel');
    await waitFor(async () => (await order(orders[2]!))?.payment.status === 'REFUNDED');
    expect((await store.readAll()).length).toBeGreaterThan(50);
    await expectUniqueEventIds();
    // A command id names one command on one stream: none shows up in two streams (the process
    // manager's ids are per triggering event, target stream and step; a key's per caller and target).
    const streamsByCommand = new Map<string, Set<string>>();
    for (const event of await store.readAll()) {
      if (typeof event.metadata.commandId !== 'string') continue;
      const streams = streamsByCommand.get(event.metadata.commandId) ?? new Set<string>();
      streamsByCommand.set(event.metadata.commandId, streams.add(event.streamName));
    }
    expect([...streamsByCommand.values()].filter((streams) => streams.size > 1)).toEqual([]);
  });

  if (backend === esdbBackend) {
    it('replays a request on a second instance and refuses a different one there (EventStoreDB)', async () => {
      const second = await startTestGateway(await reopen(), { ...env, PROCESS_MANAGER: 'false' });
      try {
        const { item } = await createItem(gateway.url, 'IDEM-TWO');
        const checkIn = (url: string, count: number, key = 'two-instances') =>
          graphql(
            url,
            `
              mutation ($id: ID!, $n: Int!, $key: String) {
                checkInItems(input: { id: $id, count: $n, idempotencyKey: $key }) {
                  replayed
                  revision
                }
              }
            `,
            {
              id: item.id,
              n: count,
              key,
            },
          );
        expect((await checkIn(gateway.url, 5)).data?.checkInItems).toEqual({ replayed: false, revision: 1 });
        expect((await checkIn(second.url, 5)).data?.checkInItems).toEqual({ replayed: true, revision: 1 });
        expect((await checkIn(second.url, 6)).errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
        // Racing: one key, two different requests on two instances at once: exactly one wins.
        const racing = await Promise.all([checkIn(gateway.url, 1, 'race'), checkIn(second.url, 2, 'race')]);
        expect(racing.filter((r) => r.errors?.[0]?.extensions?.code === 'IDEMPOTENCY_KEY_REUSED')).toHaveLength(1);
        expect(racing.filter((r) => r.data?.checkInItems?.replayed === false)).toHaveLength(1);
        const expected = racing[0]!.errors ? 7 : 6;
        await waitFor(async () => (await stock(item.id))?.quantityOnHand === expected);
      } finally {
        await second.stop();
      }
    });
  }
});
