/**
 * The event-store port. Semantics follow EventStoreDB so that every adapter
 * (embedded SQLite, EventStoreDB over gRPC) passes one contract suite.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who and why, stored beside every event. Never read by the domain. */
export interface EventMetadata {
  readonly commandId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: string;
  readonly occurredAt?: string;
  readonly [key: string]: JsonValue | undefined;
}

export interface EventToAppend {
  /** A uuid. Deterministic ids (UUID v5 of the command id) make retries idempotent. */
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

/**
 * A position in `$all`: strictly increasing, opaque, comparable.
 * Never contiguous and never assumed to start at 0.
 */
export type Position = bigint;

export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamName: string;
  /** 0-based revision of the event within its stream. */
  readonly revision: number;
  readonly position: Position;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
  /** When the store recorded it (ISO-8601). */
  readonly recordedAt: string;
}

export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

export interface AppendResult {
  /** Revision of the last event now in the stream (the one just written, or the original on an idempotent retry). */
  readonly nextExpectedRevision: number;
  /** Position of the last event of this append in `$all`. */
  readonly position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  readonly direction?: Direction;
  /** Inclusive, as in EventStoreDB. Defaults to the start (forwards) or the end (backwards). */
  readonly fromPosition?: Position;
  readonly maxCount?: number;
}

export type AllSubscriptionMessage =
  { readonly kind: 'event'; readonly event: RecordedEvent } | { readonly kind: 'caughtUp'; readonly position: Position | null };

export interface SubscribeToAllOptions {
  /** Exclusive: the subscription starts after this position. Omit to start from the beginning. */
  readonly fromPosition?: Position;
  /** Ends the subscription: the iterator completes. */
  readonly signal?: AbortSignal;
}

/**
 * Retention of one stream, as EventStoreDB's stream metadata (`$maxCount`, `$maxAge`): reads of
 * the stream return only what is retained; revisions keep counting (a truncated stream keeps its
 * revision numbers). Setting it replaces the previous metadata.
 */
export interface StreamMetadata {
  /** Keep only the newest this many events. */
  readonly maxCount?: number;
  /** Keep only events younger than this many seconds. */
  readonly maxAgeSeconds?: number;
}

export interface EventStore {
  /** A short name for logs and health output, e.g. `embedded` or `eventstoredb`. */
  readonly kind: string;
  appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Throws StreamNotFoundError for a stream that has no events. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Replaces the retention of `streamName` (which need not exist yet). */
  setStreamMetadata(streamName: string, metadata: StreamMetadata): Promise<void>;
  /** The stream's retention; `{}` when none was set. */
  getStreamMetadata(streamName: string): Promise<StreamMetadata>;
  /** User events only: system (`$`-prefixed) events and internal (`_`-prefixed) streams are skipped. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * A catch-up subscription to `$all` (user events only, as `readAll`): history in order, then one `caughtUp`
   * message, then live events. No gap, no duplicate; survives reconnects where the adapter can.
   */
  subscribeToAll(options?: SubscribeToAllOptions): AsyncIterable<AllSubscriptionMessage>;
  /** Resolves when the store answers; rejects with EventStoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function streamCategory(streamName: string): string {
  const dash = streamName.indexOf('-');
  return dash === -1 ? streamName : streamName.slice(0, dash);
}

export function isSystemEvent(event: { readonly type: string; readonly streamName: string }): boolean {
  return event.type.startsWith('$') || event.streamName.startsWith('$');
}

/**
 * The gateway's own bookkeeping (checkpoints, leases, idempotency keys, the payment ledger) lives
 * in streams whose names start with `_`. They are not shop events: `readAll` and `subscribeToAll`
 * skip them as they skip system events, so they never show in history or feeds, never count as
 * projection lag and never reach projections or process managers. Read them by stream name.
 */
export function isInternalStream(streamName: string): boolean {
  return streamName.startsWith('_');
}

/** Both adapters refuse the same metadata: each value, when given, is a whole number of at least 1. */
export function assertValidStreamMetadata(metadata: StreamMetadata): void {
  for (const [name, value] of Object.entries(metadata)) {
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < 1)) {
      throw new RangeError(`Stream metadata ${name} must be a whole number of at least 1, got ${String(value)}`);
    }
  }
}
