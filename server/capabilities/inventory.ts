import { inventoryResolvers } from '../../resolvers/inventory';
import type { Capability } from './capability';

export const inventoryCapability: Capability = {
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
};
