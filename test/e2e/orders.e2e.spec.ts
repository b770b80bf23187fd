/**
 * The shop's fulfilment flow end to end: placing an order over HTTP, the process manager's
 * asynchronous steps, observed through real graphql-ws subscriptions, on every backend.
 */
import type { Gateway } from '../../server/gateway';
import type { EventStore } from '../../eventStore/port';
import { InventoryItemQueries } from '../../projections/inventoryItemView/inventoryItemQueries';
import { backends } from '../support/backends';
import { createItem, eventCount, graphql, startTestGateway, take, tokenFor, wsClient } from '../support/gatewayHarness';
import { waitFor } from '../support/waitFor';
import { checkInItems, inventoryItemReservations, shipOrder } from '../support/shopSetup';

const ORDER_FIELDS = `id customerId status totalCents version rejectionReason cancellationReason cancelledBy
  payment { status providerReference declineReason refundReason }
  lines { itemId sku quantity unitPriceCents lineTotalCents }
  history { step eventType position }`;

type Order = { id: string; status: string; history: Array<{ step: string }>; payment: { status: string }; [key: string]: unknown };

describe.each(backends)('orders over GraphQL ($name store)', (backend) => {
  let gateway: Gateway;
  let store: EventStore;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await backend.create());
    gateway = await startTestGateway(store, { PAYMENT_LATENCY_MS: '10', PAYMENT_DECLINE_ABOVE_CENTS: '50000' });
  });
  afterEach(async () => {
    await gateway.stop();
    await dispose();
  });

  async function stockedItem(sku: string, stock: number, unitPriceCents = 1000) {
    const { item } = await createItem(gateway.url, sku, `Item ${sku}`, { unitPriceCents });
    if (stock > 0) await checkInItems(gateway.url, item.id, stock);
    return item.id as string;
  }

  function placeOrder(customerId: string, lines: Array<{ itemId: string; quantity: number }>, token = 'tok_visa', idempotencyKey?: string) {
    return graphql(
      gateway.url,
      `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { revision replayed order { ${ORDER_FIELDS} } } }`,
      {
        input: { customerId, lines, paymentMethodToken: token, ...(idempotencyKey ? { idempotencyKey } : {}) },
      },
    );
  }

  const item = (id: string) => inventoryItemReservations(gateway.url, id);

  /** Follows one order over graphql-ws until it reaches one of `finalStatuses`; returns every state seen. */
  async function followOrder(id: string, finalStatuses: string[]): Promise<Order[]> {
    const client = wsClient(gateway.url);
    try {
      const subscription = client.iterate<{ order: Order }>({
        query: `subscription($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`,
        variables: { id },
      });
      const seen: Order[] = [];
      while (!finalStatuses.includes(seen[seen.length - 1]?.status ?? '')) {
        const [next] = await take(subscription, 1, 15_000);
        if (!next?.data) throw new Error(`subscription ended: ${JSON.stringify(next)}`);
        seen.push(next.data.order);
      }
      await subscription.return?.();
      return seen;
    } finally {
      await client.dispose();
    }
  }

  it('takes an order through stock reservation, payment and confirmation, each step visible to a subscriber', async () => {
    const mugs = await stockedItem('ORD-MUG', 10, 1200);
    const plates = await stockedItem('ORD-PLATE', 5, 800);
    const client = wsClient(gateway.url);
    const customerFeed = client.iterate<{ customerOrders: Order }>({
      query: `subscription { customerOrders(customerId: "alice") { id status history { step } } }`,
    });
    const opened = take(customerFeed, 1, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const placed = await placeOrder('alice', [
      { itemId: mugs, quantity: 2 },
      { itemId: plates, quantity: 3 },
    ]);
    expect(placed.errors).toBeUndefined();
    const order = placed.data!.placeOrder.order as Order;
    expect(order).toMatchObject({ status: 'PLACED', totalCents: 2 * 1200 + 3 * 800, payment: { status: 'NONE' } });

    const seen = [...(await opened)];
    while (seen[seen.length - 1]?.data?.customerOrders.status !== 'CONFIRMED') seen.push(...(await take(customerFeed, 1, 15_000)));
    await customerFeed.return?.();
    await client.dispose();
    const statuses = seen.map((s) => s.data!.customerOrders.status).filter((s, i, all) => s !== all[i - 1]);
    expect(statuses).toEqual(['PLACED', 'STOCK_RESERVED', 'CONFIRMED']);
    const final = seen[seen.length - 1]!.data!.customerOrders;
    expect(final.history.map((h) => h.step)).toEqual(['PLACED', 'STOCK_RESERVED', 'PAYMENT_REQUESTED', 'PAYMENT_CAPTURED', 'CONFIRMED']);

    expect(await item(mugs)).toEqual({ quantityOnHand: 10, quantityReserved: 2, quantityAvailable: 8 });
    expect(await item(plates)).toEqual({ quantityOnHand: 5, quantityReserved: 3, quantityAvailable: 2 });

    const shipped = await shipOrder(gateway.url, order.id);
    expect(shipped.data?.shipOrder.order.status).toBe('SHIPPED');
    await waitFor(async () => (await item(mugs))?.quantityOnHand === 8);
    expect(await item(mugs)).toEqual({ quantityOnHand: 8, quantityReserved: 0, quantityAvailable: 8 });
  });

  it('rejects an order it cannot reserve stock for, releasing partial reservations', async () => {
    const plenty = await stockedItem('ORD-PLENTY', 10);
    const scarce = await stockedItem('ORD-SCARCE', 1);
    const placed = await placeOrder('bob', [
      { itemId: plenty, quantity: 4 },
      { itemId: scarce, quantity: 2 },
    ]);
    const history = await followOrder(placed.data!.placeOrder.order.id, ['REJECTED']);
    const final = history[history.length - 1]!;
    expect(final.rejectionReason).toBe('ORD-SCARCE is out of stock');
    expect(final.payment.status).toBe('NONE');
    await waitFor(async () => (await item(plenty))?.quantityReserved === 0);
    expect(await item(plenty)).toEqual({ quantityOnHand: 10, quantityReserved: 0, quantityAvailable: 10 });
    expect(await item(scarce)).toEqual({ quantityOnHand: 1, quantityReserved: 0, quantityAvailable: 1 });
  });

  it('cancels an order whose payment is declined and releases its stock', async () => {
    const itemId = await stockedItem('ORD-DECLINE', 5);
    const placed = await placeOrder('carol', [{ itemId, quantity: 2 }], 'tok_declined');
    const history = await followOrder(placed.data!.placeOrder.order.id, ['CANCELLED']);
    const final = history[history.length - 1]!;
    expect(final).toMatchObject({
      cancelledBy: 'system',
      cancellationReason: 'payment declined',
      payment: { status: 'DECLINED', declineReason: 'card declined' },
    });
    expect(final.history.map((h) => h.step)).toEqual(['PLACED', 'STOCK_RESERVED', 'PAYMENT_REQUESTED', 'PAYMENT_DECLINED', 'CANCELLED']);
    await waitFor(async () => (await item(itemId))?.quantityReserved === 0);
    expect(await item(itemId)).toEqual({ quantityOnHand: 5, quantityReserved: 0, quantityAvailable: 5 });
  });

  it('declines charges above the configured amount', async () => {
    const itemId = await stockedItem('ORD-PRICEY', 5, 40_000);
    const placed = await placeOrder('dave', [{ itemId, quantity: 2 }]);
    const history = await followOrder(placed.data!.placeOrder.order.id, ['CANCELLED']);
    expect(history[history.length - 1]!.payment).toMatchObject({
      status: 'DECLINED',
      declineReason: 'amount above the limit of 50000 cents',
    });
  });

  it('refunds and releases stock when a customer cancels a confirmed order', async () => {
    const itemId = await stockedItem('ORD-CANCEL', 5);
    const { id } = (await placeOrder('erin', [{ itemId, quantity: 1 }])).data!.placeOrder.order;
    await followOrder(id, ['CONFIRMED']);
    const cancelled = await graphql(
      gateway.url,
      `
        mutation ($id: ID!) {
          cancelOrder(input: { id: $id, reason: "changed my mind" }) {
            order {
              status
              cancelledBy
            }
          }
        }
      `,
      { id },
      {
        authorization: `Bearer ${await tokenFor('customer', 'erin')}`,
      },
    );
    expect(cancelled.data?.cancelOrder.order).toEqual({ status: 'CANCELLED', cancelledBy: 'customer' });
    await waitFor(
      async () =>
        (
          await graphql(
            gateway.url,
            `
              query ($id: ID!) {
                order(id: $id) {
                  payment {
                    status
                  }
                }
              }
            `,
            { id },
          )
        ).data?.order.payment.status === 'REFUNDED',
    );
    await waitFor(async () => (await item(itemId))?.quantityReserved === 0);
    const shipped = await shipOrder(gateway.url, id);
    expect(shipped.errors?.[0]?.extensions?.code).toBe('INVALID_ORDER_STATE');
  });

  it('never oversells: 20 concurrent orders race for the last 10 units', async () => {
    const itemId = await stockedItem('ORD-LAST10', 10);
    const placed = await Promise.all(Array.from({ length: 20 }, (_, i) => placeOrder(`racer-${i}`, [{ itemId, quantity: 1 }])));
    expect(placed.filter((p) => p.errors)).toEqual([]);
    const ids = placed.map((p) => p.data!.placeOrder.order.id as string);
    const finals = async () =>
      (
        await graphql(
          gateway.url,
          `
            query ($ids: [OrderStatus!]) {
              orders(first: 100, status: $ids) {
                totalCount
              }
            }
          `,
          { ids: ['CONFIRMED', 'REJECTED'] },
        )
      ).data?.orders.totalCount;
    await waitFor(async () => (await finals()) === 20, 30_000);
    const confirmed = await graphql(
      gateway.url,
      `
        {
          orders(first: 100, status: [CONFIRMED]) {
            totalCount
          }
          rejected: orders(first: 100, status: [REJECTED]) {
            totalCount
          }
        }
      `,
    );
    expect(confirmed.data).toEqual({ orders: { totalCount: 10 }, rejected: { totalCount: 10 } });
    expect(await item(itemId)).toEqual({ quantityOnHand: 10, quantityReserved: 10, quantityAvailable: 0 });
    expect(new Set(ids).size).toBe(20);
    expect(gateway.handles.paymentProvider.chargeCount).toBe(10);
  });

  it('places an order once for a retried placement with the same idempotency key', async () => {
    const itemId = await stockedItem('ORD-IDEM', 5);
    const [a, b] = await Promise.all([
      placeOrder('frank', [{ itemId, quantity: 1 }], 'tok_visa', 'cart-77'),
      placeOrder('frank', [{ itemId, quantity: 1 }], 'tok_visa', 'cart-77'),
    ]);
    expect(a?.data?.placeOrder.order.id).toBe(b?.data?.placeOrder.order.id);
    await followOrder(a!.data!.placeOrder.order.id, ['CONFIRMED']);
    const orders = await graphql(
      gateway.url,
      `
        {
          orders(customerId: "frank") {
            totalCount
          }
        }
      `,
    );
    expect(orders.data?.orders.totalCount).toBe(1);
    expect(await item(itemId)).toMatchObject({ quantityReserved: 1 });
  });

  it('lists orders by customer with cursors and resolves line items in one batch (no N+1)', async () => {
    const a = await stockedItem('ORD-LIST-A', 50);
    const b = await stockedItem('ORD-LIST-B', 50);
    for (let i = 0; i < 3; i += 1)
      await placeOrder('gina', [
        { itemId: a, quantity: 1 },
        { itemId: b, quantity: 1 },
      ]);
    await placeOrder('hank', [{ itemId: a, quantity: 1 }]);
    const spy = jest.spyOn(InventoryItemQueries.prototype, 'byIds');
    try {
      const page1 = await graphql(
        gateway.url,
        `
          {
            orders(customerId: "gina", first: 2) {
              totalCount
              edges {
                cursor
                node {
                  customerId
                  lines {
                    item {
                      sku
                    }
                  }
                }
              }
              pageInfo {
                hasNextPage
                endCursor
              }
            }
          }
        `,
      );
      expect(page1.data?.orders.totalCount).toBe(3);
      expect(page1.data?.orders.edges.map((e: any) => e.node.lines.map((l: any) => l.item.sku))).toEqual([
        ['ORD-LIST-A', 'ORD-LIST-B'],
        ['ORD-LIST-A', 'ORD-LIST-B'],
      ]);
      expect(spy).toHaveBeenCalledTimes(1);
      const page2 = await graphql(
        gateway.url,
        `
          query ($after: String) {
            orders(customerId: "gina", first: 2, after: $after) {
              edges {
                node {
                  customerId
                }
              }
              pageInfo {
                hasNextPage
              }
            }
          }
        `,
        {
          after: page1.data?.orders.pageInfo.endCursor,
        },
      );
      expect(page2.data?.orders.edges).toHaveLength(1);
      expect(page2.data?.orders.pageInfo.hasNextPage).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  it('alerts subscribers when stock falls below the threshold and sums it all up on the dashboard', async () => {
    const itemId = await stockedItem('ORD-LOW', 6, 2500);
    const client = wsClient(gateway.url);
    try {
      const alerts = client.iterate<{ lowStockAlerts: { quantityAvailable: number; threshold: number; item: { sku: string } } }>({
        query: `subscription { lowStockAlerts { quantityAvailable threshold item { sku } } }`,
      });
      const firstAlert = take(alerts, 1, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { id } = (await placeOrder('jane', [{ itemId, quantity: 2 }])).data!.placeOrder.order;
      expect((await firstAlert)[0]?.data?.lowStockAlerts).toEqual({ quantityAvailable: 4, threshold: 5, item: { sku: 'ORD-LOW' } });
      await alerts.return?.();
      await followOrder(id, ['CONFIRMED']);
    } finally {
      await client.dispose();
    }
    await waitFor(
      async () =>
        (
          await graphql(
            gateway.url,
            `
              {
                dashboard {
                  revenueCents
                }
              }
            `,
          )
        ).data?.dashboard.revenueCents === 5000,
    );
    const dashboard = await graphql(
      gateway.url,
      `
        {
          dashboard {
            ordersPlaced
            revenueCents
            ordersByStatus {
              status
              count
            }
            lowStockItems {
              sku
              quantityAvailable
            }
            wide: lowStockItems(threshold: 100) {
              sku
            }
          }
        }
      `,
    );
    expect(dashboard.data?.dashboard).toMatchObject({
      ordersPlaced: 1,
      revenueCents: 5000,
      lowStockItems: [{ sku: 'ORD-LOW', quantityAvailable: 4 }],
      wide: [{ sku: 'ORD-LOW' }],
    });
    expect(dashboard.data?.dashboard.ordersByStatus).toContainEqual({ status: 'CONFIRMED', count: 1 });
    expect(dashboard.data?.dashboard.ordersByStatus).toContainEqual({ status: 'PLACED', count: 0 });
  });

  describe('rejected order mutations return a stable code and append nothing', () => {
    const cases: Array<[string, (ids: { itemId: string; unpricedId: string }) => Record<string, unknown>, string]> = [
      [
        'an unknown item',
        () => ({ customerId: 'x', paymentMethodToken: 'tok', lines: [{ itemId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }),
        'NOT_FOUND',
      ],
      ['no lines', () => ({ customerId: 'x', paymentMethodToken: 'tok', lines: [] }), 'BAD_USER_INPUT'],
      [
        'a zero quantity',
        (ids) => ({ customerId: 'x', paymentMethodToken: 'tok', lines: [{ itemId: ids.itemId, quantity: 0 }] }),
        'BAD_USER_INPUT',
      ],
      [
        'a blank customer',
        (ids) => ({ customerId: ' ', paymentMethodToken: 'tok', lines: [{ itemId: ids.itemId, quantity: 1 }] }),
        'BAD_USER_INPUT',
      ],
      [
        'the same item twice',
        (ids) => ({
          customerId: 'x',
          paymentMethodToken: 'tok',
          lines: [
            { itemId: ids.itemId, quantity: 1 },
            { itemId: ids.itemId, quantity: 1 },
          ],
        }),
        'BAD_USER_INPUT',
      ],
      [
        'an item without a price',
        (ids) => ({ customerId: 'x', paymentMethodToken: 'tok', lines: [{ itemId: ids.unpricedId, quantity: 1 }] }),
        'BAD_USER_INPUT',
      ],
    ];
    it.each(cases)('rejects %s', async (_name, input, code) => {
      const itemId = await stockedItem('ORD-REJ', 5);
      const unpricedId = (await createItem(gateway.url, 'ORD-UNPRICED')).item.id as string;
      const before = await eventCount(store);
      const result = await graphql(
        gateway.url,
        `
          mutation ($input: PlaceOrderInput!) {
            placeOrder(input: $input) {
              revision
            }
          }
        `,
        { input: input({ itemId, unpricedId }) },
      );
      expect(result.errors?.[0]?.extensions?.code).toBe(code);
      expect(await eventCount(store)).toBe(before);
    });

    it('rejects shipping an order that is not confirmed, and unknown orders', async () => {
      const itemId = await stockedItem('ORD-SHIP', 5);
      const { id } = (await placeOrder('ivy', [{ itemId, quantity: 9 }])).data!.placeOrder.order;
      await followOrder(id, ['REJECTED']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const before = await eventCount(store);
      const ship = await shipOrder(gateway.url, id, 'revision');
      expect(ship.errors?.[0]?.extensions?.code).toBe('INVALID_ORDER_STATE');
      const unknown = await graphql(
        gateway.url,
        `
          mutation {
            cancelOrder(input: { id: "00000000-0000-4000-8000-000000000000", reason: "x" }) {
              revision
            }
          }
        `,
      );
      expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(await eventCount(store)).toBe(before);
    });
  });
});
