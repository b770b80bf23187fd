import { requestFingerprint } from './requestFingerprint';

describe('requestFingerprint', () => {
  it('ignores field order, null versus absent fields, and the idempotency key itself', () => {
    const a = requestFingerprint({ id: 'x', count: 9, idempotencyKey: 'k', expectedVersion: null });
    expect(requestFingerprint({ count: 9, id: 'x' })).toBe(a);
    expect(requestFingerprint({ idempotencyKey: 'other', id: 'x', count: 9 })).toBe(a);
  });

  it('tells apart any difference in values, nested ones and array order included', () => {
    expect(requestFingerprint({ id: 'x', count: 9 })).not.toBe(requestFingerprint({ id: 'x', count: 4 }));
    expect(requestFingerprint({ customerId: 'dana', lines: [{ itemId: 'a', quantity: 1 }] })).not.toBe(
      requestFingerprint({ customerId: 'erin', lines: [{ itemId: 'a', quantity: 1 }] }),
    );
    expect(requestFingerprint({ lines: [{ itemId: 'a' }, { itemId: 'b' }] })).not.toBe(
      requestFingerprint({ lines: [{ itemId: 'b' }, { itemId: 'a' }] }),
    );
    expect(requestFingerprint({ name: 'Mug' })).not.toBe(requestFingerprint({ name: 'Mug ' }));
    expect(requestFingerprint({ count: 1 })).not.toBe(requestFingerprint({ count: '1' }));
  });
});
