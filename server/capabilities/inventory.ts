import type { CapabilityContext, CapabilityReads } from '../../application/context';
import type { Loaders } from '../../application/loaders';
import DataLoader from 'dataloader';
import { InventoryReads } from '../../application/inventoryReads';
import { InventoryService } from '../../application/inventoryService';
import { InventoryItemQueries } from '../../projections/inventoryItemView/inventoryItemQueries';
import { inventoryItemReadModel } from '../../projections/inventoryItemView/inventoryItemReadModel';
import type { InventoryItemView } from '../../projections/inventoryItemView/inventoryItemView';
import { inventoryResolvers } from '../../resolvers/inventory';
import type { Capability } from './capability';

declare module '../../application/context' {
  interface CapabilityContext {
    readonly inventory: InventoryService;
  }
  interface CapabilityReads {
    readonly inventory: InventoryReads;
  }
}
declare module '../../application/loaders' {
  interface Loaders {
    readonly inventoryItemById: DataLoader<string, InventoryItemView | null>;
  }
}

export const inventoryCapability: Capability<
  Pick<CapabilityContext, 'inventory'>,
  Pick<CapabilityReads, 'inventory'>,
  Pick<Loaders, 'inventoryItemById'>
> = {
  name: 'inventory',
  typeDefs: ['inventory.graphql'],
  resolvers: inventoryResolvers,
  accessRules: {
    'Query.inventoryItem': 'anyone',
    'Query.inventoryItemBySku': 'anyone',
    'Query.inventoryItems': 'anyone',
    'Mutation.createInventoryItem': 'admin',
    'Mutation.renameInventoryItem': 'admin',
    'Mutation.checkInItems': 'admin',
    'Mutation.removeItems': 'admin',
    'Mutation.deactivateInventoryItem': 'admin',
    'Subscription.inventoryItem': 'anyone',
    'Subscription.inventoryItemChanges': 'anyone',
  },
  readModels: () => [inventoryItemReadModel],
  wire: ({ executor, changes, stores }) => {
    const items = new InventoryItemQueries(stores(inventoryItemReadModel).items);
    const reads = new InventoryReads(items, changes);
    return {
      context: { inventory: new InventoryService(executor, items) },
      reads: { inventory: reads },
      loaders: () => ({ inventoryItemById: new DataLoader(async (ids) => reads.byIds(ids)) }),
    };
  },
};
