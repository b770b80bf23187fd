/**
 * A recorded event read from the embedded store's `events` table, its JSON parsed only when read.
 *
 * A replay hands every event to every reader of `$all`, but most readers look at few of them (a
 * projection skips other categories by stream name and type) and at little of each (the inventory
 * view reads `metadata.occurredAt`, never `commandId`). Parsing `data` and `metadata` on first
 * access, once, keeps an event that nobody opens as cheap as its row.
 *
 * The getters live on the prototype: spread (`{ ...event }`) and `Object.keys` do not see them.
 * Code that copies an event names its fields (see application/upcastingEventStore.ts).
 */
import type { EventMetadata, JsonObject, RecordedEvent } from '../port';

/** The columns `storedEventFromRow` reads, in this order: a raw (array) row costs no per-row object with named keys. */
export const STORED_EVENT_COLUMNS = 'position, event_id, stream_name, stream_revision, type, data, metadata, recorded_at';

export type StoredEventRow = [
  position: number,
  eventId: string,
  streamName: string,
  streamRevision: number,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
];

export class StoredEvent implements RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamName: string;
  readonly revision: number;
  readonly position: bigint;
  readonly recordedAt: string;
  #dataJson: string | null;
  #data: JsonObject | undefined;
  #metadataJson: string | null;
  #metadata: EventMetadata | undefined;

  constructor(row: StoredEventRow) {
    this.id = row[1];
    this.type = row[4];
    this.streamName = row[2];
    this.revision = row[3];
    this.position = BigInt(row[0]);
    this.recordedAt = row[7];
    this.#dataJson = row[5];
    this.#data = undefined;
    this.#metadataJson = row[6];
    this.#metadata = undefined;
  }

  get data(): JsonObject {
    if (this.#dataJson !== null) {
      this.#data = JSON.parse(this.#dataJson) as JsonObject;
      this.#dataJson = null;
    }
    return this.#data!;
  }

  get metadata(): EventMetadata {
    if (this.#metadataJson !== null) {
      this.#metadata = JSON.parse(this.#metadataJson) as EventMetadata;
      this.#metadataJson = null;
    }
    return this.#metadata!;
  }

  /** What JSON.stringify and structured logs see: every field, parsed. */
  toJSON(): RecordedEvent {
    return {
      id: this.id,
      type: this.type,
      streamName: this.streamName,
      revision: this.revision,
      position: this.position,
      data: this.data,
      metadata: this.metadata,
      recordedAt: this.recordedAt,
    };
  }
}

export function storedEventFromRow(row: StoredEventRow): RecordedEvent {
  return new StoredEvent(row);
}
