import DataLoader from 'dataloader';
import type { InventoryItemView } from '../projections/inventoryItemView/inventoryItemView';
import type { OrderView } from '../projections/orderView/orderView';
import type { InventoryReads } from './inventoryReads';
import type { Actor } from './actor';
import type { OrderReads } from './orders/orderReads';

/** Fresh per request: batches every lookup made while one operation resolves, and caches it for that request only. */
export interface Loaders {
  readonly inventoryItemById: DataLoader<string, InventoryItemView | null>;
  readonly orderById: DataLoader<string, OrderView | null>;
}

export function createLoaders(reads: { readonly inventory: InventoryReads; readonly orders: OrderReads }, actor: Actor): Loaders {
  return {
    inventoryItemById: new DataLoader(async (ids) => reads.inventory.byIds(ids)),
    orderById: new DataLoader(async (ids) => reads.orders.byIds(ids, actor)),
  };
}
