import type { InventoryService } from '../application/inventoryService';
import type { OrderService } from '../application/orders/orderService';
import type { RequestScope } from '../application/requestScope';
import type { DeliveryAddress } from '../domain/orders';
import type { EventStore } from '../eventStore/port';
import type { OrderView, OrderViewStatus } from '../projections/orderView/orderView';
import type { Logger } from '../projections/projectionRunner';

const DEMO_ITEMS = [
  { sku: 'MUG-CLASSIC', name: 'Classic mug', unitPriceCents: 1200, stock: 40 },
  { sku: 'MUG-TRAVEL', name: 'Travel mug', unitPriceCents: 2400, stock: 12 },
  { sku: 'TEE-LOGO-M', name: 'Logo T-shirt (M)', unitPriceCents: 1900, stock: 25 },
  { sku: 'TEE-LOGO-L', name: 'Logo T-shirt (L)', unitPriceCents: 1900, stock: 6 },
  { sku: 'STICKER-PACK', name: 'Sticker pack', unitPriceCents: 500, stock: 200 },
  { sku: 'POSTER-A2', name: 'Event-sourcing poster (A2)', unitPriceCents: 1500, stock: 1 },
] as const;

type Sku = (typeof DEMO_ITEMS)[number]['sku'];

/** The item GraphiQL's default tab checks in and watches. */
export const DEMO_MUG_SKU: Sku = 'MUG-CLASSIC';

/** Demo orders, each ending in a different state once the process manager has run. */
const DEMO_ORDERS: ReadonlyArray<{
  key: string;
  customerId: string;
  token: string;
  lines: ReadonlyArray<[Sku, number]>;
  /** Omitted: to be collected. */
  deliveryAddress?: DeliveryAddress;
  then?: 'ship' | 'cancel';
}> = [
  {
    key: 'shipped',
    customerId: 'alice',
    token: 'tok_visa',
    lines: [
      ['MUG-CLASSIC', 2],
      ['STICKER-PACK', 3],
    ],
    deliveryAddress: { recipient: 'Alice Liddell', street: '1 Rabbit Hole Lane', postalCode: 'OX1 1DP', city: 'Oxford', countryCode: 'GB' },
    then: 'ship',
  },
  { key: 'confirmed', customerId: 'alice', token: 'tok_visa', lines: [['TEE-LOGO-L', 2]] },
  { key: 'declined', customerId: 'bob', token: 'tok_declined', lines: [['MUG-TRAVEL', 1]] },
  { key: 'out-of-stock', customerId: 'bob', token: 'tok_visa', lines: [['POSTER-A2', 3]] },
  { key: 'cancelled', customerId: 'carol', token: 'tok_visa', lines: [['TEE-LOGO-M', 1]], then: 'cancel' },
];

export interface SeedDependencies {
  readonly store: EventStore;
  readonly inventory: InventoryService;
  readonly orders: OrderService;
  readonly orderById: (id: string) => OrderView | null;
  readonly logger: Logger;
}

/**
 * Demo data for a new user, written through the real command path once, when the store is empty:
 * a catalogue, and orders that the process manager takes to several final states.
 */
export async function seedDemoData({ store, inventory, orders, orderById, logger }: SeedDependencies): Promise<boolean> {
  if ((await store.readAll({ maxCount: 1 })).length > 0) return false;
  // Each step gets its own time, as separate requests would.
  const scopeNow = (): RequestScope => ({
    actor: { role: 'admin', id: 'demo-seed' },
    correlationId: 'demo-seed',
    receivedAt: new Date().toISOString(),
  });
  const itemIds = new Map<string, string>();
  for (const demo of DEMO_ITEMS) {
    const { item } = await inventory.createItem({ ...demo, idempotencyKey: `demo/create/${demo.sku}` }, scopeNow());
    itemIds.set(demo.sku, item.id);
    await inventory.checkInItems({ id: item.id, count: demo.stock, idempotencyKey: `demo/checkIn/${demo.sku}` }, scopeNow());
  }
  const retired = await inventory.createItem(
    { sku: 'CALENDAR-2025', name: 'Calendar 2025', unitPriceCents: 900, idempotencyKey: 'demo/create/CALENDAR-2025' },
    scopeNow(),
  );
  await inventory.deactivateItem(
    { id: retired.item.id, reason: 'Out of season', idempotencyKey: 'demo/deactivate/CALENDAR-2025' },
    scopeNow(),
  );

  const placed = [];
  for (const demo of DEMO_ORDERS) {
    const { order } = await orders.placeOrder(
      {
        customerId: demo.customerId,
        paymentMethodToken: demo.token,
        lines: demo.lines.map(([sku, quantity]) => ({ itemId: itemIds.get(sku)!, quantity })),
        deliveryAddress: demo.deliveryAddress ?? null,
        idempotencyKey: `demo/order/${demo.key}`,
      },
      scopeNow(),
    );
    placed.push({ demo, id: order.id });
  }
  for (const { demo, id } of placed) {
    if (!demo.then) continue;
    // Shipping and cancelling a confirmed order wait for the process manager to confirm it.
    if (!(await until(() => orderById(id)?.status, 'CONFIRMED', 15_000))) continue;
    if (demo.then === 'ship') await orders.shipOrder({ id, idempotencyKey: `demo/ship/${demo.key}` }, scopeNow());
    else await orders.cancelOrder({ id, reason: 'Ordered the wrong size', idempotencyKey: `demo/cancel/${demo.key}` }, scopeNow());
  }
  logger.info('seeded demo data', { items: DEMO_ITEMS.length + 1, orders: DEMO_ORDERS.length });
  return true;
}

async function until(read: () => OrderViewStatus | undefined, status: OrderViewStatus, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (read() !== status) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
