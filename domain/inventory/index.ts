export * from './commands';
export * from './events';
export * from './errors';
export * from './inventoryItem';
export { inventoryItemDecider, decideInventoryItem } from './decide';

/** Streams of this aggregate are named `inventoryItem-<itemId>`. */
export const INVENTORY_ITEM_CATEGORY = 'inventoryItem';
export const inventoryItemStreamName = (itemId: string): string => `${INVENTORY_ITEM_CATEGORY}-${itemId}`;
