import { InMemoryDocumentStore, type DocumentStore } from '../documentStore';
import { documentProjection } from '../projection';
import type { ReadModel } from '../readModel';
import { inventoryItemViewDefinition, type InventoryItemView } from './inventoryItemView';

/** Every inventory item as the shop shows it, by id. */
export const inventoryItemReadModel: ReadModel<{ readonly items: DocumentStore<InventoryItemView> }> = {
  name: 'inventoryItemView',
  createStores: () => ({ items: new InMemoryDocumentStore<InventoryItemView>() }),
  projections: ({ items }) => [documentProjection(inventoryItemViewDefinition, items)],
};
