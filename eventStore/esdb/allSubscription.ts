/**
 * A catch-up subscription to `$all` over `@eventstore/db-client` that survives dropped connections.
 *
 * - Server-side filter `excludeSystemEvents()` (event types starting with `$`), plus a client-side
 *   check for `$`-prefixed streams (a system stream may hold a non-`$` type).
 * - Exactly one `caughtUp`: the client signals it as a `caughtUp` *event on the subscription
 *   stream*, emitted when the server's `caught_up` message is transformed. Events the server sent
 *   before it may still be buffered in the stream (not yet emitted as `data`), so the marker is
 *   placed after `delivered + readableLength` events, never before an earlier event.
 * - The client does not resubscribe: on `error` (CancelledError when the server shuts down,
 *   UnavailableError when it is killed or unreachable; no `end` follows) this resubscribes from the
 *   last position it received, with capped exponential backoff, and drops anything at or before
 *   that position, so nothing is skipped or repeated.
 * - Backpressure: the client subscription is paused while too many messages wait for the consumer.
 * - Ends (done) when the AbortSignal aborts, when `return()` is called, or when the store closes.
 */
import {
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Position as EsdbPosition,
} from '@eventstore/db-client';
import type { AllSubscriptionMessage, SubscribeToAllOptions } from '../port';
import { comparePositions, isHiddenFromAll, positionOf, toRecordedEvent } from './conversion';
import { isTransientEsdbError, mapEsdbError } from './errorMapping';

export interface SubscriptionSettings {
  /** First delay before resubscribing after a drop. */
  readonly initialDelayMs: number;
  /** Cap of the exponential backoff. */
  readonly maxDelayMs: number;
  /** Messages waiting for the consumer at which the client subscription is paused... */
  readonly highWater: number;
  /** ...and at or below which it is resumed. */
  readonly lowWater: number;
}
const noop = () => undefined;

export class EsdbAllSubscription implements AsyncIterator<AllSubscriptionMessage> {
  private readonly queue: AllSubscriptionMessage[] = [];
  private waiter: { resolve: (result: IteratorResult<AllSubscriptionMessage>) => void; reject: (error: unknown) => void } | undefined;
  private failure: { error: unknown } | undefined;
  private finished = false;
  private current: AllStreamSubscription | undefined;
  /** The last position received from the server (system events included): where a resubscription starts. */
  private last: EsdbPosition | undefined;
  private caughtUpSent = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private readonly signal: AbortSignal | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    options: SubscribeToAllOptions,
    private readonly settings: SubscriptionSettings,
    private readonly onFinished: (subscription: EsdbAllSubscription) => void,
  ) {
    if (options.fromPosition !== undefined) this.last = { commit: options.fromPosition, prepare: options.fromPosition };
    this.signal = options.signal;
    if (this.signal?.aborted) {
      this.finish();
      return;
    }
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.connect();
  }

  next(): Promise<IteratorResult<AllSubscriptionMessage>> {
    const value = this.queue.shift();
    if (value !== undefined) {
      if (this.paused && this.queue.length <= this.settings.lowWater) {
        this.paused = false;
        this.current?.resume();
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      this.finish();
      return Promise.reject(error);
    }
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<AllSubscriptionMessage>> {
    this.finish();
    return Promise.resolve({ done: true, value: undefined });
  }

  /** Ends the subscription: a pending or later `next()` reports done. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.queue.length = 0;
    this.signal?.removeEventListener('abort', this.onAbort);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.release(this.current);
    this.current = undefined;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve({ done: true, value: undefined });
    this.onFinished(this);
  }

  private readonly onAbort = () => this.finish();

  private connect(): void {
    if (this.finished) return;
    const subscription = this.client.subscribeToAll({
      fromPosition: this.last ?? START,
      filter: excludeSystemEvents(),
    });
    this.current = subscription;
    const isCurrent = () => this.current === subscription && !this.finished;
    let delivered = 0;
    let caughtUpAfter: number | undefined;

    subscription.on('confirmation', () => {
      if (isCurrent()) this.attempt = 0;
    });
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (!isCurrent()) return;
      delivered += 1;
      try {
        this.accept(resolved);
      } catch (error) {
        // Never throw into the client's stream machinery: end this subscription with the error.
        this.release(subscription);
        this.current = undefined;
        this.fail(error);
        return;
      }
      if (caughtUpAfter !== undefined && delivered >= caughtUpAfter) {
        caughtUpAfter = undefined;
        this.caughtUp();
      }
    });
    subscription.on('caughtUp', () => {
      if (!isCurrent()) return;
      const buffered = subscription.readableLength;
      if (buffered === 0) this.caughtUp();
      else caughtUpAfter = delivered + buffered;
    });
    // Always keep an error listener: an 'error' without one would crash the process.
    subscription.on('error', (error: unknown) => {
      if (isCurrent()) this.dropped(error);
    });
    subscription.on('end', () => {
      if (isCurrent()) this.dropped(undefined);
    });
    if (this.paused) subscription.pause();
  }

  private accept(resolved: AllStreamResolvedEvent): void {
    if (!resolved.event) return;
    const position = positionOf(resolved);
    // After a resubscription the server starts after `last`; anything at or before it was seen.
    if (this.last && comparePositions(position, this.last) <= 0) return;
    this.last = position;
    if (isHiddenFromAll(resolved)) return;
    const event = toRecordedEvent(resolved);
    if (event) this.push({ kind: 'event', event });
  }

  private caughtUp(): void {
    if (this.caughtUpSent) return;
    this.caughtUpSent = true;
    this.push({ kind: 'caughtUp', position: this.last?.commit ?? null });
  }

  private push(message: AllSubscriptionMessage): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter.resolve({ done: false, value: message });
      return;
    }
    this.queue.push(message);
    if (!this.paused && this.queue.length >= this.settings.highWater) {
      this.paused = true;
      this.current?.pause();
    }
  }

  private dropped(error: unknown): void {
    this.release(this.current);
    this.current = undefined;
    if (error !== undefined && !isTransientEsdbError(error)) {
      this.fail(mapEsdbError(error, { operation: 'subscribeToAll' }));
      return;
    }
    const delay = Math.min(this.settings.maxDelayMs, this.settings.initialDelayMs * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  private fail(error: unknown): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      this.finish();
      waiter.reject(error);
      return;
    }
    this.failure = { error };
  }

  private release(subscription: AllStreamSubscription | undefined): void {
    if (!subscription) return;
    subscription.on('error', noop);
    subscription.unsubscribe().catch(noop);
  }
}
