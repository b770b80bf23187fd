import { assertNever } from '../decider';
import type { ReservedStockShipped, StockReservationReleased, StockReserved } from '../inventory';
import type { OrderEvent, OrderLine, OrderStatus } from '../orders';
import { isOrderEvent } from '../orders';
import type { PaymentEvent, PaymentStatus } from '../payments';
import { isPaymentEvent } from '../payments';

/** The events, from the order, inventory item and payment streams, that move one order's fulfilment on. */
export type FulfilmentEvent = OrderEvent | StockReserved | StockReservationReleased | ReservedStockShipped | PaymentEvent;

/** A fulfilment event as recorded: `id` is the stored event's id, the root of the ids of the commands it triggers. */
export type RecordedFulfilmentEvent = FulfilmentEvent & { readonly id: string };

const inventoryEventTypes: ReadonlySet<string> = new Set<FulfilmentEvent['type']>([
  'StockReserved',
  'StockReservationReleased',
  'ReservedStockShipped',
]);

export function isFulfilmentEvent(event: { readonly type: string }): event is FulfilmentEvent {
  return isOrderEvent(event) || isPaymentEvent(event) || inventoryEventTypes.has(event.type);
}

/** The order a fulfilment event belongs to: the key of the process manager's state. */
export const fulfilmentOrderId = (event: FulfilmentEvent): string => event.data.orderId;

export interface FulfilmentInProgress {
  /** The order's status as the process manager last saw it. */
  readonly status: Exclude<OrderStatus, 'notPlaced'>;
  readonly orderId: string;
  readonly customerId: string;
  readonly paymentMethodToken: string;
  readonly totalCents: number;
  readonly lines: readonly OrderLine[];
  /** Items whose stock is currently reserved for the order (reserved, not yet released or shipped). */
  readonly reservedItemIds: readonly string[];
  readonly paymentStatus: PaymentStatus;
}

/** The process manager's state for one order, folded from that order's fulfilment events in `$all` order. */
export type Fulfilment = { readonly status: 'notStarted' } | FulfilmentInProgress;

export const initialFulfilment = (): Fulfilment => ({ status: 'notStarted' });

export function allStockReserved(fulfilment: FulfilmentInProgress): boolean {
  return fulfilment.lines.every((line) => fulfilment.reservedItemIds.includes(line.itemId));
}

const withItem = (itemIds: readonly string[], itemId: string): readonly string[] =>
  itemIds.includes(itemId) ? itemIds : [...itemIds, itemId];

const withoutItem = (itemIds: readonly string[], itemId: string): readonly string[] => itemIds.filter((id) => id !== itemId);

export function evolveFulfilment(state: Fulfilment, event: FulfilmentEvent): Fulfilment {
  if (state.status === 'notStarted') {
    if (event.type !== 'OrderPlaced') return state;
    const { orderId, customerId, paymentMethodToken, totalCents, lines } = event.data;
    return {
      status: 'placed',
      orderId,
      customerId,
      paymentMethodToken,
      totalCents,
      lines,
      reservedItemIds: [],
      paymentStatus: 'notRequested',
    };
  }
  if (fulfilmentOrderId(event) !== state.orderId) return state;
  switch (event.type) {
    case 'OrderPlaced':
      return state;
    case 'OrderStockReserved':
      return { ...state, status: 'stockReserved' };
    case 'OrderRejected':
      return { ...state, status: 'rejected' };
    case 'OrderConfirmed':
      return { ...state, status: 'confirmed' };
    case 'OrderCancelled':
      return { ...state, status: 'cancelled' };
    case 'OrderShipped':
      return { ...state, status: 'shipped' };
    case 'StockReserved':
      return { ...state, reservedItemIds: withItem(state.reservedItemIds, event.data.itemId) };
    case 'StockReservationReleased':
    case 'ReservedStockShipped':
      return { ...state, reservedItemIds: withoutItem(state.reservedItemIds, event.data.itemId) };
    case 'PaymentRequested':
      return { ...state, paymentStatus: 'requested' };
    case 'PaymentCaptured':
      return { ...state, paymentStatus: 'captured' };
    case 'PaymentDeclined':
      return { ...state, paymentStatus: 'declined' };
    case 'PaymentRefunded':
      return { ...state, paymentStatus: 'refunded' };
    default:
      return assertNever(event);
  }
}
