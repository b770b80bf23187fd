/**
 * The embedded event store: one SQLite file (WAL), in the gateway's process.
 *
 * Appends that arrive in the same event-loop turn are committed together in one
 * transaction (group commit), so one fsync acknowledges many concurrent mutations.
 * Each append in the group is checked and written in its own savepoint, so one
 * append's failure never affects another's. Writes go to an EventCommitter: this thread's
 * connection, or (`writerThread`) a worker thread's, so the fsync does not hold the event loop;
 * reads always use this thread's connection.
 *
 * Stream retention (`setStreamMetadata`) lives in a table: `maxCount` deletes older rows as new ones
 * are written (truly bounded on disk), `maxAge` hides older rows on reads and deletes them on the
 * stream's next append. The table also remembers the last revision of such a stream, so revisions
 * keep counting when every row of it has been deleted. Internal (`_`-prefixed) streams are left out
 * of `$all` reads and subscriptions in SQL.
 */
import type Database from 'better-sqlite3';
import { EventStoreUnavailableError, StreamNotFoundError } from '../errors';
import { CatchUpSubscription } from './catchUpSubscription';
import { DataDirLock } from './dataDirLock';
import {
  maxAgeCutoff,
  openEventDatabase,
  SELECT_CURRENT_REVISION,
  SELECT_RETENTION,
  USER_STREAM,
  type RetentionRow,
} from './eventDatabase';
import type { EventCommitter } from './eventCommitter';
import { EventWriter } from './eventWriter';
import { InThreadCommitter } from './inThreadCommitter';
import { STORED_EVENT_COLUMNS, storedEventFromRow, type StoredEventRow } from './storedEvent';
import { WriterThreadCommitter, writerThreadCanStart } from './writerThreadCommitter';
import type {
  AllSubscriptionMessage,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamMetadata,
  SubscribeToAllOptions,
} from '../port';
import { assertValidStreamMetadata } from '../port';

export interface SqliteEventStoreOptions {
  /** A file path, or ':memory:' for tests. */
  readonly filename: string;
  /**
   * 'full' (default) fsyncs the WAL on every commit: an acknowledged append survives
   * a power cut. 'normal' survives a process crash but not a power cut.
   */
  readonly synchronous?: 'full' | 'normal';
  /** Rows fetched per query while a subscription catches up. */
  readonly catchUpBatchSize?: number;
  /**
   * Take this directory for this process alone (DataDirLock) before opening the file, until `close()`:
   * the gateway passes its DATA_DIR. Throws DataDirInUseError when another process holds it.
   */
  readonly exclusiveDataDir?: string;
  /**
   * Commit on a worker thread with its own connection (a file only; an in-memory database cannot
   * be shared): the gateway's choice. `true` falls back to this thread where the thread could not
   * load its script (see writerThreadCanStart: TypeScript sources under Jest). `execArgv`: Node
   * flags for the thread, when the process's own do not fit (Jest tests pass a require hook).
   */
  readonly writerThread?: boolean | { readonly execArgv?: readonly string[] };
}

const MAX_COUNT = Number.MAX_SAFE_INTEGER;

export class SqliteEventStore implements EventStore {
  readonly kind = 'embedded';
  private readonly db: Database.Database;
  private readonly statements;
  private readonly catchUpBatchSize: number;
  private readonly committer: EventCommitter;
  private commitWaiters = new Set<() => void>();
  private closed = false;
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly lock: DataDirLock | null;

  constructor(options: SqliteEventStoreOptions) {
    this.lock = options.exclusiveDataDir === undefined ? null : DataDirLock.acquire(options.exclusiveDataDir);
    const synchronous = options.synchronous ?? 'full';
    // Opened (and the schema created) here first, so the writer thread finds the tables there.
    this.db = openEventDatabase(options.filename, synchronous);
    this.catchUpBatchSize = options.catchUpBatchSize ?? 2000;
    this.statements = {
      currentRevision: this.db.prepare(SELECT_CURRENT_REVISION).pluck(),
      // `recorded_at >= ?`: the stream's maxAge cutoff ('' when it has none).
      readForwards: this.db
        .prepare(
          `SELECT ${STORED_EVENT_COLUMNS} FROM events WHERE stream_name = ? AND stream_revision >= ? AND recorded_at >= ? ORDER BY stream_revision ASC LIMIT ?`,
        )
        .raw(),
      readBackwards: this.db
        .prepare(
          `SELECT ${STORED_EVENT_COLUMNS} FROM events WHERE stream_name = ? AND stream_revision <= ? AND recorded_at >= ? ORDER BY stream_revision DESC LIMIT ?`,
        )
        .raw(),
      allForwards: this.db
        .prepare(`SELECT ${STORED_EVENT_COLUMNS} FROM events WHERE position >= ? AND ${USER_STREAM} ORDER BY position ASC LIMIT ?`)
        .raw(),
      allBackwards: this.db
        .prepare(`SELECT ${STORED_EVENT_COLUMNS} FROM events WHERE position <= ? AND ${USER_STREAM} ORDER BY position DESC LIMIT ?`)
        .raw(),
      allAfter: this.db
        .prepare(`SELECT ${STORED_EVENT_COLUMNS} FROM events WHERE position > ? AND ${USER_STREAM} ORDER BY position ASC LIMIT ?`)
        .raw(),
      retention: this.db.prepare(SELECT_RETENTION),
      ping: this.db.prepare('SELECT 1').pluck(),
    };
    // At open, before any writer runs: a store opened after a long pause is already pruned when the constructor returns.
    new EventWriter(this.db).pruneExpiredEvents();
    const wake = () => this.wakeSubscribers();
    const thread = options.writerThread;
    this.committer =
      options.filename !== ':memory:' && (typeof thread === 'object' || (thread === true && writerThreadCanStart()))
        ? new WriterThreadCommitter(options.filename, synchronous, wake, thread === true ? undefined : thread.execArgv)
        : new InThreadCommitter(this.db, wake);
    this.pruneTimer = setInterval(() => void this.pruneExpiredEvents().catch(() => {}), 60 * 60 * 1000).unref();
  }

  appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('The embedded event store is closed'));
    const serialized = events.map((event) => ({
      id: event.id,
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata),
    }));
    return this.committer.append({ streamName, events: serialized, expectedRevision: options.expectedRevision });
  }

  private currentRevision(streamName: string, retention: RetentionRow | undefined): number | null {
    const newest = this.statements.currentRevision.get(streamName) as number | null;
    return newest ?? retention?.last_revision ?? null;
  }

  async setStreamMetadata(streamName: string, metadata: StreamMetadata): Promise<void> {
    this.assertOpen();
    assertValidStreamMetadata(metadata);
    await this.committer.setStreamMetadata(streamName, metadata);
  }

  async getStreamMetadata(streamName: string): Promise<StreamMetadata> {
    this.assertOpen();
    const retention = this.statements.retention.get(streamName) as RetentionRow | undefined;
    return {
      ...(retention?.max_count != null ? { maxCount: retention.max_count } : {}),
      ...(retention?.max_age_seconds != null ? { maxAgeSeconds: retention.max_age_seconds } : {}),
    };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? MAX_COUNT;
    const retention = this.statements.retention.get(streamName) as RetentionRow | undefined;
    const cutoff = retention ? maxAgeCutoff(retention) : '';
    const rows = (
      options.direction === 'backwards'
        ? this.statements.readBackwards.all(streamName, options.fromRevision ?? MAX_COUNT, cutoff, maxCount)
        : this.statements.readForwards.all(streamName, options.fromRevision ?? 0, cutoff, maxCount)
    ) as StoredEventRow[];
    if (rows.length === 0 && this.currentRevision(streamName, retention) === null) {
      throw new StreamNotFoundError(streamName);
    }
    return rows.map(storedEventFromRow);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? MAX_COUNT;
    const rows = (
      options.direction === 'backwards'
        ? this.statements.allBackwards.all(options.fromPosition ?? BigInt(MAX_COUNT), maxCount)
        : this.statements.allForwards.all(options.fromPosition ?? 0n, maxCount)
    ) as StoredEventRow[];
    return rows.map(storedEventFromRow);
  }

  subscribeToAll({ fromPosition, signal }: SubscribeToAllOptions = {}): AsyncIterable<AllSubscriptionMessage> {
    const source = {
      readPageAfter: (position: Position) => this.statements.allAfter.all(position, this.catchUpBatchSize) as StoredEventRow[],
      nextCommit: (abort?: AbortSignal) => this.nextCommit(abort),
      isClosed: () => this.closed,
    };
    return { [Symbol.asyncIterator]: () => new CatchUpSubscription(source, fromPosition, signal) };
  }

  private nextCommit(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.commitWaiters.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      this.commitWaiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  private wakeSubscribers(): void {
    for (const wake of [...this.commitWaiters]) wake();
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.statements.ping.get();
  }

  /**
   * Deletes the rows every stream's maxAge has expired. Appends prune their own stream; this covers
   * streams written once and never again (an idempotency key's claim). Runs at open and hourly.
   */
  pruneExpiredEvents(): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    return this.committer.pruneExpiredEvents();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.wakeSubscribers();
    await this.committer.close();
    this.db.close();
    this.lock?.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The embedded event store is closed');
  }
}
