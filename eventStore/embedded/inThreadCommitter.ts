import type Database from 'better-sqlite3';
import { EventStoreUnavailableError } from '../errors';
import type { AppendResult, StreamMetadata } from '../port';
import type { EventCommitter } from './eventCommitter';
import { EventWriter, type AppendRequest } from './eventWriter';

interface PendingAppend {
  readonly request: AppendRequest;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Commits on the calling thread's own connection: what an in-memory store (which no other thread
 * can open) and tests use. The commit, fsync included, holds this thread while it runs.
 */
export class InThreadCommitter implements EventCommitter {
  private readonly writer: EventWriter;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(
    db: Database.Database,
    private readonly onCommitted: () => void,
  ) {
    this.writer = new EventWriter(db);
  }

  append(request: AppendRequest): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('The embedded event store is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
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
    if (group.length === 0) return;
    let outcomes;
    try {
      outcomes = this.writer.commitGroup(group.map((append) => append.request));
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
    this.onCommitted();
  }

  async setStreamMetadata(streamName: string, metadata: StreamMetadata): Promise<void> {
    this.writer.setStreamMetadata(streamName, metadata);
  }

  async pruneExpiredEvents(): Promise<number> {
    return this.closed ? 0 : this.writer.pruneExpiredEvents();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const append of this.pending) append.reject(new EventStoreUnavailableError('The embedded event store is closed'));
    this.pending = [];
  }
}
