import type { RecordedEvent } from '../../eventStore/port';
import { InMemoryDocumentStore } from '../documentStore';
import { documentProjection } from '../projection';
import type { InventoryItemView } from './inventoryItemView';
import { inventoryItemViewDefinition } from './inventoryItemView';
import { InventoryItemQueries } from './inventoryItemQueries';

let position = 1000n;
function recorded(
  itemId: string,
  revision: number,
  type: string,
  data: Record<string, unknown>,
  at = '2026-01-01T00:00:00.000Z',
): RecordedEvent {
  position += 37n;
  return {
    id: `${itemId}-${revision}`,
    type,
    streamName: `inventoryItem-${itemId}`,
    revision,
    position,
    data: { itemId, ...data } as RecordedEvent['data'],
    metadata: { occurredAt: at },
    recordedAt: at,
  };
}

const history = (itemId: string, name: string): RecordedEvent[] => [
  recorded(itemId, 0, 'InventoryItemCreated', { sku: `SKU-${itemId}`, name, unitPriceCents: 250 }),
  recorded(itemId, 1, 'ItemsCheckedIn', { count: 10 }),
  recorded(itemId, 2, 'StockReserved', { orderId: 'o1', quantity: 4 }),
  recorded(itemId, 3, 'ItemsRemovedFromInventory', { count: 1 }),
  recorded(itemId, 4, 'InventoryItemRenamed', { name: `${name} v2` }, '2026-01-02T00:00:00.000Z'),
];

describe('inventory item view', () => {
  it('folds an item from its events', () => {
    const store = new InMemoryDocumentStore<InventoryItemView>();
    const projection = documentProjection(inventoryItemViewDefinition, store);
    for (const event of history('a', 'Mug')) projection.apply(event);
    const view = store.get('a')!;
    expect(view).toMatchObject({
      id: 'a',
      sku: 'SKU-a',
      name: 'Mug v2',
      unitPriceCents: 250,
      quantityOnHand: 9,
      quantityReserved: 4,
      active: true,
      version: 4,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(view.quantityAvailable).toBe(5);
  });

  it('is idempotent: replaying every event twice gives the same documents and reports no change', () => {
    const store = new InMemoryDocumentStore<InventoryItemView>();
    const projection = documentProjection(inventoryItemViewDefinition, store);
    const events = [...history('a', 'Mug'), ...history('b', 'Plate')];
    for (const event of events) expect(projection.apply(event)).toHaveLength(1);
    const once = [...store.values()].map((v) => ({ ...v }));
    for (const event of events) expect(projection.apply(event)).toHaveLength(0);
    expect([...store.values()]).toEqual(once);
  });

  it('marks a deactivated item inactive with its reason', () => {
    const store = new InMemoryDocumentStore<InventoryItemView>();
    const projection = documentProjection(inventoryItemViewDefinition, store);
    projection.apply(recorded('c', 0, 'InventoryItemCreated', { sku: 'C', name: 'Cup', unitPriceCents: null }));
    projection.apply(recorded('c', 1, 'InventoryItemDeactivated', { reason: 'broken' }));
    expect(store.get('c')).toMatchObject({ active: false, deactivationReason: 'broken', version: 1 });
  });

  describe('queries', () => {
    const store = new InMemoryDocumentStore<InventoryItemView>();
    const projection = documentProjection(inventoryItemViewDefinition, store);
    const names = ['Red mug', 'Blue mug', 'Plate', 'Bowl', 'Green mug'];
    names.forEach((name, i) => {
      projection.apply(recorded(`q${i}`, 0, 'InventoryItemCreated', { sku: `Q${i}`, name, unitPriceCents: null }));
      projection.apply(recorded(`q${i}`, 1, 'ItemsCheckedIn', { count: i + 1 }));
    });
    const queries = new InventoryItemQueries(store);

    it('pages forwards with cursors in creation order', () => {
      const first = queries.list({}, { first: 2 });
      expect(first.edges.map((e) => e.node.name)).toEqual(['Red mug', 'Blue mug']);
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const second = queries.list({}, { first: 2, after: first.pageInfo.endCursor });
      expect(second.edges.map((e) => e.node.name)).toEqual(['Plate', 'Bowl']);
      const third = queries.list({}, { first: 2, after: second.pageInfo.endCursor });
      expect(third.edges.map((e) => e.node.name)).toEqual(['Green mug']);
      expect(third.pageInfo.hasNextPage).toBe(false);
      expect(first.totalCount()).toBe(5);
    });

    it('pages backwards', () => {
      const lastTwo = queries.list({}, { last: 2 });
      expect(lastTwo.edges.map((e) => e.node.name)).toEqual(['Bowl', 'Green mug']);
      expect(lastTwo.pageInfo.hasPreviousPage).toBe(true);
      const before = queries.list({}, { last: 2, before: lastTwo.pageInfo.startCursor });
      expect(before.edges.map((e) => e.node.name)).toEqual(['Blue mug', 'Plate']);
    });

    it('filters by name, stock threshold and active flag', () => {
      expect(queries.list({ nameContains: 'MUG' }, {}).edges.map((e) => e.node.name)).toEqual(['Red mug', 'Blue mug', 'Green mug']);
      expect(queries.list({ availableBelow: 3 }, {}).edges.map((e) => e.node.name)).toEqual(['Red mug', 'Blue mug']);
      expect(queries.list({ active: false }, {}).edges).toHaveLength(0);
      expect(queries.list({ nameContains: 'mug' }, { first: 1 }).totalCount()).toBe(3);
    });

    it('rejects a forged cursor and an oversized page', () => {
      expect(() => queries.list({}, { after: 'bm90LWEtY3Vyc29y' })).toThrow(/Invalid cursor/);
      expect(() => queries.list({}, { first: 101 })).toThrow(/first must be between/);
      expect(() => queries.list({}, { first: 1, last: 1 })).toThrow(/either first or last/);
    });
  });
});
