/**
 * Conversions between the port's types and `@eventstore/db-client`'s.
 */
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type EventData,
  type Position as EsdbPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { isInternalStream, isSystemEvent } from '../port';
import type { EventMetadata, EventToAppend, ExpectedRevision, JsonObject, JsonValue, RecordedEvent } from '../port';

export function toEventData(event: EventToAppend): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data,
    // Written as the event's custom metadata (JSON), next to the system metadata (type, content-type, created).
    metadata: event.metadata as Record<string, unknown>,
  });
}

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

type AnyResolvedEvent = ResolvedEvent | AllStreamResolvedEvent;

/**
 * The event's position in `$all`. Servers from 22.6 put it on the recorded event; older ones only
 * on the read event (`commitPosition`), so fall back to that. 0 is never an event's position
 * (the log starts with system records), so it means "not sent".
 */
export function positionOf(resolved: AnyResolvedEvent): EsdbPosition {
  const recorded = resolved.event?.position;
  if (recorded && recorded.commit > 0n) return recorded;
  if (resolved.commitPosition !== undefined) return { commit: resolved.commitPosition, prepare: resolved.commitPosition };
  throw new Error('EventStoreDB returned an event without a position');
}

export function comparePositions(a: EsdbPosition, b: EsdbPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/**
 * What `readAll` and `subscribeToAll` leave out: system events (`$`-prefixed types such as `$metadata`,
 * `$statsCollected`, or streams such as `$$...` metadata streams and `$stats-...`) and the gateway's
 * internal (`_`-prefixed) streams.
 */
export function isHiddenFromAll(resolved: AnyResolvedEvent): boolean {
  const event = resolved.event;
  if (!event) return true;
  return isSystemEvent({ type: event.type, streamName: event.streamId }) || isInternalStream(event.streamId);
}

export function toRecordedEvent(resolved: AnyResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  return {
    id: event.id,
    type: event.type,
    streamName: event.streamId,
    revision: Number(event.revision),
    position: positionOf(resolved).commit,
    data: asJsonObject(event.data),
    metadata: asJsonObject(event.metadata) as EventMetadata,
    recordedAt: event.created.toISOString(),
  };
}

function asJsonObject(value: unknown): JsonObject {
  if (value === undefined || value === null) return {};
  if (value instanceof Uint8Array) {
    if (value.length === 0) return {};
    try {
      return asJsonObject(JSON.parse(Buffer.from(value).toString('utf8')) as unknown);
    } catch {
      return {};
    }
  }
  if (typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  return { value: value as JsonValue };
}
