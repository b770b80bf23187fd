import type { InventoryItemEvent } from './events';
import { assertNever } from '../decider';
import { onHandChange } from './stockMovement';

export const NAME_MAX_LENGTH = 200;
export const SKU_MAX_LENGTH = 64;
export const COUNT_MAX = 1_000_000;
export const UNIT_PRICE_MAX_CENTS = 100_000_000;

interface ExistingItem {
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number | null;
  readonly quantityOnHand: number;
  /** Quantity reserved per order id. */
  readonly reservations: Readonly<Record<string, number>>;
}

export type InventoryItem =
  { readonly status: 'notCreated' } | ({ readonly status: 'active' } & ExistingItem) | ({ readonly status: 'deactivated' } & ExistingItem);

export const initialInventoryItem = (): InventoryItem => ({ status: 'notCreated' });

export function reservedQuantity(item: ExistingItem): number {
  let total = 0;
  for (const quantity of Object.values(item.reservations)) total += quantity;
  return total;
}

export function availableQuantity(item: ExistingItem): number {
  return item.quantityOnHand - reservedQuantity(item);
}

function withoutReservation(reservations: Readonly<Record<string, number>>, orderId: string): Record<string, number> {
  const { [orderId]: _released, ...rest } = reservations;
  return rest;
}

export function evolveInventoryItem(state: InventoryItem, event: InventoryItemEvent): InventoryItem {
  if (event.type === 'InventoryItemCreated') {
    const { sku, name, unitPriceCents } = event.data;
    return { status: 'active', sku, name, unitPriceCents, quantityOnHand: 0, reservations: {} };
  }
  if (state.status === 'notCreated') return state;
  switch (event.type) {
    case 'InventoryItemRenamed':
      return { ...state, name: event.data.name };
    case 'ItemsCheckedIn':
    case 'ItemsRemovedFromInventory':
      return { ...state, quantityOnHand: state.quantityOnHand + onHandChange(event) };
    case 'InventoryItemDeactivated':
      return { ...state, status: 'deactivated' };
    case 'StockReserved':
      return {
        ...state,
        reservations: { ...state.reservations, [event.data.orderId]: event.data.quantity },
      };
    case 'StockReservationReleased':
      return { ...state, reservations: withoutReservation(state.reservations, event.data.orderId) };
    case 'ReservedStockShipped':
      return {
        ...state,
        quantityOnHand: state.quantityOnHand + onHandChange(event),
        reservations: withoutReservation(state.reservations, event.data.orderId),
      };
    default:
      return assertNever(event);
  }
}
