/**
 * Feeds every projection from one catch-up subscription to `$all`, in order, and keeps the
 * checkpoint (the position of the last event applied). After each event it notifies change
 * listeners and wakes writers waiting to read their own write. If the subscription fails it
 * resubscribes from the checkpoint, so no event is missed or applied twice.
 *
 * Poison events: a projection that throws on an event is suspended there (a dead letter, with the
 * error); the other projections go on. An admin retries it (the event again, then everything the
 * projection missed, read back from the store) or skips it (the same without that event).
 */
import type { EventStore, Position, RecordedEvent } from '../eventStore/port';
import type { DocumentChange, Projection } from './projection';

export interface ProjectionFailure {
  readonly projection: string;
  readonly event: RecordedEvent;
  readonly error: string;
  readonly failedAt: string;
  /** How many times applying the event failed (1 + failed retries). */
  readonly attempts: number;
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

/** What the rest of the gateway uses of the read side (the live runner, or the rebuild switch in front of it). */
export type ReadSide = Pick<
  ProjectionRunner,
  'checkpoint' | 'caughtUp' | 'status' | 'failures' | 'retry' | 'skip' | 'onChange' | 'waitForPosition'
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
  private readonly listeners = new Set<(change: DocumentChange) => void>();
  private waiters: Waiter[] = [];
  /** The dead letter of each suspended projection, by projection name. */
  private readonly suspended = new Map<string, ProjectionFailure>();
  private readonly recovering = new Set<string>();
  private outbox: DocumentChange[] = [];
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
      failures: this.suspended.size,
    };
  }

  get failures(): readonly ProjectionFailure[] {
    return [...this.suspended.values()];
  }

  /** Applies the failed event again, then what the projection missed. Resolves with the failure left, if any. */
  retry(projectionName: string): Promise<ProjectionFailure | null> {
    return this.resume(projectionName, true);
  }

  /** Drops the failed event and applies what the projection missed after it. */
  skip(projectionName: string): Promise<ProjectionFailure | null> {
    return this.resume(projectionName, false);
  }

  private async resume(projectionName: string, retryFailedEvent: boolean): Promise<ProjectionFailure | null> {
    const failure = this.suspended.get(projectionName);
    const projection = this.projections.find((p) => p.name === projectionName);
    if (!failure || !projection) throw new Error(`No failed projection named ${projectionName}`);
    if (this.recovering.has(projectionName)) throw new Error(`${projectionName} is already being resumed`);
    this.recovering.add(projectionName);
    try {
      if (retryFailedEvent && !this.applyTo(projection, failure.event, failure.attempts)) return this.suspended.get(projectionName) ?? null;
      if (!retryFailedEvent) this.logger.warn('skipped a poison event', { projection: projectionName, eventId: failure.event.id });
      let after = failure.event.position;
      for (;;) {
        // Caught up with the live runner: lift the suspension in the same synchronous step as the
        // check, so the next live event goes to this projection again and none falls in between.
        if (this.checkpointPosition === null || after >= this.checkpointPosition) {
          this.suspended.delete(projectionName);
          return null;
        }
        const batch = (await this.store.readAll({ fromPosition: after, maxCount: 500 })).filter(
          (event) => event.position > after && this.checkpointPosition !== null && event.position <= this.checkpointPosition,
        );
        if (batch.length === 0) {
          this.suspended.delete(projectionName);
          return null;
        }
        for (const event of batch) {
          if (projection.handles(event.type) && !this.applyTo(projection, event, 0)) return this.suspended.get(projectionName) ?? null;
          after = event.position;
        }
      }
    } finally {
      this.recovering.delete(projectionName);
    }
  }

  /** Applies one event to one projection and publishes its changes; on failure suspends the projection there. */
  private applyTo(projection: Projection, event: RecordedEvent, previousAttempts: number): boolean {
    let changes: readonly DocumentChange[];
    try {
      changes = projection.apply(event);
    } catch (error) {
      this.suspended.set(projection.name, {
        projection: projection.name,
        event,
        error: error instanceof Error ? error.message : String(error),
        failedAt: new Date().toISOString(),
        attempts: previousAttempts + 1,
      });
      this.logger.error('projection failed on an event; it is suspended until retried or skipped', {
        projection: projection.name,
        eventId: event.id,
        eventType: event.type,
        correlationId: event.metadata.correlationId,
        error: String(error),
      });
      return false;
    }
    this.publish(changes);
    return true;
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
  }

  private flushOutbox(): void {
    const changes = this.outbox;
    this.outbox = [];
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.logger.error('a change listener failed', { error: String(error) });
        }
      }
    }
  }

  onChange(listener: (change: DocumentChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    for (const projection of this.projections) {
      // A suspended projection waits for an admin; it catches up from the store when resumed.
      if (!projection.handles(event.type) || this.suspended.has(projection.name)) continue;
      this.applyTo(projection, event, 0);
    }
    this.checkpointPosition = event.position;
    this.processedEvents += 1;
    this.lastEventAt = event.recordedAt;
    if (this.waiters.length > 0) this.wakeWaiters();
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
