/**
 * Where the embedded store's writes go: the one connection that writes, on this thread
 * (InThreadCommitter) or on a worker thread (WriterThreadCommitter). Appends made in the same turn
 * are committed together either way (group commit), and an append is acknowledged only once its
 * transaction is durable. `onCommitted` runs after each commit's appends are settled, so a
 * subscription woken by it reads rows that are there.
 */
import type { AppendResult, StreamMetadata } from '../port';
import type { AppendRequest } from './eventWriter';

export interface EventCommitter {
  append(request: AppendRequest): Promise<AppendResult>;
  /** Replaces the stream's retention (validated by the caller) and applies it at once. */
  setStreamMetadata(streamName: string, metadata: StreamMetadata): Promise<void>;
  /** Deletes the rows every stream's maxAge has expired; resolves with how many. */
  pruneExpiredEvents(): Promise<number>;
  /** Settles every append already made, rejects later ones, and releases the connection. */
  close(): Promise<void>;
}
