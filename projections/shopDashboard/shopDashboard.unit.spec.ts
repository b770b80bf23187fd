import type { RecordedEvent } from '../../eventStore/port';
import type { DocumentChange } from '../projection';
import type { LowStockAlert } from './lowStock';
import { DEFAULT_LOW_STOCK_THRESHOLD, isLowStock } from './lowStock';
import type { ShopDashboard } from './shopDashboard';
import { shopDashboardProjection } from './shopDashboardProjection';
import { ShopDashboardQueries } from './shopDashboardQueries';
import type { ShopDashboardOptions } from './shopDashboardStore';
import { ShopDashboardStore } from './shopDashboardStore';
import { recordedEvents } from '../../test/support/recordedStream';

const recordedStream = recordedEvents(9000n, 11n);
const streams = new Map<string, ReturnType<typeof recordedStream>>();
const occurredAtFromPosition = (position: bigint) => ({
  occurredAt: `2026-02-01T00:00:00.${String(position % 1000n).padStart(3, '0')}Z`,
});

/** Appends to a stream by name, each event occurring a millisecond apart as its position grows. */
function recorded(streamName: string, type: string, data: Record<string, unknown>): RecordedEvent {
  let append = streams.get(streamName);
  if (!append) {
    append = recordedStream(streamName, occurredAtFromPosition);
    streams.set(streamName, append);
  }
  return append(type, data);
}

const order = (orderId: string) => ({
  placed: (totalCents = 1000) =>
    recorded(`order-${orderId}`, 'OrderPlaced', {
      orderId,
      customerId: 'alice',
      paymentMethodToken: 'tok',
      lines: [{ itemId: 'mug', sku: 'MUG', name: 'Mug', quantity: 1, unitPriceCents: totalCents }],
      totalCents,
    }),
  stockReserved: () => recorded(`order-${orderId}`, 'OrderStockReserved', { orderId }),
  rejected: () => recorded(`order-${orderId}`, 'OrderRejected', { orderId, reason: 'no stock' }),
  confirmed: () => recorded(`order-${orderId}`, 'OrderConfirmed', { orderId }),
  shipped: () => recorded(`order-${orderId}`, 'OrderShipped', { orderId }),
  cancelled: (cancelledBy: 'customer' | 'system') =>
    recorded(`order-${orderId}`, 'OrderCancelled', { orderId, reason: 'because', cancelledBy }),
  paymentRequested: (amountCents = 1000) =>
    recorded(`payment-${orderId}`, 'PaymentRequested', {
      paymentId: orderId,
      orderId,
      customerId: 'alice',
      amountCents,
      paymentMethodToken: 'tok',
    }),
  paymentCaptured: (amountCents = 1000) =>
    recorded(`payment-${orderId}`, 'PaymentCaptured', { paymentId: orderId, orderId, amountCents, providerReference: `ref-${orderId}` }),
  paymentDeclined: () => recorded(`payment-${orderId}`, 'PaymentDeclined', { paymentId: orderId, orderId, reason: 'declined' }),
  paymentRefunded: (amountCents = 1000) =>
    recorded(`payment-${orderId}`, 'PaymentRefunded', { paymentId: orderId, orderId, amountCents, reason: 'cancelled' }),
});

const item = (itemId: string) => {
  const streamName = `inventoryItem-${itemId}`;
  return {
    created: (name = `Item ${itemId}`) =>
      recorded(streamName, 'InventoryItemCreated', { itemId, sku: `SKU-${itemId}`, name, unitPriceCents: 100 }),
    renamed: (name: string) => recorded(streamName, 'InventoryItemRenamed', { itemId, name }),
    checkedIn: (count: number) => recorded(streamName, 'ItemsCheckedIn', { itemId, count }),
    removed: (count: number) => recorded(streamName, 'ItemsRemovedFromInventory', { itemId, count }),
    reserved: (quantity: number, orderId = 'o') => recorded(streamName, 'StockReserved', { itemId, orderId, quantity }),
    released: (quantity: number, orderId = 'o') => recorded(streamName, 'StockReservationReleased', { itemId, orderId, quantity }),
    shipped: (quantity: number, orderId = 'o') => recorded(streamName, 'ReservedStockShipped', { itemId, orderId, quantity }),
    deactivated: () => recorded(streamName, 'InventoryItemDeactivated', { itemId, reason: 'discontinued' }),
  };
};

/** Feeds events the way the runner does: only those the projection handles. */
function dashboard(options: ShopDashboardOptions = {}) {
  const store = new ShopDashboardStore(options);
  const projection = shopDashboardProjection(store);
  const queries = new ShopDashboardQueries(store);
  const apply = (events: readonly RecordedEvent[]): DocumentChange[] =>
    events.flatMap((event) => (projection.handles(event.type) ? projection.apply(event) : []));
  return { store, projection, queries, apply };
}

const alertsIn = (changes: readonly DocumentChange[]) =>
  changes.filter((change) => change.projection === 'lowStockAlert').map((change) => change.document as LowStockAlert);

function shopHistory(): RecordedEvent[] {
  const shipped = order('d1');
  const rejected = order('d2');
  const declined = order('d3');
  const refunded = order('d4');
  const inFlight = order('d5');
  return [
    shipped.placed(2500),
    rejected.placed(),
    declined.placed(),
    shipped.stockReserved(),
    rejected.rejected(),
    shipped.paymentRequested(2500),
    declined.stockReserved(),
    shipped.paymentCaptured(2500),
    declined.paymentRequested(),
    shipped.confirmed(),
    declined.paymentDeclined(),
    declined.cancelled('system'),
    refunded.placed(4000),
    refunded.stockReserved(),
    shipped.shipped(),
    refunded.paymentRequested(4000),
    refunded.paymentCaptured(4000),
    refunded.confirmed(),
    refunded.cancelled('customer'),
    refunded.paymentRefunded(4000),
    inFlight.placed(),
    inFlight.stockReserved(),
  ];
}

describe('shop dashboard', () => {
  it('starts empty, every status counted at zero', () => {
    const { queries } = dashboard();
    expect(queries.dashboard()).toEqual({
      id: 'shop',
      ordersPlaced: 0,
      ordersByStatus: { PLACED: 0, STOCK_RESERVED: 0, CONFIRMED: 0, SHIPPED: 0, REJECTED: 0, CANCELLED: 0 },
      capturedCents: 0,
      refundedCents: 0,
      revenueCents: 0,
      lowStockThreshold: DEFAULT_LOW_STOCK_THRESHOLD,
      lowStockItems: [],
      position: null,
      updatedAt: null,
    });
  });

  it('counts orders by their current status across every transition', () => {
    const { apply, queries, store } = dashboard();
    const shipped = order('s1');
    apply([shipped.placed()]);
    expect(queries.dashboard().ordersByStatus).toMatchObject({ PLACED: 1, STOCK_RESERVED: 0 });
    apply([shipped.stockReserved()]);
    expect(queries.dashboard().ordersByStatus).toMatchObject({ PLACED: 0, STOCK_RESERVED: 1 });
    apply([shipped.paymentRequested(), shipped.paymentCaptured(), shipped.confirmed()]);
    expect(queries.dashboard().ordersByStatus).toMatchObject({ STOCK_RESERVED: 0, CONFIRMED: 1 });
    const last = shipped.shipped();
    apply([last]);
    expect(queries.dashboard()).toMatchObject({
      ordersPlaced: 1,
      ordersByStatus: { PLACED: 0, STOCK_RESERVED: 0, CONFIRMED: 0, SHIPPED: 1, REJECTED: 0, CANCELLED: 0 },
      position: last.position,
    });
    // A finished order needs no working state.
    expect(store.orderStatuses.size).toBe(0);
  });

  it('sums revenue as captured minus refunded, and counts a whole shop', () => {
    const { apply, queries, store } = dashboard();
    apply(shopHistory());
    expect(queries.dashboard()).toMatchObject({
      ordersPlaced: 5,
      ordersByStatus: { PLACED: 0, STOCK_RESERVED: 1, CONFIRMED: 0, SHIPPED: 1, REJECTED: 1, CANCELLED: 2 },
      capturedCents: 6500,
      refundedCents: 4000,
      revenueCents: 2500,
    });
    expect([...store.orderStatuses]).toEqual([['d5', 'STOCK_RESERVED']]);
  });

  it('reports a dashboard change for each order step and revenue event, and none for requests or declines', () => {
    const { apply } = dashboard();
    const o = order('c1');
    const events = [o.placed(), o.stockReserved(), o.paymentRequested(), o.paymentDeclined(), o.cancelled('system')];
    const changes = apply(events);
    expect(changes.map((change) => change.event.type)).toEqual(['OrderPlaced', 'OrderStockReserved', 'OrderCancelled']);
    for (const change of changes) expect(change).toMatchObject({ projection: 'shopDashboard', id: 'shop' });
    expect((changes[2]!.document as ShopDashboard).ordersByStatus).toMatchObject({ CANCELLED: 1, STOCK_RESERVED: 0 });
  });

  it('is idempotent: replaying every event twice gives the same document and reports no change', () => {
    const { apply, queries, store } = dashboard();
    const beans = item('beans');
    const events = [...shopHistory(), beans.created(), beans.checkedIn(6), beans.reserved(2), beans.released(2), beans.shipped(0)];
    expect(apply(events).length).toBeGreaterThan(0);
    const once = structuredClone(queries.dashboard());
    const stockOnce = structuredClone([...store.stockLevels]);
    expect(apply(events)).toEqual([]);
    expect(queries.dashboard()).toEqual(once);
    expect([...store.stockLevels]).toEqual(stockOnce);
  });

  it('skips an event redelivered after newer ones', () => {
    const { apply, queries } = dashboard();
    const o = order('r1');
    const captured = [o.placed(), o.stockReserved(), o.paymentRequested(), o.paymentCaptured()];
    apply([...captured, o.confirmed()]);
    const before = queries.dashboard();
    expect(apply(captured)).toEqual([]);
    expect(queries.dashboard()).toBe(before);
  });

  describe('low stock', () => {
    it('isLowStock: strictly below the threshold', () => {
      expect(isLowStock(4, 5)).toBe(true);
      expect(isLowStock(5, 5)).toBe(false);
      expect(isLowStock(0, 0)).toBe(false);
      expect(isLowStock(-1, 0)).toBe(true);
    });

    it("keeps the document's low-stock list equal to a scan of every item, ties in catalog order", () => {
      const { apply, queries } = dashboard();
      const items = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, events: item(id) }));
      apply(items.map(({ id, events }) => events.created(id)));
      // A fixed pseudo-random walk: items go below and above the threshold, tie, and one leaves the catalog.
      let seed = 7;
      const next = () => (seed = (seed * 48271) % 2147483647);
      for (let step = 0; step < 300; step += 1) {
        const { events } = items[next() % items.length]!;
        const amount = (next() % 4) + 1;
        apply([next() % 2 === 0 ? events.checkedIn(amount) : events.reserved(amount)]);
        if (step === 150) apply([items[2]!.events.deactivated()]);
        expect(queries.dashboard().lowStockItems).toEqual(queries.lowStockItems());
      }
    });

    it('tracks available stock from every inventory event and lists low items fewest first', () => {
      const { apply, queries } = dashboard();
      const mug = item('mug');
      const plate = item('plate');
      const bowl = item('bowl');
      apply([mug.created('Mug'), plate.created('Plate'), bowl.created('Bowl')]);
      expect(queries.lowStockItems().map((level) => level.itemId)).toEqual(['mug', 'plate', 'bowl']);
      apply([
        mug.checkedIn(10),
        mug.reserved(3),
        mug.removed(1),
        mug.released(1),
        mug.reserved(2),
        mug.shipped(2),
        plate.checkedIn(3),
        bowl.checkedIn(20),
        mug.renamed('Big mug'),
      ]);
      expect(queries.stockLevel('mug')).toEqual({ itemId: 'mug', sku: 'SKU-mug', name: 'Big mug', quantityAvailable: 5 });
      expect(queries.lowStockItems().map((level) => [level.itemId, level.quantityAvailable])).toEqual([['plate', 3]]);
      expect(queries.lowStockItems(6).map((level) => level.itemId)).toEqual(['plate', 'mug']);
      expect(queries.lowStockItems(100).map((level) => level.itemId)).toEqual(['plate', 'mug', 'bowl']);
      expect(queries.dashboard().lowStockItems).toEqual([{ itemId: 'plate', sku: 'SKU-plate', name: 'Plate', quantityAvailable: 3 }]);
      apply([plate.deactivated()]);
      expect(queries.lowStockItems(100).map((level) => level.itemId)).toEqual(['mug', 'bowl']);
      expect(queries.dashboard().lowStockItems).toEqual([]);
      expect(queries.stockLevel('plate')).toBeNull();
      // Events for a deactivated item change nothing.
      expect(apply([plate.released(1)])).toEqual([]);
    });

    it('raises an alert once on crossing below, and again after recovering and crossing again', () => {
      const { apply } = dashboard();
      const mug = item('mug');
      // Created with nothing available: low, but it never crossed, so no alert.
      expect(alertsIn(apply([mug.created('Mug'), mug.checkedIn(3), mug.checkedIn(5)]))).toEqual([]);
      expect(alertsIn(apply([mug.reserved(3)]))).toEqual([]); // 8 → 5: at the threshold is not low
      const crossing = mug.reserved(1); // 5 → 4
      const firstChanges = apply([crossing]);
      expect(alertsIn(firstChanges)).toEqual([{ itemId: 'mug', sku: 'SKU-mug', name: 'Mug', quantityAvailable: 4, threshold: 5 }]);
      expect(firstChanges.find((change) => change.projection === 'lowStockAlert')).toMatchObject({ id: 'mug', event: crossing });
      expect(alertsIn(apply([mug.reserved(2), mug.removed(1), mug.renamed('Mug!')]))).toEqual([]); // further drops: no alert
      expect(alertsIn(apply([mug.checkedIn(10)]))).toEqual([]); // 1 → 11: recovered
      expect(alertsIn(apply([mug.removed(6)]))).toEqual([]); // 11 → 5
      expect(alertsIn(apply([mug.reserved(5)]))).toEqual([
        { itemId: 'mug', sku: 'SKU-mug', name: 'Mug!', quantityAvailable: 0, threshold: 5 },
      ]);
      expect(alertsIn(apply([mug.released(5), mug.deactivated()]))).toEqual([]);
    });

    it('uses the configured threshold for alerts and the dashboard', () => {
      const { apply, queries } = dashboard({ lowStockThreshold: 2 });
      const cup = item('cup');
      apply([cup.created('Cup'), cup.checkedIn(3)]);
      expect(queries.dashboard().lowStockItems).toEqual([]);
      const changes = apply([cup.reserved(2)]);
      expect(alertsIn(changes)).toEqual([expect.objectContaining({ quantityAvailable: 1, threshold: 2 })]);
      expect(changes[0]).toMatchObject({ projection: 'shopDashboard', id: 'shop' });
      expect(queries.dashboard()).toMatchObject({ lowStockThreshold: 2, lowStockItems: [expect.objectContaining({ itemId: 'cup' })] });
      expect(() => new ShopDashboardStore({ lowStockThreshold: -1 })).toThrow(RangeError);
    });

    it('leaves the dashboard alone while a well-stocked item moves', () => {
      const { apply } = dashboard();
      const tea = item('tea');
      apply([tea.created('Tea'), tea.checkedIn(50)]);
      expect(apply([tea.reserved(10), tea.released(5), tea.renamed('Green tea')])).toEqual([]);
    });
  });
});
