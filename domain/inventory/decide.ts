import { checkEvent } from '../eventSchema';
import { inventoryItemEventVersioning } from './upcasters';
import type { Decider } from '../decider';
import { assertNever } from '../decider';
import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../errors';
import { requireAmountInCents, requirePositiveCount, requireText } from '../validation';
import type {
  CheckInItemsToInventory,
  CreateInventoryItem,
  DeactivateInventoryItem,
  InventoryItemCommand,
  ReleaseStockReservation,
  RemoveItemsFromInventory,
  RenameInventoryItem,
  ReserveStock,
  ShipReservedStock,
} from './commands';
import { InsufficientStockError, ItemInactiveError } from './errors';
import type { InventoryItemEvent } from './events';
import { inventoryItemEventSchemas } from './events';
import type { InventoryItem } from './inventoryItem';
import {
  COUNT_MAX,
  NAME_MAX_LENGTH,
  SKU_MAX_LENGTH,
  UNIT_PRICE_MAX_CENTS,
  availableQuantity,
  evolveInventoryItem,
  initialInventoryItem,
} from './inventoryItem';

type Existing = Exclude<InventoryItem, { status: 'notCreated' }>;
type Active = Extract<InventoryItem, { status: 'active' }>;

const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function requireExisting(state: InventoryItem, itemId: string): Existing {
  if (state.status === 'notCreated') throw new NotFoundError(`Inventory item ${itemId} not found`);
  return state;
}

function requireActive(state: InventoryItem, itemId: string): Active {
  const existing = requireExisting(state, itemId);
  if (existing.status === 'deactivated') throw new ItemInactiveError(itemId);
  return existing;
}

export function createInventoryItem(command: CreateInventoryItem, state: InventoryItem): InventoryItemEvent[] {
  const sku = requireText(command.sku, 'sku', SKU_MAX_LENGTH);
  if (!SKU_PATTERN.test(sku)) {
    throw new InvalidInputError('sku may hold letters, digits, dots, dashes and underscores only', 'sku');
  }
  const name = requireText(command.name, 'name', NAME_MAX_LENGTH);
  const unitPriceCents =
    command.unitPriceCents === null ? null : requireAmountInCents(command.unitPriceCents, 'unitPriceCents', UNIT_PRICE_MAX_CENTS);
  if (state.status !== 'notCreated') throw new AlreadyExistsError(`An inventory item with sku ${sku} already exists`);
  return [{ type: 'InventoryItemCreated', data: { itemId: command.itemId, sku, name, unitPriceCents } }];
}

export function renameInventoryItem(command: RenameInventoryItem, state: InventoryItem): InventoryItemEvent[] {
  const name = requireText(command.name, 'name', NAME_MAX_LENGTH);
  const item = requireActive(state, command.itemId);
  if (item.name === name) return [];
  return [{ type: 'InventoryItemRenamed', data: { itemId: command.itemId, name } }];
}

export function checkInItems(command: CheckInItemsToInventory, state: InventoryItem): InventoryItemEvent[] {
  const count = requirePositiveCount(command.count, 'count', COUNT_MAX);
  requireActive(state, command.itemId);
  return [{ type: 'ItemsCheckedIn', data: { itemId: command.itemId, count } }];
}

export function removeItems(command: RemoveItemsFromInventory, state: InventoryItem): InventoryItemEvent[] {
  const count = requirePositiveCount(command.count, 'count', COUNT_MAX);
  const item = requireActive(state, command.itemId);
  // Reserved stock belongs to orders: only what is available can be removed.
  const available = availableQuantity(item);
  if (count > available) throw new InsufficientStockError(command.itemId, count, available);
  return [{ type: 'ItemsRemovedFromInventory', data: { itemId: command.itemId, count } }];
}

export function deactivateInventoryItem(command: DeactivateInventoryItem, state: InventoryItem): InventoryItemEvent[] {
  const reason = command.reason === null ? null : requireText(command.reason, 'reason', NAME_MAX_LENGTH);
  requireActive(state, command.itemId);
  return [{ type: 'InventoryItemDeactivated', data: { itemId: command.itemId, reason } }];
}

export function reserveStock(command: ReserveStock, state: InventoryItem): InventoryItemEvent[] {
  const quantity = requirePositiveCount(command.quantity, 'quantity', COUNT_MAX);
  const item = requireActive(state, command.itemId);
  const alreadyReserved = item.reservations[command.orderId];
  if (alreadyReserved === quantity) return [];
  if (alreadyReserved !== undefined) {
    throw new InvalidInputError(`Order ${command.orderId} already holds a reservation of ${alreadyReserved}`, 'quantity');
  }
  const available = availableQuantity(item);
  if (quantity > available) throw new InsufficientStockError(command.itemId, quantity, available);
  return [{ type: 'StockReserved', data: { itemId: command.itemId, orderId: command.orderId, quantity } }];
}

/** Compensation: allowed on a deactivated item too, and a no-op when nothing is reserved. */
export function releaseStockReservation(command: ReleaseStockReservation, state: InventoryItem): InventoryItemEvent[] {
  const item = requireExisting(state, command.itemId);
  const quantity = item.reservations[command.orderId];
  if (quantity === undefined) return [];
  return [{ type: 'StockReservationReleased', data: { itemId: command.itemId, orderId: command.orderId, quantity } }];
}

export function shipReservedStock(command: ShipReservedStock, state: InventoryItem): InventoryItemEvent[] {
  const item = requireExisting(state, command.itemId);
  const quantity = item.reservations[command.orderId];
  if (quantity === undefined) {
    throw new NotFoundError(`No stock of item ${command.itemId} is reserved for order ${command.orderId}`);
  }
  return [{ type: 'ReservedStockShipped', data: { itemId: command.itemId, orderId: command.orderId, quantity } }];
}

export function decideInventoryItem(command: InventoryItemCommand, state: InventoryItem): InventoryItemEvent[] {
  switch (command.type) {
    case 'CreateInventoryItem':
      return createInventoryItem(command, state);
    case 'RenameInventoryItem':
      return renameInventoryItem(command, state);
    case 'CheckInItemsToInventory':
      return checkInItems(command, state);
    case 'RemoveItemsFromInventory':
      return removeItems(command, state);
    case 'DeactivateInventoryItem':
      return deactivateInventoryItem(command, state);
    case 'ReserveStock':
      return reserveStock(command, state);
    case 'ReleaseStockReservation':
      return releaseStockReservation(command, state);
    case 'ShipReservedStock':
      return shipReservedStock(command, state);
    default:
      return assertNever(command);
  }
}

export const inventoryItemDecider: Decider<InventoryItem, InventoryItemCommand, InventoryItemEvent> = {
  initialState: initialInventoryItem,
  evolve: evolveInventoryItem,
  decide: decideInventoryItem,
  checkEvent: (stored) => checkEvent(inventoryItemEventSchemas, stored, inventoryItemEventVersioning.currentVersions),
};
