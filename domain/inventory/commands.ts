export interface CreateInventoryItem {
  readonly type: 'CreateInventoryItem';
  readonly itemId: string;
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number | null;
}
export interface RenameInventoryItem {
  readonly type: 'RenameInventoryItem';
  readonly itemId: string;
  readonly name: string;
}
export interface CheckInItemsToInventory {
  readonly type: 'CheckInItemsToInventory';
  readonly itemId: string;
  readonly count: number;
}
export interface RemoveItemsFromInventory {
  readonly type: 'RemoveItemsFromInventory';
  readonly itemId: string;
  readonly count: number;
}
export interface DeactivateInventoryItem {
  readonly type: 'DeactivateInventoryItem';
  readonly itemId: string;
  readonly reason: string | null;
}
export interface ReserveStock {
  readonly type: 'ReserveStock';
  readonly itemId: string;
  readonly orderId: string;
  readonly quantity: number;
}
export interface ReleaseStockReservation {
  readonly type: 'ReleaseStockReservation';
  readonly itemId: string;
  readonly orderId: string;
}
export interface ShipReservedStock {
  readonly type: 'ShipReservedStock';
  readonly itemId: string;
  readonly orderId: string;
}

export type InventoryItemCommand =
  | CreateInventoryItem
  | RenameInventoryItem
  | CheckInItemsToInventory
  | RemoveItemsFromInventory
  | DeactivateInventoryItem
  | ReserveStock
  | ReleaseStockReservation
  | ShipReservedStock;
