/**
 * Runs one reaction on the gateway's single `$all` subscription, with a durable checkpoint (in the
 * spirit of Eventuous's subscription with checkpoint).
 *
 * - Fed through its own ordered, bounded queue (EventFollower): a slow or failing reaction never
 *   holds up the projections or the other reactions; one that falls `maxQueued` events behind
 *   re-reads the store from its last event instead of being fed live.
 * - Every event is folded, on every instance, so the state is complete at any moment; acting is
 *   only for events after the checkpoint, and only while `mayAct()` (the lease) says so.
 * - An instance not holding the lease stops at the first event that calls for an action past the
 *   checkpoint it knows, and re-reads the checkpoint until the holder has recorded acting on it:
 *   its state never runs ahead of what was acted on. When it takes the lease over it reads the
 *   checkpoint once more and acts on what is left with the state as of each event.
 * - Acting on an event is retried until it succeeds (every action is idempotent); the checkpoint
 *   is written every `checkpointIntervalMs` while the lease is held, and when it is lost or the
 *   runner stops. A crash between an action and the checkpoint only makes the next holder act again.
 */
import type { EventStore, Position, RecordedEvent } from '../../eventStore/port';
import type { Logger } from '../../projections/projectionRunner';
import { sleep } from '../../projections/projectionRunner';
import type { EventStoreCheckpointStore } from '../checkpointStore';
import { EventFollower, type PublishedEvents } from './eventFollower';
import type { Reaction, ReactionAction } from './reaction';

export interface ReactionRunnerOptions {
  readonly logger: Logger;
  /** Asked before each action and checkpoint write (the lease). Default: always. */
  readonly mayAct?: () => boolean;
  readonly checkpointIntervalMs?: number;
  readonly retryDelayMs?: number;
  /** Events queued for the reaction before it falls back to reading the store. */
  readonly maxQueued?: number;
}

export class ReactionRunner {
  private controller = new AbortController();
  private follower: EventFollower | null = null;
  private loop: Promise<void> | null = null;
  /** The highest position known to be acted on: ours, or the shared checkpoint read from the store. */
  private actedUpTo: Position | null = null;
  private lastActedOn: Position | null = null;
  private savedCheckpoint: Position | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private checkpointBeforeActing = false;
  private foldedEvents = 0;
  private failedFolds = 0;
  private lastFolded: Position | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly source: PublishedEvents,
    private readonly checkpoints: EventStoreCheckpointStore,
    readonly reaction: Reaction,
    private readonly options: ReactionRunnerOptions,
  ) {}

  /** Loads the checkpoint and starts following; attach before the subscription starts so history is read once. */
  async start(): Promise<void> {
    if (this.loop) return;
    this.controller = new AbortController();
    this.follower = new EventFollower(this.store, this.source, { after: null, maxQueued: this.options.maxQueued });
    this.actedUpTo = await this.checkpoints.load(this.reaction.name);
    this.savedCheckpoint = this.actedUpTo;
    this.loop = this.run(this.follower, this.controller.signal);
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.controller.abort();
    this.follower?.close();
    await loop;
    this.loop = null;
    await this.flushCheckpoint();
  }

  /** The lease was taken: read the checkpoint the previous holder left before acting on anything. */
  leaseAcquired(): void {
    this.checkpointBeforeActing = true;
  }

  /** The lease is going (still `held` while this runs, on a clean hand-over): record how far this instance acted. */
  async leaseLost(): Promise<void> {
    await this.flushCheckpoint();
  }

  get status() {
    return {
      name: this.reaction.name,
      checkpoint: this.savedCheckpoint,
      lastActedOn: this.lastActedOn,
      lastFolded: this.lastFolded,
      foldedEvents: this.foldedEvents,
      failedFolds: this.failedFolds,
      queued: this.follower?.status.queued ?? 0,
      catchingUp: this.follower?.status.catchingUp ?? false,
    };
  }

  private mayAct(): boolean {
    return this.options.mayAct?.() ?? true;
  }

  private isActedOn(event: RecordedEvent): boolean {
    return this.actedUpTo !== null && event.position <= this.actedUpTo;
  }

  private async run(events: EventFollower, signal: AbortSignal): Promise<void> {
    for await (const event of events) {
      let action: ReactionAction | null;
      try {
        action = this.reaction.fold(event);
      } catch (error) {
        // A reaction's own failure to fold is its own: logged, the event left, the feed goes on.
        this.failedFolds += 1;
        this.options.logger.error('a reaction could not fold an event; skipped', {
          reaction: this.reaction.name,
          eventId: event.id,
          eventType: event.type,
          error: String(error),
        });
        action = null;
      }
      this.foldedEvents += 1;
      this.lastFolded = event.position;
      if (action !== null && !this.isActedOn(event)) await this.actOn(event, action, signal);
      if (signal.aborted) return;
    }
  }

  private async actOn(event: RecordedEvent, action: ReactionAction, signal: AbortSignal): Promise<void> {
    const retryDelayMs = this.options.retryDelayMs ?? 200;
    for (let failures = 0; !signal.aborted;) {
      if (!this.mayAct()) {
        // Not ours to act on: wait until the holder has recorded it, or until the lease is ours.
        await sleep(retryDelayMs, signal);
        await this.readCheckpoint();
      } else if (this.checkpointBeforeActing) {
        this.checkpointBeforeActing = false;
        await this.readCheckpoint();
      } else {
        try {
          await action(signal);
          if (signal.aborted) return;
          this.recordActedOn(event.position);
          return;
        } catch (error) {
          failures += 1;
          this.options.logger.warn('a reaction step failed; retrying', {
            reaction: this.reaction.name,
            eventId: event.id,
            eventType: event.type,
            attempt: failures,
            error: String(error),
          });
          await sleep(Math.min(5000, retryDelayMs * failures), signal);
        }
      }
      if (this.isActedOn(event)) return;
    }
  }

  private recordActedOn(position: Position): void {
    this.lastActedOn = position;
    if (this.actedUpTo === null || position > this.actedUpTo) this.actedUpTo = position;
    if (this.checkpointTimer) return;
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null;
      this.saveCheckpoint().catch((error: unknown) =>
        this.options.logger.warn('could not save a reaction checkpoint', { reaction: this.reaction.name, error: String(error) }),
      );
    }, this.options.checkpointIntervalMs ?? 250);
  }

  private async readCheckpoint(): Promise<void> {
    try {
      const stored = await this.checkpoints.load(this.reaction.name);
      if (stored !== null && (this.actedUpTo === null || stored > this.actedUpTo)) this.actedUpTo = stored;
    } catch (error) {
      this.options.logger.warn('could not read a reaction checkpoint', { reaction: this.reaction.name, error: String(error) });
    }
  }

  private async flushCheckpoint(): Promise<void> {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    await this.saveCheckpoint().catch((error: unknown) =>
      this.options.logger.warn('could not save a reaction checkpoint', { reaction: this.reaction.name, error: String(error) }),
    );
  }

  private async saveCheckpoint(): Promise<void> {
    const position = this.lastActedOn;
    if (position === null || (this.savedCheckpoint !== null && position <= this.savedCheckpoint)) return;
    if (!this.mayAct()) return;
    await this.checkpoints.save(this.reaction.name, position);
    this.savedCheckpoint = position;
  }
}
