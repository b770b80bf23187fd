/**
 * Feeds every projection from one catch-up subscription to `$all`, in order, and keeps the
 * checkpoint (the position of the last event applied). After each event it notifies change
 * listeners and wakes writers waiting to read their own write. If the subscription fails it
 * resubscribes from the checkpoint, so no event is missed or applied twice.
 */
import type { EventStore, Position, RecordedEvent } from '../eventStore/port';
import type { DocumentChange, Projection } from './projection';

export interface ProjectionFailure {
  readonly projection: string;
  readonly event: RecordedEvent;
  readonly error: string;
  readonly failedAt: string;
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
}

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
  private readonly failureLog: ProjectionFailure[] = [];
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

  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
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
      failures: this.failureLog.length,
    };
  }

  get failures(): readonly ProjectionFailure[] {
    return this.failureLog;
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
    const changes: DocumentChange[] = [];
    for (const projection of this.projections) {
      if (!projection.handles(event.type)) continue;
      try {
        changes.push(...projection.apply(event));
      } catch (error) {
        // A poison event stops only the projection it broke on for that event, never the others.
        const failure = { projection: projection.name, event, error: String(error), failedAt: new Date().toISOString() };
        this.failureLog.push(failure);
        this.logger.error('projection failed on an event', {
          projection: projection.name,
          eventId: event.id,
          eventType: event.type,
          error: String(error),
        });
      }
    }
    this.checkpointPosition = event.position;
    this.processedEvents += 1;
    this.lastEventAt = event.recordedAt;
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.logger.error('a change listener failed', { error: String(error) });
        }
      }
    }
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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
