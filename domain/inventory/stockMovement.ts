import type { InventoryItemEvent } from './events';

// How each inventory event moves an item's stock, stated once: the aggregate, the item view and
// the dashboard all fold stock from these. Plain numbers, no object: a replay calls them per event.

/** The change the event makes to the quantity on hand (0 for an event that moves no stock). */
export function onHandChange(event: InventoryItemEvent): number {
  switch (event.type) {
    case 'ItemsCheckedIn':
      return event.data.count;
    case 'ItemsRemovedFromInventory':
      return -event.data.count;
    case 'ReservedStockShipped':
      return -event.data.quantity;
    default:
      return 0;
  }
}

/** The change the event makes to the quantity reserved for orders (0 for an event that moves no stock). */
export function reservedChange(event: InventoryItemEvent): number {
  switch (event.type) {
    case 'StockReserved':
      return event.data.quantity;
    case 'StockReservationReleased':
    case 'ReservedStockShipped':
      return -event.data.quantity;
    default:
      return 0;
  }
}

/** The change to on hand minus reserved: shipping reserved stock takes the same off both, so it leaves this alone. */
export function availableChange(event: InventoryItemEvent): number {
  return onHandChange(event) - reservedChange(event);
}
