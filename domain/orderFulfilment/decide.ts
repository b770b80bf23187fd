import { assertNever } from '../decider';
import type { OrderLine } from '../orders';
import type { ChargeOutcome, PaymentRequested } from '../payments';
import type { Fulfilment, FulfilmentInProgress, RecordedFulfilmentEvent } from './fulfilment';
import { allStockReserved, evolveFulfilment, fulfilmentOrderId, initialFulfilment } from './fulfilment';
import type { AddressedCommand, FulfilmentCommand } from './fulfilmentCommand';
import { identify, toInventoryItem, toOrder, toPayment } from './fulfilmentCommand';

export const PAYMENT_DECLINED_REASON = 'payment declined';
export const ORDER_CANCELLED_REFUND_REASON = 'order cancelled';

/** Codes of the ReserveStock refusals that make an order unfulfillable; any other failure is retried, not compensated. */
export type ReservationFailureCode = 'INSUFFICIENT_STOCK' | 'ITEM_INACTIVE' | 'NOT_FOUND';

const reservationFailureCodes: ReadonlySet<string> = new Set<ReservationFailureCode>(['INSUFFICIENT_STOCK', 'ITEM_INACTIVE', 'NOT_FOUND']);

export const isReservationFailureCode = (code: string): code is ReservationFailureCode => reservationFailureCodes.has(code);

/** A ReserveStock command the process manager dispatched was refused. Not an event: the runner reports it. */
export interface StockReservationFailure {
  readonly failedCommandId: string;
  readonly orderId: string;
  readonly itemId: string;
  /** The code of the DomainError that refused it. */
  readonly code: ReservationFailureCode;
}

const reserve = (orderId: string) => (line: OrderLine) =>
  toInventoryItem({ type: 'ReserveStock', itemId: line.itemId, orderId, quantity: line.quantity });

const release = (orderId: string) => (itemId: string) => toInventoryItem({ type: 'ReleaseStockReservation', itemId, orderId });

const ship = (orderId: string) => (line: OrderLine) => toInventoryItem({ type: 'ShipReservedStock', itemId: line.itemId, orderId });

const releaseEveryLine = (fulfilment: FulfilmentInProgress): AddressedCommand[] =>
  fulfilment.lines.map((line) => line.itemId).map(release(fulfilment.orderId));

const releaseWhatIsReserved = (fulfilment: FulfilmentInProgress): AddressedCommand[] =>
  fulfilment.reservedItemIds.map(release(fulfilment.orderId));

const refund = (fulfilment: FulfilmentInProgress): AddressedCommand =>
  toPayment({ type: 'RefundPayment', paymentId: fulfilment.orderId, reason: ORDER_CANCELLED_REFUND_REASON });

function commandsFor(fulfilment: FulfilmentInProgress, event: RecordedFulfilmentEvent): AddressedCommand[] {
  const { orderId } = fulfilment;
  switch (event.type) {
    case 'OrderPlaced':
      return fulfilment.status === 'placed' ? fulfilment.lines.map(reserve(orderId)) : [];
    case 'StockReserved':
      if (fulfilment.status === 'placed' && allStockReserved(fulfilment)) {
        return [toOrder({ type: 'MarkOrderStockReserved', orderId })];
      }
      // A reservation that lands after the order ended would otherwise hold the stock forever.
      if (fulfilment.status === 'rejected' || fulfilment.status === 'cancelled') return [release(orderId)(event.data.itemId)];
      return [];
    case 'OrderStockReserved':
      // Payment is requested only once the order stream has recorded the reservation, so an order
      // cancelled while its stock was being reserved is never charged.
      if (fulfilment.status !== 'stockReserved' || fulfilment.paymentStatus !== 'notRequested') return [];
      return [
        toPayment({
          type: 'RequestPayment',
          paymentId: orderId,
          orderId,
          customerId: fulfilment.customerId,
          amountCents: fulfilment.totalCents,
          paymentMethodToken: fulfilment.paymentMethodToken,
        }),
      ];
    case 'PaymentCaptured':
      if (fulfilment.status === 'stockReserved') return [toOrder({ type: 'ConfirmOrder', orderId })];
      // The customer cancelled while the charge was under way.
      if (fulfilment.status === 'cancelled') return [refund(fulfilment)];
      return [];
    case 'PaymentDeclined':
      if (fulfilment.status !== 'stockReserved') return [];
      return [
        ...releaseEveryLine(fulfilment),
        toOrder({ type: 'CancelOrder', orderId, reason: PAYMENT_DECLINED_REASON, cancelledBy: 'system' }),
      ];
    case 'OrderRejected':
      return releaseWhatIsReserved(fulfilment);
    case 'OrderCancelled':
      return [...releaseWhatIsReserved(fulfilment), ...(fulfilment.paymentStatus === 'captured' ? [refund(fulfilment)] : [])];
    case 'OrderShipped':
      return fulfilment.lines.map(ship(orderId));
    case 'OrderConfirmed':
    case 'StockReservationReleased':
    case 'ReservedStockShipped':
    case 'PaymentRequested':
    case 'PaymentRefunded':
      return [];
    default:
      return assertNever(event);
  }
}

/**
 * The commands an event triggers. `state` must be the fold of this order's fulfilment events up to
 * and including `event` (see `reactToEvent`); the result depends on nothing else.
 */
export function decideFulfilment(state: Fulfilment, event: RecordedFulfilmentEvent): FulfilmentCommand[] {
  if (state.status === 'notStarted' || fulfilmentOrderId(event) !== state.orderId) return [];
  return identify(event.id, commandsFor(state, event));
}

export interface FulfilmentReaction {
  /** The state after the event: keep it for the next event of the same order. */
  readonly state: Fulfilment;
  readonly commands: readonly FulfilmentCommand[];
}

/** Folds the event into the order's fulfilment state and decides what to dispatch. */
export function reactToEvent(event: RecordedFulfilmentEvent, state: Fulfilment = initialFulfilment()): FulfilmentReaction {
  const next = evolveFulfilment(state, event);
  return { state: next, commands: decideFulfilment(next, event) };
}

/**
 * Stock for a line could not be reserved: release every line (reservations dispatched with the
 * failed one may have landed even though this state has not seen them yet) and reject the order.
 */
export function reactToReservationFailure(failure: StockReservationFailure, state: Fulfilment): FulfilmentCommand[] {
  if (state.status !== 'placed' || state.orderId !== failure.orderId) return [];
  const sku = state.lines.find((line) => line.itemId === failure.itemId)?.sku ?? failure.itemId;
  const reason = failure.code === 'INSUFFICIENT_STOCK' ? `${sku} is out of stock` : `${sku} is not available`;
  return identify(failure.failedCommandId, [...releaseEveryLine(state), toOrder({ type: 'RejectOrder', orderId: state.orderId, reason })]);
}

/** The payment provider answered the charge a PaymentRequested event asked for: record its outcome. */
export function reactToChargeOutcome(
  paymentRequested: PaymentRequested & { readonly id: string },
  outcome: ChargeOutcome,
): FulfilmentCommand[] {
  const { paymentId } = paymentRequested.data;
  const recorded =
    outcome.outcome === 'captured'
      ? toPayment({ type: 'RecordPaymentCaptured', paymentId, providerReference: outcome.providerReference })
      : toPayment({ type: 'RecordPaymentDeclined', paymentId, reason: outcome.reason });
  return identify(paymentRequested.id, [recorded]);
}
