import { defineAggregate, type Aggregate } from '../aggregate';
import type { InventoryItemCommand } from './commands';
import { inventoryItemDecider } from './decide';
import { inventoryItemEventSchemas, type InventoryItemEvent } from './events';
import { inventoryItemEventVersioning } from './upcasters';
import type { InventoryItem } from './inventoryItem';
export * from './commands';
export * from './events';
export * from './errors';
export * from './inventoryItem';
export * from './stockMovement';
export { inventoryItemDecider, decideInventoryItem } from './decide';

/** Streams of this aggregate are named `inventoryItem-<itemId>`. */
export const INVENTORY_ITEM_CATEGORY = 'inventoryItem';
export const inventoryItemStreamName = (itemId: string): string => `${INVENTORY_ITEM_CATEGORY}-${itemId}`;

/** What the command router needs to decide an inventoryItem command on its stream. */
export const inventoryItemAggregate: Aggregate<InventoryItem, InventoryItemCommand, InventoryItemEvent> = defineAggregate(
  INVENTORY_ITEM_CATEGORY,
  inventoryItemDecider,
  { schemas: inventoryItemEventSchemas, versioning: inventoryItemEventVersioning },
  (command) => inventoryItemStreamName(command.itemId),
);
