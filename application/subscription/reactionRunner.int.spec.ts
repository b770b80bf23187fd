/**
 * A reaction on the single subscription, on both backends: two instances fold every event, only
 * the lease holder acts, the other waits for the holder's checkpoint and takes over after it; a
 * reaction that keeps failing holds up neither the subscription nor the projections.
 */
import type { EventStore, RecordedEvent } from '../../eventStore/port';
import { ProjectionRunner } from '../../projections/projectionRunner';
import { appendEvents, until } from '../../test/support/appendedEvents';
import { backends } from '../../test/support/backends';
import { EventStoreCheckpointStore } from '../checkpointStore';
import type { Reaction } from './reaction';
import { ReactionRunner } from './reactionRunner';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** Answers every ping; records who answered which, and what it had folded by then. */
class PingAnswers implements Reaction {
  readonly name = 'pingAnswers';
  folded = 0;
  constructor(
    private readonly instance: string,
    private readonly answers: Array<{ instance: string; eventId: string; folded: number }>,
  ) {}
  fold(event: RecordedEvent) {
    if (event.type !== 'Pinged') return null;
    this.folded += 1;
    const folded = this.folded;
    return async () => {
      this.answers.push({ instance: this.instance, eventId: event.id, folded });
    };
  }
}

describe.each(backends)('ReactionRunner on the single subscription ($name store)', (backend) => {
  let store: EventStore;
  let dispose: () => Promise<void>;
  let stops: Array<() => Promise<void>>;

  beforeEach(async () => {
    ({ store, dispose } = await backend.create());
    stops = [];
  });
  afterEach(async () => {
    for (const stop of stops.reverse()) await stop();
    await store.close();
    await dispose();
  });

  const ping = (count: number) => appendEvents(store, 'pinged', 'Pinged', count);

  /** One gateway instance: its own subscription and its own runner of the reaction, acting while `holds()`. */
  const instance = async (reaction: Reaction, holds: () => boolean) => {
    const subscription = new ProjectionRunner(store, []);
    const runner = new ReactionRunner(store, subscription, new EventStoreCheckpointStore(store), reaction, {
      logger: silent,
      mayAct: holds,
      retryDelayMs: 10,
      checkpointIntervalMs: 10,
    });
    await runner.start();
    await subscription.start();
    stops.push(async () => {
      await runner.stop();
      await subscription.stop();
    });
    return { subscription, runner };
  };

  it('acts once per event across a hand-over: the holder acts, the standby waits for its checkpoint, then takes over', async () => {
    const answers: Array<{ instance: string; eventId: string; folded: number }> = [];
    let holder: 'a' | 'b' = 'a';
    const a = await instance(new PingAnswers('a', answers), () => holder === 'a');
    const b = await instance(new PingAnswers('b', answers), () => holder === 'b');
    await ping(3);
    const first = await store.readAll();
    await until(() => answers.length === 3, 'a answered');
    // The standby follows behind the holder's checkpoint, never acting itself.
    await until(() => b.runner.status.lastFolded === first[2]!.position, 'b folded what a acted on');
    expect(answers.map((answer) => answer.instance)).toEqual(['a', 'a', 'a']);

    // The hand-over: a records its checkpoint as the lease goes, b takes the lease.
    await a.runner.leaseLost();
    holder = 'b';
    b.runner.leaseAcquired();
    await ping(2);
    const all = await store.readAll();
    await until(() => answers.length === 5, 'b answered the rest');
    expect(answers).toEqual([
      ...first.map((event, index) => ({ instance: 'a', eventId: event.id, folded: index + 1 })),
      // b acts with the state of every event before: complete state, after the shared checkpoint.
      ...all.slice(3).map((event, index) => ({ instance: 'b', eventId: event.id, folded: index + 4 })),
    ]);
    // Now a is the standby: it follows b's checkpoint to the end, without acting.
    await until(() => a.runner.status.lastFolded === all[4]!.position, 'a folded what b acted on');
    expect(answers).toHaveLength(5);
    expect(await new EventStoreCheckpointStore(store).load('pingAnswers')).not.toBeNull();
  });

  it('retries a failing action without holding up the subscription', async () => {
    let failing = true;
    let answered = 0;
    const stubborn: Reaction = {
      name: 'stubborn',
      fold: (event) =>
        event.type === 'Pinged'
          ? async () => {
              if (failing) throw new Error('the provider is down');
              answered += 1;
            }
          : null,
    };
    const { subscription, runner } = await instance(stubborn, () => true);
    await ping(4);
    const all = await store.readAll();
    await until(() => subscription.checkpoint === all[3]!.position, 'the subscription applied every event');
    expect(answered).toBe(0);
    expect(runner.status.queued).toBeGreaterThan(0);
    failing = false;
    await until(() => answered === 4, 'every ping answered once the failure passed');
    expect(runner.status.lastActedOn).toBe(all[3]!.position);
  });
});
