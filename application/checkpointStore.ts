/**
 * Where a process manager remembers how far it has acted. Kept in the event store itself (one
 * stream per process manager) so it works the same on every backend and needs no other database.
 */
import { StreamNotFoundError } from '../eventStore/errors';
import type { EventStore, Position } from '../eventStore/port';
import { newId } from './ids';

export const CHECKPOINT_EVENT_TYPE = 'ProcessManagerCheckpointStored';
export const CHECKPOINT_CATEGORY = 'processManagerCheckpoint';

export class EventStoreCheckpointStore {
  constructor(private readonly store: EventStore) {}

  private streamName(name: string): string {
    return `${CHECKPOINT_CATEGORY}-${name}`;
  }

  async load(name: string): Promise<Position | null> {
    try {
      const [latest] = await this.store.readStream(this.streamName(name), { direction: 'backwards', maxCount: 1 });
      const position = latest?.data.position;
      return typeof position === 'string' ? BigInt(position) : null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
  }

  async save(name: string, position: Position): Promise<void> {
    await this.store.appendToStream(
      this.streamName(name),
      [{ id: newId(), type: CHECKPOINT_EVENT_TYPE, data: { position: position.toString() }, metadata: { actor: name } }],
      { expectedRevision: 'any' },
    );
  }
}
