/**
 * The writer thread: owns the embedded store's writing connection, so a commit's fsync holds this
 * thread and not the gateway's event loop (which goes on parsing requests and answering reads
 * meanwhile). Appends that arrive in the same turn of this thread are one group commit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openEventDatabase } from './eventDatabase';
import { EventWriter, type AppendRequest } from './eventWriter';
import { toWriterError, type FromWriter, type ToWriter, type WriterThreadData } from './writerMessages';

const port = parentPort!;
const { filename, synchronous } = workerData as WriterThreadData;
const db = openEventDatabase(filename, synchronous);
const writer = new EventWriter(db);
let pending: Array<{ readonly id: number; readonly request: AppendRequest }> = [];
let flushScheduled = false;

const send = (message: FromWriter) => port.postMessage(message);

function flush(): void {
  flushScheduled = false;
  const group = pending;
  pending = [];
  if (group.length === 0) return;
  let outcomes;
  try {
    outcomes = writer.commitGroup(group.map((append) => append.request));
  } catch (error) {
    // The commit itself failed (disk full, I/O error): nothing in the group was acknowledged.
    send({ kind: 'commitFailed', ids: group.map((append) => append.id), message: error instanceof Error ? error.message : String(error) });
    return;
  }
  send({
    kind: 'committed',
    outcomes: group.map(({ id }, index) => {
      const outcome = outcomes[index]!;
      return outcome.ok
        ? { id, ok: true as const, result: outcome.result }
        : { id, ok: false as const, error: toWriterError(outcome.error) };
    }),
  });
}

function answer(id: number, work: () => number | void): void {
  // Earlier appends first: a write made after them must not overtake them.
  flush();
  try {
    const value = work();
    send({ kind: 'done', id, ...(typeof value === 'number' ? { value } : {}) });
  } catch (error) {
    send({ kind: 'done', id, error: toWriterError(error) });
  }
}

port.on('message', (message: ToWriter) => {
  switch (message.kind) {
    case 'append':
      pending.push({ id: message.id, request: message.request });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
      return;
    case 'setStreamMetadata':
      answer(message.id, () => writer.setStreamMetadata(message.streamName, message.metadata));
      return;
    case 'prune':
      answer(message.id, () => writer.pruneExpiredEvents());
      return;
    case 'close':
      flush();
      db.close();
      port.close();
      return;
  }
});
