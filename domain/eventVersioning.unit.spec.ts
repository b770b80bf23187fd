import { eventVersioning, firstVersionsOnly, storedSchemaVersion, upcastEvent, versionRefusal, type Upcaster } from './eventVersioning';
import { inventoryItemDecider } from './inventory';
import { inventoryItemEventVersioning } from './inventory/upcasters';
import { orderDecider } from './orders';
import { orderEventVersioning } from './orders/upcasters';

// A made-up aggregate whose event went through two shapes and a rename.
const versioning = eventVersioning({ ParcelSent: 3 }, [
  { type: 'ParcelPosted', fromVersion: 1, upcast: (data) => ({ type: 'ParcelSent', version: 1, data }) },
  { type: 'ParcelSent', fromVersion: 1, upcast: (data) => ({ type: 'ParcelSent', version: 2, data: { ...data, weightGrams: null } }) },
  {
    type: 'ParcelSent',
    fromVersion: 2,
    upcast: ({ to, ...data }) => ({ type: 'ParcelSent', version: 3, data: { ...data, recipient: to } }),
  },
]);

describe('event versioning', () => {
  it('reads a missing schemaVersion as 1, and anything but a whole number from 1 as no version', () => {
    expect(storedSchemaVersion({})).toBe(1);
    expect(storedSchemaVersion(undefined)).toBe(1);
    expect(storedSchemaVersion({ schemaVersion: 2 })).toBe(2);
    for (const bad of [0, -1, 1.5, '2', null]) expect(storedSchemaVersion({ schemaVersion: bad })).toBeNull();
  });

  it('composes the steps: a renamed type at version 1 reaches the current name at the current version', () => {
    expect(upcastEvent(versioning, { type: 'ParcelPosted', version: 1, data: { to: 'Ada' } })).toEqual({
      kind: 'upcast',
      event: { type: 'ParcelSent', version: 3, data: { recipient: 'Ada', weightGrams: null } },
    });
    expect(upcastEvent(versioning, { type: 'ParcelSent', version: 2, data: { to: 'Ada', weightGrams: 5 } })).toEqual({
      kind: 'upcast',
      event: { type: 'ParcelSent', version: 3, data: { recipient: 'Ada', weightGrams: 5 } },
    });
  });

  it('leaves a current event as it is', () => {
    const event = { type: 'ParcelSent', version: 3, data: { recipient: 'Ada' } };
    expect(upcastEvent(versioning, event)).toEqual({ kind: 'current', event });
  });

  it('refuses a version newer than it knows, for a current type and for a retired name, and says so', () => {
    expect(upcastEvent(versioning, { type: 'ParcelSent', version: 4, data: {} })).toEqual({
      kind: 'refused',
      reason: 'ParcelSent version 4 is newer than this gateway knows (3)',
    });
    expect(upcastEvent(versioning, { type: 'ParcelPosted', version: 2, data: {} })).toEqual({
      kind: 'refused',
      reason: 'ParcelPosted version 2 is newer than this gateway knows (1)',
    });
  });

  it('leaves a type it never heard of to the schema check', () => {
    expect(upcastEvent(versioning, { type: 'ParcelLost', version: 1, data: {} })).toEqual({ kind: 'unknownType' });
  });

  it('refuses a registry with a gap, a duplicate step, or a step from the current version', () => {
    expect(() => eventVersioning({ A: 3 }, [{ type: 'A', fromVersion: 1, upcast: (data) => ({ type: 'A', version: 2, data }) }])).toThrow(
      /nothing upcasts version 2/,
    );
    const step: Upcaster = { type: 'A', fromVersion: 1, upcast: (data) => ({ type: 'A', version: 2, data }) };
    expect(() => eventVersioning({ A: 2 }, [step, step])).toThrow(/two upcasters read A@1/);
    expect(() => eventVersioning({ A: 1 }, [step])).toThrow(/not older than the current version 1/);
  });

  it('puts every type with a schema at version 1 when no shape has changed yet, and upcasts nothing', () => {
    const unchanged = firstVersionsOnly({ ParcelPosted: {}, ParcelDelivered: {} });
    expect(unchanged).toEqual({ currentVersions: { ParcelPosted: 1, ParcelDelivered: 1 }, upcasters: [] });
    expect(upcastEvent(unchanged, { type: 'ParcelPosted', version: 2, data: {} })).toMatchObject({ kind: 'refused' });
  });

  it('the checks refuse a version newer than current, naming the type and both versions, and a schemaVersion that is no version', () => {
    expect(versionRefusal({ OrderPlaced: 2 }, { type: 'OrderPlaced', metadata: { schemaVersion: 3 } })).toBe(
      'OrderPlaced version 3 is newer than this gateway knows (2)',
    );
    expect(versionRefusal({ OrderPlaced: 2 }, { type: 'OrderPlaced', metadata: { schemaVersion: 2 } })).toBeNull();
    expect(versionRefusal({}, { type: 'OrderShipped', metadata: { schemaVersion: 'two' } })).toMatch(/not a whole number/);
    const newer = { type: 'ItemsCheckedIn', data: { itemId: 'i', count: 1 }, metadata: { schemaVersion: 2 } };
    expect(inventoryItemDecider.checkEvent(newer)).toEqual({
      valid: false,
      reason: 'ItemsCheckedIn version 2 is newer than this gateway knows (1)',
    });
  });
});

describe("the shop's evolutions", () => {
  const v1Placed = {
    orderId: 'o',
    customerId: 'c',
    paymentMethodToken: 't',
    lines: [{ itemId: 'i', sku: 'S', name: 'n', quantity: 1, unitPriceCents: 5 }],
    totalCents: 5,
  };

  it('OrderPlaced version 1 reads as version 2 with deliveryAddress null (to be collected / not given), which the current schema accepts', () => {
    const result = upcastEvent(orderEventVersioning, { type: 'OrderPlaced', version: 1, data: v1Placed });
    expect(result).toEqual({ kind: 'upcast', event: { type: 'OrderPlaced', version: 2, data: { ...v1Placed, deliveryAddress: null } } });
    if (result.kind === 'upcast')
      expect(orderDecider.checkEvent({ ...result.event, metadata: { schemaVersion: 2 } })).toMatchObject({ valid: true });
  });

  it('OrderPlaced version 1, not upcast, does not pass as version 2: the current schema wants a deliveryAddress', () => {
    expect(orderDecider.checkEvent({ type: 'OrderPlaced', data: v1Placed })).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/deliveryAddress/),
    });
  });

  it('ItemsCheckedIntoInventory reads as ItemsCheckedIn, data unchanged; the old name alone is no longer a type the item knows', () => {
    expect(
      upcastEvent(inventoryItemEventVersioning, { type: 'ItemsCheckedIntoInventory', version: 1, data: { itemId: 'i', count: 2 } }),
    ).toEqual({
      kind: 'upcast',
      event: { type: 'ItemsCheckedIn', version: 1, data: { itemId: 'i', count: 2 } },
    });
    expect(inventoryItemDecider.checkEvent({ type: 'ItemsCheckedIntoInventory', data: { itemId: 'i', count: 2 } })).toEqual({
      valid: false,
      reason: 'unknown event type "ItemsCheckedIntoInventory"',
    });
  });
});
