/**
 * A lease kept in the event store: of all the instances that run a process manager, exactly one
 * holds it and acts; when the holder dies, another takes it over within a bounded time.
 *
 * The lease is the internal stream `_lease-<name>` (a few events kept, `$maxCount`). Its newest event
 * says who holds it. Every claim and renewal is an append at the revision the instance last read
 * (optimistic concurrency), so of two instances racing for it exactly one wins.
 *
 * No clocks are compared across machines. The holder renews every `renewEveryMs` and counts itself
 * the holder only until `leaseMs` after it *sent* its last successful renewal. Another instance
 * takes over only once the stream's revision has stayed the same for `leaseMs` since *it first read
 * that revision*, which is after the holder sent it: so the holder has stopped counting itself the
 * holder before anyone else can claim. A holder that stops cleanly releases the lease, and the next
 * instance claims it at once.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { StreamNotFoundError, WrongExpectedVersionError } from '../eventStore/errors';
import type { EventStore, ExpectedRevision } from '../eventStore/port';
import type { Logger } from '../projections/projectionRunner';

export const LEASE_STREAM_PREFIX = '_lease-';
export const LEASE_HELD = 'LeaseHeld';
export const LEASE_RELEASED = 'LeaseReleased';
/** Lease events kept per lease stream: enough to see the last hand-overs, never a growing stream. */
const LEASE_EVENTS_KEPT = 10;

export function leaseStreamName(name: string): string {
  return `${LEASE_STREAM_PREFIX}${name}`;
}

export interface LeaseOptions {
  /** What the lease is for, e.g. `orderFulfilment`. */
  readonly name: string;
  /** After this long without a renewal, the holder counts as dead and another instance may claim it. */
  readonly leaseMs: number;
  /** Default: a third of `leaseMs`. */
  readonly renewEveryMs?: number;
  readonly logger: Logger;
  /** Called when this instance starts holding the lease (it may then act). */
  readonly onAcquired: () => Promise<void> | void;
  /** Called when it stops holding it (it must stop acting): lost, expired, or released on stop. */
  readonly onLost: () => Promise<void> | void;
}

interface Observed {
  readonly revision: number | null;
  readonly holder: string | null;
  /** performance.now() when this instance first read this revision. */
  readonly since: number;
}

export class EventStoreLease {
  /** Unique to this instance and this start; readable by operators. */
  readonly holderId = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly streamName: string;
  private readonly renewEveryMs: number;
  private observed: Observed | null = null;
  /** performance.now() until which this instance holds the lease; null when it does not. */
  private heldUntil: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** Ticks and callbacks run one at a time. */
  private chain: Promise<void> = Promise.resolve();
  private metadataSet = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: LeaseOptions,
  ) {
    this.streamName = leaseStreamName(options.name);
    this.renewEveryMs = options.renewEveryMs ?? Math.max(50, Math.floor(options.leaseMs / 3));
  }

  /** Whether this instance holds the lease now (checked before each action). */
  get held(): boolean {
    return this.heldUntil !== null && performance.now() < this.heldUntil;
  }

  get status() {
    return { name: this.options.name, holderId: this.holderId, held: this.held, leaseMs: this.options.leaseMs };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops competing; a holder hands over (onLost first, then a release others can claim at once). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.serialized(async () => {
      if (this.heldUntil === null) return;
      const stillHeld = this.held;
      await this.lose('stopping');
      if (!stillHeld || this.observed === null) return;
      try {
        await this.store.appendToStream(this.streamName, [this.leaseEvent(LEASE_RELEASED)], {
          expectedRevision: this.expected(this.observed),
        });
      } catch (error) {
        // Someone claimed it already, or the store is down: it then expires by itself.
        this.options.logger.warn('could not release the lease', { lease: this.options.name, error: String(error) });
      }
    });
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.serialized(() => this.tick()).finally(() => this.schedule(this.nextDelay()));
    }, delayMs);
  }

  /** Renew on time; when not holding, look again soon enough to claim within about a renewal interval of expiry. */
  private nextDelay(): number {
    if (this.heldUntil !== null) return this.renewEveryMs;
    const observed = this.observed;
    if (observed && observed.holder !== null) {
      const expiresIn = observed.since + this.options.leaseMs - performance.now();
      return Math.max(10, Math.min(this.renewEveryMs, expiresIn));
    }
    return this.renewEveryMs;
  }

  private serialized(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async tick(): Promise<void> {
    const sentAt = performance.now();
    let observed: Observed;
    try {
      observed = await this.read(sentAt);
    } catch (error) {
      this.options.logger.warn('could not read the lease', { lease: this.options.name, error: String(error) });
      if (this.heldUntil !== null && !this.held) await this.lose('expired: the store did not answer');
      return;
    }
    const mine = observed.holder === this.holderId;
    const free = observed.holder === null || performance.now() - observed.since >= this.options.leaseMs;
    if (!mine && !free) {
      if (this.heldUntil !== null) await this.lose(`taken over by ${observed.holder}`);
      return;
    }
    if (!mine && this.heldUntil !== null) await this.lose('expired');
    try {
      await this.ensureBounded();
      const result = await this.store.appendToStream(this.streamName, [this.leaseEvent(LEASE_HELD)], {
        expectedRevision: this.expected(observed),
      });
      this.observed = { revision: result.nextExpectedRevision, holder: this.holderId, since: sentAt };
      const acquired = this.heldUntil === null;
      this.heldUntil = sentAt + this.options.leaseMs;
      if (acquired) {
        this.options.logger.info('lease acquired', { lease: this.options.name, holder: this.holderId, previous: observed.holder });
        await this.options.onAcquired();
      }
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        // Another instance wrote first: it holds the lease now.
        this.observed = null;
        if (this.heldUntil !== null) await this.lose('taken over');
        return;
      }
      this.options.logger.warn('could not renew or claim the lease', { lease: this.options.name, error: String(error) });
      if (this.heldUntil !== null && !this.held) await this.lose('expired: the store did not answer');
    }
  }

  private async read(now: number): Promise<Observed> {
    let revision: number | null = null;
    let holder: string | null = null;
    try {
      const [latest] = await this.store.readStream(this.streamName, { direction: 'backwards', maxCount: 1 });
      if (latest) {
        revision = latest.revision;
        holder = latest.type === LEASE_HELD && typeof latest.data.holder === 'string' ? latest.data.holder : null;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    const previous = this.observed;
    if (previous && previous.revision === revision) return previous;
    this.observed = { revision, holder, since: now };
    return this.observed;
  }

  /** onLost runs while `held` still tells whether the lease was still ours (a clean hand-over may save state). */
  private async lose(reason: string): Promise<void> {
    this.options.logger.info('lease lost', { lease: this.options.name, holder: this.holderId, reason });
    try {
      await this.options.onLost();
    } finally {
      this.heldUntil = null;
    }
  }

  private async ensureBounded(): Promise<void> {
    if (this.metadataSet) return;
    await this.store.setStreamMetadata(this.streamName, { maxCount: LEASE_EVENTS_KEPT });
    this.metadataSet = true;
  }

  private expected(observed: Observed): ExpectedRevision {
    return observed.revision === null ? 'no_stream' : observed.revision;
  }

  private leaseEvent(type: typeof LEASE_HELD | typeof LEASE_RELEASED) {
    return {
      id: randomUUID(),
      type,
      data: { holder: this.holderId, host: hostname(), pid: process.pid, leaseMs: this.options.leaseMs },
      metadata: { actor: `lease:${this.options.name}` },
    };
  }
}
