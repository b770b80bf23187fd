import { checkEvent } from '../eventSchema';
import { orderEventVersioning } from './upcasters';
import type { Decider } from '../decider';
import { assertNever } from '../decider';
import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../errors';
import { NAME_MAX_LENGTH, SKU_MAX_LENGTH, UNIT_PRICE_MAX_CENTS } from '../inventory';
import { requireAmountInCents, requirePositiveCount, requireText } from '../validation';
import type {
  CancelOrder,
  ConfirmOrder,
  MarkOrderStockReserved,
  OrderCommand,
  OrderLineInput,
  PlaceOrder,
  RejectOrder,
  ShipOrder,
} from './commands';
import { OrderStateError } from './errors';
import type { DeliveryAddress, OrderEvent, OrderLine, OrderPlaced } from './events';
import { orderEventSchemas } from './events';
import type { Order } from './order';
import {
  ADDRESS_FIELD_MAX_LENGTH,
  ORDER_LINES_MAX,
  ORDER_LINE_QUANTITY_MAX,
  ORDER_REASON_MAX_LENGTH,
  ORDER_REFERENCE_MAX_LENGTH,
  evolveOrder,
  initialOrder,
  orderTotalCents,
} from './order';

type Placed = Exclude<Order, { status: 'notPlaced' }>;

function requirePlaced(state: Order, orderId: string): Placed {
  if (state.status === 'notPlaced') throw new NotFoundError(`Order ${orderId} not found`);
  return state;
}

function validLine(line: OrderLineInput, index: number): OrderLine {
  const field = (name: keyof OrderLineInput) => `lines[${index}].${name}`;
  return {
    itemId: requireText(line.itemId, field('itemId'), ORDER_REFERENCE_MAX_LENGTH),
    sku: requireText(line.sku, field('sku'), SKU_MAX_LENGTH),
    name: requireText(line.name, field('name'), NAME_MAX_LENGTH),
    quantity: requirePositiveCount(line.quantity, field('quantity'), ORDER_LINE_QUANTITY_MAX),
    unitPriceCents: requireAmountInCents(line.unitPriceCents, field('unitPriceCents'), UNIT_PRICE_MAX_CENTS),
  };
}

function validLines(input: readonly OrderLineInput[]): OrderLine[] {
  if (input.length < 1 || input.length > ORDER_LINES_MAX) {
    throw new InvalidInputError(`An order must have from 1 to ${ORDER_LINES_MAX} lines`, 'lines');
  }
  const lines = input.map(validLine);
  const itemIds = new Set<string>();
  for (const { itemId } of lines) {
    if (itemIds.has(itemId)) throw new InvalidInputError(`Item ${itemId} appears on more than one line`, 'lines');
    itemIds.add(itemId);
  }
  return lines;
}

const COUNTRY_CODE = /^[A-Z]{2}$/;

function validDeliveryAddress(input: DeliveryAddress | null): DeliveryAddress | null {
  if (input === null) return null;
  const field = (name: keyof DeliveryAddress) => requireText(input[name], `deliveryAddress.${name}`, ADDRESS_FIELD_MAX_LENGTH);
  const countryCode = field('countryCode').toUpperCase();
  if (!COUNTRY_CODE.test(countryCode)) {
    throw new InvalidInputError('deliveryAddress.countryCode must be a two-letter ISO 3166-1 code, e.g. DE', 'deliveryAddress.countryCode');
  }
  return { recipient: field('recipient'), street: field('street'), postalCode: field('postalCode'), city: field('city'), countryCode };
}

function sameAddress(a: DeliveryAddress | null, b: DeliveryAddress | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.recipient === b.recipient &&
    a.street === b.street &&
    a.postalCode === b.postalCode &&
    a.city === b.city &&
    a.countryCode === b.countryCode
  );
}

function sameLines(a: readonly OrderLine[], b: readonly OrderLine[]): boolean {
  return (
    a.length === b.length &&
    a.every((line, index) => {
      const other = b[index];
      return (
        other !== undefined &&
        line.itemId === other.itemId &&
        line.sku === other.sku &&
        line.name === other.name &&
        line.quantity === other.quantity &&
        line.unitPriceCents === other.unitPriceCents
      );
    })
  );
}

export function placeOrder(command: PlaceOrder, state: Order): OrderEvent[] {
  const customerId = requireText(command.customerId, 'customerId', ORDER_REFERENCE_MAX_LENGTH);
  const paymentMethodToken = requireText(command.paymentMethodToken, 'paymentMethodToken', ORDER_REFERENCE_MAX_LENGTH);
  const lines = validLines(command.lines);
  const deliveryAddress = validDeliveryAddress(command.deliveryAddress);
  if (state.status !== 'notPlaced') {
    // A retried placement is done already; different content under the same id is a clash.
    const repeated =
      state.customerId === customerId &&
      state.paymentMethodToken === paymentMethodToken &&
      sameLines(state.lines, lines) &&
      sameAddress(state.deliveryAddress, deliveryAddress);
    if (repeated) return [];
    throw new AlreadyExistsError(`Order ${command.orderId} already exists`);
  }
  const placed: OrderPlaced = {
    type: 'OrderPlaced',
    data: { orderId: command.orderId, customerId, paymentMethodToken, lines, totalCents: orderTotalCents(lines), deliveryAddress },
  };
  return [placed];
}

export function markOrderStockReserved(command: MarkOrderStockReserved, state: Order): OrderEvent[] {
  const order = requirePlaced(state, command.orderId);
  switch (order.status) {
    case 'placed':
      return [{ type: 'OrderStockReserved', data: { orderId: command.orderId } }];
    case 'stockReserved':
    case 'confirmed':
    case 'shipped':
      return [];
    case 'rejected':
    case 'cancelled':
      throw new OrderStateError(command.orderId, order.status, `cannot reserve stock for a ${order.status} order`);
    default:
      return assertNever(order);
  }
}

export function rejectOrder(command: RejectOrder, state: Order): OrderEvent[] {
  const reason = requireText(command.reason, 'reason', ORDER_REASON_MAX_LENGTH);
  const order = requirePlaced(state, command.orderId);
  if (order.status === 'rejected') return [];
  if (order.status !== 'placed') {
    throw new OrderStateError(command.orderId, order.status, 'only an order still waiting for stock can be rejected');
  }
  return [{ type: 'OrderRejected', data: { orderId: command.orderId, reason } }];
}

export function confirmOrder(command: ConfirmOrder, state: Order): OrderEvent[] {
  const order = requirePlaced(state, command.orderId);
  switch (order.status) {
    case 'stockReserved':
      return [{ type: 'OrderConfirmed', data: { orderId: command.orderId } }];
    case 'confirmed':
    case 'shipped':
      return [];
    case 'placed':
      throw new OrderStateError(command.orderId, order.status, 'cannot confirm an order whose stock is not reserved');
    case 'rejected':
    case 'cancelled':
      throw new OrderStateError(command.orderId, order.status, `cannot confirm a ${order.status} order`);
    default:
      return assertNever(order);
  }
}

/** The fulfilment process compensates: reserved stock is released, a captured payment refunded. */
export function cancelOrder(command: CancelOrder, state: Order): OrderEvent[] {
  const reason = requireText(command.reason, 'reason', ORDER_REASON_MAX_LENGTH);
  const order = requirePlaced(state, command.orderId);
  switch (order.status) {
    case 'placed':
    case 'stockReserved':
    case 'confirmed':
      return [{ type: 'OrderCancelled', data: { orderId: command.orderId, reason, cancelledBy: command.cancelledBy } }];
    case 'cancelled':
      return [];
    case 'shipped':
    case 'rejected':
      throw new OrderStateError(command.orderId, order.status, `cannot cancel a ${order.status} order`);
    default:
      return assertNever(order);
  }
}

export function shipOrder(command: ShipOrder, state: Order): OrderEvent[] {
  const order = requirePlaced(state, command.orderId);
  if (order.status === 'shipped') return [];
  if (order.status !== 'confirmed') {
    throw new OrderStateError(command.orderId, order.status, 'cannot ship an order that is not confirmed');
  }
  return [{ type: 'OrderShipped', data: { orderId: command.orderId } }];
}

export function decideOrder(command: OrderCommand, state: Order): OrderEvent[] {
  switch (command.type) {
    case 'PlaceOrder':
      return placeOrder(command, state);
    case 'MarkOrderStockReserved':
      return markOrderStockReserved(command, state);
    case 'RejectOrder':
      return rejectOrder(command, state);
    case 'ConfirmOrder':
      return confirmOrder(command, state);
    case 'CancelOrder':
      return cancelOrder(command, state);
    case 'ShipOrder':
      return shipOrder(command, state);
    default:
      return assertNever(command);
  }
}

export const orderDecider: Decider<Order, OrderCommand, OrderEvent> = {
  initialState: initialOrder,
  evolve: evolveOrder,
  decide: decideOrder,
  checkEvent: (stored) => checkEvent(orderEventSchemas, stored, orderEventVersioning.currentVersions),
};
