import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../errors';
import { deciderSpecification } from '../testing/deciderSpecification';
import { itRejectsInvalidInput } from '../testing/invalidInputCases';
import type { PlaceOrder } from './commands';
import { orderDecider } from './decide';
import { OrderStateError } from './errors';
import type { OrderEvent, OrderLine } from './events';
import { isOrderEvent, orderEventTypes } from './events';
import { evolveOrder, initialOrder } from './order';

const given = deciderSpecification(orderDecider);
const orderId = 'order-1';
const mug: OrderLine = { itemId: 'item-mug', sku: 'MUG-01', name: 'Mug', quantity: 2, unitPriceCents: 1200 };
const tea: OrderLine = { itemId: 'item-tea', sku: 'TEA-01', name: 'Tea', quantity: 3, unitPriceCents: 450 };
const place: PlaceOrder = {
  type: 'PlaceOrder',
  orderId,
  customerId: 'customer-1',
  paymentMethodToken: 'tok_visa',
  lines: [mug, tea],
  deliveryAddress: null,
};
const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: { orderId, customerId: 'customer-1', paymentMethodToken: 'tok_visa', lines: [mug, tea], totalCents: 3750, deliveryAddress: null },
};
const address = { recipient: 'Ada Lovelace', street: '12 St James Square', postalCode: 'SW1Y 4JH', city: 'London', countryCode: 'GB' };
const stockReserved: OrderEvent = { type: 'OrderStockReserved', data: { orderId } };
const rejected: OrderEvent = { type: 'OrderRejected', data: { orderId, reason: 'MUG-01 is out of stock' } };
const confirmed: OrderEvent = { type: 'OrderConfirmed', data: { orderId } };
const shipped: OrderEvent = { type: 'OrderShipped', data: { orderId } };
const cancelled: OrderEvent = {
  type: 'OrderCancelled',
  data: { orderId, reason: 'changed my mind', cancelledBy: 'customer' },
};

const line = (n: number): OrderLine => ({ ...mug, itemId: `item-${n}` });

describe('order', () => {
  describe('place', () => {
    it('places an order with its total computed from the lines', () => {
      given([]).when(place).then([placed]);
    });

    it('trims ids, sku and name', () => {
      given([])
        .when({
          ...place,
          customerId: ' customer-1 ',
          paymentMethodToken: ' tok_visa ',
          lines: [{ ...mug, itemId: ' item-mug ', sku: ' MUG-01 ', name: ' Mug ' }, tea],
        })
        .then([placed]);
    });

    it('accepts free items', () => {
      given([])
        .when({ ...place, lines: [{ ...mug, unitPriceCents: 0 }] })
        .then([
          {
            type: 'OrderPlaced',
            data: { ...placed.data, lines: [{ ...mug, unitPriceCents: 0 }], totalCents: 0 },
          } as OrderEvent,
        ]);
    });

    it('accepts 100 lines of 1000 each', () => {
      const lines = Array.from({ length: 100 }, (_, n) => ({ ...line(n), quantity: 1000 }));
      expect(orderDecider.decide({ ...place, lines }, initialOrder())).toMatchObject([
        { type: 'OrderPlaced', data: { lines, totalCents: 100 * 1000 * 1200 } },
      ]);
    });

    it('records the delivery address, trimmed, the country code in upper case', () => {
      given([])
        .when({ ...place, deliveryAddress: { ...address, recipient: ' Ada Lovelace ', countryCode: 'gb' } })
        .then([{ type: 'OrderPlaced', data: { ...placed.data, deliveryAddress: address } } as OrderEvent]);
    });

    it.each([
      ['an empty street', { ...address, street: ' ' }, 'deliveryAddress.street'],
      ['a country that is not a two-letter code', { ...address, countryCode: 'GBR' }, 'deliveryAddress.countryCode'],
      ['a city of 201 characters', { ...address, city: 'x'.repeat(201) }, 'deliveryAddress.city'],
    ])('refuses a delivery address with %s', (_name, deliveryAddress, field) => {
      given([])
        .when({ ...place, deliveryAddress })
        .thenThrows(InvalidInputError, { field });
    });

    it('treats a repeated placement to another address as a clash', () => {
      given([placed])
        .when({ ...place, deliveryAddress: address })
        .thenThrows(AlreadyExistsError);
    });

    it('treats a repeated placement with the same content as done', () => {
      given([placed]).when(place).then([]);
    });

    it('rejects different content under an existing order id', () => {
      given([placed])
        .when({ ...place, lines: [mug] })
        .thenThrows(AlreadyExistsError, { code: 'ALREADY_EXISTS' });
    });

    itRejectsInvalidInput(given([]), place, [
      ['no lines', { lines: [] }, 'lines'],
      ['101 lines', { lines: Array.from({ length: 101 }, (_, n) => line(n)) }, 'lines'],
      ['the same item on two lines', { lines: [mug, { ...mug, quantity: 1 }] }, 'lines'],
      ['the same item on two lines once trimmed', { lines: [mug, { ...mug, itemId: ' item-mug' }] }, 'lines'],
      ['a blank customer id', { customerId: '  ' }, 'customerId'],
      ['a blank payment method token', { paymentMethodToken: '' }, 'paymentMethodToken'],
      ['a blank item id', { lines: [{ ...mug, itemId: ' ' }] }, 'lines[0].itemId'],
      ['a blank sku', { lines: [mug, { ...tea, sku: '' }] }, 'lines[1].sku'],
      ['a blank name', { lines: [{ ...mug, name: '' }] }, 'lines[0].name'],
      ['a quantity of 0', { lines: [{ ...mug, quantity: 0 }] }, 'lines[0].quantity'],
      ['a quantity of 1001', { lines: [{ ...mug, quantity: 1001 }] }, 'lines[0].quantity'],
      ['a fractional quantity', { lines: [{ ...mug, quantity: 1.5 }] }, 'lines[0].quantity'],
      ['a negative price', { lines: [{ ...mug, unitPriceCents: -1 }] }, 'lines[0].unitPriceCents'],
      ['a fractional price', { lines: [{ ...mug, unitPriceCents: 99.5 }] }, 'lines[0].unitPriceCents'],
    ]);
  });

  describe('mark stock reserved', () => {
    const markStockReserved = { type: 'MarkOrderStockReserved', orderId } as const;

    it('marks a placed order', () => {
      given([placed]).when(markStockReserved).then([stockReserved]);
    });

    it.each([
      ['stock reserved', [placed, stockReserved]],
      ['confirmed', [placed, stockReserved, confirmed]],
    ])('records nothing for an order already %s', (_case, history) => {
      given(history).when(markStockReserved).then([]);
    });

    it.each([
      ['rejected', [placed, rejected]],
      ['cancelled', [placed, cancelled]],
    ])('refuses a %s order', (_case, history) => {
      given(history).when(markStockReserved).thenThrows(OrderStateError, { code: 'INVALID_ORDER_STATE' });
    });

    it('rejects an unknown order', () => {
      given([]).when(markStockReserved).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });
  });

  describe('reject', () => {
    const reject = { type: 'RejectOrder', orderId, reason: ' MUG-01 is out of stock ' } as const;

    it('rejects an order still waiting for stock', () => {
      given([placed]).when(reject).then([rejected]);
    });

    it('records nothing for an order already rejected', () => {
      given([placed, rejected]).when(reject).then([]);
    });

    it.each([
      ['stockReserved', [placed, stockReserved]],
      ['cancelled', [placed, cancelled]],
    ])('refuses an order that is %s', (status, history) => {
      given(history).when(reject).thenThrows(OrderStateError, { code: 'INVALID_ORDER_STATE', status });
    });

    it('requires a reason', () => {
      given([placed])
        .when({ ...reject, reason: ' ' })
        .thenThrows(InvalidInputError, { field: 'reason' });
    });

    it('rejects an unknown order', () => {
      given([]).when(reject).thenThrows(NotFoundError);
    });
  });

  describe('confirm', () => {
    const confirm = { type: 'ConfirmOrder', orderId } as const;

    it('confirms an order whose stock is reserved', () => {
      given([placed, stockReserved]).when(confirm).then([confirmed]);
    });

    it('refuses to confirm before stock is reserved', () => {
      given([placed]).when(confirm).thenThrows(OrderStateError, { code: 'INVALID_ORDER_STATE', status: 'placed' });
    });

    it.each([
      ['confirmed', [placed, stockReserved, confirmed]],
      ['shipped', [placed, stockReserved, confirmed, shipped]],
    ])('records nothing for an order already %s', (_case, history) => {
      given(history).when(confirm).then([]);
    });

    it.each([
      ['rejected', [placed, rejected]],
      ['cancelled', [placed, stockReserved, cancelled]],
    ])('refuses a %s order', (status, history) => {
      given(history).when(confirm).thenThrows(OrderStateError, { status });
    });

    it('rejects an unknown order', () => {
      given([]).when(confirm).thenThrows(NotFoundError);
    });
  });

  describe('cancel', () => {
    const cancel = { type: 'CancelOrder', orderId, reason: ' changed my mind ', cancelledBy: 'customer' } as const;

    it.each([
      ['placed', [placed]],
      ['stock reserved', [placed, stockReserved]],
      ['confirmed', [placed, stockReserved, confirmed]],
    ])('cancels a %s order', (_case, history) => {
      given(history).when(cancel).then([cancelled]);
    });

    it('records who cancelled', () => {
      given([placed, stockReserved])
        .when({ ...cancel, reason: 'payment declined', cancelledBy: 'system' })
        .then([{ type: 'OrderCancelled', data: { orderId, reason: 'payment declined', cancelledBy: 'system' } }]);
    });

    it('records nothing for an order already cancelled', () => {
      given([placed, cancelled])
        .when({ ...cancel, reason: 'again' })
        .then([]);
    });

    it('cannot cancel a shipped order', () => {
      given([placed, stockReserved, confirmed, shipped])
        .when(cancel)
        .thenThrows(OrderStateError, { code: 'INVALID_ORDER_STATE', status: 'shipped' });
    });

    it('cannot cancel a rejected order', () => {
      given([placed, rejected]).when(cancel).thenThrows(OrderStateError, { status: 'rejected' });
    });

    it('requires a reason', () => {
      given([placed])
        .when({ ...cancel, reason: '' })
        .thenThrows(InvalidInputError, { field: 'reason' });
    });

    it('rejects an unknown order', () => {
      given([]).when(cancel).thenThrows(NotFoundError);
    });
  });

  describe('ship', () => {
    const ship = { type: 'ShipOrder', orderId } as const;

    it('ships a confirmed order', () => {
      given([placed, stockReserved, confirmed]).when(ship).then([shipped]);
    });

    it('records nothing for an order already shipped', () => {
      given([placed, stockReserved, confirmed, shipped]).when(ship).then([]);
    });

    it.each([
      ['placed', [placed]],
      ['stockReserved', [placed, stockReserved]],
      ['rejected', [placed, rejected]],
      ['cancelled', [placed, stockReserved, confirmed, cancelled]],
    ])('cannot ship a %s order, as it is not confirmed (paid)', (status, history) => {
      given(history).when(ship).thenThrows(OrderStateError, { code: 'INVALID_ORDER_STATE', status });
    });

    it('rejects an unknown order', () => {
      given([]).when(ship).thenThrows(NotFoundError);
    });
  });

  it('evolves through the whole life of an order', () => {
    const state = [placed, stockReserved, confirmed, cancelled].reduce(evolveOrder, initialOrder());
    expect(state).toEqual({
      status: 'cancelled',
      cancellationReason: 'changed my mind',
      cancelledBy: 'customer',
      ...placed.data,
    });
  });

  it('recognises its own events only', () => {
    expect([...orderEventTypes].every((type) => isOrderEvent({ type }))).toBe(true);
    expect(isOrderEvent({ type: 'StockReserved' })).toBe(false);
  });
});
