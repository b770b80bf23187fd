/**
 * The store of old-shape events (test/fixtures/v1-events.jsonl, written once by the gateway before
 * events had versions) read through the upcasting decorator: every stream folds with today's
 * deciders to the state the old gateway folded it to, plus the documented defaults.
 */
import type { Decider } from '../domain/decider';
import { INVENTORY_ITEM_CATEGORY, inventoryItemDecider } from '../domain/inventory';
import { ORDER_CATEGORY, orderDecider } from '../domain/orders';
import { PAYMENT_CATEGORY, paymentDecider } from '../domain/payments';
import { shopEventVersioning } from '../domain/shopEventVersioning';
import { SqliteEventStore } from '../eventStore/embedded/sqliteEventStore';
import type { EventStore, RecordedEvent } from '../eventStore/port';
import { streamCategory } from '../eventStore/port';
import { loadV1Fixture, v1FixtureExpected } from '../test/support/v1Fixture';
import { upcastingEventStore } from './upcastingEventStore';

const deciders: Record<string, Decider<unknown, unknown, never>> = {
  [INVENTORY_ITEM_CATEGORY]: inventoryItemDecider as unknown as Decider<unknown, unknown, never>,
  [ORDER_CATEGORY]: orderDecider as unknown as Decider<unknown, unknown, never>,
  [PAYMENT_CATEGORY]: paymentDecider as unknown as Decider<unknown, unknown, never>,
};

function fold(streamName: string, events: readonly RecordedEvent[]): unknown {
  const decider = deciders[streamCategory(streamName)]!;
  return events.reduce((state, event) => {
    const checked = decider.checkEvent(event);
    if (!checked.valid) throw new Error(checked.reason);
    return decider.evolve(state, checked.event);
  }, decider.initialState());
}

/** The old gateway's state with the documented defaults of what was added since: an order without an address is to be collected. */
function withDefaults(streamName: string, state: Record<string, unknown>): Record<string, unknown> {
  return streamCategory(streamName) === ORDER_CATEGORY ? { ...state, deliveryAddress: null } : state;
}

describe('the v1 fixture store, read through the upcasting store', () => {
  let raw: SqliteEventStore;
  let store: EventStore;
  const expected = v1FixtureExpected();

  beforeAll(async () => {
    raw = new SqliteEventStore({ filename: ':memory:' });
    await loadV1Fixture(raw, {});
    store = upcastingEventStore(raw, shopEventVersioning);
  });
  afterAll(() => raw.close());

  it('holds old shapes: read as stored, an old order stream does not fold', async () => {
    const types = new Set((await raw.readAll()).map((event) => event.type));
    expect(types).toContain('ItemsCheckedIntoInventory');
    const orderStream = Object.keys(expected.states).find((name) => streamCategory(name) === ORDER_CATEGORY)!;
    await expect(raw.readStream(orderStream).then((events) => fold(orderStream, events))).rejects.toThrow(
      /OrderPlaced does not match its schema \(deliveryAddress/,
    );
  });

  it('every stream folds to the state the old gateway folded it to, with deliveryAddress null on every order', async () => {
    expect(Object.keys(expected.states)).toHaveLength(16);
    for (const [streamName, state] of Object.entries(expected.states)) {
      expect({ streamName, state: fold(streamName, await store.readStream(streamName)) }).toEqual({
        streamName,
        state: withDefaults(streamName, state),
      });
    }
  });

  it('readAll and subscribeToAll deliver the same current shapes, marked with what was stored', async () => {
    const all = await store.readAll();
    expect(all.map((event) => event.type)).not.toContain('ItemsCheckedIntoInventory');
    const checkedIn = all.find((event) => event.type === 'ItemsCheckedIn')!;
    expect(checkedIn.metadata).toMatchObject({ schemaVersion: 1, upcastFrom: 'ItemsCheckedIntoInventory@1' });
    expect(all.find((event) => event.type === 'OrderPlaced')).toMatchObject({
      data: { deliveryAddress: null },
      metadata: { schemaVersion: 2, upcastFrom: 'OrderPlaced@1' },
    });

    const controller = new AbortController();
    const subscribed: RecordedEvent[] = [];
    for await (const message of store.subscribeToAll({ signal: controller.signal })) {
      if (message.kind === 'caughtUp') break;
      subscribed.push(message.event);
    }
    controller.abort();
    expect(subscribed).toEqual(all);
  });

  it('appends stamp the current version; events of other streams are left alone', async () => {
    await store.appendToStream(
      'order-new',
      [{ id: '00000000-0000-4000-8000-000000000001', type: 'OrderShipped', data: { orderId: 'new' }, metadata: {} }],
      { expectedRevision: 'no_stream' },
    );
    await store.appendToStream(
      '_bookkeeping-x',
      [{ id: '00000000-0000-4000-8000-000000000002', type: 'OrderShipped', data: {}, metadata: {} }],
      { expectedRevision: 'no_stream' },
    );
    expect((await raw.readStream('order-new'))[0]!.metadata).toEqual({ schemaVersion: 1 });
    expect((await raw.readStream('_bookkeeping-x'))[0]!.metadata).toEqual({});
  });
});
