/**
 * Versioned events (issue 14, item 1), on both backends. A store written by the gateway before
 * events had versions (test/fixtures/v1-events.jsonl: OrderPlaced without a delivery address,
 * ItemsCheckedIntoInventory before its rename) is loaded as another writer would have left it; the
 * gateway starts on it and serves what the old gateway served, with the documented default
 * (deliveryAddress null); history, time travel and commands see the current shapes; new writes
 * store the current version. An event newer than the gateway knows is refused, never misread.
 */
import type { EventStore } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import { V1_FIXTURE_READS } from '../fixtures/v1Reads';
import { backends } from '../support/backends';
import { foreignWriter, type ForeignAppend } from '../support/foreignWriter';
import { graphql, startTestGateway } from '../support/gatewayHarness';
import { spawnGatewayProcess, type GatewayProcess } from '../support/gatewayProcess';
import { loadV1Fixture, v1FixtureExpected } from '../support/v1Fixture';
import { waitForValue } from '../support/waitFor';
import { waitForReadSide } from '../support/readSideCheckpoint';
import { checkInItems, placeOrder, projectionFailures, shipOrder } from '../support/shopSetup';

const ADDRESS = { recipient: 'Ada Lovelace', street: '12 St James Square', postalCode: 'SW1Y 4JH', city: 'London', countryCode: 'GB' };

describe.each(backends)('versioned events ($name store)', (backend) => {
  let gateway: Gateway;
  let store: EventStore;
  let dispose: () => Promise<void>;
  let foreign: ForeignAppend;
  const expected = v1FixtureExpected();
  const items = expected.reads.items.inventoryItems.nodes as Array<Record<string, any>>;
  const orders = expected.reads.orders.orders.nodes as Array<Record<string, any>>;
  const itemBySku = (sku: string) => items.find((item) => item.sku === sku)!;

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ store, dispose, env } = await backend.create());
    foreign = foreignWriter(store, env);
    await loadV1Fixture(store, env);
    gateway = await startTestGateway(store, { PAYMENT_LATENCY_MS: '5' });
  });
  afterAll(async () => {
    await gateway.stop();
    await dispose();
  });

  const settledReads = async () => {
    const position = (await store.readAll({ direction: 'backwards', maxCount: 1 }))[0]!.position;
    await waitForReadSide(gateway.url, position);
  };

  /** The first 50 events of `type` in the history, each with `fields`. */
  const historyOfType = async (type: string, fields: string): Promise<Array<Record<string, any>>> =>
    (
      await graphql(
        gateway.url,
        `
          query ($types: [String!]) {
            events(filter: { types: $types }, first: 50) {
              nodes {
                ${fields}
              }
            }
          }
        `,
        { types: [type] },
      )
    ).data?.events.nodes;

  it('starts on the old-shape store and serves what the old gateway served, every order without an address', async () => {
    await settledReads();
    for (const [name, query] of Object.entries(V1_FIXTURE_READS)) {
      const answer = await graphql(gateway.url, query);
      expect(answer.errors).toBeUndefined();
      expect({ name, data: answer.data }).toEqual({ name, data: expected.reads[name] });
    }
    const addresses = await graphql(
      gateway.url,
      `
        {
          orders(first: 20) {
            nodes {
              id
              deliveryAddress {
                city
              }
            }
          }
        }
      `,
    );
    expect(addresses.data?.orders.nodes).toEqual(orders.map((order) => ({ id: order.id, deliveryAddress: null })));
    expect(await projectionFailures(gateway.url)).toEqual([]);
  });

  it('history shows the current type names and says what was stored; the old name is gone from reads', async () => {
    const checkedIn = await historyOfType('ItemsCheckedIn', 'type streamName metadata');
    expect(checkedIn).toHaveLength(6);
    for (const node of checkedIn) expect(node.metadata).toMatchObject({ schemaVersion: 1, upcastFrom: 'ItemsCheckedIntoInventory@1' });
    expect(await historyOfType('ItemsCheckedIntoInventory', 'type')).toEqual([]);
    const placed = await historyOfType('OrderPlaced', 'data metadata');
    expect(placed).toHaveLength(5);
    for (const node of placed) {
      expect(node.data.deliveryAddress).toBeNull();
      expect(node.metadata).toMatchObject({ schemaVersion: 2, upcastFrom: 'OrderPlaced@1' });
    }
  });

  it('time travel folds the old events: an old order as placed, an item as it stood', async () => {
    const shipped = orders.find((order) => order.status === 'SHIPPED')!;
    const then = await graphql(
      gateway.url,
      `
        query ($id: ID!) {
          orderAt(id: $id, revision: 0) {
            status
            deliveryAddress {
              city
            }
            totalCents
          }
        }
      `,
      { id: shipped.id },
    );
    expect(then).toEqual({ data: { orderAt: { status: 'PLACED', deliveryAddress: null, totalCents: shipped.totalCents } } });
    const mug = itemBySku('MUG-CLASSIC');
    const item = await graphql(
      gateway.url,
      `
        query ($id: ID!) {
          inventoryItemAt(id: $id, revision: 1) {
            quantityOnHand
          }
        }
      `,
      { id: mug.id },
    );
    expect(item.errors).toBeUndefined();
    expect(item.data?.inventoryItemAt.quantityOnHand).toBeGreaterThan(0);
  });

  it('commands go on on old streams and new writes store the current names and versions', async () => {
    const mug = itemBySku('MUG-CLASSIC');
    const checkIn = await checkInItems(gateway.url, mug.id, 5, 'item { quantityOnHand }');
    expect(checkIn.data?.checkInItems.item.quantityOnHand).toBe(mug.quantityOnHand + 5);
    const mugEvents = await store.readStream(`inventoryItem-${mug.id}`);
    expect(mugEvents[mugEvents.length - 1]).toMatchObject({ type: 'ItemsCheckedIn', metadata: { schemaVersion: 1 } });

    const confirmed = orders.find((order) => order.status === 'CONFIRMED')!;
    const ship = await shipOrder(gateway.url, confirmed.id, 'order { status deliveryAddress { city } }');
    expect(ship).toEqual({ data: { shipOrder: { order: { status: 'SHIPPED', deliveryAddress: null } } } });

    const place = await placeOrder(
      gateway.url,
      {
        customerId: 'dora',
        paymentMethodToken: 'tok_visa',
        lines: [{ itemId: mug.id, quantity: 1 }],
        deliveryAddress: { ...ADDRESS, countryCode: 'gb' },
      },
      'order { id deliveryAddress { recipient street postalCode city countryCode } }',
    );
    expect(place.errors).toBeUndefined();
    expect(place.data?.placeOrder.order.deliveryAddress).toEqual(ADDRESS);
    const [stored] = await store.readStream(`order-${place.data?.placeOrder.order.id}`);
    expect(stored).toMatchObject({ type: 'OrderPlaced', data: { deliveryAddress: ADDRESS }, metadata: { schemaVersion: 2 } });
  });

  it('an event newer than the gateway knows is refused: dead-lettered with the versions, CORRUPT_STREAM for commands and time travel, shown as stored', async () => {
    const sticker = itemBySku('STICKER-PACK');
    const itemStream = `inventoryItem-${sticker.id}`;
    const itemPosition = await foreign(
      itemStream,
      'ItemsCheckedIn',
      { itemId: sticker.id, count: 7, supplier: 'acme' },
      { schemaVersion: 2 },
    );
    const orderId = '7d4a5c1e-58c4-4f8e-9f41-6c2d0c6a0b11';
    const orderStream = `order-${orderId}`;
    // Its line is of a healthy item: were the process manager to misread the order, it would reserve stock there.
    const mug = itemBySku('MUG-CLASSIC');
    const line = { itemId: mug.id, sku: 'MUG-CLASSIC', name: 'Classic mug', quantity: 1, unitPriceCents: 1200 };
    const orderPosition = await foreign(
      orderStream,
      'OrderPlaced',
      {
        orderId,
        customerId: 'eve',
        paymentMethodToken: 'tok_visa',
        lines: [line],
        totalCents: 1200,
        deliveryAddress: null,
        giftWrap: true,
      },
      { schemaVersion: 3 },
    );

    const failures = await waitForValue(async () => {
      const found = (await projectionFailures(gateway.url)).filter((f) => f.streamName === itemStream || f.streamName === orderStream);
      return found.some((f) => f.projection === 'inventoryItemView') && found.some((f) => f.projection === 'orderView') ? found : undefined;
    });
    expect(failures).toContainEqual(
      expect.objectContaining({
        projection: 'inventoryItemView',
        eventType: 'ItemsCheckedIn',
        position: itemPosition.toString(),
        error: 'ItemsCheckedIn version 2 is newer than this gateway knows (1)',
      }),
    );
    expect(failures).toContainEqual(
      expect.objectContaining({
        projection: 'orderView',
        eventType: 'OrderPlaced',
        position: orderPosition.toString(),
        error: 'OrderPlaced version 3 is newer than this gateway knows (2)',
      }),
    );

    // The read model keeps the last state it could read: the 7 were not counted.
    const item = await graphql(
      gateway.url,
      `
        query ($id: ID!) {
          inventoryItem(id: $id) {
            quantityOnHand
          }
        }
      `,
      { id: sticker.id },
    );
    expect(item.data?.inventoryItem.quantityOnHand).toBe(sticker.quantityOnHand);
    expect(
      (
        await graphql(
          gateway.url,
          `
            query ($id: ID!) {
              order(id: $id) {
                id
              }
            }
          `,
          { id: orderId },
        )
      ).data?.order,
    ).toBeNull();

    const before = (await store.readStream(itemStream)).length;
    const checkIn = await checkInItems(gateway.url, sticker.id, 1, 'item { quantityOnHand }');
    expect(checkIn.errors?.[0]?.extensions).toMatchObject({ code: 'CORRUPT_STREAM', streamName: itemStream, eventType: 'ItemsCheckedIn' });
    expect(checkIn.errors?.[0]?.message).toContain('ItemsCheckedIn version 2 is newer than this gateway knows (1)');
    expect((await store.readStream(itemStream)).length).toBe(before);

    const ship = await shipOrder(gateway.url, orderId);
    expect(ship.errors?.[0]?.extensions).toMatchObject({
      code: 'CORRUPT_STREAM',
      streamName: orderStream,
      eventType: 'OrderPlaced',
      eventRevision: 0,
    });
    expect(ship.errors?.[0]?.message).toContain('OrderPlaced version 3 is newer than this gateway knows (2)');
    expect(await store.readStream(orderStream)).toHaveLength(1);

    const travelled = await graphql(
      gateway.url,
      `
        query ($id: ID!) {
          orderAt(id: $id) {
            status
          }
        }
      `,
      { id: orderId },
    );
    expect(travelled.errors?.[0]?.extensions).toMatchObject({ code: 'CORRUPT_STREAM', eventType: 'OrderPlaced' });

    // The process manager skipped it (logged as a poison event) and reserved nothing for it.
    await waitForValue(async () => (gateway.handles.fulfilment.status.poisonEvents >= 1 ? true : undefined));
    expect((await store.readStream(`inventoryItem-${mug.id}`)).filter((event) => event.data.orderId === orderId)).toEqual([]);

    // History shows it exactly as stored, its version in the metadata.
    const history = await graphql(
      gateway.url,
      `
        query ($s: String!) {
          events(filter: { streamName: $s }, first: 5) {
            nodes {
              type
              data
              metadata
            }
          }
        }
      `,
      { s: orderStream },
    );
    expect(history.data?.events.nodes).toEqual([
      expect.objectContaining({
        type: 'OrderPlaced',
        data: expect.objectContaining({ giftWrap: true }),
        metadata: expect.objectContaining({ schemaVersion: 3 }),
      }),
    ]);
    expect(history.data?.events.nodes[0].metadata.upcastFrom).toBeUndefined();
  });
});

describe.each(backends)('the gateway process (server/main.ts) on the v1 fixture store ($name store)', (backend) => {
  it('starts on it and serves the old reads, with the documented default', async () => {
    const { store, env, dispose } = await backend.create();
    let child: GatewayProcess | null = null;
    try {
      await loadV1Fixture(store, env);
      // The embedded file belongs to one process at a time.
      await store.close();
      child = await spawnGatewayProcess({ ...env, PAYMENT_LATENCY_MS: '5' });
      const url = child.url;
      const expected = v1FixtureExpected();
      const items = await waitForValue(async () => {
        const answer = await graphql(url, V1_FIXTURE_READS.items!);
        return JSON.stringify(answer.data) === JSON.stringify(expected.reads.items) ? answer : undefined;
      });
      expect(items.data).toEqual(expected.reads.items);
      const orders = await graphql(
        url,
        `
          {
            orders(first: 20) {
              nodes {
                status
                deliveryAddress {
                  city
                }
              }
            }
          }
        `,
      );
      expect(orders.data?.orders.nodes).toEqual(
        (expected.reads.orders.orders.nodes as Array<{ status: string }>).map(({ status }) => ({ status, deliveryAddress: null })),
      );
    } finally {
      await child?.kill();
      await dispose();
    }
  });
});
