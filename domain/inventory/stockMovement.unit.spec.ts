import type { InventoryItemEvent } from './events';
import { availableChange, onHandChange, reservedChange } from './stockMovement';

const itemId = 'item-1';
const orderId = 'order-1';

describe('stock movement per inventory event', () => {
  it.each<[InventoryItemEvent, number, number, number]>([
    [{ type: 'ItemsCheckedIn', data: { itemId, count: 7 } }, 7, 0, 7],
    [{ type: 'ItemsRemovedFromInventory', data: { itemId, count: 3 } }, -3, 0, -3],
    [{ type: 'StockReserved', data: { itemId, orderId, quantity: 4 } }, 0, 4, -4],
    [{ type: 'StockReservationReleased', data: { itemId, orderId, quantity: 4 } }, 0, -4, 4],
    [{ type: 'ReservedStockShipped', data: { itemId, orderId, quantity: 2 } }, -2, -2, 0],
  ])('%j moves on hand by %i, reserved by %i, available by %i', (event, onHand, reserved, available) => {
    expect(onHandChange(event)).toBe(onHand);
    expect(reservedChange(event)).toBe(reserved);
    expect(availableChange(event)).toBe(available);
  });

  it.each<InventoryItemEvent>([
    { type: 'InventoryItemCreated', data: { itemId, sku: 'MUG-01', name: 'Mug', unitPriceCents: 1200 } },
    { type: 'InventoryItemRenamed', data: { itemId, name: 'Cup' } },
    { type: 'InventoryItemDeactivated', data: { itemId, reason: null } },
  ])('%j moves no stock', (event) => {
    expect(onHandChange(event)).toBe(0);
    expect(reservedChange(event)).toBe(0);
    expect(availableChange(event)).toBe(0);
  });
});
