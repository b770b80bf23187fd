/**
 * A follower of the single `$all` subscription, on both backends: joining late or falling behind
 * its bound, it reads the store and rejoins the live feed with every event once, in order.
 */
import type { EventStore, RecordedEvent } from '../../eventStore/port';
import { ProjectionRunner } from '../../projections/projectionRunner';
import { appendEvents, until } from '../../test/support/appendedEvents';
import { backends } from '../../test/support/backends';
import { EventFollower } from './eventFollower';

async function take(follower: EventFollower, count: number): Promise<RecordedEvent[]> {
  const taken: RecordedEvent[] = [];
  while (taken.length < count) {
    const result = await follower.next();
    if (result.done) break;
    taken.push(result.value);
  }
  return taken;
}

describe.each(backends)('EventFollower on the single subscription ($name store)', (backend) => {
  let store: EventStore;
  let dispose: () => Promise<void>;
  let subscription: ProjectionRunner;
  let follower: EventFollower | null;

  beforeEach(async () => {
    ({ store, dispose } = await backend.create());
    subscription = new ProjectionRunner(store, []);
    follower = null;
  });
  afterEach(async () => {
    follower?.close();
    await subscription.stop();
    await store.close();
    await dispose();
  });

  const append = (count: number) => appendEvents(store, 'followed', 'SomethingHappened', count);
  const ids = (events: readonly RecordedEvent[]) => events.map((event) => event.id);
  const published = async () => {
    const all = await store.readAll();
    await until(() => subscription.eventsPublishedUpTo === (all[all.length - 1]?.position ?? null), 'the subscription published');
    return all;
  };

  /**
   * A consumer that has taken everything and waits for more: the follower finds the store's end,
   * switches back to the live feed, and the next events come live, without reading the store again.
   */
  const expectLiveAgain = async (following: EventFollower, seen: number) => {
    let taken = seen;
    let readsWhenLive = 0;
    for (const round of [1, 2, 3]) {
      const waiting = take(following, 2);
      await until(() => !following.status.catchingUp, 'the switch back to the live feed');
      if (round === 1) readsWhenLive = following.status.storeReads;
      await append(2);
      const all = await published();
      expect(ids(await waiting)).toEqual(ids(all.slice(taken, taken + 2)));
      taken += 2;
    }
    expect(following.status.storeReads).toBe(readsWhenLive);
  };

  it('follows live from the start when attached before the subscription starts: the store is not read', async () => {
    await append(5);
    follower = new EventFollower(store, subscription, { after: null });
    await subscription.start();
    const all = await published();
    expect(ids(await take(follower, 5))).toEqual(ids(all));
    expect(follower.status.storeReads).toBe(0);
  });

  it('joins late from a cursor: the store up to the live feed, then live, no gap and no repeat', async () => {
    await append(7);
    await subscription.start();
    const before = await published();
    follower = new EventFollower(store, subscription, { after: before[2]!.position, batchSize: 2 });
    // Published while the follower has not read the store yet: it must still get them, once.
    await append(4);
    const all = await published();
    expect(ids(await take(follower, all.length - 3))).toEqual(ids(all.slice(3)));
    expect(follower.status.storeReads).toBeGreaterThan(1);
    await expectLiveAgain(follower, all.length);
  });

  it('falls back to the store past its bound and comes back live, with every event once, in order', async () => {
    await subscription.start();
    follower = new EventFollower(store, subscription, { after: null, maxQueued: 3, batchSize: 4 });
    await append(10);
    const all = await published();
    // Nobody took anything: only the bound is held, the rest is left in the store.
    expect(follower.status.queued).toBe(3);
    expect(follower.status.catchingUp).toBe(true);
    expect(ids(await take(follower, 10))).toEqual(ids(all));
    expect(follower.status.storeReads).toBeGreaterThan(0);
    await expectLiveAgain(follower, all.length);
  });
});
