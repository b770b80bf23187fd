/**
 * The embedded event store: one SQLite file (WAL), in the gateway's process.
 *
 * Appends that arrive in the same event-loop turn are committed together in one
 * transaction (group commit), so one fsync acknowledges many concurrent mutations.
 * Each append in the group is checked and written in its own savepoint, so one
 * append's failure never affects another's.
 *
 * Stream retention (`setStreamMetadata`) lives in a table: `maxCount` deletes older rows as new ones
 * are written (truly bounded on disk), `maxAge` hides older rows on reads and deletes them on the
 * stream's next append. The table also remembers the last revision of such a stream, so revisions
 * keep counting when every row of it has been deleted. Internal (`_`-prefixed) streams are left out
 * of `$all` reads and subscriptions in SQL.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventStoreUnavailableError, StreamNotFoundError, WrongExpectedVersionError } from '../errors';
import { DataDirLock } from './dataDirLock';
import { TimeSlice } from './timeSlice';
import type {
  AllSubscriptionMessage,
  AppendResult,
  EventMetadata,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  JsonObject,
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
}

interface EventRow {
  position: number;
  event_id: string;
  stream_name: string;
  stream_revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

interface RetentionRow {
  max_count: number | null;
  max_age_seconds: number | null;
  last_revision: number | null;
}

interface PendingAppend {
  readonly streamName: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** SQL condition: the row is not in an internal (`_`-prefixed) stream (see `isInternalStream`). */
const USER_STREAM = "substr(stream_name, 1, 1) <> '_'";

/** How long a catch-up may run before it gives the event loop a turn (requests, timers, appends). */
const CATCH_UP_SLICE_MS = 4;

export class SqliteEventStore implements EventStore {
  readonly kind = 'embedded';
  private readonly db: Database.Database;
  private readonly statements;
  private readonly catchUpBatchSize: number;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private commitWaiters = new Set<() => void>();
  private closed = false;
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly lock: DataDirLock | null;

  constructor(options: SqliteEventStoreOptions) {
    this.lock = options.exclusiveDataDir === undefined ? null : DataDirLock.acquire(options.exclusiveDataDir);
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position        INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id        TEXT    NOT NULL,
        stream_name     TEXT    NOT NULL,
        stream_revision INTEGER NOT NULL,
        type            TEXT    NOT NULL,
        data            TEXT    NOT NULL,
        metadata        TEXT    NOT NULL,
        recorded_at     TEXT    NOT NULL,
        UNIQUE (stream_name, stream_revision)
      );
      -- Event ids are unique per stream (as in EventStoreDB), looked up for idempotent retries.
      CREATE INDEX IF NOT EXISTS events_by_stream_and_id ON events (stream_name, event_id);
      CREATE TABLE IF NOT EXISTS stream_metadata (
        stream_name     TEXT PRIMARY KEY,
        max_count       INTEGER,
        max_age_seconds INTEGER,
        -- The stream's revision when its rows may all have been deleted by retention.
        last_revision   INTEGER
      );
    `);
    this.catchUpBatchSize = options.catchUpBatchSize ?? 2000;
    this.statements = {
      currentRevision: this.db.prepare('SELECT MAX(stream_revision) AS revision FROM events WHERE stream_name = ?').pluck(),
      idsFrom: this.db.prepare(
        'SELECT event_id, stream_revision, position FROM events WHERE stream_name = ? AND stream_revision >= ? ORDER BY stream_revision LIMIT ?',
      ),
      revisionOfEvent: this.db.prepare('SELECT stream_revision FROM events WHERE stream_name = ? AND event_id = ?').pluck(),
      insert: this.db.prepare(
        'INSERT INTO events (event_id, stream_name, stream_revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      // `recorded_at >= ?`: the stream's maxAge cutoff ('' when it has none).
      readForwards: this.db.prepare(
        'SELECT * FROM events WHERE stream_name = ? AND stream_revision >= ? AND recorded_at >= ? ORDER BY stream_revision ASC LIMIT ?',
      ),
      readBackwards: this.db.prepare(
        'SELECT * FROM events WHERE stream_name = ? AND stream_revision <= ? AND recorded_at >= ? ORDER BY stream_revision DESC LIMIT ?',
      ),
      allForwards: this.db.prepare(`SELECT * FROM events WHERE position >= ? AND ${USER_STREAM} ORDER BY position ASC LIMIT ?`),
      allBackwards: this.db.prepare(`SELECT * FROM events WHERE position <= ? AND ${USER_STREAM} ORDER BY position DESC LIMIT ?`),
      allAfter: this.db.prepare(`SELECT * FROM events WHERE position > ? AND ${USER_STREAM} ORDER BY position ASC LIMIT ?`),
      retention: this.db.prepare('SELECT max_count, max_age_seconds, last_revision FROM stream_metadata WHERE stream_name = ?'),
      setRetention: this.db.prepare(
        `INSERT INTO stream_metadata (stream_name, max_count, max_age_seconds, last_revision) VALUES (?, ?, ?, ?)
         ON CONFLICT (stream_name) DO UPDATE SET max_count = excluded.max_count, max_age_seconds = excluded.max_age_seconds,
           last_revision = COALESCE(excluded.last_revision, last_revision)`,
      ),
      setLastRevision: this.db.prepare('UPDATE stream_metadata SET last_revision = ? WHERE stream_name = ?'),
      deleteUpToRevision: this.db.prepare('DELETE FROM events WHERE stream_name = ? AND stream_revision <= ?'),
      deleteRecordedBefore: this.db.prepare('DELETE FROM events WHERE stream_name = ? AND recorded_at < ?'),
      // Every stream's expired rows at once (recorded_at is ISO-8601 in UTC, as strftime writes it).
      deleteExpired: this.db.prepare(
        `DELETE FROM events WHERE position IN (
           SELECT events.position FROM stream_metadata JOIN events ON events.stream_name = stream_metadata.stream_name
           WHERE stream_metadata.max_age_seconds IS NOT NULL
             AND events.recorded_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || stream_metadata.max_age_seconds || ' seconds'))`,
      ),
      ping: this.db.prepare('SELECT 1').pluck(),
    };
    this.pruneExpiredEvents();
    this.pruneTimer = setInterval(() => this.pruneExpiredEvents(), 60 * 60 * 1000).unref();
  }

  appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('The embedded event store is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ streamName, events, expectedRevision: options.expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const group = this.pending;
    this.pending = [];
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    const appendOne = this.db.transaction((append: PendingAppend) => this.appendInTransaction(append));
    try {
      this.db.transaction(() => {
        for (const append of group) {
          try {
            outcomes.push({ ok: true, result: appendOne(append) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing in the group was acknowledged.
      for (const append of group)
        append.reject(new EventStoreUnavailableError('The embedded event store failed to commit', { cause: error }));
      return;
    }
    group.forEach((append, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) append.resolve(outcome.result);
      else append.reject(outcome.error);
    });
    this.wakeSubscribers();
  }

  private appendInTransaction({ streamName, events, expectedRevision }: PendingAppend): AppendResult {
    const retention = this.statements.retention.get(streamName) as RetentionRow | undefined;
    const current = this.currentRevision(streamName, retention);
    const actual = current ?? 'no_stream';
    const wrongVersion = () => new WrongExpectedVersionError(streamName, expectedRevision, actual);

    const retried = this.findIdempotentRetry(streamName, events, expectedRevision, current);
    if (retried === 'partial') throw wrongVersion();
    if (retried) return retried;

    if (expectedRevision === 'no_stream' && current !== null) throw wrongVersion();
    if (expectedRevision === 'stream_exists' && current === null) throw wrongVersion();
    if (typeof expectedRevision === 'number' && expectedRevision !== current) throw wrongVersion();

    let revision = current ?? -1;
    let position = 0;
    const recordedAt = new Date().toISOString();
    for (const event of events) {
      revision += 1;
      const info = this.statements.insert.run(
        event.id,
        streamName,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        recordedAt,
      );
      position = Number(info.lastInsertRowid);
    }
    if (retention && events.length > 0) this.applyRetention(streamName, retention, revision);
    if (events.length === 0) {
      return { nextExpectedRevision: current ?? -1, position: BigInt(this.lastPosition()) };
    }
    return { nextExpectedRevision: revision, position: BigInt(position) };
  }

  /**
   * EventStoreDB's idempotency rule: if the submitted ids are already in the stream right after
   * the expected revision (for `any`/`stream_exists`, wherever they start), the append is a retry
   * and returns the original result. Some but not all matching is a conflict.
   */
  private findIdempotentRetry(
    streamName: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
    current: number | null,
  ): AppendResult | 'partial' | null {
    if (events.length === 0 || current === null) return null;
    let from: number;
    if (typeof expectedRevision === 'number') from = expectedRevision + 1;
    else if (expectedRevision === 'no_stream') from = 0;
    else {
      const existing = this.statements.revisionOfEvent.get(streamName, events[0]!.id) as number | undefined;
      if (existing === undefined) return null;
      from = existing;
    }
    if (from > current) return null;
    const rows = this.statements.idsFrom.all(streamName, from, events.length) as Array<{
      event_id: string;
      stream_revision: number;
      position: number;
    }>;
    const matching = rows.filter((row, index) => row.event_id === events[index]!.id).length;
    if (matching === events.length) {
      const last = rows[rows.length - 1]!;
      return { nextExpectedRevision: last.stream_revision, position: BigInt(last.position) };
    }
    return matching > 0 || events.some((e) => this.statements.revisionOfEvent.get(streamName, e.id) !== undefined) ? 'partial' : null;
  }

  private currentRevision(streamName: string, retention: RetentionRow | undefined): number | null {
    const newest = this.statements.currentRevision.get(streamName) as number | null;
    return newest ?? retention?.last_revision ?? null;
  }

  /** Deletes what the stream's retention no longer keeps, and remembers its last revision. */
  private applyRetention(streamName: string, retention: RetentionRow, lastRevision: number | null): void {
    if (lastRevision === null) return;
    this.statements.setLastRevision.run(lastRevision, streamName);
    if (retention.max_count !== null) this.statements.deleteUpToRevision.run(streamName, lastRevision - retention.max_count);
    const cutoff = maxAgeCutoff(retention);
    if (cutoff !== '') this.statements.deleteRecordedBefore.run(streamName, cutoff);
  }

  async setStreamMetadata(streamName: string, metadata: StreamMetadata): Promise<void> {
    this.assertOpen();
    assertValidStreamMetadata(metadata);
    this.db.transaction(() => {
      const current = this.statements.currentRevision.get(streamName) as number | null;
      this.statements.setRetention.run(streamName, metadata.maxCount ?? null, metadata.maxAgeSeconds ?? null, current);
      const retention = this.statements.retention.get(streamName) as RetentionRow;
      this.applyRetention(streamName, retention, this.currentRevision(streamName, retention));
    })();
  }

  async getStreamMetadata(streamName: string): Promise<StreamMetadata> {
    this.assertOpen();
    const retention = this.statements.retention.get(streamName) as RetentionRow | undefined;
    return {
      ...(retention?.max_count != null ? { maxCount: retention.max_count } : {}),
      ...(retention?.max_age_seconds != null ? { maxAgeSeconds: retention.max_age_seconds } : {}),
    };
  }

  /** The last user position, as EventStoreDB's adapter reports for an empty append (the read side never reaches internal ones). */
  private lastPosition(): number {
    return (
      (this.db.prepare(`SELECT position FROM events WHERE ${USER_STREAM} ORDER BY position DESC LIMIT 1`).pluck().get() as
        number | undefined) ?? 0
    );
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
    ) as EventRow[];
    if (rows.length === 0 && this.currentRevision(streamName, retention) === null) {
      throw new StreamNotFoundError(streamName);
    }
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? MAX_COUNT;
    const rows = (
      options.direction === 'backwards'
        ? this.statements.allBackwards.all(options.fromPosition ?? BigInt(MAX_COUNT), maxCount)
        : this.statements.allForwards.all(options.fromPosition ?? 0n, maxCount)
    ) as EventRow[];
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AsyncIterable<AllSubscriptionMessage> {
    return { [Symbol.asyncIterator]: () => this.catchUp(options) };
  }

  private async *catchUp({ fromPosition, signal }: SubscribeToAllOptions): AsyncGenerator<AllSubscriptionMessage> {
    let checkpoint: Position = fromPosition ?? 0n;
    let caughtUp = false;
    const slice = new TimeSlice(CATCH_UP_SLICE_MS);
    while (!this.closed && !signal?.aborted) {
      // Read and, when nothing is left, register for the next commit in the same synchronous
      // step: a commit cannot slip in between, so no wake-up is lost.
      const rows = this.statements.allAfter.all(checkpoint, this.catchUpBatchSize) as EventRow[];
      if (rows.length === 0) {
        if (!caughtUp) {
          caughtUp = true;
          yield { kind: 'caughtUp', position: checkpoint === 0n ? null : checkpoint };
          continue;
        }
        await this.nextCommit(signal);
        continue;
      }
      for (const row of rows) {
        checkpoint = BigInt(row.position);
        yield { kind: 'event', event: toRecordedEvent(row) };
        if (signal?.aborted) return;
        // The rows are read synchronously and a `for await` over this generator resolves in
        // microtasks only: without a macrotask turn now and then, a long replay (start-up,
        // rebuild) would hold the event loop for its whole length and the gateway would answer nothing.
        if (slice.due()) await slice.yieldTurn();
      }
    }
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
  pruneExpiredEvents(): number {
    if (this.closed) return 0;
    return this.statements.deleteExpired.run().changes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.wakeSubscribers();
    for (const append of this.pending) append.reject(new EventStoreUnavailableError('The embedded event store is closed'));
    this.pending = [];
    this.db.close();
    this.lock?.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The embedded event store is closed');
  }
}

/** The oldest `recorded_at` the stream's maxAge keeps ('' keeps everything). ISO-8601 strings sort as times. */
function maxAgeCutoff(retention: RetentionRow): string {
  if (retention.max_age_seconds === null) return '';
  return new Date(Date.now() - retention.max_age_seconds * 1000).toISOString();
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamName: row.stream_name,
    revision: row.stream_revision,
    position: BigInt(row.position),
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    recordedAt: row.recorded_at,
  };
}
