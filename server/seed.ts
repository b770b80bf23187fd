import type { InventoryService } from '../application/inventoryService';
import type { EventStore } from '../eventStore/port';
import type { Logger } from '../projections/projectionRunner';

const DEMO_ITEMS = [
  { sku: 'MUG-CLASSIC', name: 'Classic mug', unitPriceCents: 1200, stock: 40 },
  { sku: 'MUG-TRAVEL', name: 'Travel mug', unitPriceCents: 2400, stock: 12 },
  { sku: 'TEE-LOGO-M', name: 'Logo T-shirt (M)', unitPriceCents: 1900, stock: 25 },
  { sku: 'TEE-LOGO-L', name: 'Logo T-shirt (L)', unitPriceCents: 1900, stock: 3 },
  { sku: 'STICKER-PACK', name: 'Sticker pack', unitPriceCents: 500, stock: 200 },
  { sku: 'POSTER-A2', name: 'Event-sourcing poster (A2)', unitPriceCents: 1500, stock: 0 },
] as const;

/** Demo data for a new user, written through the real command path once, when the store is empty. */
export async function seedDemoData(store: EventStore, inventory: InventoryService, logger: Logger): Promise<boolean> {
  if ((await store.readAll({ maxCount: 1 })).length > 0) return false;
  const scope = { actor: 'demo-seed', correlationId: 'demo-seed', receivedAt: new Date().toISOString() };
  for (const demo of DEMO_ITEMS) {
    const { item } = await inventory.createItem({ ...demo, idempotencyKey: `demo/create/${demo.sku}` }, scope);
    if (demo.stock > 0) {
      await inventory.checkInItems({ id: item.id, count: demo.stock, idempotencyKey: `demo/checkIn/${demo.sku}` }, scope);
    }
  }
  const poster = await inventory.createItem({ sku: 'CALENDAR-2025', name: 'Calendar 2025', unitPriceCents: 900, idempotencyKey: 'demo/create/CALENDAR-2025' }, scope);
  await inventory.deactivateItem({ id: poster.item.id, reason: 'Out of season', idempotencyKey: 'demo/deactivate/CALENDAR-2025' }, scope);
  logger.info('seeded demo data', { items: DEMO_ITEMS.length + 1 });
  return true;
}
