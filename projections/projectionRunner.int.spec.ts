import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../eventStore/embedded/sqliteEventStore';
import type { EventToAppend } from '../eventStore/port';
import { InMemoryDocumentStore } from './documentStore';
import type { DocumentChange, Projection } from './projection';
import { documentProjection } from './projection';
import { ProjectionRunner } from './projectionRunner';
import type { InventoryItemView } from './inventoryItemView/inventoryItemView';
import { inventoryItemViewDefinition } from './inventoryItemView/inventoryItemView';

const event = (type: string, data: Record<string, unknown>): EventToAppend => ({
  id: randomUUID(),
  type,
  data: data as EventToAppend['data'],
  metadata: { occurredAt: '2026-01-01T00:00:00.000Z' },
});

describe('ProjectionRunner on the embedded store', () => {
  let store: SqliteEventStore;
  let runner: ProjectionRunner;
  let views: InMemoryDocumentStore<InventoryItemView>;
  const poisonSeen: string[] = [];
  const poison: Projection = {
    name: 'poison',
    handles: (type) => type === 'ItemsCheckedIn',
    concerns: () => false,
    sequenceOf: (streamName) => streamName,
    check: () => null,
    apply: (e) => {
      poisonSeen.push(e.id);
      if (e.data.count === 13) throw new Error('unlucky');
      return [];
    },
  };

  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    views = new InMemoryDocumentStore<InventoryItemView>();
    await store.appendToStream(
      'inventoryItem-a',
      [event('InventoryItemCreated', { itemId: 'a', sku: 'A', name: 'A', unitPriceCents: null })],
      {
        expectedRevision: 'no_stream',
      },
    );
    runner = new ProjectionRunner(store, [poison, documentProjection(inventoryItemViewDefinition, views)]);
  });
  afterEach(async () => {
    await runner.stop();
    await store.close();
  });

  it('catches up with history before start resolves, then applies live events in order with notifications', async () => {
    await runner.start();
    expect(runner.caughtUp).toBe(true);
    expect(views.get('a')?.version).toBe(0);
    const changes: DocumentChange[] = [];
    runner.onChange((change) => changes.push(change));
    let last = 0n;
    for (let i = 0; i < 3; i += 1) {
      last = (await store.appendToStream('inventoryItem-a', [event('ItemsCheckedIn', { itemId: 'a', count: 1 })], { expectedRevision: i }))
        .position;
    }
    expect(await runner.waitForPosition(last, 2000)).toBe(true);
    expect(views.get('a')?.quantityOnHand).toBe(3);
    // The writer is answered first; subscribers are notified on the next turn, in order.
    await new Promise((resolve) => setImmediate(resolve));
    expect(changes.map((c) => (c.document as InventoryItemView).version)).toEqual([1, 2, 3]);
    expect(runner.checkpoint).toBe(last);
  });

  it('waitForPosition times out with false for a position never reached', async () => {
    await runner.start();
    expect(await runner.waitForPosition(10n ** 15n, 50)).toBe(false);
  });

  it('parks only the sequence of the event a projection throws on, and resumes it by retry or skip', async () => {
    await runner.start();
    const checkIn = (count: number, revision: number) =>
      store.appendToStream('inventoryItem-a', [event('ItemsCheckedIn', { itemId: 'a', count })], { expectedRevision: revision });
    const bad = await checkIn(13, 0);
    await checkIn(2, 1);
    const good = await checkIn(3, 2);
    expect(await runner.waitForPosition(good.position, 2000)).toBe(true);
    // The other projection went on.
    expect(views.get('a')?.quantityOnHand).toBe(18);
    expect(runner.failures).toEqual([
      expect.objectContaining({
        projection: 'poison',
        sequence: 'inventoryItem-a',
        attempts: 1,
        error: 'unlucky',
        event: expect.objectContaining({ position: bad.position }),
        parked: [expect.anything(), expect.anything()],
      }),
    ]);
    const seenBefore = poisonSeen.length;

    // Retrying without a fix fails again and stays suspended.
    expect(await runner.retry('poison')).toMatchObject({ attempts: 2 });
    expect(poisonSeen.length).toBe(seenBefore + 1);

    // Skipping resumes it with exactly the events parked behind the bad one, then live ones.
    expect(await runner.skip('poison')).toBeNull();
    expect(runner.failures).toEqual([]);
    const missed = poisonSeen.slice(seenBefore + 1);
    expect(missed).toHaveLength(2);
    const live = await checkIn(1, 3);
    expect(await runner.waitForPosition(live.position, 2000)).toBe(true);
    expect(poisonSeen.slice(seenBefore + 1)).toHaveLength(3);
    expect(new Set(poisonSeen.slice(seenBefore + 1)).size).toBe(3);
  });
});
