/**
 * The process-manager lease on both backends: two instances (each with its own connection to one
 * store) compete for it. Exactly one holds it at a time; when the holder dies, the other takes over
 * within the lease time; a clean stop hands it over at once.
 */
import { performance } from 'node:perf_hooks';
import type { EventStore } from '../eventStore/port';
import { backends } from '../test/support/backends';
import { EventStoreLease, leaseStreamName } from './lease';

jest.setTimeout(30_000);

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Contender {
  readonly lease: EventStoreLease;
  readonly store: EventStore;
  /** performance.now() of every acquisition and loss. */
  readonly acquired: number[];
  readonly lost: number[];
  /** Whether the other contender counted itself the holder when this one acquired the lease. */
  readonly otherHeldOnAcquire: boolean[];
}

describe.each(backends)('process-manager lease ($name store)', (backend) => {
  let dispose: () => Promise<void>;
  let stores: EventStore[];
  let contenders: Contender[];

  const contender = (store: EventStore, leaseMs: number, name: string): Contender => {
    const acquired: number[] = [];
    const lost: number[] = [];
    const otherHeldOnAcquire: boolean[] = [];
    const self: Contender = {
      store,
      acquired,
      lost,
      otherHeldOnAcquire,
      lease: new EventStoreLease(store, {
        name,
        leaseMs,
        logger: quiet,
        onAcquired: () => {
          acquired.push(performance.now());
          otherHeldOnAcquire.push(contenders.some((other) => other !== self && other.lease.held));
        },
        onLost: () => {
          lost.push(performance.now());
        },
      }),
    };
    contenders.push(self);
    return self;
  };

  beforeEach(async () => {
    const created = await backend.create();
    dispose = created.dispose;
    stores = [created.store, await created.reopen()];
    contenders = [];
  });
  afterEach(async () => {
    for (const { lease } of contenders) await lease.stop();
    for (const store of stores) await store.close().catch(() => undefined);
    await dispose();
  });

  it('is held by exactly one of two instances at a time, steadily', async () => {
    const [a, b] = [contender(stores[0]!, 600, 'exclusive'), contender(stores[1]!, 600, 'exclusive')];
    a.lease.start();
    b.lease.start();
    const deadline = performance.now() + 2_500;
    let samples = 0;
    let held = 0;
    while (performance.now() < deadline) {
      expect(a.lease.held && b.lease.held).toBe(false);
      samples += 1;
      if (a.lease.held || b.lease.held) held += 1;
      await pause(15);
    }
    // Held nearly all the time (a loaded machine takes fewer samples, not a smaller share).
    expect(samples).toBeGreaterThan(20);
    expect(held / samples).toBeGreaterThan(0.8);
    expect(a.acquired.length + b.acquired.length).toBe(1);
    expect(a.lost.length + b.lost.length).toBe(0);
  });

  it('is taken over within the lease time after its holder dies, and the dead holder stopped counting itself the holder first', async () => {
    const leaseMs = 800;
    const [a, b] = [contender(stores[0]!, leaseMs, 'takeover'), contender(stores[1]!, leaseMs, 'takeover')];
    a.lease.start();
    while (!a.lease.held) await pause(10);
    b.lease.start();
    await pause(leaseMs * 1.5);
    expect(b.acquired).toEqual([]);
    // The holder's process "dies": its connection to the store is gone, it renews no more.
    const diedAt = performance.now();
    await stores[0]!.close();
    while (b.acquired.length === 0 && performance.now() - diedAt < 10 * leaseMs) await pause(10);
    expect(b.acquired).toHaveLength(1);
    const takeoverMs = b.acquired[0]! - diedAt;
    // Bounded by the lease time plus one look at the stream; generous for a loaded machine.
    expect(takeoverMs).toBeLessThan(2 * leaseMs + 1_000);
    expect(b.otherHeldOnAcquire).toEqual([false]);
    await pause(leaseMs / 2);
    expect(a.lost).toHaveLength(1);
    expect(a.lease.held).toBe(false);
  });

  it('is handed over by a clean stop within one renewal interval, without waiting for the lease to expire', async () => {
    const leaseMs = 3_000;
    const [a, b] = [contender(stores[0]!, leaseMs, 'handover'), contender(stores[1]!, leaseMs, 'handover')];
    a.lease.start();
    while (!a.lease.held) await pause(10);
    b.lease.start();
    await pause(100);
    const stoppedAt = performance.now();
    await a.lease.stop();
    while (b.acquired.length === 0 && performance.now() - stoppedAt < 2 * leaseMs) await pause(10);
    expect(b.acquired[0]! - stoppedAt).toBeLessThan(leaseMs);
    expect(a.lost).toHaveLength(1);
  });

  it('keeps its stream bounded: a few events, revisions counting on', async () => {
    const a = contender(stores[0]!, 300, 'bounded');
    a.lease.start();
    await pause(1_500);
    const events = await stores[1]!.readStream(leaseStreamName('bounded'));
    expect(events.length).toBeLessThanOrEqual(10);
    expect(events[events.length - 1]!.revision).toBeGreaterThanOrEqual(10);
    expect(await stores[1]!.getStreamMetadata(leaseStreamName('bounded'))).toEqual({ maxCount: 10 });
  });
});
