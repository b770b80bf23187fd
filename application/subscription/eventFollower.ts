/**
 * One consumer's ordered view of the gateway's single `$all` subscription (the read side's runner):
 * every event after a position, once, in order, with no gap when it joins or falls behind.
 *
 * - Joining: a follower that starts where the subscription has got to follows it live at once (a
 *   reaction attached before the start-up replay: history is read once, by the runner). One that
 *   starts elsewhere (a client's cursor, a late start) reads the store from its position, in
 *   batches, until it reaches what the subscription has published, then switches to it.
 * - Falling behind: the queue is bounded. A consumer that lets `maxQueued` events pile up stops
 *   being fed live; once it has taken what is queued, it re-reads the store from its last event and
 *   switches back when it has caught up. Slow consumers cost the runner nothing and never hold
 *   more than `maxQueued` events in memory.
 * - The switch is made in one synchronous step after a store read that reached both the store's end
 *   and every event the subscription published meanwhile; live events at or below the last event
 *   queued are dropped, so the store read and the live feed overlap without a duplicate.
 */
import type { EventStore, Position, RecordedEvent } from '../../eventStore/port';

/** The single subscription as its followers see it. */
export interface PublishedEvents {
  onEvent(listener: (event: RecordedEvent) => void): () => void;
  /** The position of the last event handed to listeners: a listener added now gets exactly the events after it. */
  readonly eventsPublishedUpTo: Position | null;
}

export interface EventFollowerOptions {
  /** Events after this position (exclusive); null for every event from the beginning of `$all`. */
  readonly after: Position | null;
  /** Live events queued before the follower falls back to reading the store. */
  readonly maxQueued?: number;
  /** Events per store read while catching up. */
  readonly batchSize?: number;
}

const DEFAULT_MAX_QUEUED = 10_000;
const DEFAULT_BATCH_SIZE = 500;
const STORE_RETRY_MS = 200;

export class EventFollower implements AsyncIterableIterator<RecordedEvent> {
  private queue: RecordedEvent[] = [];
  /** The position of the last event queued (live or read from the store): nothing at or below it is queued again. */
  private lastQueued: Position | null;
  /** While true, live events are not queued: the follower reads the store instead. */
  private catchingUp: boolean;
  /** The highest live event published while catching up: the store read must reach it before switching. */
  private publishedWhileCatchingUp: Position | null;
  private wake: (() => void) | null = null;
  private closed = false;
  private readonly unsubscribe: () => void;
  private readonly maxQueued: number;
  private readonly batchSize: number;
  private storeReads = 0;
  private failedStoreReads = 0;
  private lastStoreError: string | null = null;

  constructor(
    private readonly store: EventStore,
    source: PublishedEvents,
    options: EventFollowerOptions,
  ) {
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.lastQueued = options.after;
    const published = source.eventsPublishedUpTo;
    this.catchingUp = published !== options.after;
    this.publishedWhileCatchingUp = published;
    this.unsubscribe = source.onEvent((event) => this.offer(event));
  }

  /** How the follower is doing: for status and tests. */
  get status() {
    return {
      queued: this.queue.length,
      catchingUp: this.catchingUp,
      storeReads: this.storeReads,
      failedStoreReads: this.failedStoreReads,
      lastStoreError: this.lastStoreError,
      lastQueued: this.lastQueued,
    };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      const event = this.queue.shift();
      if (event) return { value: event, done: false };
      if (!this.catchingUp) await new Promise<void>((resolve) => (this.wake = resolve));
      else {
        try {
          const progressed = await this.readFromStore();
          // At the store's end but short of what the subscription published: its events are not readable yet.
          if (!progressed && this.catchingUp) await this.pause(STORE_RETRY_MS);
        } catch (error) {
          // The store did not answer (a reconnect, say): the follower reads again after a pause, never
          // ending its consumer's feed for it (the subscription itself resubscribes the same way).
          this.failedStoreReads += 1;
          this.lastStoreError = String(error);
          await this.pause(STORE_RETRY_MS);
        }
      }
    }
  }

  async return(): Promise<IteratorResult<RecordedEvent>> {
    this.close();
    return { value: undefined, done: true };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.unsubscribe();
    this.wakeUp();
  }

  private offer(event: RecordedEvent): void {
    if (this.closed) return;
    if (this.catchingUp) {
      this.publishedWhileCatchingUp = event.position;
      return;
    }
    if (this.lastQueued !== null && event.position <= this.lastQueued) return;
    if (this.queue.length >= this.maxQueued) {
      this.catchingUp = true;
      this.publishedWhileCatchingUp = event.position;
      return;
    }
    this.queue.push(event);
    this.lastQueued = event.position;
    this.wakeUp();
  }

  /** Resolves after `ms`, or at once when the follower is closed. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Reads the next batch; says whether it queued anything. */
  private async readFromStore(): Promise<boolean> {
    const from = this.lastQueued;
    this.storeReads += 1;
    const batch = await this.store.readAll({ ...(from === null ? {} : { fromPosition: from }), maxCount: this.batchSize });
    if (this.closed) return false;
    // readAll starts at its position inclusively: the event there is queued already.
    for (const event of batch) {
      if (from !== null && event.position <= from) continue;
      this.queue.push(event);
      this.lastQueued = event.position;
    }
    const reachedStoreEnd = batch.length < this.batchSize;
    const reachedPublished =
      this.publishedWhileCatchingUp === null || (this.lastQueued !== null && this.lastQueued >= this.publishedWhileCatchingUp);
    if (reachedStoreEnd && reachedPublished) {
      this.catchingUp = false;
      this.publishedWhileCatchingUp = null;
    }
    return this.lastQueued !== from;
  }
}
