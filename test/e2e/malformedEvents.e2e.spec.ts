/**
 * Events from other writers that do not match their type's schema, or whose type the aggregate
 * does not know (issue 15): appended past the gateway (EventStoreDB: with @eventstore/db-client
 * directly; embedded: through the store's own API). They are never folded: the read model keeps
 * the last valid state (no NaN, no string where the schema says Int), the projection dead-letters
 * the event with the reason, commands on the stream answer CORRUPT_STREAM naming the stream and the
 * event, and every other item goes on.
 */
import type { EventStore } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import { backends } from '../support/backends';
import { foreignWriter, type ForeignAppend } from '../support/foreignWriter';
import { createItem, graphql, startTestGateway } from '../support/gatewayHarness';
import { waitForValue } from '../support/waitFor';
import { waitForReadSide } from '../support/readSideCheckpoint';
import { checkInItems, projectionFailures } from '../support/shopSetup';

const ITEM_READS = `query($id: ID!) {
  inventoryItem(id: $id) { id sku name quantityOnHand quantityAvailable active version }
  inventoryItems(first: 100) { totalCount nodes { id sku name quantityOnHand quantityAvailable version } }
}`;

const REPRODUCTIONS: ReadonlyArray<readonly [string, string, (itemId: string) => Record<string, unknown>, RegExp]> = [
  ['ItemsCheckedIn without count', 'ItemsCheckedIn', (itemId) => ({ itemId }), /ItemsCheckedIn does not match its schema \(count: /],
  ['ItemsCheckedIn with count "5"', 'ItemsCheckedIn', (itemId) => ({ itemId, count: '5' }), /count: .*number/],
  ['InventoryItemCreated {} on an existing item', 'InventoryItemCreated', () => ({}), /InventoryItemCreated does not match its schema/],
  [
    'an unknown event type on the item stream',
    'ItemsTeleportedAway',
    (itemId) => ({ itemId, count: 1 }),
    /unknown event type "ItemsTeleportedAway"/,
  ],
];

describe.each(backends)('malformed events from other writers ($name store)', (backend) => {
  let gateway: Gateway;
  let store: EventStore;
  let dispose: () => Promise<void>;
  let foreign: ForeignAppend;

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ store, dispose, env } = await backend.create());
    foreign = foreignWriter(store, env);
    gateway = await startTestGateway(store, { PROCESS_MANAGER: 'false' });
  });
  afterAll(async () => {
    await gateway.stop();
    await dispose();
  });

  const checkIn = (id: string, count: number) => checkInItems(gateway.url, id, count, 'item { quantityOnHand }');

  it.each(REPRODUCTIONS)(
    '%s is never folded: reads keep the last valid state, commands answer CORRUPT_STREAM, the rest goes on',
    async (name, type, data, reason) => {
      const sku = `BAD-${name.replace(/\W+/g, '-').slice(0, 40)}`.toUpperCase();
      const id = (await createItem(gateway.url, sku, 'Before the bad event')).item.id as string;
      expect((await checkIn(id, 10)).errors).toBeUndefined();
      const streamName = `inventoryItem-${id}`;
      const badPosition = await foreign(streamName, type, data(id));

      // Once the read side has processed it:
      await waitForReadSide(gateway.url, badPosition);

      // Reads are the last valid state: numbers where the schema says Int, the fields as created.
      const reads = await graphql(gateway.url, ITEM_READS, { id });
      expect(reads.errors).toBeUndefined();
      expect(reads.data?.inventoryItem).toEqual({
        id,
        sku,
        name: 'Before the bad event',
        quantityOnHand: 10,
        quantityAvailable: 10,
        active: true,
        version: 1,
      });
      for (const node of reads.data?.inventoryItems.nodes as Array<Record<string, unknown>>) {
        expect(Number.isInteger(node.quantityOnHand)).toBe(true);
        expect(Number.isInteger(node.quantityAvailable)).toBe(true);
        expect(typeof node.name).toBe('string');
      }

      // Commands on that stream answer a coded error naming the stream and the event; nothing is appended.
      const before = (await store.readStream(streamName)).length;
      const refused = await checkIn(id, 1);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CORRUPT_STREAM', streamName, eventType: type, eventRevision: 2 });
      expect(refused.errors?.[0]?.message).toContain(streamName);
      expect(refused.errors?.[0]?.message).toContain(String(refused.errors?.[0]?.extensions?.eventId));
      expect((await store.readStream(streamName)).length).toBe(before);

      // Time travel does not fold it either.
      const travelled = await graphql(
        gateway.url,
        `
          query ($id: ID!) {
            inventoryItemAt(id: $id) {
              quantityOnHand
            }
          }
        `,
        { id },
      );
      expect(travelled.errors?.[0]?.extensions?.code).toBe('CORRUPT_STREAM');

      // The projection dead-lettered it, with the reason.
      const failure = await waitForValue(async () =>
        (await projectionFailures(gateway.url)).find((f) => f.projection === 'inventoryItemView' && f.streamName === streamName),
      );
      expect(failure).toMatchObject({ sequence: streamName, eventType: type, position: badPosition.toString() });
      expect(failure.error).toMatch(reason);

      // Every other item goes on.
      const other = (await createItem(gateway.url, `${sku}-OTHER`)).item.id as string;
      expect((await checkIn(other, 3)).data?.checkInItems.item.quantityOnHand).toBe(3);
    },
  );
});
