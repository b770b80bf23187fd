import { checkEvent } from './eventSchema';
import { inventoryItemDecider, inventoryItemEventSchemas } from './inventory';
import { orderEventSchemas } from './orders';
import { paymentEventSchemas } from './payments';

const itemId = 'item-1';

describe('event schemas', () => {
  it('accept an event of a known type whose data matches, typed', () => {
    expect(checkEvent(inventoryItemEventSchemas, { type: 'ItemsCheckedIn', data: { itemId, count: 5 } })).toEqual({
      valid: true,
      event: { type: 'ItemsCheckedIn', data: { itemId, count: 5 } },
    });
  });

  it.each([
    ['without count', { itemId }, /count: /],
    ['with count "5"', { itemId, count: '5' }, /count: .*expected number, received string/],
    ['with a fractional count', { itemId, count: 1.5 }, /count: /],
    ['with count NaN', { itemId, count: Number.NaN }, /count: /],
    ['with a negative count', { itemId, count: -1 }, /count: /],
    ['with data that is not an object', 'five', /data: /],
  ])('refuse ItemsCheckedIn %s, saying what is wrong', (_name, data, reason) => {
    const checked = checkEvent(inventoryItemEventSchemas, { type: 'ItemsCheckedIn', data });
    expect(checked.valid).toBe(false);
    if (!checked.valid) expect(checked.reason).toMatch(new RegExp(`^ItemsCheckedIn does not match its schema \\(.*${reason.source}`));
  });

  it('refuse InventoryItemCreated {} and name every missing field', () => {
    const checked = checkEvent(inventoryItemEventSchemas, { type: 'InventoryItemCreated', data: {} });
    expect(checked).toMatchObject({ valid: false, reason: expect.stringMatching(/itemId: .*sku: .*name: .*unitPriceCents: /) });
  });

  it("refuse a type that is not one of the aggregate's, including an inherited property name", () => {
    expect(checkEvent(inventoryItemEventSchemas, { type: 'OrderPlaced', data: {} })).toEqual({
      valid: false,
      reason: 'unknown event type "OrderPlaced"',
    });
    expect(checkEvent(inventoryItemEventSchemas, { type: 'toString', data: {} })).toEqual({
      valid: false,
      reason: 'unknown event type "toString"',
    });
  });

  it('refuse an OrderPlaced whose lines are not a list, and a payment with an amount that is a string', () => {
    expect(
      checkEvent(orderEventSchemas, {
        type: 'OrderPlaced',
        data: { orderId: 'o', customerId: 'c', paymentMethodToken: 't', lines: 'not-a-list', totalCents: 1 },
      }),
    ).toMatchObject({ valid: false });
    expect(
      checkEvent(paymentEventSchemas, {
        type: 'PaymentCaptured',
        data: { paymentId: 'p', orderId: 'o', amountCents: '100', providerReference: 'r' },
      }),
    ).toMatchObject({ valid: false });
  });

  it('are what the decider checks stored events with', () => {
    expect(inventoryItemDecider.checkEvent({ type: 'ItemsCheckedIn', data: { itemId } })).toMatchObject({ valid: false });
  });
});
