import { changeChannel } from '../changeChannel';

/** Stock of one active inventory item, as the dashboard tracks it. */
export interface StockLevel {
  readonly itemId: string;
  readonly sku: string;
  readonly name: string;
  /** On hand minus reserved. */
  readonly quantityAvailable: number;
}

/** Raised when an item's available quantity drops from at or above the threshold to below it. */
export interface LowStockAlert extends StockLevel {
  readonly threshold: number;
}

/** The `projection` of the DocumentChange that carries a LowStockAlert (its id is the item id). */
export const LOW_STOCK_ALERT = 'lowStockAlert';
export const lowStockAlertChanges = changeChannel<LowStockAlert>(LOW_STOCK_ALERT);

export const DEFAULT_LOW_STOCK_THRESHOLD = 5;

export function isLowStock(available: number, threshold: number): boolean {
  return available < threshold;
}

/** Only the crossing counts: further drops below the threshold raise nothing. */
export function crossedIntoLowStock(availableBefore: number, availableAfter: number, threshold: number): boolean {
  return !isLowStock(availableBefore, threshold) && isLowStock(availableAfter, threshold);
}

/** Fewest available first; ties keep the order given (catalog order). */
export function lowStockItemsOf(levels: Iterable<StockLevel>, threshold: number): StockLevel[] {
  const low: StockLevel[] = [];
  for (const level of levels) if (isLowStock(level.quantityAvailable, threshold)) low.push(level);
  return low.sort((a, b) => a.quantityAvailable - b.quantityAvailable);
}
