/** Small helpers for specs that drive a store with events of no aggregate, and wait on what follows. */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../eventStore/port';

/** Appends `count` events, one per new stream of `category`, one append each (each its own position). */
export async function appendEvents(store: EventStore, category: string, type: string, count: number): Promise<void> {
  for (let n = 0; n < count; n += 1) {
    await store.appendToStream(`${category}-${randomUUID()}`, [{ id: randomUUID(), type, data: { n }, metadata: {} }], {
      expectedRevision: 'no_stream',
    });
  }
}

/** Resolves once `condition` holds; fails naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
