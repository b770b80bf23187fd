import { inventoryItemEventSchemas } from '../domain/inventory/events';
import type { RecordedEvent } from '../eventStore/port';
import { checkShopEvent } from './eventChecks';

const ITEM = '6f1c2a9e-3c44-4d5b-9a41-0d7f3c1b2a10';

function recorded(type: string, data: RecordedEvent['data']): RecordedEvent {
  return {
    id: '0b9d4c1e-8f1a-4f6e-b7c2-5a3d2e1f0c99',
    type,
    streamName: `inventoryItem-${ITEM}`,
    revision: 1,
    position: 2n,
    data,
    metadata: {},
    recordedAt: '2026-12-01T00:00:00.000Z',
  };
}

describe('checkShopEvent', () => {
  afterEach(() => jest.restoreAllMocks());

  it('checks an event object against its schema once, however many readers ask (the single subscription hands one object to all)', () => {
    const parse = jest.spyOn(inventoryItemEventSchemas.ItemsCheckedIn, 'safeParse');
    const event = recorded('ItemsCheckedIn', { itemId: ITEM, count: 2 });
    expect([checkShopEvent(event), checkShopEvent(event), checkShopEvent(event)]).toEqual([null, null, null]);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('remembers a refusal as a refusal, and judges another object with the same content on its own', () => {
    const parse = jest.spyOn(inventoryItemEventSchemas.ItemsCheckedIn, 'safeParse');
    const malformed = recorded('ItemsCheckedIn', { itemId: ITEM, count: -1 });
    const first = checkShopEvent(malformed);
    expect(first).toMatch(/ItemsCheckedIn/);
    expect(checkShopEvent(malformed)).toBe(first);
    expect(checkShopEvent(recorded('ItemsCheckedIn', { itemId: ITEM, count: -1 }))).toBe(first);
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('leaves events of streams that are not the shop aggregates to their own readers', () => {
    expect(checkShopEvent({ ...recorded('Anything', {}), streamName: '_checkpoint-notifications' })).toBeNull();
  });
});
