/**
 * The one place stored events become current-shape events: a decorator of the event-store port
 * that upcasts every event it returns (readStream, readAll, subscribeToAll), so every reader —
 * command handling, the projections' catch-up subscription, the process manager, history, time
 * travel, the event feed and the timeline — sees the shapes the code knows, on either backend.
 *
 * - An upcast event keeps its id, stream, revision and position; its type and data are the current
 *   ones and `metadata.schemaVersion` the current version. `metadata.upcastFrom` says what was
 *   stored (`ItemsCheckedIntoInventory@1`), for whoever reads the history.
 * - An event this code cannot read (a version newer than it knows, an unknown type) is returned as
 *   stored: the schema checks refuse it by name and version, so it is dead-lettered, answered with
 *   CORRUPT_STREAM, or shown in the history exactly as stored — never folded as something it is not.
 * - Appends stamp each event of a known type with its current version: writes always store it.
 */
import { SCHEMA_VERSION, storedSchemaVersion, upcastEvent, type EventVersioning } from '../domain/eventVersioning';
import type { AllSubscriptionMessage, EventStore, EventToAppend, JsonObject, RecordedEvent } from '../eventStore/port';
import { streamCategory } from '../eventStore/port';

/** Metadata key naming the stored type and version of an event that was upcast on read. */
export const UPCAST_FROM = 'upcastFrom';

export function upcastingEventStore(store: EventStore, versioningByCategory: ReadonlyMap<string, EventVersioning>): EventStore {
  const upcast = (event: RecordedEvent): RecordedEvent => {
    const versioning = versioningByCategory.get(streamCategory(event.streamName));
    if (versioning === undefined) return event;
    const version = storedSchemaVersion(event.metadata);
    // Most events are current: they pass through untouched, with nothing allocated.
    if (version === null || versioning.currentVersions[event.type] === version) return event;
    const result = upcastEvent(versioning, { type: event.type, version, data: event.data });
    if (result.kind !== 'upcast') return event;
    // Fields named, not spread: an adapter's event may compute `data` and `metadata` on access (eventStore/embedded/storedEvent.ts).
    return {
      id: event.id,
      type: result.event.type,
      streamName: event.streamName,
      revision: event.revision,
      position: event.position,
      data: result.event.data as JsonObject,
      metadata: { ...event.metadata, [SCHEMA_VERSION]: result.event.version, [UPCAST_FROM]: `${event.type}@${version}` },
      recordedAt: event.recordedAt,
    };
  };
  const stamp = (streamName: string, event: EventToAppend): EventToAppend => {
    const current = versioningByCategory.get(streamCategory(streamName))?.currentVersions;
    if (current === undefined || !Object.hasOwn(current, event.type)) return event;
    return { ...event, metadata: { ...event.metadata, [SCHEMA_VERSION]: current[event.type]! } };
  };

  return {
    kind: store.kind,
    appendToStream: (streamName, events, options) =>
      store.appendToStream(
        streamName,
        events.map((event) => stamp(streamName, event)),
        options,
      ),
    readStream: async (streamName, options) => (await store.readStream(streamName, options)).map(upcast),
    readAll: async (options) => (await store.readAll(options)).map(upcast),
    subscribeToAll: (options) => mapMessages(store.subscribeToAll(options), upcast),
    setStreamMetadata: (streamName, metadata) => store.setStreamMetadata(streamName, metadata),
    getStreamMetadata: (streamName) => store.getStreamMetadata(streamName),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

/** The subscription's messages with each event upcast; ending or abandoning it ends the store's. */
function mapMessages(
  messages: AsyncIterable<AllSubscriptionMessage>,
  upcast: (event: RecordedEvent) => RecordedEvent,
): AsyncIterable<AllSubscriptionMessage> {
  // A current event (nearly all of them) passes through in the message it came in: nothing is allocated for it.
  const map = (result: IteratorResult<AllSubscriptionMessage>): IteratorResult<AllSubscriptionMessage> => {
    if (result.done || result.value.kind !== 'event') return result;
    const event = upcast(result.value.event);
    return event === result.value.event ? result : { done: false, value: { kind: 'event', event } };
  };
  return {
    [Symbol.asyncIterator]() {
      const inner = messages[Symbol.asyncIterator]();
      return {
        next: () => inner.next().then(map),
        return: (value?: unknown) =>
          inner.return ? inner.return(value).then(map) : Promise.resolve({ done: true as const, value: undefined }),
        throw: (error?: unknown) => (inner.throw ? inner.throw(error).then(map) : Promise.reject(error)),
      };
    },
  };
}
