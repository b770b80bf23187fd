/**
 * The EventStoreDB adapter of the event-store port, over `@eventstore/db-client` (gRPC).
 *
 * - Revisions are numbers in the port and bigint in the client; positions are commit positions.
 * - Event data and the port's metadata are JSON (the metadata is the event's custom metadata);
 *   `recordedAt` is the server's `created`.
 * - Errors are mapped to the port's typed errors (errorMapping.ts); calls are bounded by a timeout
 *   so nothing hangs when the server is unreachable.
 * - `readAll` and `subscribeToAll` skip system events (`$`-prefixed types or streams) and internal
 *   (`_`-prefixed) streams.
 * - Stream metadata is EventStoreDB's own (`$maxCount`, `$maxAge` in the `$$<stream>` metadata stream):
 *   the server applies it on reads and scavenging removes what it no longer keeps.
 * - `subscribeToAll` resubscribes by itself after a dropped connection (allSubscription.ts): the
 *   client does not.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type Position as EsdbPosition,
  type ReadPosition,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, StreamNotFoundError } from '../errors';
import type {
  AllSubscriptionMessage,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamMetadata,
  SubscribeToAllOptions,
} from '../port';
import { assertValidStreamMetadata } from '../port';
import { EsdbAllSubscription, type SubscriptionSettings } from './allSubscription';
import { comparePositions, isHiddenFromAll, positionOf, toClientExpectedRevision, toEventData, toRecordedEvent } from './conversion';
import { isTransientEsdbError, mapEsdbError, type ErrorContext } from './errorMapping';

export interface EsdbEventStoreOptions {
  /** Upper bound of one append or read, in ms (also sent as the gRPC deadline of appends). Default 10 000. */
  readonly operationTimeoutMs?: number;
  /** Upper bound of `ping()`, in ms. Default 2 000. */
  readonly pingTimeoutMs?: number;
  /** Backoff of `subscribeToAll` after a dropped connection. Default 50 ms doubling up to 2 000 ms. */
  readonly resubscribe?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /**
   * Messages a subscription queues for a slow consumer before it pauses the server stream
   * (default 1 000), and the level at which it resumes (default 100).
   */
  readonly subscriptionBuffer?: { readonly highWater?: number; readonly lowWater?: number };
  /** Events fetched per request when `readAll` pages past system events. Default 1 000. */
  readonly readAllPageSize?: number;
}

export function createEsdbEventStore(connectionString: string, options: EsdbEventStoreOptions = {}): EsdbEventStore {
  return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
}

export class EsdbEventStore implements EventStore {
  readonly kind = 'eventstoredb';
  private closed = false;
  private readonly subscriptions = new Set<EsdbAllSubscription>();
  private readonly operationTimeoutMs: number;
  private readonly pingTimeoutMs: number;
  private readonly subscriptionSettings: SubscriptionSettings;
  private readonly readAllPageSize: number;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.operationTimeoutMs = options.operationTimeoutMs ?? 10_000;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
    const highWater = Math.max(1, options.subscriptionBuffer?.highWater ?? 1_000);
    this.subscriptionSettings = {
      initialDelayMs: options.resubscribe?.initialDelayMs ?? 50,
      maxDelayMs: options.resubscribe?.maxDelayMs ?? 2_000,
      highWater,
      lowWater: Math.min(highWater - 1, Math.max(0, options.subscriptionBuffer?.lowWater ?? 100)),
    };
    this.readAllPageSize = Math.max(1, options.readAllPageSize ?? 1_000);
  }

  async appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    this.assertOpen();
    const context: ErrorContext = { streamName, expectedRevision: options.expectedRevision, operation: 'append' };
    const eventData = events.map(toEventData);
    let result;
    try {
      // One time budget for the attempt and its retry. Retrying is safe: the same event ids at the
      // same expected revision make it idempotent (and a real server drops an idempotent retry
      // whose original is not replicated yet, answering Timeout: the retry then succeeds).
      result = await withTimeout(
        this.retryOnReconnect(() =>
          this.client.appendToStream(streamName, eventData, {
            expectedRevision: toClientExpectedRevision(options.expectedRevision),
            deadline: this.operationTimeoutMs,
          }),
        ),
        this.operationTimeoutMs,
        'append (its outcome is unknown: retry it with the same event ids)',
      );
    } catch (error) {
      throw mapEsdbError(error, context);
    }
    if (events.length === 0) return this.emptyAppendResult(streamName);
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    // Servers answer an idempotent retry without a position (`no_position`): read the original
    // last event back to return the original result.
    const position = result.position?.commit ?? (await this.positionAtRevision(streamName, nextExpectedRevision));
    return { nextExpectedRevision, position };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const read = () =>
      this.client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
    const resolved = await this.collect(read, this.operationTimeoutMs, { streamName, operation: 'readStream' });
    return resolved.flatMap((event) => toRecordedEvent(event) ?? []);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const result: RecordedEvent[] = [];
    if (maxCount <= 0) return result;
    const keep = (resolved: AllStreamResolvedEvent) => {
      if (isHiddenFromAll(resolved) || result.length >= maxCount) return;
      const event = toRecordedEvent(resolved);
      if (event) result.push(event);
    };

    if (options.direction === 'backwards') {
      let before: EsdbPosition | undefined;
      if (options.fromPosition !== undefined) {
        // EventStoreDB reads backwards from a position exclusively; the port's fromPosition is inclusive.
        const at = { commit: options.fromPosition, prepare: options.fromPosition };
        const [first] = await this.readAllPage(FORWARDS, at, 1);
        if (first && comparePositions(positionOf(first), at) === 0) keep(first);
        before = at;
      }
      while (result.length < maxCount) {
        const page = await this.readAllPage(BACKWARDS, before ?? END, this.readAllPageSize);
        for (const resolved of page) {
          const position = positionOf(resolved);
          if (before && comparePositions(position, before) >= 0) continue;
          before = position;
          keep(resolved);
        }
        if (page.length < this.readAllPageSize) break;
      }
      return result;
    }

    let after: EsdbPosition | undefined;
    let from: ReadPosition = options.fromPosition !== undefined ? { commit: options.fromPosition, prepare: options.fromPosition } : START;
    while (result.length < maxCount) {
      // Forward reads include their start: each next page starts at the last event seen, dropped here.
      const requested = this.readAllPageSize + (after ? 1 : 0);
      const page = await this.readAllPage(FORWARDS, from, requested);
      let fresh = 0;
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (after && comparePositions(position, after) <= 0) continue;
        after = position;
        fresh += 1;
        keep(resolved);
      }
      if (fresh === 0 || page.length < requested) break;
      from = after!;
    }
    return result;
  }

  async setStreamMetadata(streamName: string, metadata: StreamMetadata): Promise<void> {
    this.assertOpen();
    assertValidStreamMetadata(metadata);
    const context: ErrorContext = { streamName: `$$${streamName}`, operation: 'append' };
    try {
      await withTimeout(
        this.retryOnReconnect(() =>
          this.client.setStreamMetadata(
            streamName,
            {
              ...(metadata.maxCount !== undefined ? { maxCount: metadata.maxCount } : {}),
              ...(metadata.maxAgeSeconds !== undefined ? { maxAge: metadata.maxAgeSeconds } : {}),
            },
            { deadline: this.operationTimeoutMs },
          ),
        ),
        this.operationTimeoutMs,
        'setStreamMetadata',
      );
    } catch (error) {
      throw mapEsdbError(error, context);
    }
  }

  async getStreamMetadata(streamName: string): Promise<StreamMetadata> {
    this.assertOpen();
    let result;
    try {
      result = await withTimeout(
        this.retryOnReconnect(() => this.client.getStreamMetadata(streamName)),
        this.operationTimeoutMs,
        'getStreamMetadata',
      );
    } catch (error) {
      throw mapEsdbError(error, { streamName: `$$${streamName}`, operation: 'readStream' });
    }
    const { maxCount, maxAge } = result.metadata ?? {};
    return {
      ...(typeof maxCount === 'number' ? { maxCount } : {}),
      ...(typeof maxAge === 'number' ? { maxAgeSeconds: maxAge } : {}),
    };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AsyncIterable<AllSubscriptionMessage> {
    return {
      [Symbol.asyncIterator]: () => {
        this.assertOpen();
        const subscription = new EsdbAllSubscription(this.client, options, this.subscriptionSettings, (finished) =>
          this.subscriptions.delete(finished),
        );
        this.subscriptions.add(subscription);
        return subscription;
      },
    };
  }

  /** A cheap real round trip: the last record of `$all`. */
  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.collect(() => this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }), this.pingTimeoutMs, {
        operation: 'ping',
      });
    } catch (error) {
      if (error instanceof EventStoreUnavailableError) throw error;
      throw new EventStoreUnavailableError('EventStoreDB did not answer a ping', { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const subscription of [...this.subscriptions]) subscription.finish();
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The EventStoreDB event store is closed');
  }

  private readAllPage(
    direction: typeof FORWARDS | typeof BACKWARDS,
    fromPosition: ReadPosition,
    maxCount: number,
  ): Promise<AllStreamResolvedEvent[]> {
    return this.collect(() => this.client.readAll({ direction, fromPosition, maxCount }), this.operationTimeoutMs, {
      operation: 'readAll',
    });
  }

  private async positionAtRevision(streamName: string, revision: number): Promise<bigint> {
    const [event] = await this.collect(
      () => this.client.readStream(streamName, { fromRevision: BigInt(revision), maxCount: 1 }),
      this.operationTimeoutMs,
      { streamName, operation: 'append' },
    );
    if (!event) throw new Error(`EventStoreDB reported revision ${revision} of ${streamName}, which cannot be read`);
    return positionOf(event).commit;
  }

  /** An empty append writes nothing: report the stream's revision and the last user position in `$all`. */
  private async emptyAppendResult(streamName: string): Promise<AppendResult> {
    let nextExpectedRevision = -1;
    try {
      const [last] = await this.readStream(streamName, { direction: 'backwards', maxCount: 1 });
      if (last) nextExpectedRevision = last.revision;
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    const [head] = await this.readAll({ direction: 'backwards', maxCount: 1 });
    return { nextExpectedRevision, position: head?.position ?? 0n };
  }

  /** Reads a whole (bounded) read stream within `timeoutMs`, retrying once after a dropped connection. */
  private async collect<T extends ResolvedEvent | AllStreamResolvedEvent>(
    createRead: () => StreamingRead<T>,
    timeoutMs: number,
    context: ErrorContext,
  ): Promise<T[]> {
    let current: StreamingRead<T> | undefined;
    const attempt = async () => {
      const read = createRead();
      current = read;
      const items: T[] = [];
      for await (const item of read) items.push(item);
      return items;
    };
    try {
      return await withTimeout(this.retryOnReconnect(attempt), timeoutMs, context.operation, () => {
        void current?.cancel().catch(() => undefined);
      });
    } catch (error) {
      throw mapEsdbError(error, context);
    }
  }

  /**
   * After the server restarts, the client's first call can still go out on the dead connection and
   * fail with CancelledError/UnavailableError; the client then reconnects, and the next call works.
   * So one transient failure is retried after a short pause, within the caller's time budget.
   * (A server that stays down fails again at once.)
   */
  private async retryOnReconnect<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      if (this.closed || error instanceof EventStoreUnavailableError || !isTransientEsdbError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_PAUSE_MS));
      return attempt();
    }
  }
}

const RECONNECT_PAUSE_MS = 25;

/** Rejects with EventStoreUnavailableError after `ms`; the late outcome of `promise` is ignored. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new EventStoreUnavailableError(`EventStoreDB did not answer within ${ms} ms: ${what}`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
