import { assertNever } from '../../domain/decider';
import type { DeliveryAddress, OrderCanceller, OrderEvent } from '../../domain/orders';
import type { PlacedOrderStatus } from '../../domain/orders';
import { ORDER_CATEGORY, ORDER_STATUS_AFTER, TERMINAL_ORDER_STATUSES, isOrderEvent, orderEventTypes } from '../../domain/orders';
import type { PaymentEvent } from '../../domain/payments';
import { PAYMENT_CATEGORY, isPaymentEvent, paymentEventTypes } from '../../domain/payments';
import type { RecordedEvent } from '../../eventStore/port';
import { streamCategory } from '../../eventStore/port';
import { checkShopEvent } from '../eventChecks';
import type { DocumentProjectionDefinition } from '../projection';
import { occurredAt } from '../projection';
import { changeChannel } from '../changeChannel';
import type { DocumentPositions } from '../documentPositions';

/** The order lifecycle, spelled as the GraphQL enum values. */
export type OrderViewStatus = 'PLACED' | 'STOCK_RESERVED' | 'CONFIRMED' | 'SHIPPED' | 'REJECTED' | 'CANCELLED';

export const ORDER_VIEW_STATUSES: readonly OrderViewStatus[] = [
  'PLACED',
  'STOCK_RESERVED',
  'CONFIRMED',
  'SHIPPED',
  'REJECTED',
  'CANCELLED',
];

/** The order's status as GraphQL spells it. */
const VIEW_STATUS_OF: Readonly<Record<PlacedOrderStatus, OrderViewStatus>> = {
  placed: 'PLACED',
  stockReserved: 'STOCK_RESERVED',
  confirmed: 'CONFIRMED',
  shipped: 'SHIPPED',
  rejected: 'REJECTED',
  cancelled: 'CANCELLED',
};

/** No event moves an order out of these (the domain's terminal statuses, spelled for GraphQL). */
export const TERMINAL_ORDER_VIEW_STATUSES: ReadonlySet<OrderViewStatus> = new Set(
  [...TERMINAL_ORDER_STATUSES].map((status) => VIEW_STATUS_OF[status]),
);

/** The order's payment as the order sees it: NONE until a payment is requested. */
export type OrderPaymentStatus = 'NONE' | 'REQUESTED' | 'CAPTURED' | 'DECLINED' | 'REFUNDED';

export type OrderPaymentStep = 'PAYMENT_REQUESTED' | 'PAYMENT_CAPTURED' | 'PAYMENT_DECLINED' | 'PAYMENT_REFUNDED';

/** A step in an order's history: an order status or a payment step. */
export type OrderHistoryStatus = OrderViewStatus | OrderPaymentStep;

export type OrderViewEventType = OrderEvent['type'] | PaymentEvent['type'];

/** The order's status after an order event, as GraphQL spells it (the lifecycle itself is the domain's). */
export function orderViewStatusAfter(eventType: OrderEvent['type']): OrderViewStatus {
  return VIEW_STATUS_OF[ORDER_STATUS_AFTER[eventType]];
}

const PAYMENT_STATUS_AFTER: Readonly<Record<PaymentEvent['type'], Exclude<OrderPaymentStatus, 'NONE'>>> = {
  PaymentRequested: 'REQUESTED',
  PaymentCaptured: 'CAPTURED',
  PaymentDeclined: 'DECLINED',
  PaymentRefunded: 'REFUNDED',
};

export interface OrderViewLine {
  readonly itemId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
  /** quantity × unitPriceCents. */
  readonly lineTotalCents: number;
}

export interface OrderStatusChange {
  readonly status: OrderHistoryStatus;
  /** metadata.occurredAt, else when the store recorded the event. */
  readonly at: string;
  readonly eventType: OrderViewEventType;
  readonly position: bigint;
}

/**
 * One order, folded from its order stream and its payment stream (its positions are of events
 * from either). Never holds the payment-method token.
 */
export interface OrderView extends DocumentPositions {
  readonly id: string;
  readonly customerId: string;
  readonly status: OrderViewStatus;
  readonly lines: readonly OrderViewLine[];
  readonly totalCents: number;
  /** null: to be collected, or not given. */
  readonly deliveryAddress: DeliveryAddress | null;
  readonly paymentStatus: OrderPaymentStatus;
  /** The provider's reference for a captured (later perhaps refunded) payment. */
  readonly providerReference: string | null;
  readonly declineReason: string | null;
  readonly refundReason: string | null;
  readonly rejectionReason: string | null;
  readonly cancellationReason: string | null;
  readonly cancelledBy: OrderCanceller | null;
  /** Every step in `$all` order, payment steps included. */
  readonly statusHistory: readonly OrderStatusChange[];
  /** Revision of the last order-stream event applied: the version a client passes as expectedVersion. */
  readonly version: number;
  /** Last revision applied per folded stream (-1: none yet); an event at or below it is skipped. */
  readonly revisions: { readonly order: number; readonly payment: number };
  readonly placedAt: string;
  readonly updatedAt: string;
}

export const ORDER_VIEW = 'orderView';
export const orderChanges = changeChannel<OrderView>(ORDER_VIEW);

const historyEntry = (status: OrderHistoryStatus, recorded: RecordedEvent, eventType: OrderViewEventType): OrderStatusChange => ({
  status,
  at: occurredAt(recorded),
  eventType,
  position: recorded.position,
});

export function evolveOrderView(view: OrderView | null, recorded: RecordedEvent): OrderView | null {
  const category = streamCategory(recorded.streamName);
  if (category === ORDER_CATEGORY && isOrderEvent(recorded)) return applyOrderEvent(view, recorded);
  if (category === PAYMENT_CATEGORY && isPaymentEvent(recorded)) return applyPaymentEvent(view, recorded);
  return view;
}

function applyOrderEvent(view: OrderView | null, recorded: RecordedEvent): OrderView | null {
  // Idempotent: an event at or below the revision already applied for its stream changes nothing.
  if (view !== null && recorded.revision <= view.revisions.order) return view;
  const event = recorded as unknown as OrderEvent;
  const status = orderViewStatusAfter(event.type);
  const entry = historyEntry(status, recorded, event.type);
  if (event.type === 'OrderPlaced') {
    const { orderId, customerId, lines, totalCents, deliveryAddress } = event.data;
    return {
      id: orderId,
      customerId,
      status,
      // Copied field by field so that nothing else on the event (e.g. the payment-method token) leaks in.
      lines: lines.map(({ itemId, sku, name, quantity, unitPriceCents }) => ({
        itemId,
        sku,
        name,
        quantity,
        unitPriceCents,
        lineTotalCents: quantity * unitPriceCents,
      })),
      totalCents,
      deliveryAddress: deliveryAddress === null ? null : { ...deliveryAddress },
      paymentStatus: 'NONE',
      providerReference: null,
      declineReason: null,
      refundReason: null,
      rejectionReason: null,
      cancellationReason: null,
      cancelledBy: null,
      statusHistory: [entry],
      version: recorded.revision,
      revisions: { order: recorded.revision, payment: -1 },
      createdPosition: recorded.position,
      position: recorded.position,
      placedAt: entry.at,
      updatedAt: entry.at,
    };
  }
  if (view === null) return null;
  const touched: OrderView = {
    ...view,
    status,
    statusHistory: [...view.statusHistory, entry],
    version: recorded.revision,
    revisions: { ...view.revisions, order: recorded.revision },
    position: recorded.position,
    updatedAt: entry.at,
  };
  switch (event.type) {
    case 'OrderStockReserved':
    case 'OrderConfirmed':
    case 'OrderShipped':
      return touched;
    case 'OrderRejected':
      return { ...touched, rejectionReason: event.data.reason };
    case 'OrderCancelled':
      return { ...touched, cancellationReason: event.data.reason, cancelledBy: event.data.cancelledBy };
    default:
      return assertNever(event);
  }
}

function applyPaymentEvent(view: OrderView | null, recorded: RecordedEvent): OrderView | null {
  // A payment is only ever requested for a placed order, so its OrderPlaced comes first in `$all`.
  if (view === null) return null;
  if (recorded.revision <= view.revisions.payment) return view;
  const event = recorded as unknown as PaymentEvent;
  const paymentStatus = PAYMENT_STATUS_AFTER[event.type];
  const touched: OrderView = {
    ...view,
    paymentStatus,
    statusHistory: [...view.statusHistory, historyEntry(`PAYMENT_${paymentStatus}`, recorded, event.type)],
    revisions: { ...view.revisions, payment: recorded.revision },
    position: recorded.position,
    updatedAt: occurredAt(recorded),
  };
  switch (event.type) {
    case 'PaymentRequested':
      return touched;
    case 'PaymentCaptured':
      return { ...touched, providerReference: event.data.providerReference };
    case 'PaymentDeclined':
      return { ...touched, declineReason: event.data.reason };
    case 'PaymentRefunded':
      return { ...touched, refundReason: event.data.reason };
    default:
      return assertNever(event);
  }
}

/** The order an order or payment event belongs to (the payment id is the order id, too). */
export function orderIdOf(event: RecordedEvent): string {
  const { orderId } = event.data;
  return typeof orderId === 'string' ? orderId : event.streamName.slice(streamCategory(event.streamName).length + 1);
}

export const orderViewEventTypes: ReadonlySet<string> = new Set([...orderEventTypes, ...paymentEventTypes]);

/** An order's payment stream belongs to the order's sequence: a parked order holds back its payment steps too. */
export function orderSequenceOf(streamName: string): string {
  return streamCategory(streamName) === PAYMENT_CATEGORY
    ? `${ORDER_CATEGORY}-${streamName.slice(PAYMENT_CATEGORY.length + 1)}`
    : streamName;
}

export const orderViewDefinition: DocumentProjectionDefinition<OrderView> = {
  name: ORDER_VIEW,
  eventTypes: orderViewEventTypes,
  categories: new Set([ORDER_CATEGORY, PAYMENT_CATEGORY]),
  sequenceOf: orderSequenceOf,
  check: checkShopEvent,
  documentId: orderIdOf,
  evolve: evolveOrderView,
};
