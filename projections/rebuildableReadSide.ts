/**
 * Rebuild without downtime. The live read model keeps serving while a new version of it is built
 * side by side from the start of `$all` by its own runner. Once the new one has caught up with the
 * live one, it is swapped in within one synchronous step: queries see the new documents,
 * subscribers get the changes the new runner made past the live checkpoint (so none is lost or
 * repeated), and writers waiting for their write are handed over. The old runner then stops.
 */
import type { RecordedEvent } from '../eventStore/port';
import type { DocumentChange } from './projection';
import type { ProjectionFailure, ReadSide } from './projectionRunner';
import { type ProjectionRunner } from './projectionRunner';
import { ListenerSet } from './listenerSet';

/** One built read model: its runner, and how to make its documents the ones queries read. */
export interface ReadModelVersion {
  readonly runner: ProjectionRunner;
  readonly activate: () => void;
}

export interface RebuildStatus {
  readonly state: 'idle' | 'running' | 'completed' | 'failed';
  /** The read model version being served (1 at start, +1 per completed rebuild). */
  readonly version: number;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly processedEvents: number;
  /** Events the live read model had applied when the rebuild started: the work to redo. */
  readonly totalEvents: number;
  readonly error: string | null;
}

export class RebuildableReadSide implements ReadSide {
  private live: ProjectionRunner;
  private candidate: ProjectionRunner | null = null;
  // A subscriber's or follower's failure is its own; the others still get the change or event.
  private readonly listeners = new ListenerSet<DocumentChange>();
  private buffered: DocumentChange[] = [];
  private unsubscribeLive: () => void;
  private readonly eventListeners = new ListenerSet<RecordedEvent>();
  private bufferedEvents: RecordedEvent[] = [];
  private unsubscribeLiveEvents: () => void;
  private lastEmittedEvent: bigint | null = null;
  private rebuildState: Omit<RebuildStatus, 'processedEvents'> = {
    state: 'idle',
    version: 1,
    startedAt: null,
    finishedAt: null,
    totalEvents: 0,
    error: null,
  };
  private readonly progressListeners = new Set<(status: RebuildStatus) => void>();

  constructor(
    first: ReadModelVersion,
    private readonly buildNext: () => ReadModelVersion,
  ) {
    first.activate();
    this.live = first.runner;
    this.unsubscribeLive = this.live.onChange((change) => this.emit(change));
    this.unsubscribeLiveEvents = this.live.onEvent((event) => this.emitEvent(event));
  }

  start(): Promise<void> {
    return this.live.start();
  }

  async stop(): Promise<void> {
    const candidate = this.candidate;
    this.candidate = null;
    await candidate?.stop();
    await this.live.stop();
  }

  get checkpoint() {
    return this.live.checkpoint;
  }

  get caughtUp() {
    return this.live.caughtUp;
  }

  get status() {
    return this.live.status;
  }

  get failures(): readonly ProjectionFailure[] {
    return this.live.failures;
  }

  retry(projection: string, streamName?: string) {
    return this.live.retry(projection, streamName);
  }

  skip(projection: string, streamName?: string) {
    return this.live.skip(projection, streamName);
  }

  onChange(listener: (change: DocumentChange) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Every event the live runner applies, once, in order, across a swap too (a rebuild's replay is not repeated here). */
  onEvent(listener: (event: RecordedEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  get eventsPublishedUpTo(): bigint | null {
    return this.lastEmittedEvent;
  }

  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.live.waitForPosition(position, timeoutMs);
  }

  get rebuild(): RebuildStatus {
    return {
      ...this.rebuildState,
      processedEvents:
        this.candidate?.status.processedEvents ?? (this.rebuildState.state === 'completed' ? this.rebuildState.totalEvents : 0),
    };
  }

  onProgress(listener: (status: RebuildStatus) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Starts a rebuild unless one is running; resolves with its status at start. */
  startRebuild(): RebuildStatus {
    if (this.rebuildState.state === 'running') return this.rebuild;
    const next = this.buildNext();
    this.candidate = next.runner;
    this.buffered = [];
    // Only changes past what the live runner has applied can still reach subscribers from the new
    // runner (the handover point only moves forwards): keeping the others would hold every replayed
    // event in memory until the swap, and the garbage collector's pauses with them.
    this.bufferedEvents = [];
    const pastLive = (event: RecordedEvent) => {
      const live = this.live.checkpoint;
      return live === null || event.position > live;
    };
    const stopBufferingChanges = next.runner.onChange((change) => {
      if (pastLive(change.event)) this.buffered.push(change);
    });
    const stopBufferingEvents = next.runner.onEvent((event) => {
      if (pastLive(event)) this.bufferedEvents.push(event);
    });
    const stopBuffering = () => {
      stopBufferingChanges();
      stopBufferingEvents();
    };
    this.rebuildState = {
      ...this.rebuildState,
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      totalEvents: this.live.status.processedEvents,
      error: null,
    };
    const progress = setInterval(() => this.reportProgress(), 200);
    void this.completeRebuild(next)
      .catch((error: unknown) => {
        this.rebuildState = { ...this.rebuildState, state: 'failed', finishedAt: new Date().toISOString(), error: String(error) };
        void next.runner.stop();
        this.candidate = null;
      })
      .finally(() => {
        stopBuffering();
        clearInterval(progress);
        this.reportProgress();
      });
    return this.rebuild;
  }

  private async completeRebuild(next: ReadModelVersion): Promise<void> {
    await next.runner.start();
    for (;;) {
      const liveCheckpoint = this.live.checkpoint;
      const nextCheckpoint = next.runner.checkpoint;
      if (liveCheckpoint === null || (nextCheckpoint !== null && nextCheckpoint >= liveCheckpoint)) break;
      await next.runner.waitForPosition(liveCheckpoint, 1000);
      if (this.candidate !== next.runner) throw new Error('the rebuild was stopped');
    }
    // The swap: synchronous from here to the end, so no event is applied or published in between.
    const old = this.live;
    const handedOver = old.checkpoint;
    // Everything up to the handover point reaches subscribers from the old runner, the rest from the new one.
    old.flushNotifications();
    next.activate();
    this.unsubscribeLive();
    this.live = next.runner;
    this.unsubscribeLive = next.runner.onChange((change) => {
      if (handedOver === null || change.event.position > handedOver) this.emit(change);
    });
    this.unsubscribeLiveEvents();
    this.unsubscribeLiveEvents = next.runner.onEvent((event) => {
      if (handedOver === null || event.position > handedOver) this.emitEvent(event);
    });
    for (const change of this.buffered) if (handedOver === null || change.event.position > handedOver) this.emit(change);
    this.buffered = [];
    for (const event of this.bufferedEvents) if (handedOver === null || event.position > handedOver) this.emitEvent(event);
    this.bufferedEvents = [];
    this.candidate = null;
    this.rebuildState = {
      ...this.rebuildState,
      state: 'completed',
      version: this.rebuildState.version + 1,
      finishedAt: new Date().toISOString(),
    };
    await old.stop(next.runner);
  }

  private emit(change: DocumentChange): void {
    this.listeners.notify(change);
  }

  private emitEvent(event: RecordedEvent): void {
    this.lastEmittedEvent = event.position;
    this.eventListeners.notify(event);
  }

  private reportProgress(): void {
    const status = this.rebuild;
    for (const listener of this.progressListeners) listener(status);
  }
}
