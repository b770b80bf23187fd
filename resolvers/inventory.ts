import type { Resolvers } from './__generated__/types';

const passThrough = <Value>(value: Value): Value => value;

export const inventoryResolvers: Resolvers = {
  InventoryItemConnection: {
    nodes: (page) => page.edges.map((edge) => edge.node),
    totalCount: (page) => page.totalCount(),
  },
  Query: {
    inventoryItem: (_parent, { id }, { loaders }) => loaders.inventoryItemById.load(id),
    inventoryItemBySku: (_parent, { sku }, { loaders, reads }) => loaders.inventoryItemById.load(reads.inventory.idForSku(sku)),
    inventoryItems: (_parent, { first, after, last, before, filter }, { reads }) =>
      reads.inventory.list(filter ?? {}, { first, after, last, before }),
  },
  Mutation: {
    createInventoryItem: (_parent, { input }, { inventory, scope }) => inventory.createItem(input, scope),
    renameInventoryItem: (_parent, { input }, { inventory, scope }) => inventory.renameItem(input, scope),
    checkInItems: (_parent, { input }, { inventory, scope }) => inventory.checkInItems(input, scope),
    removeItems: (_parent, { input }, { inventory, scope }) => inventory.removeItems(input, scope),
    deactivateInventoryItem: (_parent, { input }, { inventory, scope }) => inventory.deactivateItem(input, scope),
  },
  Subscription: {
    inventoryItem: {
      subscribe: (_parent, { id }, { reads }) => reads.inventory.itemUpdates(id),
      resolve: passThrough,
    },
    inventoryItemChanges: {
      subscribe: (_parent, _args, { reads }) => reads.inventory.allChanges(),
      resolve: passThrough,
    },
  },
};
