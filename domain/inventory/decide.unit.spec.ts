import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../errors';
import { deciderSpecification } from '../testing/deciderSpecification';
import { itRejectsInvalidInput } from '../testing/invalidInputCases';
import type { CreateInventoryItem } from './commands';
import { inventoryItemDecider } from './decide';
import { InsufficientStockError, ItemInactiveError } from './errors';
import type { InventoryItemEvent } from './events';
import { availableQuantity, evolveInventoryItem, initialInventoryItem } from './inventoryItem';

const given = deciderSpecification(inventoryItemDecider);
const itemId = 'item-1';
const orderId = 'order-1';
const created: InventoryItemEvent = {
  type: 'InventoryItemCreated',
  data: { itemId, sku: 'MUG-01', name: 'Mug', unitPriceCents: 1200 },
};
const checkedIn = (count: number): InventoryItemEvent => ({ type: 'ItemsCheckedIn', data: { itemId, count } });
const deactivated: InventoryItemEvent = { type: 'InventoryItemDeactivated', data: { itemId, reason: null } };
const reserved = (quantity: number, forOrder = orderId): InventoryItemEvent => ({
  type: 'StockReserved',
  data: { itemId, orderId: forOrder, quantity },
});

describe('inventory item', () => {
  describe('create', () => {
    const create: CreateInventoryItem = { type: 'CreateInventoryItem', itemId, sku: ' MUG-01 ', name: ' Mug ', unitPriceCents: 1200 };

    it('creates an item with a trimmed sku and name', () => {
      given([]).when(create).then([created]);
    });

    it('accepts an item without a price', () => {
      given([])
        .when({ ...create, unitPriceCents: null })
        .then([{ type: 'InventoryItemCreated', data: { itemId, sku: 'MUG-01', name: 'Mug', unitPriceCents: null } }]);
    });

    it('rejects a second creation of the same item', () => {
      given([created]).when(create).thenThrows(AlreadyExistsError, { code: 'ALREADY_EXISTS' });
    });

    itRejectsInvalidInput(given([]), create, [
      ['a blank name', { name: '   ' }, 'name'],
      ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
      ['a blank sku', { sku: '' }, 'sku'],
      ['a sku with spaces', { sku: 'MUG 01' }, 'sku'],
      ['a sku over 64 characters', { sku: 'A'.repeat(65) }, 'sku'],
      ['a negative price', { unitPriceCents: -1 }, 'unitPriceCents'],
      ['a fractional price', { unitPriceCents: 1.5 }, 'unitPriceCents'],
    ]);

    it('accepts a name of exactly 200 characters', () => {
      const name = 'n'.repeat(200);
      given([])
        .when({ ...create, name })
        .then([{ type: 'InventoryItemCreated', data: { itemId, sku: 'MUG-01', name, unitPriceCents: 1200 } }]);
    });
  });

  describe('rename', () => {
    it('renames an active item', () => {
      given([created])
        .when({ type: 'RenameInventoryItem', itemId, name: 'Big mug' })
        .then([{ type: 'InventoryItemRenamed', data: { itemId, name: 'Big mug' } }]);
    });

    it('records nothing when the name is unchanged', () => {
      given([created]).when({ type: 'RenameInventoryItem', itemId, name: ' Mug' }).then([]);
    });

    it('rejects a blank name', () => {
      given([created]).when({ type: 'RenameInventoryItem', itemId, name: '' }).thenThrows(InvalidInputError);
    });

    it('rejects an unknown item', () => {
      given([]).when({ type: 'RenameInventoryItem', itemId, name: 'x' }).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it('rejects a deactivated item', () => {
      given([created, deactivated])
        .when({ type: 'RenameInventoryItem', itemId, name: 'x' })
        .thenThrows(ItemInactiveError, { code: 'ITEM_INACTIVE' });
    });
  });

  describe('check in', () => {
    it('checks items in', () => {
      given([created])
        .when({ type: 'CheckInItemsToInventory', itemId, count: 5 })
        .then([checkedIn(5)]);
    });

    it.each([0, -3, 2.5, 1_000_001])('rejects a count of %p', (count) => {
      given([created]).when({ type: 'CheckInItemsToInventory', itemId, count }).thenThrows(InvalidInputError, { field: 'count' });
    });

    it('rejects an unknown item', () => {
      given([]).when({ type: 'CheckInItemsToInventory', itemId, count: 1 }).thenThrows(NotFoundError);
    });

    it('rejects a deactivated item', () => {
      given([created, checkedIn(1), deactivated])
        .when({ type: 'CheckInItemsToInventory', itemId, count: 1 })
        .thenThrows(ItemInactiveError);
    });
  });

  describe('remove', () => {
    it('removes items that are in stock', () => {
      given([created, checkedIn(5)])
        .when({ type: 'RemoveItemsFromInventory', itemId, count: 5 })
        .then([{ type: 'ItemsRemovedFromInventory', data: { itemId, count: 5 } }]);
    });

    it('never lets stock go negative', () => {
      given([created, checkedIn(5)])
        .when({ type: 'RemoveItemsFromInventory', itemId, count: 6 })
        .thenThrows(InsufficientStockError, { code: 'INSUFFICIENT_STOCK', requested: 6, available: 5 });
    });

    it('cannot remove stock reserved for orders', () => {
      given([created, checkedIn(5), reserved(3)])
        .when({ type: 'RemoveItemsFromInventory', itemId, count: 3 })
        .thenThrows(InsufficientStockError, { available: 2 });
    });

    it('rejects a non-positive count', () => {
      given([created, checkedIn(5)])
        .when({ type: 'RemoveItemsFromInventory', itemId, count: 0 })
        .thenThrows(InvalidInputError);
    });

    it('rejects a deactivated item', () => {
      given([created, checkedIn(5), deactivated])
        .when({ type: 'RemoveItemsFromInventory', itemId, count: 1 })
        .thenThrows(ItemInactiveError);
    });
  });

  describe('deactivate', () => {
    it('deactivates an active item with an optional reason', () => {
      given([created])
        .when({ type: 'DeactivateInventoryItem', itemId, reason: ' discontinued ' })
        .then([{ type: 'InventoryItemDeactivated', data: { itemId, reason: 'discontinued' } }]);
    });

    it('rejects deactivating twice', () => {
      given([created, deactivated]).when({ type: 'DeactivateInventoryItem', itemId, reason: null }).thenThrows(ItemInactiveError);
    });

    it('rejects an unknown item', () => {
      given([]).when({ type: 'DeactivateInventoryItem', itemId, reason: null }).thenThrows(NotFoundError);
    });
  });

  describe('stock reservations', () => {
    it('reserves available stock for an order', () => {
      given([created, checkedIn(5)])
        .when({ type: 'ReserveStock', itemId, orderId, quantity: 5 })
        .then([reserved(5)]);
    });

    it('never reserves more than is available', () => {
      given([created, checkedIn(5), reserved(3, 'order-0')])
        .when({ type: 'ReserveStock', itemId, orderId, quantity: 3 })
        .thenThrows(InsufficientStockError, { requested: 3, available: 2 });
    });

    it('treats a repeated reservation for the same order as done', () => {
      given([created, checkedIn(5), reserved(2)])
        .when({ type: 'ReserveStock', itemId, orderId, quantity: 2 })
        .then([]);
    });

    it('rejects a different quantity for an order that already holds a reservation', () => {
      given([created, checkedIn(5), reserved(2)])
        .when({ type: 'ReserveStock', itemId, orderId, quantity: 3 })
        .thenThrows(InvalidInputError);
    });

    it('rejects reservations on a deactivated item', () => {
      given([created, checkedIn(5), deactivated])
        .when({ type: 'ReserveStock', itemId, orderId, quantity: 1 })
        .thenThrows(ItemInactiveError);
    });

    it('releases a reservation, also on a deactivated item', () => {
      given([created, checkedIn(5), reserved(2), deactivated])
        .when({ type: 'ReleaseStockReservation', itemId, orderId })
        .then([{ type: 'StockReservationReleased', data: { itemId, orderId, quantity: 2 } }]);
    });

    it('releases nothing when nothing is reserved', () => {
      given([created, checkedIn(5)])
        .when({ type: 'ReleaseStockReservation', itemId, orderId })
        .then([]);
    });

    it('ships reserved stock', () => {
      given([created, checkedIn(5), reserved(2)])
        .when({ type: 'ShipReservedStock', itemId, orderId })
        .then([{ type: 'ReservedStockShipped', data: { itemId, orderId, quantity: 2 } }]);
    });

    it('cannot ship what was not reserved', () => {
      given([created, checkedIn(5)])
        .when({ type: 'ShipReservedStock', itemId, orderId })
        .thenThrows(NotFoundError);
    });

    it('evolves on-hand and available quantities through reserve, release and ship', () => {
      const state = [
        created,
        checkedIn(10),
        reserved(3),
        reserved(2, 'order-2'),
        {
          type: 'StockReservationReleased',
          data: { itemId, orderId: 'order-2', quantity: 2 },
        } as InventoryItemEvent,
        { type: 'ReservedStockShipped', data: { itemId, orderId, quantity: 3 } } as InventoryItemEvent,
      ].reduce(evolveInventoryItem, initialInventoryItem());
      expect(state.status).toBe('active');
      if (state.status !== 'active') return;
      expect(state.quantityOnHand).toBe(7);
      expect(availableQuantity(state)).toBe(7);
    });
  });
});
