/** The follower's own rules, with a stand-in store and subscription: a store that fails is read again. */
import type { EventStore, RecordedEvent } from '../../eventStore/port';
import { EventFollower, type PublishedEvents } from './eventFollower';

const event = (position: bigint): RecordedEvent => ({
  id: `event-${position}`,
  type: 'SomethingHappened',
  streamName: `thing-${position}`,
  revision: 0,
  position,
  data: {},
  metadata: {},
  recordedAt: '2026-01-01T00:00:00.000Z',
});

describe('EventFollower', () => {
  it('reads the store again after a failed read, and its consumer gets every event once, in order', async () => {
    const stored = [1n, 2n, 3n].map(event);
    let failuresLeft = 1;
    const store = {
      readAll: async ({ fromPosition }: { fromPosition?: bigint } = {}) => {
        if (failuresLeft-- > 0) throw new Error('the store is reconnecting');
        return stored.filter((recorded) => fromPosition === undefined || recorded.position >= fromPosition);
      },
    } as Pick<EventStore, 'readAll'> as EventStore;
    const listeners = new Set<(recorded: RecordedEvent) => void>();
    const subscription: PublishedEvents = {
      onEvent: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      eventsPublishedUpTo: 3n,
    };
    const follower = new EventFollower(store, subscription, { after: null });
    const taken: bigint[] = [];
    for (let n = 0; n < 3; n += 1) taken.push(((await follower.next()).value as RecordedEvent).position);
    expect(taken).toEqual([1n, 2n, 3n]);
    expect(follower.status).toMatchObject({ failedStoreReads: 1, lastStoreError: 'Error: the store is reconnecting' });
    // Back on the live feed: the next event comes from the subscription, and one already queued is not repeated.
    const next = follower.next();
    for (const listener of listeners) listener(event(3n));
    for (const listener of listeners) listener(event(4n));
    expect(((await next).value as RecordedEvent).position).toBe(4n);
    follower.close();
    expect(listeners.size).toBe(0);
  });
});
