import DataLoader from 'dataloader';
import type { InventoryItemView } from '../projections/inventoryItemView/inventoryItemView';
import type { InventoryReads } from './inventoryReads';

/** Fresh per request: batches every lookup made while one operation resolves, and caches it for that request only. */
export interface Loaders {
  readonly inventoryItemById: DataLoader<string, InventoryItemView | null>;
}

export function createLoaders(reads: { readonly inventory: InventoryReads }): Loaders {
  return {
    inventoryItemById: new DataLoader(async (ids) => reads.inventory.byIds(ids)),
  };
}
