/**
 * The embedded store's catch-up subscription to `$all`, as a hand-written async iterator.
 *
 * A replay runs this once per event, a million times at start-up: an async generator costs a
 * suspended frame, a request queue and several promises per `yield`; this costs one settled
 * promise per event. Rows come in pages (one `all()` per page: better-sqlite3 steps through a
 * page in C++, where iterating row by row crosses into JavaScript for each one).
 */
import type { AllSubscriptionMessage, Position } from '../port';
import { storedEventFromRow, type StoredEventRow } from './storedEvent';
import { TimeSlice } from './timeSlice';

/** How long a catch-up may run before it gives the event loop a turn (requests, timers, appends). */
const CATCH_UP_SLICE_MS = 4;

export interface CatchUpSource {
  /** Up to a page of rows after `position` (exclusive), in `$all` order. */
  readPageAfter(position: Position): StoredEventRow[];
  /** Resolves at the next commit (or when the store closes, or `signal` aborts); registers synchronously. */
  nextCommit(signal?: AbortSignal): Promise<void>;
  isClosed(): boolean;
}

type Result = IteratorResult<AllSubscriptionMessage, undefined>;

const DONE: Result = { done: true, value: undefined };

export class CatchUpSubscription implements AsyncIterator<AllSubscriptionMessage, undefined> {
  private checkpoint: Position;
  private caughtUp = false;
  private page: StoredEventRow[] = [];
  private nextRow = 0;
  private finished = false;
  private readonly slice = new TimeSlice(CATCH_UP_SLICE_MS);

  constructor(
    private readonly source: CatchUpSource,
    fromPosition: Position | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.checkpoint = fromPosition ?? 0n;
  }

  next(): Promise<Result> {
    if (this.finished || this.source.isClosed() || this.signal?.aborted) return this.finish();
    if (this.nextRow < this.page.length) {
      // The rows are read synchronously and a `for await` over this iterator resolves in
      // microtasks only: without a macrotask turn now and then, a long replay (start-up,
      // rebuild) would hold the event loop for its whole length and the gateway would answer nothing.
      if (this.slice.due()) return this.slice.yieldTurn().then(() => this.next());
      return Promise.resolve(this.eventAt(this.nextRow++));
    }
    // Read and, when nothing is left, register for the next commit in the same synchronous
    // step: a commit cannot slip in between, so no wake-up is lost.
    this.page = this.source.readPageAfter(this.checkpoint);
    this.nextRow = 0;
    if (this.page.length > 0) return Promise.resolve(this.eventAt(this.nextRow++));
    if (!this.caughtUp) {
      this.caughtUp = true;
      return Promise.resolve({ done: false, value: { kind: 'caughtUp', position: this.checkpoint === 0n ? null : this.checkpoint } });
    }
    return this.source.nextCommit(this.signal).then(() => this.next());
  }

  return(): Promise<Result> {
    return this.finish();
  }

  private eventAt(index: number): Result {
    const event = storedEventFromRow(this.page[index]!);
    this.checkpoint = event.position;
    return { done: false, value: { kind: 'event', event } };
  }

  private finish(): Promise<Result> {
    this.finished = true;
    this.page = [];
    return Promise.resolve(DONE);
  }
}
