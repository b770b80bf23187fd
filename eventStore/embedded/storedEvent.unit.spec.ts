import { StoredEvent, type StoredEventRow } from './storedEvent';

const row = (): StoredEventRow => [
  42,
  'e-1',
  'inventoryItem-1',
  3,
  'ItemsCheckedIn',
  '{"itemId":"1","count":5}',
  '{"occurredAt":"2026-01-01T00:00:00.000Z","actor":"alice"}',
  '2026-01-01T00:00:01.000Z',
];

describe('StoredEvent', () => {
  it('reads its row, and parses data and metadata once, when first read', () => {
    const event = new StoredEvent(row());
    expect([event.id, event.streamName, event.revision, event.position, event.type, event.recordedAt]).toEqual([
      'e-1',
      'inventoryItem-1',
      3,
      42n,
      'ItemsCheckedIn',
      '2026-01-01T00:00:01.000Z',
    ]);
    expect(event.data).toEqual({ itemId: '1', count: 5 });
    expect(event.data).toBe(event.data);
    expect(event.metadata).toEqual({ occurredAt: '2026-01-01T00:00:00.000Z', actor: 'alice' });
    expect(event.metadata).toBe(event.metadata);
  });

  it('gives every field, parsed, to JSON and to whoever names them', () => {
    const event = new StoredEvent(row());
    expect(event.toJSON()).toEqual({
      id: 'e-1',
      type: 'ItemsCheckedIn',
      streamName: 'inventoryItem-1',
      revision: 3,
      position: 42n,
      data: { itemId: '1', count: 5 },
      metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: 'alice' },
      recordedAt: '2026-01-01T00:00:01.000Z',
    });
  });

  it('leaves malformed JSON unparsed until read, then throws there', () => {
    const broken = row();
    broken[6] = '{not json';
    const event = new StoredEvent(broken);
    expect(event.data).toEqual({ itemId: '1', count: 5 });
    expect(() => event.metadata).toThrow(SyntaxError);
  });
});
