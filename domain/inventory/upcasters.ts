import { eventVersioning } from '../eventVersioning';
import type { InventoryItemEvent } from './events';

/** Current version of each inventory item event type, and how older stored shapes become current. */
export const inventoryItemEventVersioning = eventVersioning(
  {
    InventoryItemCreated: 1,
    InventoryItemRenamed: 1,
    ItemsCheckedIn: 1,
    ItemsRemovedFromInventory: 1,
    InventoryItemDeactivated: 1,
    StockReserved: 1,
    StockReservationReleased: 1,
    ReservedStockShipped: 1,
  } satisfies Record<InventoryItemEvent['type'], number>,
  [
    // Renamed to the shop's vocabulary (ItemsCheckedIn pairs with checkInItems); the data is unchanged.
    { type: 'ItemsCheckedIntoInventory', fromVersion: 1, upcast: (data) => ({ type: 'ItemsCheckedIn', version: 1, data }) },
  ],
);
