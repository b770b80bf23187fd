/**
 * Feeds every projection from one catch-up subscription to `$all`, in order, and keeps the
 * checkpoint (the position of the last event applied). After each event it notifies change
 * listeners and wakes writers waiting to read their own write. If the subscription fails it
 * resubscribes from the checkpoint, so no event is missed or applied twice.
 *
 * Dead letters are per sequence (an aggregate's stream, as in Axon's sequenced dead-letter
 * queue): an event a projection must not apply (it fails its schema, or the projection throws on
 * it) parks that projection's sequence there, and the sequence's later events queue behind it in
 * order. Every other sequence of that projection, and every other projection, goes on, and so
 * does the checkpoint: writers to healthy streams get their read-your-writes. An admin retries a
 * parked sequence (the event again, then the events behind it) or skips its head event.
 */
import type { EventStore, Position, RecordedEvent } from '../eventStore/port';
import type { DocumentChange, Projection } from './projection';
import { ListenerSet } from './listenerSet';

export interface ProjectionFailure {
  readonly projection: string;
  /** The parked sequence (see Projection.sequenceOf): usually the event's own stream. */
  readonly sequence: string;
  readonly event: RecordedEvent;
  readonly error: string;
  readonly failedAt: string;
  /** How many times applying the event failed (1 + failed retries). */
  readonly attempts: number;
  /** The sequence's later events, held back in order until the failure is retried or skipped. */
  readonly parked: readonly RecordedEvent[];
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

interface Waiter {
  readonly position: Position;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
  readonly deadline: number;
}

/** A parked sequence: the failed event at its head, the events behind it. */
interface ParkedSequence {
  readonly failure: Omit<ProjectionFailure, 'parked'>;
  readonly behind: RecordedEvent[];
}

/** What the rest of the gateway uses of the read side (the live runner, or the rebuild switch in front of it). */
export type ReadSide = Pick<
  ProjectionRunner,
  'checkpoint' | 'caughtUp' | 'status' | 'failures' | 'retry' | 'skip' | 'onChange' | 'onEvent' | 'eventsPublishedUpTo' | 'waitForPosition'
>;

export interface ProjectionRunnerOptions {
  readonly logger?: Logger;
  /** Pause before resubscribing after a failure; grows up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export class ProjectionRunner {
  private checkpointPosition: Position | null = null;
  private isCaughtUp = false;
  private processedEvents = 0;
  private lastEventAt: string | null = null;
  private readonly listeners = new ListenerSet<DocumentChange>((error) =>
    this.logger.error('a change listener failed', { error: String(error) }),
  );
  private readonly eventListeners = new ListenerSet<RecordedEvent>((error) =>
    this.logger.error('an event listener failed', { error: String(error) }),
  );
  private waiters: Waiter[] = [];
  /** Parked sequences per projection name, by sequence. */
  private readonly parked = new Map<string, Map<string, ParkedSequence>>();
  private outbox: DocumentChange[] = [];
  private eventOutbox: RecordedEvent[] = [];
  private publishedUpTo: Position | null = null;
  private readonly controller = new AbortController();
  private loop: Promise<void> | null = null;
  private firstCatchUp!: Promise<void>;
  private resolveFirstCatchUp!: () => void;
  private readonly logger: Logger;

  constructor(
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.firstCatchUp = new Promise((resolve) => {
      this.resolveFirstCatchUp = resolve;
    });
    for (const projection of projections) this.parked.set(projection.name, new Map());
  }

  /** Starts the subscription; resolves once the projections have caught up with history. */
  start(): Promise<void> {
    this.loop ??= this.run();
    return Promise.race([this.firstCatchUp, this.loop]);
  }

  /** Stops the subscription. Writers still waiting are handed to `successor` (a rebuilt runner), or told their wait failed. */
  async stop(successor?: ProjectionRunner): Promise<void> {
    this.controller.abort();
    await this.loop;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      if (successor) void successor.waitForPosition(waiter.position, Math.max(0, waiter.deadline - Date.now())).then(waiter.resolve);
      else waiter.resolve(false);
    }
    this.waiters = [];
  }

  get checkpoint(): Position | null {
    return this.checkpointPosition;
  }

  get caughtUp(): boolean {
    return this.isCaughtUp;
  }

  get status() {
    return {
      checkpoint: this.checkpointPosition,
      caughtUp: this.isCaughtUp,
      processedEvents: this.processedEvents,
      lastEventAt: this.lastEventAt,
      failures: this.failures.length,
    };
  }

  /** Every parked sequence, oldest failure first. */
  get failures(): readonly ProjectionFailure[] {
    const all: ProjectionFailure[] = [];
    for (const sequences of this.parked.values()) {
      for (const { failure, behind } of sequences.values()) all.push({ ...failure, parked: [...behind] });
    }
    return all.sort((a, b) => (a.event.position < b.event.position ? -1 : a.event.position > b.event.position ? 1 : 0));
  }

  /**
   * Applies the failed event again, then the events parked behind it, for the sequence of
   * `streamName` (every parked sequence of the projection when omitted). Resolves with the first
   * failure left, if any.
   */
  retry(projectionName: string, streamName?: string): Promise<ProjectionFailure | null> {
    return Promise.resolve(this.resume(projectionName, streamName, true));
  }

  /** Drops the failed event and applies the events parked behind it (same scope as `retry`). */
  skip(projectionName: string, streamName?: string): Promise<ProjectionFailure | null> {
    return Promise.resolve(this.resume(projectionName, streamName, false));
  }

  /** Synchronous from start to end: no live event can slip between a parked sequence and its release. */
  private resume(projectionName: string, streamName: string | undefined, retryFailedEvent: boolean): ProjectionFailure | null {
    const projection = this.projections.find((p) => p.name === projectionName);
    const sequences = this.parked.get(projectionName);
    if (!projection || !sequences) throw new Error(`No projection named ${projectionName}`);
    const keys = streamName === undefined ? [...sequences.keys()] : [projection.sequenceOf(streamName)];
    if (keys.length === 0 || keys.some((key) => !sequences.has(key)))
      throw new Error(`No parked sequence of ${projectionName} for ${streamName ?? 'any stream'}`);
    let left: ProjectionFailure | null = null;
    for (const key of keys) {
      const { failure, behind } = sequences.get(key)!;
      sequences.delete(key);
      if (!retryFailedEvent)
        this.logger.warn('skipped a dead-lettered event', { projection: projectionName, sequence: key, eventId: failure.event.id });
      const queue = retryFailedEvent ? [failure.event, ...behind] : behind;
      for (let index = 0; index < queue.length; index += 1) {
        const attempts = retryFailedEvent && index === 0 ? failure.attempts : 0;
        if (!this.applyInSequence(projection, key, queue[index]!, attempts)) {
          sequences.get(key)!.behind.push(...queue.slice(index + 1));
          break;
        }
      }
      const stillParked = sequences.get(key);
      if (stillParked && left === null) left = { ...stillParked.failure, parked: [...stillParked.behind] };
    }
    return left;
  }

  /**
   * Applies one event to one projection (the sequence is known not to be parked) and publishes its
   * changes; an event that fails its check, or that the projection throws on, parks the sequence.
   */
  private applyInSequence(
    projection: Projection,
    knownSequence: string | null,
    event: RecordedEvent,
    previousAttempts: number,
    verdict?: string | null,
  ): boolean {
    const rejection = verdict === undefined ? projection.check(event) : verdict;
    if (rejection !== null) {
      this.park(projection, knownSequence ?? projection.sequenceOf(event.streamName), event, rejection, previousAttempts);
      return false;
    }
    if (!projection.handles(event.type)) return true;
    let changes: readonly DocumentChange[];
    try {
      changes = projection.apply(event);
    } catch (error) {
      this.park(
        projection,
        knownSequence ?? projection.sequenceOf(event.streamName),
        event,
        error instanceof Error ? error.message : String(error),
        previousAttempts,
      );
      return false;
    }
    this.publish(changes);
    return true;
  }

  /** Parks the sequence at `event`; the sequence is worked out here, when needed, not for every event applied. */
  private park(projection: Projection, sequence: string, event: RecordedEvent, error: string, previousAttempts: number): void {
    this.parked.get(projection.name)!.set(sequence, {
      failure: { projection: projection.name, sequence, event, error, failedAt: new Date().toISOString(), attempts: previousAttempts + 1 },
      behind: [],
    });
    this.logger.error('a projection could not apply an event; its sequence is parked until retried or skipped, the rest goes on', {
      projection: projection.name,
      sequence,
      eventId: event.id,
      eventType: event.type,
      correlationId: event.metadata.correlationId,
      error,
    });
  }

  /**
   * Change notifications go out after the current turn, in order: the writer waiting for this
   * event is answered first instead of after the fan-out to every subscriber.
   */
  private publish(changes: readonly DocumentChange[]): void {
    if (changes.length === 0 || this.listeners.size === 0) return;
    this.outbox.push(...changes);
    if (this.outbox.length === changes.length) setImmediate(() => this.flushOutbox());
  }

  /** Delivers the notifications still waiting for the next turn, now. */
  flushNotifications(): void {
    if (this.outbox.length > 0) this.flushOutbox();
    if (this.eventOutbox.length > 0) this.flushEventOutbox();
  }

  private flushOutbox(): void {
    const changes = this.outbox;
    this.outbox = [];
    for (const change of changes) this.listeners.notify(change);
  }

  onChange(listener: (change: DocumentChange) => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Every event this runner applies (projected, ignored or parked alike), once, in `$all` order,
   * after the projections have applied it and after the current turn (as changes are): the
   * process reactions and the clients' event feed follow this one subscription instead of their own.
   */
  onEvent(listener: (event: RecordedEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  /** The position of the last event handed to the event listeners: a listener added now gets exactly the events after it. */
  get eventsPublishedUpTo(): Position | null {
    return this.publishedUpTo;
  }

  private publishEvent(event: RecordedEvent): void {
    if (this.eventListeners.size === 0 && this.eventOutbox.length === 0) {
      this.publishedUpTo = event.position;
      return;
    }
    this.eventOutbox.push(event);
    if (this.eventOutbox.length === 1) setImmediate(() => this.flushEventOutbox());
  }

  private flushEventOutbox(): void {
    const events = this.eventOutbox;
    this.eventOutbox = [];
    for (const event of events) {
      this.publishedUpTo = event.position;
      this.eventListeners.notify(event);
    }
  }

  /** Resolves true once every event up to `position` has been applied, false on timeout. */
  waitForPosition(position: Position, timeoutMs: number): Promise<boolean> {
    if (this.checkpointPosition !== null && this.checkpointPosition >= position) return Promise.resolve(true);
    if (this.controller.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        deadline: Date.now() + timeoutMs,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    let delay = this.options.retryDelayMs ?? 100;
    while (!signal.aborted) {
      try {
        const subscription = this.store.subscribeToAll({
          ...(this.checkpointPosition === null ? {} : { fromPosition: this.checkpointPosition }),
          signal,
        });
        for await (const message of subscription) {
          if (message.kind === 'caughtUp') {
            if (!this.isCaughtUp) {
              this.isCaughtUp = true;
              this.logger.info('projections caught up', { processedEvents: this.processedEvents });
              this.resolveFirstCatchUp();
            }
            continue;
          }
          this.apply(message.event);
          delay = this.options.retryDelayMs ?? 100;
        }
        if (signal.aborted) return;
        this.logger.warn('the $all subscription ended; resubscribing', { checkpoint: String(this.checkpointPosition) });
      } catch (error) {
        if (signal.aborted) return;
        this.logger.warn('the $all subscription failed; resubscribing', { error: String(error), retryInMs: delay });
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 5000);
    }
  }

  private apply(event: RecordedEvent): void {
    // An event at or below the checkpoint was applied already (e.g. redelivered after a reconnect).
    if (this.checkpointPosition !== null && event.position <= this.checkpointPosition) return;
    // Projections usually share one check: run it once per event.
    let checkedWith: ((event: RecordedEvent) => string | null) | null = null;
    let verdict: string | null = null;
    for (const projection of this.projections) {
      if (!projection.handles(event.type) && !projection.concerns(event.streamName)) continue;
      const sequences = this.parked.get(projection.name)!;
      const sequence = sequences.size === 0 ? null : projection.sequenceOf(event.streamName);
      const parkedSequence = sequence === null ? undefined : sequences.get(sequence);
      if (parkedSequence) {
        parkedSequence.behind.push(event);
        continue;
      }
      if (checkedWith !== projection.check) {
        checkedWith = projection.check;
        verdict = projection.check(event);
      }
      this.applyInSequence(projection, sequence, event, 0, verdict);
    }
    this.checkpointPosition = event.position;
    this.processedEvents += 1;
    this.lastEventAt = event.recordedAt;
    if (this.waiters.length > 0) this.wakeWaiters();
    this.publishEvent(event);
  }

  private wakeWaiters(): void {
    const checkpoint = this.checkpointPosition;
    if (checkpoint === null) return;
    const stillWaiting: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.position <= checkpoint) {
        clearTimeout(waiter.timer);
        waiter.resolve(true);
      } else {
        stillWaiting.push(waiter);
      }
    }
    this.waiters = stillWaiting;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
