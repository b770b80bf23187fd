/**
 * Where a process manager remembers how far it has acted: one current value, kept in the event
 * store itself so it works the same on every backend, is shared by every instance (the one that
 * takes over resumes from it) and needs no other database.
 *
 * The value is the newest event of the internal stream `_checkpoint-<name>`, whose stream metadata
 * keeps one event (`$maxCount` 1): EventStoreDB drops the older ones on scavenge, the embedded store
 * deletes them as it writes. Internal streams are not shop events, so checkpoints never appear in
 * `$all` reads, history, feeds or projection lag.
 */
import { randomUUID } from 'node:crypto';
import { StreamNotFoundError } from '../eventStore/errors';
import type { EventStore, Position } from '../eventStore/port';

export const CHECKPOINT_EVENT_TYPE = 'ProcessManagerCheckpointStored';
export const CHECKPOINT_STREAM_PREFIX = '_checkpoint-';
/** Where checkpoints were kept before they became one value: read once when the new stream is empty. */
const LEGACY_CHECKPOINT_CATEGORY = 'processManagerCheckpoint';

export function checkpointStreamName(name: string): string {
  return `${CHECKPOINT_STREAM_PREFIX}${name}`;
}

export class EventStoreCheckpointStore {
  private readonly bounded = new Set<string>();

  constructor(private readonly store: EventStore) {}

  async load(name: string): Promise<Position | null> {
    return (await this.latest(checkpointStreamName(name))) ?? (await this.latest(`${LEGACY_CHECKPOINT_CATEGORY}-${name}`));
  }

  async save(name: string, position: Position): Promise<void> {
    const streamName = checkpointStreamName(name);
    if (!this.bounded.has(streamName)) {
      // Setting the same metadata again is harmless: done once per process, before the first write.
      await this.store.setStreamMetadata(streamName, { maxCount: 1 });
      this.bounded.add(streamName);
    }
    await this.store.appendToStream(
      streamName,
      [{ id: randomUUID(), type: CHECKPOINT_EVENT_TYPE, data: { position: position.toString() }, metadata: { actor: name } }],
      { expectedRevision: 'any' },
    );
  }

  private async latest(streamName: string): Promise<Position | null> {
    try {
      const [latest] = await this.store.readStream(streamName, { direction: 'backwards', maxCount: 1 });
      const position = latest?.data.position;
      return typeof position === 'string' ? BigInt(position) : null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
  }
}
