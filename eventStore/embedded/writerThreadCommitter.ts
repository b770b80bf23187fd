import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EventStoreUnavailableError } from '../errors';
import type { AppendResult, StreamMetadata } from '../port';
import type { Synchronous } from './eventDatabase';
import type { EventCommitter } from './eventCommitter';
import type { AppendRequest } from './eventWriter';
import { fromWriterError, type FromWriter, type ToWriter, type WriterThreadData } from './writerMessages';

/**
 * Whether a writer thread started with this process's own flags can load its script: always once
 * compiled; from the TypeScript sources only when this process loads `.ts` files through a require
 * hook given on its command line (the thread inherits the flags). Under Jest it cannot: Jest's
 * transform is not something a thread inherits, so tests pass `execArgv` explicitly.
 */
export function writerThreadCanStart(): boolean {
  return extname(__filename) !== '.ts' || typeof require.extensions['.ts'] === 'function';
}

interface Waiting {
  readonly resolve: (value: never) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Commits on the writer thread (writerThread.ts), which opens the same file with its own
 * connection: the fsync of a commit no longer holds the gateway's event loop. The thread is part
 * of this process, so a kill -9 takes both, and an append is acknowledged only after the thread
 * has committed it. The main thread keeps its own connection for reads (WAL: readers never wait
 * for the writer, and each read sees every commit acknowledged before it).
 */
export class WriterThreadCommitter implements EventCommitter {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private failure: Error | null = null;
  private closing = false;
  private readonly exited: Promise<void>;

  constructor(
    filename: string,
    synchronous: Synchronous,
    private readonly onCommitted: () => void,
    /** Node flags for the thread (by default the process's own, e.g. a require hook for TypeScript sources). */
    execArgv?: readonly string[],
  ) {
    const data: WriterThreadData = { filename, synchronous };
    // The thread's script sits beside this file: .js once compiled, .ts when run from the sources.
    this.worker = new Worker(join(__dirname, `writerThread${extname(__filename)}`), {
      workerData: data,
      ...(execArgv === undefined ? {} : { execArgv: [...execArgv] }),
    });
    // Idle, the thread does not keep the process alive; while a write is waiting it does.
    this.worker.unref();
    this.worker.on('message', (message: FromWriter) => this.receive(message));
    this.worker.on('error', (error) =>
      this.fail(new EventStoreUnavailableError("The embedded event store's writer stopped", { cause: error })),
    );
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.fail(new EventStoreUnavailableError('The embedded event store is closed'));
        resolve();
      }),
    );
  }

  append(request: AppendRequest): Promise<AppendResult> {
    return this.call({ kind: 'append', id: this.nextId, request });
  }

  setStreamMetadata(streamName: string, metadata: StreamMetadata): Promise<void> {
    return this.call({ kind: 'setStreamMetadata', id: this.nextId, streamName, metadata });
  }

  pruneExpiredEvents(): Promise<number> {
    return this.call({ kind: 'prune', id: this.nextId });
  }

  async close(): Promise<void> {
    // Held until the thread has closed its connection: a process exiting meanwhile would cut the close short.
    this.closing = true;
    this.worker.ref();
    if (this.failure === null) this.worker.postMessage({ kind: 'close' } satisfies ToWriter);
    await this.exited;
  }

  private call<T>(message: ToWriter & { readonly id: number }): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.nextId += 1;
    return new Promise<T>((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(message.id, { resolve: resolve as (value: never) => void, reject });
      this.worker.postMessage(message);
    });
  }

  private settle(id: number, settle: (waiting: Waiting) => void): void {
    const waiting = this.waiting.get(id);
    if (waiting === undefined) return;
    this.waiting.delete(id);
    if (this.waiting.size === 0 && !this.closing) this.worker.unref();
    settle(waiting);
  }

  private receive(message: FromWriter): void {
    switch (message.kind) {
      case 'committed':
        for (const outcome of message.outcomes) {
          if (outcome.ok) this.settle(outcome.id, (waiting) => waiting.resolve(outcome.result as never));
          else this.settle(outcome.id, (waiting) => waiting.reject(fromWriterError(outcome.error)));
        }
        this.onCommitted();
        return;
      case 'commitFailed': {
        const error = new EventStoreUnavailableError('The embedded event store failed to commit', { cause: new Error(message.message) });
        for (const id of message.ids) this.settle(id, (waiting) => waiting.reject(error));
        return;
      }
      case 'done':
        if (message.error !== undefined) {
          const error = fromWriterError(message.error);
          this.settle(message.id, (waiting) => waiting.reject(error));
        } else this.settle(message.id, (waiting) => waiting.resolve(message.value as never));
        return;
    }
  }

  /** Whatever still waits is told the store is gone; later calls are refused at once. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const id of [...this.waiting.keys()]) this.settle(id, (waiting) => waiting.reject(error));
  }
}
