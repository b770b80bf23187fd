import type { RecordedEvent } from '../../eventStore/port';
import { documentProjection } from '../projection';
import type { OrderView } from './orderView';
import { TERMINAL_ORDER_VIEW_STATUSES, orderViewDefinition, orderViewStatusAfter } from './orderView';
import { OrderQueries } from './orderQueries';
import { InMemoryOrderViewStore } from './orderViewStore';
import { recordedEvents } from '../../test/support/recordedStream';

const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
const recordedStream = recordedEvents(5000n, 17n);

/** Appends to one stream, each event stamped with the minute it occurred at. */
function stream(streamName: string) {
  const append = recordedStream(streamName);
  return (type: string, data: Record<string, unknown>, minute = 0): RecordedEvent =>
    append(type, data, { occurredAt: at(minute), actor: 'test' });
}

const TOKEN = 'tok_secret_visa';

/** One order and its payment: each step appends to the stream it belongs to. */
function anOrder(orderId: string, customerId = 'alice') {
  const order = stream(`order-${orderId}`);
  const payment = stream(`payment-${orderId}`);
  const paymentId = orderId;
  return {
    placed: (minute = 0) =>
      order(
        'OrderPlaced',
        {
          orderId,
          customerId,
          paymentMethodToken: TOKEN,
          lines: [
            { itemId: 'mug', sku: 'MUG-1', name: 'Mug', quantity: 2, unitPriceCents: 450 },
            { itemId: 'plate', sku: 'PLT-1', name: 'Plate', quantity: 1, unitPriceCents: 1200 },
          ],
          totalCents: 2100,
        },
        minute,
      ),
    stockReserved: (minute = 1) => order('OrderStockReserved', { orderId }, minute),
    rejected: (reason: string, minute = 1) => order('OrderRejected', { orderId, reason }, minute),
    confirmed: (minute = 4) => order('OrderConfirmed', { orderId }, minute),
    shipped: (minute = 5) => order('OrderShipped', { orderId }, minute),
    cancelled: (reason: string, cancelledBy: 'customer' | 'system', minute = 6) =>
      order('OrderCancelled', { orderId, reason, cancelledBy }, minute),
    paymentRequested: (minute = 2) =>
      payment('PaymentRequested', { paymentId, orderId, customerId, amountCents: 2100, paymentMethodToken: TOKEN }, minute),
    paymentCaptured: (minute = 3) =>
      payment('PaymentCaptured', { paymentId, orderId, amountCents: 2100, providerReference: `ref-${orderId}` }, minute),
    paymentDeclined: (reason: string, minute = 3) => payment('PaymentDeclined', { paymentId, orderId, reason }, minute),
    paymentRefunded: (reason: string, minute = 7) => payment('PaymentRefunded', { paymentId, orderId, amountCents: 2100, reason }, minute),
  };
}

function happyPath(orderId: string, customerId = 'alice'): RecordedEvent[] {
  const o = anOrder(orderId, customerId);
  return [o.placed(), o.stockReserved(), o.paymentRequested(), o.paymentCaptured(), o.confirmed(), o.shipped()];
}

function project(events: readonly RecordedEvent[]) {
  const store = new InMemoryOrderViewStore();
  const projection = documentProjection(orderViewDefinition, store);
  const changes = events.map((event) => projection.apply(event));
  return { store, projection, changes };
}

const json = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

describe('order view', () => {
  it('folds the happy path, payment steps included, in `$all` order', () => {
    const events = happyPath('o1');
    const { store, changes } = project(events);
    for (const change of changes) expect(change).toEqual([expect.objectContaining({ projection: 'orderView', id: 'o1' })]);
    const view = store.get('o1')!;
    expect(view).toMatchObject({
      id: 'o1',
      customerId: 'alice',
      status: 'SHIPPED',
      totalCents: 2100,
      paymentStatus: 'CAPTURED',
      providerReference: 'ref-o1',
      declineReason: null,
      rejectionReason: null,
      cancellationReason: null,
      cancelledBy: null,
      version: 3,
      revisions: { order: 3, payment: 1 },
      createdPosition: events[0]!.position,
      position: events[5]!.position,
      placedAt: at(0),
      updatedAt: at(5),
    });
    expect(view.lines).toEqual([
      { itemId: 'mug', sku: 'MUG-1', name: 'Mug', quantity: 2, unitPriceCents: 450, lineTotalCents: 900 },
      { itemId: 'plate', sku: 'PLT-1', name: 'Plate', quantity: 1, unitPriceCents: 1200, lineTotalCents: 1200 },
    ]);
    expect(view.statusHistory).toEqual([
      { status: 'PLACED', eventType: 'OrderPlaced', at: at(0), position: events[0]!.position },
      { status: 'STOCK_RESERVED', eventType: 'OrderStockReserved', at: at(1), position: events[1]!.position },
      { status: 'PAYMENT_REQUESTED', eventType: 'PaymentRequested', at: at(2), position: events[2]!.position },
      { status: 'PAYMENT_CAPTURED', eventType: 'PaymentCaptured', at: at(3), position: events[3]!.position },
      { status: 'CONFIRMED', eventType: 'OrderConfirmed', at: at(4), position: events[4]!.position },
      { status: 'SHIPPED', eventType: 'OrderShipped', at: at(5), position: events[5]!.position },
    ]);
  });

  it('never stores the payment-method token', () => {
    const { store } = project(happyPath('o1'));
    expect(json(store.get('o1'))).not.toContain(TOKEN);
    expect(store.get('o1')).not.toHaveProperty('paymentMethodToken');
  });

  it('falls back to the recorded time when the event has no occurredAt', () => {
    const event = { ...anOrder('o9').placed(), metadata: {}, recordedAt: '2031-05-05T05:05:05.000Z' };
    const { store } = project([event]);
    expect(store.get('o9')).toMatchObject({ placedAt: '2031-05-05T05:05:05.000Z', updatedAt: '2031-05-05T05:05:05.000Z' });
    expect(store.get('o9')!.statusHistory[0]!.at).toBe('2031-05-05T05:05:05.000Z');
  });

  it('records a rejection and its reason', () => {
    const o = anOrder('o2');
    const { store } = project([o.placed(), o.rejected('out of stock: mug')]);
    expect(store.get('o2')).toMatchObject({ status: 'REJECTED', rejectionReason: 'out of stock: mug', paymentStatus: 'NONE', version: 1 });
    expect(store.get('o2')!.statusHistory.map((step) => step.status)).toEqual(['PLACED', 'REJECTED']);
  });

  it('records a declined payment and the cancellation that follows', () => {
    const o = anOrder('o3');
    const { store } = project([
      o.placed(),
      o.stockReserved(),
      o.paymentRequested(),
      o.paymentDeclined('insufficient funds'),
      o.cancelled('payment declined', 'system'),
    ]);
    expect(store.get('o3')).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'DECLINED',
      declineReason: 'insufficient funds',
      providerReference: null,
      cancellationReason: 'payment declined',
      cancelledBy: 'system',
      version: 2,
      revisions: { order: 2, payment: 1 },
    });
    expect(store.get('o3')!.statusHistory.map((step) => step.status)).toEqual([
      'PLACED',
      'STOCK_RESERVED',
      'PAYMENT_REQUESTED',
      'PAYMENT_DECLINED',
      'CANCELLED',
    ]);
  });

  it('records a refund after a customer cancels a confirmed order', () => {
    const o = anOrder('o4');
    const { store } = project([
      o.placed(),
      o.stockReserved(),
      o.paymentRequested(),
      o.paymentCaptured(),
      o.confirmed(),
      o.cancelled('changed my mind', 'customer'),
      o.paymentRefunded('order cancelled'),
    ]);
    expect(store.get('o4')).toMatchObject({
      status: 'CANCELLED',
      cancelledBy: 'customer',
      paymentStatus: 'REFUNDED',
      providerReference: 'ref-o4',
      refundReason: 'order cancelled',
      updatedAt: at(7),
    });
    expect(
      store
        .get('o4')!
        .statusHistory.map((step) => step.status)
        .slice(-2),
    ).toEqual(['CANCELLED', 'PAYMENT_REFUNDED']);
  });

  it('is idempotent: replaying every event twice gives the same documents and reports no change', () => {
    const o = anOrder('o6', 'bob');
    const events = [...happyPath('o5'), o.placed(), o.rejected('no stock')];
    const { store, projection, changes } = project(events);
    for (const change of changes) expect(change).toHaveLength(1);
    const once = [...store.values()].map((view) => structuredClone(view));
    for (const event of events) expect(projection.apply(event)).toHaveLength(0);
    expect([...store.values()]).toEqual(once);
  });

  it('skips a redelivered older event of either stream even after newer ones', () => {
    const o = anOrder('o7');
    const placed = o.placed();
    const reserved = o.stockReserved();
    const requested = o.paymentRequested();
    const captured = o.paymentCaptured();
    const { store, projection } = project([placed, reserved, requested, captured]);
    const before = store.get('o7');
    expect(projection.apply(requested)).toEqual([]);
    expect(projection.apply(reserved)).toEqual([]);
    expect(projection.apply(placed)).toEqual([]);
    expect(store.get('o7')).toBe(before);
  });

  it('ignores a payment for an order it has not seen, and events on foreign streams', () => {
    const o = anOrder('o8');
    const { store } = project([o.paymentRequested()]);
    expect(store.get('o8')).toBeUndefined();
    const foreign = { ...anOrder('o8').placed(), streamName: 'inventoryItem-o8' };
    expect(project([foreign]).store.size).toBe(0);
  });

  describe('queries', () => {
    const store = new InMemoryOrderViewStore();
    const projection = documentProjection(orderViewDefinition, store);
    const a1 = anOrder('a1', 'alice');
    const b1 = anOrder('b1', 'bob');
    const a2 = anOrder('a2', 'alice');
    const a3 = anOrder('a3', 'alice');
    const b2 = anOrder('b2', 'bob');
    const a4 = anOrder('a4', 'alice');
    // Interleaved as they would arrive from `$all`.
    const events = [
      a1.placed(),
      b1.placed(),
      a1.stockReserved(),
      a2.placed(),
      a3.placed(),
      a2.rejected('no stock'),
      b2.placed(),
      a1.paymentRequested(),
      a4.placed(),
      a1.paymentCaptured(),
      a1.confirmed(),
      a3.stockReserved(),
    ];
    for (const event of events) projection.apply(event);
    const queries = new OrderQueries(store);
    const ids = (page: { edges: ReadonlyArray<{ node: OrderView }> }) => page.edges.map((edge) => edge.node.id);

    it('finds orders by id, in the order asked', () => {
      expect(queries.byId('a2')?.status).toBe('REJECTED');
      expect(queries.byId('nope')).toBeNull();
      expect(queries.byIds(['b1', 'nope', 'a1']).map((view) => view?.id ?? null)).toEqual(['b1', null, 'a1']);
    });

    it('lists every order oldest first', () => {
      expect(ids(queries.list({}, {}))).toEqual(['a1', 'b1', 'a2', 'a3', 'b2', 'a4']);
    });

    it("pages through one customer's orders with cursors", () => {
      const first = queries.list({ customerId: 'alice' }, { first: 2 });
      expect(ids(first)).toEqual(['a1', 'a2']);
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(first.totalCount()).toBe(4);
      const second = queries.list({ customerId: 'alice' }, { first: 2, after: first.pageInfo.endCursor });
      expect(ids(second)).toEqual(['a3', 'a4']);
      expect(second.pageInfo.hasNextPage).toBe(false);
      const back = queries.list({ customerId: 'alice' }, { last: 1, before: second.pageInfo.startCursor });
      expect(ids(back)).toEqual(['a2']);
      expect(back.pageInfo.hasPreviousPage).toBe(true);
      expect(ids(queries.list({ customerId: 'bob' }, {}))).toEqual(['b1', 'b2']);
      expect(ids(queries.list({ customerId: 'carol' }, {}))).toEqual([]);
    });

    it('filters by status, alone and with a customer', () => {
      expect(ids(queries.list({ status: ['PLACED'] }, {}))).toEqual(['b1', 'b2', 'a4']);
      expect(ids(queries.list({ status: ['PLACED', 'STOCK_RESERVED'] }, { first: 2 }))).toEqual(['b1', 'a3']);
      const placedPage = queries.list({ status: ['PLACED', 'STOCK_RESERVED'] }, { first: 2 });
      expect(ids(queries.list({ status: ['PLACED', 'STOCK_RESERVED'] }, { after: placedPage.pageInfo.endCursor }))).toEqual(['b2', 'a4']);
      expect(placedPage.totalCount()).toBe(4);
      expect(ids(queries.list({ customerId: 'alice', status: ['CONFIRMED', 'REJECTED'] }, {}))).toEqual(['a1', 'a2']);
      expect(ids(queries.list({ status: [] }, {}))).toHaveLength(6);
    });

    it('rejects a cursor of another kind', () => {
      const inventoryCursor = Buffer.from(`inventoryItem:${events[0]!.position}`, 'utf8').toString('base64url');
      expect(() => queries.list({}, { after: inventoryCursor })).toThrow(/Invalid cursor/);
    });
  });

  describe('store', () => {
    it('keeps the customer index in step with sets and deletes', () => {
      const { store } = project([anOrder('x1', 'carol').placed(), anOrder('x2', 'carol').placed(), anOrder('x3', 'dave').placed()]);
      expect([...store.orderIdsOfCustomer('carol')]).toEqual(['x1', 'x2']);
      store.delete('x1');
      expect([...store.orderIdsOfCustomer('carol')]).toEqual(['x2']);
      store.set('x2', { ...store.get('x2')!, customerId: 'dave' });
      expect([...store.orderIdsOfCustomer('carol')]).toEqual([]);
      expect([...store.orderIdsOfCustomer('dave')]).toEqual(['x3', 'x2']);
      expect(store.size).toBe(2);
    });
  });
});

describe('order view status', () => {
  it('spells the domain status after each order event as the GraphQL enum', () => {
    expect(orderViewStatusAfter('OrderPlaced')).toBe('PLACED');
    expect(orderViewStatusAfter('OrderStockReserved')).toBe('STOCK_RESERVED');
    expect(orderViewStatusAfter('OrderConfirmed')).toBe('CONFIRMED');
    expect(orderViewStatusAfter('OrderShipped')).toBe('SHIPPED');
    expect(orderViewStatusAfter('OrderRejected')).toBe('REJECTED');
    expect(orderViewStatusAfter('OrderCancelled')).toBe('CANCELLED');
    expect([...TERMINAL_ORDER_VIEW_STATUSES].sort()).toEqual(['CANCELLED', 'REJECTED', 'SHIPPED']);
  });
});
