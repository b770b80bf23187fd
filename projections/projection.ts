import type { RecordedEvent } from '../eventStore/port';
import { streamCategory } from '../eventStore/port';
import type { DocumentStore } from './documentStore';

/** When the event happened (the command's time from its metadata), else when the store recorded it. */
export const occurredAt = (event: RecordedEvent): string =>
  typeof event.metadata.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt;

/** One document that an event changed: its new state, or null when it was deleted. */
export interface DocumentChange<Document = unknown> {
  readonly projection: string;
  readonly id: string;
  readonly document: Document | null;
  readonly event: RecordedEvent;
}

export interface Projection {
  readonly name: string;
  handles(eventType: string): boolean;
  /**
   * Whether a stream's events concern this projection whatever their type: an event of an unknown
   * type on such a stream is a dead letter, not something to ignore.
   */
  concerns(streamName: string): boolean;
  /**
   * The sequence a stream's events belong to (an aggregate, as Axon's sequencing policy): events
   * of one sequence are applied in order, and a dead letter parks only its own sequence.
   */
  sequenceOf(streamName: string): string;
  /** Why a stored event must not be applied (it fails its schema), or null when it may. */
  check(event: RecordedEvent): string | null;
  /** Applies one event; returns the documents it changed (none when the event was already applied). */
  apply(event: RecordedEvent): readonly DocumentChange[];
}

/**
 * A projection of one document per id, built by a pure reducer. `evolve` returns the same
 * document (by reference) to say "nothing changed", e.g. for an event it has already applied.
 */
export interface DocumentProjectionDefinition<Document> {
  readonly name: string;
  readonly eventTypes: ReadonlySet<string>;
  /** Stream categories the documents are folded from. */
  readonly categories: ReadonlySet<string>;
  /** Defaults to the stream: each stream its own sequence. */
  readonly sequenceOf?: (streamName: string) => string;
  readonly check: (event: RecordedEvent) => string | null;
  readonly documentId: (event: RecordedEvent) => string;
  readonly evolve: (document: Document | null, event: RecordedEvent) => Document | null;
}

export function documentProjection<Document>(
  definition: DocumentProjectionDefinition<Document>,
  store: DocumentStore<Document>,
): Projection {
  return {
    name: definition.name,
    handles: (eventType) => definition.eventTypes.has(eventType),
    concerns: (streamName) => definition.categories.has(streamCategory(streamName)),
    sequenceOf: definition.sequenceOf ?? ((streamName) => streamName),
    check: definition.check,
    apply(event) {
      const id = definition.documentId(event);
      const current = store.get(id) ?? null;
      const next = definition.evolve(current, event);
      if (next === current) return [];
      if (next === null) store.delete(id);
      else store.set(id, next);
      return [{ projection: definition.name, id, document: next, event }];
    },
  };
}
